"""`okrs init`: the files of a new OKR repository for an organisation.

The files are templates in ``init_files/`` (package data) with ``@NAME@``-style fields,
plus the theme overrides the site needs (``site_overrides/``, shipped with the tool).
The schemas are not copied: the pinned tool's own schemas apply. Nothing of the example
organisation is in the templates, and no git history comes along: the new folder is not
a git repository until its owners run ``git init``.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from generator.lifecycle.scaffold import quarter_of, slugify

PERSON = "you"
# template name -> path in the new repository
TEMPLATES = {
    "README.md": "README.md",
    "mkdocs.yml": "mkdocs.yml",
    "requirements.txt": "requirements.txt",
    "requirements-check.txt": "requirements-check.txt",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "people.yaml": "okrs/people.yaml",
    "workflows/okrs-check.yml": ".github/workflows/okrs-check.yml",
    "workflows/okrs-publish.yml": ".github/workflows/okrs-publish.yml",
    "workflows/okrs-digest.yml": ".github/workflows/okrs-digest.yml",
    "workflows/okrs-remind.yml": ".github/workflows/okrs-remind.yml",
}


class InitError(Exception):
    """The repository cannot be created there (e.g. the folder is not empty)."""


def _yaml_plain(text: str) -> str:
    """A value safe on a YAML line after `key: `: quoted as JSON when YAML could misread it."""
    import json
    return text if text.replace(" ", "").isalnum() else json.dumps(text, ensure_ascii=False)


def _overrides_files() -> dict[str, bytes]:
    """The theme overrides by path under site_overrides/: of the source checkout, else the
    package's (a regular install: a namespace package, read through importlib.resources)."""
    local = Path(__file__).resolve().parents[2] / "site_overrides"
    found: dict[str, bytes] = {}

    def walk(folder: Any, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_dir():
                if entry.name != "__pycache__":
                    walk(entry, f"{prefix}{entry.name}/")
            elif entry.name != "__init__.py":
                found[f"{prefix}{entry.name}"] = entry.read_bytes()

    walk(local if local.is_dir() else resources.files("generator.site_overrides"), "")
    return found


def _template(name: str) -> str:
    return (resources.files("generator.lifecycle") / "init_files" / name).read_text(encoding="utf-8")


def repository_files(*, org: str, site_url: str | None, repo_url: str | None, today: date) -> dict[str, bytes]:
    """Every file of the new repository: relative path -> content."""
    team = slugify(org, max_length=40)
    if not team[0].isalpha():
        team = f"org-{team}"
    period = quarter_of(today)
    fields = {"@NAME@": org, "@SITE_URL@": _yaml_plain(site_url or "https://ORG.github.io/REPO/"),
              "@REPO_URL@": _yaml_plain(repo_url or "https://github.com/ORG/REPO"),
              "@PERSON@": PERSON, "@TEAM@": team, "@PERIOD@": period}
    texts = {target: _template(name) for name, target in TEMPLATES.items()}
    texts[f"okrs/{period}/{team}/run-okrs-in-git.md"] = _template("objective.md")
    texts["docs/.gitkeep"] = ""
    files = {}
    for path, text in texts.items():
        for field, value in fields.items():
            value = _yaml_plain(value) if field == "@NAME@" and path.endswith("people.yaml") else value
            text = text.replace(field, value)
        files[path] = text.encode("utf-8")
    for name, body in _overrides_files().items():
        files[f"site_overrides/{name}"] = body
    return dict(sorted(files.items()))


def create_repository(folder: Path, files: dict[str, bytes]) -> list[str]:
    """Writes ``files`` into ``folder`` (new or empty); returns the paths written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InitError(f"{folder} is not an empty folder; choose a new one")
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return list(files)
