"""`okrs demo DIR`: a sample OKR repository with weeks of backdated weekly check-ins.

The history is written with ``git fast-import`` (thousands of commits in a second) with
fixed author and committer dates, so the same seed gives the same commit ids. The site
configuration, schemas and theme overrides are copied from the repository at ``--root``
(or from the checkout this package runs from), so the demo builds like the real thing.
"""

from __future__ import annotations

import os
import random
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Callable

from generator.demo import previous_period
from generator.demo.archive import IMPORTED, Archive, import_day, make_archive
from generator.demo.organisation import (NOTES, ObjectiveDraft, Organisation, maintained_value, make_organisation,
                                         render_objective, render_people)

TEMPLATE_ITEMS = ("mkdocs.yml", "schema", "site_overrides", "docs")
# docs/ is the demo's own (empty) docs folder from the checkout: the --root repository's
# docs/ (by default the current directory's) holds someone's own pages, never the demo's.
PACKAGE_ONLY_ITEMS = frozenset({"docs"})
_SKIPPED = {"__pycache__", ".DS_Store"}
# (period, Monday of the set-up week, weeks in the period); check-ins start the week after.
_PERIODS = ((13, "2026-Q4", date(2026, 9, 21)), (26, "2026-H2", date(2026, 6, 22)), (None, "2026", date(2025, 12, 22)))
_RENAMES = {
    "reliability": "reliability-and-uptime", "speed": "performance", "growth": "market-growth",
    "quality": "release-confidence", "customers": "customer-delight", "efficiency": "cost-efficiency",
    "scale": "scale-readiness", "foundations": "solid-foundations", "launch": "new-product-launch",
    "hiring": "hiring-and-retention", "trust": "customer-trust", "insight": "data-driven-decisions",
}
class DemoError(Exception):
    """The demo cannot be created; the message says why."""


@dataclass
class _Commit:
    when: datetime
    author: str
    subject: str
    body: str = ""
    files: dict[str, bytes | None] = field(default_factory=dict)  # path -> content, None: deleted
    renames: list[tuple[str, str]] = field(default_factory=list)


