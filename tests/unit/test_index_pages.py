"""Tag page names: distinct, readable, never the tags' own list."""

from __future__ import annotations

from generator.site.index_pages import tag_slugs


def test_tags_become_distinct_page_names():
    slugs = tag_slugs(["Cost & Speed", "reliability", "Reliability", "index", "Équipe", "日本", "cost-speed"])
    assert slugs["reliability"] != slugs["Reliability"]
    assert sorted(slugs.values()) == sorted(set(slugs.values()))
    assert slugs["Équipe"] == "equipe"
    assert slugs["index"] == "index-tag"
    assert slugs["日本"] == "tag"
    assert (slugs["cost-speed"], slugs["Cost & Speed"]) == ("cost-speed", "cost-speed-2")  # the literal one keeps it
    assert tag_slugs(["b", "a"]) == tag_slugs(["a", "b", "a"])  # order and repeats do not matter


def test_the_index_rows_are_made_once_per_context_for_the_same_objectives():
    """The objectives index's pages and its filters' JSON read the same rows: at ten closed
    years 100,000 of them, made once; another objective (a new object) makes them again."""
    from dataclasses import replace
    from datetime import date
    from pathlib import Path

    from generator.config import load_config
    from generator.reading.loader import load_repository
    from generator.site import index_pages
    from generator.site.periods import ordered_periods
    from generator.site.views import Context

    repository = load_repository(load_config(Path(__file__).resolve().parents[2]))
    ctx = Context(people=repository.people, objectives=repository.objectives, periods={}, as_of=date(2026, 11, 22))
    listed = [repository.objectives[k] for k in sorted(repository.objectives)]
    periods = ordered_periods(listed, ctx)
    rows = index_pages._index_rows(ctx, listed, periods)
    assert index_pages._index_rows(ctx, list(listed), periods) is rows  # another list of the same objects
    fresh = Context(people=repository.people, objectives=repository.objectives, periods={}, as_of=date(2026, 11, 22))
    assert index_pages._index_rows(fresh, listed, periods) == rows  # the same rows, made in another context
    edited = [replace(listed[0], title="Retitled"), *listed[1:]]
    again = index_pages._index_rows(ctx, edited, periods)
    assert again is not rows and "Retitled" in [row["title"] for row in again]
