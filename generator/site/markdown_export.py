"""The site model as a folder of Markdown files that any MkDocs-like engine can build.

`okrs render DIR` writes what the MkDocs plugin hands MkDocs in memory: each page as a
Markdown file (front matter with its title, then its HTML body, which Markdown passes
through as one raw HTML block), the other files (okrs.json, the feed) as they are, and
a theme partial that puts each page's edit link where the plugin puts it. No MkDocs
import here: the folder is plain data; `generator/cli/render.py` writes it.
"""

from __future__ import annotations

import html
import json
import posixpath
from typing import Any, Callable
from urllib.parse import urljoin

from generator.site.build import SiteModel
from generator.site.render import SitePage

# The theme partial that draws the edit button (Material 9.x's partials/actions.html),
# reading the page's front-matter `edit_url` when it has one: a rendered page is a file
# in DIR/docs, but its edit link must go to its OKR file under okrs/ (the plugin sets it
# on the generated file), and a generated page without a source file has none. Pages
# without the key (hand-written docs) keep MkDocs' own link.
ACTIONS_PARTIAL = """\
{#-
  okrs render: Material's partials/actions.html (9.x), with the edit link of a generated
  page taken from its front matter (`edit_url`; empty: no link), as the okrs plugin sets it.
-#}
{%- if page.meta and "edit_url" in page.meta -%}
  {%- set edit_url = page.meta.edit_url -%}
{%- else -%}
  {%- set edit_url = page.edit_url -%}
{%- endif -%}
{% if edit_url %}
  {% if "content.action.edit" in features %}
    <a href="{{ edit_url }}" title="{{ lang.t('action.edit') }}" class="md-content__button md-icon" rel="edit">
      {% set icon = config.theme.icon.edit or "material/file-edit-outline" %}
      {% include ".icons/" ~ icon ~ ".svg" %}
    </a>
  {% endif %}
  {% if "content.action.view" in features %}
    {% if "/blob/" in edit_url %}
      {% set part = "blob" %}
    {% else %}
      {% set part = "edit" %}
    {% endif %}
    <a href="{{ edit_url | replace(part, 'raw') }}" title="{{ lang.t('action.view') }}" class="md-content__button md-icon">
      {% set icon = config.theme.icon.view or "material/file-eye-outline" %}
      {% include ".icons/" ~ icon ~ ".svg" %}
    </a>
  {% endif %}
{% endif %}
"""
ACTIONS_PATH = "partials/actions.html"


def front_matter(page: SitePage, *, edit_url: str | None = None, with_edit_url: bool = False) -> str:
    """The page's YAML front matter: its title (MkDocs themes print it unescaped, so it is
    escaped here), its search boost if it has one, and with ``with_edit_url`` its edit
    link ("" for none)."""
    lines = ["---", "title: " + json.dumps(html.escape(page.title, quote=False))]
    if page.search_boost is not None:  # Material's search reads `search: boost:` from a page's meta
        lines += ["search:", f"  boost: {page.search_boost}"]
    if with_edit_url:
        lines.append("edit_url: " + json.dumps(edit_url or ""))
    return "\n".join(lines) + "\n---\n"


def edit_url(source: str | None, *, repo_url: str | None, edit_uri: str | None,
             edit_uri_template: str | None) -> str | None:
    """The edit link MkDocs 1.6 makes for a file whose edit path is ``source`` (None: no link):
    the same joining of repo_url and edit_uri (or edit_uri_template) as its Page._set_edit_url."""
    if source is None or not (edit_uri or edit_uri_template):
        return None
    if edit_uri_template:
        path = edit_uri_template.format(path=source, path_noext=posixpath.splitext(source)[0])
    else:
        assert edit_uri is not None
        path = edit_uri + source
    if repo_url and not path.startswith(("?", "#")) and not repo_url.endswith("/"):
        repo_url += "/"
    return urljoin(repo_url or "", path)


def page_markdown(page: SitePage, *, link: str | None) -> str:
    """One page as a Markdown file: front matter, then the HTML body unchanged (it starts
    with a block-level element, so Markdown passes it through as one raw HTML block)."""
    return front_matter(page, edit_url=link, with_edit_url=True) + page.html


def file_path(path: str, *, directory_urls: bool) -> str:
    """Where a page's Markdown file goes: ``teams/payments.md`` as ``teams/payments/index.md``
    when URLs are folders. The URL is the same for MkDocs, and the file then sits in the
    folder its HTML's relative links start from: an engine that rewrites links in raw
    HTML as relative to the Markdown file (Zensical does) leaves them as they are."""
    folder, name = posixpath.split(path)
    if not directory_urls or name in ("index.md", "README.md"):
        return path
    return posixpath.join(folder, posixpath.splitext(name)[0], "index.md")


def exported_files(model: SiteModel, *, repo_url: str | None, edit_uri: str | None,
                   edit_uri_template: str | None, directory_urls: bool = True) -> dict[str, str]:
    """Every file of the docs folder by path: the pages as Markdown, then okrs.json and the feed."""
    files = {}
    for page in model.pages:
        link = edit_url(page.source, repo_url=repo_url, edit_uri=edit_uri, edit_uri_template=edit_uri_template)
        files[file_path(page.path, directory_urls=directory_urls)] = page_markdown(page, link=link)
    files.update(model.files)
    return dict(sorted(files.items()))


def html_navigation(nav: list[Any], *, place: Callable[[str], str] = str) -> list[Any]:
    """The model's navigation with HTML titles: the theme writes nav titles into the page
    as they are (and mkdocs.yml may name a period anything). ``place`` maps a page's path
    to its file's (file_path, for a rendered folder)."""
    def entry(item: Any) -> Any:
        if isinstance(item, str):
            return place(item)
        return {nav_title(title): [entry(i) for i in value] if isinstance(value, list) else place(value)
                for title, value in item.items()}
    return [entry(item) for item in nav]


def nav_title(text: str) -> str:
    return html.escape(text, quote=True)

