"""The `okrs` command: argparse in, exit codes out; the work is in the library.

Exit status: 0 clean, 1 findings (or a failed build), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import os
import sys
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
    return parser


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
