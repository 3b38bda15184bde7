"""Shared fixtures: a minimal OKR repository made in tmp_path.

``repo`` gives a repository with ``okrs/people.yaml`` (a few people and two teams) and
nothing else; tests add objective files with ``repo.write(...)`` and read the findings
with ``repo.findings()``. Tests never change the working directory: they pass paths.

Everything is offered as a fixture (``valid_objective``, ``people_yaml``, ``located``,
``only``) rather than imported: another conftest.py in a subfolder would shadow an
``import conftest``.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.config import load_config
from generator.reading.findings import Finding
from generator.reading.loader import Repository, load_repository

PEOPLE_YAML = """\
people:
  alice: {name: Alice Rossi, email: alice@example.com, github: alice-r}
  bob: {name: Bob Brown}
  carol: {name: Carol Chen}
  dan: {name: Dan Diaz}
teams:
  payments: {name: Payments, lead: alice, members: [alice, bob]}
  platform: {name: Platform, lead: carol, members: [carol, dan]}
"""

# A valid objective. Its lines, for tests that edit it with str.replace:
#  1 ---               7   - id: latency       13   - id: drill
#  2 objective: ...    8     title: ...        14     title: ...
#  3 owner: alice      9     owner: bob        15     owner: carol
#  4 team: payments   10     start: 850        16     type: milestone
#  5 period: 2026-Q4  11     target: 300       17     done: false
#  6 key_results:     12     current: 540      18 ---
VALID_OBJECTIVE = """\
---
objective: Make checkout boringly reliable
owner: alice
team: payments
period: 2026-Q4
key_results:
  - id: latency
    title: p99 checkout latency under 300 ms
    owner: bob
    start: 850
    target: 300
    current: 540
  - id: drill
    title: Multi-region failover drill passes
    owner: carol
    type: milestone
    done: false
---
Why it matters.
"""


@dataclass
class Repo:
    """A repository under construction: write files, then load and check it."""

    root: Path

    @property
    def okrs(self) -> Path:
        return self.root / "okrs"

    def write(self, relative: str, content: str | bytes, *, dedent: bool = True) -> Path:
        """Write a file under okrs/ (text is dedented and written as UTF-8 with LF)."""
        return self._write(self.okrs / relative, content, dedent=dedent)

    def objective(self, relative: str = "2026-Q4/payments/checkout.md", text: str = VALID_OBJECTIVE) -> Path:
        """An objective file; by default the valid one."""
        return self.write(relative, text)

    def mkdocs(self, text: str) -> Path:
        return self._write(self.root / "mkdocs.yml", text, dedent=True)

    def load(self) -> Repository:
        return load_repository(load_config(self.root))

    def findings(self) -> list[Finding]:
        return self.load().findings

    @staticmethod
    def _write(path: Path, content: str | bytes, *, dedent: bool) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = (textwrap.dedent(content) if dedent else content).encode("utf-8")
        path.write_bytes(content)
        return path


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A minimal repository: okrs/people.yaml with alice, bob, carol, dan; teams payments, platform."""
    made = Repo(tmp_path / "repo")
    made.write("people.yaml", PEOPLE_YAML)
    return made


@pytest.fixture
def valid_objective() -> str:
    """The text of a valid objective file (see the line map above VALID_OBJECTIVE)."""
    return VALID_OBJECTIVE


@pytest.fixture
def people_yaml() -> str:
    """The text of the ``repo`` fixture's okrs/people.yaml."""
    return PEOPLE_YAML


def _located(findings: list[Finding]) -> list[tuple[str, str, int, int]]:
    return [(f.code, f.path, f.line, f.column) for f in sorted(findings)]


def _only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


@pytest.fixture
def located():
    """(code, path, line, column) of each finding, in report order: what most tests assert."""
    return _located


@pytest.fixture
def only():
    """The single finding of a run; fails showing the whole list otherwise."""
    return _only
