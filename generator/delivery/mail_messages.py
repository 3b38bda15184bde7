"""The weekly e-mails as messages: the whole digest, or one owner's key results.

Pure: data in, ``email.message.EmailMessage`` out (multipart/alternative: plain text and
HTML, with Date, Message-ID, From, To and Subject). The HTML is one self-contained
document: inline styles, tables for the layout (what mail clients render alike), no
scripts, no images, nothing fetched. smtp.py sends them; write_eml saves them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Sequence

from generator.delivery.reminders import open_key_results
from generator.delivery.site_links import SiteLinks
from generator.history.changelog import describe, escape_html, render_html, render_markdown
from generator.history.queries import History
from generator.history.values import Digest, Week
from generator.model.core import People, percent

Outgoing = tuple[str, EmailMessage]  # (a file name for --dry-run, the message)

FONT = "-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif"
_STYLE = {
    "body": "margin:0;padding:0;background:#f6f8fa",
    "outer": "background:#f6f8fa",
    "card": "max-width:600px;background:#ffffff;border:1px solid #d0d7de;border-radius:6px",
    "inner": f"padding:20px;font-family:{FONT};color:#1f2328;font-size:15px;line-height:1.5;"
             "word-break:break-word;overflow-wrap:anywhere",
    "h1": "font-size:20px;line-height:1.3;margin:0 0 4px",
    "meta": "color:#59636e;font-size:13px;margin:0 0 16px",
    "kr": "padding:12px 0;border-top:1px solid #d8dee4",
    "title": "font-weight:600;font-size:15px;margin:0",
    "link": "color:#0969da;text-decoration:none",
    "objective": "color:#59636e;font-size:13px;margin:0 0 6px",
    "bar": "width:100%;height:8px;background:#d8dee4;border-radius:4px",
    "fill": "height:8px;background:#1f883d;border-radius:4px",
    "facts": "color:#1f2328;font-size:13px;margin:6px 0 0",
    "stale": "display:inline-block;background:#fff1e5;color:#bc4c00;border:1px solid #ffb77c;border-radius:10px;"
             "padding:0 8px;font-size:12px;font-weight:600",
    "changes": "margin:2px 0 0;padding-left:18px;font-size:13px;color:#1f2328",
    "footer": f"font-family:{FONT};color:#59636e;font-size:12px;margin:12px 0 0",
}


def looks_like_address(text: str) -> bool:
    """name@example.com, or "Name <name@example.com>": one address, no line breaks."""
    name, address = parseaddr(text)
    return bool(re.fullmatch(r"[^@\s<>,]+@[^@\s<>,]+\.[^@\s<>,]+", address)) and not re.search(r"[\r\n]", text)


@dataclass(frozen=True)
class OwnedKeyResult:
    objective: str
    objective_title: str
    key_result: str
    title: str
    progress: float
    confidence: float | None
    last_checkin: date | None
    stale: bool
    url: str | None
    changes: tuple[str, ...]  # this week's, in words


@dataclass(frozen=True)
class OwnerDigest:
    owner: str
    name: str
    email: str | None
    key_results: tuple[OwnedKeyResult, ...]  # stale ones first

    @property
    def stale(self) -> int:
        return sum(kr.stale for kr in self.key_results)


def owner_digests(history: History, digest: Digest, *, as_of: date, people: People,
                  links: SiteLinks) -> list[OwnerDigest]:
    """Every person who owns an open key result at the end of the digest's week, by id."""
    snapshot = history.snapshot(digest.week)
    stale = {(s.objective, s.key_result) for s in digest.stale}
    changes: dict[tuple[str, str | None], list[str]] = {}
    for change in digest.changes:
        changes.setdefault((change.objective, change.key_result), []).append(describe(change, people))
    owned: dict[str, list[OwnedKeyResult]] = {}
    for objective, kr in open_key_results(snapshot, as_of=as_of, periods=history.config.periods):
        last = history.last_checkin(objective.id, kr.id, as_of=as_of)
        owned.setdefault(kr.owner, []).append(OwnedKeyResult(
            objective.id, objective.title, kr.id, kr.title or kr.id, kr.progress, kr.confidence,
            last.date.date() if last else None, (objective.id, kr.id) in stale,
            links.key_result(objective.id, kr.id), tuple(changes.get((objective.id, kr.id), ()))))
    found = []
    for owner in sorted(owned):
        person = people.persons.get(owner)
        items = sorted(owned[owner], key=lambda kr: (not kr.stale, kr.objective, kr.key_result))
        found.append(OwnerDigest(owner, person.name if person else owner, person.email if person else None,
                                 tuple(items)))
    return found


# -- messages ---------------------------------------------------------------------------


