"""Putting a newly written folder in place of the old one (`okrs build`'s site, `okrs
render`'s folder): two renames, so a reader sees the old folder or the new one, never half;
on failure the old one stays where it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# The file that marks a folder as a site `okrs build` made (and may replace).
SITE_MARKER = ".okrs-site"


def swap_in(staging: Path, target: Path, *, mode: int, keep_old: Path | None = None) -> None:
    """``staging`` becomes ``target`` (with ``mode``); the old ``target``, if any, is removed,
    or with ``keep_old`` renamed to that (unless something is there already).
    The caller has checked that ``target`` may be replaced."""
    old = None
    if os.path.lexists(target):
        # where the old folder waits between the renames (`okrs build` recovers it if killed there)
        old = target.with_name(f".{target.name}.previous-{os.getpid()}")
        target.rename(old)
    try:
        staging.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    target.chmod(mode)
    if old is not None and keep_old is not None and not os.path.lexists(keep_old):
        try:
            old.rename(keep_old)
            return
        except OSError:
            pass
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
