"""Run MkDocs for `okrs build` and `okrs serve` (the second MkDocs adapter).

The build goes into a temporary folder beside the site and is swapped in only when it
succeeded, so a failed build leaves the previous site untouched.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

from .loader import Repository
from .report import github_command, log_line


class BuildFailed(Exception):
    """MkDocs could not build the site; the message says why."""


def _quiet_material_banner() -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


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


def build_site(root: Path, site_dir: Path, *, as_of: date, strict: bool, repository: Repository | None) -> float:
    """Build into a temporary folder, then swap it in. Returns the seconds MkDocs took."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _quiet_material_banner()
    _log_to_stderr()
    # Same sources and --as-of, same bytes: dates MkDocs stamps (sitemap) follow --as-of.
    epoch = int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc).timestamp())
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    started = time.perf_counter()
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(staging), strict=strict)
        plugin = config.plugins.get("okrs")
        if plugin is None:
            raise BuildFailed("mkdocs.yml does not enable the okrs plugin: add `- okrs` under `plugins:`")
        plugin.as_of = as_of
        plugin.repository = repository
        build(config)
    except (MkDocsException, BuildFailed, SystemExit) as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(str(err) or "MkDocs failed (see the messages above)") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    elapsed = time.perf_counter() - started
    _swap(staging, site_dir)
    return elapsed


def _swap(staging: Path, site_dir: Path) -> None:
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".{site_dir.name}.previous-{os.getpid()}")
        site_dir.rename(old)
    staging.rename(site_dir)
    staging_mode = 0o755
    site_dir.chmod(staging_mode)  # mkdtemp makes 0700; a site is meant to be served
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def serve(root: Path, *, dev_addr: str | None) -> None:
    """`mkdocs serve`, which rebuilds when a file under the OKR source changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    _quiet_material_banner()
    _log_to_stderr(logging.INFO)  # "Serving on http://…" and each rebuild
    mkdocs_serve(config_file=str(root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
