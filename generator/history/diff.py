"""The difference between two states of the OKRs, as a sorted list of changes.

Pure: objectives in, changes out. Used for a week of history (snapshot of week W-1 vs
week W), for the changes each commit made, and for comparing any two revisions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Hashable, Mapping

from generator.model.core import KeyResult, Objective
from generator.model.types import by_progress, type_change_direction

# Display order of kinds within one objective or key result. `moved` (the objective's
# file was renamed, so its id changed) is not in the spec's list: a rename is neither
# a removal nor an addition, and readers should see that the id changed.
KINDS = ("added", "removed", "moved", "status", "owner", "title", "target", "progress", "confidence", "note")
CHECK_IN_FIELDS = ("current", "done", "confidence", "note")


@dataclass(frozen=True, slots=True)
class CommitInfo:
    sha: str
    author: str
    email: str
    date: datetime  # committer date, in the configured time zone
    subject: str

    def as_dict(self) -> dict:
        return {"sha": self.sha, "author": self.author, "date": self.date.isoformat(), "subject": self.subject}


@dataclass(frozen=True, slots=True)
class Change:
    """One change of one field of an objective (key_result None) or of a key result."""

    objective: str
    key_result: str | None
    kind: str
    field: str | None
    before: Any
    after: Any
    progress_before: float | None
    progress_after: float | None
    owner: str | None
    direction: str | None = None  # a target change: "eased" or "raised" (None if neither): see the key result's type
    objective_title: str = ""
    key_result_title: str | None = None
    unit: str | None = None
    week: str | None = None
    commits: tuple[CommitInfo, ...] = ()

    @property
    def delta(self) -> float:
        """Progress moved, as a fraction (0.11 is 11 points)."""
        return (self.progress_after or 0.0) - (self.progress_before or 0.0)

    def sort_key(self) -> tuple:
        return (self.objective, self.key_result is not None, self.key_result or "",
                KINDS.index(self.kind), self.field or "")

    def as_dict(self) -> dict:
        """The change as the changelog's JSON shows it (progress rounded to 2 decimals)."""
        data = {
            "objective": self.objective, "key_result": self.key_result, "kind": self.kind,
            "field": self.field, "before": self.before, "after": self.after,
            "progress_before": _rounded(self.progress_before), "progress_after": _rounded(self.progress_after),
            "owner": self.owner,
        }
        if self.kind == "target":
            data["direction"] = self.direction
        data["commits"] = [commit.as_dict() for commit in self.commits]
        return data


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def diff_states(before: Mapping[Hashable, Objective], after: Mapping[Hashable, Objective]) -> list[Change]:
    """Every change from one state to another, sorted by objective, key result and kind.

    The two mappings are matched by key: key objectives by id to compare two revisions,
    or by any identity that survives renames (then a changed id shows as `moved`).
    """
    changes: list[Change] = []
    for key in set(before) | set(after):
        changes += diff_objective(before.get(key), after.get(key))
    return sorted(changes, key=Change.sort_key)


def diff_objective(before: Objective | None, after: Objective | None, *, week: str | None = None,
                   commits: tuple[CommitInfo, ...] = ()) -> list[Change]:
    """The changes of one objective (None: it does not exist on that side)."""
    if before is after:  # snapshots share unchanged objectives
        return []
    if before is None or after is None:
        obj = after or before
        kind = "added" if before is None else "removed"
        return [Change(obj.id, None, kind, None, before and before.title, after and after.title,
                       before and before.progress, after and after.progress, obj.owner,
                       objective_title=obj.title, week=week, commits=commits)]
    changes = []
    progress_before, progress_after = before.progress, after.progress

    def objective_change(kind: str, field: str, old: Any, new: Any) -> None:
        if old != new:
            changes.append(Change(after.id, None, kind, field, old, new, progress_before, progress_after,
                                  after.owner, objective_title=after.title, week=week, commits=commits))

    objective_change("moved", "id", before.id, after.id)
    objective_change("status", "status", before.declared_status, after.declared_status)
    objective_change("owner", "owner", before.owner, after.owner)
    objective_change("title", "objective", before.title, after.title)
    if before.key_results != after.key_results:
        old_krs = {kr.id: kr for kr in before.key_results}
        new_krs = {kr.id: kr for kr in after.key_results}
        for kr_id in sorted(set(old_krs) | set(new_krs)):
            changes += diff_key_result(after, old_krs.get(kr_id), new_krs.get(kr_id), week=week, commits=commits,
                                       objective_before=before)
    return sorted(changes, key=Change.sort_key)


def diff_key_result(objective: Objective, before: KeyResult | None, after: KeyResult | None, *,
                    week: str | None = None, commits: tuple[CommitInfo, ...] = (),
                    objective_before: Objective | None = None) -> list[Change]:
    """The changes of one key result of ``objective`` (its state after the change;
    ``objective_before``, its state before, shows what a change of weight did)."""
    if before == after:
        return []
    kr = after or before
    progress_before, progress_after = before and before.progress, after and after.progress
    changes = []

    def change(kind: str, field: str | None, old: Any, new: Any, direction: str | None = None,
               progress: tuple[float | None, float | None] = (progress_before, progress_after)) -> None:
        if old != new:
            changes.append(Change(objective.id, kr.id, kind, field, old, new, *progress,
                                  kr.owner, direction, objective.title, kr.title, kr.unit, week, commits))

    if before is None or after is None:
        change("added" if before is None else "removed", None, before and before.title, after and after.title)
        return changes
    change("owner", "owner", before.owner, after.owner)
    change("title", "title", before.title, after.title)
    if before.type != after.type:
        change("target", "type", before.type, after.type, type_change_direction(before, after))
    else:
        for moved in after.kind.field_changes(before, after):
            change(moved.kind, moved.field, moved.before, moved.after, moved.direction)
    if objective_before is not None and before.weight != after.weight:
        # The key result's progress stays; the objective's moves: that is the jump to show.
        change("target", "weight", before.weight, after.weight, weight_direction(objective_before, before, after),
               progress=(objective_before.progress, objective.progress))
    change("confidence", "confidence", before.confidence, after.confidence)
    change("note", "note", before.note, after.note)
    return changes


def weight_direction(objective_before: Objective, before: KeyResult, after: KeyResult) -> str | None:
    """A new weight for a key result: "eased" when it alone raises the objective's
    progress (a lagging key result counts for less), "raised" when it lowers it."""
    reweighted = replace(objective_before, key_results=tuple(
        replace(kr, weight=after.weight) if kr.id == before.id else kr for kr in objective_before.key_results))
    return by_progress(objective_before.progress, reweighted.progress)


def is_check_in(before: KeyResult | None, after: KeyResult) -> bool:
    """Did this change set the key result's current, done, confidence or note?

    A new key result counts when it arrives with any of them set (done only when true).
    """
    if before is None:
        return after.current is not None or bool(after.done) or after.confidence is not None \
            or after.note is not None
    return any(getattr(before, field) != getattr(after, field) for field in CHECK_IN_FIELDS)
