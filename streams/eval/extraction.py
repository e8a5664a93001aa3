"""Score ``extract()`` against a gold file in the format of ``eval/dev_reports.jsonl``.

What is compared:

* **Main strike fields.** For each gold report, the gold ``primary`` mention is compared with the
  predicted report that best matches it (same place first, then a compatible date, then the lowest
  index); with no place match, predicted index 0 (or nothing) is compared. ``main_is_index0`` says how
  often that report was index 0. Fields: settlement, admin1, country, attacker (exact string equality,
  None == None counts as right); date exact (None == None right) and date within one day (both None,
  or both set and at most one day apart); killed and injured compare value AND qualifier (None == None
  right), and ``*_value`` compares the value only.
* **Weapons and targets**: micro precision/recall/F1 over the main strikes (sets per strike).
* **Report recall**: the share of gold primary strikes that some predicted report matches by place and
  a compatible date. **False report rate**: the share of items with no gold mention that yield a report.
* **Mentions**: every gold mention against every predicted report of the same article, matched one to
  one greedily; a match needs the same country, the same settlement (or both none and the same
  admin1), and dates that are equal, within one day, or unknown on either side.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from streams.core.extract import extract
from streams.core.extract.names import norm
from streams.core.models import StrikeReport
from streams.eval.sources import gold_article, reference_time
from streams.eval.splits import split_rows

MAIN_FIELDS = (
    "settlement", "admin1", "country", "date_exact", "date_pm1", "attacker", "attribution",
    "killed", "killed_value", "injured", "injured_value",
)


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """The gold reports of a JSON-lines file (one labelled report per line)."""
    rows = []
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def _n(value: str | None) -> str | None:
    return norm(value) if value else None


def place_match(pred: StrikeReport, gold: Mapping[str, Any]) -> bool:
    if pred.country != gold.get("country"):
        return False
    if gold.get("settlement"):
        return _n(pred.settlement) == _n(gold["settlement"])
    if pred.settlement:
        return False
    return _n(pred.admin1) == _n(gold.get("admin1"))


def _gold_date(gold: Mapping[str, Any]) -> date | None:
    value = gold.get("date")
    return date.fromisoformat(value) if value else None


def date_compatible(pred: StrikeReport, gold: Mapping[str, Any]) -> bool:
    g = _gold_date(gold)
    if g is None or pred.date is None:
        return True
    return abs((pred.date - g).days) <= 1


def _cas(value: Any) -> tuple[int, str] | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return (int(value["value"]), str(value.get("qualifier", "exact")))
    return (int(value.value), str(value.qualifier))


def best_match(preds: Sequence[StrikeReport], gold: Mapping[str, Any]) -> StrikeReport | None:
    placed = [p for p in preds if place_match(p, gold)]
    if placed:
        return sorted(placed, key=lambda p: (0 if date_compatible(p, gold) else 1, p.index))[0]
    return preds[0] if preds else None


def field_values(pred: StrikeReport | None, gold: Mapping[str, Any]) -> dict[str, bool]:
    g_date = _gold_date(gold)
    p_date = pred.date if pred else None
    gk, gi = _cas(gold.get("killed")), _cas(gold.get("injured"))
    pk = _cas(pred.killed) if pred else None
    pi = _cas(pred.injured) if pred else None
    return {
        "settlement": _n(pred.settlement if pred else None) == _n(gold.get("settlement")),
        "admin1": _n(pred.admin1 if pred else None) == _n(gold.get("admin1")),
        "country": (pred.country if pred else None) == gold.get("country"),
        "date_exact": p_date == g_date,
        "date_pm1": (p_date is None and g_date is None)
        or (p_date is not None and g_date is not None and abs((p_date - g_date).days) <= 1),
        "attacker": (pred.attacker if pred else None) == gold.get("attacker"),
        "attribution": (pred.attribution if pred else None) == gold.get("attribution"),
        "killed": pk == gk,
        "killed_value": (pk[0] if pk else None) == (gk[0] if gk else None),
        "injured": pi == gi,
        "injured_value": (pi[0] if pi else None) == (gi[0] if gi else None),
    }


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def match_mentions(preds: Sequence[StrikeReport], golds: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """Greedy one-to-one (gold index, pred index) pairs: exact dates first, then compatible ones."""
    pairs: list[tuple[int, int]] = []
    used_p: set[int] = set()
    used_g: set[int] = set()
    for strict in (True, False):
        for gi, g in enumerate(golds):
            if gi in used_g:
                continue
            for pi, p in enumerate(preds):
                if pi in used_p or not place_match(p, g):
                    continue
                same_day = p.date == _gold_date(g)
                if strict and not same_day:
                    continue
                if not strict and not date_compatible(p, g):
                    continue
                pairs.append((gi, pi))
                used_p.add(pi)
                used_g.add(gi)
                break
    return pairs


def score(gold_rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Scores of ``extract`` on gold rows; a plain dict (see the module docstring for definitions)."""
    counts = dict.fromkeys(MAIN_FIELDS, 0)
    n = 0
    index0 = 0
    w_tp = w_fp = w_fn = t_tp = t_fp = t_fn = 0
    m_tp = m_pred = m_gold = 0
    found = 0
    negatives = false_reports = 0
    errors: list[dict[str, Any]] = []
    false_items: list[dict[str, Any]] = []
    for row in gold_rows:
        preds = extract(gold_article(row), reference_time(row))
        mentions = row.get("mentions") or []
        primary = next((m for m in mentions if m.get("strike") == row.get("primary")), None)
        pairs = match_mentions(preds, mentions)
        m_tp += len(pairs)
        m_pred += len(preds)
        m_gold += len(mentions)
        if not mentions:
            negatives += 1
            if preds:
                false_reports += 1
                false_items.append({"rid": row.get("rid"), "title": row.get("title"),
                                    "reports": [p.settlement or p.admin1 or p.country for p in preds]})
        if primary is None:
            continue
        n += 1
        if any(place_match(p, primary) and date_compatible(p, primary) for p in preds):
            found += 1
        pred = best_match(preds, primary)
        if pred is not None and pred.index == 0 and place_match(pred, primary):
            index0 += 1
        ok = field_values(pred, primary)
        for key, good in ok.items():
            counts[key] += int(good)
        pw, gw = set(pred.weapons) if pred else set(), set(primary.get("weapons") or [])
        pt, gt = set(pred.targets) if pred else set(), set(primary.get("targets") or [])
        w_tp += len(pw & gw)
        w_fp += len(pw - gw)
        w_fn += len(gw - pw)
        t_tp += len(pt & gt)
        t_fp += len(pt - gt)
        t_fn += len(gt - pt)
        wrong = [k for k, good in ok.items() if not good]
        if wrong or pw != gw or pt != gt:
            errors.append({"rid": row.get("rid"), "wrong": wrong, "weapons": [sorted(pw), sorted(gw)],
                           "targets": [sorted(pt), sorted(gt)]})
    return {
        "reports": n,
        "report_recall": round(found / n, 4) if n else 0.0,
        "non_strike_items": negatives,
        "false_report_rate": round(false_reports / negatives, 4) if negatives else 0.0,
        "false_reports": false_items,
        "main": {k: round(v / n, 4) if n else 0.0 for k, v in counts.items()},
        "main_is_index0": round(index0 / n, 4) if n else 0.0,
        "weapons": _prf(w_tp, w_fp, w_fn),
        "targets": _prf(t_tp, t_fp, t_fn),
        "mentions": _prf(m_tp, m_pred - m_tp, m_gold - m_tp),
        "errors": errors,
    }


