"""build_site_model(..., previous=...): a rebuild after one edit makes again only the pages
the edit reaches, and its result equals a build from nothing, page for page and byte for byte.

On a real `okrs demo` organisation (a git repository with weeks of check-ins): each edit is
made in the working tree as a person would, the repository and its history are read again,
and the site is built twice, from nothing and from the model before the edit.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable

import pytest

from generator.config import load_config
from generator.demo.repository import create_demo
from generator.history.records import ObjectivePool, objective_record
from generator.history.walk import read_history
from generator.reading.loader import load_repository
from generator.runtime.cache import Store
from generator.site import learnings, paging, saved_model
from generator.site.build import SiteModel, build_site_model
from generator.site.page_inputs import first_page, made_every_time, page_key

PROJECT = Path(__file__).resolve().parents[2]
SITE_URL = "https://okrs.example/"
PAGE_SIZE, CAP = 4, 2  # for the paged demo: every long list has several pages


class Demo:
    """A demo organisation with its cold site model; edits are undone after each test."""

    def __init__(self, root: Path, as_of: date) -> None:
        self.root, self.as_of = root, as_of
        self.base = self.build()

    def build(self, previous: SiteModel | None = None) -> SiteModel:
        config = load_config(self.root)
        repository = load_repository(config)
        assert not repository.errors, repository.errors
        history = read_history(config, as_of=self.as_of)
        assert history.available, history.reason
        return build_site_model(repository, history, config, as_of=self.as_of, site_url=SITE_URL, previous=previous)

    def file(self, path: str) -> Path:
        return self.root / "okrs" / path

    def undo(self) -> None:
        subprocess.run(["git", "checkout", "--", "."], cwd=self.root, check=True)
        subprocess.run(["git", "clean", "-fdq"], cwd=self.root, check=True)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    root = tmp_path_factory.mktemp("incremental") / "demo"
    summary = create_demo(root, weeks=4, objectives=60, seed=3, template_root=PROJECT)
    return Demo(root, date.fromisoformat(summary.rsplit("--as-of ", 1)[1].rstrip("`")))


@pytest.fixture
def edited(demo: Demo):
    yield demo
    demo.undo()


def differing(a: SiteModel, b: SiteModel) -> list[str]:
    """The paths of the pages and files that differ (or are in one model only)."""
    pages_a, pages_b = {p.path: p for p in a.pages}, {p.path: p for p in b.pages}
    files = [f for f in a.files.keys() | b.files.keys() if a.files.get(f) != b.files.get(f)]
    return sorted([p for p in pages_a.keys() | pages_b.keys() if pages_a.get(p) != pages_b.get(p)] + files)


def assert_same(incremental: SiteModel, cold: SiteModel) -> None:
    assert differing(incremental, cold) == []
    assert [p.path for p in incremental.pages] == [p.path for p in cold.pages]  # sorted alike
    assert incremental.nav == cold.nav
    assert incremental == cold


# -- the edits: each one a person's change in the working tree ----------------------------------

def _files(demo: Demo, pattern: str) -> list[str]:
    return sorted(p.relative_to(demo.root / "okrs").as_posix() for p in (demo.root / "okrs").glob(pattern))


def _leaf(demo: Demo) -> str:
    """A current-period objective no other objective points at (not a parent, not carried)."""
    pointed = set()
    for path in _files(demo, "*/*/*.md"):
        pointed |= set(re.findall(r"^(?:parent|carried_from): (\S+)", demo.file(path).read_text(), re.M))
    return next(p for p in _files(demo, "2026-Q4/*/*.md")
                if "/company/" not in p and p.removesuffix(".md") not in pointed
                and "carried_from" not in demo.file(p).read_text() and "tags:" in demo.file(p).read_text())


def _sub(demo: Demo, path: str, pattern: str, replacement: str | Callable) -> None:
    text = demo.file(path).read_text()
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert count == 1 and new != text, (path, pattern)
    demo.file(path).write_text(new)


def _person(demo: Demo, other_than: str) -> str:
    people = re.findall(r"^  (\w+): \{name", (demo.root / "okrs/people.yaml").read_text(), re.M)
    return next(p for p in people if p != other_than)


def current_value(demo: Demo) -> None:
    _sub(demo, _leaf(demo), r"^(    current: )(\S+)", lambda m: f"{m[1]}{float(m[2]) + 0.5:g}")


def title(demo: Demo) -> None:
    _sub(demo, _leaf(demo), r"^objective: .*$", "objective: A new title for this objective")


def owner(demo: Demo) -> None:
    path = _leaf(demo)
    now = re.search(r"^owner: (\S+)", demo.file(path).read_text(), re.M)[1]
    _sub(demo, path, r"^owner: \S+$", f"owner: {_person(demo, now)}")


def key_result_owner(demo: Demo) -> None:
    path = _leaf(demo)
    now = re.search(r"^    owner: (\S+)", demo.file(path).read_text(), re.M)[1]
    _sub(demo, path, r"^    owner: \S+$", f"    owner: {_person(demo, now)}")


def team_move(demo: Demo) -> None:
    path = _leaf(demo)
    team = path.split("/")[1]
    other = next(p.split("/")[1] for p in _files(demo, "2026-Q4/*/*.md") if p.split("/")[1] not in (team, "company"))
    target = demo.file(f"2026-Q4/{other}/moved-here.md")
    target.write_text(re.sub(r"^team: \S+$", f"team: {other}", demo.file(path).read_text(), count=1, flags=re.M))
    demo.file(path).unlink()


def parent(demo: Demo) -> None:
    path = next(p for p in _files(demo, "2026-Q4/*/*.md") if "parent:" in demo.file(p).read_text())
    now = re.search(r"^parent: (\S+)", demo.file(path).read_text(), re.M)[1]
    other = next(p.removesuffix(".md") for p in _files(demo, "2026-Q4/company/*.md") if p.removesuffix(".md") != now)
    _sub(demo, path, r"^parent: \S+$", f"parent: {other}")


def existing_tag(demo: Demo) -> None:
    tags = set()
    for path in _files(demo, "*/*/*.md"):
        for found in re.findall(r"^tags: \[(.*)\]", demo.file(path).read_text(), re.M):
            tags |= {t.strip() for t in found.split(",")}
    path = _leaf(demo)
    mine = {t.strip() for t in re.search(r"^tags: \[(.*)\]", demo.file(path).read_text(), re.M)[1].split(",")}
    _sub(demo, path, r"^tags: \[", f"tags: [{sorted(tags - mine)[0]}, ")


def new_tag(demo: Demo) -> None:
    _sub(demo, _leaf(demo), r"^tags: \[", "tags: [brand-new, ")


def new_objective(demo: Demo) -> None:
    path = _leaf(demo)
    text = re.sub(r"^objective: .*$", "objective: A brand new objective", demo.file(path).read_text(), count=1, flags=re.M)
    demo.file(path).with_name("brand-new.md").write_text(text)


def deleted_objective(demo: Demo) -> None:
    demo.file(_leaf(demo)).unlink()


def period_change(demo: Demo) -> None:
    path = _leaf(demo)
    target = demo.file(path.replace("2026-Q4/", "2026-Q3/", 1))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(re.sub(r"^period: \S+$", "period: 2026-Q3", demo.file(path).read_text(), count=1, flags=re.M))
    demo.file(path).unlink()


def carried_over(demo: Demo) -> None:
    path = next(p for p in _files(demo, "2026-Q4/*/*.md") if "carried_from:" in demo.file(p).read_text())
    _sub(demo, path, r"^carried_from: \S+\n", "")


def parent_value(demo: Demo) -> None:
    """A value of an objective others align to: their pages show its progress."""
    path = next(p for p in _files(demo, "2026-Q4/company/*.md"))
    _sub(demo, path, r"^(    current: )(\S+)", lambda m: f"{m[1]}{float(m[2]) + 1:g}")


def deleted_predecessor(demo: Demo) -> None:
    """An objective another one continues: its successor's link to it goes."""
    path = next(p for p in _files(demo, "2026-Q4/*/*.md") if "carried_from:" in demo.file(p).read_text())
    old = re.search(r"^carried_from: (\S+)", demo.file(path).read_text(), re.M)[1]
    demo.file(old + ".md").unlink()


