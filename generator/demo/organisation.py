"""A made-up organisation for `okrs demo`: people, teams and objectives, rendered as files.

Pure and seeded: the same ``random.Random`` gives the same organisation. Nothing here
touches the disk or git; demo.py turns it into a repository with history.
"""

from __future__ import annotations

import json
import math
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from generator.model.core import parse_period

FIRST_NAMES = (
    "Amara", "Bruno", "Chiara", "Dmitri", "Farah", "Kenji", "Liam", "Priya", "Mei", "Noah", "Sofia", "Hana",
    "Yusuf", "Tomas", "Rafael", "Leila", "Ines", "Jonas", "Aiko", "Mateo", "Zara", "Oskar", "Nadia", "Emeka",
    "Lucia", "Arjun", "Freya", "Diego", "Selin", "Kwame", "Elif", "Marek", "Aylin", "Pablo", "Greta", "Ravi",
    "Nora", "Tariq", "Ingrid", "Kofi", "Maya", "Stefan", "Yara", "Hugo", "Anika", "Omar", "Lena", "Jorge",
)
LAST_NAMES = (
    "Okafor", "Castellanos", "Bianchi", "Volkov", "Haddad", "Watanabe", "O'Connor", "Raman", "Chen", "Adeyemi",
    "Lindqvist", "Novak", "Demir", "Herrera", "Mendes", "Ahmadi", "Schmidt", "Kowalski", "Tanaka", "Silva",
    "Nguyen", "Larsen", "Moreau", "Costa", "Rossi", "Jansen", "Ivanova", "Kaya", "Mensah", "Dubois",
)
DEPARTMENTS = (("engineering", "Engineering"), ("product", "Product"), ("go-to-market", "Go-to-Market"),
               ("operations", "Operations"))
