"""Repository rules that a JSON schema cannot express: references, ids, cycles, periods.

Each rule reads located documents and returns findings; none prints or exits. The rules
tolerate documents that failed the schema (they look only at values of the right type),
so that one run reports everything.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Iterator, Mapping

from generator.reading.findings import ERROR, WARNING, Finding
from generator.reading.frontmatter import Document
from generator.model.core import People, Period, parse_period
from generator.reading.narrative import narrative_problem
from generator.reading.type_rules import TYPE_RULES, type_rules

# Every rule code okrs check can report, and what it means: shown on the site's
# "How to edit OKRs" page.
RULES = {
    "front-matter": "the --- block is missing, not closed, not a mapping, has a YAML syntax error, an anchor, alias or tag",
    "encoding": "the file is not UTF-8",
    "file-too-large": "the file is over 1 MiB and was not read",
    "duplicate-key": "a field appears twice in one mapping (YAML would silently keep the last)",
    "schema": "a field is unknown, of the wrong type, or out of range (YAML 1.1 traps like owner: no included)",
    "owner-missing": "an objective or key result has no owner",
    "owner-unknown": "an owner is not a person in people.yaml",
    "owner-not-person": "a team is given as owner while ownership is individual",
    "team-unknown": "the team is not in people.yaml",
    "contributor-unknown": "a contributor (or team member) is not a person in people.yaml",
    "duplicate-id": "two key results of one objective share an id, a person and a team share one, "
                    "or two objective files would be one page of the site (x.md and x/index.md)",
    "reserved-id": "a person, team or objective id is the name of a page the site makes itself (index)",
    "parent-unknown": "the parent is not an objective id",
    "parent-cycle": "parents loop back to the objective",
    "target-equals-start": "a metric's target equals its start",
    "period-invalid": "the period is not YYYY-Qn, YYYY-Hn, YYYY or a configured period",
    "path-invalid": "a folder or file name cannot be part of an objective id",
    "people-missing": "okrs/people.yaml does not exist",
    "not-a-file": "a symbolic link, named pipe or device where an objective file, folder or people.yaml is expected",
    "unreadable": "a file or folder could not be read (removed while reading, replaced by a folder, no permission)",
    "ignored-file": "a file ends in .MD, .markdown or the like and is not read: objective files end in .md (a warning)",
    "too-many-krs": "more key results than max_key_results (a warning); more than 50 or 10 times that, an error",
    "number-invalid": "a number is not finite (.nan, .inf) or more than 1e15 in size",
    "too-many-problems": "a file has more than 100 problems: the rest are counted, not listed",
    "narrative-too-complex": "the narrative is too long, has too many '[' or nests too deep to render; "
                             "the site shows it as plain text (a warning)",
    **TYPE_RULES,
}

# More key results than this (or 10 times max_key_results) is an error, not a warning: a
# file of thousands would only slow every build down and fill the site.
HARD_MAX_KEY_RESULTS = 50

# Matched whole (fullmatch): with `$`, "evil\n" would pass, `$` matching before a final newline.
SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")

# Person and team ids that name a page the site makes itself: people/index is the list of
# all people, teams/index that of all teams.
RESERVED_IDS = frozenset({"index"})


@dataclass(frozen=True)
class ObjectiveSource:
    """One objective file as read: its id, its path for messages, its located data."""

    id: str
    path: str
    document: Document


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """"; did you mean 'x'?" (or ""), after a note naming any look-alike character in ``name``."""
    return Suggestions(candidates)(name)


# "did you mean" costs a comparison with every candidate: bounded, so that thousands of
# unknown names against a large registry stay fast. A small registry is searched whole
# (the suggestion is the closest name); a large one only near the name in sorted order,
# read forwards and backwards (a typo keeps the start or the end of the name).
FULL_SEARCH_CANDIDATES = 200
NEIGHBOURS = 50  # on each side of the name, in each order
SUGGESTIONS_PER_KIND = 20  # distinct unknown names per kind that get a suggestion


@dataclass
class Suggestions:
    """"did you mean" against one set of names (people, teams, objective ids), cached per
    name; after SUGGESTIONS_PER_KIND names only the look-alike note is given."""

    candidates: Iterable[str]
    budget: int = SUGGESTIONS_PER_KIND
    _sorted: list[str] | None = field(default=None, repr=False)
    _reversed: list[tuple[str, str]] | None = field(default=None, repr=False)
    _memo: dict[str, str] = field(default_factory=dict, repr=False)

    def __call__(self, name: str) -> str:
        if name not in self._memo:
            close = None
            if self.budget > 0:
                self.budget -= 1
                close = self._closest(name)
            self._memo[name] = look_alike_note(name, close) + (f"; did you mean '{close}'?" if close else "")
        return self._memo[name]

    def _closest(self, name: str) -> str | None:
        if self._sorted is None:
            self._sorted = sorted(self.candidates)
        names = self._sorted
        if len(names) > FULL_SEARCH_CANDIDATES:
            if self._reversed is None:
                self._reversed = sorted((n[::-1], n) for n in names)
            at = bisect.bisect_left(names, name)
            back = bisect.bisect_left(self._reversed, (name[::-1], ""))
            near = set(names[max(0, at - NEIGHBOURS):at + NEIGHBOURS])
            near.update(n for _, n in self._reversed[max(0, back - NEIGHBOURS):back + NEIGHBOURS])
            names = sorted(near)
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        return close[0] if close else None


def look_alike_note(name: str, close: str | None = None) -> str:
    """": 'аlice' contains U+0430 CYRILLIC SMALL LETTER A, which looks like 'a'" for the
    non-ASCII characters of ``name`` (homoglyphs, invisible characters): a suggestion
    alone would not show why 'аlice' is not 'alice'."""
    odd = []
    for char in dict.fromkeys(c for c in name if not c.isascii()):
        described = f"U+{ord(char):04X} {unicodedata.name(char, 'an unnamed character')}"
        like = _plain_twin(char, name, close)
        odd.append(described + (f", which looks like '{like}'" if like else ""))
    return f": '{name}' contains {', '.join(odd)}" if odd else ""


def _plain_twin(char: str, name: str, close: str | None) -> str | None:
    """The ASCII character ``char`` passes for: its compatibility form (fullwidth 'ａ' is
    'a'), else the one at its place in the suggested name of the same length."""
    folded = unicodedata.normalize("NFKC", char)
    if folded != char and folded.isascii() and folded.isprintable():
        return folded
    if close is not None and len(close) == len(name):
        twin = close[name.index(char)]
        return twin if " " <= twin <= "~" else None
    return None


@dataclass
class RegistrySuggestions:
    """The suggestions for unknown persons and teams, shared by every file of a run."""

    persons: Suggestions
    teams: Suggestions

    @classmethod
    def of(cls, people: People) -> RegistrySuggestions:
        return cls(Suggestions(people.persons), Suggestions(people.teams))


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True, slots=True)
class ParentRef:
    """What the rules across files need of one objective: its id and its parent's place."""

    id: str
    path: str
    parent: str | None  # only a non-empty string counts
    line: int = 1
    column: int = 1


