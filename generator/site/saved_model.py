"""The last build's site model in the build cache, so that the next ``okrs build`` (a new
process) makes again only the pages whose inputs changed, as ``okrs serve`` does in memory.

What is kept is what ``build_site_model(..., previous=)`` reads of an earlier model: its
pages (compressed, as they are held) and its memo without the parts that live in memory
only (the computed views and the walked history: a restored memo never counts as the
same walk). Plain JSON in the signed cache (``runtime.cache``), and beside it as bytes
(``site-pages.bin``) the pages' compressed bodies and the objectives' ``okrs.json``
entries: in JSON, as base64 and escaped text, they were nine tenths of the file and of
the time to write it. The bytes are named by a token the JSON holds, so that the two are
of one save. A file written for other fields, damaged, of another save or for another
version of the code reads as nothing, and the build is then made in full.
"""

from __future__ import annotations

import secrets
from typing import Any

from generator.history.changelog import BriefWeek
from generator.history.records import BAD_RECORD, ObjectivePool, layout
from generator.history.values import Week
from generator.model.core import Objective
from generator.runtime.cache import Store
from generator.site.build import SiteModel
from generator.site.history_views import KeptWeek
from generator.site.render import NavPlace, SitePage
from generator.site.site_memo import SiteMemo

SITE_MODEL = "site-model"
SITE_PAGES = "site-pages"  # the pages' bodies, then the entries' UTF-8, one after the other
NAMES = (SITE_MODEL, SITE_PAGES)  # what save writes
_LAYOUT = layout(Objective, SitePage, NavPlace)


def save(store: Store, model: SiteModel, *, pool: ObjectivePool | None = None) -> bool:
    """Keep ``model`` for the next build; False if it could not be written (or has no memo).
    The objectives in ``pool`` are written as the records they were read from."""
    memo = model.memo
    if memo is None:
        return False
    pool = pool if pool is not None else ObjectivePool()
    record = {
        "layout": _LAYOUT,
        "key": memo.key,
        "head": memo.head,
        "objectives": [[ident, pool.record(o)] for ident, o in memo.objectives.items()],
        "marks": memo.marks,
        "stale": {ident: sorted(krs) for ident, krs in memo.stale.items()},
        "slugs": memo.slugs,
        "weeks": memo.weeks,
        "week_mentions": {week: sorted(ids) for week, ids in memo.week_mentions.items()},
        # Of each week what a later build keeps of it; its mark and mentions are those above.
        "kept": {week: [kept.summary, list(kept.changed), kept.brief.summary, list(kept.brief.closings)]
                 for week, kept in memo.kept.items()},
        "feed": memo.feed,
        "made": sorted(memo.made),
        "bodies": secrets.token_hex(16),
        "pages": [_page_record(p) for p in model.pages],
    }
    entries = [text.encode("utf-8", "surrogatepass") for text in memo.entries.values()]
    record["entries"] = [[ident, len(text)] for ident, text in zip(memo.entries, entries)]
    bodies = b"".join([*(p.packed for p in model.pages), *entries])
    return store.save_bytes(SITE_PAGES, record["bodies"], bodies) and store.save(SITE_MODEL, "", record)


def restore(store: Store, *, pool: ObjectivePool | None = None) -> SiteModel | None:
    """The model the last build kept, as a ``previous`` for the next; None if there is none.
    Its objectives equal to one in ``pool`` (the loader's: all but those edited) are that one."""
    record = store.load(SITE_MODEL, "")
    if not isinstance(record, dict) or record.get("layout") != _LAYOUT:
        return None
    try:
        bodies = store.load_bytes(SITE_PAGES, _text(record["bodies"]))
        if bodies is None:  # gone, damaged, or of another save
            return None
        read = (pool if pool is not None else ObjectivePool()).read
        weeks = _texts(record["weeks"])
        mentions = {_text(week): frozenset(map(_text, ids)) for week, ids in record["week_mentions"].items()}
        pages, entries, start = [], {}, 0
        for page in record["pages"]:
            pages.append(_page(page, bodies, start))
            start += len(pages[-1].packed)
        for ident, size in record["entries"]:
            end = start + _size(size, bodies, start)
            entries[_text(ident)] = bodies[start:end].decode("utf-8", "surrogatepass")
            start = end
        if start != len(bodies):
            return None
        memo = SiteMemo(
            key=_text(record["key"]),
            objectives={_text(ident): read(o) for ident, o in record["objectives"]},
            marks=_texts(record["marks"]),
            stale={_text(ident): frozenset(map(_text, krs)) for ident, krs in record["stale"].items()},
            slugs=_texts(record["slugs"]),
            weeks=weeks,
            week_mentions=mentions,
            kept={_text(week): _kept(_text(week), entry, weeks, mentions) for week, entry in record["kept"].items()},
            feed=_text(record["feed"]),
            made=frozenset(map(_text, record["made"])),
            head=None if record["head"] is None else _text(record["head"]),
            entries=entries,
        )
    except BAD_RECORD:
        return None
    return SiteModel(pages=pages, files={}, nav=[], memo=memo)


def _page_record(page: SitePage) -> list:
    nav = page.nav_section
    return [page.path, page.title, len(page.packed), page.source,
            None if nav is None else [nav.section, nav.rank, nav.grouped, nav.entry], page.search_boost, page.inputs]


def _page(record: Any, bodies: bytes, start: int) -> SitePage:
    """The page of a record, its body the bytes of ``bodies`` from ``start`` on."""
    path, title, size, source, nav, boost, inputs = record
    size = _size(size, bodies, start)
    place = None if nav is None else NavPlace(_text(nav[0]), int(nav[1]), bool(nav[2]),
                                              None if nav[3] is None else _text(nav[3]))
    return SitePage(_text(path), _text(title), bodies[start:start + size],
                    None if source is None else _text(source), place,
                    None if boost is None else float(boost), None if inputs is None else _text(inputs))


def _size(size: Any, bodies: bytes, start: int) -> int:
    """A part's size in bytes, which ``bodies`` has from ``start`` on."""
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= len(bodies) - start:
        raise ValueError(f"a part of {size!r} bytes from byte {start} of {len(bodies)}")
    return size


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value


def _kept(week: str, entry: Any, marks: dict[str, str], mentions: dict[str, frozenset[str]]) -> KeptWeek:
    summary, changed, brief, closings = entry
    when = Week.parse(week)
    return KeptWeek(when, marks[week], _summary(summary), tuple(map(_text, changed)), mentions.get(week, frozenset()),
                    BriefWeek(when, _text(brief), tuple(map(_text, closings))))


def _summary(value: Any) -> dict[str, str | int]:
    """A week's line of the changelog's index: text and whole numbers by name."""
    if not isinstance(value, dict) or not all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                              for v in value.values()):
        raise TypeError("a week's summary holds text and whole numbers")
    return {_text(k): v for k, v in value.items()}


def _texts(mapping: Any) -> dict[str, str]:
    if not isinstance(mapping, dict):
        raise TypeError("expected a mapping")
    return {_text(k): _text(v) for k, v in mapping.items()}
