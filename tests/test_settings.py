"""One settings object: read from the environment, validated, and documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from streams.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_defaults_match_the_issue() -> None:
    s = Settings.from_env({})
    assert s.bootstrap_servers == "127.0.0.1:9092"
    assert s.web_port == 6066
    assert s.max_message_bytes == 1_048_576


def test_environment_values_are_typed() -> None:
    s = Settings.from_env(
        {"STRIKEWATCH_WEB_PORT": "7000", "STRIKEWATCH_DETAILS_ALERTS": "true",
         "STRIKEWATCH_EVENT_WINDOW_DAYS": "2.5", "STRIKEWATCH_TOPIC_PREFIX": "x."}
    )
    assert (s.web_port, s.details_alerts, s.event_window_days) == (7000, True, 2.5)
    assert s.topic("articles_dlq") == "x.articles.dlq"


def test_the_dedup_windows_reach_the_dedup_config() -> None:
    from datetime import timedelta

    from streams.offline import dedup_config

    config = dedup_config(Settings.from_env({"STRIKEWATCH_EVENT_WINDOW_DAYS": "2",
                                             "STRIKEWATCH_EXPIRY_GRACE_DAYS": "0.5"}))
    assert (config.close_after, config.expiry_grace) == (timedelta(days=2), timedelta(hours=12))


@pytest.mark.parametrize(
    ("name", "value"),
    [("STRIKEWATCH_WEB_PORT", "sixty"), ("STRIKEWATCH_PROFILE", "huge"), ("STRIKEWATCH_PARTITIONS", "0"),
     ("STRIKEWATCH_DETAILS_ALERTS", "maybe"), ("STRIKEWATCH_EXPIRY_GRACE_DAYS", "-1")],
)
def test_bad_values_fail_loudly(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: value})


def test_profiles_tune_the_group_protocol_and_batching() -> None:
    embedded = Settings.from_env({})
    cluster = Settings.from_env({"STRIKEWATCH_PROFILE": "cluster"})
    assert embedded.effective_session_timeout < cluster.effective_session_timeout
    assert embedded.effective_max_batch_size > 1 and cluster.effective_max_batch_size > 1
    assert embedded.effective_producer_seal_batches  # Tansu end-offset workaround
    assert not cluster.effective_producer_seal_batches
    assert not Settings.from_env({"STRIKEWATCH_PRODUCER_SEAL_BATCHES": "false"}).effective_producer_seal_batches


def test_secrets_are_not_printed() -> None:
    s = Settings.from_env({"STRIKEWATCH_SASL_PASSWORD": "hunter2"})
    assert "hunter2" not in repr(s)


def test_every_setting_is_documented_in_the_readme_and_nothing_else_is() -> None:
    documented = set(re.findall(r"^\| `(STRIKEWATCH_[A-Z0-9_]+)`", README.read_text(), re.M))
    assert documented == set(Settings.env_names())
