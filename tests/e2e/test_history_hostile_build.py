"""`okrs build` on a real repository whose old commits hold what today's checks refuse:
a 400-digit current, two weights of 1e308, a commit dated in year 10000."""

from __future__ import annotations

from pathlib import Path

from gitrepo import CHECKOUT, PEOPLE, GitRepo

from e2e.conftest import build, build_env, copy_repository

PATH = "okrs/2026-Q4/payments/checkout.md"


def checkout(current: str, weight: str | None = None) -> str:
    text = CHECKOUT.replace("    unit: ms\n", f"    unit: ms\n    current: {current}\n")
    if weight is not None:
        text = text.replace("    unit: ms\n", f"    unit: ms\n    weight: {weight}\n")
        text = text.replace("    type: milestone\n", f"    type: milestone\n    weight: {weight}\n")
    return text


def test_a_site_builds_over_old_commits_no_check_would_pass_today(tmp_path: Path) -> None:
    repo = GitRepo.create(tmp_path / "repo")
    copy_repository(repo.root, with_okrs=False)
    repo.write("okrs/people.yaml", PEOPLE)
    repo.write(PATH, checkout("700"))
    repo.commit("Add", date="2026-10-05T09:00:00+00:00")
    repo.write(PATH, checkout("1" + "0" * 400))
    huge = repo.commit("A very big number", date="2026-10-13T09:00:00+00:00")
    repo.write(PATH, checkout("600", weight="1.0e+308"))
    repo.commit("Heavy weights", date="2026-10-20T09:00:00+00:00")
    repo.write(PATH, checkout("550"))
    future = repo.commit("From the far future", date="@253402300800 +0000")
    repo.write(PATH, checkout("500"))
    repo.commit("Check in", date="2026-11-03T09:00:00+00:00")

    built = build(repo.root, tmp_path / "site", env=build_env(XDG_CACHE_HOME=str(tmp_path / "user-cache")))
    assert built.result.returncode == 0, built.result.stderr
    assert "Traceback" not in built.result.stderr
    assert huge[:12] in built.result.stderr and future[:12] in built.result.stderr
    for week in ("2026-W42", "2026-W43", "2026-W45"):
        assert (built.site / "changelog" / week / "index.html").is_file()
    assert not list((built.site / "changelog").glob("9999-*")) and not list((built.site / "changelog").glob("1????-*"))