def narrative(demo: Demo) -> None:
    path = _leaf(demo)
    demo.file(path).write_text(demo.file(path).read_text() + "\nA new paragraph of the narrative.\n")


def retrospective_answer(demo: Demo) -> None:
    """A closed objective's retrospective rewritten: the Learnings pages show it."""
    path = next(p for p in _files(demo, "*/*/*.md") if "### What went well\n\n" in demo.file(p).read_text())
    _sub(demo, path, r"(### What went well\n\n)", r"\1We wrote this answer again after the review. ")


def people_registry(demo: Demo) -> None:
    people = demo.root / "okrs/people.yaml"
    text, count = re.subn(r"^(  \w+: \{name: )([^,]+)", r"\1Renamed Person", people.read_text(), count=1, flags=re.M)
    assert count == 1
    people.write_text(text)


def configuration(demo: Demo) -> None:
    mkdocs = demo.root / "mkdocs.yml"
    text = mkdocs.read_text()
    assert "stale_after_weeks: 2" in text
    mkdocs.write_text(text.replace("stale_after_weeks: 2", "stale_after_weeks: 1"))


EDITS = [current_value, title, owner, key_result_owner, team_move, parent, existing_tag, new_tag, new_objective,
         deleted_objective, period_change, carried_over, parent_value, deleted_predecessor, narrative,
         retrospective_answer,
         people_registry, configuration]