def create_demo(target: Path, *, weeks: int = 8, objectives: int = 24, seed: int = 1,
                template_root: Path | None = None, commits: int | None = None, closed_years: int = 0) -> str:
    """Create the repository; returns a one-line summary. ``commits`` fixes the number of
    check-in commits (for benchmarks); by default about 85% of objectives check in weekly.
    ``closed_years`` adds that many years of closed periods before the demo's (archive.py)."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise DemoError(f"{target} is not empty: okrs demo writes a new repository; give it a new or empty folder")
    rng = random.Random(seed)
    period_weeks, period, setup = next((w or 52, p, d) for w, p, d in _PERIODS if w is None or weeks <= w)
    organisation = make_organisation(rng, objectives=objectives, period=period)
    # The previous period has its own random numbers: the rest of the demo stays as it was.
    story = _Story(rng, organisation, period_weeks=period_weeks, previous_rng=random.Random(f"{seed}:previous"),
                   archive=(lambda previous: make_archive(seed, organisation, period=period, years=closed_years,
                                                          objectives=objectives, previous=previous))
                   if closed_years > 0 else None)
    history = story.tell(setup, weeks=weeks, templates=template_files(template_root or Path.cwd()),
                         checkins=commits)
    _write_repository(target, history, organisation.people)
    last_day = setup + timedelta(weeks=weeks, days=6)
    imported = (f", and {story.archive.periods} closed periods before it ({story.archive.objectives:,} more "
                "objectives)" if closed_years else "")
    return (f"created {target}: {objectives} objectives of {len(organisation.teams)} teams and "
            f"{len(organisation.people)} people, {len(history)} commits over {weeks} weeks of check-ins "
            f"(up to {last_day.isoformat()}){imported}; "
            f"try `okrs build --root {target} --as-of {last_day.isoformat()}`")


# -- the template files ---------------------------------------------------------------


def template_files(root: Path, *, checkout: Path = Path(__file__).resolve().parents[2]) -> dict[str, bytes]:
    """mkdocs.yml, schema/ and site_overrides/ from ``root``, else from the checkout this
    package runs from; docs/ from the checkout only. An installed package has no checkout:
    then `okrs init`'s mkdocs.yml and the packaged theme overrides (the site's stylesheet
    and scripts), the packaged schemas and an empty docs/ (MkDocs needs the folder)."""
    files: dict[str, bytes] = {}
    for item in TEMPLATE_ITEMS:
        bases = (checkout,) if item in PACKAGE_ONLY_ITEMS else (root, checkout)
        source = next((base / item for base in bases if (base / item).exists()), None)
        if source is None:
            continue
        if source.is_file():
            files[item] = source.read_bytes()
            continue
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source)
            if path.is_file() and not _SKIPPED & set(relative.parts):
                files[f"{item}/{relative.as_posix()}"] = path.read_bytes()
    if "mkdocs.yml" not in files:
        from generator.lifecycle.init import repository_files
        packaged = repository_files(org="Demo", site_url=None, repo_url=None, today=date.today())
        files["mkdocs.yml"] = packaged["mkdocs.yml"]
        if not any(name.startswith("site_overrides/") for name in files):
            files.update({name: body for name, body in packaged.items() if name.startswith("site_overrides/")})
    if not any(name.startswith("docs/") for name in files):
        files["docs/.gitkeep"] = b""  # git keeps no empty folder
    if not any(name.startswith("schema/") for name in files):
        from generator.reading import schemas
        for name in (schemas.OBJECTIVE, schemas.PEOPLE):
            files[f"schema/{name}"] = schemas.schema_path(root, name).read_bytes()
    return files


# -- the story: set-up, weekly check-ins and a few events -----------------------------


_MOVES_PER_WEEK = 0.85 * 0.85 * (0.9 - 0.1 * 0.5)


class _Story:
    def __init__(self, rng: random.Random, organisation: Organisation, *, period_weeks: int,
                 previous_rng: random.Random | None = None,
                 archive: Callable[[previous_period.PreviousPeriod], Archive] | None = None) -> None:
        self.rng = rng
        self.previous_rng = previous_rng or random.Random(0)
        self.make_archive = archive  # None: no closed years before the previous period
        self.archive = Archive()
        self.org = organisation
        self.period_weeks = period_weeks
        self.active: list[ObjectiveDraft] = []
        self.commits: list[_Commit] = []

    def tell(self, setup: date, *, weeks: int, templates: dict[str, bytes], checkins: int | None) -> list[_Commit]:
        rng, org = self.rng, self.org
        team_objectives = [d for d in org.objectives if d.team != "company"]
        late = team_objectives[-1] if len(team_objectives) > 1 else None
        self.active = [d for d in org.objectives if d is not late]
        ceo = org.teams["company"]["lead"]
        # The previous period first: it adds the person who left to the registry.
        previous = previous_period.make_previous(self.previous_rng, org, period=org.objectives[0].period)
        files = dict(templates)
        files.update({".gitignore": b"site/\n.okrs-cache/\n", "README.md": _README.encode(), "okrs/README.md": _OKRS_README.encode(),
                      "okrs/people.yaml": render_people(org).encode()})
        files.update({d.path: render_objective(d).encode() for d in self.active})
        if previous is not None:
            files.update(previous_period.setup_files(previous))
            if self.make_archive is not None:  # the older periods imported first, then the previous one's rest
                self.archive = self.make_archive(previous)
                for period, closed in self.archive.older:
                    self._commit(_at(import_day(period), 0, 10), ceo, f"Close {period.name}: scores and retrospectives",
                                 IMPORTED, closed)
                files.update(self.archive.previous_ended)
        self._commit(_at(setup, 0, 9), ceo, f"Set up the {org.objectives[0].period} OKRs",
                     "The objectives every team agreed on in planning week.", files)
        events = self._events(weeks, late, [d for d in team_objectives if d is not late])
        if previous is not None and weeks >= 2:  # closed and carried on the Monday after it ended
            events.setdefault(1, []).extend([lambda when: self._close(previous, ceo, when),
                                             lambda when: self._carry(previous, when)])
        neglected = {id(d): rng.randrange(1, max(2, weeks)) for d in org.objectives if rng.random() < 0.1}
        for week in range(weeks):
            monday = setup + timedelta(weeks=week + 1)
            for minute, event in enumerate(events.get(week, [])):
                event(_at(monday, 0, 10, minute * 7))
            if week == 1:  # baselines pending since the planning week are measured now
                self._measure_baselines(_at(monday, 0, 11))
            for when, draft in self._slots(monday, week, weeks, checkins, neglected):
                self._check_in(draft, when, week)
        return self.commits

    def _events(self, weeks: int, late: ObjectiveDraft | None, candidates: list[ObjectiveDraft]) -> dict:
        """An objective added late, a rename, a dropped key result, an owner handover, an
        eased target and a dropped objective, a week apart (all of them in week 0 if need be)."""
        rng = self.rng
        picks = rng.sample(candidates, min(5, len(candidates))) if candidates else []
        pick = (lambda i: picks[i % len(picks)]) if picks else (lambda i: None)
        plan = [(1, self._add, late), (2, self._rename, pick(0)), (3, self._drop_key_result, pick(1)),
                (4, self._handover, pick(2)), (5, self._ease_target, pick(3)), (6, self._drop_objective, pick(4))]
        events: dict[int, list] = {}
        for week, action, draft in plan:
            if draft is not None:
                events.setdefault(min(week, weeks - 1), []).append(lambda when, a=action, d=draft: a(d, when))
        return events

    def _slots(self, monday: date, week: int, weeks: int, checkins: int | None,
               neglected: dict[int, int]) -> list[tuple[datetime, ObjectiveDraft]]:
        rng = self.rng
        eligible = [d for d in self.active if d.status == "active"]
        if checkins is None:
            chosen = [d for d in eligible if week < neglected.get(id(d), weeks) and rng.random() < 0.85]
        else:
            count = checkins // weeks + (week < checkins % weeks)
            offset = rng.randrange(len(eligible)) if eligible else 0
            chosen = [eligible[(offset + i) % len(eligible)] for i in range(count)] if eligible else []
        # Working hours, Monday to Friday, 09:00 to 18:00 UTC.
        seconds = sorted(rng.randrange(5) * 86400 + rng.randrange(9 * 3600) for _ in chosen)
        return [(_at(monday, 0, 9) + timedelta(seconds=s + i), d) for i, (s, d) in enumerate(zip(seconds, chosen))]

    # -- commits ------------------------------------------------------------------------

    def _commit(self, when: datetime, author: str, subject: str, body: str = "",
                files: dict[str, bytes | None] | None = None, renames: list | None = None) -> None:
        self.commits.append(_Commit(when, author, subject, body, files or {}, renames or []))

    def _save(self, draft: ObjectiveDraft, when: datetime, author: str, subject: str, body: str = "") -> None:
        self._commit(when, author, subject, body, {draft.path: render_objective(draft).encode()})

    def _check_in(self, draft: ObjectiveDraft, when: datetime, week: int) -> None:
        rng = self.rng
        before = render_objective(draft)
        chosen = [kr for kr in draft.key_results if rng.random() < 0.85] or [rng.choice(draft.key_results)]
        lines = []
        for kr in chosen:
            # A key result moves in about 62% of the weeks (its objective checked in 85% of them,
            # itself in 85% of those), by 85% of a step on average (one in ten steps goes back
            # half): dividing by both makes it end the period near its momentum.
            step = kr.momentum / (self.period_weeks * _MOVES_PER_WEEK) * rng.uniform(0.2, 1.8)
            kr.progress = max(0.0, kr.progress + (step if rng.random() > 0.1 else -step / 2))
            if kr.milestone:
                kr.done = kr.done or kr.progress >= 1.0
                lines.append(f"{kr.id}: {'done' if kr.done else 'in progress'}")
            elif kr.maintain:
                old, kr.current = kr.current, maintained_value(rng, kr)
                lines.append(f"{kr.id}: {old} -> {kr.current}")
            elif kr.start is None:  # see _measure_baselines
                lines.append(f"{kr.id}: baseline being measured")
            else:
                old = kr.current if kr.current is not None else kr.start
                value = kr.start + (kr.target - kr.start) * kr.progress
                kr.current = int(round(value)) if kr.decimals == 0 else round(value, kr.decimals)
                lines.append(f"{kr.id}: {old} -> {kr.current}")
            if rng.random() < 0.5 or kr.confidence is None:
                belief = 0.55 + (kr.momentum - 0.7) * 0.8 + rng.uniform(-0.15, 0.15)
                kr.confidence = round(min(0.95, max(0.1, belief)), 1)
            if rng.random() < 0.3:
                kr.note = rng.choice(NOTES)
        if render_objective(draft) == before:  # nothing moved: say so in a note
            chosen[0].note = f"No change in week {week + 1}."
        self._save(draft, when, chosen[0].owner, f"Check in {draft.team}/{draft.slug}", "\n".join(lines))

    def _close(self, previous: previous_period.PreviousPeriod, author: str, when: datetime) -> None:
        files = {**previous_period.closed_files(previous, rng=self.previous_rng), **self.archive.previous_closed}
        self._commit(when, author, f"Close {previous.period.name}: scores and retrospectives",
                     "okrs close, then each team wrote its retrospective; reviewed in one pull request.", files)

    def _carry(self, previous: previous_period.PreviousPeriod, when: datetime) -> None:
        carried = previous_period.carried_drafts(previous, period=self.org.objectives[0].period,
                                                 rng=self.previous_rng)
        if not carried:
            return
        self.active += carried
        self._commit(when, carried[0].owner, f"Carry {previous.period.name} into {carried[0].period}",
                     "okrs carry: what goes on, starting where it ended.",
                     {d.path: render_objective(d).encode() for d in carried})

    def _measure_baselines(self, when: datetime) -> None:
        """Metrics that started without a start (baseline pending) get theirs: one commit each objective."""
        for minute, draft in enumerate(d for d in self.active if any(kr.baseline is not None and kr.start is None
                                                                     for kr in d.key_results)):
            measured = [kr for kr in draft.key_results if kr.start is None and kr.baseline is not None]
            for kr in measured:
                kr.start, kr.progress = kr.baseline, 0.0
            self._save(draft, when + timedelta(minutes=minute), measured[0].owner,
                       f"Baseline measured for {draft.team}/{draft.slug}",
                       "\n".join(f"{kr.id}: start {kr.start}" for kr in measured))

    def _add(self, draft: ObjectiveDraft, when: datetime) -> None:
        self.active.append(draft)
        self._save(draft, when, draft.owner, f"Add objective {draft.id}",
                   "Agreed mid-period, after the planning week.")

    def _rename(self, draft: ObjectiveDraft, when: datetime) -> None:
        old = draft.path
        base, _, suffix = draft.slug.partition("-")
        slug = _RENAMES.get(base, base + "-renamed") + (f"-{suffix}" if suffix.isdigit() else "")
        taken = {d.slug for d in self.org.objectives if d.team == draft.team}
        while slug in taken:
            slug += "-new"
        draft.slug = slug
        self._commit(when, draft.owner, f"Rename {old[5:-3]} to {draft.id}",
                     "A clearer name; the history follows the file.", renames=[(old, draft.path)])

    def _drop_key_result(self, draft: ObjectiveDraft, when: datetime) -> None:
        if len(draft.key_results) < 2:
            return
        dropped = draft.key_results.pop()
        self._save(draft, when, draft.owner, f"Drop key result {draft.id}#{dropped.id}",
                   "It measured activity, not outcome.")

    def _handover(self, draft: ObjectiveDraft, when: datetime) -> None:
        kr = draft.key_results[0]
        members = [m for m in self.org.teams[draft.team]["members"] if m != kr.owner]
        if not members:
            return
        old, kr.owner = kr.owner, self.rng.choice(members)
        kr.note = "Handed over: the previous owner moved to another team."
        self._save(draft, when, old, f"Hand {draft.id}#{kr.id} over to {kr.owner}")

    def _ease_target(self, draft: ObjectiveDraft, when: datetime) -> None:
        metrics = [kr for kr in draft.key_results if not kr.milestone and not kr.maintain and kr.start is not None]
        if not metrics:
            return
        kr = metrics[0]
        eased = kr.target - (kr.target - kr.start) * 0.2
        eased = int(round(eased)) if kr.decimals == 0 else round(eased, kr.decimals)
        if eased in (kr.start, kr.target):
            return
        kr.target = eased
        kr.note = "Target eased after the mid-period review."
        self._save(draft, when, draft.owner, f"Ease the target of {draft.id}#{kr.id}")

    def _drop_objective(self, draft: ObjectiveDraft, when: datetime) -> None:
        draft.status = "dropped"
        draft.body += "\n**Dropped** mid-period: the team moved to a higher-priority project.\n"
        self._save(draft, when, draft.owner, f"Drop objective {draft.id}")


def _at(monday: date, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(monday + timedelta(days=day), time(hour, minute), tzinfo=timezone.utc)


# -- git ------------------------------------------------------------------------------


def _write_repository(target: Path, commits: list[_Commit], people: dict[str, str]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    stream = bytearray()
    for index, commit in enumerate(commits):
        name = people.get(commit.author, commit.author)
        who = f"{name} <{commit.author}@example.com> {int(commit.when.timestamp())} +0000"
        message = (commit.subject + ("\n\n" + commit.body if commit.body else "") + "\n").encode()
        stream += f"commit refs/heads/main\nmark :{index + 1}\nauthor {who}\ncommitter {who}\n".encode()
        stream += b"data %d\n" % len(message) + message
        if index:
            stream += f"from :{index}\n".encode()
        for old, new in commit.renames:
            stream += f"R {_quote(old)} {_quote(new)}\n".encode()
        for path in sorted(commit.files):
            content = commit.files[path]
            if content is None:
                stream += f"D {_quote(path)}\n".encode()
            else:
                stream += f"M 100644 inline {_quote(path)}\n".encode() + b"data %d\n" % len(content) + content + b"\n"
        stream += b"\n"
    stream += b"done\n"
    _git(target, "init", "-q")
    _git(target, "symbolic-ref", "HEAD", "refs/heads/main")
    _git(target, "fast-import", "--quiet", "--done", input=bytes(stream))
    _git(target, "reset", "-q", "--hard")


def _quote(path: str) -> str:
    if all(c.isalnum() or c in "-_./" for c in path):
        return path
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _git(cwd: Path, *args: str, input: bytes | None = None) -> None:
    environment = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    try:
        result = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True, env=environment)
    except FileNotFoundError:
        raise DemoError("git is not installed: okrs demo writes a git repository") from None
    if result.returncode:
        raise DemoError(f"git {args[0]} failed in {cwd}: {result.stderr.decode(errors='replace').strip()}")


_README = """\
# OKR demo repository

Made by `okrs demo`: a made-up organisation, its objectives and key results under
`okrs/`, and weeks of weekly check-in commits. Try:

    okrs check --root .
    okrs changelog --root . --format markdown
    okrs build --root .
"""

_OKRS_README = """\
# OKR data

`people.yaml` lists the people and teams; every other `*.md` file is one objective with its
key results in YAML front matter. Check in progress by editing `current`, `confidence` and
`note` (or `done`) in a pull request: the git history is the check-in log.
"""
