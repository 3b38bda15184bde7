"""Run MkDocs for `okrs build` and `okrs serve` (the second MkDocs adapter).

The build goes into a temporary folder beside the site and is swapped in only when it
succeeded, so a failed build leaves the previous site untouched. The site it replaced is
kept beside it (``spare_folder``) for the next build to build into. The swap replaces the
folder, so `okrs build` replaces only a folder that an earlier `okrs build`
made (it carries the marker file `.okrs-site`), or an empty or new one: never someone's
files, the hand-written docs, a git repository, or anything reached through a link.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from generator.reading.report import github_command, log_line
from generator.runtime.folder_swap import SITE_MARKER, swap_in

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from generator.reading.loader import Repository

MARKER_TEXT = ("This folder is a site made by `okrs build`; the next `okrs build` replaces all of it.\n"
               "Keep no files of your own here.\n")
SITE_MODE = 0o755  # mkdtemp makes 0700; a site is meant to be served


class BuildFailed(Exception):
    """MkDocs could not build the site; the message says why."""


class UnsafeSiteDir(Exception):
    """The site folder is one `okrs build` must not replace; the message says what to do."""


def engine_notice() -> str | None:
    """Material for MkDocs 9, its last line, reaches end of life on 5 May 2027, and MkDocs
    1.x is unmaintained. Material says so in a banner only under the `mkdocs` command;
    `okrs build` and `okrs serve` say it in one line, with the way out."""
    from importlib import metadata

    try:
        major = int(metadata.version("mkdocs-material").split(".")[0])
    except (metadata.PackageNotFoundError, ValueError):
        return None
    if major > 9:
        return None
    return ("okrs: note: Material for MkDocs reaches end of life on 5 May 2027 and MkDocs 1.x is no longer "
            "maintained; `okrs render DIR` writes the site as a folder that ProperDocs or Zensical can build "
            "(README: The engine plan)")


class _DirtyBuildNotice(logging.Filter):
    """MkDocs warns that a dirty build may leave navigation and links stale. Ours is not
    stale: every page is either rendered or the unchanged output of the same source and
    frame (the okrs plugin's page writer), and the folder it builds into starts empty."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _build_dirty() -> None:
    """Run MkDocs' build dirty, which leaves the okrs plugin's pages to the plugin."""
    import generator.mkdocs.plugin as plugin

    plugin.RUNNER_BUILDS_DIRTY = True
    logger = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, _DirtyBuildNotice) for f in logger.filters):
        logger.addFilter(_DirtyBuildNotice())


def _log_to_stderr(level: int = logging.WARNING) -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_okrs", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(_SafeFormatter())
        handler.setLevel(level)
        handler._okrs = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


class _SafeFormatter(logging.Formatter):
    """MkDocs' log lines, each one escaped line (they quote file names and nav titles);
    in GitHub Actions a warning is a workflow command, never raw text."""

    def format(self, record: logging.LogRecord) -> str:
        github = os.environ.get("GITHUB_ACTIONS") == "true"
        finding = getattr(record, "okrs_finding", None)
        if github and finding is not None:
            return github_command(finding)
        return log_line(record.levelname, super().format(record), github=github)


@dataclass(frozen=True)
class SitePlan:
    """A site folder `okrs build` may replace, and the MkDocs configuration to build it with."""

    site_dir: Path
    config: MkDocsConfig


