"""The Jinja environment and the Renderer: one template and its values -> one SitePage.

Every value from a file reaches the output through autoescaping templates, or through
``narrative_html``, or JSON encoding.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Mapping

import jinja2

from generator.runtime.fingerprint import quick_fingerprint
from generator.site.links import file_link, links_from
from generator.site.views import Context


# Material's search indexes a page's text as it stands: "<td>Owner</td><td>Priya</td>" would
# become "OwnerPriya". A space between adjacent cells (and terms of a definition list) keeps
# them apart there and changes nothing on screen: whitespace between such boxes is not drawn.
# (A definition list's groups may be wrapped in <div>s.)
_ADJACENT_CELLS = re.compile(r"(</(?:td|th|dt|dd)>(?:</div>)?)(?=(?:<div[^>]*>)?<(?:td|th|dt|dd)[\s>])")


@dataclass(frozen=True)
class NavPlace:
    """Where a page sits in the navigation. Pages are listed by ``rank``; a ``grouped``
    section is a list of its pages (``entry``: the page's title there; None: listed bare),
    any other section is a link to its one page."""

    section: str
    rank: int
    grouped: bool = False
    entry: str | None = None


@dataclass(frozen=True)
class SitePage:
    """One page: ``path`` like ``teams/platform.md``, its ``title`` and HTML body;
    ``source`` is the objective file for the edit link; ``nav_section`` its place in the nav.

    The body is kept compressed (``packed``; ``html`` gives it back): a site holds every
    page until MkDocs has written it, and our table-heavy HTML shrinks about tenfold, so
    10,000 objectives' pages take ~60 MB instead of ~1 GB, and cross from the workers
    that render them ten times faster. Make one with ``SitePage.of``.
    """

    path: str
    title: str
    packed: bytes
    source: str | None = None
    nav_section: NavPlace | None = None
    search_boost: float | None = None  # Material's search: this page's entries rank higher (> 1)
    # A page made on every build (an index, the dashboard): a digest of what it was made of,
    # so that the next build reuses it while that is the same (``Renderer``).
    inputs: str | None = None

    @classmethod
    def of(cls, path: str, title: str, html: str, **fields: Any) -> SitePage:
        return cls(path, title, zlib.compress(html.encode("utf-8"), 1), **fields)

    @property
    def html(self) -> str:
        return zlib.decompress(self.packed).decode("utf-8")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator.site", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def keep_compiled(cache: jinja2.BytecodeCache | None) -> None:
    """Where the page templates' compiled code is kept for the next process (None: nowhere)."""
    environment().bytecode_cache = cache


class Renderer:
    """Renders templates for one site: knows the link style and the shared context.

    A page for which ``made_every_time(path)`` holds (its inputs are not tracked by
    ``page_inputs``: an index, the dashboard) carries a digest of everything its template
    reads: the template's name, the page's path, title and place, the link style and the
    values. When the page of an ``earlier`` build (by path) has the same digest, it is
    that page, not rendered again: a rebuild after one edit renders the one page of the
    objectives index that lists it, not all of them. The templates themselves are the
    package's code, which the build cache's stamp covers.
    """

    def __init__(self, ctx: Context, *, directory_urls: bool = True, earlier: Mapping[str, SitePage] | None = None,
                 made_every_time: Callable[[str], bool] = lambda path: False) -> None:
        self.ctx = ctx
        self.directory_urls = directory_urls
        self.earlier = earlier or {}
        self.made_every_time = made_every_time

    def render(self, page: str, template: str, title: str, *, source_file: str | None = None,
               nav: NavPlace | None = None, search_boost: float | None = None, **values: Any) -> SitePage:
        to = links_from(page, directory_urls=self.directory_urls)

        def link(target: str | None, anchor: str = "") -> str | None:
            return None if target is None else to(target, anchor)

        def file(path: str) -> str:
            return file_link(page, path, directory_urls=self.directory_urls)

        values.setdefault("history_note", history_note(self.ctx.history))
        for optional in ("log", "stale", "movers"):
            values.setdefault(optional, [])
        values.setdefault("movers_heading", "This week's biggest movers")
        path, inputs = page + ".md", None
        if self.made_every_time(path):
            inputs = quick_fingerprint(["page", template, path, title, self.ctx.as_of, self.directory_urls, source_file,
                                  nav, search_boost, values])
            if (before := self.earlier.get(path)) is not None and before.inputs == inputs:
                return before
        body = environment().get_template(template).render(
            link=link, file=file, title=title, as_of=self.ctx.as_of.isoformat(), **values
        )
        body = _ADJACENT_CELLS.sub(r"\1 ", body)
        return SitePage.of(path, title, body, source=source_file, nav_section=nav,
                           search_boost=search_boost, inputs=inputs)


def history_note(history: Any) -> str | None:
    """What to say where history would be shown but is not available."""
    if history is None:
        return "History is not shown: this build did not read the git history."
    if not getattr(history, "available", False):
        return getattr(history, "reason", None) or "History is unavailable."
    return None
