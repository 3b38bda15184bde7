"""`okrs init DIR --org NAME`: a new OKR repository for an organisation."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from generator.lifecycle.init import InitError, create_repository, repository_files


def add_command(commands: argparse._SubParsersAction) -> None:
    text = "create a new OKR repository for an organisation (the okrs tool stays a dependency of it)"
    sub = commands.add_parser("init", help=text, description=text)
    sub.add_argument("dir", type=Path, metavar="DIR", help="where to create it (a new or empty folder)")
    sub.add_argument("--org", required=True, metavar="NAME", help="the organisation's name, e.g. \"Acme\"")
    sub.add_argument("--site-url", default=None, metavar="URL", help="where the site is published")
    sub.add_argument("--repo-url", default=None, metavar="URL", help="the new repository on GitHub")
    sub.set_defaults(run=run_init)


def run_init(args: argparse.Namespace) -> int:
    if not args.org.strip():
        print("okrs: --org must name the organisation", file=sys.stderr)
        return 2
    files = repository_files(org=args.org.strip(), site_url=args.site_url, repo_url=args.repo_url,
                             today=date.today())
    try:
        written = create_repository(args.dir, files)
    except InitError as err:
        print(f"okrs: {err}", file=sys.stderr)
        return 2
    print(f"okrs: created {len(written)} files in {args.dir}; next: edit requirements.txt, mkdocs.yml "
          "(site_url) and okrs/people.yaml, then `git init` and push (see its README)", file=sys.stderr)
    return 0
