"""The MkDocs adapter: `plugins: [okrs]` in mkdocs.yml.

It loads the OKRs (refusing to build when they have errors: all of them in one
message), asks the library for the pages, and hands them to MkDocs as generated files.
Nothing is written into the source tree.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from generator.config import OPTIONS, ConfigError, Option, config_from_options
from generator.history.walk import HistoryMemo, read_history
from generator.mkdocs.page_writer import (GeneratedPage, PageWriter, can_write_pages, keep_only, remove_stale_output,
                                         search_index)
from generator.mkdocs.passthrough import MARKER, PassThroughExtension
from generator.mkdocs.search_exclusions import put_back, set_aside
from generator.mkdocs.search_sections import add_entries
from generator.reading.frontmatter import LIBYAML, SLOW_YAML_WARNING
from generator.reading.loader import LoadMemo, Repository, load_repository
from generator.reading.report import finding_text, render_findings
from generator.runtime.cache import Store
from generator.runtime.progress import ProgressLine
from generator.runtime.template_cache import TemplateCache
from generator.site import saved_model
from generator.site.build import SiteModel, build_site_model
from generator.site.findings_page import findings_page
from generator.site.markdown_export import front_matter, html_navigation, nav_title
from generator.site.render import SitePage, keep_compiled
from generator.site.site_url import site_url_problem

log = logging.getLogger("mkdocs.plugins.okrs")

# Set by `okrs build` and `okrs serve` (runner.py), which run MkDocs' build "dirty": the
# plugin then writes its own pages (page_writer.py); under plain `mkdocs build` MkDocs does.
RUNNER_BUILDS_DIRTY = False
SAVE_BEHIND_PAGES = 2000  # from this many pages, writing the model costs more than forking a writer


def _mkdocs_option(option: Option) -> c.BaseConfigOption:
    """MkDocs checks the type (its own message); config_from_options checks the rest (ours)."""
    if option.default is None:  # MkDocs requires every option of a class-based config otherwise
        return c.Optional(c.Type(option.kind))
    return c.Type(option.kind, default=option.default)


# One entry per row of the table in generator/config.py; `okrs build --as-of` sets
# config["as_of"] on the loaded plugin before it builds.
OkrsConfig = type("OkrsConfig", (base.Config,), {
    "__module__": __name__,
    "__doc__": "The okrs plugin's options in mkdocs.yml: generator.config.OPTIONS, as MkDocs options.",
    **{option.name: _mkdocs_option(option) for option in OPTIONS},
})


class OkrsPlugin(BasePlugin[OkrsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._serving = False  # `mkdocs serve` / `okrs serve`: errors become a page, not a stuck server
        self.broken: SitePage | None = None  # that page, while the OKR files have errors
        self.repository: Repository | None = None
        self.loaded: Repository | None = None  # handed over by `okrs build`, which loaded it (build_site)
        self.history: Any = None
        self.model: SiteModel | None = None
        self._progress = ProgressLine()
        self._written = self._to_write = 0
        self._writer: PageWriter | None = None  # kept across serve's rebuilds, with its manifest
        self._writes_pages = False
        self._nav: Any = None
        self._set_aside: list[str] = []  # the page being built: what search_exclusions took out
        self._search_meta: tuple[Any, Any] | None = None  # and its own search settings, while indexed
        self._history_memo = HistoryMemo()  # serve's rebuilds after an edit read the same history
        self._load_memo = LoadMemo()  # and the same files, but the one edited
        self._served: tuple[str, set[str]] | None = None  # serve's folder and what its last build wrote there
        self._model_saved = False  # the site model is in the build cache (serve saves its first only)
        self._templates: TemplateCache | None = None  # our and the theme's templates, compiled before
        self.reuses_folder = False  # set by `okrs build`: the site folder is the spare of an earlier build

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this plugin object across serve's rebuilds.
        self._serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        # Serve keeps this object across rebuilds: let the last build's data go before the next is made,
        # but its model, whose unchanged pages the next one reuses.
        previous, self.model = self.model, None
        self.broken = self.repository = self.history = None
        if not LIBYAML:
            log.warning(SLOW_YAML_WARNING)
        if problem := site_url_problem(config.site_url):
            log.warning(problem)
        try:
            settings = config_from_options(root, dict(self.config))
        except ConfigError as err:
            raise PluginError(str(err)) from None
        store = Store.for_repository(root)  # results of the last build: only what changed is read again
        self._templates = TemplateCache(store) if store is not None else None
        keep_compiled(self._templates)
        self._writes_pages = RUNNER_BUILDS_DIRTY and can_write_pages(config)
        if self._writes_pages and (self._writer is None or (self._writer.store is None) != (store is None)):
            self._writer = PageWriter(store)
        handed, self.loaded = self.loaded, None  # for this build only
        if handed is not None and handed.config == settings:  # read with these settings a moment ago
            self.repository = handed
        else:
            self.repository = load_repository(settings, cache=store, memo=self._load_memo if self._serving else None)
        self._watch = [settings.source_dir, root / "schema"]
        if self.repository.errors and self._serving:
            # MkDocs' server waits for a good build before it answers any request: a failed
            # rebuild would leave the browser hanging. Build a site of one page, the findings.
            log.error(f"okrs: {len(self.repository.errors)} error(s) in the OKR files; the site shows them "
                      "until they are fixed:")
            for finding in self.repository.errors:
                log.error(finding_text(finding), extra={"okrs_finding": finding})
            self.broken = findings_page(self.repository.errors, files_read=self.repository.files_read)
            if not config.nav:
                config.nav = [{nav_title(self.broken.title): self.broken.path}]
            return config
        if self.repository.errors:
            raise PluginError(
                f"okrs: {len(self.repository.errors)} error(s) in the OKR files; fix them first:\n"
                + render_findings(self.repository.errors, "text")
            )
        as_of = settings.today()  # the as_of option, or today in the configured zone (weeks are too)
        progress = ProgressLine()
        try:
            self.history = read_history(settings, as_of=as_of, cache=store, memo=self._history_memo if self._serving else None,
                                        progress=progress.callback("reading the history: commit"),
                                        pool=self.repository.records)
        finally:
            progress.done()
        for warning in self.history.warnings:
            # One escaped line; `okrs build` prints it as an annotation in GitHub Actions.
            log.warning(finding_text(warning), extra={"okrs_finding": warning})
        if previous is None and store is not None:  # a new process: the last build's model, if kept
            previous = saved_model.restore(store, pool=self.repository.records)
        if not self._serving:
            # What is read now (the files, the history, the last model: millions of objects at
            # ten closed years) stays until the pages are made, and none of it in cycles that
            # matter: out of the cyclic collector's sight, which otherwise scans all of it in
            # every full collection while the pages are made. (Serve does so after its first build.)
            gc.freeze()
        self.model = build_site_model(self.repository, self.history, settings, as_of=as_of,
                                      site_url=config.site_url or "",
                                      directory_urls=config.use_directory_urls, previous=previous)
        if store is not None and not (self._serving and self._model_saved):  # serve keeps it in memory
            model, records = self.model, self.repository.records
            if len(model.pages) >= SAVE_BEHIND_PAGES:  # MkDocs goes on while a child writes it
                self._model_saved = store.write_behind(saved_model.NAMES,
                                                         lambda: saved_model.save(store, model, pool=records))
            else:
                self._model_saved = saved_model.save(store, model, pool=records)
        if not self._serving:  # the pages are made: at 10,000 objectives the history alone is 300 MB
            self.history = None
        if not config.nav:
            config.nav = html_navigation(self.model.nav)
        if not any(isinstance(e, PassThroughExtension) for e in config.markdown_extensions):
            config.markdown_extensions.append(PassThroughExtension())  # our pages are HTML already
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.broken is not None:
            files.append(File.generated(config, self.broken.path, content=_markdown_source(self.broken)))
            self._clean_served_folder(files, config)
            return files
        assert self.model is not None, "on_config made the model"
        for page in self.model.pages:
            files.append(GeneratedPage(config, page, _markdown_source, skipped=self._writes_pages))
        for uri, content in sorted(self.model.files.items()):
            files.append(File.generated(config, uri, content=content))
        if not self._serving:  # the files hold the pages now
            self.model = None
        self._written, self._to_write = 0, len(files.documentation_pages())
        self._clean_served_folder(files, config)
        if self.reuses_folder and RUNNER_BUILDS_DIRTY and not self._serving:
            # An earlier build's site: all but our pages goes (MkDocs writes the rest again);
            # the page writer finds in place those that did not change.
            keep_only(config.site_dir, [f for f in files if isinstance(f, GeneratedPage)])
        self._progress = ProgressLine()  # MkDocs' own part of the build is the long one
        return files

    @property
    def links_cached_pages(self) -> bool:
        """Whether this build's pages are links to the page cache (so a spare site costs no second copy)."""
        return self._writes_pages and self._writer is not None and self._writer.cache is not None

    def _clean_served_folder(self, files: Files, config: MkDocsConfig) -> None:
        """`okrs serve` builds dirty into the folder of its last build: what this build will
        not write goes, and the pages MkDocs renders itself are rendered again."""
        if self._serving and RUNNER_BUILDS_DIRTY:
            before = self._served[1] if self._served is not None and self._served[0] == config.site_dir else None
            written = remove_stale_output(config.site_dir, files, written=before,
                                          rebuild=[f for f in files.documentation_pages()
                                                   if not isinstance(f, GeneratedPage)])
            self._served = (config.site_dir, written)

    def on_pre_template(self, template: Any, *, template_name: str, config: MkDocsConfig) -> Any:
        """While broken, the not-found page (any other address) shows the findings too."""
        if self.broken is not None and template_name == "404.html":
            return template.environment.from_string(_BROKEN_404)
        return template

    def on_template_context(self, context: dict, *, template_name: str, config: MkDocsConfig) -> dict:
        if self.broken is not None and template_name == "404.html":
            context["okrs_findings"] = Markup(self.broken.html + _RELOAD_WHEN_FOUND)
        return context

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        writer = self._writer if self._writes_pages and self.broken is None else None  # on_config made it
        if writer is not None and self._serving:
            env = writer.environment(env, config)
        if self._templates is not None:  # the theme's templates compiled before, from the build cache
            env.bytecode_cache = self._templates
        if writer is not None:
            self._progress.done()
            log.info("okrs: writing the generated pages")
            writer.write([f for f in files if isinstance(f, GeneratedPage)], config=config, files=files,
                         nav=self._nav, env=env, serving=self._serving)
            log.info(f"okrs: {writer.rendered} pages rendered, {writer.reused} unchanged ones reused")
        return env

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self._nav = nav  # the page writer renders with it
        return nav

    @event_priority(100)  # before the search plugin reads the page
    def _index_for_search(self, context: dict, *, page: Any, config: MkDocsConfig, nav: Any) -> dict:
        if isinstance(page.file, GeneratedPage) and page.content:
            search = page.meta.get("search", _ABSENT)
            if add_entries(search_index(config), page):  # indexed as Material would: it need not again
                self._search_meta = (page, search)
                page.meta["search"] = {**(search if isinstance(search, dict) else {}), "exclude": True}
            else:  # Material's own parser reads it: what it would skip, set aside
                page.content, self._set_aside = set_aside(page.content)
        return context

    @event_priority(-100)  # after it, before the theme prints the page
    def _restore_after_search(self, context: dict, *, page: Any, config: MkDocsConfig, nav: Any) -> dict:
        if isinstance(page.file, GeneratedPage) and self._set_aside:
            page.content = put_back(page.content, self._set_aside)
        self._set_aside = []
        if self._search_meta is not None and self._search_meta[0] is page:
            if self._search_meta[1] is _ABSENT:
                del page.meta["search"]
            else:
                page.meta["search"] = self._search_meta[1]
        self._search_meta = None
        return context

    # Material's search parser spends most of its time on bookkeeping, and parses what it
    # excludes (our charts and tables, most of our pages' bytes): our pages are indexed by a
    # quicker copy of it that leaves those unread (search_sections.py), and Material's skips
    # them; with another version of Material, its parser reads them with those set aside
    # (search_exclusions.py). The theme prints them whole.
    on_page_context = CombinedEvent(_index_for_search, _restore_after_search)

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        if not (isinstance(page.file, GeneratedPage) and page.file.skipped):  # not in the page writer's workers
            self._written += 1
            self._progress.update("building pages", self._written, self._to_write)
        return output

    @event_priority(50)  # before the search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._writes_pages and self._writer is not None:
            self._writer.hand_over_search_entries(config)
        self._progress.done()
        if self._templates is not None:
            self._templates.save()

    def on_build_error(self, *, error: Exception) -> None:
        self._progress.done()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        for path in self._watch:  # rebuild when an OKR file or a schema changes
            if path.exists():
                server.watch(str(path))
        # After the first build: what it keeps for the rebuilds (the model, its views, the
        # history; 300,000 objects at 1,000 objectives) leaves the cyclic collector's sight,
        # which scanned all of it in a full collection during most rebuilds (0.25-0.4 s).
        # Reference counting still frees it; what it held in cycles stays until the end.
        gc.freeze()
        return server


_ABSENT = object()  # a page's meta without "search"

# The theme's not-found page, with the findings as its content.
_BROKEN_404 = '{% extends "main.html" %}{% block content %}{{ okrs_findings }}{% endblock %}'
# MkDocs' server adds its live-reload script to the pages it finds, not to the not-found
# page: this one asks for its own address until it is there again (the file was fixed).
_RELOAD_WHEN_FOUND = """<script>
(function poll() {
  setTimeout(function () {
    fetch(location.href, {cache: "no-store"}).then(function (r) { if (r.ok) { location.reload(); } else { poll(); } },
                                                  poll);
  }, 1000);
})();
</script>
"""


def _markdown_source(page: SitePage) -> str:
    """The Markdown file MkDocs reads for a page: front matter with the title, then the
    marker and the body, which PassThroughExtension hands through unparsed. `okrs render`
    writes the same front matter and body (markdown_export), without the marker."""
    return front_matter(page) + MARKER + "\n" + page.html
