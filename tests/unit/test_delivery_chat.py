"""The Slack and Teams payloads of `okrs changelog`, against the services' documented limits
and the Adaptive Card schema, on a 2,000-objective `okrs demo` week and on a small history;
and the absolute links of every digest format, present iff `site_url` is set."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft6Validator

from generator.cli.main import main
from generator.config import load_config
from generator.delivery.site_links import SiteLinks
from generator.delivery.slack import slack_escape, slack_link, slack_payload
from generator.delivery.teams import TEAMS_LIMIT, teams_payload
from generator.demo.repository import create_demo
from generator.history.walk import read_history
from generator.reading.loader import load_people

PROJECT = Path(__file__).resolve().parents[2]
CARD_SCHEMA = json.loads((PROJECT / "tests" / "data" / "adaptive-cards" / "adaptive-card-1.5.schema.json")
                         .read_text(encoding="utf-8"))
SITE = "https://okrs.acme.test/"

# Slack's Block Kit limits (docs.slack.dev, reference/block-kit/blocks): 50 blocks a
# message; section text 3,000 characters; header plain_text 150; context at most 10
# elements; 40,000 characters of message text.
SLACK_BLOCKS, SLACK_SECTION, SLACK_HEADER, SLACK_CONTEXT_ELEMENTS, SLACK_TEXT = 50, 3000, 150, 10, 40_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory):
    """A 2,000-objective demo organisation with two weeks of check-ins; its busiest week."""
    root = tmp_path_factory.mktemp("chat") / "big"
    create_demo(root, weeks=2, objectives=2000, seed=1, template_root=PROJECT)
    config = load_config(root)
    history = read_history(config, as_of=date(2026, 10, 12))
    people, _ = load_people(config)
    week = max(history.weeks, key=lambda w: len(history.changes_in_week(w)))
    return history.digest(week), people


def _slack_problems(payload: dict) -> list[str]:
    """Every way the payload breaks Slack's documented structure or limits."""
    problems = []
    blocks = payload["blocks"]
    if not isinstance(payload.get("text"), str) or not payload["text"]:
        problems.append("no text fallback")
    if len(blocks) > SLACK_BLOCKS:
        problems.append(f"{len(blocks)} blocks")
    if len(json.dumps(payload, ensure_ascii=False)) > SLACK_TEXT:
        problems.append("payload over 40,000 characters")
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            text = block["text"]
            if text["type"] != "plain_text" or not 0 < len(text["text"]) <= SLACK_HEADER:
                problems.append(f"header {text}")
        elif kind == "section":
            text = block["text"]
            if text["type"] != "mrkdwn" or not 0 < len(text["text"]) <= SLACK_SECTION:
                problems.append(f"section of {len(text['text'])} characters")
        elif kind == "context":
            elements = block["elements"]
            if not 0 < len(elements) <= SLACK_CONTEXT_ELEMENTS or any(e["type"] != "mrkdwn" for e in elements):
                problems.append("context elements")
        else:
            problems.append(f"unexpected block {kind}")
        if set(block) - {"type", "text", "elements"}:
            problems.append(f"unknown keys {set(block)}")
    return problems


def test_a_long_week_fits_slack_and_is_summarised_with_a_link(big) -> None:
    digest, people = big
    assert len(digest.changes) > 1000  # a real long week
    payload = slack_payload(digest, people=people, links=SiteLinks.of(SITE))
    assert _slack_problems(payload) == []
    objectives = len({c.objective for c in digest.changes})
    shown = [b for b in payload["blocks"] if b["type"] == "section" and b["text"]["text"].startswith("*<")]
    last = payload["blocks"][-1]["elements"][0]["text"]
    assert f"…and {objectives - len(shown):,} more objectives" in last
    assert f"<{SITE}changelog/{digest.week.id}/|see the whole week on the site>" in last
    assert len(shown) >= 10  # it shows what fits, not nothing


def test_a_long_week_fits_a_teams_card_that_validates(big) -> None:
    digest, people = big
    payload = teams_payload(digest, people=people, links=SiteLinks.of(SITE))
    assert len(json.dumps(payload, ensure_ascii=False).encode("utf-8")) < TEAMS_LIMIT
    assert payload["type"] == "message" and len(payload["attachments"]) == 1
    attachment = payload["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    errors = [f"{list(e.path)}: {e.message[:200]}" for e in Draft6Validator(CARD_SCHEMA).iter_errors(card)]
    assert errors == []
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Open the week on the site",
                                "url": f"{SITE}changelog/{digest.week.id}/"}]
    assert "more objectives" in card["body"][-1]["text"]


def test_the_schema_does_reject_a_broken_card() -> None:
    broken = {"type": "AdaptiveCard", "version": "1.4", "body": [{"type": "TextBlock", "txt": "no text"}]}
    assert list(Draft6Validator(CARD_SCHEMA).iter_errors(broken))


