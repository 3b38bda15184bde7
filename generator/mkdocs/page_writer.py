"""The okrs plugin writes its own pages when `okrs build` or `okrs serve` runs MkDocs.

MkDocs renders every page one after the other, every build, and holds every page's text
until the end. For a site of tens of thousands of generated pages that is most of the
build, and most of it is work done before: a page whose source and whose frame (the
configuration, the theme's files, the navigation, the versions) did not change comes
out the same. So, in a build that MkDocs runs "dirty" (``okrs build`` and ``okrs
serve`` run it so), the plugin's pages are never "modified" for MkDocs, which skips
them, and the plugin writes them itself, in ``on_env``:

- a page built before is linked (or copied) from the page cache in ``.okrs-cache/pages``,
  with its share of the search index kept beside it;
- the others are rendered by MkDocs' own page functions (``_populate_page``,
  ``_build_page``: the same output as MkDocs makes), on every core for many pages, and
  put into the cache.

The search entries are handed to Material's search plugin just before it writes its
index, in the order MkDocs would have indexed the pages, so the site is byte for byte the
one a plain ``mkdocs build`` makes (tested). Anything the cache can't vouch for (a
manifest of another frame or code version, a file whose size or time changed) is
rendered again. Pages are rendered in separate processes only with plugins known to
keep no per-page state of their own (search, okrs); with any other plugin MkDocs renders
the pages as usual.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Sequence

from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc
from mkdocs.utils import meta

from generator.mkdocs.passthrough import MARKER, PLAIN_EXTENSIONS, PassThroughExtension, converted

from generator.runtime.cache import Store
from generator.runtime.folder_swap import SITE_MARKER
from generator.runtime.parallel import map_items
from generator.site.render import SitePage

# The Store entry, per frame key: a line per page, its key, size, time and search entries
# (JSON); the line of a page placed again is written again as it was read, not encoded anew.
MANIFEST = "pages"
CACHE_FOLDER = "pages"
# Plugins that keep no state of their own from one page to the next, besides the search
# entries we collect: with these, pages can be rendered in other processes.
KNOWN_PLUGINS = frozenset({"search", "material/search", "okrs"})
MIN_PAGES_PER_WORKER = 100  # a pool costs about what rendering a hundred pages does
_FRAME_SKIPPED = frozenset({"site_dir", "plugins", "theme", "markdown_extensions", "mdx_configs",
                            "config_file_path", "dev_addr", "watch", "hooks"})


class GeneratedPage(File):
    """A generated page whose Markdown is made from its SitePage when MkDocs reads it
    (not held as text for the whole build). ``skipped`` pages are never modified for
    MkDocs' dirty build, which leaves them to the PageWriter."""

    def __init__(self, config: MkDocsConfig, page: SitePage, markdown: Callable[[SitePage], str], *,
                 skipped: bool) -> None:
        super().__init__(page.path, src_dir=None, dest_dir=config.site_dir,
                         use_directory_urls=config.use_directory_urls, inclusion=InclusionLevel.UNDEFINED)
        self.generated_by = "okrs"
        self.site_page = page
        self._markdown = markdown
        self._given: str | bytes | None = None
        self.skipped = skipped
        if page.source:
            self.edit_uri = page.source

    @property  # type: ignore[override]
    def _content(self) -> str | bytes:
        return self._given if self._given is not None else self._markdown(self.site_page)

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        self._given = value

    def is_modified(self) -> bool:
        return not self.skipped


def can_write_pages(config: MkDocsConfig) -> bool:
    """Only with plugins known to keep no per-page state (others would miss the pages)."""
    return all(name in KNOWN_PLUGINS for name in config.plugins)


