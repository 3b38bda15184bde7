"""`okrs render DIR`: the site as Markdown files plus DIR/mkdocs.yml, for any engine.

Plain MkDocs (or ProperDocs, or Zensical) builds the site from DIR with no okrs plugin:
`mkdocs build -f DIR/mkdocs.yml`. DIR is written beside itself and swapped in, so a
failed render leaves the previous one; it replaces only a folder an earlier render made
(the marker file `.okrs-render`), or an empty or new one: never someone's files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from generator.cli.arguments import CommandError, add_root, day, repository_config
from generator.config import ConfigError
from generator.reading.findings import has_errors
from generator.reading.loader import load_repository
from generator.reading.report import one_line, render_findings, summary_line, visible
from generator.runtime.cache import Store
from generator.runtime.folder_swap import swap_in

MARKER = ".okrs-render"
MARKER_TEXT = ("This folder was written by `okrs render`; the next `okrs render` into it replaces all of it.\n"
               "Keep no files of your own here.\n")


def add_command(commands: argparse._SubParsersAction) -> None:
    text = ("write the site as Markdown files plus DIR/mkdocs.yml, so that plain MkDocs (or ProperDocs, "
            "or Zensical) builds it without the okrs plugin")
    sub = commands.add_parser("render", help=text, description=text)
    sub.add_argument("dir", type=Path, metavar="DIR", help="where to write it (a new or empty folder, "
                                                           "or one an earlier okrs render wrote)")
    sub.add_argument("--as-of", type=day, default=None, metavar="DATE",
                     help="compute status and staleness as of this date (default: today in the configured time zone)")
    add_root(sub)
    sub.set_defaults(run=run_render)


def run_render(args: argparse.Namespace) -> int:
    try:
        return _render(args)
    except CommandError as err:
        print(f"okrs: {visible(str(err))}", file=sys.stderr)
        return 2


def _render(args: argparse.Namespace) -> int:
    # The site stack (Jinja, MkDocs) only here: `okrs check` runs without it (requirements-check.txt).
    from generator.history.walk import read_history
    from generator.site.build import build_site_model
    from generator.site.markdown_export import (ACTIONS_PARTIAL, ACTIONS_PATH, exported_files, file_path,
                                                html_navigation)
    from generator.site.rendered_config import (DOCS_DIR, OVERRIDES_DIR, dump_config, read_project_config,
                                                rendered_config)

    config = repository_config(args.root)
    site = _mkdocs_settings(config.root)
    hand_made = {"the hand-written docs_dir": site["docs_dir"], "the theme's custom_dir": site["custom_dir"]}
    target = _render_dir(Path.cwd() / args.dir, root=config.root, source_dir=config.source_dir, hand_made=hand_made)
    store = Store.for_repository(config.root)
    repository = load_repository(config, cache=store)
    if has_errors(repository.findings):
        sys.stdout.write(render_findings(repository.errors, "text"))
        print(f"okrs: not rendering: {summary_line(repository.findings, repository.files_read)}; "
              "the previous render is untouched", file=sys.stderr)
        return 1
    as_of = args.as_of or config.today()
    history = read_history(config, as_of=as_of, cache=store)
    model = build_site_model(repository, history, config, as_of=as_of, site_url=site["site_url"],
                             directory_urls=site["use_directory_urls"])
    try:
        nav = html_navigation(model.nav, place=lambda path: file_path(path, directory_urls=site["use_directory_urls"]))
        data = rendered_config(read_project_config(config.root / "mkdocs.yml"), nav=nav)
    except ConfigError as err:
        raise CommandError(one_line(str(err))) from None
    files = exported_files(model, repo_url=site["repo_url"], edit_uri=site["edit_uri"],
                           edit_uri_template=site["edit_uri_template"], directory_urls=site["use_directory_urls"])
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.rendering-{os.getpid()}-", dir=target.parent))
    try:
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        docs = staging / DOCS_DIR
        if site["docs_dir"].is_dir():  # the hand-written pages; generated ones win a clash, as in the plugin
            shutil.copytree(site["docs_dir"], docs)
        overrides = staging / OVERRIDES_DIR
        if site["custom_dir"] is not None and site["custom_dir"].is_dir():
            shutil.copytree(site["custom_dir"], overrides)
        if not (overrides / ACTIONS_PATH).exists():  # the project's own partial, if it has one, stays
            _write(overrides / ACTIONS_PATH, ACTIONS_PARTIAL)
        for path, text in files.items():
            _write(docs / path, text)
        _write(staging / "mkdocs.yml", dump_config(data))
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    print(f"okrs: rendered {len(model.pages)} pages of {len(repository.objectives)} objectives into {target}; "
          f"build them with: mkdocs build -f {target / 'mkdocs.yml'}", file=sys.stderr)
    return 0


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _mkdocs_settings(root: Path) -> dict:
    """What MkDocs makes of mkdocs.yml (its defaults applied): the edit link, URLs, folders."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    unused = Path(tempfile.gettempdir()) / f"okrs-unused-site-dir-{os.getpid()}"
    try:
        loaded = load_config(str(root / "mkdocs.yml"), site_dir=str(unused))
    except (MkDocsException, SystemExit) as err:
        raise CommandError(f"MkDocs cannot read {root / 'mkdocs.yml'}: {err}") from None
    custom_dir = loaded.theme.custom_dir
    return {"site_url": loaded.site_url or "", "use_directory_urls": loaded.use_directory_urls,
            "repo_url": loaded.repo_url, "edit_uri": loaded.edit_uri, "edit_uri_template": loaded.edit_uri_template,
            "docs_dir": Path(loaded.docs_dir), "custom_dir": Path(custom_dir) if custom_dir else None}


def _render_dir(folder: Path, *, root: Path, source_dir: Path, hand_made: dict[str, Path | None]) -> Path:
    """``folder`` resolved, if okrs render may replace it; else CommandError says why."""
    if folder.is_symlink():
        raise CommandError(f"{folder} is a symbolic link; okrs render does not replace what a link points to: "
                           "choose a real folder")
    target = folder.resolve()
    if target == root or target in root.parents:
        raise CommandError(f"{target} holds the repository; choose another folder")
    if target == source_dir or source_dir in target.parents or target in source_dir.parents:
        raise CommandError(f"{target} would overwrite the OKR sources; choose another folder")
    for label, hand in hand_made.items():  # the project's own site sources: the render copies them
        if hand is not None and (target == hand.resolve() or hand.resolve() in target.parents
                                 or target in hand.resolve().parents):
            raise CommandError(f"{target} would overwrite {label} {hand.resolve()}; choose another folder")
    if ".git" in target.parts:
        raise CommandError(f"{target} is inside a git folder; choose another folder")
    if target.exists():
        if not target.is_dir():
            raise CommandError(f"{target} is a file, not a folder: choose an empty or new folder")
        if any(target.iterdir()) and not _is_ours(target):
            raise CommandError(f"{target} is not a folder written by okrs render (no {MARKER} marker): choose an "
                               "empty or new folder, or delete it yourself")
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _is_ours(folder: Path) -> bool:
    marker = folder / MARKER
    return marker.is_file() and not marker.is_symlink()


def _swap(staging: Path, target: Path) -> None:
    """Put the new render in place of the old one; on failure the old one stays where it was."""
    if target.exists() and any(target.iterdir()) and not _is_ours(target):  # checked before; it may have changed
        raise CommandError(f"{target} is no longer a folder written by okrs render; nothing was replaced")
    swap_in(staging, target, mode=0o755)
