"""Absolute links to the published site, from mkdocs.yml's `site_url`.

Chat, e-mail and issues are read away from the site, so their links must be absolute;
without a `site_url` there is no address to link to, and the messages carry no links.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from generator.config import read_mkdocs_yml
from generator.site.links import page_url
from generator.site.site_url import site_url_problem
from generator.site.views import objective_page


@dataclass(frozen=True)
class SiteLinks:
    """Where the site's pages are; ``base`` ends with '/', or is None (no links)."""

    base: str | None
    directory_urls: bool = True
    problem: str | None = None  # why the links are missing or suspect, for a warning

    @classmethod
    def of(cls, site_url: str | None, *, directory_urls: bool = True) -> SiteLinks:
        if not site_url:
            problem = site_url_problem(site_url) or ""
            return cls(None, directory_urls, problem.replace("the feed, canonical links and the sitemap need it",
                                                             "messages carry no links to the site"))
        # A placeholder still gives links; `okrs build` already warns about it, every build.
        return cls(site_url if site_url.endswith("/") else site_url + "/", directory_urls)

    def page(self, page: str, *, anchor: str = "") -> str | None:
        if self.base is None:
            return None
        url = self.base + quote(page_url(page, directory_urls=self.directory_urls), safe="/")
        return url + (f"#{quote(anchor, safe='')}" if anchor else "")

    def objective(self, objective_id: str) -> str | None:
        return self.page(objective_page(objective_id))

    def key_result(self, objective_id: str, kr_id: str) -> str | None:
        # The objective page's key-result rows are `<tr id="kr-ID">` (templates/_macros.html).
        return self.page(objective_page(objective_id), anchor=f"kr-{kr_id}")

    def week(self, week_id: str) -> str | None:
        return self.page(f"changelog/{week_id}")


def site_links(root: Path) -> SiteLinks:
    """The links of the site that ``root/mkdocs.yml`` describes (MkDocs' `site_url` and
    `use_directory_urls`, read as MkDocs reads them)."""
    path = root / "mkdocs.yml"
    data = read_mkdocs_yml(path) if path.exists() else {}
    data = data if isinstance(data, dict) else {}
    site_url = data.get("site_url")
    return SiteLinks.of(str(site_url) if site_url else None,
                        directory_urls=data.get("use_directory_urls", True) is not False)
