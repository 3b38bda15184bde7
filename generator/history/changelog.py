"""The weekly digest as JSON, Markdown (chat), an HTML fragment (email) and an RSS 2.0 feed.

Pure: a ``Digest`` (see history.py) in, a string or JSON-ready data out. Every value
that comes from a file or a commit is escaped for the format it goes into.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from email.utils import format_datetime
from typing import Callable, Iterable, Sequence

from generator.history.diff import Change
from generator.history.values import Digest, StaleKeyResult, Week
from generator.model.core import People, percent
from generator.model.units import with_unit
from generator.reading.report import dump_json, escape_char, visible

FORMATS = ("markdown", "json", "html")
Link = Callable[[str], str]  # objective id -> URL of its page


def digest_dict(digest: Digest) -> dict:
    """The digest in the JSON shape of the spec (progress rounded to 2 decimals)."""
    week = digest.week
    result = {
        "week": week.id, "start": week.start.isoformat(), "end": week.end.isoformat(),
        "changes": [change.as_dict() for change in digest.changes],
        "stale": [stale.as_dict() for stale in digest.stale],
    }
    if digest.closings:  # only in the week a period was closed
        result["closings"] = [closing.as_dict() for closing in digest.closings]
    return result


def render_json(digests: Digest | Sequence[Digest]) -> str:
    """One digest as an object, several (``--since``) as a list, newest first."""
    data = digest_dict(digests) if isinstance(digests, Digest) else [digest_dict(d) for d in digests]
    return dump_json(data)


# -- words ---------------------------------------------------------------------------


def describe(change: Change, people: People | None = None) -> str:
    """One change in plain words, without its subject: "700 → 650 ms (27% → 36%, +9 points)"."""
    name = people.name_of if people else (lambda ident: ident)
    kind, before, after = change.kind, change.before, change.after
    whose = "key result" if change.key_result else "objective"
    if kind == "added":
        return f"new {whose}, owner {name(change.owner)}"
    if kind == "removed":
        return f"{whose} removed"
    if kind == "moved":
        return f"moved from {before}"
    if kind == "status":
        return f"status {before} → {after}"
    if kind == "owner":
        return f"handed over from {name(before)} to {name(after)}" if change.key_result \
            else f"owner {name(before)} → {name(after)}"
    if kind == "title":
        return f"renamed from “{before}”"
    if kind == "target":
        if change.field in _GOAL_FIELDS:
            how = change.direction or "changed"
            return (f"{_GOAL_FIELDS[change.field]} {how}: {_value(before, change.unit)} → "
                    f"{_value(after, change.unit)}")
        if change.field == "due":
            how = change.direction or "changed"
            return f"due date {how}: {_plain(before) if before else 'the period end'} → " \
                   f"{_plain(after) if after else 'the period end'}"
        return f"{change.field} {_plain(before)} → {_plain(after)}"
    if kind == "progress":
        if change.field == "done":
            return "done" if after else "reopened: no longer done"
        moved = percent(change.progress_after or 0) - percent(change.progress_before or 0)
        return (f"{_value(before, change.unit)} → {_value(after, change.unit)} "
                f"({percent(change.progress_before or 0)}% → {percent(change.progress_after or 0)}%, "
                f"{moved:+d} points)")
    if kind == "confidence":
        return f"confidence {_percent(before)} → {_percent(after)}"
    if kind == "note":
        return f"note: “{after}”" if after is not None else "note removed"
    return f"{change.field}: {_plain(before)} → {_plain(after)}"


def subject(change: Change) -> str:
    """What a change is about: the key result's title, or the objective's."""
    if change.key_result:
        return change.key_result_title or change.key_result
    return change.objective_title


def authors(change: Change) -> list[str]:
    """The distinct authors of the commits behind a change, in commit order."""
    return list(dict.fromkeys(commit.author for commit in change.commits))


def _plain(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# The fields that set a key result's goal, as a change names them.
_GOAL_FIELDS = {"start": "start", "target": "target", "stretch": "stretch goal", "at_least": "at least",
                "at_most": "at most"}


def _value(value: object, unit: str | None) -> str:
    text = _plain(value)
    if value is None:
        return text
    return with_unit(text, unit)


def _percent(value: object) -> str:
    """A confidence as everywhere else: 0.7 is 70%."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{percent(value)}%"
    return _plain(value)


