"""`okrs build` writes the plugin's pages itself (on every core, unchanged ones reused from
the page cache), and the site is byte for byte the one plain `mkdocs build` makes, where
MkDocs renders every page.

Real builds of an `okrs demo` repository large enough for the pages to be rendered in
worker processes, with a hand-written page among the generated ones (its search entries
come first in the index, as in a plain build).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import build, build_env, file_contents

from generator.demo.repository import create_demo
from generator.runtime.cache import CACHE_DIR

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-10-25"

# MkDocs renders every page: the reference (plain `mkdocs build`, the plugin loaded, not dirty).
PLAIN_BUILD = r"""
import os, sys
from datetime import date, datetime, timezone
from mkdocs.commands.build import build
from mkdocs.config import load_config
root, site, as_of = sys.argv[1:4]
day = date.fromisoformat(as_of)
os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()))
config = load_config(os.path.join(root, "mkdocs.yml"), site_dir=site)
config.plugins["okrs"].config["as_of"] = day
build(config)
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("writer") / "repo"
    create_demo(root, weeks=4, objectives=70, seed=5, template_root=REPO)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "guide.md").write_text("# Our OKR guide\n\n## Writing one\n\nStart from the outcome.\n\n"
                                            "## Checking in\n\nEvery Friday.\n", encoding="utf-8")
    return root


def okrs_build(root: Path, site: Path) -> dict[str, bytes]:
    result = build(root, site, as_of=AS_OF, env=build_env(PYTHONHASHSEED="0")).result
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "dirty" not in result.stderr
    return file_contents(site)


def plain_build(root: Path, site: Path) -> dict[str, bytes]:
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    result = subprocess.run([sys.executable, "-c", PLAIN_BUILD, root, site, AS_OF], capture_output=True, text=True,
                            env=build_env(PYTHONHASHSEED="0"), timeout=300)
    assert result.returncode == 0, result.stderr
    contents = file_contents(site)
    return contents


def differences(ours: dict[str, bytes], reference: dict[str, bytes]) -> list[str]:
    ours = {k: v for k, v in ours.items() if k != ".okrs-site"}  # the marker of a folder okrs build made
    return sorted(set(ours) ^ set(reference)) + [k for k in ours if k in reference and ours[k] != reference[k]]


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def reused(first: Path, second: Path) -> set[str]:
    """The pages the second build took from the cache: the same file (linked), not a new one."""
    return {str(p.relative_to(second)) for p in pages(second)
            if (first / p.relative_to(second)).exists() and os.path.samefile(p, first / p.relative_to(second))}


def test_okrs_build_writes_the_site_plain_mkdocs_writes(demo: Path, tmp_path: Path):
    reference = plain_build(demo, tmp_path / "plain")
    assert len([k for k in reference if k.endswith(".html")]) > 200  # enough pages for the worker processes
    index = reference["search/search_index.json"].decode()
    assert index.index("Our OKR guide") < index.index('"location":"objectives/')  # hand-written first
    shutil.rmtree(demo / CACHE_DIR, ignore_errors=True)
    cold = okrs_build(demo, tmp_path / "cold")
    assert differences(cold, reference) == []
    warm = okrs_build(demo, tmp_path / "warm")  # every page from the cache
    assert differences(warm, reference) == []
    generated = {str(p.relative_to(tmp_path / "warm")) for p in pages(tmp_path / "warm")} - {"guide/index.html"}
    assert reused(tmp_path / "cold", tmp_path / "warm") == generated


def test_an_edit_renders_its_pages_again_and_reuses_the_rest(demo: Path, tmp_path: Path):
    okrs_build(demo, tmp_path / "before")
    path = sorted((demo / "okrs" / "2026-Q4").rglob("*.md"))[5]
    slug = path.stem
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("objective: ", "objective: Truly ", 1), encoding="utf-8")
    try:
        after = okrs_build(demo, tmp_path / "after")
        again = reused(tmp_path / "before", tmp_path / "after")
        everything = pages(tmp_path / "after")
        changed = [p for p in everything if str(p.relative_to(tmp_path / "after")) not in again]
        assert any(slug in str(p) for p in changed)  # its own page is new
        assert "objectives/index.html" in {str(p.relative_to(tmp_path / "after")) for p in changed}  # it lists all
        assert len(changed) < len(everything) / 4  # the rest came from the cache
        assert differences(after, plain_build(demo, tmp_path / "plain-after")) == []
    finally:
        path.write_text(text, encoding="utf-8")


