"""`okrs close PERIOD`: score each objective of an ended period and add its retrospective.

The edit of a file is planned on its bytes: one ``score:`` line inserted into the front
matter (after ``status:``, else after ``period:``, at their indentation and with the
file's own line endings) and a ``## Retrospective`` section appended to the body when it
has none. Every other byte stays as it was. Planning is pure; ``write_closing`` writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Mapping

import yaml

from generator.model import retrospective
from generator.model.core import DRAFT, DROPPED, Objective, Period
from generator.model.grades import computed_score, grade, score_text
from generator.lifecycle.files import replace_file
from generator.reading.pipeline import read_objective

_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # the lines of a file, each with its ending


class NotEnded(Exception):
    """The period has not ended as of the given date."""


@dataclass(frozen=True)
class ClosedObjective:
    """What closing does to one objective file: ``text`` is its new content (None: unchanged)."""

    id: str
    path: str  # relative to the repository root
    score: float | None = None  # written now; None when the objective gets none
    score_line: int | None = None  # the line of the new score:
    retrospective_line: int | None = None  # the line of the new ## Retrospective heading
    note: str = ""  # why it got no score, when it got none
    text: bytes | None = None

    @property
    def grade(self) -> str | None:
        return None if self.score is None else grade(self.score)


@dataclass(frozen=True)
class Closing:
    period: str
    objectives: list[ClosedObjective]  # sorted by id

    @property
    def changed(self) -> list[ClosedObjective]:
        return [o for o in self.objectives if o.text is not None]

    @property
    def scores(self) -> list[float]:
        return [o.score for o in self.objectives if o.score is not None]

    def grade_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for closed in self.objectives:
            if closed.grade:
                counts[closed.grade] = counts.get(closed.grade, 0) + 1
        return counts


def plan_closing(period: Period, objectives: Mapping[str, Objective], files: Mapping[str, bytes], *,
                 as_of: date) -> Closing:
    """The edits that close ``period``: ``files`` holds each objective file's bytes by its
    path. Raises NotEnded before the period's last day is over."""
    if not period.is_closed(as_of):
        raise NotEnded(f"{period.name} ends on {period.end.isoformat()}: it can be closed from "
                       f"{date.fromordinal(period.end.toordinal() + 1).isoformat()} (as of {as_of.isoformat()})")
    closed = [_close_one(objective, files[objective.path])
              for _, objective in sorted(objectives.items()) if objective.period == period.name]
    return Closing(period.name, closed)


def _close_one(objective: Objective, raw: bytes) -> ClosedObjective:
    lines = _LINE.findall(raw)
    newline = _newline_of(lines)
    score, score_line, note = None, None, ""
    if objective.score is not None:
        note = f"already scored ({score_text(objective.score)})"
    elif objective.declared_status == DRAFT:
        note = "a draft: never committed to, so no score and no retrospective"
    elif objective.declared_status == DROPPED:
        note = "dropped: no score (dropped objectives are excluded from scores)"
    else:
        score = computed_score(objective)
        at = _score_place(raw)
        if at is None:
            score, note = None, "the front matter is one {...} mapping: add score: by hand"
        else:
            index, indent = at
            line_end = re.search(rb"(\r\n|\r|\n)$", lines[index - 1])
            lines.insert(index, indent + f"score: {score_text(score)}".encode() + (line_end[1] if line_end else newline))
            score_line = index + 1
    retro_line = None
    if objective.declared_status != DRAFT and not retrospective.has_retrospective(objective.body):
        if lines and not lines[-1].endswith((b"\n", b"\r")):
            lines[-1] += newline
        if lines and lines[-1].strip() and not _is_closing_marker(lines, objective):
            lines.append(newline)  # a blank line between the narrative and the new heading
        retro_line = len(lines) + 1
        lines.append(retrospective.section_text(newline.decode()).encode())
    changed = score_line is not None or retro_line is not None
    return ClosedObjective(objective.id, objective.path, score, score_line, retro_line, note,
                           b"".join(lines) if changed else None)


def _is_closing_marker(lines: list[bytes], objective: Objective) -> bool:
    """Whether the last line is the front matter's closing --- (a file without a narrative)."""
    return not objective.body.strip() and lines[-1].strip() in (b"---", b"...")


def _newline_of(lines: list[bytes]) -> bytes:
    for line in lines:
        for ending in (b"\r\n", b"\n", b"\r"):
            if line.endswith(ending):
                return ending
    return b"\n"


def _score_place(raw: bytes) -> tuple[int, bytes] | None:
    """(index of the line to insert before, the indentation of the top-level keys): the
    line after the value of ``status:``, else of ``period:``. None for a flow mapping."""
    document = read_objective(raw)  # the file checked clean: it reads
    root = document.root
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value in ("status", "period"):
            found[key.value] = (key, value)
    key, value = found.get("status") or found["period"]
    last = value.end_mark.line if value.end_mark.column > 0 else value.end_mark.line - 1
    # The YAML's line n (from 0) is the file's line n + 1 + offset, at index n + offset.
    return last + document.offset + 1, b" " * key.start_mark.column


def write_closing(root: Path, closing: Closing) -> list[Path]:
    """Write each changed file in place (a whole new file swapped in, so a crash never
    leaves half of one); returns the paths written."""
    written = []
    for closed in closing.changed:
        path = root / closed.path
        replace_file(path, closed.text)
        written.append(path)
    return written