TEAMS = (
    ("platform", "Platform", 0), ("payments", "Payments", 0), ("checkout", "Checkout", 0),
    ("identity", "Identity", 0), ("search", "Search", 0), ("mobile", "Mobile", 0), ("web", "Web", 0),
    ("data", "Data", 0), ("infrastructure", "Infrastructure", 0), ("security", "Security", 0),
    ("api", "API", 0), ("billing", "Billing", 0), ("notifications", "Notifications", 0),
    ("integrations", "Integrations", 0), ("ml", "Machine Learning", 0), ("devex", "Developer Experience", 0),
    ("storage", "Storage", 0), ("observability", "Observability", 0),
    ("onboarding", "Onboarding", 1), ("growth", "Growth", 1), ("pricing", "Pricing", 1), ("design", "Design", 1),
    ("research", "User Research", 1), ("analytics", "Analytics", 1), ("marketplace", "Marketplace", 1),
    ("sales", "Sales", 2), ("marketing", "Marketing", 2), ("partnerships", "Partnerships", 2),
    ("customer-success", "Customer Success", 2), ("support", "Customer Support", 2), ("brand", "Brand", 2),
    ("content", "Content", 2), ("community", "Community", 2),
    ("finance", "Finance", 3), ("people-ops", "People Operations", 3), ("legal", "Legal", 3),
    ("it", "IT", 3), ("procurement", "Procurement", 3),
)
# id, title ({start}/{target} are filled in), start, target, unit, decimals
METRICS = (
    ("p99-latency", "p99 latency of the main API under {target} ms", 850, 300, "ms", 0),
    ("availability", "Availability from {start}% to {target}%", 99.0, 99.9, "%", 2),
    ("sev1-incidents", "Sev-1 incidents per month from {start} to {target}", 10, 2, None, 0),
    ("deploys", "Deploys per week from {start} to {target}", 12, 40, None, 0),
    ("lead-time", "Lead time for changes from {start} to {target} hours", 72, 24, "h", 0),
    ("conversion", "Conversion from {start}% to {target}%", 71, 78, "%", 1),
    ("activation", "Activated sign-ups from {start}% to {target}%", 32, 45, "%", 1),
    ("retention", "Week-4 retention from {start}% to {target}%", 38, 46, "%", 1),
    ("nps", "NPS from {start} to {target}", 31, 45, None, 0),
    ("csat", "CSAT from {start}% to {target}%", 84, 92, "%", 1),
    ("first-response", "Median first response from {start} to {target} minutes", 95, 30, "min", 0),
    ("old-tickets", "Tickets older than 7 days from {start} to {target}", 420, 100, None, 0),
    ("new-arr", "New ARR of €{target}k", 0, 1200, "€k", 0),
    ("pipeline", "Qualified pipeline of ${target}M", 0.5, 3, "$M", 1),
    ("win-rate", "Win rate from {start}% to {target}%", 18, 25, "%", 1),
    ("churn", "Monthly logo churn from {start}% to {target}%", 2.4, 1.5, "%", 1),
    ("unit-cost", "Cloud cost per active user from {start} to {target} cents", 42, 30, "¢", 0),
    ("coverage", "Test coverage of critical paths from {start}% to {target}%", 55, 80, "%", 0),
    ("build-time", "CI build time from {start} to {target} minutes", 38, 15, "min", 0),
    ("crash-free", "Crash-free sessions from {start}% to {target}%", 98.1, 99.5, "%", 1),
    ("page-weight", "Median page weight from {start} to {target} kB", 2400, 1200, "kB", 0),
    ("hires", "{target} hires made", 0, 6, None, 0),
    ("ramp-up", "Days to first merged change for new hires from {start} to {target}", 12, 3, "days", 0),
    ("documented", "Public API endpoints documented from {start}% to {target}%", 40, 100, "%", 0),
    ("self-service", "Tickets solved by self-service from {start}% to {target}%", 12, 30, "%", 0),
    ("close-days", "Days to close the books from {start} to {target}", 12, 5, "days", 0),
    ("vuln-age", "Median age of critical vulnerabilities from {start} to {target} days", 45, 7, "days", 0),
    ("signups", "Weekly sign-ups from {start} to {target}", 1800, 2600, None, 0),
    ("leads", "Marketing-qualified leads per month from {start} to {target}", 350, 600, None, 0),
    ("engagement", "Engagement survey score from {start} to {target}", 68, 75, None, 0),
)
# Values kept within bounds: id, title, at_least, at_most, unit, decimals, a typical current value.
MAINTAINS = (
    ("unsubscribe-rate", "Keep the unsubscribe rate at most 1%", None, 1.0, "%", 2, 0.7),
    ("cloud-spend", "Keep weekly cloud spend between $40k and $50k", 40, 50, "$k", 1, 45),
    ("availability-floor", "Keep availability at least 99.95%", 99.95, None, "%", 2, 99.97),
    ("exceptions", "Fewer than 50 audit exceptions this period", None, 50, None, 0, 20),
)
MILESTONES = (
    ("failover-drill", "Multi-region failover drill passes"), ("soc2", "SOC 2 Type II audit passed"),
    ("eu-launch", "Launched in three EU markets"), ("sso", "Single sign-on generally available"),
    ("pricing-page", "New pricing page live"), ("runbooks", "A runbook for every paging alert"),
    ("data-catalogue", "Data catalogue covers every tier-1 table"),
    ("kubernetes", "Last VM workload moved to Kubernetes"),
    ("partner-programme", "Partner programme launched with ten partners"),
    ("handbook", "Public engineering handbook published"),
)
OBJECTIVES = (
    ("reliability", "Make {team} boringly reliable"), ("speed", "Make {team} fast everywhere"),
    ("growth", "Grow {team} faster than the market"), ("quality", "Ship with confidence in {team}"),
    ("customers", "Delight the customers of {team}"), ("efficiency", "Do more with less in {team}"),
    ("scale", "Get {team} ready for ten times the load"), ("foundations", "Strengthen the foundations of {team}"),
    ("launch", "Launch the next big thing in {team}"), ("hiring", "Build a team people want to join"),
    ("trust", "Earn our customers' trust in {team}"), ("insight", "Decide with data in {team}"),
)
COMPANY_OBJECTIVES = (
    ("revenue-growth", "Grow revenue profitably"), ("customer-trust", "Be the most trusted product in our market"),
    ("velocity", "Ship faster without breaking things"), ("great-place", "Be a great place to work"),
    ("new-markets", "Expand into new markets"),
)
NOTES = (
    "On track after this week's release.", "Slower than planned: waiting on a vendor fix.",
    "Big jump after the experiment shipped to everyone.", "Flat this week; the holiday freeze slowed us down.",
    "Recovered after last week's incident.", "Measured on the new dashboard from now on.",
    "Two people out sick; next week should catch up.", "Rolled out to 50% of users; full rollout next week.",
    "Blocked on the data pipeline migration; escalated.", "Ahead of plan thanks to help from the Platform team.",
)
TAGS = ("reliability", "customers", "cost", "speed", "quality", "hiring", "security", "growth", "eu")


