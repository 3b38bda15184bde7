"""`okrs serve` lists the theme's files once (theme_files.py): each rebuild gets the very
files MkDocs' own listing gives, the docs' files still win over the theme's, and a file
added to the project's theme folder while serving is there at the next rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files

from e2e.conftest import copy_repository
from generator.mkdocs.theme_files import remember_theme_files


def _theme_files(config, *, start: list[File] = ()) -> list[tuple[str, str, str]]:
    files = Files(list(start))
    files.add_files_from_theme(config.theme.get_env(), config)
    return [(f.src_uri, f.src_dir, f.abs_dest_path) for f in files]


@pytest.fixture
def config(tmp_path: Path):
    root = copy_repository(tmp_path / "repo", with_okrs=False)
    return load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))


def test_the_remembered_list_is_mkdocs_own(config, monkeypatch: pytest.MonkeyPatch) -> None:
    own = _theme_files(config)
    monkeypatch.setattr(Files, "add_files_from_theme", Files.add_files_from_theme)  # put back after the test
    remember_theme_files()
    assert Files.add_files_from_theme.remembers
    first, again = _theme_files(config), _theme_files(config)
    assert len(own) > 20 and first == own and again == own
    docs_favicon = File("assets/images/favicon.png", config.docs_dir, config.site_dir, config.use_directory_urls)
    assert "assets/images/favicon.png" in {uri for uri, _, _ in own}
    with_docs = _theme_files(config, start=[docs_favicon])
    assert [f for f in with_docs if f[0] == "assets/images/favicon.png"] == [
        ("assets/images/favicon.png", config.docs_dir, docs_favicon.abs_dest_path)], "the docs' file comes first"


def test_a_file_added_to_the_project_theme_while_serving_is_copied(config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Files, "add_files_from_theme", Files.add_files_from_theme)
    remember_theme_files()
    before = {uri for uri, _, _ in _theme_files(config)}
    added = Path(config.theme.custom_dir) / "assets" / "extra-served.js"
    added.write_text("console.log('served');\n", encoding="utf-8")
    after = {uri for uri, _, _ in _theme_files(config)}
    assert after - before == {"assets/extra-served.js"}
    added.unlink()
    assert {uri for uri, _, _ in _theme_files(config)} == before