GLOBAL_EDITS = {people_registry, configuration}  # every page is made again


def rebuilt(demo: Demo, edit: Callable[[Demo], None]) -> tuple:
    """The edit made: a build from nothing and a rebuild from the model before it, the two equal."""
    edit(demo)
    cold, incremental = demo.build(), demo.build(previous=demo.base)
    assert differing(cold, demo.base), "the edit changes some page or file"
    assert_same(incremental, cold)
    return cold, incremental


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
def test_a_rebuild_after_an_edit_equals_a_build_from_nothing(edited: Demo, edit: Callable[[Demo], None]) -> None:
    cold, incremental = rebuilt(edited, edit)
    if edit in GLOBAL_EDITS:
        assert incremental.memo.made == {p.path for p in cold.pages}
    else:
        assert len(incremental.memo.made) < len(cold.pages) / 2, "most pages are reused"
    # and back: from the edited model to the state before the edit
    edited.undo()
    assert_same(edited.build(previous=incremental), edited.base)


def test_one_value_edit_makes_few_pages_again(edited: Demo) -> None:
    current_value(edited)
    incremental = edited.build(previous=edited.base)
    made = incremental.memo.made
    pages = {p.path for p in incremental.pages}
    # the objective, its parent, its team (and those above), its people, tags and period,
    # and the pages of everything (dashboard, indexes, alignment, ...)
    assert len(made) <= 30, sorted(made)
    assert len(pages) > 5 * len(made)
    assert not any(p.startswith("changelog/2") for p in made), "the weeks name the objective only"
    assert not made & {"people/index.md", "teams/index.md", "changelog/index.md", "how-to-edit.md", "learnings.md"}
    unchanged = edited.build(previous=incremental)  # nothing changed since
    assert {p for p in unchanged.memo.made if page_key(p) is not None} == set()
    assert_same(unchanged, incremental)