def _message(*, subject: str, sender: str, to: Sequence[str], now: datetime, text: str, html: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = format_datetime(now)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def digest_message(digest: Digest, *, people: People | None, links: SiteLinks, sender: str, to: Sequence[str],
                   now: datetime) -> Outgoing:
    """The whole week's digest, to the given addresses."""
    link = links.objective if links.base else None
    week_link = links.week(digest.week.id)
    text = render_markdown(digest, people=people, link=link, week_link=week_link)
    fragment = render_html(digest, people=people, link=link, week_link=week_link)
    title = f"OKR digest, week {digest.week.id}"
    return (f"digest-{digest.week.id}.eml",
            _message(subject=_digest_subject(digest), sender=sender, to=to, now=now, text=text,
                     html=html_document(title, fragment)))


def _digest_subject(digest: Digest) -> str:
    """Short enough for one header line (a longer one is folded, and some clients show the fold)."""
    changes, stale = len(digest.changes), len(digest.stale)
    parts = [f"{changes} change{'s' * (changes != 1)}" if changes else "no changes"]
    if stale:
        parts.append(f"{stale} stale")
    return f"OKR digest, week {digest.week.id}: {', '.join(parts)}"


def owner_message(digest: OwnerDigest, *, week: Week, sender: str, now: datetime, links: SiteLinks) -> Outgoing:
    """One owner's key results of the week; ``digest.email`` must be set."""
    to = str(Address(display_name=digest.name, addr_spec=digest.email or ""))
    stale = f"{digest.stale} stale" if digest.stale else "all checked in on time"
    subject = f"Your key results, week {week.id}: {stale}"
    html = html_document(f"Your key results, week {week.id}", owner_html(digest, week=week, links=links))
    return (f"owner-{digest.owner}.eml",
            _message(subject=subject, sender=sender, to=[to], now=now, text=owner_text(digest, week=week), html=html))


def _facts(kr: OwnedKeyResult) -> str:
    facts = [f"{percent(kr.progress)}% done"]
    if kr.confidence is not None:
        facts.append(f"confidence {percent(kr.confidence)}%")
    facts.append(f"last check-in {kr.last_checkin.isoformat()}" if kr.last_checkin else "never checked in")
    return ", ".join(facts)


def owner_text(digest: OwnerDigest, *, week: Week) -> str:
    lines = [f"Your key results this week ({week.id}, {week.start.isoformat()} to {week.end.isoformat()})", "",
             f"Hello {digest.name},", ""]
    if digest.stale:
        lines += [f"{digest.stale} of your key results {'is' if digest.stale == 1 else 'are'} stale: "
                  "please check in.", ""]
    for kr in digest.key_results:
        lines.append(f"- {'[STALE] ' if kr.stale else ''}{kr.title} ({kr.objective}#{kr.key_result})")
        lines.append(f"  {kr.objective_title}: {_facts(kr)}")
        lines += [f"  this week: {change}" for change in kr.changes]
        if kr.url:
            lines.append(f"  {kr.url}")
    return "\n".join(lines) + "\n"


def owner_html(digest: OwnerDigest, *, week: Week, links: SiteLinks) -> str:
    e, s = escape_html, _STYLE
    out = [f'<h1 style="{s["h1"]}">Your key results this week</h1>',
           f'<p style="{s["meta"]}">{e(week.id)}, {e(week.start.isoformat())} to {e(week.end.isoformat())}. '
           + (f"{digest.stale} stale: please check in." if digest.stale else "Nothing is stale.") + "</p>"]
    for kr in digest.key_results:
        title = f'<a href="{e(kr.url)}" style="{s["link"]}">{e(kr.title)}</a>' if kr.url else e(kr.title)
        badge = f' <span style="{s["stale"]}">stale</span>' if kr.stale else ""
        width = max(0, min(100, percent(kr.progress)))
        bar = (f'<table role="presentation" cellpadding="0" cellspacing="0" style="{s["bar"]}"><tr>'
               + (f'<td width="{width}%" style="{s["fill"]}"></td>' if width else "")
               + (f'<td width="{100 - width}%" style="height:8px"></td>' if width < 100 else "")
               + "</tr></table>")
        changes = (f'<p style="{s["facts"]}">This week:</p><ul style="{s["changes"]}">'
                   + "".join(f"<li>{e(c)}</li>" for c in kr.changes) + "</ul>" if kr.changes else "")
        out.append(f'<div style="{s["kr"]}"><p style="{s["title"]}">{title}{badge}</p>'
                   f'<p style="{s["objective"]}">{e(kr.objective_title)}</p>{bar}'
                   f'<p style="{s["facts"]}">{e(_facts(kr))}</p>{changes}</div>')
    if links.base:
        out.append(f'<p style="{s["facts"]}"><a href="{e(links.base)}" style="{s["link"]}">Open the OKR site</a></p>')
    return "\n".join(out)


def html_document(title: str, content: str) -> str:
    """``content`` in a centred card at most 600 px wide, full width on a phone."""
    e, s = escape_html, _STYLE
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{e(title)}</title>\n'
            f'</head>\n<body style="{s["body"]}">\n'
            f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="{s["outer"]}"><tr>'
            f'<td align="center" style="padding:16px 8px">\n'
            f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="{s["card"]}"><tr>'
            f'<td style="{s["inner"]}">\n{content}\n</td></tr></table>\n'
            f'<p style="{s["footer"]}">Sent by okrs from the OKR repository.</p>\n'
            "</td></tr></table>\n</body>\n</html>\n")


def write_eml(messages: Sequence[Outgoing], folder: Path) -> list[Path]:
    """Each message as ``folder/NAME.eml`` (the bytes SMTP would carry); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, message in sorted(messages, key=lambda m: m[0]):
        path = folder / name
        path.write_bytes(message.as_bytes())
        written.append(path)
    return written
