"""What `okrs check|diff|changelog|build` print and publish when a pull request is hostile.

A real git repository whose history has a file with a YAML key holding line breaks and
workflow commands (``::error::pwned``, ``::stop-commands::x``), a commit subject with a
terminal escape, an author name with a control character and a chat mention, a note with
Slack markup, and a period (named in mkdocs.yml) whose name is an HTML element. Every
command runs for real: `main([...])` for the CLI, a subprocess for `okrs build`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from gitrepo import CHECKOUT, CHECKOUT_PATH, PEOPLE, GitRepo

from e2e.conftest import build_env, copy_repository, run_okrs
from generator.cli.main import main

EVIL_KEY = '    "x\\n::error::pwned\\n::stop-commands::x": 1\n'
EVIL_AUTHOR = "Ev\x01il @channel"
EVIL_NOTE = '    note: "<!channel> see <https://evil.example|Click here> @here"\n'
PERIOD = "<img src=x onerror=alert(1)>"
PERIOD_OBJECTIVE = CHECKOUT.replace("period: 2026-Q4", f'period: "{PERIOD}"').replace(
    "Make checkout boringly reliable", "Named period objective")
# Our own workflow commands: an annotation whose data has every line break escaped.
OUR_COMMAND = re.compile(r"::warning( file=[^:,]*,line=\d+,col=\d+,title=okrs [a-z-]+)?::[^\r\n]*")
TERMINAL_ACTS_ON = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repository(tmp_path_factory.mktemp("escaping") / "repo", with_okrs=False)
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace(
        "      # periods:", f'      periods:\n        "{PERIOD}": {{start: 2026-07-01, end: 2026-09-30}}\n'
                           "      # periods:"), encoding="utf-8")
    repo = GitRepo.create(root)
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write(CHECKOUT_PATH, CHECKOUT)
    repo.write("okrs/named/payments/old.md", PERIOD_OBJECTIVE)
    repo.commit("Add objectives", date="2026-11-02T09:00:00+00:00")
    repo.edit(CHECKOUT_PATH, "    unit: ms\n", "    unit: ms\n" + EVIL_KEY)
    repo.commit("Break \x1b[2J\x1b]0;owned\x07 it", date="2026-11-10T09:00:00+00:00", author=EVIL_AUTHOR)
    repo.edit(CHECKOUT_PATH, EVIL_KEY, "    current: 700\n" + EVIL_NOTE)
    repo.commit("Fix it", date="2026-11-11T09:00:00+00:00", author=EVIL_AUTHOR)
    return root


def cli(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_no_injected_lines(*outputs: str) -> None:
    """No line starts with :: unless it is one of our own escaped commands; no terminal controls."""
    for output in outputs:
        for line in output.split("\n"):
            assert "\r" not in line, line
            assert not line.startswith("::") or OUR_COMMAND.fullmatch(line), line
        assert not TERMINAL_ACTS_ON.search(output), output


@pytest.mark.parametrize("github", [False, True])
def test_diff_and_changelog_print_no_workflow_command_of_the_history(root, capsys, monkeypatch,
                                                                    github) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true") if github else monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code, out, err = cli(capsys, "diff", "HEAD~2", "HEAD~1", "--root", str(root))
    assert code == 0
    assert_no_injected_lines(out, err)
    assert ("unknown field 'x%0A::error::pwned%0A::stop-commands::x'" if github
            else "unknown field 'x\\n::error::pwned\\n::stop-commands::x'") in err
    assert len(err.splitlines()) == 1
    assert err.startswith("::warning file=okrs/2026-Q4/payments/checkout.md,line=13,col=5,"
                          "title=okrs revision-unparsable::" if github
                          else "okrs: okrs/2026-Q4/payments/checkout.md:13:5: warning[revision-unparsable]: ")

    code, out, err = cli(capsys, "changelog", "--root", str(root), "--week", "2026-W46", "--as-of", "2026-11-23")
    assert code == 0
    assert_no_injected_lines(out, err)
    assert len(err.splitlines()) == 1 and "history-unparsable" in err
    assert 'at commit ' in err and '"Break \\x1b[2J\\x1b]0;owned\\x07 it"' in err


def test_changelog_digest_shows_controls_and_notifies_nobody(root, capsys) -> None:
    code, out, _ = cli(capsys, "changelog", "--root", str(root), "--week", "2026-W46", "--as-of", "2026-11-23")
    assert code == 0
    assert ("note: “&lt;!channel&gt; see &lt;https://evil.example\\|Click here&gt; @\u200dhere” "
            "(Ev\\x01il @\u200dchannel, `") in out
    code, out, _ = cli(capsys, "changelog", "--root", str(root), "--week", "2026-W46", "--as-of", "2026-11-23",
                       "--format", "html")
    assert code == 0 and "Ev\\x01il @channel" in out and "\x01" not in out


def test_check_shows_a_terminal_escape_in_an_owner_as_text(tmp_path, capsys) -> None:
    root = copy_repository(tmp_path / "repo", with_okrs=False)
    GitRepo(root).write("okrs/people.yaml", PEOPLE)
    GitRepo(root).write(CHECKOUT_PATH, CHECKOUT.replace("owner: alice", 'owner: "\\e]0;title\\a\\e[2J"'))
    code, out, err = cli(capsys, "check", "--root", str(root), "--format", "text")
    assert code == 1
    assert out == ("okrs/2026-Q4/payments/checkout.md:3:8: error[owner-unknown]: owner '\\x1b]0;title\\x07\\x1b[2J' "
                   "is not a person in okrs/people.yaml (or add '\\x1b]0;title\\x07\\x1b[2J' to okrs/people.yaml)\n")
    assert err == "okrs: 2 files checked: 1 error, 0 warnings\n"


def test_a_configuration_error_quoting_mkdocs_yml_is_one_line(tmp_path, capsys) -> None:
    root = copy_repository(tmp_path / "repo", with_okrs=False)
    GitRepo(root).write("okrs/people.yaml", PEOPLE)
    GitRepo(root).write("mkdocs.yml", 'plugins:\n  - okrs:\n      periods:\n'
                                      '        "x\\n::error::pwned": {start: 2026-01-01}\n')
    code, out, err = cli(capsys, "check", "--root", str(root))
    assert (code, out) == (2, "")
    assert err == ("okrs: mkdocs.yml, plugins: okrs: periods: x\\n::error::pwned must have exactly start and end, "
                   "e.g. {start: 2026-09-01, end: 2027-02-28}\n")


@pytest.mark.parametrize("github", [False, True])
def test_build_prints_no_workflow_command_and_publishes_escaped_text(root, tmp_path, github) -> None:
    env = build_env()  # without GITHUB_ACTIONS, whatever runs the tests
    if github:
        env["GITHUB_ACTIONS"] = "true"
    site = tmp_path / "site"
    result = run_okrs("build", "--root", root, "--as-of", "2026-11-23", "--site-dir", site, env=env)
    assert result.returncode == 0, result.stderr
    assert_no_injected_lines(result.stdout, result.stderr)
    warning = next(line for line in result.stderr.splitlines() if "history-unparsable" in line)
    assert warning.startswith("::warning file=okrs/2026-Q4/payments/checkout.md,line=13,col=5," if github
                              else "WARNING -  okrs/2026-Q4/payments/checkout.md:13:5: warning[history-unparsable]")
    if github:
        return
    # The feed: an author name with a control character does not make it invalid XML. The
    # site's feed is brief (each week's summary and link): the author is on the week's page.
    feed = ET.parse(site / "changelog" / "feed.xml").getroot()
    weeks = [item.findtext("link").rstrip("/").rsplit("/", 1)[-1] for item in feed.iter("item")]
    assert weeks and all("See the week on the site" in item.findtext("description") for item in feed.iter("item"))
    pages = [(site / "changelog" / week / "index.html").read_text(encoding="utf-8") for week in weeks]
    assert any("Ev\x01il" in page for page in pages)
    # The period name from mkdocs.yml is text in the navigation, not an element.
    for page in (site / "periods" / "index.html", site / "periods" / PERIOD / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert "&lt;img src=x onerror=alert(1)&gt;" in text
        assert "<img src=x" not in text and "<img src=\"x\"" not in text
