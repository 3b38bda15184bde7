"""Tests that need something this machine may lack: skipped locally, failed in CI.

CI (``CI`` set) must run the browser, parallel and workflow-linter tests, not skip them
unnoticed; on a developer's machine without Chromium they skip with the reason.
"""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def required_in_ci(reason: str, *, what: str = "these tests") -> None:
    """Skip with ``reason`` locally; in CI fail with it instead (never returns)."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set: {what} are required there)", pytrace=False)
    pytest.skip(reason)