class PageWriter:
    """Writes the generated pages of one site, reusing what an earlier build wrote.

    Kept by the plugin across `okrs serve` rebuilds: the manifest of the last build is in
    memory, and the page cache (or, without a cache, the served folder) holds its files."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self.cache = store.folder / CACHE_FOLDER if store is not None else None
        self._frame: str | None = None
        self._manifest: dict[str, list[Any]] = {}  # page key -> [size, mtime_ns, search entries]
        self._lines: dict[str, tuple[list[Any], bytes]] = {}  # page key -> (its manifest entry, the saved line of it)
        self._entries: list[dict[str, Any]] = []  # this build's entries, in page order
        self._environment: tuple[str, Any] | None = None  # the frame and the theme's Jinja environment
        self.rendered = self.reused = 0

    def environment(self, env: Any, config: MkDocsConfig) -> Any:
        """The theme's Jinja environment of the last build if the frame is the same (its
        templates compiled already: MkDocs makes a new one, and compiles them again, on each
        of serve's rebuilds), else ``env``."""
        frame = frame_key(config)
        if self._environment is not None and self._environment[0] == frame:
            return self._environment[1]
        self._environment = (frame, env)
        return env

    def write(self, pages: Sequence[GeneratedPage], *, config: MkDocsConfig, files: Files, nav: Any,
              env: Any, serving: bool) -> None:
        """Write every page into the site folder, rendering only what the cache doesn't hold.

        While serving, the manifest is saved after the first build only (a rebuild after an
        edit stays fast; the next `okrs build` renders again what changed meanwhile)."""
        first = self._frame is None
        frame = frame_key(config)
        if frame != self._frame:
            self._manifest = self._load(frame)
            self._frame = frame
        search = search_index(config)
        in_nav = {id(p) for p in getattr(nav, "pages", [])}
        # Other pages print the titles of the pages in the navigation: read those first.
        for file in pages:
            if id(file.page) in in_nav:
                _read_front_matter(file, config, files)
        keys = [page_key(frame, file) for file in pages]
        manifest: dict[str, list[Any]] = {}
        entries: list[list[dict[str, Any]]] = [[] for _ in pages]
        todo = []
        for number, (file, key) in enumerate(zip(pages, keys)):
            known = self._manifest.get(key)
            if known is not None and self._place(file, key, known):
                manifest[key] = known
                entries[number] = known[2]
            else:
                todo.append(number)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve
                                              if serving else InclusionLevel.is_included)
        plain = all(e in PLAIN_EXTENSIONS or isinstance(e, PassThroughExtension) for e in config.markdown_extensions)
        shared = (pages, keys, config, files, doc_files, nav, env, search, self.cache, plain)
        workers = None if len(todo) >= 2 * MIN_PAGES_PER_WORKER else 1
        for number, result in zip(todo, map_items(_render, todo, shared, min_items=MIN_PAGES_PER_WORKER,
                                                  workers=workers)):
            manifest[keys[number]] = result
            entries[number] = result[2]
        self.rendered, self.reused = len(todo), len(pages) - len(todo)
        self._manifest = manifest
        self._entries = [entry for page_entries in entries for entry in page_entries]
        if self.store is not None and (first or not serving):
            self._save(frame, manifest)
            self._prune(set(manifest))

    def hand_over_search_entries(self, config: MkDocsConfig) -> None:
        """Give Material's search plugin our pages' entries, after the pages MkDocs indexed
        itself (the order a plain build has: the hand-written pages come first)."""
        search = search_index(config)
        if search is not None:
            search.entries.extend(self._entries)
        self._entries = []

    def _load(self, frame: str) -> dict[str, list[Any]]:
        body = self.store.load_bytes(MANIFEST, frame) if self.store is not None else None
        manifest: dict[str, list[Any]] = {}
        lines: dict[str, tuple[list[Any], bytes]] = {}
        try:
            for line in (body or b"").splitlines(keepends=True):
                key, size, mtime, entries = line.split(b" ", 3)
                known = [int(size), int(mtime), json.loads(entries)]
                if not isinstance(known[2], list):
                    raise ValueError("search entries are a list")
                manifest[key.decode("ascii")] = known
                lines[key.decode("ascii")] = (known, line)
        except (ValueError, RecursionError):  # not one of our manifests: every page is rendered again
            manifest, lines = {}, {}
        self._lines = lines
        return manifest

    def _save(self, frame: str, manifest: dict[str, list[Any]]) -> None:
        assert self.store is not None
        lines = {}
        try:
            for key, known in manifest.items():
                kept = self._lines.get(key)
                lines[key] = kept if kept is not None and kept[0] is known else (known, _manifest_line(key, known))
        except (ValueError, TypeError, RecursionError):  # an entry JSON cannot hold: no manifest kept
            return
        self._lines = lines
        if self.store.save_bytes(MANIFEST, frame, b"".join(line for _, line in lines.values())):
            with contextlib.suppress(OSError):  # the manifest as JSON, of an earlier version
                os.unlink(self.store.folder / f"{MANIFEST}.json")

    def _place(self, file: GeneratedPage, key: str, known: list[Any]) -> bool:
        """Put the page built before in place; False if its file isn't what the manifest says."""
        dest = file.abs_dest_path
        source = self._cached_file(key) if self.cache is not None else dest
        if not _unchanged(source, known):
            return False
        if source == dest:
            return True
        with contextlib.suppress(FileNotFoundError):
            if os.path.samefile(source, dest):
                return True
            os.unlink(dest)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        try:
            os.link(source, dest)
        except OSError:  # another file system, or links not allowed: a copy
            shutil.copyfile(source, dest)
        return True

    def _cached_file(self, key: str) -> str:
        assert self.cache is not None
        return str(self.cache / key[:2] / f"{key}.html")

    def _prune(self, keep: set[str]) -> None:
        """Remove the cached pages this build did not use: the cache holds one site."""
        if self.cache is None or not self.cache.is_dir():
            return
        for folder in self.cache.iterdir():
            if not folder.is_dir():
                continue
            for entry in os.scandir(folder):
                if entry.name.removesuffix(".html") not in keep:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


