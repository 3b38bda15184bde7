"""The rules of key-result types that a schema cannot say: a due date that is a date,
a stretch goal beyond its target, and a baseline still pending too long into its period.

``baseline-missing`` depends on the day of the check (``as_of``): the loader's cache of
file results keys on that day, so a cached result is never a day late.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from generator.model.core import Period, parse_period
from generator.model.types import DEFAULT_TYPE
from generator.reading.findings import ERROR, WARNING, Finding

if TYPE_CHECKING:
    from generator.reading.sources import ObjectiveSource


# The codes these rules report, and what they mean (joined into reading.rule_codes.RULES).
TYPE_RULES = {
    "due-invalid": "a milestone's due is not a date like 2026-12-15",
    "stretch-invalid": "a metric's stretch goal is not beyond its target (further from start)",
    "baseline-missing": "a metric still has no start (baseline pending) more than baseline_weeks into its "
                        "period (a warning)",
}


def due_date(value: Any) -> date | None:
    """A milestone's `due` as the model keeps it: YAML reads 2026-12-15 as a date, a
    quoted "2026-12-15" is text; anything else is None (the rule below reports it)."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            return None
    return None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def type_rules(source: ObjectiveSource, data: dict, *, periods: Mapping[str, Period], as_of: date | None,
               baseline_weeks: int | None) -> Iterator[Finding]:
    """Every finding of the type rules in one objective file. Without ``as_of`` (or
    ``baseline_weeks``) the date-dependent baseline rule is left out."""
    krs = data.get("key_results")
    raw_period = data.get("period")
    period_name = str(raw_period) if _number(raw_period) else raw_period if isinstance(raw_period, str) else None
    period = parse_period(period_name, periods) if period_name else None
    for index, kr in enumerate(krs if isinstance(krs, list) else []):
        if not isinstance(kr, dict):
            continue
        kind = kr.get("type", DEFAULT_TYPE)
        at = ("key_results", index)
        name = kr.get("id") if isinstance(kr.get("id"), str) else f"#{index + 1}"
        if "due" in kr and due_date(kr["due"]) is None:
            yield _finding(source, at + ("due",), ERROR, "due-invalid",
                           f"key result '{name}': due must be a date like 2026-12-15, not {_shown(kr['due'])}")
        if kind not in ("milestone", "maintain"):
            yield from _metric_rules(source, kr, at, name, period=period, as_of=as_of, baseline_weeks=baseline_weeks)


def _metric_rules(source: ObjectiveSource, kr: dict, at: tuple, name: str, *, period: Period | None,
                  as_of: date | None, baseline_weeks: int | None) -> Iterator[Finding]:
    start, target, stretch = kr.get("start"), kr.get("target"), kr.get("stretch")
    if _number(start) and _number(target) and _number(stretch) and start != target:
        rising = target > start
        if not (stretch > target if rising else stretch < target):
            word = "above" if rising else "below"
            yield _finding(source, at + ("stretch",), ERROR, "stretch-invalid",
                           f"key result '{name}': stretch {stretch} is not beyond the target {target}; "
                           f"a stretch goal lies further from start ({start}) than the target: "
                           f"set it {word} {target}, or remove it")
    if "start" in kr or period is None or as_of is None or baseline_weeks is None:
        return
    deadline = period.start + timedelta(weeks=baseline_weeks)
    if as_of > deadline:
        passed = (min(as_of, period.end) - period.start).days // 7
        yield _finding(source, at + ("id",) if "id" in kr else at, WARNING, "baseline-missing",
                       f"key result '{name}' has no start yet (baseline pending), and {passed} weeks of "
                       f"{period.name} have passed (baseline_weeks: {baseline_weeks}); measure the baseline "
                       "and add `start:` so that progress can be told")


def _finding(source: ObjectiveSource, path: tuple, severity: str, code: str, message: str) -> Finding:
    line, column = source.document.value_at(path)
    return Finding(source.path, line, column, severity, code, message)


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        return f"a date and time ({value.isoformat(sep=' ')}): give the day only"
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:40] + "…"
