"""Hostile text in everything we print or publish: findings, warnings, digests, the feed,
the diff table, JSON; and the schema refusing control and bidi characters in text fields.

A value from a file or a commit may hold a line break (YAML keys can), a terminal escape,
a bidi override, a chat mention or Slack link markup. Each output shows it as text.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest

from generator.history.changelog import escape_markdown, render_feed, render_html, render_json, render_markdown
from generator.reading.findings import ERROR, WARNING, Finding
from generator.history.diff import Change, CommitInfo
from generator.history.values import Digest, Week
from generator.reading.report import github_command, log_line, render_findings, visible, warning_line
from generator.history.revisions import Revision
from generator.history.revisions import render_json as diff_json
from generator.history.revisions import render_markdown as diff_markdown

INJECTION = "x\n::error::pwned\r\n::stop-commands::x"
TERMINAL = "\x1b]0;title\x07\x1b[2J"
# What a terminal or a log viewer acts on: C0 but tab/newline/CR (checked apart), DEL, C1, bidi.
ACTING = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def commit(author: str, subject: str = "Check in") -> CommitInfo:
    return CommitInfo("a" * 40, author, "e@example.com", datetime(2026, 11, 10, tzinfo=timezone.utc), subject)


def note_change(note: str, *, title: str = "Latency", objective_title: str = "Checkout",
                author: str = "Alice Rossi") -> Change:
    return Change("2026-Q4/payments/checkout", "latency", "note", "note", None, note, 0.1, 0.1, "bob",
                  objective_title=objective_title, key_result_title=title, week="2026-W46",
                  commits=(commit(author),))


def digest(*changes: Change) -> Digest:
    return Digest(Week.parse("2026-W46"), list(changes), [])


# -- findings and warnings (text, GitHub workflow commands, MkDocs' log) ------------------


def test_text_findings_show_control_characters_of_path_and_message_as_escapes() -> None:
    finding = Finding("okrs/a\x1b[2J.md", 3, 8, ERROR, "owner-unknown", f"owner '{TERMINAL}' is not a person\u202e")
    text = render_findings([finding], "text")
    assert text == ("okrs/a\\x1b[2J.md:3:8: error[owner-unknown]: "
                    "owner '\\x1b]0;title\\x07\\x1b[2J' is not a person\\u202e\n")


def test_a_warning_is_one_line_and_never_a_workflow_command_of_its_own() -> None:
    finding = Finding("okrs/a.md", 13, 5, WARNING, "history-unparsable", f"unknown field '{INJECTION}'")
    line = warning_line(finding, github=False)
    assert line == ("okrs: okrs/a.md:13:5: warning[history-unparsable]: "
                    "unknown field 'x\\n::error::pwned\\r\\n::stop-commands::x'")
    command = warning_line(finding, github=True)
    assert command.splitlines() == [command]
    assert command == ("::warning file=okrs/a.md,line=13,col=5,title=okrs history-unparsable::"
                       "unknown field 'x%0A::error::pwned%0D%0A::stop-commands::x'")


def test_github_commands_escape_terminal_controls_too() -> None:
    finding = Finding(f"okrs/{TERMINAL}.md", 1, 1, ERROR, "schema", f"title {TERMINAL}")
    command = github_command(finding)
    assert not ACTING.search(command)
    assert command.endswith("::title \\x1b]0;title\\x07\\x1b[2J")


def test_mkdocs_log_lines_are_one_line_and_warnings_commands_in_github_actions() -> None:
    assert log_line("WARNING", f"nav {INJECTION}", github=False) == \
        "WARNING -  nav x\\n::error::pwned\\r\\n::stop-commands::x"
    assert log_line("WARNING", f"nav {INJECTION}", github=True) == \
        "::warning::nav x%0A::error::pwned%0D%0A::stop-commands::x"
    assert log_line("INFO", "Building\x1b[2J", github=True) == "INFO    -  Building\\x1b[2J"


def test_visible_shows_c0_del_c1_separators_and_bidi_and_keeps_the_rest() -> None:
    assert visible("a\x00\x1b\x7f\x85\x9b\u2028\u202e\u2066b\tc\nd") == \
        "a\\x00\\x1b\\x7f\\x85\\x9b\\u2028\\u202e\\u2066b\\tc\\nd"
    assert visible("zoë → 中文 \u200d", keep="") == "zoë → 中文 \u200d"
    assert visible("a\tb\nc\x1b", keep="\t\n") == "a\tb\nc\\x1b"


def test_json_outputs_write_terminal_controls_as_unicode_escapes_and_keep_the_data() -> None:
    finding = Finding("okrs/a.md", 1, 1, ERROR, "schema", "RLO \u202e C1 \x9b DEL \x7f ESC \x1b zoë")
    for text in (render_findings([finding], "json"),
                 render_json(digest(note_change("\u202e\x9b\x7f\x1b zoë"))),
                 diff_json(Revision("main", "b" * 40, {}, []), Revision("HEAD", "c" * 40, {}, []),
                           [note_change("\u202e\x9b\x7f\x1b zoë")])):
        assert not ACTING.search(text) and "zoë" in text
        assert "\\u202e" in text and "\\u009b" in text and "\\u007f" in text and "\\u001b" in text
        json.loads(text)
    assert json.loads(render_findings([finding], "json"))[0]["message"] == finding.message


# -- the chat digest (Slack, GitHub job summaries) ---------------------------------------


def test_markdown_digest_neutralises_mentions_and_slack_markup() -> None:
    change = note_change("<!channel> see <https://evil.example|Click here> & @here @Everyone",
                         title="Ping @channel <!here>", objective_title="<!everyone> Checkout @all",
                         author="Eve @channel <!here>")
    text = render_markdown(digest(change))
    zwj = "\u200d"
    assert f"### &lt;!everyone&gt; Checkout @{zwj}all\n" in text
    assert (f"- **Ping @{zwj}channel &lt;!here&gt;**: note: “&lt;!channel&gt; see "
            f"&lt;https://evil.example\\|Click here&gt; &amp; @{zwj}here @{zwj}Everyone” "
            f"(Eve @{zwj}channel &lt;!here&gt;, `aaaaaaa`)\n") in text
    assert "<" not in text and not re.search(r"@(channel|here|everyone|all)\b", text, re.IGNORECASE)
    assert escape_markdown("mail a@allhands.example or ops@here.example") == \
        "mail a@allhands.example or ops@here.example"


def test_markdown_digest_keeps_each_line_and_shows_controls() -> None:
    change = note_change("one\rtwo\u2028three\x85four\nfive", title=f"T{TERMINAL}", author="Ev\x01il")
    text = render_markdown(digest(change))
    line = next(line for line in text.split("\n") if line.startswith("- "))
    assert line == ("- **T\\x1b\\]0;title\\x07\\x1b\\[2J**: note: “one two three four five” (Ev\\x01il, `aaaaaaa`)")
    assert not ACTING.search(text) and "\r" not in text and "\u2028" not in text


def test_an_odd_objective_id_is_not_put_in_a_code_span() -> None:
    change = Change("2026-Q4/a`b\n::error::x", None, "title", "objective", "Old", "New", 0, 0, "bob",
                    objective_title="New", commits=(commit("Alice"),))
    text = render_markdown(digest(change))
    assert "2026-Q4/a\\`b ::error::x" in text
    assert not any(line.startswith("::") for line in text.splitlines())


def test_html_digest_shows_controls_as_escapes() -> None:
    fragment = render_html(digest(note_change(f"n{TERMINAL}\u202e", author="Ev\x01il")))
    assert not ACTING.search(fragment)
    assert "Ev\\x01il" in fragment and "n\\x1b]0;title\\x07\\x1b[2J\\u202e" in fragment


# -- the RSS feed -----------------------------------------------------------------------


def test_feed_stays_valid_xml_with_characters_xml_forbids() -> None:
    hostile = note_change("bell\x07 nul\x00 \ufffe \uffff \ud800 end", title="T\x01", objective_title="O\x0b",
                          author="Ev\x01il \udc80")
    feed = render_feed([digest(hostile)], site_url="https://okrs.example.com", title="OKRs\x02")
    root = ET.fromstring(feed)  # a feed reader rejects the whole feed on one bad character
    description = root.find("channel/item/description").text
    assert "Ev\\x01il \\udc80" in description and "\\ufffe \\uffff \\ud800 end" in description
    assert root.findtext("channel/title") == "OKRs\\x02"
    feed.encode("utf-8")  # no lone surrogate left: the file can be written
    try:
        import feedparser  # not a dependency: only when it happens to be installed
    except ImportError:
        return
    assert not feedparser.parse(feed).bozo


# -- the job-summary table of okrs diff ---------------------------------------------------


def test_diff_table_rows_stay_rows() -> None:
    title = "Evil\r| injected | row |\n::error::x\u2028\u2029\x85" + "y" * 300
    change = Change("2026-Q4/payments/checkout", "latency", "title", "title", "Old", title, 0, 0, "bob",
                    objective_title=f"Obj\r\n|{TERMINAL}", key_result_title=title)
    text = diff_markdown(Revision("main", "b" * 40, {}, []), Revision("HEAD", "c" * 40, {}, []), [change])
    rows = text.splitlines()[2:]
    assert rows[:2] == ["| Objective | Key result | Change | Owner |", "| --- | --- | --- | --- |"]
    assert len(rows) == 3
    cells = re.split(r"(?<!\\)\|", rows[2])
    assert len(cells) == 6  # four cells between five pipes
    assert cells[1] == " Obj \\|\\x1b\\]0;title\\x07\\x1b\\[2J "
    key_result = cells[2].strip()
    assert key_result.startswith("Evil \\| injected \\| row \\| ::error::x   yyy") and key_result.endswith("y…")
    assert len(key_result.replace("\\", "")) == 200


# -- the schema: control and bidi characters in free-text fields --------------------------


@pytest.mark.parametrize("field, value, message", [
    ("objective", '"Checkout \\e]0;t\\a"', "field 'objective' contains the control character U+001B (\\x1b); "
                                          "remove it"),
    ("objective", '"Check\\u202eout"', "field 'objective' contains the bidi control character U+202E "
                                        "(RIGHT-TO-LEFT OVERRIDE), which reorders the text shown; remove it"),
    ("title", '"one\\ntwo"', "key result 'latency' field 'title' contains a line break (U+000A), "
                             "but it must be a single line; remove it"),
    ("title", '"iso\\u2066late"', "key result 'latency' field 'title' contains the bidi control character U+2066 "
                                  "(LEFT-TO-RIGHT ISOLATE), which reorders the text shown; remove it"),
    ("unit", '"m\\x85s"', "key result 'latency' field 'unit' contains the control character U+0085 (\\x85); "
                          "remove it"),
    ("note", '"bell\\a"', "key result 'latency' field 'note' contains the control character U+0007 (\\x07); "
                          "remove it"),
])
def test_text_fields_refuse_control_and_bidi_characters(repo, valid_objective, only, field, value,
                                                        message) -> None:
    text = valid_objective
    if field == "objective":
        text = text.replace("objective: Make checkout boringly reliable", f"objective: {value}")
    elif field == "title":
        text = text.replace("title: p99 checkout latency under 300 ms", f"title: {value}")
    else:
        text = text.replace("    current: 540\n", f"    current: 540\n    {field}: {value}\n")
    repo.objective(text=text)
    found = only(repo.findings())
    assert (found.code, found.severity, found.message) == ("schema", ERROR, message)
    assert found.line == {"objective": 2, "title": 8}.get(field, 13)


def test_a_note_may_span_lines_and_hold_tabs(repo, valid_objective) -> None:
    repo.objective(text=valid_objective.replace(
        "    current: 540\n", "    current: 540\n    note: |\n      first line\n      \tsecond line\n"))
    assert repo.findings() == []


def test_names_in_people_yaml_refuse_bidi_overrides(repo, people_yaml, valid_objective, only) -> None:
    repo.write("people.yaml", people_yaml.replace("name: Bob Brown", 'name: "Bob \\u202eBrown"'))
    repo.objective(text=valid_objective)
    found = only(repo.findings())
    assert (found.path, found.line, found.code) == ("okrs/people.yaml", 3, "schema")
    assert found.message == ("field 'people.bob.name' contains the bidi control character U+202E "
                             "(RIGHT-TO-LEFT OVERRIDE), which reorders the text shown; remove it")