def plan_build(root: Path, site_dir: Path, *, source_dir: Path, strict: bool) -> SitePlan:
    """Load mkdocs.yml and check that ``site_dir`` may be replaced (raises UnsafeSiteDir if not).

    ``site_dir`` is absolute but not resolved: a link on the way must still be visible.
    Leftovers of an earlier build that stopped half way are recovered or removed here.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _log_to_stderr()
    # MkDocs checks site_dir against docs_dir as it loads; we check ourselves, below, and
    # point it at a folder that is never made (the real one is the staging folder).
    unused = Path(tempfile.gettempdir()) / f"okrs-unused-site-dir-{os.getpid()}"
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(unused), strict=strict)
    except (MkDocsException, SystemExit) as err:
        raise BuildFailed(str(err) or "MkDocs cannot read mkdocs.yml (see the messages above)") from None
    except OSError as err:
        raise BuildFailed(f"cannot read {root / 'mkdocs.yml'}: {err.strerror or err}") from None
    if config.plugins.get("okrs") is None:
        raise BuildFailed("mkdocs.yml does not enable the okrs plugin: add `- okrs` under `plugins:`")
    hand_made = {"the hand-written docs_dir": Path(config["docs_dir"])}
    if config.theme.custom_dir:
        hand_made["the theme's custom_dir"] = Path(config.theme.custom_dir)
    site_dir = replaceable_site_dir(site_dir, root=root, source_dir=source_dir, hand_made=hand_made)
    recover_leftovers(site_dir)
    return SitePlan(site_dir, config)


def build_site(plan: SitePlan, *, as_of: date, repository: Repository | None = None) -> float:
    """Build into a temporary folder, then swap it in. Returns the seconds MkDocs took.

    ``repository``: the OKRs as `okrs build` loaded and checked them a moment ago; the plugin
    builds from it when its settings are the same, instead of loading every file again."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    site_dir, config = plan.site_dir, plan.config
    # Same sources and --as-of, same bytes: dates MkDocs stamps (sitemap) follow --as-of.
    epoch = int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc).timestamp())
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    staging = None
    started = time.perf_counter()
    plugin = config.plugins["okrs"]
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = _take_spare(site_dir)
        plugin.reuses_folder = staging is not None
        if staging is None:
            staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-{os.getpid()}-", dir=site_dir.parent))
        # First, so that a build killed half way leaves a folder the next build knows is ours
        # (MkDocs' clean step keeps dot files).
        (staging / SITE_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        config["site_dir"] = str(staging)
        # The typed option, validated by the plugin with the others.
        plugin.config["as_of"] = as_of
        plugin.loaded = repository
        _build_dirty()
        build(config, dirty=True)
        elapsed = time.perf_counter() - started
        _swap(staging, site_dir, keep_old=spare_folder(site_dir) if plugin.links_cached_pages else None)
    except (MkDocsException, BuildFailed, SystemExit) as err:
        _remove(staging)
        raise BuildFailed(str(err) or "MkDocs failed (see the messages above)") from None
    except OSError as err:  # a full disk, a file-size limit, a read-only folder
        _remove(staging)
        raise BuildFailed(f"cannot write {err.filename or site_dir}: {err.strerror or err}") from None
    except BaseException:
        _remove(staging)
        raise
    return elapsed


def _remove(staging: Path | None) -> None:
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, site_dir: Path, *, keep_old: Path | None) -> None:
    """Put the new site in place of the old one; on failure the old one stays where it was."""
    problem = _replaceable_problem(site_dir)  # checked before the build; it may have changed since
    if problem:
        raise BuildFailed(f"{site_dir} {problem}")
    swap_in(staging, site_dir, mode=SITE_MODE, keep_old=keep_old)


def spare_folder(site_dir: Path) -> Path:
    """Where the site a build replaced waits for the next build, which builds into it: its
    folders are there already (one per page: making them was most of what placing ten
    thousand unchanged pages cost), and its pages are links to the page cache, which the
    page writer finds in place. Kept only when the pages are links (no second copy)."""
    return site_dir.with_name(f".{site_dir.name}.spare")


def _take_spare(site_dir: Path) -> Path | None:
    """The spare folder, renamed to be this build's staging folder; None if there is none of ours.
    The plugin then removes from it all but the generated pages before MkDocs writes anything."""
    spare = spare_folder(site_dir)
    if not _is_ours(spare):
        return None
    staging = site_dir.with_name(f".{site_dir.name}.building-{os.getpid()}-{os.urandom(4).hex()}")
    try:
        spare.rename(staging)  # another build may take it first
    except OSError:
        return None
    return staging


# --- which folders a build may replace ---------------------------------------------------


def replaceable_site_dir(site_dir: Path, *, root: Path, source_dir: Path, hand_made: dict[str, Path]) -> Path:
    """``site_dir`` resolved, if `okrs build` may replace it; else UnsafeSiteDir says why.

    ``root`` and ``source_dir`` are resolved; ``hand_made`` names folders of the site's
    sources (docs_dir, the theme's custom_dir) that must survive any build.
    """
    link = _link_on_the_way(site_dir, root)
    if link is not None:
        what = "is" if link == site_dir else f"goes through {link}, which is"
        raise UnsafeSiteDir(f"--site-dir {site_dir} {what} a symbolic link; okrs build does not replace "
                            "what a link points to: choose a real folder")
    target = site_dir.resolve()
    if target == root or target in source_dir.parents or target == source_dir or source_dir in target.parents:
        raise UnsafeSiteDir(f"--site-dir {target} would overwrite the OKR sources; choose another folder")
    for label, folder in hand_made.items():
        folder = folder.resolve()
        if target == folder or folder in target.parents or target in folder.parents:
            raise UnsafeSiteDir(f"--site-dir {target} would replace {label} {folder}; choose another folder")
    if ".git" in target.parts or os.path.lexists(target / ".git"):
        raise UnsafeSiteDir(f"--site-dir {target} is or holds a git repository; choose another folder")
    problem = _replaceable_problem(target)
    if problem:
        raise UnsafeSiteDir(f"--site-dir {target} {problem}")
    return target


