"""The one error every command may raise for bad arguments or environment: exit 2 with its message."""

from __future__ import annotations


class UsageError(Exception):
    """Bad arguments or environment: exit 2 with the message."""
