"""Is the site's address set? Feed links, canonical links and the sitemap depend on it."""

from __future__ import annotations

# What the example repository and `okrs init` ship: a site built with these is not yet adopted.
PLACEHOLDERS = ("https://okrs.example.com/", "https://ORG.github.io/REPO/")


def site_url_problem(site_url: str | None) -> str | None:
    """One line saying what to set, or None when ``site_url`` looks real."""
    if not site_url:
        return ("site_url is not set in mkdocs.yml: the feed, canonical links and the sitemap need it; "
                "set it to where the site is published, e.g. https://ORG.github.io/REPO/")
    if site_url.rstrip("/") in (p.rstrip("/") for p in PLACEHOLDERS):
        return (f"site_url in mkdocs.yml is still the placeholder {site_url}: set it to where the site "
                "is published, e.g. https://ORG.github.io/REPO/")
    return None
