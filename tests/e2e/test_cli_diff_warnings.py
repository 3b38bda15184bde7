"""`okrs diff` over revisions holding a file that does not parse: a warning naming it, never a failure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gitrepo import UPTIME_PATH, okr_history

from generator.cli.main import main


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("cli-diff-warnings") / "repo"
    return root, okr_history(root)  # c5 breaks uptime.md (a YAML syntax error), c6 fixes it


def warnings_of(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("okrs: ") and ": warning[" in line]


@pytest.mark.parametrize("base, head", [("c5", "c6"), ("c4", "c5")], ids=["broken-base", "broken-head"])
def test_a_file_that_does_not_parse_is_a_warning_and_the_diff_goes_on(made, capsys, base, head) -> None:
    root, shas = made
    code = main(["diff", shas[base], shas[head], "--root", str(root)])
    out, err = capsys.readouterr()
    assert code == 0
    warnings = warnings_of(err)
    assert len(warnings) == 1, err
    assert re.match(rf"okrs: {re.escape(UPTIME_PATH)}:\d+:\d+: warning\[revision-unparsable\]: \S", warnings[0]), warnings[0]
    assert out.startswith("### OKR changes:")
