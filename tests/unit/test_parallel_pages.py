"""A large site's pages, rendered in shares on every core, are the pages one process renders."""

from __future__ import annotations

import re
import threading
from datetime import date
from pathlib import Path

from generator.runtime import parallel
from generator.reading import schemas
from generator.site.pages import build_pages
from generator.site.schema_docs import reference
from generator.site.views import Context
from required import in_ci

PROJECT = Path(__file__).resolve().parents[2]
# Enough objectives that build_pages renders across processes (it does from 1000 pages'
# worth of objectives, people and teams): each kind is split into shares, one per chunk.
OBJECTIVES = 1100


def large_site(repo, valid_objective: str) -> Context:
    for index in range(OBJECTIVES):
        text = valid_objective.replace("objective: Make checkout boringly reliable",
                                       f"objective: Objective number {index}")
        if index % 10:  # children too: an objective page lists the ones that point at it
            text = text.replace("period: 2026-Q4", f"period: 2026-Q4\nparent: 2026-Q4/payments/o{index // 10 * 10:04}")
        repo.objective(f"2026-Q4/payments/o{index:04}.md", text)
    loaded = repo.load()
    assert not loaded.errors, loaded.errors[:3]
    return Context(people=loaded.people, objectives=loaded.objectives, periods={}, as_of=date(2026, 11, 23))


def guide() -> dict:
    return {"reference": reference(schemas.load_schema(PROJECT, schemas.OBJECTIVE),
                                   schemas.load_schema(PROJECT, schemas.PEOPLE)), "source": "okrs"}


def pages_in_one_process(ctx: Context) -> list:
    """build_pages while another thread runs: forking is unsafe then, so nothing is forked."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.can_fork()
        return build_pages(ctx, guide=guide())
    finally:
        stop.set()
        thread.join()


def test_every_page_of_a_large_site_is_rendered_once_and_as_in_one_process(repo, valid_objective, monkeypatch):
    ctx = large_site(repo, valid_objective)
    serial = pages_in_one_process(ctx)
    forked = []
    original = parallel.Pending.__init__
    monkeypatch.setattr(parallel.Pending, "__init__",
                        lambda self, *a, **k: original(self, *a, **k) or forked.append(self.parallel))
    across = build_pages(ctx, guide=guide())
    if in_ci() or (parallel.can_fork() and parallel.available_cores() > 1):  # CI must take the forked path
        assert any(forked), "a site this large is rendered across processes"
    uris = [page.path for page in across]
    assert len(uris) == len(set(uris)), "a page was rendered more than once"
    objective_pages = sorted(uri for uri in uris if uri.startswith("objectives/")  # not the index's pages
                             and not re.fullmatch(r"objectives/(index|\d+)\.md", uri))
    assert objective_pages == [f"objectives/2026-Q4/payments/o{index:04}.md" for index in range(OBJECTIVES)]
    assert {"people/alice.md", "people/dan.md", "teams/payments.md", "teams/platform.md"} <= set(uris)
    assert across == serial