def parent_ref(source: ObjectiveSource) -> ParentRef:
    data = source.document.data if isinstance(source.document.data, dict) else {}
    parent = _str(data.get("parent"))
    return ParentRef(source.id, source.path, parent, *(source.document.value_at(("parent",)) if parent else (1, 1)))


def objective_rules(
    sources: list[ObjectiveSource],
    people: People | None,
    *,
    ownership: str,
    max_key_results: int,
    periods: Mapping[str, Period],
    people_path: str,
) -> list[Finding]:
    """Every rule over a set of objectives: each file's own, then those across files."""
    findings: list[Finding] = []
    for source in sources:
        findings += file_rules(source, people, ownership=ownership, max_key_results=max_key_results,
                               periods=periods, people_path=people_path)
    refs = [parent_ref(source) for source in sources]
    findings += parent_rules(refs)
    findings += page_rules(refs)
    return findings


def file_rules(source: ObjectiveSource, people: People | None, *, ownership: str, max_key_results: int,
               periods: Mapping[str, Period], people_path: str,
               suggestions: RegistrySuggestions | None = None, as_of: date | None = None,
               baseline_weeks: int | None = None) -> list[Finding]:
    """The rules that need only the file itself and the people registry (``suggestions``
    for its unknown names: pass one for all the files of a run, to bound their cost)."""
    findings = _path_rule(source)
    data = source.document.data if isinstance(source.document.data, dict) else {}
    if people is not None:
        suggest = suggestions or RegistrySuggestions.of(people)
        findings += _reference_rules(source, data, people, suggest, ownership=ownership, people_path=people_path)
    findings += _key_result_rules(source, data, max_key_results=max_key_results)
    findings += _period_rule(source, data, periods)
    findings += type_rules(source, data, periods=periods, as_of=as_of, baseline_weeks=baseline_weeks)
    findings += _narrative_rule(source)
    return findings


