"""`okrs changelog --format teams`: the digest as an Adaptive Card for a Teams workflow webhook.

The card goes in the message envelope the "Post to a channel when a webhook request is
received" workflow reads: ``{"type": "message", "attachments": [{"contentType":
"application/vnd.microsoft.card.adaptive", "content": CARD}]}``. Text from files is put in
TextRuns of RichTextBlocks, which are not read as Markdown, so nothing needs escaping.
Teams refuses messages over about 28 KB: the payload stays under PAYLOAD_BUDGET bytes,
and a long week ends with how much more there is and a link to its page.
"""

from __future__ import annotations

import json
import re

from generator.delivery.digest_items import ObjectiveItem, objective_items, stale_items
from generator.delivery.site_links import SiteLinks
from generator.history.changelog import digest_dates, digest_summary
from generator.history.values import Digest
from generator.model.core import People
from generator.reading.report import visible

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.4"  # what Teams renders everywhere (desktop, web, mobile)
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
TEAMS_LIMIT = 28 * 1024
PAYLOAD_BUDGET = 24 * 1024  # room below TEAMS_LIMIT for the closing line and Teams' own wrapping

_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def _plain(text: str) -> str:
    return visible(_LINE_BREAK.sub(" ", text))


def _run(text: str, *, url: str | None = None, **style: object) -> dict:
    run: dict = {"type": "TextRun", "text": _plain(text), **style}
    if url:
        run["selectAction"] = {"type": "Action.OpenUrl", "url": url, "title": _plain(text)[:100]}
    return run


def _rich(*runs: dict, **style: object) -> dict:
    return {"type": "RichTextBlock", "inlines": list(runs), **style}


def _objective(item: ObjectiveItem) -> dict:
    items = [_rich(_run(item.title, url=item.url, weight="Bolder", color="Accent" if item.url else "Default"))]
    for line in item.lines:
        runs = [_run("• ")]
        if line.subject:
            runs += [_run(line.subject, weight="Bolder"), _run(": ")]
        runs.append(_run(line.what))
        if line.by:
            runs.append(_run(f" ({line.by})", isSubtle=True))
        items.append(_rich(*runs, spacing="None"))
    return {"type": "Container", "items": items, "spacing": "Medium"}


def _size(payload: dict) -> int:
    return len(json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def card(digest: Digest, *, people: People | None, links: SiteLinks, budget: int = PAYLOAD_BUDGET) -> dict:
    """The Adaptive Card of one week, within ``budget`` bytes as a whole payload."""
    week_url = links.week(digest.week.id)
    body: list[dict] = [
        {"type": "TextBlock", "text": _plain(f"OKR changes in week {digest.week.id}"), "size": "Large",
         "weight": "Bolder", "wrap": True},
        {"type": "TextBlock", "text": _plain(f"{digest_dates(digest)}: {digest_summary(digest)}."),
         "isSubtle": True, "wrap": True, "spacing": "None"},
    ]
    content: dict = {"$schema": CARD_SCHEMA, "type": "AdaptiveCard", "version": CARD_VERSION, "body": body}
    if week_url:
        content["actions"] = [{"type": "Action.OpenUrl", "title": "Open the week on the site", "url": week_url}]
    payload = envelope(content)
    closing = 600  # bytes kept for the "N more" line

    objectives = objective_items(digest, people=people, links=links)
    stale = stale_items(digest, people=people, links=links)
    stale_container = {"type": "Container", "separator": True, "spacing": "Large", "items": [
        _rich(_run(f"Stale key results (no check-in for more than {digest.stale_after_weeks} weeks)",
                   weight="Bolder"))]}
    # The stale key results get up to a third of the room, so a busy week still shows who is behind.
    stale_room = (budget - _size(payload)) // 3
    stale_shown = 0
    for item in stale:
        row = _rich(_run("• "), _run(item.title, url=item.url, weight="Bolder"), _run(f": {item.rest}"),
                    spacing="None")
        if _size(stale_container) + _size(row) > stale_room:
            break
        stale_container["items"].append(row)
        stale_shown += 1
    stale_size = _size(stale_container) if stale else 0

    shown = 0
    used = _size(payload)
    for item in objectives:
        block = _objective(item)
        if used + _size(block) + 1 + stale_size + closing > budget:
            break
        body.append(block)
        used += _size(block) + 1
        shown += 1
    if stale:
        body.append(stale_container)
    left = []
    if shown < len(objectives):
        left.append(_count(len(objectives) - shown, "more objective"))
    if stale_shown < len(stale):
        left.append(_count(len(stale) - stale_shown, "more stale key result"))
    if left:
        where = "open the week on the site" if week_url else f"run okrs changelog --week {digest.week.id}"
        body.append({"type": "TextBlock", "text": f"…and {' and '.join(left)}: {where}.", "wrap": True,
                     "isSubtle": True, "separator": True})
    if not objectives and not stale:
        body.append({"type": "TextBlock", "text": "No check-ins or changes this week, and nothing is stale.",
                     "wrap": True})
    return content


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def envelope(content: dict) -> dict:
    return {"type": "message", "attachments": [{"contentType": CARD_CONTENT_TYPE, "contentUrl": None,
                                                "content": content}]}


def teams_payload(digest: Digest, *, people: People | None, links: SiteLinks) -> dict:
    """The webhook's JSON body for one week."""
    return envelope(card(digest, people=people, links=links))
