"""`okrs serve` rebuilds after an edit from the last build's model: the plugin object
survives the rebuild (as MkDocs' serve keeps it), makes again only the pages the edit
reaches, and the site it writes is the site a build from nothing writes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as load_mkdocs_config

from e2e.conftest import REPO, file_contents
from generator.demo.repository import create_demo
from generator.runtime.cache import CACHE_DIR
from generator.site import saved_model


def _serve_build(root: Path, site: Path, as_of: date):
    """One build as `mkdocs serve` makes it (the config read again, the plugin kept); the plugin."""
    config = load_mkdocs_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    config.plugins["okrs"].config["as_of"] = as_of
    mkdocs_build(config)
    return config.plugins["okrs"]


def test_a_serve_rebuild_reuses_pages_and_writes_the_same_site(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "demo"
    summary = create_demo(root, weeks=2, objectives=24, seed=5, template_root=REPO)
    as_of = date.fromisoformat(summary.rsplit("--as-of ", 1)[1].rstrip("`"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # the sitemap's dates
    first = _serve_build(root, tmp_path / "one", as_of)
    path = next(p for p in sorted((root / "okrs" / "2026-Q4").glob("*/*.md")) if p.parent.name != "company")
    text = path.read_text()
    path.write_text(re.sub(r"^(    current: )(\S+)", r"\g<1>123456", text, count=1, flags=re.M))

    second = _serve_build(root, tmp_path / "two", as_of)
    assert second is first, "MkDocs keeps the plugin object across serve's rebuilds"
    made, pages = second.model.memo.made, second.model.pages
    assert 0 < len(made) < len(pages) / 2, sorted(made)
    page = f"objectives/{path.relative_to(root / 'okrs').with_suffix('').as_posix()}/index.html"
    assert "123,456" in (tmp_path / "two" / page).read_text() and "123,456" not in (tmp_path / "one" / page).read_text()

    second.model = None  # the next build starts from nothing: neither in memory nor in the build cache
    (root / CACHE_DIR / f"{saved_model.SITE_MODEL}.json").unlink(missing_ok=True)
    third = _serve_build(root, tmp_path / "three", as_of)
    assert third.model.memo.made == {p.path for p in third.model.pages}
    rebuilt, cold = file_contents(tmp_path / "two"), file_contents(tmp_path / "three")
    assert sorted(rebuilt) == sorted(cold)
    assert [name for name in rebuilt if rebuilt[name] != cold[name]] == []
