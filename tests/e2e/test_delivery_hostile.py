"""Hostile titles, notes, names and handles through every delivery format: shown as text,
never as markup, links or mentions."""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from conftest import HOSTILE_KR_TITLE, HOSTILE_NAME, HOSTILE_TITLE
from gitrepo import GitRepo

from generator.cli.main import main

PEOPLE = """\
people:
  alice: {name: "Alice <b>Bold</b>", email: alice@example.com, github: "everyone <img>"}
  bob: {name: "Bob @channel & <!here>", email: bob@example.com, github: bob-b}
teams:
  payments: {name: Payments, lead: alice, members: [alice, bob]}
"""
OBJECTIVE = f"""\
---
objective: "{HOSTILE_TITLE} & <!channel>"
owner: alice
team: payments
period: 2026-Q4
key_results:
  - id: xss
    title: "{HOSTILE_KR_TITLE} | *bold* [x](javascript:alert(1))"
    owner: bob
    start: 0
    target: 10
  - id: other
    title: Plain
    owner: alice
    start: 0
    target: 10
---
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = GitRepo.create(tmp_path_factory.mktemp("hostile-delivery") / "repo")
    repo.write("mkdocs.yml", "site_name: x\nsite_url: https://okrs.acme.test/\n")
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write("okrs/2026-Q4/payments/hostile.md", OBJECTIVE, dedent=False)
    repo.commit("Add", date="2026-10-05T09:00:00+00:00")
    repo.edit("okrs/2026-Q4/payments/hostile.md", "    target: 10\n  - id: other", "    target: 10\n    current: 3\n"
              "  - id: other")
    repo.commit("Check in", date="2026-11-10T09:00:00+00:00")
    return repo.root


def out_of(capsys, *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_reminder_markdown_escapes_and_mentions_only_real_handles(root, capsys) -> None:
    out = out_of(capsys, "remind", "--root", str(root), "--as-of", "2026-11-19")
    assert "<script>" not in out and "<img" not in out and "<b>" not in out and "<!here>" not in out
    assert "@everyone" not in out  # an impossible handle is shown as a name, not a mention
    assert "### @bob-b (Bob @\u200dchannel &amp; &lt;!here&gt;)" in out
    assert "### Alice &lt;b&gt;Bold&lt;/b&gt;" in out


def test_slack_shows_text_not_markup(root, capsys) -> None:
    payload = json.loads(out_of(capsys, "changelog", "--root", str(root), "--week", "2026-W46",
                                "--as-of", "2026-11-19", "--format", "slack"))
    text = json.dumps(payload)
    assert "<script>" not in text and "<!channel>" not in text and "<img" not in text
    sections = [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]
    # Every < in a section opens one of our links, to the site.
    assert all(part.startswith("https://okrs.acme.test/") for s in sections for part in s.split("<")[1:])


def test_teams_card_holds_the_text_as_it_is(root, capsys) -> None:
    payload = json.loads(out_of(capsys, "changelog", "--root", str(root), "--week", "2026-W46",
                                "--as-of", "2026-11-19", "--format", "teams"))
    runs = [run["text"] for item in payload["attachments"][0]["content"]["body"] if item["type"] == "Container"
            for block in item["items"] for run in block["inlines"]]
    assert f"{HOSTILE_TITLE} & <!channel>" in runs  # TextRuns are plain text: no escaping needed, none done


def test_mail_html_is_escaped(root, tmp_path, capsys) -> None:
    main(["mail", "--root", str(root), "--as-of", "2026-11-19", "--owners", "--dry-run", str(tmp_path)])
    capsys.readouterr()
    for path in tmp_path.iterdir():
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        html = message.get_body(("html",)).get_content()
        assert "<script>" not in html and "<img" not in html and "<b>" not in html
    alice = message_from_bytes((tmp_path / "owner-alice.eml").read_bytes(), policy=policy.default)
    assert alice["To"].addresses[0].display_name == HOSTILE_NAME