def test_slack_escapes_its_control_characters_and_links() -> None:
    assert slack_escape("A & B <!channel> <https://x|y>") == "A &amp; B &lt;!channel&gt; &lt;https://x|y&gt;"
    assert (slack_link("https://s.test/a?b=1&c=2", "Q4 | <goals>")
            == "<https://s.test/a?b=1&amp;c=2|Q4 ∣ &lt;goals&gt;>")
    assert slack_link(None, "plain & simple") == "plain &amp; simple"


# -- the small history of tests/gitrepo.py, through the command ---------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gitrepo import okr_history

    root = tmp_path_factory.mktemp("chat-small") / "repo"
    okr_history(root)
    return root


def changelog(capsys, root: Path, fmt: str, *, site_url: str | None) -> tuple[str, str]:
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text("site_name: x\n" + (f"site_url: {site_url}\n" if site_url else ""), encoding="utf-8")
    try:
        code = main(["changelog", "--root", str(root), "--week", "2026-W44", "--as-of", "2026-11-18",
                     "--format", fmt])
    finally:
        mkdocs.unlink()
    out, err = capsys.readouterr()
    assert code == 0, err
    return out, err


URL = re.compile(r"https?://[^\s)\"'<>|]+")


@pytest.mark.parametrize("fmt", ["markdown", "html", "slack", "teams"])
def test_every_digest_links_to_the_site_iff_site_url_is_set(small, capsys, fmt) -> None:
    out, err = changelog(capsys, small, fmt, site_url=SITE)
    body = out if fmt in ("markdown", "html") else json.dumps(json.loads(out))
    urls = set(URL.findall(body)) - {"http://adaptivecards.io/schemas/adaptive-card.json"}
    objective = f"{SITE}objectives/2026-Q4/payments/checkout-reliability/"
    assert objective in urls and f"{SITE}changelog/2026-W44/" in urls
    assert all(u.startswith(SITE) for u in urls), urls  # absolute, and only to the site
    assert "site-url" not in err
    out, err = changelog(capsys, small, fmt, site_url=None)
    body = out if fmt in ("markdown", "html") else json.dumps(json.loads(out))
    assert set(URL.findall(body)) - {"http://adaptivecards.io/schemas/adaptive-card.json"} == set()
    assert "warning[site-url]: site_url is not set" in err


def test_the_small_week_fits_slack_whole(small, capsys) -> None:
    out, _ = changelog(capsys, small, "slack", site_url=SITE)
    payload = json.loads(out)
    assert _slack_problems(payload) == []
    assert not any("more objective" in json.dumps(b) for b in payload["blocks"])  # nothing cut
    assert "<https://okrs.acme.test/objectives/2026-Q4/payments/checkout-reliability/|" in out


def test_slack_and_teams_take_one_week(small, capsys) -> None:
    assert main(["changelog", "--root", str(small), "--since", "2026-10-01", "--format", "slack"]) == 2
    assert "posts one week" in capsys.readouterr().err


# -- the example organisation -------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory):
    """The example organisation committed into a new repository (backdated to 2026-W47), its
    people, and the digest of that week: every objective added."""
    import shutil

    from gitrepo import GitRepo

    root = tmp_path_factory.mktemp("chat-example") / "repo"
    repo = GitRepo.create(root)
    shutil.copytree(PROJECT / "okrs", root / "okrs")
    shutil.copytree(PROJECT / "schema", root / "schema")
    shutil.copy2(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    repo.commit("The example organisation", date="2026-11-17T09:00:00+00:00", author="Amara Okafor")
    config = load_config(root)
    history = read_history(config, as_of=date(2026, 11, 23))
    people, _ = load_people(config)
    return history.digest("2026-W47", as_of=date(2026, 11, 23)), people


def test_the_example_fits_slack_and_teams(example) -> None:
    digest, people = example
    objectives = {c.objective for c in digest.changes}
    assert len(objectives) >= 10
    links = SiteLinks.of("https://okrs.example.com/")
    slack = slack_payload(digest, people=people, links=links)
    assert _slack_problems(slack) == []
    shown = [b for b in slack["blocks"] if b["type"] == "section" and b["text"]["text"].startswith("*<")]
    cut = [b for b in slack["blocks"] if "more objective" in json.dumps(b)]
    assert len(shown) == len(objectives) or cut  # all of them, or it says how many more
    teams = teams_payload(digest, people=people, links=links)
    assert len(json.dumps(teams, ensure_ascii=False).encode("utf-8")) < TEAMS_LIMIT
    assert list(Draft6Validator(CARD_SCHEMA).iter_errors(teams["attachments"][0]["content"])) == []