def _commit(demo: Demo, message: str, *, when: str | None = None) -> None:
    """Commit the working tree; ``when``: the commit's date (else now, a later week than the demo's)."""
    env = {**os.environ, **({"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {})}
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", message],
                   cwd=demo.root, check=True, env=env)


def _a_minute_after_the_last_commit(demo: Demo) -> str:
    last = subprocess.run(["git", "log", "-1", "--format=%cI"], cwd=demo.root, check=True, capture_output=True,
                          text=True).stdout.strip()
    when = datetime.fromisoformat(last) + timedelta(minutes=1)
    assert when.isocalendar()[:2] == datetime.fromisoformat(last).isocalendar()[:2], "the same week"
    return when.isoformat()


def test_a_commit_in_a_new_week_makes_every_page_again(edited: Demo) -> None:
    """Its week is new: every chart's span and the changelog's list of weeks change."""
    current_value(edited)
    _commit(edited, "Check in")
    try:
        incremental = edited.build(previous=edited.base)
        assert incremental.memo.made == {p.path for p in incremental.pages}
        assert_same(incremental, edited.build())
    finally:
        subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=edited.root, check=True)


def test_a_commit_in_the_same_week_makes_the_pages_it_reaches_again(edited: Demo) -> None:
    """What the history says of the objective changed (its log, chart, last check-in) and
    the week's changelog: those pages are made again, and the rest kept. Also when the
    file itself is as the last build saw it (an edit built before it was committed)."""
    path = _leaf(edited)
    current_value(edited)
    uncommitted = edited.build(previous=edited.base)
    _commit(edited, "Check in", when=_a_minute_after_the_last_commit(edited))
    try:
        cold = edited.build()
        assert differing(cold, uncommitted), "the commit shows on the site"
        for previous in (edited.base, uncommitted):
            incremental = edited.build(previous=previous)
            assert_same(incremental, cold)
            made = incremental.memo.made
            assert f"objectives/{path}" in made
            week = {p.path for p in cold.pages if re.fullmatch(r"changelog/\d{4}-W\d\d\.md", p.path)}
            assert made & week, "the week of the commit"
            assert len(made) < len(cold.pages) / 2, "most pages are reused"
    finally:
        subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=edited.root, check=True)


def test_a_new_process_rebuilds_from_the_model_the_last_build_kept(edited: Demo, tmp_path: Path) -> None:
    """``okrs build`` keeps its model in the build cache: a restored model is a ``previous``
    as good as the one in memory, before and after a new commit."""
    store = Store(tmp_path)
    assert saved_model.save(store, edited.base)
    restored = saved_model.restore(store)
    assert restored is not None and restored.pages == edited.base.pages
    assert restored.memo.key == edited.base.memo.key and restored.memo.objectives == edited.base.memo.objectives
    assert restored.memo.entries == edited.base.memo.entries and restored.memo.entries
    unchanged = edited.build(previous=restored)
    assert {p for p in unchanged.memo.made if page_key(p) is not None} == set(), "nothing to make again"
    assert_same(unchanged, edited.base)
    current_value(edited)
    _commit(edited, "Check in", when=_a_minute_after_the_last_commit(edited))
    try:
        incremental, cold = edited.build(previous=saved_model.restore(store)), edited.build()
        assert_same(incremental, cold)
        assert len(incremental.memo.made) < len(cold.pages) / 2
    finally:
        subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=edited.root, check=True)


def test_a_restored_model_shares_the_objectives_of_the_pool_it_is_read_with(edited: Demo, tmp_path: Path) -> None:
    """The kept model's objectives are the loader's: read through the loader's pool, an
    unchanged objective is the loader's own object."""
    store = Store(tmp_path)
    pool = ObjectivePool()
    loaded = {ident: replace(o) for ident, o in edited.base.memo.objectives.items()}  # equal, not the same
    for objective in loaded.values():
        pool.add(objective, objective_record(objective))
    assert saved_model.save(store, edited.base, pool=pool)
    restored = saved_model.restore(store, pool=pool)
    assert restored is not None and restored.memo.objectives == edited.base.memo.objectives
    assert all(restored.memo.objectives[ident] is loaded[ident] for ident in loaded)
    assert saved_model.restore(store).memo.objectives == edited.base.memo.objectives  # without one: decoded


