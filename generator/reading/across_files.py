"""The rules across objective files: parents that are no objective, parent loops, two files as one page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Mapping

from generator.reading.findings import ERROR, Finding
from generator.reading.suggestions import Suggestions


@dataclass(frozen=True, slots=True)
class ParentRef:
    """What the rules across files need of one objective: its id and its parent's place."""

    id: str
    path: str
    parent: str | None  # only a non-empty string counts
    line: int = 1
    column: int = 1


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


def _list_page_clash(page: str, pages: Mapping[str, list]) -> str | None:
    """Which paged list's later page an objective's page would be: ``objectives/2`` (the
    objectives index's), ``objectives/X/aligned/2`` (the objectives aligned to X's)."""
    head, _, last = page.rpartition("/")
    if not (last.isascii() and last.isdigit()):
        return None
    if not head:
        return "a page of the site's list of all objectives"
    owner, _, kind = head.rpartition("/")
    if kind == "aligned" and owner in pages:
        return f"a page of the objectives aligned to {owner}"
    return None


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
        clash = _list_page_clash(page, by_page)
        for ref in same if clash else ():
            findings.append(Finding(ref.path, 1, 1, ERROR, "reserved-id",
                                    f"{ref.path} would be the page objectives/{page}/, which is {clash} once that "
                                    "list has more than one page; rename it with a letter in its last part"))
    for page, same in by_page.items():
        if len(same) < 2:
            continue
        paths = " and ".join(sorted(ref.path for ref in same))
        for ref in same:
            findings.append(Finding(ref.path, 1, 1, ERROR, "duplicate-id",
                                    f"{paths} would both be the page objectives/{page}/ of the site; "
                                    "rename one of them (an index.md is its folder's page)"))
    return findings


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