def _replaceable_problem(folder: Path) -> str | None:
    """Why ``folder`` may not be replaced, or None: it is missing, empty, or a site of ours."""
    if folder.is_symlink():
        return "is a symbolic link; okrs build does not replace what a link points to: choose a real folder"
    if not folder.exists():
        return None
    if not folder.is_dir():
        return "is a file, not a folder: choose an empty or new folder"
    if _is_ours(folder) or not any(folder.iterdir()):
        return None
    return (f"is not a site folder made by okrs build (no {SITE_MARKER} marker): choose an empty or new folder, "
            "or delete it yourself")


def _is_ours(folder: Path) -> bool:
    marker = folder / SITE_MARKER
    return not folder.is_symlink() and folder.is_dir() and marker.is_file() and not marker.is_symlink()


def _link_on_the_way(site_dir: Path, root: Path) -> Path | None:
    """The site folder itself if it is a link, else the first folder on its way inside ``root`` that is one."""
    if site_dir.is_symlink():
        return site_dir
    prefix = Path(site_dir.anchor)
    for part in site_dir.parts[1:-1]:
        prefix = prefix / part
        if part in (".", ".."):
            continue
        real = prefix.parent.resolve() / part  # where this step lands, with the links before it followed
        if (real == root or root in real.parents) and prefix.is_symlink():
            return prefix
    return None


# --- leftovers of a build that was stopped half way ------------------------------------------


def recover_leftovers(site_dir: Path) -> None:
    """Restore the previous site if a build stopped between its two renames; remove our stale folders.

    Only folders that carry the marker and whose build process is gone are touched.
    """
    pattern = re.compile(rf"\.{re.escape(site_dir.name)}\.(building|previous)-(\d+)(?:-.*)?")
    if not site_dir.parent.is_dir():
        return
    stale = []
    for entry in site_dir.parent.iterdir():
        match = pattern.fullmatch(entry.name)
        if match and _is_ours(entry) and not _still_running(int(match.group(2))):
            stale.append((match.group(1), entry))
    previous = sorted((entry for kind, entry in stale if kind == "previous"), key=lambda e: e.stat().st_mtime_ns)
    if previous and not os.path.lexists(site_dir):
        previous.pop().rename(site_dir)
    for entry in previous + [entry for kind, entry in stale if kind == "building"]:
        shutil.rmtree(entry, ignore_errors=True)


def _still_running(pid: int) -> bool:
    if pid <= 0 or pid == os.getpid():  # our own pid on a folder we have not made yet: a reused pid
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OSError:
        return False
    return True


def serve(root: Path, *, dev_addr: str | None) -> None:
    """`mkdocs serve`, which rebuilds when a file under the OKR source changes (the plugin
    watches it)."""
    from mkdocs.commands import serve as mkdocs_serve_module
    from mkdocs.commands.build import build

    from generator.mkdocs.theme_files import remember_theme_files

    _build_dirty()
    # MkDocs' server builds with the build function it imported: dirty, every rebuild
    # renders only the pages that changed (the server's folder keeps the others).
    def dirty_build(config: MkDocsConfig, *, serve_url: str | None = None, dirty: bool = False) -> None:
        build(config, serve_url=serve_url, dirty=True)

    mkdocs_serve_module.build = dirty_build  # type: ignore[assignment]
    remember_theme_files()
    # MkDocs looks for changed files every half second (a scan of every watched file):
    # where the system reports a change, its server hears of it at once.
    from generator.mkdocs.reload_server import QuickerReloadServer

    mkdocs_serve_module.LiveReloadServer = QuickerReloadServer  # type: ignore[assignment]
    mkdocs_serve = mkdocs_serve_module.serve
    _log_to_stderr(logging.INFO)  # "Serving on http://…" and each rebuild
    mkdocs_serve(config_file=str(root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
