"""A week's digest as plain items for the chat renderers: one per objective, one per stale
key result, each with its words and absolute link (None without `site_url`)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.delivery.site_links import SiteLinks
from generator.history.changelog import commits_of, describe, group_by_objective, stale_text, subject
from generator.history.values import Digest
from generator.model.core import People


@dataclass(frozen=True)
class ChangeLine:
    subject: str | None  # the key result's title; None for a change of the objective itself
    what: str  # "; "-joined descriptions
    by: str  # the commits' authors, ", "-joined ('' when no commit is known)


@dataclass(frozen=True)
class ObjectiveItem:
    objective: str
    title: str
    url: str | None
    lines: tuple[ChangeLine, ...]


@dataclass(frozen=True)
class StaleItem:
    objective: str
    key_result: str
    title: str
    rest: str  # "owner Mei Chen, last check-in 2026-11-02"
    url: str | None


def objective_items(digest: Digest, *, people: People | None, links: SiteLinks) -> list[ObjectiveItem]:
    items = []
    for first, subjects in group_by_objective(digest.changes):
        lines = []
        for changes in subjects:
            authors = dict.fromkeys(commit.author for commit in commits_of(changes))
            lines.append(ChangeLine(subject(changes[0]) if changes[0].key_result else None,
                                    "; ".join(describe(change, people) for change in changes), ", ".join(authors)))
        items.append(ObjectiveItem(first.objective, first.objective_title, links.objective(first.objective),
                                   tuple(lines)))
    return items


def stale_items(digest: Digest, *, people: People | None, links: SiteLinks) -> list[StaleItem]:
    items = []
    for stale in digest.stale:
        title, rest = stale_text(stale, people)
        items.append(StaleItem(stale.objective, stale.key_result, title, rest,
                               links.key_result(stale.objective, stale.key_result)))
    return items