def _narrative_rule(source: ObjectiveSource) -> list[Finding]:
    problem = narrative_problem(source.document.body)
    if problem is None:
        return []
    return [Finding(source.path, source.document.body_line, 1, WARNING, "narrative-too-complex",
                    f"the narrative (the Markdown below the front matter) is too complex to render: {problem}; "
                    "the site shows it as plain text. Shorten it, or link to a longer document")]


def parent_rules(refs: list[ParentRef]) -> list[Finding]:
    """Parents that are no objective id, and parent loops: the rules across files."""
    ids = {ref.id for ref in refs}
    suggest = Suggestions(ids)
    findings = [
        Finding(ref.path, ref.line, ref.column, ERROR, "parent-unknown",
                f"parent '{ref.parent}' is not an objective id (a path under okrs/ without .md)"
                + suggest(ref.parent))
        for ref in refs if ref.parent and ref.parent not in ids
    ]
    by_id = {ref.id: ref for ref in refs}
    for start, loop in cycles({ref.id: ref.parent for ref in refs if ref.parent}):
        ref = by_id[start]
        findings.append(Finding(ref.path, ref.line, ref.column, ERROR, "parent-cycle",
                                f"parents form a loop: {loop}; an objective cannot align to itself, even indirectly"))
    return findings


def page_rules(refs: list[ParentRef]) -> list[Finding]:
    """Objective files that would be one page of the site: ``x.md`` and ``x/index.md`` are
    both objectives/x/ (an index page is its folder's page); reported at both files."""
    by_page: dict[str, list[ParentRef]] = {}
    for ref in refs:
        page = ref.id[:-len("/index")] if ref.id.endswith("/index") else ref.id
        by_page.setdefault(page, []).append(ref)
    findings = []
    for ref in by_page.get("index", []):  # objectives/index is the list of every objective
        findings.append(Finding(ref.path, 1, 1, ERROR, "reserved-id",
                                f"{ref.path} would be the page objectives/, the site's list of all objectives; "
                                "move it into a folder like okrs/<period>/<team>/ or rename it"))
    for page, same in by_page.items():
        if len(same) < 2:
            continue
        paths = " and ".join(sorted(ref.path for ref in same))
        for ref in same:
            findings.append(Finding(ref.path, 1, 1, ERROR, "duplicate-id",
                                    f"{paths} would both be the page objectives/{page}/ of the site; "
                                    "rename one of them (an index.md is its folder's page)"))
    return findings


def _at(source: ObjectiveSource, path: tuple, code: str, message: str, severity: str = ERROR,
        *, key: bool = False) -> Finding:
    doc = source.document
    line, column = doc.key_at(path) if key else doc.value_at(path)
    return Finding(source.path, line, column, severity, code, message)


def _path_rule(source: ObjectiveSource) -> list[Finding]:
    bad = [s for s in source.id.split("/") if not SEGMENT.fullmatch(s)]
    if not bad:
        return []
    return [Finding(source.path, 1, 1, ERROR, "path-invalid",
                    f"'{bad[0]}' cannot be part of an objective id: use letters, digits, '-' and '_' "
                    "in folder and file names, starting with a letter or digit")]


