"""The rules of one objective file that a JSON schema cannot express, and the table of
every rule code.

Each rule reads a located document and returns findings; none prints or exits. The rules
tolerate documents that failed the schema (they look only at values of the right type),
so that one run reports everything. References to people live in ``references``, the
rules across files in ``across_files``, people.yaml's own in ``people_rules``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator, Mapping

from generator.model.core import People, Period, parse_period
from generator.reading.across_files import ParentRef, page_rules, parent_rules
from generator.reading.findings import ERROR, WARNING, Finding
from generator.reading.narrative import narrative_problem
from generator.reading.references import departure_rules, reference_rules
from generator.reading.sources import ObjectiveSource, finding_at, is_number, key_results, period_text, text_or_none
from generator.reading.suggestions import RegistrySuggestions
from generator.reading.type_rules import type_rules


# More key results than this (or 10 times max_key_results) is an error, not a warning: a
# file of thousands would only slow every build down and fill the site.
HARD_MAX_KEY_RESULTS = 50


# Matched whole (fullmatch): with `$`, "evil\n" would pass, `$` matching before a final newline.
SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def parent_ref(source: ObjectiveSource) -> ParentRef:
    data = source.document.data if isinstance(source.document.data, dict) else {}
    parent = text_or_none(data.get("parent"))
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
    for its unknown names: pass one for all the files of a run, to bound their cost);
    ``as_of``, the day of the check, for those that depend on it (baseline-missing, owner-left)."""
    findings = _path_rule(source)
    data = source.document.data if isinstance(source.document.data, dict) else {}
    if people is not None:
        suggest = suggestions or RegistrySuggestions.of(people)
        findings += reference_rules(source, data, people, suggest, ownership=ownership, people_path=people_path)
        if as_of is not None:
            findings += departure_rules(source, data, people, as_of=as_of, periods=periods, people_path=people_path)
    findings += _key_result_rules(source, data, max_key_results=max_key_results)
    findings += _period_rule(source, data, periods)
    findings += _place_rule(source, data, periods, people)
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


def _path_rule(source: ObjectiveSource) -> list[Finding]:
    bad = [s for s in source.id.split("/") if not SEGMENT.fullmatch(s)]
    if not bad:
        return []
    return [Finding(source.path, 1, 1, ERROR, "path-invalid",
                    f"'{bad[0]}' cannot be part of an objective id: use letters, digits, '-' and '_' "
                    "in folder and file names, starting with a letter or digit")]


def _key_result_rules(source: ObjectiveSource, data: dict, *, max_key_results: int) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for index, kr in key_results(data):
        kr_id = text_or_none(kr.get("id"))
        if kr_id in seen:
            first = source.document.value_at(("key_results", seen[kr_id], "id"))[0]
            yield finding_at(source, ("key_results", index, "id"), "duplicate-id",
                      f"key result id '{kr_id}' is used twice in this file (first on line {first}); "
                      "key result ids must be unique within their objective")
        elif kr_id:
            seen[kr_id] = index
        start, target = kr.get("start"), kr.get("target")
        if is_number(start) and is_number(target) and start == target:
            yield finding_at(source, ("key_results", index, "target"), "target-equals-start",
                      f"key result '{kr_id}': target equals start ({target}), so progress cannot be "
                      "measured; set the target you aim for")
    krs = data.get("key_results")
    hard_limit = max(HARD_MAX_KEY_RESULTS, 10 * max_key_results)
    if isinstance(krs, list) and len(krs) > hard_limit:  # an error: the site is never built from such a file
        yield finding_at(source, ("key_results",), "too-many-krs",
                  f"{len(krs):,} key results; more than {hard_limit} is refused (an objective is a few "
                  f"results, {max_key_results} at most by max_key_results): split it into objectives", key=True)
    elif isinstance(krs, list) and len(krs) > max_key_results:
        yield finding_at(source, ("key_results",), "too-many-krs",
                  f"{len(krs)} key results; more than {max_key_results} dilutes focus: keep the few "
                  "that matter most", WARNING, key=True)


def _period_rule(source: ObjectiveSource, data: dict, periods: Mapping[str, Period]) -> Iterator[Finding]:
    period = period_text(data)
    if period and parse_period(period, periods) is None:
        named = f", or one of the configured periods: {', '.join(sorted(periods))}" if periods else ""
        yield finding_at(source, ("period",), "period-invalid",
                  f"period '{period}' is not a period; use a quarter like 2026-Q4, a half like 2026-H2, "
                  f"a year like 2026{named}")


def _place_rule(source: ObjectiveSource, data: dict, periods: Mapping[str, Period],
                people: People | None) -> Iterator[Finding]:
    """`path-mismatch`: a file at okrs/<period>/<team>/… says the same `period` and `team`.
    A file copied from last quarter's folder keeps its old period and would silently land
    in the closed quarter. Folders claim only what they show: one right under
    okrs/<period>/ has no team folder, one whose first folder is no period (okrs/drafts/)
    follows another layout. A team the registry lacks is `team-unknown`'s to report."""
    folders = source.id.split("/")[:-1]
    period, team = period_text(data), text_or_none(data.get("team"))
    if not all(SEGMENT.fullmatch(folder) for folder in folders):
        return  # path-invalid: the folder is to be renamed first
    if not folders or parse_period(folders[0], periods) is None or period is None \
            or parse_period(period, periods) is None:
        return  # no layout to agree with, or no period to compare (period-invalid says why)
    source_dir = source.path[:len(source.path) - len(source.id) - len(".md")]  # "okrs/", as findings name it
    rest = "".join(f"{folder}/" for folder in folders[2:])  # sub-folders below the team's stay as they are
    team_folder = folders[1] if len(folders) > 1 else None
    place = team or team_folder
    home = f"{source_dir}{period}/{place + '/' if place else ''}{rest}"
    if period != folders[0]:
        yield finding_at(source, ("period",), "path-mismatch",
                         f"period '{period}' does not match the folder {source_dir}{folders[0]}/ the file is in; "
                         f"move the file to {home} or set period: {folders[0]}")
    if team_folder is not None and team is not None and team != team_folder \
            and (people is None or team in people.teams):
        yield finding_at(source, ("team",), "path-mismatch",
                         f"team '{team}' does not match the folder {source_dir}{'/'.join(folders[:2])}/ the file is in; "
                         f"move the file to {home} or set team: {team_folder}")
