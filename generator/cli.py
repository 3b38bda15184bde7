"""The `okrs` command: argparse in, exit codes out; the work is in the library.

Exit status: 0 clean, 1 findings (or a failed build), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from .config import Config, ConfigError, load_config
from .diagnostics import Finding, has_errors
from .loader import load_repository
from .report import FORMATS, render_findings, summary_line


class UsageError(Exception):
    """Bad arguments or environment: exit 2 with the message."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args)
    except (ConfigError, UsageError) as err:
        print(f"okrs: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="okrs", description="OKRs as code: check OKR files and publish them.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, run, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--root", type=Path, default=Path("."), metavar="DIR",
                         help="the repository (default: the current directory)")
        sub.set_defaults(run=run)
        return sub

    check = command("check", run_check, "validate OKR files against the schemas and the repository rules")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="files or folders to report on (default: all of okrs/)")
    check.add_argument("--format", choices=FORMATS, default=None,
                       help="text (default), github (default when GITHUB_ACTIONS=true) or json")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")

    build = command("build", run_build, "check the OKRs, then build the site (into site/ by default)")
    build.add_argument("--as-of", type=_date, default=None, metavar="DATE",
                       help="compute status and staleness as of this date (default: today)")
    build.add_argument("--site-dir", type=Path, default=None, metavar="DIR",
                       help="where to write the site (default: site/ under the root)")
    build.add_argument("--strict", action="store_true", help="fail on warnings too (ours and MkDocs')")

    serve = command("serve", run_serve, "serve the site locally, rebuilding when an OKR file changes")
    serve.add_argument("--dev-addr", default=None, metavar="IP:PORT", help="address to serve on (default 127.0.0.1:8000)")
    return parser


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from None


def _config(args: argparse.Namespace) -> Config:
    root = args.root.resolve()
    if not root.is_dir():
        raise UsageError(f"--root {args.root}: no such directory")
    config = load_config(root)
    if not config.source_dir.is_dir():
        raise UsageError(f"{config.source_dir} does not exist; OKR files live in {config.source}/ "
                         f"under the repository root (--root, or the plugin's `source` option)")
    return config


def _selected(findings: list[Finding], paths: list[Path], config: Config) -> list[Finding]:
    """Findings under the given paths; all of them when no path is given."""
    if not paths:
        return findings
    wanted = []
    for path in paths:
        absolute = (path if path.is_absolute() else Path.cwd() / path).resolve()
        try:
            rel = absolute.relative_to(config.root).as_posix()
        except ValueError:
            raise UsageError(f"{path} is outside the repository {config.root}") from None
        if not absolute.exists():
            raise UsageError(f"{path}: no such file or folder")
        wanted.append(rel)
    return [f for f in findings
            if any(w in (".", "") or f.path == w or f.path.startswith(w.rstrip("/") + "/") for w in wanted)]


def run_check(args: argparse.Namespace) -> int:
    config = _config(args)
    repository = load_repository(config)
    findings = _selected(repository.findings, args.paths, config)
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    sys.stdout.write(render_findings(findings, fmt))
    if fmt == "text":
        print(f"okrs: {summary_line(findings, repository.files_read)}", file=sys.stderr)
    return 1 if has_errors(findings, strict=args.strict) else 0


def run_build(args: argparse.Namespace) -> int:
    from .site_build import BuildFailed, build_site

    config = _config(args)
    site_dir = (args.site_dir if args.site_dir and args.site_dir.is_absolute()
                else Path.cwd() / args.site_dir if args.site_dir else config.root / "site").resolve()
    if site_dir == config.root or site_dir in config.source_dir.parents or \
            site_dir == config.source_dir or config.source_dir in site_dir.parents:
        raise UsageError(f"--site-dir {site_dir} would overwrite the OKR sources; choose another folder")
    repository = load_repository(config)
    if has_errors(repository.findings, strict=args.strict):
        sys.stdout.write(render_findings(repository.findings, "text"))
        print(f"okrs: not building: {summary_line(repository.findings, repository.files_read)}; "
              "the previous site is untouched", file=sys.stderr)
        return 1
    try:
        build_site(config.root, site_dir, as_of=args.as_of or date.today(), strict=args.strict,
                   repository=repository)
    except BuildFailed as err:
        print(f"okrs: the site was not built: {err}; the previous site is untouched", file=sys.stderr)
        return 1
    print(f"okrs: built {len(repository.objectives)} objectives into {site_dir}", file=sys.stderr)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from .site_build import serve

    config = _config(args)
    serve(config.root, dev_addr=args.dev_addr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