def _by_objective(changes: Iterable[Change]) -> list[tuple[Change, list[list[Change]]]]:
    """Changes grouped by objective, then by subject (the objective itself, or a key result)."""
    groups: dict[str, dict[str | None, list[Change]]] = {}
    for change in changes:
        groups.setdefault(change.objective, {}).setdefault(change.key_result, []).append(change)
    return [(next(iter(subjects.values()))[0], list(subjects.values())) for subjects in groups.values()]


def _commits(changes: list[Change]) -> list:
    return list(dict.fromkeys(commit for change in changes for commit in change.commits))


def _summary(digest: Digest) -> str:
    count, objectives = len(digest.changes), len({c.objective for c in digest.changes})
    stale = len(digest.stale)
    changed = (f"{count} change{'s' * (count != 1)} in {objectives} objective{'s' * (objectives != 1)}"
               if count else "no changes")
    return f"{changed}, {stale} stale key result{'s' * (stale != 1)}" if stale else f"{changed}, nothing stale"


def _dates(digest: Digest) -> str:
    start, end = digest.week.start, digest.week.end
    return f"{start.isoformat()} to {end.isoformat()}"


# For the chat and e-mail renderers of generator.delivery, which show the same words.
digest_summary = _summary
digest_dates = _dates
group_by_objective = _by_objective
commits_of = _commits


def _stale_text(stale: StaleKeyResult, people: People | None) -> tuple[str, str]:
    owner = people.name_of(stale.owner) if people else stale.owner
    when = f"last check-in {stale.last_checkin.isoformat()}" if stale.last_checkin else "never checked in"
    return stale.key_result_title or stale.key_result, f"owner {owner}, {when}"


stale_text = _stale_text


# -- Markdown -------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
# Every line break str.splitlines knows: one would end a list item or a table row.
_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# Chat mentions that notify a whole channel (Slack, Mattermost, Discord, Teams).
_BROADCAST = re.compile(r"(?<![\w.])@(?=(?:channel|here|everyone|all)\b)", re.IGNORECASE)  # not in an address
_ZERO_WIDTH_JOINER = "\u200d"
_SAFE_CODE = re.compile(r"[\w./#-]+")