# What MkDocs writes after the files it lists (its templates, the search index).
_WRITTEN_LATER = frozenset({"404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json"})


def keep_only(site_dir: str, pages: Sequence[File]) -> None:
    """Remove from ``site_dir`` every file but ``pages``' outputs (and the site's marker),
    and the folders left empty: a folder built into again, as if new, but for those pages."""
    top = os.path.normpath(site_dir)
    keep = {os.path.normpath(p.abs_dest_path) for p in pages}
    keep.add(os.path.join(top, SITE_MARKER))
    _keep_only_in(top, keep)


def _keep_only_in(folder: str, keep: set[str]) -> bool:
    """``keep_only`` in one folder, bottom up; whether it still holds anything. One listing
    per folder, no other call per entry (at 110,000 pages, ``os.walk`` and a test for links
    per folder took three times as long). A link is never followed: it is a file here."""
    held = False
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if _keep_only_in(entry.path, keep):
                    held = True
                else:
                    os.rmdir(entry.path)
            elif entry.path in keep:
                held = True
            else:
                os.unlink(entry.path)
    return held


def remove_stale_output(site_dir: str, files: Files, *, rebuild: Sequence[File] = (),
                        written: set[str] | None = None) -> set[str]:
    """In a folder a dirty build writes into again (`okrs serve`'s), remove what this build
    will not write: the pages of a deleted objective, or the whole site while the OKR
    files have errors (its one page shows them); and the pages of ``rebuild`` (the
    hand-written ones), which MkDocs renders again only when their output is missing, and
    must, for their search entries. ``written``: what the last build wrote there (what this
    returned then), so that only those files are looked at, not the whole folder walked.
    Returns the paths this build writes."""
    for file in rebuild:
        with contextlib.suppress(OSError):
            os.unlink(file.abs_dest_path)
    expected = {os.path.normpath(f.abs_dest_path) for f in files}
    expected |= {os.path.normpath(os.path.join(site_dir, name)) for name in _WRITTEN_LATER}
    if written is not None:
        stale = written - expected
    else:
        stale = {path for folder, _, names in os.walk(site_dir)
                 for path in (os.path.normpath(os.path.join(folder, name)) for name in names) if path not in expected}
    for path in stale:
        with contextlib.suppress(OSError):
            os.unlink(path)
    return expected


def _render(number: int, shared: tuple) -> list[Any]:
    """Render one page with MkDocs' own functions; returns [size, mtime_ns, search entries]."""
    pages, keys, config, files, doc_files, nav, env, search, cache, plain = shared
    file = pages[number]
    with contextlib.suppress(FileNotFoundError):
        os.unlink(file.abs_dest_path)  # it may be a link to a cached page: never write through it
    before = len(search.entries) if search is not None else 0
    if plain:
        _populate_marked_page(file.page, config, files)
    else:
        mkdocs_build._populate_page(file.page, config, files)
    mkdocs_build._build_page(file.page, config, doc_files, nav, env)
    entries: list[dict[str, Any]] = []
    if search is not None:
        entries = search.entries[before:]
        del search.entries[before:]
    file.page.markdown = file.page.content = None  # type: ignore[assignment]  # this page is done
    stored = file.abs_dest_path
    if cache is not None:
        stored = _store(file.abs_dest_path, cache, keys[number])
    status = os.stat(stored)
    return [status.st_size, status.st_mtime_ns, entries]