# `okrs build` with every save made behind (a forked child writes it), as at 10,000 objectives.
BEHIND_BUILD = r"""
import sys
import generator.history.walk as walk
import generator.mkdocs.plugin as plugin
from generator.cli.main import main
plugin.SAVE_BEHIND_PAGES = walk.SAVE_BEHIND_COMMITS = 1
sys.exit(main(sys.argv[1:]))
"""


def test_what_a_build_saves_behind_is_there_when_it_ends(demo: Path, tmp_path: Path, monkeypatch):
    from generator.config import load_config
    from generator.history import walk
    from generator.runtime.cache import Store
    from generator.site import saved_model

    shutil.rmtree(demo / CACHE_DIR, ignore_errors=True)
    result = subprocess.run([sys.executable, "-c", BEHIND_BUILD, "build", "--root", demo, "--as-of", AS_OF,
                             "--site-dir", tmp_path / "site"], capture_output=True, text=True, env=build_env(),
                            timeout=300)
    assert result.returncode == 0, result.stderr
    kept = saved_model.restore(Store(demo))  # written by a child the build waited for
    assert kept is not None
    assert {p.path for p in kept.pages} >= {"index.md", "objectives/index.md"}
    walked = []
    original = walk.read_log
    monkeypatch.setattr(walk, "read_log", lambda *a, **k: walked.append(k.get("since")) or original(*a, **k))
    walk.read_history(load_config(demo), cache=Store(demo))
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=demo, capture_output=True, text=True).stdout.strip()
    assert walked == [head]  # the saved walk reached HEAD: nothing to walk again


def test_a_damaged_cached_page_is_rendered_again(demo: Path, tmp_path: Path):
    okrs_build(demo, tmp_path / "fill")
    cached = sorted((demo / CACHE_DIR / "pages").rglob("*.html"))
    assert cached
    for victim in cached[:5]:
        victim.write_bytes(b"<p>not the page</p>")  # the site's copy is the same file: both are damaged
    rebuilt = okrs_build(demo, tmp_path / "rebuilt")
    assert b"not the page" not in b"".join(rebuilt.values())
    # The manifest describes the pages rendered again as they are now: the next build places every page.
    okrs_build(demo, tmp_path / "again")
    generated = {str(p.relative_to(tmp_path / "again")) for p in pages(tmp_path / "again")} - {"guide/index.html"}
    assert reused(tmp_path / "rebuilt", tmp_path / "again") == generated
    assert differences(rebuilt, plain_build(demo, tmp_path / "plain")) == []


def test_the_manifest_keeps_the_lines_of_the_pages_placed_again(demo: Path, tmp_path: Path):
    """The manifest of an unchanged page is written again as it was read (not encoded anew),
    and only an edited page's line is new."""
    def lines() -> set[bytes]:
        body = (demo / CACHE_DIR / "pages.bin").read_bytes()
        return set(body.split(b"\n", 1)[1].splitlines())  # after the signed header

    okrs_build(demo, tmp_path / "first")
    before = lines()
    path = sorted((demo / "okrs" / "2026-Q4").rglob("*.md"))[3]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("objective: ", "objective: Plainly ", 1), encoding="utf-8")
    try:
        okrs_build(demo, tmp_path / "second")
        after = lines()
        placed = reused(tmp_path / "first", tmp_path / "second")
        assert len(before & after) == len(placed) > len(after) / 2  # a line per page placed again, byte for byte
        assert after - before and len(after - before) == len(after) - len(placed)
    finally:
        path.write_text(text, encoding="utf-8")


def test_a_new_frame_renders_every_page(demo: Path, tmp_path: Path):
    okrs_build(demo, tmp_path / "first")
    config = demo / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original.replace("primary: indigo", "primary: teal", 1), encoding="utf-8")
    try:
        second = okrs_build(demo, tmp_path / "second")
        assert reused(tmp_path / "first", tmp_path / "second") == set()
        assert b'data-md-color-primary="teal"' in second["index.html"]
    finally:
        config.write_text(original, encoding="utf-8")


def _serve_build(root: Path, site: Path, as_of: str) -> None:
    """One build as `okrs serve` makes it: MkDocs' config read again, the plugin kept, the
    build dirty (the page writer's) into the same folder."""
    from datetime import date, datetime, timezone

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    day = date.fromisoformat(as_of)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()))
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    config.plugins["okrs"].config["as_of"] = day
    mkdocs_build(config, serve_url="http://127.0.0.1:8000/", dirty=True)