@dataclass
class KeyResultDraft:
    id: str
    title: str
    owner: str
    start: float | None = None
    target: float | None = None
    unit: str | None = None
    decimals: int = 0
    milestone: bool = False
    maintain: bool = False
    at_least: float | None = None
    at_most: float | None = None
    stretch: float | None = None
    due: date | None = None  # a milestone's due date (None: the period's end)
    baseline: float | None = None  # while `start` is None (baseline pending): the start it will get
    current: float | None = None
    done: bool = False
    confidence: float | None = None
    note: str | None = None
    momentum: float = 1.0  # how far toward its target this key result will get over the period
    progress: float = 0.0


@dataclass
class ObjectiveDraft:
    slug: str
    title: str
    owner: str
    team: str
    period: str
    key_results: list[KeyResultDraft]
    parent: str | None = None
    status: str = "active"
    contributors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    body: str = ""
    carried_from: str | None = None

    @property
    def id(self) -> str:
        return f"{self.period}/{self.team}/{self.slug}"

    @property
    def path(self) -> str:
        return f"okrs/{self.id}.md"


@dataclass
class Organisation:
    people: dict[str, str]  # id -> full name
    teams: dict[str, dict]  # id -> {name, lead, members, parent}
    objectives: list[ObjectiveDraft]
    left: dict[str, date] = field(default_factory=dict)  # id -> the day they left (people.yaml `left:`)


def make_organisation(rng: random.Random, *, objectives: int, period: str) -> Organisation:
    """``objectives`` objectives: a few company ones, the rest spread over teams of 3 to 5."""
    team_count = max(1, math.ceil((objectives - _company_count(objectives)) / 3))
    names = _names(rng, team_count * 5 + len(DEPARTMENTS) + 1)  # enough for the largest teams
    people: dict[str, str] = {}

    def hire() -> str:
        ident, name = names.pop()
        people[ident] = name
        return ident

    ceo = hire()
    teams: dict[str, dict] = {"company": {"name": "Company", "lead": ceo, "members": [ceo], "parent": None}}
    for ident, name in DEPARTMENTS:
        lead = hire()
        teams["company"]["members"].append(lead)
        teams[ident] = {"name": name, "lead": lead, "members": [lead], "parent": "company"}
    for index in range(team_count):
        ident, name, department = TEAMS[index % len(TEAMS)]
        if index >= len(TEAMS):
            ident, name = f"{ident}-{index // len(TEAMS) + 1}", f"{name} {index // len(TEAMS) + 1}"
        members = [hire() for _ in range(rng.randint(3, 5))]
        teams[ident] = {"name": name, "lead": members[0], "members": members,
                        "parent": DEPARTMENTS[department][0]}
    drafts = plan_objectives(rng, teams, objectives=objectives, period=period)
    _use_every_type(rng, [d for d in drafts if d.team != "company"])
    return Organisation(people, teams, drafts)


def plan_objectives(rng: random.Random, teams: dict[str, dict], *, objectives: int, period: str,
                    used: set[str] | None = None) -> list[ObjectiveDraft]:
    """A period's objectives: a few company ones, the rest over the teams in turn, aligned to
    them; ``used`` holds the period's `team/slug` names taken already (and gets the new ones)."""
    company_count, used = _company_count(objectives), set() if used is None else used
    drafts = [_company_objective(rng, slug, title, teams["company"]["members"], period)
              for slug, title in COMPANY_OBJECTIVES[:company_count]]
    team_ids = [t for t in teams if t != "company" and t not in dict(DEPARTMENTS)]
    for index in range(objectives - company_count):
        team = team_ids[index % len(team_ids)]
        parent = drafts[rng.randrange(company_count)].id if company_count else None
        drafts.append(_team_objective(rng, team, teams[team], period, parent, used))
    return drafts


