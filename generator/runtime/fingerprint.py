"""A digest of a value that is the same in every process: for telling, in a later run,
whether what a result was made of has changed (``site.saved_model``).

The value is written as canonical JSON: a dataclass as its class name and fields, a set
in sorted order, a date as ISO text, a mapping with its keys sorted. Python's ``hash``
would not do: it differs between processes for text. A value this cannot write in full
(an object of another kind, a mapping with keys that are not text) gets a digest of its
own, equal to nothing: the caller then makes its result again, never reuses a wrong one.
"""

from __future__ import annotations

import io
import json
import pickle
import uuid
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from generator.runtime.cache import digest


def fingerprint(value: Any) -> str:
    """A short digest of ``value``, equal for equal values in any process."""
    try:
        text = json.dumps(value, default=_plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return f"unique:{uuid.uuid4().hex}"  # not writable in full: equal to nothing
    return digest(text)


def _plain(value: Any) -> Any:
    """What JSON cannot write by itself, as what it can."""
    names = _field_names(type(value))
    if names is not None:
        return [type(value).__qualname__, *map(value.__getattribute__, names)]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(v, default=_plain, sort_keys=True, ensure_ascii=False) for v in value)
    if isinstance(value, (datetime, date)):
        return [type(value).__name__, value.isoformat()]
    if isinstance(value, PurePath):
        return ["path", value.as_posix()]
    if isinstance(value, Enum):
        return [type(value).__qualname__, value.name]
    raise TypeError(f"no fingerprint for {type(value).__name__}")


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names (None for any other class)."""
    return tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None


def quick_fingerprint(value: Any) -> str:
    """A digest of ``value`` three times faster than ``fingerprint``, for the values a page
    is rendered from: written with pickle (only hashed, never read back), without its memo
    (so that shared and equal objects write alike), a dataclass as its class and fields.
    Equal digests mean equal values; equal values may still differ (a set's order varies
    between processes), which only costs rendering the page again."""
    buffer = io.BytesIO()
    writer = _FieldsPickler(buffer, protocol=5)
    writer.fast = True  # no memo: the bytes depend on the values, not on which objects are shared
    try:
        writer.dump(value)
    except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
        return f"unique:{uuid.uuid4().hex}"  # a function, a recursive value: equal to nothing
    return digest(buffer.getvalue())


class _FieldsPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        names = _field_names(type(obj))
        if names is None or isinstance(obj, type):
            return NotImplemented
        # The fields only: not what a cached property left in the instance's __dict__.
        return type(obj), tuple(map(obj.__getattribute__, names))
