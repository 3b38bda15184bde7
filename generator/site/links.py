"""Links between the site's pages: relative, so the site works at any address."""

from __future__ import annotations

import posixpath


def page_url(page: str, *, directory_urls: bool = True) -> str:
    """``teams/platform`` -> ``teams/platform/``; ``index`` -> ``''`` (or ``.html`` files)."""
    if not directory_urls:
        return page + ".html"
    if page == "index" or page.endswith("/index"):
        return page[: -len("index")]
    return page + "/"


def relative_link(from_page: str, to_page: str, *, directory_urls: bool = True, anchor: str = "") -> str:
    """The link from one generated page to another, relative so the site works anywhere."""
    return link_from(_base(from_page, directory_urls=directory_urls), to_page, directory_urls=directory_urls,
                     anchor=anchor)


def links_from(page: str, *, directory_urls: bool = True):
    """``relative_link`` from one page, its folder worked out once (a page links hundreds of times)."""
    base = _base(page, directory_urls=directory_urls)

    def link(to_page: str, anchor: str = "") -> str:
        return link_from(base, to_page, directory_urls=directory_urls, anchor=anchor)

    return link


def link_from(base: str, to_page: str, *, directory_urls: bool, anchor: str = "") -> str:
    target = page_url(to_page, directory_urls=directory_urls)
    rel = relpath(target or ".", base)
    if not target or target.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


def file_link(from_page: str, path: str, *, directory_urls: bool = True) -> str:
    """The link from a page to a file of the site (not a page), like changelog/feed.xml."""
    return relpath(path, _base(from_page, directory_urls=directory_urls))


def _base(page: str, *, directory_urls: bool) -> str:
    """The folder a page's relative links start from."""
    url = page_url(page, directory_urls=directory_urls)
    base = url if not url or url.endswith("/") else posixpath.dirname(url)
    return base.rstrip("/") or "."


def relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` for the site's own relative paths, without its two abspath calls
    (a site links a hundred thousand times); anything unusual takes posixpath's way."""
    if path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    path, start = path.rstrip("/") or ".", start.rstrip("/") or "."  # as normpath does
    parts = [] if path == "." else path.split("/")
    base = [] if start == "." else start.split("/")
    if any(p in ("", ".", "..") for p in parts) or any(p in ("", ".", "..") for p in base):
        return posixpath.relpath(path, start)
    common = 0
    for mine, theirs in zip(parts, base):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."
