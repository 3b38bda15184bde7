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
