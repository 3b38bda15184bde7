"""End to end: `okrs build` on input that is valid but built to hurt the site's rendering."""

from __future__ import annotations

import time
from pathlib import Path

from e2e.conftest import build, copy_repository

CHAIN = 400  # deeper than Python's and Jinja's recursion allow for a recursive tree


def _objective(index: int) -> str:
    parent = f"parent: 2026-Q4/payments/o{index - 1:03d}\n" if index else ""
    return (f"---\nobjective: Level {index:03d}\nowner: alice\nteam: payments\nperiod: 2026-Q4\n{parent}"
            "key_results:\n  - id: one\n    title: One\n    owner: bob\n    start: 0\n    target: 10\n"
            f"    current: {index % 10}\n---\n")


def _repository(base: Path, people_yaml: str) -> Path:
    root = copy_repository(base / "repo", with_okrs=False)
    (root / "okrs").mkdir()
    (root / "okrs" / "people.yaml").write_text(people_yaml, encoding="utf-8")
    return root


def test_a_chain_of_400_aligned_objectives_builds(tmp_path: Path, people_yaml: str) -> None:
    root = _repository(tmp_path, people_yaml)
    folder = root / "okrs" / "2026-Q4" / "payments"
    folder.mkdir(parents=True)
    for index in range(CHAIN):
        (folder / f"o{index:03d}.md").write_text(_objective(index), encoding="utf-8")
    built = build(root, tmp_path / "site")
    assert built.result.returncode == 0, built.result.stderr
    page = built.page("alignment/index.html")
    assert f">Level {CHAIN - 1:03d}</a>" in page  # the deepest one is there
    tree = page[page.index('<ul class="okrs-tree">'):]
    assert tree.count("<ul>") == CHAIN - 1 and tree.count("</ul>") == CHAIN  # nested, and closed
    # Each level sits inside the one above it.
    assert tree.index(">Level 000</a>") < tree.index(">Level 001</a>") < tree.index(f">Level {CHAIN - 1:03d}</a>")
