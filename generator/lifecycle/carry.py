"""`okrs carry PERIOD NEXT`: what goes on into the next period, as new objective files.

Each objective of PERIOD that is neither done nor dropped becomes a file of NEXT at the
same place (``okrs/NEXT/<team>/<name>.md``) with ``carried_from:`` its old id, the same
owners, contributors, tags and narrative (without its retrospective), and the key
results not yet met: a metric starts where it ended (``start`` = its last ``current``),
a milestone that is not done stays. Confidence, the last note and a due date belong to
the old period and are left behind. Planning is pure: the text of each new file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

import yaml

from generator.model import retrospective
from generator.model.core import DONE, DRAFT, DROPPED, Objective, Period

# Fields of a key result that describe the old period's check-ins, not the goal.
LEFT_BEHIND = ("confidence", "note", "due")
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/-]*(?<! )")


@dataclass(frozen=True)
class CarriedObjective:
    source_id: str
    id: str  # the new objective's id, under NEXT
    text: str  # the new file
    key_results: tuple[str, ...]  # the ids carried
    met: tuple[str, ...]  # the ids left out: met already
    parent_left: str | None = None  # the old parent, when it was not carried along


def carried_id(objective: Objective, *, period: str, next_period: str) -> str:
    """``2026-Q3/platform/x`` -> ``2027-Q1/platform/x``; a file outside its period's folder
    goes to ``NEXT/<team>/<name>``."""
    if objective.id.startswith(period + "/"):
        return next_period + objective.id[len(period):]
    return f"{next_period}/{objective.team}/{objective.id.rsplit('/', 1)[-1]}"


def to_carry(objectives: Mapping[str, Objective], *, period: str, team: str | None = None) -> list[Objective]:
    """The objectives of ``period`` (of ``team``) that go on: not done, not dropped, and
    not every key result met. Sorted by id."""
    found = []
    for ident in sorted(objectives):
        objective = objectives[ident]
        if objective.period != period or (team is not None and objective.team != team):
            continue
        if objective.declared_status in (DONE, DROPPED) or all(kr.progress >= 1.0 for kr in objective.key_results):
            continue
        found.append(objective)
    return found


def plan_carry(objectives: Mapping[str, Objective], data: Mapping[str, dict], *, period: Period,
               next_period: str, team: str | None = None) -> list[CarriedObjective]:
    """The new files; ``data`` holds each objective's front matter as read, by id (its
    key results keep every field in the file's order, so a type's own fields come along)."""
    going = to_carry(objectives, period=period.name, team=team)
    new_ids = {o.id: carried_id(o, period=period.name, next_period=next_period) for o in going}
    return [_carried(o, data[o.id], new_id=new_ids[o.id], next_period=next_period, new_ids=new_ids) for o in going]


def _carried(objective: Objective, front: dict, *, new_id: str, next_period: str,
             new_ids: Mapping[str, str]) -> CarriedObjective:
    met = {kr.id for kr in objective.key_results if kr.progress >= 1.0}
    fields: list[tuple[str, Any]] = [("objective", objective.title), ("owner", objective.owner),
                                     ("team", objective.team), ("period", next_period)]
    if objective.declared_status == DRAFT:
        fields.append(("status", DRAFT))
    parent_left = None
    if objective.parent:
        if objective.parent in new_ids:
            fields.append(("parent", new_ids[objective.parent]))
        else:
            parent_left = objective.parent  # aligned to an old objective: the team chooses a new one
    fields.append(("carried_from", objective.id))
    if objective.contributors:
        fields.append(("contributors", list(objective.contributors)))
    if objective.tags:
        fields.append(("tags", list(objective.tags)))
    lines = ["---"] + [f"{name}: {_yaml(value)}" for name, value in fields] + ["key_results:"]
    carried = []
    for kr in front["key_results"]:
        if kr["id"] in met:
            continue
        carried.append(kr["id"])
        items = list(_carried_key_result(kr).items())
        lines.append(f"  - {items[0][0]}: {_yaml(items[0][1])}")
        lines += [f"    {name}: {_yaml(value)}" for name, value in items[1:]]
    narrative = retrospective.split(objective.body)[0].strip("\n")
    text = "\n".join(lines + ["---", narrative]).rstrip("\n") + "\n"
    return CarriedObjective(objective.id, new_id, text, tuple(carried),
                            tuple(kr.id for kr in objective.key_results if kr.id in met), parent_left)


def _carried_key_result(kr: dict) -> dict[str, Any]:
    """The key result for the next period: a metric starts at its last value."""
    is_metric = kr.get("type", "metric") == "metric"
    last = kr.get("current", kr.get("start"))
    result: dict[str, Any] = {}
    for name, value in kr.items():
        if name in LEFT_BEHIND:
            continue
        if is_metric and name == "current" and "start" not in kr:
            result["start"] = last  # a baseline measured last period is this one's start
        if is_metric and name in ("start", "current"):
            value = last
        result[name] = value
    return result


def _yaml(value: Any) -> str:
    """A YAML value that reads back as exactly ``value`` (plain where that is safe)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(item) for item in value) + "]"
    text = str(value)
    if _PLAIN.fullmatch(text) and "," not in text and yaml.safe_load(f"k: {text}") == {"k": text}:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string, never coerced
