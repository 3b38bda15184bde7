"""mkdocs.yml read by `okrs check` the way MkDocs reads it: `!ENV` and `INHERIT`.

A differential test: for each file our reading of the okrs plugin's options must equal
what MkDocs' own loader makes of the same file.
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.utils.yaml import yaml_load

from e2e.test_cli_check import check
from generator.config import OPTIONS, read_mkdocs_options

ENV_NAMES = ("OKRS_TEST_SOURCE", "OKRS_TEST_WEEKS", "OKRS_TEST_ZONE")

# name -> ({file: text}, {environment variable: value}); mkdocs.yml is the one read.
CASES = {
    "env scalar, set": ({"mkdocs.yml": """\
        plugins:
          - okrs:
              source: !ENV OKRS_TEST_SOURCE
              stale_after_weeks: !ENV OKRS_TEST_WEEKS
        """}, {"OKRS_TEST_SOURCE": "goals", "OKRS_TEST_WEEKS": "3"}),
    "env scalar, unset": ({"mkdocs.yml": """\
        plugins:
          - okrs:
              source: !ENV OKRS_TEST_SOURCE
        """}, {}),
    "env list, first set": ({"mkdocs.yml": """\
        plugins:
          - okrs:
              source: !ENV [OKRS_TEST_SOURCE, OKRS_TEST_ZONE, goals]
        """}, {"OKRS_TEST_SOURCE": "data/okrs", "OKRS_TEST_ZONE": "x"}),
    "env list, second set": ({"mkdocs.yml": """\
        plugins:
          - okrs:
              timezone: !ENV [OKRS_TEST_SOURCE, OKRS_TEST_ZONE, UTC]
        """}, {"OKRS_TEST_ZONE": "Europe/Rome"}),
    "env list, default typed": ({"mkdocs.yml": """\
        plugins:
          - okrs:
              max_key_results: !ENV [OKRS_TEST_WEEKS, 4]
              periods: {FY27: {start: !ENV [OKRS_TEST_ZONE, 2026-09-01], end: 2027-08-31}}
        """}, {}),
    "inherit, child options override the parent's": ({"base.yml": """\
        site_name: Base
        plugins:
          search: {}
          okrs:
            source: goals
            timezone: Europe/Rome
            periods: {FY27: {start: 2026-09-01, end: 2027-08-31}}
        """, "mkdocs.yml": """\
        INHERIT: base.yml
        plugins:
          okrs:
            timezone: America/New_York
            periods: {FY28: {start: 2027-09-01, end: 2028-08-31}}
        """}, {}),
    "inherit, recursive, from a folder, with env": ({"config/root.yml": """\
        plugins:
          okrs:
            ownership: individual-or-team
            max_key_results: 7
        """, "config/team.yml": """\
        INHERIT: root.yml
        plugins:
          okrs:
            max_key_results: !ENV [OKRS_TEST_WEEKS, 6]
        """, "mkdocs.yml": """\
        INHERIT: config/team.yml
        plugins:
          okrs:
            source: !ENV [OKRS_TEST_SOURCE, goals]
        """}, {"OKRS_TEST_WEEKS": "9"}),
    "inherit, a plugins list replaces the parent's": ({"base.yml": """\
        plugins:
          - okrs: {source: goals}
        """, "mkdocs.yml": """\
        INHERIT: base.yml
        plugins:
          - search
          - okrs: {ownership: individual-or-team}
        """}, {}),
    "python tag": ({"mkdocs.yml": """\
        markdown_extensions:
          - pymdownx.superfences:
              custom_fences:
                - name: mermaid
                  format: !!python/name:os.path.join
        plugins:
          - okrs:
              source: !ENV [OKRS_TEST_SOURCE, goals]
        """}, {}),
}


def okrs_options(data: object) -> dict:
    """The okrs entry of MkDocs' reading of a file (as MkDocs' plugins option finds it)."""
    plugins = data.get("plugins") if isinstance(data, dict) else None
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins or []:
        if entry == "okrs":
            return {}
        if isinstance(entry, dict) and "okrs" in entry:
            return entry["okrs"] or {}
    return {}


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.mark.parametrize("case", sorted(CASES))
def test_our_reading_of_the_okrs_options_is_mkdocs_reading(tmp_path, monkeypatch, case):
    files, environment = CASES[case]
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    write(tmp_path, files)
    with open(tmp_path / "mkdocs.yml", "rb") as file:  # as MkDocs opens it: INHERIT needs its name
        theirs = okrs_options(yaml_load(file))
    assert read_mkdocs_options(tmp_path) == theirs


def test_the_inherit_case_really_merges(tmp_path):
    """The differential test would pass if both ignored INHERIT: pin what the merge gives."""
    write(tmp_path, CASES["inherit, child options override the parent's"][0])
    assert read_mkdocs_options(tmp_path) == {
        "source": "goals", "timezone": "America/New_York",
        "periods": {"FY27": {"start": date(2026, 9, 1),
                             "end": date(2027, 8, 31)},
                    "FY28": {"start": date(2027, 9, 1),
                             "end": date(2028, 8, 31)}},
    }


def test_mkdocs_sees_one_option_per_row_of_the_table(tmp_path):
    (tmp_path / "docs").mkdir()
    write(tmp_path, {"mkdocs.yml": "site_name: x\nplugins:\n  - okrs:\n      as_of: 2026-11-20\n"})
    config = load_mkdocs_config(config_file=str(tmp_path / "mkdocs.yml"))
    options = dict(config.plugins["okrs"].config)
    assert list(options) == [option.name for option in OPTIONS]
    assert options == {**{option.name: option.default for option in OPTIONS},
                       "as_of": date(2026, 11, 20)}


# --- okrs check, with the folder named through the environment and an inherited file ----------

ENV_SOURCE = "plugins:\n  - okrs:\n      source: !ENV [OKRS_SOURCE, goals]\n"


def move_okrs_to(repo, folder: str) -> None:
    repo.okrs.rename(repo.root / folder)


def test_check_reads_the_folder_an_env_default_names(repo, monkeypatch):
    monkeypatch.delenv("OKRS_SOURCE", raising=False)
    repo.objective()
    move_okrs_to(repo, "goals")
    repo.mkdocs(ENV_SOURCE)
    run = check(repo)
    assert (run.code, run.out) == (0, ""), run.err
    assert run.err == "okrs: 2 files checked: 0 errors, 0 warnings\n"


def test_check_reads_the_folder_the_environment_names(repo):
    repo.objective()
    move_okrs_to(repo, "elsewhere")
    repo.mkdocs(ENV_SOURCE)
    run = check(repo, env={"OKRS_SOURCE": "elsewhere"})
    assert (run.code, run.out) == (0, ""), run.err
    assert run.err == "okrs: 2 files checked: 0 errors, 0 warnings\n"


def test_check_honours_inherit(repo, valid_objective):
    repo.objective(text=valid_objective.replace("owner: carol", "owner: payments"))  # a team owner
    move_okrs_to(repo, "goals")
    write(repo.root, {"base.yml": "plugins:\n  okrs:\n    source: goals\n    ownership: individual\n",
                      "mkdocs.yml": "INHERIT: base.yml\nplugins:\n  okrs:\n    ownership: individual-or-team\n"})
    run = check(repo)
    assert (run.code, run.out) == (0, ""), run.out + run.err


@pytest.mark.parametrize("files, words", [
    ({"mkdocs.yml": "INHERIT: missing.yml\n"}, "INHERIT: the inherited file 'missing.yml' does not exist"),
    ({"mkdocs.yml": "INHERIT: a.yml\n", "a.yml": "INHERIT: mkdocs.yml\n"}, "inherits from itself"),
    ({"mkdocs.yml": "INHERIT: a.yml\n", "a.yml": "plugins: [\n"}, "a.yml:2:1: cannot read it as YAML"),
    ({"mkdocs.yml": "plugins:\n  - okrs:\n      as_of: soon\n"}, "as_of must be a date like 2026-09-01, not 'soon'"),
])
def test_errors_of_the_config_files_exit_2_with_one_line(repo, files, words):
    repo.objective()
    write(repo.root, files)
    run = check(repo)
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith("okrs: ") and run.err.count("\n") == 1
    assert words in run.err


def test_messages_name_the_people_file_of_the_configured_source(tmp_path, capsys):
    from generator.cli.main import main

    root = tmp_path / "repo"
    (root / "goals" / "2026-Q4" / "payments").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - okrs:\n      source: goals\n", encoding="utf-8")
    (root / "goals" / "people.yaml").write_text(
        "people:\n  alice: {name: Alice Rossi}\nteams:\n  payments: {name: Payments, lead: alice, members: [alice]}\n",
        encoding="utf-8")
    (root / "goals" / "2026-Q4" / "payments" / "checkout.md").write_text(
        "---\nobjective: Reliable checkout\nowner: alice\nteam: payments\nperiod: 2026-Q4\nkey_results:\n"
        "  - id: latency\n    title: p99 under 300 ms\n    start: 850\n    target: 300\n---\n", encoding="utf-8")
    assert main(["check", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert ("goals/2026-Q4/payments/checkout.md:7:5: error[owner-missing]: key result 'latency' has no owner; "
            "every key result needs exactly one owner, a person listed in goals/people.yaml") in out
    assert "okrs/people.yaml" not in out
