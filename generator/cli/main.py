"""The `okrs` command: argparse in, exit codes out; the work is in the library.

Exit status: 0 clean, 1 findings (or a failed build), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from generator.config import Config, ConfigError, load_config
from generator.reading.findings import Finding, has_errors
from generator.reading.frontmatter import LIBYAML, SLOW_YAML_WARNING
from generator.reading.loader import load_repository
from generator.reading.pipeline import people_path
from generator.cli import github
from generator.cli.arguments import EARLIEST, LATEST, day
from generator.cli.usage import UsageError  # bad arguments or environment: exit 2
from generator.reading.report import (FORMATS, github_annotations, one_line, render_findings, summary_line,
                                      summary_table, visible, warning_line)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    if not LIBYAML:  # never slow without saying so
        print(f"okrs: warning: {SLOW_YAML_WARNING}", file=sys.stderr)
    try:
        return args.run(args)
    except (ConfigError, UsageError) as err:
        # A message may quote mkdocs.yml or a file: one line, unless it is a list of findings
        # we made (`okrs new`), each already a safe line of its own.
        text = visible(str(err), keep="\n") if isinstance(err, UsageError) else one_line(str(err))
        print(f"okrs: {text}", file=sys.stderr)
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
    check.add_argument("--as-of", type=day, default=None, metavar="DATE",
                       help="check the rules that depend on the date (baseline-missing) as of this date "
                            "(default: today in the configured time zone)")
    check.add_argument("--changed-from", default=None, metavar="REV",
                       help="with --format github: annotate findings in files changed since REV first "
                            "(else the paths in OKRS_CHANGED_FILES, one a line)")

    build = command("build", run_build, "check the OKRs, then build the site (into site/ by default)")
    build.add_argument("--as-of", type=day, default=None, metavar="DATE",
                       help="compute status and staleness as of this date (default: today in the configured time zone)")
    build.add_argument("--site-dir", type=Path, default=None, metavar="DIR",
                       help="where to write the site (default: site/ under the root)")
    build.add_argument("--strict", action="store_true", help="fail on warnings too (ours and MkDocs')")

    diff = command("diff", run_diff, "what changes in the OKRs between two git revisions (for pull requests)")
    diff.add_argument("base", metavar="BASE", help="the base revision, e.g. origin/main")
    diff.add_argument("head", nargs="?", default=None, metavar="HEAD",
                      help="the revision to compare (default: the working tree, i.e. HEAD and any uncommitted "
                           "changes to the OKR files; give HEAD to compare commits only)")
    diff.add_argument("--format", choices=("markdown", "json"), default="markdown", help="markdown (default) or json")

    new = command("new", run_new, "create a new objective file from a template")
    new.add_argument("title", metavar="TITLE", help="the objective's title, in quotes")
    new.add_argument("--team", required=True, help="a team id from people.yaml")
    new.add_argument("--owner", required=True, help="a person id from people.yaml")
    new.add_argument("--period", default=None, help="e.g. 2026-Q4 (default: the current quarter)")

    serve = command("serve", run_serve, "serve the site locally, rebuilding when an OKR file changes")
    serve.add_argument("--dev-addr", default=None, metavar="IP:PORT", help="address to serve on (default 127.0.0.1:8000)")

    changelog = command("changelog", run_changelog,
                        "print the weekly digest of OKR changes and stale key results, for chat or email")
    when = changelog.add_mutually_exclusive_group()
    when.add_argument("--week", default=None, metavar="YYYY-Www",
                      help="the ISO week, e.g. 2026-W47 (default: the last complete week)")
    when.add_argument("--since", type=day, default=None, metavar="DATE",
                      help="every week from the one holding DATE to the last complete week, newest first")
    changelog.add_argument("--format", choices=("markdown", "json", "html", "slack", "teams"), default="markdown",
                           help="markdown (default, for chat), json, html (a fragment for email), or the JSON "
                                "payload of a Slack incoming webhook (slack) or a Teams workflow webhook (teams)")
    changelog.add_argument("--as-of", type=day, default=None, metavar="DATE",
                           help="count weeks as of this date (default: today in the configured time zone)")

    demo = command("demo", run_demo, "create a sample OKR repository with weeks of backdated check-ins "
                                     "(its mkdocs.yml, schema/ and site_overrides/ are copied from --root)")
    demo.add_argument("dir", type=Path, metavar="DIR", help="where to create it (a new or empty folder)")
    demo.add_argument("--weeks", type=int, default=8, help="weeks of weekly check-ins (default 8)")
    demo.add_argument("--objectives", type=int, default=24, help="number of objectives (default 24)")
    demo.add_argument("--seed", type=int, default=1, help="the same seed gives the same repository (default 1)")
    demo.add_argument("--closed-years", type=int, default=0, metavar="Y",
                      help="also Y years of closed periods before the demo's, as many objectives each, "
                           "imported one commit per period (default 0)")
    from generator.cli import checkin as checkin_command, codeowners as codeowners_command
    from generator.cli import delivery as delivery_commands, init as init_command
    delivery_commands.add_commands(command, date_type=day, runner=_delivery_runner)
    init_command.add_command(commands)
    codeowners_command.add_command(commands)
    checkin_command.add_command(commands)
    from generator.cli import carry as carry_command, close as close_command
    close_command.add_command(commands)
    carry_command.add_command(commands)
    from generator.cli import render as render_command
    render_command.add_command(commands)
    return parser


def _config(args: argparse.Namespace) -> Config:
    root = args.root.resolve()
    if not root.is_dir():
        raise UsageError(f"--root {args.root}: no such directory")
    config = load_config(root)
    if not config.source_dir.is_dir():
        raise UsageError(f"{config.source_dir} does not exist; OKR files live in {config.source}/ "
                         f"under the repository root (--root, or the plugin's `source` option)")
    if getattr(args, "as_of", None) is not None:  # the day the date-dependent rules and statuses use
        config = replace(config, as_of=args.as_of)
    return config


def _in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _print_warnings(warnings: list[Finding]) -> None:
    """History and revision warnings on stderr: one escaped line each (an annotation in CI)."""
    github = _in_github_actions()
    for warning in warnings:
        print(warning_line(warning, github=github), file=sys.stderr)


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
    if people_path(config) in wanted:
        return findings  # a change to the registry can break any objective
    return [f for f in findings
            if any(w in (".", "") or f.path == w or f.path.startswith(w.rstrip("/") + "/") for w in wanted)]


def run_check(args: argparse.Namespace) -> int:
    config = _config(args)
    repository = load_repository(config, with_model=False)
    findings = _selected(repository.findings, args.paths, config)
    fmt = args.format or ("github" if _in_github_actions() else "text")
    if fmt == "github":
        sys.stdout.write(_github_report(findings, config, files=repository.files_read,
                                        changed_from=args.changed_from))
    else:
        sys.stdout.write(render_findings(findings, fmt))
    if fmt == "text":
        print(f"okrs: {summary_line(findings, repository.files_read)}", file=sys.stderr)
    return 1 if has_errors(findings, strict=args.strict) else 0


def _github_report(findings: list[Finding], config: Config, *, files: int, changed_from: str | None) -> str:
    """Annotations within GitHub's limits, with paths from the repository's top level; every
    finding in the job summary when there is one."""
    top = github.top_level(config.root)
    findings = github.from_top_level(findings, github.path_prefix(config.root, top))
    try:
        changed = github.changed_files(top, changed_from) if changed_from else github.changed_files_from_env()
    except github.ChangedFilesError as err:
        raise UsageError(str(err)) from None
    summarised = github.append_to_summary(summary_table(findings, files=files))
    return github_annotations(findings, changed=changed, summary=summarised)


def run_build(args: argparse.Namespace) -> int:
    from generator.runtime.cache import Store
    from generator.mkdocs.runner import BuildFailed, UnsafeSiteDir, build_site, engine_notice, plan_build

    config = _config(args)
    # Absolute but not resolved: a symbolic link on the way must stay visible to the check.
    site_dir = Path.cwd() / args.site_dir if args.site_dir else config.root / "site"
    try:
        plan = plan_build(config.root, site_dir, source_dir=config.source_dir, strict=args.strict)
    except UnsafeSiteDir as err:
        raise UsageError(str(err)) from None
    except BuildFailed as err:
        print(f"okrs: the site was not built: {err}; the previous site is untouched", file=sys.stderr)
        return 1
    as_of = args.as_of or config.today()
    config = replace(config, as_of=as_of)  # as the plugin will have it: it builds from this load
    repository = load_repository(config, cache=Store.for_repository(config.root))
    if has_errors(repository.findings, strict=args.strict):
        sys.stdout.write(render_findings(repository.findings, "text"))
        print(f"okrs: not building: {summary_line(repository.findings, repository.files_read)}; "
              "the previous site is untouched", file=sys.stderr)
        return 1
    try:
        build_site(plan, as_of=as_of, repository=repository)
    except BuildFailed as err:
        reason = visible(str(err), keep="\n")  # the findings listed by the plugin, one line each
        print(f"okrs: the site was not built: {reason}; the previous site is untouched", file=sys.stderr)
        return 1
    print(f"okrs: built {len(repository.objectives)} objectives into {plan.site_dir}", file=sys.stderr)
    if notice := engine_notice():
        print(notice, file=sys.stderr)
    return 0


def run_diff(args: argparse.Namespace) -> int:
    """Compares HEAD with its merge base with BASE, as a pull request's diff does."""
    from generator.reading.loader import load_people
    from generator.history.revisions import (RevisionError, compare, has_uncommitted_changes, merge_base, read_revision,
                                             read_working_tree, render_json, render_markdown)

    config = _config(args)
    try:
        if args.head is None and has_uncommitted_changes(config):
            head = read_working_tree(config)
            print(f"okrs: comparing with the working tree: uncommitted changes under {config.source}/ are included "
                  "(give HEAD to compare commits only)", file=sys.stderr)
        else:
            head = read_revision(config, args.head or "HEAD")
        base = read_revision(config, merge_base(config, args.base, args.head or "HEAD"))
    except RevisionError as err:
        raise UsageError(str(err)) from None
    base = type(base)(args.base, base.sha, base.objectives, base.warnings)
    _print_warnings(base.warnings + head.warnings)
    changes = compare(base, head)
    if args.format == "json":
        sys.stdout.write(render_json(base, head, changes))
    else:
        people, _ = load_people(config)
        sys.stdout.write(render_markdown(base, head, changes, people=people))
    return 0


