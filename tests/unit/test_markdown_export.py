"""The pure part of `okrs render`: where page files go, edit links, the rendered mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.site.markdown_export import edit_url, file_path, html_navigation
from generator.site.rendered_config import Tagged, dump_config, read_project_config, rendered_config


def test_a_page_file_sits_in_its_url_folder_when_urls_are_folders() -> None:
    assert file_path("teams/payments.md", directory_urls=True) == "teams/payments/index.md"
    assert file_path("teams/index.md", directory_urls=True) == "teams/index.md"
    assert file_path("index.md", directory_urls=True) == "index.md"
    assert file_path("teams/payments.md", directory_urls=False) == "teams/payments.md"


def test_edit_links_join_as_mkdocs_joins_them() -> None:
    source = "okrs/2026-Q4/growth/activation.md"
    assert edit_url(source, repo_url="https://github.com/o/r", edit_uri="edit/main/",
                    edit_uri_template=None) == "https://github.com/o/r/edit/main/" + source
    assert edit_url(source, repo_url="https://github.com/o/r/", edit_uri=None,
                    edit_uri_template="blob/main/{path_noext}.md?plain=1") == \
        "https://github.com/o/r/blob/main/okrs/2026-Q4/growth/activation.md?plain=1"
    assert edit_url(None, repo_url="https://github.com/o/r", edit_uri="edit/main/", edit_uri_template=None) is None
    assert edit_url(source, repo_url="https://github.com/o/r", edit_uri="", edit_uri_template=None) is None


def test_navigation_titles_are_escaped_and_paths_placed() -> None:
    nav = [{"A & <b>": "teams/x.md"}, {"S": ["periods/index.md", {"Q": "periods/q.md"}]}]
    placed = html_navigation(nav, place=lambda p: file_path(p, directory_urls=True))
    assert placed == [{"A &amp; &lt;b&gt;": "teams/x/index.md"},
                      {"S": ["periods/index.md", {"Q": "periods/q/index.md"}]}]


def test_the_rendered_config_drops_the_plugin_and_keeps_tags(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text("site_name: Base\nrepo_url: https://github.com/o/r\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "INHERIT: base.yml\nsite_name: !ENV [OKRS_SITE_NAME, 'Our OKRs']\nsite_dir: public\n"
        "theme: material\nplugins:\n  - search\n  - okrs:\n      source: okrs\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8")
    out = rendered_config(read_project_config(tmp_path / "mkdocs.yml"), nav=[{"Home": "index.md"}])
    assert out["plugins"] == ["search"] and "site_dir" not in out
    assert out["theme"] == {"name": "material", "custom_dir": "overrides"} and out["docs_dir"] == "docs"
    assert out["repo_url"] == "https://github.com/o/r" and out["nav"] == [{"Home": "index.md"}]
    assert out["site_name"] == Tagged("!ENV", ["OKRS_SITE_NAME", "Our OKRs"])
    text = dump_config(out)
    assert "!ENV [OKRS_SITE_NAME, Our OKRs]" in text
    assert "!!python/name:material.extensions.emoji.twemoji" in text
    keep = type("Keep", (yaml.SafeLoader,), {})
    keep.add_multi_constructor("", lambda loader, suffix, node: suffix)
    assert yaml.load(text, Loader=keep)["plugins"] == ["search"]
