"""`mkdocs serve` rebuilds when an OKR file or a schema changes: the plugin watches both folders."""

from __future__ import annotations

from pathlib import Path

from gitrepo import CHECKOUT, CHECKOUT_PATH, PEOPLE
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.livereload import LiveReloadServer

from e2e.conftest import copy_repository


def test_serve_watches_the_okr_source_folder_and_the_schemas(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo", with_okrs=False).resolve()
    (root / "okrs").mkdir()
    (root / "okrs" / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    (root / CHECKOUT_PATH).parent.mkdir(parents=True)
    (root / CHECKOUT_PATH).write_text(CHECKOUT, encoding="utf-8")
    site = tmp_path / "site"
    config = load_mkdocs_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
    mkdocs_build(config)  # what `mkdocs serve` does before it serves
    # A server that is never started: watching only registers the folders with it.
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(site))
    try:
        returned = config.plugins.on_serve(server, config=config, builder=lambda: None)
        watched = set(server._watched_paths)  # what serve() prints as "Watching paths for changes"
    finally:
        server.server_close()
    assert returned is server
    assert {str(root / "okrs"), str(root / "schema")} <= watched, watched
