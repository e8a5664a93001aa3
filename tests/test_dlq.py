"""Dead letters read back, picked by reason and time, shown on one line, and judged fit for replay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest

from streams.cli import build_parser
from streams.contracts import BadMessage, DeadLetter, Origin, Reason, dead_letter, decode_dead_letter
from streams.dlq import format_dead_letter, not_replayable, parse_since, preview, select

T0 = datetime(2024, 7, 8, 10, 0, tzinfo=UTC)


def letter(
    reason: Reason = "not_json", payload: bytes = b"this is not json", *, minutes: int = 0,
    stage: str = "extract", key: bytes | None = b"a-1", max_bytes: int = 1 << 20,
) -> DeadLetter:
    origin = Origin("articles", 2, 41, T0 - timedelta(seconds=1), key)
    record = dead_letter(
        reason=reason, detail="unexpected character: line 1 column 1 (char 0)", stage=stage,  # type: ignore[arg-type]
        origin=origin, payload=payload, max_bytes=max_bytes, now=T0 + timedelta(minutes=minutes),
    )
    return decode_dead_letter(orjson.dumps(record))


def test_a_dead_letter_reads_back_with_its_key_payload_and_origin() -> None:
    read = letter(payload=b"\xff\xfe binary", key=b"k-\x00")
    assert (read.reason, read.stage, read.topic, read.partition, read.offset) == ("not_json", "extract", "articles",
                                                                                   2, 41)
    assert (read.key, read.payload, read.truncated) == (b"k-\x00", b"\xff\xfe binary", False)
    assert read.failed_at == T0 and read.timestamp == T0 - timedelta(seconds=1)
    assert letter(key=None).key is None


@pytest.mark.parametrize("value", [b"not json", b"{}", b'{"reason": "not_json"}', b"[1]"])
def test_a_message_that_is_no_dead_letter_is_refused(value: bytes) -> None:
    with pytest.raises(BadMessage):
        decode_dead_letter(value)


def test_select_by_reason_time_and_limit_keeps_the_order() -> None:
    letters = [letter("not_json", minutes=0), letter("schema_violation", b"{}", minutes=5),
               letter("not_json", b"x", minutes=10)]
    assert select(letters, reason="not_json") == [letters[0], letters[2]]
    assert select(letters, since=T0 + timedelta(minutes=5)) == letters[1:]
    assert select(letters, limit=2) == letters[1:]  # the latest
    assert select(letters, limit=0) == []
    assert select(letters, reason="too_large") == []


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("2024-07-08T13:00:00+03:00", T0),
        ("2024-07-08T10:00:00Z", T0),
        ("2024-07-08 10:00", T0),  # no offset: UTC
        ("2024-07-08", T0 - timedelta(hours=10)),
    ],
)
def test_since_is_an_iso_time_utc_without_an_offset(text: str, when: datetime) -> None:
    assert parse_since(text) == when


def test_since_that_is_no_time_says_so() -> None:
    with pytest.raises(ValueError, match="ISO time"):
        parse_since("yesterday")


def test_only_whole_articles_go_back_to_the_articles_topic() -> None:
    assert not_replayable(letter()) is None
    assert "report" in (not_replayable(letter(stage="dedup")) or "")
    cut = letter("too_large", b"x" * 3000, max_bytes=1024)
    assert cut.truncated and "1024 of 3000" in (not_replayable(cut) or "")


def test_preview_is_one_short_line_of_text_or_bytes() -> None:
    assert preview(b'{"title":  "Missile\n hits   Dnipro"}') == '{"title": "Missile hits Dnipro"}'
    assert preview(b"a" * 200, width=20) == "a" * 17 + "..."
    assert preview(b"\xff\xfe\x00") == "b'\\xff\\xfe\\x00'"
    assert preview(b"\xff" * 100, width=4) == "b'\\xff\\xff\\xff\\xff'..."


def test_a_dead_letter_line_says_when_why_where_and_what() -> None:
    assert format_dead_letter(letter()) == (
        "2024-07-08T10:00:00+00:00 | not_json | extract | articles[2]@41 | 16 B | "
        "unexpected character: line 1 column 1 (char 0) | this is not json"
    )


def test_dlq_options_are_read_before_and_after_replay() -> None:
    parser = build_parser()
    args = parser.parse_args(["dlq", "--reason", "not_json", "replay", "--dry-run"])
    assert (args.reason, args.dry_run, args.func.__name__) == ("not_json", True, "cmd_dlq_replay")
    args = parser.parse_args(["dlq", "replay", "--reason", "schema_violation", "--since", "2024-07-08"])
    assert (args.reason, args.since, args.dry_run) == ("schema_violation", "2024-07-08", False)
    args = parser.parse_args(["dlq", "--json", "--limit", "5"])
    assert (args.json, args.limit, args.reason, args.func.__name__) == (True, 5, None, "cmd_dlq")


@pytest.mark.parametrize(
    ("argv", "says"),
    [(["dlq", "--reason", "bogus"], "--reason 'bogus' is none of"),
     (["dlq", "replay", "--since", "yesterday"], "is not an ISO time")],
)
def test_a_wrong_option_is_said_before_kafka_is_asked(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from streams.cli import main

    assert main(argv) == 2
    assert says in capsys.readouterr().err
