"""A build that reuses the cache of the last one makes the same site, byte for byte.

Real `okrs build` runs on an `okrs demo` repository: a cold build, then edits (in the
working tree, then committed, then a rewritten history), each built once with the cache
and once without it; the two sites must be identical.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import build, build_env, file_contents
from gitrepo import git

from generator.runtime.cache import CACHE_DIR
from generator.demo.repository import create_demo

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-10-25"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incremental") / "repo"
    create_demo(root, weeks=4, objectives=10, seed=11, template_root=REPO)
    return root


def built(root: Path, site: Path, *, cache: bool) -> dict[str, bytes]:
    if not cache:
        shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    result = build(root, site, as_of=AS_OF, env=build_env(PYTHONHASHSEED="0")).result
    assert result.returncode == 0, result.stderr
    assert (root / CACHE_DIR).is_dir()
    return file_contents(site)


def objective_file(root: Path) -> Path:
    return sorted((root / "okrs" / "2026-Q4").rglob("*.md"))[3]


def same_site(root: Path, tmp_path: Path, label: str) -> None:
    with_cache = built(root, tmp_path / f"{label}-cached", cache=True)
    without = built(root, tmp_path / f"{label}-cold", cache=False)
    assert with_cache.keys() == without.keys()
    different = [name for name in with_cache if with_cache[name] != without[name]]
    assert not different, f"{label}: the cached build differs in {different[:5]}"


def test_incremental_builds_equal_cold_builds(demo: Path, tmp_path: Path):
    built(demo, tmp_path / "first", cache=False)  # fills the cache
    path = objective_file(demo)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("objective: ", "objective: Really ", 1), encoding="utf-8")
    same_site(demo, tmp_path, "edited")
    git(demo, "add", "-A")
    git(demo, "-c", "user.name=Dan Diaz", "-c", "user.email=dan@example.com", "commit", "-q", "-m", "Retitle",
        "--date", "2026-10-21T10:00:00+00:00")
    same_site(demo, tmp_path, "committed")
    assert git(demo, "status", "--porcelain") == ""  # the cache never shows up as a change
    git(demo, "reset", "-q", "--hard", "HEAD~3")  # a force push
    same_site(demo, tmp_path, "rewritten")


def test_a_corrupt_cache_is_rebuilt_not_a_crash(demo: Path, tmp_path: Path):
    built(demo, tmp_path / "fill", cache=True)
    for name in ("parses.json", "history.json"):
        (demo / CACHE_DIR / name).write_bytes(b"{\"format\": 1}\n\x00\x01 not json at all")
    same_site(demo, tmp_path, "corrupt")


def test_okrs_build_reads_the_files_once(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`okrs build` checks the files, then the plugin builds the site from what that check
    loaded; with other settings than the check's, the plugin loads the files itself."""
    import generator.cli.main as cli
    import generator.mkdocs.plugin as plugin
    from generator.mkdocs.runner import build_site, plan_build

    # What `okrs build` sets for the whole process, as it runs here in the test's: put back after it.
    monkeypatch.setattr(plugin, "RUNNER_BUILDS_DIRTY", plugin.RUNNER_BUILDS_DIRTY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    loads: list[object] = []
    real = cli.load_repository

    def counting(config, **options):
        loads.append(config)
        return real(config, **options)

    monkeypatch.setattr(cli, "load_repository", counting)
    monkeypatch.setattr(plugin, "load_repository", counting)
    assert cli.main(["build", "--root", str(demo), "--site-dir", str(tmp_path / "site"), "--as-of", AS_OF]) == 0
    assert len(loads) == 1, "the check's load, handed to the plugin"
    assert (tmp_path / "site" / "index.html").is_file()

    checked = loads.pop()
    other = replace(real(checked), config=replace(checked, max_key_results=checked.max_key_results + 1))
    plan = plan_build(demo, tmp_path / "other", source_dir=checked.source_dir, strict=False)
    build_site(plan, as_of=checked.as_of, repository=other)
    assert loads == [checked], "loaded again, with the plugin's settings"