def evaluate_extraction(gold_path: str | Path, split: str | None = None) -> dict[str, Any]:
    """Load a gold file and score the extractor on it (the entry point of ``strikewatch evaluate``);
    ``split`` ("tune" or "check") keeps one half of the day windows (see ``streams.eval.splits``)."""
    rows: Sequence[Mapping[str, Any]] = load_gold(gold_path)
    if split:
        rows = split_rows(rows, split)
    result = score(rows)
    result["gold"] = str(gold_path) + (f" [{split} half]" if split else "")
    return result


def format_extraction_table(result: Mapping[str, Any]) -> str:
    """A plain-text table of ``evaluate_extraction``'s result."""
    lines = [f"extraction scores on {result.get('gold', 'gold')} ({result['reports']} reports with a primary "
             f"strike, {result['non_strike_items']} non-strike items)", ""]
    lines.append(f"{'report recall':<22}{result['report_recall']:>9.3f}")
    lines.append(f"{'false report rate':<22}{result['false_report_rate']:>9.3f}   (non-strike items with a report)")
    lines.append(f"{'main strike field':<22}{'accuracy':>9}")
    for key, value in result["main"].items():
        lines.append(f"{key:<22}{value:>9.3f}")
    lines.append(f"{'main_is_index0':<22}{result['main_is_index0']:>9.3f}")
    lines.append("")
    lines.append(f"{'set':<22}{'P':>7}{'R':>7}{'F1':>7}")
    for key in ("weapons", "targets", "mentions"):  # micro-averaged
        s = result[key]
        lines.append(f"{key:<22}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}")
    return "\n".join(lines)