def _closed_objective(demo: Demo) -> str:
    return next(p for p in _files(demo, "2026-Q3/*/*.md") if "/company/" not in p)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """A small demo with a year of closed quarters before it: many weeks of changelog."""
    root = tmp_path_factory.mktemp("archive") / "demo"
    summary = create_demo(root, weeks=4, objectives=12, seed=3, template_root=PROJECT, closed_years=1)
    return Demo(root, date.fromisoformat(summary.rsplit("--as-of ", 1)[1].rstrip("`")))


@pytest.mark.parametrize("edit", ["current value", "closed title", "backdated"])
def test_after_a_commit_the_weeks_it_did_not_reach_are_kept_not_made_again(archive: Demo, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch,
                                                                           edit: str) -> None:
    """The history goes on from its cache: the weeks before the last one whose snapshots hold
    no objective the commit touched keep their changelog (no digest made again), and the
    site is the one a cold build makes, whatever the commit reached: a current objective,
    or one of a closed period (in every week since it came). A check-in dated weeks back
    makes the history walk from the start: every week is made again."""
    from generator.history.queries import History

    store = Store(tmp_path)
    config = load_config(archive.root)

    def build(previous: SiteModel | None) -> SiteModel:
        return build_site_model(load_repository(config), read_history(config, as_of=archive.as_of, cache=store),
                                config, as_of=archive.as_of, site_url=SITE_URL, previous=previous)

    base = build(None)
    assert saved_model.save(store, base)
    weeks = len(base.memo.weeks)
    path = _closed_objective(archive) if edit == "closed title" else _leaf(archive)
    if edit == "closed title":
        _sub(archive, path, r"^objective: .*$", "objective: A closed objective, retitled")
    else:
        _sub(archive, path, r"^(    current: )(\S+)", lambda m: f"{m[1]}{float(m[2]) + 0.5:g}")
    when = _a_minute_after_the_last_commit(archive)
    if edit == "backdated":  # its own date weeks back; the history counts it in the last week
        when = (datetime.fromisoformat(when) - timedelta(weeks=3)).isoformat()
    _commit(archive, "Check in", when=when)
    made: list[str] = []
    original = History.digest
    monkeypatch.setattr(History, "digest", lambda self, week, **options: made.append(str(week))
                        or original(self, week, **options))
    try:
        for previous in (base, saved_model.restore(store)):
            made.clear()
            incremental = build(previous)
            if edit == "backdated":
                assert len(made) == weeks, "a walk from the start vouches for no week"
            else:
                assert len(made) < weeks / 2, "most weeks kept"
            kept = set(base.memo.weeks) - set(made)
            ident = path.removesuffix(".md")
            assert not any(ident in incremental.memo.week_mentions.get(w, ()) and ident not in
                           base.memo.week_mentions.get(w, ()) for w in kept)
            assert_same(incremental, archive.build())  # its digests are counted after the clear above
    finally:
        subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=archive.root, check=True)


