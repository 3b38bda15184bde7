"""A real `okrs serve` on a free port: a broken OKR file shows its findings in the browser
(no request hangs), and the page reloads by itself when the file is fixed."""

from __future__ import annotations

import html
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from e2e.conftest import build_env, copy_repository, okrs_command

FILE = "okrs/2026-Q4/platform/reliability.md"
OBJECTIVE_URL = "objectives/2026-Q4/platform/reliability/"
GOOD, BAD = "    owner: farah\n", "    owner: farahh\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = root.parent / "serve.log"
        self.process = subprocess.Popen(
            [*okrs_command(), "serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{self.port}"],
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, env=build_env(), start_new_session=True)

    def get(self, path: str = "") -> tuple[int, str]:
        """Status and body; a request that hangs fails the test (timeout)."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=20) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8")

    def wait_for(self, path: str, want, *, seconds: float = 90) -> tuple[int, str]:
        deadline = time.monotonic() + seconds
        last = None
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                last = self.get(path)
                if want(*last):
                    return last
            except (urllib.error.URLError, ConnectionError):
                pass  # not listening yet
            time.sleep(0.3)
        raise AssertionError(f"{path}: never as wanted; last {last and last[0]}\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    return copy_repository(tmp_path / "repo")


@pytest.fixture()
def server(root: Path) -> Iterator[Server]:
    running = Server(root)
    try:
        yield running
    finally:
        running.stop()


def shows_findings(status: int, body: str) -> bool:
    return f"{FILE}:12:12" in body and "owner-unknown" in body


def test_a_broken_file_at_start_shows_its_findings_then_the_site_once_fixed(root: Path) -> None:
    path = root / FILE
    path.write_text(path.read_text(encoding="utf-8").replace(GOOD, BAD, 1), encoding="utf-8")
    server = Server(root)
    try:
        status, body = server.wait_for("", lambda status, body: status == 200)
        assert shows_findings(status, body), body
        assert "did you mean &#39;farah&#39;?" in body or "did you mean 'farah'?" in html.unescape(body)
        assert "<title>OKR files have errors" in body
        status, body = server.get(OBJECTIVE_URL)  # any other address: the findings, not a stuck request
        assert status == 404 and shows_findings(status, body)
        path.write_text(path.read_text(encoding="utf-8").replace(BAD, GOOD, 1), encoding="utf-8")
        status, body = server.wait_for(OBJECTIVE_URL, lambda status, body: status == 200)
        assert "API gateway p99 latency under 250 ms" in body and "owner-unknown" not in body
        assert "owner-unknown" not in server.get("")[1]
    finally:
        server.stop()
    log = server.log.read_text()
    assert "Traceback" not in log and "appear stuck" not in log


def test_the_browser_shows_the_findings_and_reloads_by_itself_when_fixed(root: Path, server: Server, browser,
                                                                        screenshots) -> None:
    path = root / FILE
    good = path.read_text(encoding="utf-8")
    server.wait_for(OBJECTIVE_URL, lambda status, body: status == 200)
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    objective, front = context.new_page(), context.new_page()
    objective.goto(server.url + OBJECTIVE_URL)
    assert objective.locator("h1").first.inner_text() == "Make the API fast and dependable under peak load"

    path.write_text(good.replace(GOOD, BAD, 1), encoding="utf-8")
    server.wait_for("", shows_findings)
    front.goto(server.url)  # the open objective page reloads by itself (MkDocs' live reload)
    for page in (objective, front):
        page.wait_for_selector("text=OKR files have errors", timeout=30_000)
        row = page.locator("table tr", has_text=f"{FILE}:12:12")
        assert row.count() == 1
        assert re.search(r"error\[owner-unknown\]", row.inner_text())
        assert "did you mean 'farah'?" in row.inner_text()
    screenshots(front, "serve-broken-front")
    screenshots(objective, "serve-broken-objective")

    path.write_text(good, encoding="utf-8")  # fixed: both pages come back without a click
    objective.wait_for_selector("h1:text('Make the API fast and dependable under peak load')", timeout=60_000)
    front.wait_for_function("!document.body.innerText.includes('OKR files have errors')", timeout=60_000)
    assert front.url == server.url and objective.url == server.url + OBJECTIVE_URL
    context.close()
