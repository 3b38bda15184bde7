"""Long lists split into numbered pages, so no page grows with the organisation.

A list of ``PAGE_SIZE`` rows or fewer stays on its one page, as before; a longer one
is the first page (the same address, the first rows) and ``BASE/2``, ``BASE/3`` …,
each with a pager: previous, next and the page numbers around the current one.
Pure: rows in, slices and pager values out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

PAGE_SIZE = 100  # rows of a long list on one page
CAP = 25  # rows of a list shown in full elsewhere ("and N more: see …")
NEARBY = 2  # page numbers shown either side of the current one (and always the first and last)
# Periods a team's, person's or tag's page shows in full; the earlier ones are a line each, so
# that ten closed years do not make the page forty times longer (or made again on each edit).
RECENT_PERIODS = 4


@dataclass(frozen=True)
class Part:
    """One page of a paged list: its page name, its rows, its pager (None: one page only)
    and where its rows start in the whole list (0-based)."""

    page: str
    number: int
    rows: list[Any]
    pager: dict[str, Any] | None
    start: int = 0


def page_name(base: str, number: int) -> str:
    """``attention`` -> ``attention/2``; ``objectives/index`` -> ``objectives/2``; page 1 is ``base``."""
    if number == 1:
        return base
    folder = base[: -len("/index")] if base.endswith("/index") else base
    return f"{folder}/{number}"


def numbered(name: str) -> tuple[str, int] | None:
    """A later page's folder and number (``attention/2`` -> ``("attention", 2)``, the inverse
    of ``page_name`` past page 1); None for any other name."""
    folder, _, last = name.rpartition("/")
    if not folder or not last.isascii() or not last.isdigit() or last.startswith("0") or int(last) < 2:
        return None
    return folder, int(last)


def split(base: str, rows: Sequence[Any], size: int | None = None, *, first: str | None = None,
          weight: Callable[[Any], int] | None = None) -> list[Part]:
    """The pages of ``rows`` in their order, ``size`` (default ``PAGE_SIZE``) rows each; always
    at least one. ``first``: page 1's name when it is not ``base`` (``base/2`` … follow).
    ``weight``: what a row counts towards ``size`` (a tree counts its nodes); a page holds
    at least one row."""
    size = size or PAGE_SIZE
    bounds, start, filled = [], 0, 0
    for index, row in enumerate(rows):
        w = weight(row) if weight else 1
        if index > start and filled + w > size:
            bounds.append((start, index))
            start, filled = index, 0
        filled += w
    bounds.append((start, len(rows)))
    names = [first or base] + [page_name(base, n) for n in range(2, len(bounds) + 1)]
    parts = []
    for number, (begin, end) in enumerate(bounds, 1):
        pager = None if len(bounds) == 1 else _pager(names, number, begin, end, len(rows))
        parts.append(Part(names[number - 1], number, list(rows[begin:end]), pager, begin))
    return parts


def recent_periods(held: Iterable[str], periods: Sequence[str]) -> tuple[list[str], list[str]]:
    """Of the periods a page holds something in, the newest ``RECENT_PERIODS`` (shown in
    full) and the earlier ones (a line each), each newest first; ``periods``: every period,
    newest first (``periods.ordered_periods``)."""
    rank = {name: i for i, name in enumerate(periods)}
    ordered = sorted(set(held), key=lambda name: (rank.get(name, len(rank)), name))
    return ordered[:RECENT_PERIODS], ordered[RECENT_PERIODS:]


def page_of(base: str, index: int, size: int | None = None) -> str:
    """The page that shows the row at ``index`` (0-based) of a list split by ``split``."""
    return page_name(base, index // (size or PAGE_SIZE) + 1)


def _pager(names: list[str], number: int, begin: int, end: int, total: int) -> dict[str, Any]:
    count = len(names)
    shown = sorted({1, count, *range(max(1, number - NEARBY), min(count, number + NEARBY) + 1)})
    links: list[dict[str, Any]] = []
    for n in shown:
        if links and n > links[-1]["number"] + 1:
            links.append({"number": None, "page": None, "current": False})  # a gap: "…"
        links.append({"number": n, "page": names[n - 1], "current": n == number})
    return {"number": number, "count": count, "total": total, "first": begin + 1, "last": end,
            "previous": names[number - 2] if number > 1 else None,
            "next": names[number] if number < count else None,
            "pages": links}


def titled(title: str, part: Part) -> str:
    """A page's title with its place in the list: "Needs attention (page 2 of 5)"."""
    return title if part.pager is None or part.number == 1 else f"{title} (page {part.number} of {part.pager['count']})"