def escape_markdown(text: str) -> str:
    """``text`` as one line of Markdown that shows it as it is, in GitHub and in chat.

    Markup is backslash-escaped; < > & become entities (Slack reads <!channel> and
    <url|text> and ignores backslashes; Markdown renders the entities as the characters);
    line breaks become spaces, other control characters visible escapes; @channel,
    @here, @everyone and @all get a zero-width joiner so that they notify nobody.
    """
    text = _MD_SPECIAL.sub(r"\\\1", _LINE_BREAK.sub(" ", text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@" + _ZERO_WIDTH_JOINER, visible(text))


def markdown_code(text: str) -> str:
    """An id as inline code; anything a code span could not hold (a backtick, a line
    break, a <) as escaped text instead."""
    return f"`{text}`" if _SAFE_CODE.fullmatch(text) else escape_markdown(text)


def render_markdown(digest: Digest, *, people: People | None = None, link: Link | None = None,
                    week_link: str | None = None) -> str:
    """The digest for chat: a heading, one list per objective, then the stale key results.
    ``link`` (objective id -> absolute URL) and ``week_link`` link to the site when given."""
    md = escape_markdown
    summary = _summary(digest)
    lines = [f"## OKR changes in week {digest.week.id} ({_dates(digest)})", "",
             summary[0].upper() + summary[1:] + ".", ""]
    if week_link:
        lines[-2] += f" [See the week on the site]({week_link})."
    lines += [f"**{md(closing.summary())}.**\n" for closing in digest.closings]
    for first, subjects in _by_objective(digest.changes):
        title = md(first.objective_title)
        lines.append(f"### [{title}]({link(first.objective)})" if link else f"### {title}")
        lines.append(markdown_code(first.objective))
        lines.append("")
        for changes in subjects:
            about = f"**{md(subject(changes[0]))}**: " if changes[0].key_result else ""
            what = "; ".join(md(describe(change, people)) for change in changes)
            commits = _commits(changes)
            by = ", ".join(dict.fromkeys(commit.author for commit in commits))
            shas = ", ".join(f"`{commit.sha[:7]}`" for commit in commits)
            tail = f" ({md(by)}, {shas})" if commits else ""
            lines.append(f"- {about}{what}{tail}")
        lines.append("")
    if digest.stale:
        lines += [f"### Stale key results (no check-in for more than {digest.stale_after_weeks} weeks)", ""]
        for stale in digest.stale:
            title, rest = _stale_text(stale, people)
            ref = markdown_code(f"{stale.objective}#{stale.key_result}")
            shown = f"[{md(title)}]({link(stale.objective)}#kr-{stale.key_result})" if link else md(title)
            lines.append(f"- **{shown}** ({ref}): {md(rest)}")
        lines.append("")
    return "\n".join(lines)


# -- HTML (email) ---------------------------------------------------------------------

_STYLE = {
    "section": "font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2328;"
               "line-height:1.5;max-width:720px",
    "h2": "font-size:20px;margin:0 0 4px",
    "h3": "font-size:16px;margin:16px 0 0",
    "meta": "color:#59636e;font-size:13px;margin:0 0 4px",
    "ul": "margin:4px 0 0;padding-left:20px",
    "by": "color:#59636e;font-size:13px",
    "code": "font-family:SFMono-Regular,Consolas,Menlo,monospace;font-size:12px",
}


def escape_html(value: object) -> str:
    """HTML-escaped, with control characters but tab and newline (whitespace in HTML) shown."""
    return visible(html.escape(str(value), quote=True), keep="\t\n")


def render_html(digest: Digest, *, people: People | None = None, link: Link | None = None,
                week_link: str | None = None) -> str:
    """A self-contained HTML fragment (inline styles, no scripts, no external resources);
    ``link`` and ``week_link`` as for render_markdown."""
    e, s = escape_html, _STYLE
    out = [f'<section class="okrs-digest" style="{s["section"]}">',
           f'<h2 style="{s["h2"]}">OKR changes in week {e(digest.week.id)}</h2>',
           f'<p style="{s["meta"]}">{e(_dates(digest))}: {e(_summary(digest))}.'
           + (f' <a href="{e(week_link)}">See the week on the site</a>.' if week_link else "") + "</p>"]
    out += [f"<p><strong>{e(closing.summary())}.</strong></p>" for closing in digest.closings]
    for first, subjects in _by_objective(digest.changes):
        title = e(first.objective_title)
        heading = f'<a href="{e(link(first.objective))}">{title}</a>' if link else title
        out.append(f'<h3 style="{s["h3"]}">{heading}</h3>')
        out.append(f'<p style="{s["meta"]}"><code style="{s["code"]}">{e(first.objective)}</code></p>')
        out.append(f'<ul style="{s["ul"]}">')
        for changes in subjects:
            about = f"<strong>{e(subject(changes[0]))}</strong>: " if changes[0].key_result else ""
            what = "; ".join(e(describe(change, people)) for change in changes)
            commits = _commits(changes)
            by = ""
            if commits:
                names = ", ".join(dict.fromkeys(commit.author for commit in commits))
                shas = ", ".join(f'<code style="{s["code"]}">{e(c.sha[:7])}</code>' for c in commits)
                by = f' <span style="{s["by"]}">({e(names)}, {shas})</span>'
            out.append(f"<li>{about}{what}{by}</li>")
        out.append("</ul>")
    if digest.stale:
        out.append(f'<h3 style="{s["h3"]}">Stale key results</h3>')
        out.append(f'<p style="{s["meta"]}">No check-in for more than {digest.stale_after_weeks} weeks.</p>')
        out.append(f'<ul style="{s["ul"]}">')
        for stale in digest.stale:
            title, rest = _stale_text(stale, people)
            ref = f"{stale.objective}#{stale.key_result}"
            shown = (f'<a href="{e(link(stale.objective) + "#kr-" + stale.key_result)}">{e(title)}</a>' if link
                     else e(title))
            out.append(f'<li><strong>{shown}</strong> <code style="{s["code"]}">{e(ref)}</code>: {e(rest)}</li>')
        out.append("</ul>")
    out.append("</section>")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class BriefWeek:
    """What the brief forms of a week show (``render_summary_html``, a brief feed item):
    its counts in words and the summaries of the periods it closed."""

    week: Week
    summary: str
    closings: tuple[str, ...]

    @classmethod
    def of(cls, digest: Digest | BriefWeek) -> BriefWeek:
        if isinstance(digest, BriefWeek):
            return digest
        return cls(digest.week, _summary(digest), tuple(closing.summary() for closing in digest.closings))


def render_summary_html(digest: Digest | BriefWeek, week_link: str) -> str:
    """The week in one short HTML fragment: its dates and counts, the periods it closed,
    and a link to its page."""
    e = escape_html
    brief = BriefWeek.of(digest)
    out = [f"<p>{e(_dates(brief))}: {e(brief.summary)}. <a href=\"{e(week_link)}\">See the week on the site</a>.</p>"]
    out += [f"<p><strong>{e(closing)}.</strong></p>" for closing in brief.closings]
    return "\n".join(out) + "\n"


# -- RSS 2.0 --------------------------------------------------------------------------

_ATOM = "http://www.w3.org/2005/Atom"


def render_feed(digests: Sequence[Digest | BriefWeek], *, site_url: str, title: str = "OKR changelog",
                description: str = "Weekly changes of the OKRs: progress, confidence, owners and targets.",
                page_path: Callable[[str], str] = lambda week: f"changelog/{week}/",
                feed_path: str = "changelog/feed.xml", people: People | None = None,
                link: Link | None = None, brief: bool = False) -> str:
    """An RSS 2.0 feed with one item per week, newest first. ``site_url`` should be absolute
    (RSS readers need absolute links); dates are the Monday after each week, so the feed
    is the same byte for byte for the same history. ``brief``: each item is the week's
    summary and closings with a link to its page, not every change (as long at 10,000
    objectives as at 10); of a week only that is known (a ``BriefWeek``), only a brief one."""
    base = site_url if site_url.endswith("/") or not site_url else site_url + "/"
    ET.register_namespace("atom", _ATOM)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = base + "changelog/"
    ET.SubElement(channel, "description").text = description
    ET.SubElement(channel, f"{{{_ATOM}}}link", {"href": base + feed_path, "rel": "self",
                                                 "type": "application/rss+xml"})
    ordered = sorted(digests, key=lambda d: d.week.start, reverse=True)
    if ordered:
        ET.SubElement(channel, "lastBuildDate").text = _published(ordered[0])
    for digest in ordered:
        item = ET.SubElement(channel, "item")
        url = base + page_path(digest.week.id)
        ET.SubElement(item, "title").text = f"Week {digest.week.id}: {BriefWeek.of(digest).summary}"
        ET.SubElement(item, "link").text = url
        ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = url
        ET.SubElement(item, "pubDate").text = _published(digest)
        ET.SubElement(item, "description").text = (render_summary_html(digest, url) if brief
                                                    else render_html(digest, people=people, link=link))
    ET.indent(rss)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml_safe(ET.tostring(rss, encoding="unicode")) + "\n"


# What XML 1.0 does not allow anywhere, even as a character reference: C0 controls but tab,
# LF and CR, lone surrogates (git's undecodable bytes), U+FFFE and U+FFFF. ElementTree
# writes them as they are, and a feed reader then rejects the whole feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """The text with every character XML 1.0 forbids shown as an escape (\\x01, \\udc80)."""
    return _NOT_XML.sub(lambda m: escape_char(m.group()), text)


def _published(digest: Digest) -> str:
    monday = digest.week.end + timedelta(days=1)
    return format_datetime(datetime.combine(monday, time(0, 0), tzinfo=timezone.utc))