def test_serve_rebuilds_into_its_folder_the_site_a_cold_build_makes(demo: Path, tmp_path: Path, monkeypatch):
    import generator.mkdocs.plugin as plugin

    monkeypatch.setattr(plugin, "RUNNER_BUILDS_DIRTY", True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # restored after the test
    served = tmp_path / "served"
    _serve_build(demo, served, AS_OF)
    paths = sorted((demo / "okrs" / "2026-Q4").rglob("*.md"))
    edited, deleted = paths[7], paths[9]
    texts = {p: p.read_text(encoding="utf-8") for p in (edited, deleted)}
    try:
        edited.write_text(re.sub(r"^(    current: )(\S+)", r"\g<1>424242", texts[edited], count=1, flags=re.M),
                          encoding="utf-8")
        deleted.unlink()
        before = {p: p.stat().st_mtime_ns for p in pages(served)}
        before_names = {str(p.relative_to(served)) for p in before}
        _serve_build(demo, served, AS_OF)
        after = file_contents(served)
        rewritten = [p for p in pages(served) if before.get(p) != p.stat().st_mtime_ns]
        assert 0 < len(rewritten) < len(before) / 4  # only what the edit reached
        cold = okrs_build(demo, tmp_path / "cold")
        assert differences({**after, ".okrs-site": b""}, {k: v for k, v in cold.items() if k != ".okrs-site"}) == []
        ident = deleted.relative_to(demo / "okrs").with_suffix("").as_posix()
        assert f"objectives/{ident}/index.html" in before_names and f"objectives/{ident}/index.html" not in after
    finally:
        for path, text in texts.items():
            path.write_text(text, encoding="utf-8")


def test_the_manifest_of_an_earlier_version_is_removed(demo: Path, tmp_path: Path):
    """Before the manifest was lines (pages.bin), it was JSON (pages.json): a build deletes that one."""
    old = demo / CACHE_DIR / "pages.json"
    old.parent.mkdir(exist_ok=True)
    old.write_text('{"a manifest": "of an earlier version"}', encoding="utf-8")
    okrs_build(demo, tmp_path / "site")
    assert not old.exists() and (demo / CACHE_DIR / "pages.bin").is_file()


def _folders(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*") if p.is_dir()}


def test_the_site_a_build_replaced_is_the_folder_the_next_one_builds_into(demo: Path, tmp_path: Path):
    """The site a build replaces waits beside it (`.site.spare`: its pages links to the page
    cache, no second copy), and the next build builds into it: its folders are there, its
    unchanged pages in place. What that build makes is the site a build from nothing makes."""
    site = tmp_path / "out" / "site"
    spare = site.with_name(".site.spare")
    okrs_build(demo, site)
    assert not spare.exists(), "nothing replaced, nothing kept"
    first_page = next(p for p in pages(site) if "/objectives/" in str(p))
    okrs_build(demo, site)
    assert (spare / ".okrs-site").is_file() and (spare / first_page.relative_to(site)).is_file()
    cached = {os.stat(p).st_ino for p in (demo / CACHE_DIR / "pages").rglob("*.html")}
    kept = [p for p in pages(spare) if "objectives" in p.parts]
    assert kept and all(os.stat(p).st_ino in cached for p in kept), "the spare's pages are the cache's files"
    stray = spare / "objectives" / "stray" / "index.html"
    stray.parent.mkdir(parents=True)
    stray.write_text("a page of no build", encoding="utf-8")
    (spare / "assets" / "extra.css").write_text("/* nobody wrote this */", encoding="utf-8")
    path = sorted((demo / "okrs" / "2026-Q4").rglob("*.md"))[5]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("objective: ", "objective: Spared ", 1), encoding="utf-8")
    try:
        built = okrs_build(demo, site)  # into the spare, which then holds the site it replaced
        assert spare.is_dir() and not any(p.name.startswith(".site.building") for p in site.parent.iterdir())
        assert "objectives/stray/index.html" not in built and "assets/extra.css" not in built
        assert b"Spared " in b"".join(built.values())
        plain = plain_build(demo, tmp_path / "plain")
        assert differences(built, plain) == []
        assert _folders(site) == _folders(tmp_path / "plain"), "and no folder left empty"
    finally:
        path.write_text(text, encoding="utf-8")


def test_a_spare_folder_that_is_not_a_site_of_ours_is_left_alone(demo: Path, tmp_path: Path):
    site = tmp_path / "site"
    spare = site.with_name(".site.spare")
    spare.mkdir()
    (spare / "notes.txt").write_text("mine", encoding="utf-8")
    okrs_build(demo, site)
    okrs_build(demo, site)
    assert (spare / "notes.txt").read_text(encoding="utf-8") == "mine" and len(list(spare.iterdir())) == 1
    assert not any(p.name.startswith(".site.previous") for p in tmp_path.iterdir()), "the replaced site: deleted"
