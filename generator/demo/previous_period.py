"""The demo's previous period: as it ended, closed by `okrs close` with written
retrospectives, and what `okrs carry` takes on into the demo's period.

Seeded by its own ``random.Random``, so the rest of the demo stays as it was.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from generator.demo.organisation import KeyResultDraft, ObjectiveDraft, Organisation, _team_objective, render_objective
from generator.lifecycle.close import plan_closing
from generator.model import retrospective
from generator.model.core import Period, parse_period
from generator.reading.pipeline import objective_from_data, read_objective

# Where each objective ends: (final progress of its key results, its declared status).
ENDINGS = ((0.25, "active"), (0.55, "active"), (0.9, "done"), (0.15, "dropped"))
ANSWERS = {
    "What went well": ("Pairing with the teams who depend on us: every change landed with its users in the room.",
                       "The weekly check-ins: nobody was surprised by the final numbers."),
    "What we learned": ("We set the target before we had a baseline; a month of measuring first would have shown "
                        "the real gap.",
                        "Two key results measured activity, not outcome: the numbers moved, the customers did not "
                        "notice."),
    "What we will do differently": ("Measure for two weeks, then commit to a target.",
                                    "One key result per outcome, owned by the person closest to it."),
}
DEPARTED = ("sam-okafor", "Sam Okafor")  # the demo's one person who has left
DROPPED_NOTE = "\n**Dropped** in the second month: the team moved to a higher-priority project.\n"


@dataclass
class PreviousPeriod:
    period: Period
    drafts: list[ObjectiveDraft] = field(default_factory=list)


def previous_period_name(name: str) -> str | None:
    """The period before a quarter, half or year: 2026-Q4 -> 2026-Q3, 2026-H1 -> 2025-H2."""
    if m := re.fullmatch(r"([0-9]{4})-Q([1-4])", name):
        year, quarter = int(m[1]), int(m[2])
        return f"{year}-Q{quarter - 1}" if quarter > 1 else f"{year - 1}-Q4"
    if m := re.fullmatch(r"([0-9]{4})-H([12])", name):
        return f"{m[1]}-H1" if m[2] == "2" else f"{int(m[1]) - 1}-H2"
    if re.fullmatch(r"[0-9]{4}", name):
        return str(int(name) - 1)
    return None


def make_previous(rng: random.Random, organisation: Organisation, *, period: str) -> PreviousPeriod | None:
    """Up to four team objectives of the period before ``period``, one per ending."""
    name = previous_period_name(period)
    previous = parse_period(name) if name else None
    teams = sorted({d.team for d in organisation.objectives if d.team != "company"})
    if previous is None or not teams:
        return None
    used = {f"{d.team}/{d.slug}" for d in organisation.objectives}  # carried files must not collide
    drafts = []
    for index, (progress, status) in enumerate(ENDINGS[:max(2, min(len(ENDINGS), len(organisation.objectives) // 3))]):
        team = teams[index % len(teams)]
        draft = _team_objective(rng, team, organisation.teams[team], previous.name, None, used)
        used.add(f"{team}/{draft.slug}")
        for kr in draft.key_results:
            _end_at(kr, min(1.0, max(0.0, progress + rng.uniform(-0.1, 0.1))))
        draft.status = status
        if status == "dropped":
            draft.body += DROPPED_NOTE
        drafts.append(draft)
    _hand_over_to_someone_who_left(organisation, drafts, left=previous.end)
    return PreviousPeriod(previous, drafts)


def _hand_over_to_someone_who_left(organisation: Organisation, drafts: list[ObjectiveDraft], *, left: date) -> None:
    """One key result of an objective that is not carried was owned by someone who left
    when the period ended: people.yaml keeps them with `left:`, so the closed period
    stays valid while no current key result may name them."""
    finished = next((d for d in drafts if d.status in ("done", "dropped") and d.key_results), None)
    if finished is None:
        return
    ident, name = DEPARTED
    while ident in organisation.people:
        ident, name = ident + "-2", name + " II"
    organisation.people[ident] = name
    organisation.left[ident] = left
    finished.key_results[0].owner = ident


def _end_at(kr: KeyResultDraft, progress: float) -> None:
    kr.progress = progress
    if kr.milestone:
        kr.done = progress >= 0.7
        return
    value = kr.start + (kr.target - kr.start) * progress
    kr.current = int(round(value)) if kr.decimals == 0 else round(value, kr.decimals)
    kr.confidence = round(min(0.9, max(0.1, progress)), 1)


def setup_files(previous: PreviousPeriod) -> dict[str, bytes]:
    """The previous period's files as they ended."""
    return {d.path: render_objective(d).encode() for d in previous.drafts}


def closed_files(previous: PreviousPeriod, *, rng: random.Random) -> dict[str, bytes]:
    """The files after `okrs close` (as of the day after the period) and the teams'
    answers written in place of the prompts."""
    return close_drafts(previous.period, previous.drafts, rng=rng)


def close_drafts(period: Period, drafts: list[ObjectiveDraft], *, rng: random.Random) -> dict[str, bytes]:
    """``closed_files`` of any ended period's drafts (the demo's archive closes its periods so)."""
    files = {d.path: render_objective(d).encode() for d in drafts}
    objectives = {}
    for draft in drafts:
        document = read_objective(files[draft.path])
        objectives[draft.id] = objective_from_data(draft.id, document, path=draft.path)
    closing = plan_closing(period, objectives, files, as_of=period.end + timedelta(days=1))
    result = {}
    for closed in closing.changed:
        text = closed.text.decode()
        for question, prompt in retrospective.QUESTIONS:
            text = text.replace(prompt, rng.choice(ANSWERS[question]), 1)
        result[closed.path] = text.encode()
    return result


def carried_drafts(previous: PreviousPeriod, *, period: str, rng: random.Random) -> list[ObjectiveDraft]:
    """What `okrs carry` makes of the objectives that go on: the same owners and
    narrative, the key results not yet met, each metric starting at its last value."""
    carried = []
    for draft in previous.drafts:
        if draft.status in ("done", "dropped"):
            continue
        krs = []
        for kr in draft.key_results:
            if kr.progress >= 1.0 or (kr.milestone and kr.done):
                continue
            last = kr.current if kr.current is not None else kr.start
            krs.append(replace(kr, start=last, current=None, confidence=None, note=None, progress=0.0,
                               momentum=rng.uniform(0.5, 1.3)))
        if krs:
            carried.append(replace(draft, period=period, key_results=krs, carried_from=draft.id,
                                   body=retrospective.split(draft.body)[0]))
    return carried


def close_day(previous: PreviousPeriod) -> date:
    return previous.period.end + timedelta(days=1)
