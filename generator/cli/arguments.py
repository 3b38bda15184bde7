"""What `okrs close` and `okrs carry` share: the --root option, a date argument, and the
repository's configuration (errors as one message for exit status 2)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from generator.config import Config, ConfigError, load_config
from generator.model.core import Period, parse_period
from generator.reading.report import one_line

# As in `okrs build`: git has no commit before 1970, and a week must end before 9999-12-31.
EARLIEST, LATEST = date(1970, 1, 1), date(9998, 12, 31)


class CommandError(Exception):
    """Bad arguments or configuration: the command prints the message and exits 2."""


def add_root(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--root", type=Path, default=Path("."), metavar="DIR",
                     help="the repository (default: the current directory)")


def day(text: str) -> date:
    """An argparse type: a date like 2026-11-23, within the range the tool computes with."""
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from None
    if not EARLIEST <= value <= LATEST:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range: use a date between {EARLIEST} and {LATEST}")
    return value


def repository_config(root: Path) -> Config:
    """The configuration of the repository at ``root``; CommandError when there is none."""
    resolved = root.resolve()
    if not resolved.is_dir():
        raise CommandError(f"--root {root}: no such directory")
    try:
        config = load_config(resolved)
    except ConfigError as err:
        raise CommandError(one_line(str(err))) from None
    if not config.source_dir.is_dir():
        raise CommandError(f"{config.source_dir} does not exist; OKR files live in {config.source}/ "
                           "under the repository root (--root, or the plugin's `source` option)")
    return config


def period_named(text: str, config: Config, *, what: str = "") -> Period:
    """The period ``text`` names (a quarter, half, year or a configured one); CommandError
    with the forms it may take when it names none."""
    period = parse_period(text, config.periods)
    if period is None:
        raise CommandError(f"{what}{text!r} is not a period: use a quarter like 2026-Q3, a half like 2026-H2, "
                           "a year like 2026, or a period configured in mkdocs.yml")
    return period
