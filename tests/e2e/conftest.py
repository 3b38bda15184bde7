"""Fixtures for the site tests: real `okrs build` runs, a local web server, Chromium.

The example organisation and the hostile repository are each built once per session
(into pytest's temporary folder) and shared by `test_site_build.py` and
`test_browser.py`. Every build runs the real console script in a subprocess, on a copy
of the repository, so no test can touch the working tree. Tests never change directory.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

from required import required_in_ci

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-23"
# What a repository needs besides okrs/ to build its site.
SITE_SOURCES = ("mkdocs.yml", "schema", "site_overrides", "docs")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_KR_TITLE = "<img src=x onerror=alert(2)>"
HOSTILE_NOTE = "<script>alert(3)</script>"
HOSTILE_NAME = "Alice <b>Bold</b>"
HOSTILE_PEOPLE = """\
people:
  alice: {name: "Alice <b>Bold</b>", email: alice@example.com}
  bob: {name: Bob Brown}
teams:
  payments: {name: Payments, lead: alice, members: [alice, bob]}
"""
HOSTILE_OBJECTIVE = """\
---
objective: <script>alert(1)</script>
owner: alice
team: payments
period: 2026-Q4
tags: ["<script>alert(1)</script>"]
key_results:
  - id: xss
    title: <img src=x onerror=alert(2)>
    owner: bob
    start: 0
    target: 10
    current: 4
    unit: <script>alert(1)</script>
    note: <script>alert(3)</script>
---
The narrative: <script>alert(3)</script> and <img src=x onerror=alert(2)>.

<script>alert(3)</script>

[a link](javascript:alert(3))
"""


def okrs_command() -> list[str]:
    """The installed `okrs` console script beside this Python, else the module."""
    script = Path(sys.executable).with_name("okrs")
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator.cli"]


def build_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **extra)
    env.pop("GITHUB_ACTIONS", None)  # findings in text form, whatever CI runs us
    return env


def run_okrs(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*okrs_command(), *map(str, args)], capture_output=True, text=True,
                          env=env or build_env(), timeout=120)


def copy_repository(dest: Path, *, with_okrs: bool = True) -> Path:
    """A copy of this repository's site sources (and its example okrs/) at ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_SOURCES + (("okrs",) if with_okrs else ()):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    (dest / "docs").mkdir(exist_ok=True)  # git does not keep empty folders
    return dest


def tree_snapshot(root: Path) -> dict[str, tuple]:
    """Every file and folder under ``root``: kind, mtime and a hash of the content."""
    snapshot = {}
    for path in sorted(root.rglob("*")):
        stat = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        snapshot[path.relative_to(root).as_posix()] = (path.is_dir(), stat.st_mtime_ns, digest)
    return snapshot


def file_contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@dataclass
class BuiltSite:
    """A repository copy and the site `okrs build` made from it."""

    root: Path
    site: Path
    result: subprocess.CompletedProcess
    okrs_before: dict[str, tuple] = field(default_factory=dict)
    finished: float = 0.0

    def page(self, relative: str) -> str:
        return (self.site / relative).read_text(encoding="utf-8")


def build(root: Path, site: Path, *extra: str, as_of: str = AS_OF, env: dict[str, str] | None = None) -> BuiltSite:
    before = tree_snapshot(root / "okrs")
    result = run_okrs("build", "--root", root, "--as-of", as_of, "--site-dir", site, *extra, env=env)
    return BuiltSite(root=root, site=site, result=result, okrs_before=before, finished=time.time())


def _built_or_fail(built: BuiltSite) -> BuiltSite:
    if built.result.returncode != 0:
        pytest.fail(f"okrs build failed ({built.result.returncode}):\n{built.result.stdout}\n{built.result.stderr}")
    return built


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The shipped example organisation, built once with `okrs build --as-of 2026-11-23`."""
    base = tmp_path_factory.mktemp("example")
    root = copy_repository(base / "repo")
    return _built_or_fail(build(root, base / "out" / "site", env=build_env(PYTHONHASHSEED="1")))


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """A repository whose titles, notes, narrative and names are markup meant to run."""
    base = tmp_path_factory.mktemp("hostile")
    root = copy_repository(base / "repo", with_okrs=False)
    (root / "okrs" / "2026-Q4" / "payments").mkdir(parents=True)
    (root / "okrs" / "people.yaml").write_text(HOSTILE_PEOPLE, encoding="utf-8")
    (root / "okrs" / "2026-Q4" / "payments" / "hostile.md").write_text(HOSTILE_OBJECTIVE, encoding="utf-8")
    return _built_or_fail(build(root, base / "out" / "site"))


# --- a local web server -------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator:
    """``serve(folder) -> "http://127.0.0.1:PORT"``: one static server per folder, random port."""
    servers: dict[Path, tuple[http.server.ThreadingHTTPServer, str]] = {}

    def start(folder: Path) -> str:
        if folder not in servers:
            handler = functools.partial(_QuietHandler, directory=str(folder))
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers[folder] = (server, f"http://127.0.0.1:{server.server_address[1]}")
        return servers[folder][1]

    yield start
    for server, _ in servers.values():
        server.shutdown()
        server.server_close()


# --- Chromium through Playwright ----------------------------------------------------------


def _required_in_ci(reason: str) -> None:
    required_in_ci(reason, what="the browser tests")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Headless Chromium (Debian's `chromium`), driven by Playwright for Python."""
    executable = chromium_path()
    if executable is None:
        _required_in_ci("Chromium is not installed (Debian/Ubuntu: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _required_in_ci("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def screenshots(tmp_path: Path):
    """``shot(page, name)``: a full-page PNG under tmp_path (copied to $OKRS_SCREENSHOTS if set)."""

    def shot(page, name: str) -> Path:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        keep = os.environ.get("OKRS_SCREENSHOTS")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, Path(keep) / path.name)
        return path

    return shot


# --- a demo organisation, for checks over every page of a site ------------------------------------

DEMO_OBJECTIVES = 30  # enough for every page kind and shared people, small enough to be quick
DEMO_AS_OF = "2026-12-01"  # mid-period for `okrs demo` (2026-Q4, check-ins up to 2026-12-20)
DEMO_CLOSED_AS_OF = "2027-01-11"  # after the period's end: grades, not status


@dataclass
class DemoSites:
    root: Path
    open: BuiltSite  # built as of DEMO_AS_OF
    closed: BuiltSite  # built as of DEMO_CLOSED_AS_OF


@pytest.fixture(scope="session")
def demo_sites(tmp_path_factory: pytest.TempPathFactory) -> DemoSites:
    """`okrs demo` with 30 objectives and 12 weeks of git history, built at two dates."""
    base = tmp_path_factory.mktemp("demo")
    root = base / "repo"
    made = run_okrs("demo", root, "--root", REPO, "--objectives", str(DEMO_OBJECTIVES), "--weeks", "12")
    if made.returncode != 0:
        pytest.fail(f"okrs demo failed:\n{made.stdout}\n{made.stderr}")
    return DemoSites(root=root, open=_built_or_fail(build(root, base / "open", as_of=DEMO_AS_OF)),
                     closed=_built_or_fail(build(root, base / "closed", as_of=DEMO_CLOSED_AS_OF)))
