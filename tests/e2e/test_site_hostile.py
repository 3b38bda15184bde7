"""End to end: `okrs build` on input that is valid but built to hurt the site's rendering."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import pytest

from e2e.conftest import build, copy_repository
from generator.cli.main import main
from generator.reading.narrative import MAX_BRACKETS, MAX_CHARACTERS, MAX_NESTING
from generator.site.alignment import DEPTH
from generator.site.narrative import narrative_html

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
    # The alignment page shows the chain's first DEPTH levels, nested and closed, and says where it goes on.
    tree = page[page.index('<ul class="okrs-tree">'):page.index("</ul>\n</div>")]
    assert tree.count("<ul>") == DEPTH and tree.count("</ul>") == DEPTH  # the last holds "And 1 more"
    assert tree.index(">Level 000</a>") < tree.index(">Level 001</a>") < tree.index(f">Level {DEPTH - 1:03d}</a>")
    assert f">Level {DEPTH:03d}</a>" not in tree
    more = re.search(r'And 1 more aligned to it: see <a href="([^"]+)">Level (\d+)</a>', tree)
    assert more and more[2] == f"{DEPTH - 1:03d}"
    # From there each objective's page lists the next: the deepest one is there.
    deepest = built.page(f"objectives/2026-Q4/payments/o{CHAIN - 2:03d}/index.html")
    assert f">Level {CHAIN - 1:03d}</a>" in deepest


# --- narratives that Python-Markdown would take minutes over, or recurse on ---------------

HOSTILE_NARRATIVES = {
    "16,000 [": "[" * 16_000,  # 45 s before: each '[' looked ahead for its ']'
    "links and images": "![a](" * 4_000,
    "lists nested 5,000 deep": "- " * 5_000 + "x",  # a RecursionError before
    "quotes nested 5,000 deep": ">" * 5_000 + " x",
    "long": "Plenty of words, plainly written. " * (MAX_CHARACTERS // 30),
}


@pytest.mark.parametrize("text", HOSTILE_NARRATIVES.values(), ids=HOSTILE_NARRATIVES.keys())
def test_a_hostile_narrative_is_shown_as_plain_text_quickly(text: str) -> None:
    started = time.perf_counter()
    rendered = narrative_html(text + "\n<script>alert(1)</script>\n")
    assert time.perf_counter() - started < 2.0
    shown = re.fullmatch(r'<pre class="okrs-narrative-plain" style="white-space: pre-wrap">(.*)</pre>',
                         rendered, re.S)
    assert shown is not None and "<script>" not in rendered
    assert html.unescape(shown[1]) == text + "\n<script>alert(1)</script>\n"  # nothing is lost


def test_a_narrative_within_the_limits_is_still_markdown() -> None:
    text = ("See [the runbook](https://example.com/a). " * (MAX_BRACKETS // 2) + "\n\n"
            + "".join("    " * 0 + "> " * depth + "- item\n" for depth in range(MAX_NESTING // 2)))
    rendered = narrative_html(text)
    assert rendered.count('<a href="https://example.com/a">the runbook</a>') == MAX_BRACKETS // 2
    assert "okrs-narrative-plain" not in rendered


def _checkout(narrative: str) -> str:
    return ("---\nobjective: Make checkout boringly reliable\nowner: alice\nteam: payments\nperiod: 2026-Q4\n"
            "key_results:\n  - id: one\n    title: One\n    owner: bob\n    start: 0\n    target: 10\n"
            "    current: 5\n---\n" + narrative)


def test_check_warns_about_a_narrative_too_complex_to_render(repo, capsys) -> None:
    repo.write("2026-Q4/payments/checkout.md", _checkout("Intro.\n\n" + "[" * 16_000 + "\n"), dedent=False)
    assert main(["check", "--root", str(repo.root)]) == 0  # a warning: the page is still built
    out, err = capsys.readouterr()
    assert "0 errors, 1 warning" in err
    assert ("okrs/2026-Q4/payments/checkout.md:14:1: warning[narrative-too-complex]: the narrative "
            "(the Markdown below the front matter) is too complex to render: it has 16,000 '[' "
            "(more than 500); the site shows it as plain text. Shorten it, or link to a longer document") in out
    assert main(["check", "--strict", "--root", str(repo.root)]) == 1


def test_a_site_with_16000_brackets_in_a_narrative_builds_quickly(tmp_path: Path, people_yaml: str) -> None:
    root = _repository(tmp_path, people_yaml)
    folder = root / "okrs" / "2026-Q4" / "payments"
    folder.mkdir(parents=True)
    (folder / "checkout.md").write_text(_checkout("[" * 16_000 + "\n"), encoding="utf-8")
    started = time.perf_counter()
    built = build(root, tmp_path / "site")
    assert time.perf_counter() - started < 30  # 45 s and more before, for this narrative alone
    assert built.result.returncode == 0, built.result.stderr
    page = built.page("objectives/2026-Q4/payments/checkout/index.html")
    assert '<pre class="okrs-narrative-plain" style="white-space: pre-wrap">' + "[" * 16_000 in page
