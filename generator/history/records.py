"""Model and history values as plain JSON lists, and back: the format of the cache.

Each value becomes the list of its dataclass fields, in order, so that reading it back
is one call. A record that does not fit raises (TypeError, ValueError, ...): the cache
then treats the whole file as missing. Dates and times are ISO text; times come back in
the configured time zone, exactly as the history made them.
"""

from __future__ import annotations

import math
from datetime import date, datetime, tzinfo
from typing import Any

from generator.reading.findings import Finding
from generator.history.diff import Change, CommitInfo
from generator.model.core import KeyResult, Objective

# Errors a bad record can raise while it is read back (OverflowError: a date past 9999
# once in the configured zone; RecursionError: a nesting bomb).
BAD_RECORD = (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError, RecursionError)


def objective_record(objective: Objective) -> list:
    return [objective.id, objective.title, objective.owner, objective.team, objective.period,
            [key_result_record(kr) for kr in objective.key_results], objective.parent,
            objective.declared_status, list(objective.contributors), list(objective.tags),
            objective.body, objective.path, objective.score]


def objective_from_record(record: list) -> Objective:
    (ident, title, owner, team, period, krs, parent, status, contributors, tags, body, path, score) = record
    return Objective(_str(ident), _str(title), _str(owner), _str(team), _str(period),
                     tuple(key_result_from_record(kr) for kr in _list(krs)), _optional_str(parent), _str(status),
                     tuple(map(_str, _list(contributors))), tuple(map(_str, _list(tags))), _str(body), _str(path),
                     _optional_number(score))


def key_result_record(kr: KeyResult) -> list:
    return [kr.id, kr.title, kr.owner, kr.type, kr.start, kr.target, kr.current, kr.unit, kr.done,
            kr.confidence, kr.weight, kr.note, kr.stretch, kr.at_least, kr.at_most,
            kr.due and kr.due.isoformat()]


def key_result_from_record(record: list) -> KeyResult:
    # Every field is checked: a wrong type here would only fail later, in a page or a sum.
    (ident, title, owner, kind, start, target, current, unit, done, confidence, weight, note,
     stretch, at_least, at_most, due) = _list(record)
    if not (done is None or isinstance(done, bool)):
        raise TypeError("done is true, false or null")
    return KeyResult(_str(ident), _str(title), _str(owner), _str(kind), _optional_number(start),
                     _optional_number(target), _optional_number(current), _optional_str(unit), done,
                     _optional_number(confidence), _number(weight), _optional_str(note), _optional_number(stretch),
                     _optional_number(at_least), _optional_number(at_most),
                     None if due is None else date.fromisoformat(_str(due)))


def finding_record(finding: Finding) -> list:
    return [finding.path, finding.line, finding.column, finding.severity, finding.code, finding.message]


def finding_from_record(record: list) -> Finding:
    path, line, column, severity, code, message = _list(record)
    return Finding(_str(path), _int(line), _int(column), _str(severity), _str(code), _str(message))


def commit_record(commit: CommitInfo) -> list:
    return [commit.sha, commit.author, commit.email, commit.date.isoformat(), commit.subject]


def commit_from_record(record: list, tz: tzinfo) -> CommitInfo:
    sha, author, email, when, subject = record
    return CommitInfo(_str(sha), _str(author), _str(email), datetime.fromisoformat(when).astimezone(tz), _str(subject))


def change_record(change: Change, commit_index: dict[int, int]) -> list:
    """A change; its commits as indexes into the file's table of commits (``commit_index``
    maps id(commit) to its index)."""
    return [change.objective, change.key_result, change.kind, change.field, change.before, change.after,
            change.progress_before, change.progress_after, change.owner, change.direction,
            change.objective_title, change.key_result_title, change.unit, change.week,
            [commit_index[id(commit)] for commit in change.commits]]


def change_from_record(record: list, commits: list[CommitInfo]) -> Change:
    (objective, key_result, kind, field, before, after, progress_before, progress_after, owner, direction,
     objective_title, key_result_title, unit, week, commit_indexes) = _list(record)
    return Change(_str(objective), _optional_str(key_result), _str(kind), _optional_str(field),
                  _value(before), _value(after), _optional_number(progress_before), _optional_number(progress_after),
                  _optional_str(owner), _optional_str(direction), _str(objective_title),
                  _optional_str(key_result_title), _optional_str(unit), _optional_str(week),
                  commits=tuple(commits[_int(i)] for i in _list(commit_indexes)))


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value


def _optional_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, not {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, not {type(value).__name__}")
    return value


def number(value: Any) -> float:
    """A finite int or float (never a bool, which Python counts as an int)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TypeError(f"expected a finite number, not {value!r:.40}")
    return value


_number = number


def _optional_number(value: Any) -> float | None:
    return None if value is None else number(value)


def _value(value: Any) -> Any:
    """A field's value in a change: a number, text, true/false, null or a list of text."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, list):
        return [_str(item) for item in value]
    return number(value)