def _company_count(objectives: int) -> int:  # of a period of ``objectives`` objectives
    return 0 if objectives < 3 else max(1, min(len(COMPANY_OBJECTIVES), objectives // 8))


def _use_every_type(rng: random.Random, drafts: list[ObjectiveDraft]) -> None:
    """Whatever the seed, the demo shows every kind of key result: a maintain one, a
    metric with a stretch goal, one with its baseline pending, a milestone with a due
    date (more of each at random in larger organisations)."""
    period = parse_period(drafts[0].period) if drafts else None
    kept = 0  # maintain key results made so far: each next one of MAINTAINS
    for index, draft in enumerate(drafts):
        metrics = [kr for kr in draft.key_results if not kr.milestone]
        role = index % 8 if index >= 4 else index
        if role == 0 or (role > 3 and rng.random() < 0.25):
            ident, title, low, high, unit, decimals, typical = MAINTAINS[kept % len(MAINTAINS)]
            kept += 1
            if all(kr.id != ident for kr in draft.key_results):
                draft.key_results[0] = KeyResultDraft(ident, title, draft.key_results[0].owner, unit=unit,
                                                      decimals=decimals, maintain=True, at_least=low, at_most=high,
                                                      current=typical, momentum=rng.uniform(0.3, 1.2))
        elif role == 1 and metrics:
            for kr in reversed(metrics):  # a stretch that still makes sense: no 120%, no negative days
                stretch = _round(kr.target + (kr.target - kr.start) * 0.3, kr.decimals)
                if stretch != kr.target and stretch >= 0 and not (kr.unit == "%" and stretch > 100):
                    kr.stretch = stretch
                    break
        elif role == 2 and metrics:
            kr = metrics[-1]
            kr.baseline, kr.start = kr.start, None
        elif role == 3 and period is not None:
            ident, title = MILESTONES[index % len(MILESTONES)]
            if all(kr.id != ident for kr in draft.key_results):
                draft.key_results[-1] = KeyResultDraft(ident, title, draft.key_results[-1].owner, milestone=True,
                                                       momentum=rng.uniform(0.5, 1.6))
            for kr in draft.key_results:
                if kr.milestone and kr.due is None:
                    kr.due = period.start + timedelta(days=int(period.days * 0.6))


def _names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Distinct (id, name) pairs, popped from the end."""
    taken: dict[str, int] = {}
    result = []
    for _ in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        base = first.lower()
        taken[base] = taken.get(base, 0) + 1
        ident = base if taken[base] == 1 else f"{base}{taken[base]}"
        result.append((ident, f"{first} {last}"))
    result.reverse()
    return result


def _company_objective(rng: random.Random, slug: str, title: str, members: list[str], period: str) -> ObjectiveDraft:
    owner = members[0]
    krs = [_metric(rng, spec, rng.choice(members)) for spec in rng.sample(METRICS, 3)]
    return ObjectiveDraft(slug, title, owner, "company", period, krs, tags=sorted(rng.sample(TAGS, 2)),
                          body=f"{title}: the company objective that team objectives align to.\n")


def _team_objective(rng: random.Random, team: str, info: dict, period: str, parent: str | None,
                    used: set[str]) -> ObjectiveDraft:
    slug, title = rng.choice(OBJECTIVES)
    base, number = slug, 2
    while f"{team}/{slug}" in used:
        slug, number = f"{base}-{number}", number + 1
    used.add(f"{team}/{slug}")
    members = info["members"]
    count = rng.randint(2, 4)
    krs = [_metric(rng, spec, rng.choice(members)) for spec in rng.sample(METRICS, count)]
    if rng.random() < 0.35:
        ident, kr_title = rng.choice(MILESTONES)
        if all(kr.id != ident for kr in krs):
            krs[-1] = KeyResultDraft(ident, kr_title, rng.choice(members), milestone=True,
                                     momentum=rng.uniform(0.3, 1.6))
    contributors = sorted(set(rng.sample(members, min(2, len(members)))) - {members[0]})
    return ObjectiveDraft(slug, title.format(team=info["name"]), members[0], team, period, krs, parent=parent,
                          contributors=contributors, tags=sorted(rng.sample(TAGS, rng.randint(0, 2))),
                          body=f"Why this matters to {info['name']} this period, and how we will know.\n")


def _metric(rng: random.Random, spec: tuple, owner: str) -> KeyResultDraft:
    ident, title, start, target, unit, decimals = spec
    factor = rng.uniform(0.9, 1.1)
    if start and unit != "%":  # percentages keep their bounds
        start = _round(start * factor, decimals)
    if start == target:
        start = _round(start + (1 if decimals == 0 else 10 ** -decimals), decimals)
    return KeyResultDraft(ident, title.format(start=_number(start), target=_number(target)), owner, start, target,
                          unit, decimals, momentum=rng.triangular(0.3, 1.2, 0.95))  # most near their target


def maintained_value(rng: random.Random, kr: KeyResultDraft) -> float:
    """A week's value of a kept-within-bounds key result: mostly within, now and then
    just outside (at risk) or further (off track), as real ones go."""
    low, high = kr.at_least, kr.at_most
    if low is not None and high is not None:
        value = rng.uniform(low - (high - low) * 0.3, high + (high - low) * 0.2)
    elif high is not None:
        value = high * rng.uniform(0.55, 1.12)
    else:
        value = low + abs(low) * rng.uniform(-0.0005, 0.0006)  # a floor like 99.95%: small moves matter
    return _round(value, kr.decimals)


def _round(value: float, decimals: int) -> float:
    return int(round(value)) if decimals == 0 else round(value, decimals)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# -- files ----------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.'()/&-]*")  # matched whole: `$` would let "x\n" pass
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def scalar(text: str) -> str:
    """A YAML scalar for ``text``: plain when that is safe, else double-quoted."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS and not text.endswith((" ", ".")):
        return text
    return json.dumps(text, ensure_ascii=False)


def render_objective(draft: ObjectiveDraft) -> str:
    lines = ["---", f"objective: {scalar(draft.title)}", f"owner: {draft.owner}", f"team: {draft.team}",
             f"period: {draft.period}"]
    if draft.parent:
        lines.append(f"parent: {draft.parent}")
    if draft.status != "active":
        lines.append(f"status: {draft.status}")
    if draft.carried_from:
        lines.append(f"carried_from: {draft.carried_from}")
    if draft.contributors:
        lines.append(f"contributors: [{', '.join(draft.contributors)}]")
    if draft.tags:
        lines.append(f"tags: [{', '.join(draft.tags)}]")
    lines.append("key_results:")
    for kr in draft.key_results:
        lines += [f"  - id: {kr.id}", f"    title: {scalar(kr.title)}", f"    owner: {kr.owner}"]
        if kr.milestone:
            lines += ["    type: milestone", f"    done: {'true' if kr.done else 'false'}"]
            if kr.due is not None:
                lines.append(f"    due: {kr.due.isoformat()}")
        elif kr.maintain:
            lines.append("    type: maintain")
            lines += [f"    {name}: {_number(bound)}" for name, bound in (("at_least", kr.at_least),
                                                                          ("at_most", kr.at_most)) if bound is not None]
            lines.append(f"    current: {_number(kr.current)}")
            if kr.unit:
                lines.append(f"    unit: {json.dumps(kr.unit, ensure_ascii=False)}")
        else:
            if kr.start is not None:  # none while the baseline is being measured
                lines.append(f"    start: {_number(kr.start)}")
            lines.append(f"    target: {_number(kr.target)}")
            if kr.stretch is not None:
                lines.append(f"    stretch: {_number(kr.stretch)}")
            if kr.current is not None:
                lines.append(f"    current: {_number(kr.current)}")
            if kr.unit:
                lines.append(f"    unit: {json.dumps(kr.unit, ensure_ascii=False)}")
        if kr.confidence is not None:
            lines.append(f"    confidence: {kr.confidence}")
        if kr.note:
            lines.append(f"    note: {scalar(kr.note)}")
    lines += ["---", draft.body]
    return "\n".join(lines)


def render_people(organisation: Organisation) -> str:
    lines = ["# People and teams of the demo organisation (made up by `okrs demo`).", "", "people:"]
    for ident in sorted(organisation.people):
        name = organisation.people[ident]
        left = f", left: {organisation.left[ident].isoformat()}" if ident in organisation.left else ""
        lines.append(f"  {ident}: {{name: {scalar(name)}, email: {ident}@example.com{left}}}")
    lines += ["", "teams:"]
    for ident, team in organisation.teams.items():
        lines += [f"  {ident}:", f"    name: {scalar(team['name'])}", f"    lead: {team['lead']}",
                  f"    members: [{', '.join(team['members'])}]"]
        if team["parent"]:
            lines.append(f"    parent: {team['parent']}")
    return "\n".join(lines) + "\n"