def test_after_a_commit_only_what_it_touched_is_marked_again(edited: Demo, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A walk that goes on from the saved history knows which objectives the commits since
    touched: the objectives its week does not name keep the old build's marks (no footprint
    is taken of them), and the marks and the site equal those of a walk and a build from nothing."""
    path = _leaf(edited).removesuffix(".md")
    marked, named = _marked_after_a_commit(edited, tmp_path, monkeypatch, path, current_value)
    assert path in marked and marked <= named | {path}
    assert len(marked) < len(edited.base.memo.objectives) - 10, "the objectives the week does not name keep theirs"


def test_a_commit_that_moves_a_paged_week_marks_what_it_moved_again(paged: Demo, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """An objective the week did not name yet joins its paged list: the objectives after it
    move to later pages of the week, so they are marked again too."""
    week = max(paged.base.memo.weeks)
    path = next(i for i in sorted(paged.base.memo.objectives, reverse=True)
                if i not in paged.base.memo.week_mentions[week] and "/company/" not in i)
    marked, _ = _marked_after_a_commit(paged, tmp_path, monkeypatch, path,
                                       lambda demo: _sub(demo, f"{path}.md", r"^objective: .*$", "objective: Renamed"))
    assert path in marked


def _marked_after_a_commit(demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str,
                           edit: Callable[[Demo], None]) -> tuple[set[str], frozenset[str]]:
    """The edit committed in the last week, built from the saved history: the objectives whose
    footprint the rebuild took, and those the week names."""
    from generator.history.queries import History

    config, store = load_config(demo.root), Store(tmp_path)
    history = read_history(config, as_of=demo.as_of, cache=store)  # from the start: saved
    assert history.touched_after(history.head) == frozenset() and history.touched_after("0" * 40) is None
    base = build_site_model(load_repository(config), history, config, as_of=demo.as_of, site_url=SITE_URL)
    assert saved_model.save(store, base)
    edit(demo)
    _commit(demo, "Check in", when=_a_minute_after_the_last_commit(demo))
    try:
        went_on = read_history(config, as_of=demo.as_of, cache=store)
        assert went_on.went_on is not None and went_on.went_on[0] == base.memo.head
        assert went_on.touched_after(base.memo.head) == {path}
        taken: list[str] = []
        footprint = History.footprint
        with monkeypatch.context() as patch:
            patch.setattr(History, "footprint", lambda self, i, krs: taken.append(i) or footprint(self, i, krs))
            incremental = build_site_model(load_repository(config), went_on, config, as_of=demo.as_of,
                                           site_url=SITE_URL, previous=saved_model.restore(store))
        cold = demo.build()
        assert incremental.memo.marks == cold.memo.marks
        assert_same(incremental, cold)
        week = max(cold.memo.weeks)  # the commit's, the last
        return set(taken), cold.memo.week_mentions[week] | base.memo.week_mentions[week]
    finally:
        subprocess.run(["git", "reset", "-q", "--hard", "HEAD~1"], cwd=demo.root, check=True)


def test_a_damaged_kept_model_is_no_model(edited: Demo, tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert saved_model.save(store, edited.base)
    kept = tmp_path / ".okrs-cache" / f"{saved_model.SITE_MODEL}.json"
    data = bytearray(kept.read_bytes())
    data[len(data) // 2] ^= 1
    kept.write_bytes(bytes(data))
    assert saved_model.restore(store) is None


def test_kept_page_bodies_of_another_save_damaged_or_gone_are_no_model(edited: Demo, tmp_path: Path) -> None:
    """The bodies are kept beside the model's JSON, as bytes: both must be of one save."""
    store = Store(tmp_path)
    assert saved_model.save(store, edited.base)
    bodies = tmp_path / ".okrs-cache" / f"{saved_model.SITE_PAGES}.bin"
    before = bodies.read_bytes()
    assert saved_model.save(store, edited.base)
    assert saved_model.restore(store).pages == edited.base.pages
    bodies.write_bytes(before)  # the bodies of the save before this one, signed as well
    assert saved_model.restore(store) is None
    assert saved_model.save(store, edited.base)
    data = bytearray(bodies.read_bytes())
    data[len(data) // 2] ^= 1
    bodies.write_bytes(bytes(data))
    assert saved_model.restore(store) is None
    bodies.unlink()
    assert saved_model.restore(store) is None


def test_without_history_a_rebuild_equals_a_build_from_nothing(edited: Demo) -> None:
    config = load_config(edited.root)
    before = build_site_model(load_repository(config), None, config, as_of=edited.as_of)
    current_value(edited)
    after = load_repository(config)
    incremental = build_site_model(after, None, config, as_of=edited.as_of, previous=before)
    assert len(incremental.memo.made) < len(incremental.pages)
    assert_same(incremental, build_site_model(after, None, config, as_of=edited.as_of))


def test_a_tag_that_takes_another_tags_page_name(edited: Demo) -> None:
    """"Brand New" has the page tags/brand-new until a tag spelt "brand-new" comes, which
    takes the name: the first tag's page moves though none of its objectives changed."""
    first, second = _files(edited, "2026-Q4/*/*.md")[:2]
    _sub(edited, first, r"^(tags: \[|team: )", lambda m: "tags: [Brand New, " if m[1] == "tags: [" else
         f"tags: [Brand New]\n{m[1]}")
    one = edited.build(previous=edited.base)
    assert_same(one, edited.build())
    assert "tags/brand-new.md" in {p.path for p in one.pages}
    _sub(edited, second, r"^(tags: \[|team: )", lambda m: "tags: [brand-new, " if m[1] == "tags: [" else
         f"tags: [brand-new]\n{m[1]}")
    two, cold = edited.build(previous=one), edited.build()
    assert {"tags/brand-new.md", "tags/brand-new-2.md"} <= {p.path for p in cold.pages}
    assert_same(two, cold)


def test_an_objective_that_changes_team_in_place(edited: Demo) -> None:
    """A file right under okrs/<period>/ names its team freely: the team pages and the
    teams' index (objectives per team) follow it though its id stays."""
    path = _leaf(edited)
    team = path.split("/")[1]
    other = next(p.split("/")[1] for p in _files(edited, "2026-Q4/*/*.md") if p.split("/")[1] not in (team, "company"))
    loose = edited.file("2026-Q4/loose.md")
    loose.write_text(edited.file(path).read_text().replace("objective: ", "objective: Loose and ", 1))
    one = edited.build(previous=edited.base)
    loose.write_text(re.sub(r"^team: \S+$", f"team: {other}", loose.read_text(), count=1, flags=re.M))
    two, cold = edited.build(previous=one), edited.build()
    assert "teams/index.md" in differing(one, cold)
    assert_same(two, cold)


# -- paged lists: a small page size, so that edits move rows between pages ----------------------

def _lowered(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(paging, "PAGE_SIZE", PAGE_SIZE)
    patch.setattr(paging, "CAP", CAP)
    patch.setattr(learnings, "PER_PAGE", 1)


@pytest.fixture(scope="module")
def paged_demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    root = tmp_path_factory.mktemp("paged") / "demo"
    summary = create_demo(root, weeks=4, objectives=60, seed=3, template_root=PROJECT)
    with pytest.MonkeyPatch.context() as patch:  # the base is built with the lowered sizes, as each test
        _lowered(patch)
        return Demo(root, date.fromisoformat(summary.rsplit("--as-of ", 1)[1].rstrip("`")))


@pytest.fixture
def paged(paged_demo: Demo, monkeypatch: pytest.MonkeyPatch):
    _lowered(monkeypatch)
    yield paged_demo
    paged_demo.undo()


def _later(model: SiteModel) -> set[str]:
    """The paths of the later pages of paged lists that a rebuild may keep (page 2 on)."""
    return {p.path for p in model.pages if paging.numbered(p.path.removesuffix(".md")) and page_key(p.path)}


def tag_list_shrinks(demo: Demo) -> None:
    """A tag taken off objectives until its list has a page fewer (its last page goes)."""
    tagged: dict[str, list[str]] = {}
    for path in _files(demo, "*/*/*.md"):
        for found in re.findall(r"^tags: \[(.*)\]", demo.file(path).read_text(), re.M):
            for tag in (t.strip() for t in found.split(",")):
                tagged.setdefault(tag, []).append(path)
    tag, paths = max(tagged.items(), key=lambda item: (len(item[1]), item[0]))
    assert len(paths) > 2 * PAGE_SIZE
    for path in paths[:(len(paths) - 1) % PAGE_SIZE + 1]:
        _sub(demo, path, r"^tags: \[(.*)\]$",
             lambda m: "tags: [" + ", ".join(t for t in (t.strip() for t in m[1].split(",")) if t != tag) + "]")


PAGED_EDITS = [*EDITS, tag_list_shrinks]
# Edits whose lists' later pages change (rows move, pages come or go), on this demo.
MOVING = {owner, key_result_owner, team_move, parent, existing_tag, new_objective, deleted_objective,
          period_change, deleted_predecessor, tag_list_shrinks}


def test_paged_lists_have_their_first_pages_key(paged: Demo) -> None:
    """Every kind of paged list pages on this demo, and a later page has the key of its
    list's first page (the pages made every time have none)."""
    paths = {p.path for p in paged.base.pages}
    later = [p for p in paths if paging.numbered(p.removesuffix(".md"))]
    kinds = {p.split("/")[0] + ("/aligned" if "/aligned/" in p else "") for p in later}
    assert kinds == {"attention", "alignment", "objectives", "objectives/aligned", "teams", "people", "tags",
                     "periods", "changelog", "learnings"}
    assert "objectives/objectives.json" in paged.base.files
    for path in later:
        first = first_page(path.removesuffix(".md")) + ".md"
        if path.split("/")[0] in ("attention", "alignment") or path.count("/") == 1 and path.startswith("objectives/"):
            assert page_key(path) is None, path  # made every time
        else:
            assert first != path and first in paths, path
            assert page_key(path) == page_key(first) is not None, path


@pytest.mark.parametrize("edit", PAGED_EDITS, ids=[e.__name__ for e in PAGED_EDITS])
def test_a_rebuild_of_paged_lists_equals_a_build_from_nothing(paged: Demo, edit: Callable[[Demo], None]) -> None:
    cold, incremental = rebuilt(paged, edit)
    moved = {p for p in differing(cold, paged.base) if p in _later(cold) | _later(paged.base)}
    if edit in MOVING:
        assert moved, "the edit reaches a later page of a list"
    assert moved <= incremental.memo.made | (_later(paged.base) - _later(cold)), "they are made again (or gone)"
    if edit is tag_list_shrinks:
        assert _later(paged.base) - _later(cold), "a page of the list goes"
    if edit not in GLOBAL_EDITS:
        assert incremental.memo.made < {p.path for p in cold.pages}, "some pages are reused"
    edited_model = incremental
    paged.undo()
    assert_same(paged.build(previous=edited_model), paged.base)


@pytest.mark.parametrize("edit", [current_value, title], ids=["current_value", "title"])
def test_pages_made_every_time_are_reused_while_what_they_read_is_the_same(paged: Demo, edit) -> None:
    """The objectives index, attention and alignment read every objective: after one edit, of
    their pages only those whose values differ are rendered again, the others are the
    earlier build's (the same objects), and the site equals a build from nothing."""
    cold, incremental = rebuilt(paged, edit)
    every_time = {p.path for p in cold.pages if made_every_time(p.path)}
    earlier = {p.path: p for p in paged.base.pages}
    assert every_time & set(differing(cold, paged.base)) <= incremental.memo.made, "what changed is made again"
    reused = {p.path for p in incremental.pages if made_every_time(p.path) and p is earlier.get(p.path)}
    assert reused and not reused & incremental.memo.made
    index = {p for p in every_time if re.fullmatch(r"objectives/(index|\d+)\.md", p)}
    assert len(index) > 2 and index & reused, "the index's pages that do not list the objective are kept"
    if edit is title:
        assert index & incremental.memo.made, "the one that lists it is made again"


def test_other_page_sizes_make_every_page_again(paged_demo: Demo) -> None:
    """The sizes of the pages are part of what a build read: with others (here the module's
    own, after a base built with lowered ones), nothing is reused."""
    cold, incremental = paged_demo.build(), paged_demo.build(previous=paged_demo.base)
    assert differing(cold, paged_demo.base)
    assert incremental.memo.made == {p.path for p in cold.pages}
    assert_same(incremental, cold)