def run_new(args: argparse.Namespace) -> int:
    from generator.reading.loader import load_people
    from generator.reading.rules import SEGMENT
    from generator.reading.suggestions import did_you_mean
    from generator.lifecycle.scaffold import new_objective_findings, objective_text, quarter_of, slugify

    config = _config(args)
    people, _ = load_people(config)
    if people is None:
        raise UsageError(f"cannot read {people_path(config)}; run `okrs check` to see why")
    if args.team not in people.teams:
        raise UsageError(f"unknown team '{args.team}'{did_you_mean(args.team, people.teams)}")
    if args.owner not in people.persons:
        raise UsageError(f"unknown person '{args.owner}'{did_you_mean(args.owner, people.persons)}")
    period = args.period or quarter_of(config.today())  # today in the configured time zone
    if not SEGMENT.fullmatch(period):  # it becomes a folder name: never an absolute path or ../
        raise UsageError(f"--period {period!r} is not a period name like 2026-Q4, 2026-H1 or 2026 "
                         "(one folder name: letters, digits, - and _)")
    ident = f"{period}/{args.team}/{slugify(args.title)}"
    path = config.source_dir / f"{ident}.md"
    if not path.resolve().is_relative_to(config.source_dir.resolve()):  # e.g. a team id with a '/'
        raise UsageError(f"{ident}.md would be outside {config.source}/; not writing it")
    rel = path.relative_to(config.root).as_posix()
    text = objective_text(title=args.title, team=args.team, owner=args.owner, period=period)
    findings = new_objective_findings(text, ident=ident, path=rel, config=config, people=people)
    if has_errors(findings):
        raise UsageError("the new objective would not be valid:\n" + render_findings(findings, "text").rstrip())
    if path.exists():
        raise UsageError(f"{rel} already exists; not overwriting it (choose another title)")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    print(rel)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from generator.mkdocs.runner import engine_notice, serve

    config = _config(args)
    if notice := engine_notice():
        print(notice, file=sys.stderr)
    serve(config.root, dev_addr=args.dev_addr)
    return 0


