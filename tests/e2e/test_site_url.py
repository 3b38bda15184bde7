"""site_url: a warning while it is missing or a placeholder; correct links under a project Pages path."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from conftest import run_okrs

from generator.site.site_url import site_url_problem

PREFIX = "https://acme.github.io/okrs/"


def test_site_url_problem() -> None:
    assert "not set" in site_url_problem(None)
    assert "placeholder" in site_url_problem("https://okrs.example.com/")
    assert "placeholder" in site_url_problem("https://ORG.github.io/REPO")
    assert site_url_problem(PREFIX) is None


def _repository(tmp_path: Path, site_url: str) -> Path:
    repo = tmp_path / "acme"
    assert run_okrs("init", repo, "--org", "Acme", "--site-url", site_url).returncode == 0
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-11-02T10:00:00+00:00", "GIT_COMMITTER_DATE": "2026-11-02T10:00:00+00:00",
           "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.com"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Start"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env)
    return repo


def test_placeholder_warns(tmp_path: Path) -> None:
    repo = _repository(tmp_path, "https://ORG.github.io/REPO/")
    result = run_okrs("build", "--root", repo, "--as-of", "2026-11-20")
    assert result.returncode == 0 and "site_url in mkdocs.yml is still the placeholder" in result.stderr


def test_links_under_a_project_pages_path(tmp_path: Path) -> None:
    repo = _repository(tmp_path, PREFIX)
    result = run_okrs("build", "--root", repo, "--as-of", "2026-11-20")
    assert result.returncode == 0 and "site_url" not in result.stderr, result.stderr
    site = repo / "site"
    feed = (site / "changelog" / "feed.xml").read_text(encoding="utf-8")
    links = re.findall(r"<link>([^<]*)</link>", feed)
    assert len(links) > 1 and all(link.startswith(PREFIX) for link in links), links
    canonical = re.findall(r'<link rel="canonical" href="([^"]*)"', (site / "index.html").read_text(encoding="utf-8"))
    assert canonical and canonical[0].startswith(PREFIX)
    locs = re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert locs and all(loc.startswith(PREFIX) for loc in locs)
    missing = (site / "404.html").read_text(encoding="utf-8")
    assets = re.findall(r'(?:href|src)="([^"]*assets/[^"]*)"', missing)
    assert assets and all(a.startswith("/okrs/") or a.startswith(PREFIX) for a in assets), assets