def _read_front_matter(file: GeneratedPage, config: MkDocsConfig, files: Files) -> None:
    """Give a page its title and meta as MkDocs reads them, from its front matter alone
    (what the navigation of the other pages shows; the body may be large)."""
    source = file.content_string
    head, marker, _ = source.partition(MARKER)
    if not marker:
        mkdocs_build._populate_page(file.page, config, files)
        return
    file.page.markdown, file.page.meta = meta.get_data(head)


def _populate_marked_page(page: Any, config: MkDocsConfig, files: Files) -> None:
    """MkDocs' _populate_page, with the Markdown step of a marked page done by
    passthrough.converted (the same HTML; no headings or links for Markdown to find)."""
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        html = converted(page.markdown)
        if html is None:
            page.render(config, files)
        else:
            page.content, page.toc, page._title_from_render = html, get_toc([]), None
            page.present_anchor_ids, page.links_to_anchors = set(), {}
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
    finally:
        config._current_page = None


def _manifest_line(key: str, known: list[Any]) -> bytes:
    """A page's line of the manifest: its key, size, time and search entries (JSON in ASCII: no line break)."""
    size, mtime, entries = known
    text = json.dumps(entries, separators=(",", ":"), allow_nan=False)
    return b"%s %d %d %s\n" % (key.encode("ascii"), size, mtime, text.encode("ascii"))


def _store(written: str, cache: Path, key: str) -> str:
    """Link the written page into the cache (a copy where links can't be made)."""
    target = cache / key[:2] / f"{key}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{key}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)
    try:
        os.link(written, temporary)
    except OSError:
        shutil.copy2(written, temporary)
    os.replace(temporary, target)
    return str(target)


def _unchanged(path: str, known: list[Any]) -> bool:
    try:
        status = os.stat(path)
    except OSError:
        return False
    return [status.st_size, status.st_mtime_ns] == list(known[:2])


def search_index(config: MkDocsConfig) -> Any:
    """The search plugin's index (Material's, or MkDocs' own), if the plugin is on: its ``entries`` list."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if isinstance(getattr(index, "entries", None), list):
            enabled = getattr(plugin, "config", {}).get("enabled", True)  # Material's `enabled: false`
            return index if enabled else None
    return None


def page_key(frame: str, file: GeneratedPage) -> str:
    """What one page's output depends on besides the frame: its path, edit link and
    Markdown, which is made from the SitePage alone (its compressed body is hashed as it is)."""
    page = file.site_page
    digest = hashlib.sha256(frame.encode())
    for part in (file.src_uri, file.edit_uri or "", page.title, repr(page.search_boost)):
        digest.update(b"\0" + part.encode("utf-8"))
    digest.update(b"\0" + page.packed)
    return digest.hexdigest()


def frame_key(config: MkDocsConfig) -> str:
    """What every page's output depends on: the configuration (the navigation included),
    the theme's own files, the plugins' options (not okrs': its options reach the pages
    through their Markdown) and the versions of what renders them."""
    described: dict[str, Any] = {key: value for key, value in config.items() if key not in _FRAME_SKIPPED}
    theme = config.theme
    described["theme"] = {"name": theme.name, "options": dict(theme), "custom_dir": _folder_digest(theme.custom_dir)}
    described["markdown_extensions"] = [e if isinstance(e, str) else type(e).__qualname__
                                        for e in config.markdown_extensions]
    described["mdx_configs"] = config.mdx_configs
    described["plugins"] = {name: dict(plugin.config) for name, plugin in config.plugins.items() if name != "okrs"}
    described["hooks"] = {name: _file_digest(getattr(hook, "__file__", None))
                          for name, hook in (config.hooks or {}).items()} if isinstance(config.hooks, dict) else []
    described["versions"] = {name: _version(name) for name in
                             ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")}
    text = json.dumps(described, sort_keys=True, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """A value JSON has no form for, described without its address in memory."""
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    if hasattr(value, "items"):
        return dict(value.items())
    return type(value).__qualname__


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def _file_digest(path: str | None) -> str:
    if not path:
        return ""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def _folder_digest(folder: str | None) -> str:
    """Every file of the theme's custom_dir, names and bytes."""
    if not folder or not os.path.isdir(folder):
        return ""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
