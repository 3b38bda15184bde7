"""`okrs render DIR`: the example built by plain MkDocs from the rendered folder, no okrs
plugin, gives the same pages with the same main content as `okrs build`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import AS_OF, BuiltSite, build_env, file_contents, run_okrs

ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


def _html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts}


def _article(page: Path) -> str:
    match = ARTICLE.search(page.read_text(encoding="utf-8"))
    assert match, f"{page}: no main content"
    return " ".join(match.group(1).split())


class _AnyTag(yaml.SafeLoader):
    pass


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)


@pytest.fixture(scope="module")
def rendered(example_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("render") / "rendered"
    result = run_okrs("render", folder, "--root", example_site.root, "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    out = folder.parent / "plain-site"
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml"),
                            "-d", str(out)], capture_output=True, text=True, env=build_env(), timeout=300)
    assert built.returncode == 0, built.stderr
    return folder, out


def test_the_rendered_config_needs_no_okrs_plugin(rendered: tuple[Path, Path]) -> None:
    folder, _ = rendered
    config = yaml.load((folder / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTag)
    plugins = config.get("plugins") or []
    names = [entry if isinstance(entry, str) else next(iter(entry)) for entry in plugins]
    assert "okrs" not in names and "search" in names
    assert config["docs_dir"] == "docs" and config["theme"]["custom_dir"] == "overrides"
    assert (folder / "overrides" / "assets" / "okrs.css").is_file()  # the overrides travel with it


def test_plain_mkdocs_builds_the_same_pages_with_the_same_content(example_site: BuiltSite,
                                                                   rendered: tuple[Path, Path]) -> None:
    _, plain = rendered
    pages = _html_pages(example_site.site)
    assert len(pages) > 40 and pages == _html_pages(plain)
    different = [p for p in sorted(pages) if _article(example_site.site / p) != _article(plain / p)]
    assert different == []
    # The edit link goes to the objective's OKR file, as in the plugin's build; pages without one have none.
    objective = next(p for p in sorted(pages) if p.startswith("objectives/"))
    assert 'rel="edit"' in _article(plain / objective) and "/okrs/" in _article(plain / objective)
    assert 'rel="edit"' not in _article(plain / "index.html")
    # The search index holds the same entries, search boosts included; MkDocs lists files
    # from docs_dir before generated ones, so only the order differs.
    def entries(site: Path) -> list[str]:
        index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        return sorted(json.dumps(doc, sort_keys=True) for doc in index["docs"])
    assert entries(plain) == entries(example_site.site) and any('"boost"' in e for e in entries(plain))
    for name in ("okrs.json", "changelog/feed.xml"):
        assert (plain / name).read_bytes() == (example_site.site / name).read_bytes()


def test_render_refuses_a_folder_of_someone_elses_files(example_site: BuiltSite, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes\n", encoding="utf-8")
    before = file_contents(folder)
    result = run_okrs("render", folder, "--root", example_site.root, "--as-of", AS_OF)
    assert result.returncode == 2
    assert "not a folder written by okrs render" in result.stderr and "Traceback" not in result.stderr
    assert file_contents(folder) == before
    docs_before = file_contents(example_site.root)
    into_docs = run_okrs("render", example_site.root / "docs", "--root", example_site.root, "--as-of", AS_OF)
    assert into_docs.returncode == 2 and "hand-written docs_dir" in into_docs.stderr
    assert file_contents(example_site.root) == docs_before


def test_render_again_replaces_a_previous_render(example_site: BuiltSite, tmp_path: Path) -> None:
    folder = tmp_path / "rendered"
    first = run_okrs("render", folder, "--root", example_site.root, "--as-of", AS_OF)
    assert first.returncode == 0, first.stderr
    stale = folder / "docs" / "stale.md"
    stale.write_text("left over\n", encoding="utf-8")
    again = run_okrs("render", folder, "--root", example_site.root, "--as-of", AS_OF)
    assert again.returncode == 0, again.stderr
    assert not stale.exists() and (folder / "docs" / "index.md").is_file()
    assert not any(p.name.startswith(".rendered.") for p in tmp_path.iterdir())  # no staging left behind


def test_a_hostile_repository_renders_to_the_same_escaped_pages(hostile_site: BuiltSite, tmp_path: Path) -> None:
    folder, plain = tmp_path / "rendered", tmp_path / "plain-site"
    result = run_okrs("render", folder, "--root", hostile_site.root, "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml"),
                            "-d", str(plain)], capture_output=True, text=True, env=build_env(), timeout=300)
    assert built.returncode == 0, built.stderr
    pages = _html_pages(hostile_site.site)
    assert pages == _html_pages(plain)
    assert [p for p in sorted(pages) if _article(hostile_site.site / p) != _article(plain / p)] == []
    for page in pages:  # the markup people typed is text, in the titles too
        text = (plain / page).read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, page


def test_okrs_build_says_that_material_reaches_its_end_of_life(example_site: BuiltSite) -> None:
    """Material prints its end-of-life banner under the `mkdocs` command only; okrs says it too."""
    notice = [line for line in example_site.result.stderr.splitlines() if "end of life" in line]
    assert notice == ["okrs: note: Material for MkDocs reaches end of life on 5 May 2027 and MkDocs 1.x is no "
                      "longer maintained; `okrs render DIR` writes the site as a folder that ProperDocs or "
                      "Zensical can build (README: The engine plan)"]