def _person_problem(who: str, people: People, suggest: RegistrySuggestions, *, ownership: str, role: str,
                    people_path: str) -> tuple[str, str] | None:
    """(code, message) when ``who`` cannot hold ``role``; None when it can."""
    if who in people.persons:
        return None
    if who in people.teams:
        if ownership == "individual-or-team" and role == "owner":
            return None
        if role != "owner":  # contributors are people under either ownership policy
            return ("contributor-unknown",
                    f"{role} '{who}' is a team, not a person; list the people of the team who help "
                    f"(team '{who}' is led by '{people.teams[who].lead or '?'}')")
        return ("owner-not-person",
                f"'{who}' is a team, not a person; ownership is individual, so name the one person "
                f"who leads it (team '{who}' is led by '{people.teams[who].lead or '?'}')")
    code = "owner-unknown" if role == "owner" else "contributor-unknown"
    return code, (f"{role} '{who}' is not a person in {people_path}"
                  + suggest.persons(who) + f" (or add '{who}' to {people_path})")


def _reference_rules(source: ObjectiveSource, data: dict, people: People, suggest: RegistrySuggestions, *,
                     ownership: str, people_path: str) -> Iterator[Finding]:
    owner = _str(data.get("owner"))
    if owner and (problem := _person_problem(owner, people, suggest, ownership=ownership, role="owner",
                                             people_path=people_path)):
        yield _at(source, ("owner",), *problem)
    team = _str(data.get("team"))
    if team and team not in people.teams:
        yield _at(source, ("team",), "team-unknown",
                  f"team '{team}' is not a team in {people_path}" + suggest.teams(team))
    contributors = data.get("contributors")
    for index, who in enumerate(contributors if isinstance(contributors, list) else []):
        if _str(who) and (problem := _person_problem(who, people, suggest, ownership=ownership,
                                                     role="contributor", people_path=people_path)):
            yield _at(source, ("contributors", index), *problem)
    for index, kr in _key_results(data):
        kr_owner = _str(kr.get("owner"))
        if kr_owner and (problem := _person_problem(kr_owner, people, suggest, ownership=ownership, role="owner",
                                                    people_path=people_path)):
            code, message = problem
            yield _at(source, ("key_results", index, "owner"), code, f"key result '{kr.get('id')}': {message}")


def references(data: Any) -> tuple[frozenset[str], frozenset[str]]:
    """(ids that must be persons, ids that must be teams) a document names: when the
    registry has them all, the reference rules find nothing, under either ownership policy."""
    if not isinstance(data, dict):
        return frozenset(), frozenset()
    persons = [data.get("owner")]
    contributors = data.get("contributors")
    persons += contributors if isinstance(contributors, list) else []
    persons += [kr.get("owner") for _, kr in _key_results(data)]
    team = _str(data.get("team"))
    return frozenset(p for p in persons if _str(p)), frozenset([team] if team else [])


def _key_results(data: dict) -> Iterator[tuple[int, dict]]:
    krs = data.get("key_results")
    for index, kr in enumerate(krs if isinstance(krs, list) else []):
        if isinstance(kr, dict):
            yield index, kr


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _key_result_rules(source: ObjectiveSource, data: dict, *, max_key_results: int) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for index, kr in _key_results(data):
        kr_id = _str(kr.get("id"))
        if kr_id in seen:
            first = source.document.value_at(("key_results", seen[kr_id], "id"))[0]
            yield _at(source, ("key_results", index, "id"), "duplicate-id",
                      f"key result id '{kr_id}' is used twice in this file (first on line {first}); "
                      "key result ids must be unique within their objective")
        elif kr_id:
            seen[kr_id] = index
        start, target = kr.get("start"), kr.get("target")
        if _number(start) and _number(target) and start == target:
            yield _at(source, ("key_results", index, "target"), "target-equals-start",
                      f"key result '{kr_id}': target equals start ({target}), so progress cannot be "
                      "measured; set the target you aim for")
    krs = data.get("key_results")
    hard_limit = max(HARD_MAX_KEY_RESULTS, 10 * max_key_results)
    if isinstance(krs, list) and len(krs) > hard_limit:  # an error: the site is never built from such a file
        yield _at(source, ("key_results",), "too-many-krs",
                  f"{len(krs):,} key results; more than {hard_limit} is refused (an objective is a few "
                  f"results, {max_key_results} at most by max_key_results): split it into objectives", key=True)
    elif isinstance(krs, list) and len(krs) > max_key_results:
        yield _at(source, ("key_results",), "too-many-krs",
                  f"{len(krs)} key results; more than {max_key_results} dilutes focus: keep the few "
                  "that matter most", WARNING, key=True)