def run_changelog(args: argparse.Namespace) -> int:
    from generator.cli.delivery import chat_payload, command_history, delivery_links
    from generator.history.changelog import render_html, render_json, render_markdown
    from generator.history.values import Week
    from generator.reading.loader import load_people

    config = _config(args)
    today = args.as_of or config.today()
    last_complete = Week.of(today).previous
    if args.format in ("slack", "teams") and args.since is not None:
        raise UsageError(f"--format {args.format} posts one week: use --week (or the default, the last complete week)")
    if args.since is not None:
        first = Week.of(args.since)
        if first > last_complete:
            raise UsageError(f"--since {args.since}: no week has ended since then (as of {today})")
    elif args.week is not None:
        try:
            first = Week.parse(args.week)
        except ValueError as err:
            raise UsageError(f"--week: {err}") from None
        if first.end < EARLIEST or first.start > LATEST:
            raise UsageError(f"--week {args.week} is out of range: use a week between "
                             f"{Week.of(EARLIEST)} and {Week.of(LATEST)}")
    else:
        first = last_complete
    history = command_history(config, today)
    weeks = [first]
    if args.since is not None:
        while weeks[-1] < last_complete:
            weeks.append(weeks[-1].next)
        weeks.reverse()  # newest first
    _print_warnings([w for week in weeks for w in history.warnings_in_week(week)])
    digests = [history.digest(week, as_of=today) for week in weeks]
    if args.format == "json":
        sys.stdout.write(render_json(digests if args.since is not None else digests[0]))
        return 0
    people, _ = load_people(config)
    links = delivery_links(config, warn=_print_warnings)
    if args.format in ("slack", "teams"):
        sys.stdout.write(chat_payload(args.format, digests[0], people=people, links=links))
        return 0
    render = render_html if args.format == "html" else render_markdown
    sys.stdout.write("\n".join(render(digest, people=people, link=links.objective if links.base else None,
                                       week_link=links.week(digest.week.id)) for digest in digests))
    return 0


def _delivery_runner(name: str):
    """A command of cli/delivery.py, given the configuration and the warning printer
    (that module cannot import this one: no import cycles)."""
    def run(args: argparse.Namespace) -> int:
        from generator.cli import delivery
        return getattr(delivery, name)(args, config=_config(args), warn=_print_warnings)
    return run


def run_demo(args: argparse.Namespace) -> int:
    from generator.demo.repository import DemoError, create_demo

    for name in ("weeks", "objectives"):
        if getattr(args, name) < 1:
            raise UsageError(f"--{name} must be 1 or more")
    if args.closed_years < 0:
        raise UsageError("--closed-years must be 0 or more")
    try:
        summary = create_demo(args.dir, weeks=args.weeks, objectives=args.objectives, seed=args.seed,
                              template_root=args.root, closed_years=args.closed_years)
    except DemoError as err:
        raise UsageError(str(err)) from None
    print(f"okrs: {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
