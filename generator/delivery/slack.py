"""`okrs changelog --format slack`: the digest as a Slack incoming-webhook payload.

A `text` fallback (notifications, old clients) plus Block Kit blocks in mrkdwn, with
links as ``<url|title>``. Within Slack's documented limits: 50 blocks a message, 3,000
characters in a section's text, 150 in a header's, 40,000 in the message. A long week
is cut where the next block would not fit, and its last block says how much more there
is, with a link to the week's page on the site.
"""

from __future__ import annotations

import re

from generator.delivery.digest_items import ObjectiveItem, StaleItem, objective_items, stale_items
from generator.delivery.site_links import SiteLinks
from generator.history.changelog import digest_dates, digest_summary
from generator.history.values import Digest
from generator.model.core import People
from generator.reading.report import visible

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_MESSAGE_TEXT = 40_000
# Slack has answered msg_blocks_too_long for blocks far below 40,000 characters in all
# (about 13,000, slackapi/bolt-js#2509): the blocks stay under this, the whole payload
# under MAX_MESSAGE_TEXT.
BLOCKS_TEXT_BUDGET = 12_000
# The share of the blocks the stale key results may take, so that a busy week still
# shows who is behind.
STALE_SHARE = 1 / 3

_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def slack_escape(text: str) -> str:
    """Text for mrkdwn, shown as it is: Slack's three escapes (& < >), which also keep
    <!channel> and <url|...> from being read; one line; control characters visible."""
    text = _LINE_BREAK.sub(" ", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return visible(text)


def slack_link(url: str | None, text: str) -> str:
    """``<url|text>``, or the escaped text alone without a URL. A '|' would end the URL
    part early, so the link text shows it as '∣'."""
    shown = slack_escape(text)
    return f"<{slack_escape(url)}|{shown.replace('|', '∣')}>" if url else shown


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _capped(lines: list[str], *, more: str) -> str:
    """Lines joined, within a section's limit: the lines that would not fit become one
    ``more`` line (``{n}``: how many)."""
    room = MAX_SECTION_TEXT - len(more) - 10
    kept: list[str] = []
    for index, line in enumerate(lines):
        if len("\n".join(kept + [line])) > room:
            kept.append(more.format(n=len(lines) - index))
            break
        kept.append(line)
    text = "\n".join(kept)
    return text if len(text) <= MAX_SECTION_TEXT else text[: MAX_SECTION_TEXT - 1] + "…"


def _objective_text(item: ObjectiveItem) -> str:
    lines = [f"*{slack_link(item.url, item.title)}*"]
    for line in item.lines:
        about = f"*{slack_escape(line.subject)}*: " if line.subject else ""
        by = f" _({slack_escape(line.by)})_" if line.by else ""
        lines.append(f"• {about}{slack_escape(line.what)}{by}")
    return _capped(lines, more="• …and {n} more: see the objective's page")


def _stale_sections(items: list[StaleItem], stale_after_weeks: int) -> list[tuple[str, int]]:
    """The stale key results in sections of at most MAX_SECTION_TEXT characters: (text, how many)."""
    lines = [f"• {slack_link(s.url, s.title)}: {slack_escape(s.rest)}"[:MAX_SECTION_TEXT] for s in items]
    heading = f"*Stale key results* (no check-in for more than {stale_after_weeks} weeks)"
    sections: list[tuple[str, int]] = []
    current = [heading]
    for line in lines:
        if len("\n".join(current + [line])) > MAX_SECTION_TEXT:
            sections.append(("\n".join(current), len(current) - (current[0] == heading)))
            current = []
        current.append(line)
    sections.append(("\n".join(current), len(current) - (current[0] == heading)))
    return sections


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def slack_payload(digest: Digest, *, people: People | None, links: SiteLinks) -> dict:
    """The webhook's JSON body for one week."""
    week_url = links.week(digest.week.id)
    summary = digest_summary(digest)
    title = f"OKR changes in week {digest.week.id}"[:MAX_HEADER_TEXT]
    intro = f"{digest_dates(digest)}: {summary}."
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": title, "emoji": False}},
                          _context(slack_escape(intro) + (f" {slack_link(week_url, 'See the week on the site')}"
                                                          if week_url else ""))]
    used = sum(len(_block_text(b)) for b in blocks)
    reserve_blocks, reserve_text = 1, 400  # the closing "N more" line
    objectives = objective_items(digest, people=people, links=links)
    stale_sections = _stale_sections(stale_items(digest, people=people, links=links),
                                     digest.stale_after_weeks) if digest.stale else []

    stale_blocks: list[dict] = []
    stale_shown = stale_used = 0
    stale_text_budget = int((BLOCKS_TEXT_BUDGET - used) * STALE_SHARE)
    stale_block_budget = max(1, int((MAX_BLOCKS - len(blocks) - reserve_blocks) * STALE_SHARE))
    for text, count in stale_sections:
        if len(stale_blocks) >= stale_block_budget or stale_used + len(text) > stale_text_budget:
            break
        stale_blocks.append(_section(text))
        stale_shown += count
        stale_used += len(text)

    shown = 0
    for item in objectives:
        block = _section(_objective_text(item))
        if (len(blocks) + 1 + len(stale_blocks) + reserve_blocks > MAX_BLOCKS
                or used + len(_block_text(block)) + stale_used + reserve_text > BLOCKS_TEXT_BUDGET):
            break
        blocks.append(block)
        used += len(_block_text(block))
        shown += 1
    blocks += stale_blocks

    left = [_count(len(objectives) - shown, "more objective")] if shown < len(objectives) else []
    if stale_shown < len(digest.stale):
        left.append(_count(len(digest.stale) - stale_shown, "more stale key result"))
    if left:
        where = (slack_link(week_url, "see the whole week on the site") if week_url
                 else f"run `okrs changelog --week {digest.week.id}` for all of it")
        blocks.append(_context(f"…and {' and '.join(left)}: {where}"))
    if not objectives and not digest.stale:
        blocks.append(_section("No check-ins or changes this week, and nothing is stale."))
    text = f"{title} ({intro})" + (f" {week_url}" if week_url else "")
    return {"text": slack_escape(text)[:MAX_MESSAGE_TEXT], "blocks": blocks}


def _block_text(block: dict) -> str:
    if "text" in block:
        return block["text"]["text"]
    return "".join(element.get("text", "") for element in block.get("elements", ()))
