"""`okrs remind` on a repository made here: exactly the owners due, mentioned by handle, with links."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from delivery_history import AS_OF, PEOPLE, SITE_URL, due_owners, make_repository
import yaml

from generator.cli.main import main


@pytest.fixture(scope="module")
def repo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repository(tmp_path_factory.mktemp("remind") / "repo").root


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["remind", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_exactly_the_owners_due_with_their_key_results(repo_root, capsys) -> None:
    code, out, err = run(capsys, "--root", str(repo_root), "--as-of", AS_OF.isoformat(), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["title"] == "OKR check-in 2026-W47"
    found = {o["owner"]: {kr["key_result"] for kr in o["key_results"]} for o in data["owners"]}
    assert found == due_owners() and found  # ben (stale), cai (none this week), dee (never)
    handles = {ident: person.get("github") for ident, person in yaml.safe_load(PEOPLE)["people"].items()}
    assert {o["owner"]: o["github"] for o in data["owners"]} == {o: handles[o] for o in found}
    for owner in data["owners"]:
        for kr in owner["key_results"]:
            objective = kr["objective"]
            assert kr["url"] == f"{SITE_URL}objectives/{objective}/#kr-{kr['key_result']}"


def test_markdown_mentions_owners_by_handle_else_by_name(repo_root, capsys) -> None:
    code, out, _ = run(capsys, "--root", str(repo_root), "--as-of", AS_OF.isoformat())
    assert code == 0 and out.startswith("## OKR check-in 2026-W47\n")
    people = yaml.safe_load(PEOPLE)["people"]
    headings = [line for line in out.splitlines() if line.startswith("### ")]
    expected = [f"### @{people[o]['github']} ({people[o]['name']})" if people[o].get("github")
                else f"### {people[o]['name']}" for o in sorted(due_owners())]
    assert headings == expected
    mentioned = {word[1:] for word in out.split() if word.startswith("@")}
    assert mentioned == {people[o]["github"] for o in due_owners() if people[o].get("github")}
    assert f"]({SITE_URL}objectives/2026-Q4/core/speed/#kr-throughput)" in out
    assert "**stale**" in out


def test_without_site_url_no_links_and_a_warning(tmp_path, capsys) -> None:
    root = make_repository(tmp_path / "repo", site_url=None).root
    code, out, err = run(capsys, "--root", str(root), "--as-of", AS_OF.isoformat(), "--format", "json")
    assert code == 0
    assert all(kr["url"] is None for o in json.loads(out)["owners"] for kr in o["key_results"])
    assert "warning[site-url]: site_url is not set" in err and "no links" in err
    code, out, _ = run(capsys, "--root", str(root), "--as-of", AS_OF.isoformat())
    assert "](" not in out and "http" not in out


def test_in_a_week_without_check_ins_every_owner_is_due(repo_root, capsys) -> None:
    # The day after the objectives were added nothing is stale yet, but nobody has checked
    # in that week: everyone with an open key result is listed.
    code, out, _ = run(capsys, "--root", str(repo_root), "--as-of", "2026-10-06", "--format", "json")
    owners = {o["owner"] for o in json.loads(out)["owners"]}
    assert code == 0 and owners == {"ana", "ben", "cai", "dee", "eve"}
