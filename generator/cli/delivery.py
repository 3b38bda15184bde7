"""`okrs remind`, `okrs mail` and the chat formats of `okrs changelog`: arguments in, exit codes out.

The work is in generator/delivery/; main.py hands these commands the configuration and its
warning printer (this module must not import it: no import cycles).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from typing import TYPE_CHECKING

from generator.cli.usage import UsageError
from generator.config import Config
from generator.history.values import Digest, Week
from generator.model.core import People
from generator.reading.findings import WARNING, Finding

if TYPE_CHECKING:  # the site's modules need the site stack, which `okrs check` installs go without
    from generator.delivery.site_links import SiteLinks

Warn = Callable[[list[Finding]], None]


def add_commands(command: Callable[..., argparse.ArgumentParser], *, date_type: Callable[[str], date],
                 runner: Callable[[str], Callable[[argparse.Namespace], int]]) -> None:
    """``command(name, run, help)`` is main.py's: it adds --root and the run function."""
    remind = command("remind", runner("run_remind"),
                     "list the owners who should check in (stale key results, or none checked in this week), "
                     "for the weekly reminder issue")
    remind.add_argument("--as-of", type=date_type, default=None, metavar="DATE",
                        help="as of this date (default: today in the configured time zone)")
    remind.add_argument("--format", choices=("markdown", "json"), default="markdown",
                        help="markdown (default: the issue body, owners @mentioned) or json")

    mail = command("mail", runner("run_mail"),
                   "e-mail the weekly digest over SMTP (OKRS_SMTP_HOST, OKRS_SMTP_PORT, OKRS_SMTP_USER, "
                   "OKRS_SMTP_PASSWORD, OKRS_SMTP_FROM)")
    mail.add_argument("--week", default=None, metavar="YYYY-Www",
                      help="the ISO week, e.g. 2026-W47 (default: the last complete week)")
    to = mail.add_mutually_exclusive_group()
    to.add_argument("--to", nargs="+", default=None, metavar="ADDR", help="send the whole digest to these addresses")
    to.add_argument("--owners", action="store_true",
                    help="send each owner (e-mail from people.yaml) their own key results of the week")
    mail.add_argument("--dry-run", type=Path, default=None, metavar="DIR",
                      help="write the messages as .eml files into DIR instead of sending them")
    mail.add_argument("--as-of", type=date_type, default=None, metavar="DATE",
                      help="count weeks as of this date (default: today in the configured time zone)")


def delivery_links(config: Config, *, warn: Warn) -> SiteLinks:
    """The site's absolute links, warning (once) when `site_url` is missing or a placeholder."""
    from generator.delivery.site_links import site_links

    links = site_links(config.root)
    if links.problem:
        warn([Finding("mkdocs.yml", 1, 1, WARNING, "site-url", links.problem)])
    return links


def chat_payload(kind: str, digest: Digest, *, people: People | None, links: SiteLinks) -> str:
    if kind == "slack":
        from generator.delivery.slack import slack_payload
        payload = slack_payload(digest, people=people, links=links)
    else:
        from generator.delivery.teams import teams_payload
        payload = teams_payload(digest, people=people, links=links)
    return json.dumps(payload, ensure_ascii=False) + "\n"  # as sized: one line, UTF-8


def command_history(config: Config, as_of: date):
    """The history for a command that needs one (changelog, remind, mail), with a progress
    line; UsageError when git cannot give it."""
    from generator.history.walk import read_history
    from generator.runtime.cache import Store
    from generator.runtime.progress import ProgressLine

    progress = ProgressLine()
    try:
        history = read_history(config, as_of=as_of, cache=Store.for_repository(config.root),
                               progress=progress.callback("reading the history: commit"))
    finally:
        progress.done()
    if not history.available:
        raise UsageError(f"history is unavailable: {history.reason}")
    return history


def _people(config: Config) -> People | None:
    from generator.reading.loader import load_people

    people, _ = load_people(config)
    return people


def run_remind(args: argparse.Namespace, *, config: Config, warn: Warn) -> int:
    from generator.delivery.reminders import reminders, render_json, render_markdown

    as_of = args.as_of or config.today()
    history = command_history(config, as_of)
    links = delivery_links(config, warn=warn)
    found = reminders(history, as_of=as_of, people=_people(config), links=links)
    week = Week.of(as_of)
    if args.format == "json":
        sys.stdout.write(render_json(found, week=week))
    else:
        sys.stdout.write(render_markdown(found, week=week, stale_after_weeks=config.stale_after_weeks))
    return 0


def run_mail(args: argparse.Namespace, *, config: Config, warn: Warn) -> int:
    from generator.delivery import mail_messages, smtp

    if not args.to and not args.owners:
        raise UsageError("nothing sent: say who gets it, --to ADDR... (the whole digest) or --owners "
                         "(each owner their own key results)")
    settings = None
    if args.dry_run is None:
        try:
            settings = smtp.SmtpSettings.from_env(os.environ)
        except smtp.SmtpSettingsError as err:
            raise UsageError(str(err)) from None
    sender = settings.sender if settings else os.environ.get("OKRS_SMTP_FROM") or "okrs@localhost"
    today = args.as_of or config.today()
    if args.week is not None:
        try:
            week = Week.parse(args.week)
        except ValueError as err:
            raise UsageError(f"--week: {err}") from None
    else:
        week = Week.of(today).previous
    history = command_history(config, today)
    warn(history.warnings_in_week(week))
    digest = history.digest(week, as_of=today)
    people = _people(config)
    links = delivery_links(config, warn=warn)
    now = datetime.now(timezone.utc)
    if args.to:
        bad = [address for address in args.to if not mail_messages.looks_like_address(address)]
        if bad:
            raise UsageError(f"--to: {', '.join(map(repr, bad))} is not an e-mail address like name@example.com")
        messages = [mail_messages.digest_message(digest, people=people, links=links, sender=sender,
                                                 to=args.to, now=now)]
    else:
        if people is None:
            raise UsageError(f"cannot read {config.source}/people.yaml; run `okrs check` to see why")
        owners = mail_messages.owner_digests(history, digest, as_of=min(today, week.end), people=people, links=links)
        missing = sorted(o.owner for o in owners if not o.email)
        if missing:
            warn([Finding(f"{config.source}/people.yaml", 1, 1, WARNING, "mail-no-address",
                          f"no e-mail address for {', '.join(missing)}: they get no digest; "
                          "add an email field to their entry")])
        messages = [mail_messages.owner_message(o, week=week, sender=sender, now=now, links=links)
                    for o in owners if o.email]
    if args.dry_run is not None:
        written = mail_messages.write_eml(messages, args.dry_run)
        print(f"okrs: wrote {len(written)} message{'s' * (len(written) != 1)} into {args.dry_run} (nothing sent)",
              file=sys.stderr)
        return 0
    try:
        sent = smtp.send([message for _, message in messages], settings)
    except smtp.SendError as err:
        print(f"okrs: {err}", file=sys.stderr)
        return 1
    print(f"okrs: sent {sent} message{'s' * (sent != 1)} through {settings.host}:{settings.port}", file=sys.stderr)
    return 0
