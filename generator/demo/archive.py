"""The demo's archive, `okrs demo --closed-years Y`: the closed periods of the Y years
before the demo's period (quarters before a quarter: 2016-Q4 to 2026-Q3 before 2026-Q4;
halves before a half, years before a year), each with as many objectives as the demo's
own, ended, closed as `okrs close` closes them and with the teams' retrospectives.

The newest of them is the demo's previous period (previous_period.py): its story stays
(the objectives carried into the demo's period, the person who left) and the archive fills
it up to size; its objectives come and are closed with the story's. Every older period is
imported in one commit on the day after it ended, its files as they were once closed, so
that the history holds ten years in forty commits rather than in a hundred thousand.

Each period has its own ``random.Random(f"{seed}:archive:{period}")``: the rest of the
demo stays as it was, and a period is the same whatever the number of years.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from generator.demo.organisation import ObjectiveDraft, Organisation, plan_objectives, render_objective
from generator.demo.previous_period import (DROPPED_NOTE, PreviousPeriod, _end_at, close_drafts,
                                            previous_period_name)
from generator.model.core import Period, parse_period
from generator.runtime import parallel

IMPORTED = ("Imported from the archive: the period's objectives as they ended, closed by okrs close, "
            "with each team's retrospective.")
DROPPED_SHARE = 0.05  # of an archived period's objectives, dropped along the way
DONE_FROM = 0.85  # an objective this far along at the end was declared done


@dataclass
class Archive:
    older: list[tuple[Period, dict[str, bytes]]] = field(default_factory=list)  # oldest first, files closed
    previous_ended: dict[str, bytes] = field(default_factory=dict)  # the previous period's more files, as ended
    previous_closed: dict[str, bytes] = field(default_factory=dict)  # ... and once closed

    @property
    def objectives(self) -> int:
        return sum(len(files) for _, files in self.older) + len(self.previous_ended)

    @property
    def periods(self) -> int:  # the previous period's included
        return len(self.older) + 1


def period_names(period: str, years: int) -> list[str]:
    """The periods of ``years`` years before ``period``, of its kind, oldest first."""
    per_year = 4 if "-Q" in period else 2 if "-H" in period else 1
    names, name = [], period
    for _ in range(per_year * years):
        name = previous_period_name(name)
        if name is None:  # a named period (FY27) has no period before it
            break
        names.append(name)
    return names[::-1]


def make_archive(seed: int, organisation: Organisation, *, period: str, years: int, objectives: int,
                 previous: PreviousPeriod) -> Archive:
    """``objectives`` objectives in each period of the archive before ``period``; the
    ``previous`` period's own objectives count among them. A large archive is made on every
    core, a period each (they do not depend on each other)."""
    names = period_names(period, years)
    large = objectives * len(names) >= parallel.MIN_ITEMS
    made = parallel.map_items(_period_files, names, (seed, organisation.teams, objectives, previous),
                              min_items=2 if large else len(names) + 1)
    archive = Archive()
    for name, ended, closed in made:
        if ended is None:
            archive.older.append((parse_period(name), closed))
        else:
            archive.previous_ended, archive.previous_closed = ended, closed
    return archive


def _period_files(name: str, shared: tuple) -> tuple[str, dict[str, bytes] | None, dict[str, bytes]]:
    """One period of the archive: its name, its files as they ended (the previous period's
    only; None for the others) and its files once closed."""
    seed, teams, objectives, previous = shared
    rng = random.Random(f"{seed}:archive:{name}")
    story = previous.drafts if name == previous.period.name else []
    drafts = plan_objectives(rng, teams, objectives=max(0, objectives - len(story)), period=name,
                             used={f"{d.team}/{d.slug}" for d in story})
    for draft in drafts:
        _end(rng, draft)
    closed = close_drafts(parse_period(name), drafts, rng=rng)
    return name, ({d.path: render_objective(d).encode() for d in drafts} if story else None), closed


def import_day(period: Period) -> date:
    """An older period is imported (closed) on the day after it ended."""
    return period.end + timedelta(days=1)


def _end(rng: random.Random, draft: ObjectiveDraft) -> None:
    """How an objective ended: its key results near one share of the way, most of them well
    along, a few done or dropped."""
    reached = rng.triangular(0.05, 1.0, 0.75)
    for kr in draft.key_results:
        _end_at(kr, min(1.0, max(0.0, reached + rng.uniform(-0.15, 0.15))))
    if rng.random() < DROPPED_SHARE:
        draft.status = "dropped"
        draft.body += DROPPED_NOTE
    elif reached >= DONE_FROM:
        draft.status = "done"
