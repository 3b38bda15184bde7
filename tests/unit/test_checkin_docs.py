"""`okrs checkin` is documented where users look: the README and the How to edit OKRs page."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from generator.cli.main import _parser
from generator.config import load_config
from generator.site.build import build_site_model

README = Path(__file__).resolve().parents[2] / "README.md"


def checkin_options() -> set[str]:
    commands = next(a for a in _parser()._actions if getattr(a, "choices", None) and "checkin" in a.choices)
    options = {o for action in commands.choices["checkin"]._actions for o in action.option_strings}
    return options - {"-h", "--help", "--root"}


def test_every_checkin_option_is_in_the_readme_and_on_the_how_to_edit_page(repo) -> None:
    repo.objective()
    page = next(p for p in build_site_model(repo.load(), None, load_config(repo.root), as_of=date(2026, 11, 20),
                                            site_url="").pages if p.path == "how-to-edit.md")
    text = html.unescape(re.sub(r"<[^>]+>", "", page.html))
    readme = README.read_text(encoding="utf-8")
    assert checkin_options() == {"--current", "--done", "--confidence", "--note", "--commit", "--as"}
    for option in checkin_options():
        assert option in readme, option
        assert option in text, option
    assert "okrs checkin REF" in readme and "OBJECTIVE_ID#KR_ID" in readme
    assert 'okrs checkin 2026-Q4/platform/reliability#p99-latency --current 480 --confidence 0.7 ' \
           '--note "Cache: rolled out #2"' in text