def _period_rule(source: ObjectiveSource, data: dict, periods: Mapping[str, Period]) -> Iterator[Finding]:
    raw = data.get("period")
    period = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else _str(raw)  # `period: 2026`
    if period and parse_period(period, periods) is None:
        named = f", or one of the configured periods: {', '.join(sorted(periods))}" if periods else ""
        yield _at(source, ("period",), "period-invalid",
                  f"period '{period}' is not a period; use a quarter like 2026-Q4, a half like 2026-H2, "
                  f"a year like 2026{named}")


def cycles(parent_of: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(member, "a -> b -> a") for every node that lies on a parent loop, in member order.

    Each node is walked once (linear time, no recursion): a walk stops at a node seen
    before; when that node is on the walk itself, the walk has closed a loop.
    """
    done: set[str] = set()
    loops: dict[str, list[str]] = {}  # member -> the loop, starting at the member
    for start in sorted(parent_of):
        walk: dict[str, int] = {}  # node -> its place in this walk
        node = start
        while node in parent_of and node not in done and node not in walk:
            walk[node] = len(walk)
            node = parent_of[node]
        if node in walk:
            loop = list(walk)[walk[node]:]
            for place, member in enumerate(loop):
                loops[member] = loop[place:] + loop[:place]
        done.update(walk)
    for member in sorted(loops):
        yield member, _loop_text(loops[member])


LOOP_SHOWN = 10  # members named in a loop's message; a long loop's message stays one short line


def _loop_text(loop: list[str]) -> str:
    shown = loop if len(loop) <= LOOP_SHOWN else loop[:LOOP_SHOWN - 1] + [f"... ({len(loop) - LOOP_SHOWN + 1:,} more)"]
    return " -> ".join(shown + [loop[0]])


def people_rules(document: Document, *, path: str) -> list[Finding]:
    """Cross-references inside people.yaml: leads, members, team parents, id clashes."""
    data = document.data if isinstance(document.data, dict) else {}
    persons = data.get("people") if isinstance(data.get("people"), dict) else {}
    teams = data.get("teams") if isinstance(data.get("teams"), dict) else {}
    findings = []
    suggest_person, suggest_team = Suggestions(persons), Suggestions(teams)

    def at(where: tuple, code: str, message: str, *, key: bool = False) -> None:
        line, column = document.key_at(where) if key else document.value_at(where)
        findings.append(Finding(path, line, column, ERROR, code, message))

    for kind, ids, page in (("person", persons, "people"), ("team", teams, "teams")):
        for reserved in sorted(RESERVED_IDS & set(ids)):
            at((page, reserved), "reserved-id",
               f"'{reserved}' cannot be a {kind} id: {page}/{reserved} is the site's list of all {page}; "
               "choose another id", key=True)

    for team_id in sorted(set(persons) & set(teams)):
        at(("teams", team_id), "duplicate-id",
           f"'{team_id}' is both a person and a team; person and team ids must be distinct", key=True)
    parents = {}
    for team_id, team in teams.items():
        if not isinstance(team, dict):
            continue
        lead = _str(team.get("lead"))
        if lead and lead not in persons:
            at(("teams", team_id, "lead"), "owner-unknown",
               f"team '{team_id}': lead '{lead}' is not listed under `people:` in {path}" + suggest_person(lead))
        members = team.get("members")
        for index, member in enumerate(members if isinstance(members, list) else []):
            if _str(member) and member not in persons:
                at(("teams", team_id, "members", index), "contributor-unknown",
                   f"team '{team_id}': member '{member}' is not listed under `people:` in {path}"
                   + suggest_person(member))
        parent = _str(team.get("parent"))
        if parent and parent not in teams:
            at(("teams", team_id, "parent"), "team-unknown",
               f"team '{team_id}': parent '{parent}' is not a team" + suggest_team(parent))
        elif parent:
            parents[team_id] = parent
    for start, loop in cycles(parents):
        at(("teams", start, "parent"), "parent-cycle", f"team parents form a loop: {loop}")
    return findings
