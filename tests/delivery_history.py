"""A small OKR repository whose owners are due for a check-in in known ways, for the
`okrs remind` and `okrs mail` tests.

As of AS_OF (Thursday of 2026-W47, stale after 2 weeks): see PLANS for who did what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from gitrepo import GitRepo

AS_OF = date(2026, 11, 19)
WEEK_START = date(2026, 11, 16)
STALE_AFTER = timedelta(weeks=2)
SITE_URL = "https://okrs.acme.test/"

PEOPLE = """\
people:
  ana: {name: Ana Alves, email: ana@acme.test, github: ana-gh}
  ben: {name: Ben Berg, email: ben@acme.test, github: ben-b}
  cai: {name: Cai Chu, email: cai@acme.test}
  dee: {name: Dee Diaz, email: dee@acme.test, github: dee-d}
  eve: {name: Eve Ek, email: eve@acme.test, github: eve-e}
  fay: {name: Fay Fu, github: fay-f}
teams:
  core: {name: Core, lead: ana, members: [ana, ben, cai, dee, eve, fay]}
"""


@dataclass(frozen=True)
class Plan:
    """One key result: its owner, and the days it was checked in (current set to a value)."""

    objective: str  # file name under okrs/2026-Q4/core/
    kr: str
    owner: str
    checkins: tuple[date, ...] = ()
    reaches_target: bool = False  # the last check-in meets the target: done, never due
    dropped: bool = False  # its objective is dropped: never due


ADDED = date(2026, 10, 5)
PLANS = (
    Plan("speed", "latency", "ana", (date(2026, 11, 17),)),            # this week
    Plan("speed", "errors", "ana", (date(2026, 11, 10),)),             # last week, but ana checked in this week
    Plan("speed", "throughput", "ben", (date(2026, 10, 20),)),         # stale
    Plan("docs", "guides", "cai", (date(2026, 11, 10),)),              # not stale, none this week
    Plan("docs", "uptime", "dee"),                                     # never: stale since its addition
    Plan("docs", "signups", "eve", (date(2026, 10, 12),), reaches_target=True),  # done
    Plan("legacy", "migrate", "fay", dropped=True),                    # dropped objective
)


def due_owners() -> dict[str, set[str]]:
    """What the reminder rule gives for PLANS, computed here from the schedule: owner -> the
    key results listed (those without a check-in this week), for owners with a stale key
    result or no check-in this week."""
    open_plans = [p for p in PLANS if not p.reaches_target and not p.dropped]
    owners: dict[str, set[str]] = {}
    for owner in {p.owner for p in open_plans}:
        mine = [p for p in open_plans if p.owner == owner]
        last = {p.kr: max(p.checkins, default=None) for p in mine}
        stale = any(AS_OF - (last[p.kr] or ADDED) > STALE_AFTER for p in mine)
        this_week = any(last[p.kr] and last[p.kr] >= WEEK_START for p in mine)
        if stale or not this_week:
            owners[owner] = {p.kr for p in mine if not (last[p.kr] and last[p.kr] >= WEEK_START)}
    return owners


def _objective(name: str, values: dict[str, float | None]) -> str:
    plans = [p for p in PLANS if p.objective == name]
    lines = ["---", f"objective: The {name} objective", "owner: ana", "team: core", "period: 2026-Q4"]
    if any(p.dropped for p in plans):
        lines.append("status: dropped")
    lines.append("key_results:")
    for p in plans:
        lines += [f"  - id: {p.kr}", f"    title: The {p.kr} key result", f"    owner: {p.owner}",
                  "    start: 0", "    target: 100"]
        if values.get(p.kr) is not None:
            lines.append(f"    current: {values[p.kr]}")
    return "\n".join(lines + ["---", ""])


def make_repository(root: Path, *, site_url: str | None = SITE_URL) -> GitRepo:
    repo = GitRepo.create(root)
    if site_url:
        repo.write("mkdocs.yml", f"site_name: Acme OKRs\nsite_url: {site_url}\nplugins:\n  - okrs\n")
    repo.write("okrs/people.yaml", PEOPLE)
    values: dict[str, float | None] = {}
    names = sorted({p.objective for p in PLANS})

    def write_all() -> None:
        for name in names:
            repo.write(f"okrs/2026-Q4/core/{name}.md", _objective(name, values), dedent=False)

    write_all()
    repo.commit("Add the Q4 objectives", date=f"{ADDED.isoformat()}T09:00:00+00:00", author="Ana Alves")
    days = sorted({(day, p) for p in PLANS for day in p.checkins}, key=lambda d: (d[0], d[1].kr))
    for number, (day, plan) in enumerate(days, start=1):
        values[plan.kr] = 100 if plan.reaches_target and day == max(plan.checkins) else 10 * number
        write_all()
        repo.commit(f"Check in {plan.kr}", date=f"{day.isoformat()}T10:00:00+00:00", author=plan.owner.title())
    return repo
