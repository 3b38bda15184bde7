"""The MkDocs adapter: `plugins: [okrs]` in mkdocs.yml.

It loads the OKRs (refusing to build when they have errors: all of them in one
message), asks the library for the pages, and hands them to MkDocs as generated files.
Nothing is written into the source tree.
"""

from __future__ import annotations

import html
import logging
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.reading import schemas
from generator.runtime.cache import Store
from generator.config import ConfigError, config_from_options
from generator.reading.frontmatter import LIBYAML, SLOW_YAML_WARNING
from generator.history.walk import read_history
from generator.site.history_pages import changelog_pages, feed
from generator.site.history_views import digests
from generator.reading.loader import Repository, load_repository
from generator.mkdocs.passthrough import PassThroughExtension
from generator.site.pages import build_pages, current_period, ordered_periods, state_json
from generator.runtime.progress import ProgressLine
from generator.reading.report import finding_text, render_findings
from generator.site.schema_docs import reference
from generator.site.site_url import site_url_problem
from generator.site.views import Context

log = logging.getLogger("mkdocs.plugins.okrs")


class OkrsConfig(base.Config):
    source = c.Type(str, default="okrs")
    ownership = c.Type(str, default="individual")
    max_key_results = c.Type(int, default=5)
    timezone = c.Type(str, default="UTC")
    stale_after_weeks = c.Type(int, default=2)
    periods = c.Type(dict, default={})


class OkrsPlugin(BasePlugin[OkrsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.as_of: date | None = None  # set by `okrs build --as-of`; default today
        self.repository: Repository | None = None  # set by `okrs build`, which loaded it already
        self.history: Any = None
        self._pages: list = []
        self._extra_files: dict[str, str] = {}
        self._progress = ProgressLine()
        self._written = self._to_write = 0

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        if not LIBYAML:
            log.warning(SLOW_YAML_WARNING)
        if problem := site_url_problem(config.site_url):
            log.warning(problem)
        try:
            settings = config_from_options(root, dict(self.config))
        except ConfigError as err:
            raise PluginError(str(err)) from None
        store = Store.for_repository(root)  # results of the last build: only what changed is read again
        if self.repository is None:
            self.repository = load_repository(settings, cache=store)
        if self.repository.errors:
            raise PluginError(
                f"okrs: {len(self.repository.errors)} error(s) in the OKR files; fix them first:\n"
                + render_findings(self.repository.errors, "text")
            )
        as_of = self.as_of or datetime.now(settings.tz).date()  # weeks are in that zone too
        progress = ProgressLine()
        try:
            self.history = read_history(settings, as_of=as_of, cache=store,
                                        progress=progress.callback("reading the history: commit"))
        finally:
            progress.done()
        for warning in self.history.warnings:
            # One escaped line; `okrs build` prints it as an annotation in GitHub Actions.
            log.warning(finding_text(warning), extra={"okrs_finding": warning})
        stale = (self.history.stale(as_of, self.repository.objectives, settings.stale_after_weeks)
                 if self.history.available else [])
        ctx = Context(people=self.repository.people, objectives=self.repository.objectives,
                      periods=dict(settings.periods), as_of=as_of, history=self.history,
                      stale_refs=frozenset(f"{s.objective}#{s.key_result}" for s in stale))
        weekly = digests(ctx)
        guide = {"reference": reference(schemas.load_schema(root, schemas.OBJECTIVE),
                                        schemas.load_schema(root, schemas.PEOPLE)),
                 "source": settings.source}
        self._pages = build_pages(ctx, guide=guide, stale=stale, directory_urls=config.use_directory_urls,
                                  extra=lambda renderer: changelog_pages(renderer, weekly))
        self._extra_files = {"okrs.json": state_json(ctx),
                             "changelog/feed.xml": feed(ctx, weekly, site_url=config.site_url or "")}
        if not config.nav:
            config.nav = _navigation(ctx, self._pages)
        if not any(isinstance(e, PassThroughExtension) for e in config.markdown_extensions):
            config.markdown_extensions.append(PassThroughExtension())  # our pages are HTML already
        self._watch = [settings.source_dir, root / "schema"]
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for page in self._pages:
            file = File.generated(config, page.uri, content=page.content)
            if page.edit_path:
                file.edit_uri = page.edit_path
            files.append(file)
        for uri, content in sorted(self._extra_files.items()):
            files.append(File.generated(config, uri, content=content))
        self._written, self._to_write = 0, len(files.documentation_pages())
        self._progress = ProgressLine()  # MkDocs' own part of the build is the long one
        return files

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        self._written += 1
        self._progress.update("building pages", self._written, self._to_write)
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._progress.done()

    def on_build_error(self, *, error: Exception) -> None:
        self._progress.done()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        for path in self._watch:  # rebuild when an OKR file or a schema changes
            if path.exists():
                server.watch(str(path))
        return server


def _nav_title(text: str) -> str:
    """A title for the navigation from a period name (mkdocs.yml may name a period anything):
    the theme writes nav titles into the HTML as they are, so they must be HTML already."""
    return html.escape(text, quote=True)


def _navigation(ctx: Context, pages: list) -> list[dict[str, Any]]:
    """A shallow navigation: sections with index pages, not every objective (see README)."""
    objectives = list(ctx.objectives.values())
    current = current_period(objectives, ctx)
    past = [p for p in ordered_periods(objectives, ctx) if p != current]
    nav: list[dict[str, Any]] = [{"Dashboard": "index.md"}]
    if current:
        nav.append({_nav_title(f"{current} (current)"): f"periods/{current}.md"})
    nav += [
        {"Alignment": "alignment.md"},
        {"Teams": "teams/index.md"},
        {"People": "people/index.md"},
    ]
    if any(page.uri == "changelog/index.md" for page in pages):  # no nav entry to a page not made
        nav.append({"Changelog": "changelog/index.md"})
    nav.append({"Periods": ["periods/index.md"] + [{_nav_title(p): f"periods/{p}.md"} for p in past]})
    nav.append({"How to edit OKRs": "how-to-edit.md"})
    return nav
