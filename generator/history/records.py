"""Model and history values as plain JSON, and back: the format of the caches.

Generic: a value is written after its type hint, read from the dataclass's fields. A
dataclass becomes the list of its fields in order (its length is that of ``fields()``),
a tuple or set a list, a mapping a list of [key, value] pairs, a date or time ISO text,
a week the date it starts on. Values that many places share (commits, objectives,
changes) can be stored once, in tables, and named by their index there. A record that
does not fit its type raises (TypeError, ValueError, ...): the cache then treats the
whole file as missing. Times come back in the configured time zone, exactly as the
history made them.
"""

from __future__ import annotations

import collections.abc
import marshal
import math
import types
import typing
from dataclasses import fields, is_dataclass
from datetime import date, datetime, tzinfo
from functools import lru_cache, partial
from operator import attrgetter
from typing import Any, Callable, Mapping

from generator.history.diff import Change, CommitInfo
from generator.history.values import Week
from generator.model.core import Objective
from generator.reading.findings import Finding

# Errors a bad record can raise while it is read back (OverflowError: a date past 9999
# once in the configured zone; RecursionError: a nesting bomb).
BAD_RECORD = (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError, RecursionError)

# Kept once per file in a table each, in this order (a change names its commits).
SHARED = (CommitInfo, Objective, Change)


class Tables:
    """The values stored once: while writing, each new one gets the next index (by
    identity: snapshots share objectives, changes share commits); while reading, the
    tables are read first, in SHARED order."""

    def __init__(self, tz: tzinfo | None = None, *, shared: tuple[type, ...] = SHARED,
                 pool: ObjectivePool | None = None) -> None:
        self.tz = tz
        self.shared = shared
        self.pool = pool  # the objectives read already: their rows are read as those objects
        self.rows: dict[str, list] = {cls.__name__: [] for cls in shared}
        self._index: dict[int, int] = {}
        self._keep: list[Any] = []  # keeps the objects alive, so that no id() is reused meanwhile

    def index(self, value: Any) -> int:
        key = id(value)
        if key not in self._index:
            self._keep.append(value)
            row = _fields_record(type(value), value, self)
            table = self.rows[type(value).__name__]
            self._index[key] = len(table)
            table.append(row)
        return self._index[key]

    def as_record(self) -> dict[str, list]:
        return self.rows

    def read(self, record: Any) -> None:
        """Read the tables of ``record`` (as ``as_record`` wrote them)."""
        record = _dict(record)
        for cls in self.shared:
            read = self.pool.read if cls is Objective and self.pool is not None else partial(_from_fields, cls)
            self.rows[cls.__name__] = [read(row, self) for row in _list(record[cls.__name__])]


def to_record(value: Any, hint: Any, tables: Tables | None = None) -> Any:
    """``value`` (of type ``hint``) as JSON data; shared values go into ``tables``."""
    return _writer(hint)(value, tables)


def from_record(record: Any, hint: Any, tables: Tables | None = None) -> Any:
    """The value of type ``hint`` that ``record`` holds; raises one of BAD_RECORD if it holds none."""
    return _reader(hint)(record, tables)


def layout(*classes: type) -> dict[str, list[str]]:
    """The fields of each dataclass, by name: saved beside the records, so that a record
    written for other fields is never read as these."""
    found: dict[str, list[str]] = {}

    def visit(cls: type) -> None:
        if cls.__name__ in found:
            return
        found[cls.__name__] = [f.name for f in fields(cls)]
        for hint in _hints(cls).values():
            for inner in _dataclasses_in(hint):
                visit(inner)

    for cls in classes:
        visit(cls)
    return dict(sorted(found.items()))


class ObjectivePool:
    """The objectives one build read from its caches, by their record (``_key_of``).

    The loader's cache, the history's and the site model's hold the same objectives (at
    ten closed years, thousands of them each): an objective whose record equals one read
    or written before in this build is that object, not a copy decoded again, and the
    record an object was read from is the one written for it again. Equal records give
    equal objects, so what any cache gives back is as before.
    """

    def __init__(self) -> None:
        self._objects: dict[bytes, Objective] = {}
        self._records: dict[int, list] = {}  # by id() of an object held in _objects (no id is reused)

    def __len__(self) -> int:
        return len(self._objects)

    def add(self, objective: Objective, record: list) -> None:
        """``record`` is ``objective_record(objective)`` (not changed afterwards)."""
        key = _key_of(record)
        if key not in self._objects:
            self._objects[key] = objective
            self._records[id(objective)] = record

    def read(self, record: Any, tables: Tables | None = None) -> Objective:
        """The objective ``record`` holds (raises one of BAD_RECORD if it holds none)."""
        key = _key_of(record)
        found = self._objects.get(key)
        if found is None:
            found = self._objects[key] = _from_fields(Objective, record, tables)
            self._records[id(found)] = record
        return found

    def record(self, objective: Objective) -> list:
        """``objective_record(objective)``: the record it was read from or added with, if any."""
        kept = self._records.get(id(objective))
        return kept if kept is not None else objective_record(objective)


def _key_of(record: Any) -> bytes:
    """A record's key in the pool: the same bytes for equal records only, types and all.
    marshal's version 2 writes no references, so the bytes do not depend on which values
    happen to be shared; 2.3 times as quick as JSON text (at ten closed years
    300,000 records a build). Written only, never read back."""
    try:
        return marshal.dumps(record, 2)
    except (ValueError, RecursionError) as err:  # not made of JSON's values: no objective either
        raise TypeError(f"not a record: {err}") from None


# -- what the loader's cache uses -------------------------------------------------------------


def objective_record(objective: Objective) -> list:
    return to_record(objective, Objective)


def objective_from_record(record: Any) -> Objective:
    return from_record(record, Objective)


def finding_record(finding: Finding) -> list:
    return to_record(finding, Finding)


def finding_from_record(record: Any) -> Finding:
    return from_record(record, Finding)


# -- writers and readers, made once per type hint ---------------------------------------------

_PLAIN = (str, int, float, bool, type(None))
_MAPPINGS = (Mapping, dict, collections.abc.Mapping)
Writer = Callable[[Any, "Tables | None"], Any]
Reader = Callable[[Any, "Tables | None"], Any]


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@lru_cache(maxsize=None)
def _writer(hint: Any) -> Writer:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint in _PLAIN or hint is Any:
        return _as_is
    if hint is date:
        return lambda value, tables: value.isoformat()
    if hint is datetime:
        return lambda value, tables: value.isoformat()
    if hint is Week:
        return lambda value, tables: value.start.isoformat()
    if origin in (typing.Union, types.UnionType):
        arms = [arm for arm in args if arm is not type(None)]
        if all(arm in _PLAIN for arm in arms):  # JSON has them as they are
            return _as_is
        if len(arms) != 1:
            raise TypeError(f"no record for values of type {hint!r}")
        write = _writer(arms[0])
        return lambda value, tables: None if value is None else write(value, tables)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _writer(args[0])
        return lambda value, tables: [item(v, tables) for v in value]
    if origin is tuple:
        items = [_writer(arg) for arg in args]
        return lambda value, tables: [write(v, tables) for write, v in zip(items, value, strict=True)]
    if origin is frozenset:
        item = _writer(args[0])
        return lambda value, tables: sorted(item(v, tables) for v in value)
    if origin in _MAPPINGS:
        key, val = _writer(args[0]), _writer(args[1])
        return lambda value, tables: [[key(k, tables), val(v, tables)] for k, v in value.items()]
    if is_dataclass(hint):
        if hint in SHARED:
            return lambda value, tables: tables.index(value) if tables is not None else _fields_record(hint, value, None)
        return lambda value, tables: _fields_record(hint, value, tables)
    raise TypeError(f"no record for values of type {hint!r}")


def _as_is(value: Any, tables: Tables | None) -> Any:
    return value


def _fields_record(cls: type, value: Any, tables: Tables | None) -> list:
    values, writers = _field_writers(cls)
    return [field if write is _as_is else write(field, tables) for write, field in zip(writers, values(value))]


@lru_cache(maxsize=None)
def _field_writers(cls: type) -> tuple[Callable[[Any], tuple], tuple[Writer, ...]]:
    """A dataclass's field values as a tuple (one call), and the writer of each."""
    hints, found = _hints(cls), fields(cls)
    names = [f.name for f in found]
    if len(names) > 1:
        values = attrgetter(*names)
    else:  # attrgetter of one name gives the value, not a tuple; of none, an error
        values = (lambda value: (getattr(value, names[0]),)) if names else (lambda value: ())
    return values, tuple(_writer(hints[name]) for name in names)


@lru_cache(maxsize=None)
def _reader(hint: Any) -> Reader:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is str:
        return lambda record, tables: record if type(record) is str else _str(record)
    if hint is float:  # a finite float as it is (the common case), else number's checks
        return lambda record, tables: record if type(record) is float and math.isfinite(record) else number(record)
    simple = _SIMPLE.get(hint)
    if simple is not None:
        return lambda record, tables: simple(record)
    if hint is datetime:
        return lambda record, tables: datetime.fromisoformat(_str(record)).astimezone(tables.tz if tables else None)
    if origin in (typing.Union, types.UnionType):
        arms = [_reader(arm) for arm in args if arm is not type(None)]
        optional = type(None) in args
        # When every arm is text, a whole number or null, a record of one of these exact
        # types is the value itself (an int, not a bool); any other goes through the arms,
        # which refuse it. Other unions (a float's finiteness, a date that is also text)
        # always go through the arms, in order.
        exact = frozenset(args)
        if exact <= {str, int, type(None)}:
            return lambda record, tables: record if type(record) in exact else _first_fit(arms, record, tables)
        if len(arms) == 1:  # one type or null (the most common union): no arms to try in turn
            read = arms[0]
            if optional:
                return lambda record, tables: None if record is None else read(record, tables)
            return read
        return lambda record, tables: None if record is None and optional else _first_fit(arms, record, tables)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _reader(args[0])
        return lambda record, tables: tuple(item(r, tables) for r in _list(record))
    if origin is tuple:
        items = [_reader(arg) for arg in args]
        return lambda record, tables: tuple(read(r, tables) for read, r in zip(items, _list(record), strict=True))
    if origin is frozenset:
        item = _reader(args[0])
        return lambda record, tables: frozenset(item(r, tables) for r in _list(record))
    if origin in _MAPPINGS:
        key, val = _reader(args[0]), _reader(args[1])
        return lambda record, tables: {key(k, tables): val(v, tables) for k, v in map(_pair, _list(record))}
    if is_dataclass(hint):
        if hint in SHARED:
            return lambda record, tables: (tables.rows[hint.__name__][_int(record)] if tables is not None
                                           else _from_fields(hint, record, None))
        return lambda record, tables: _from_fields(hint, record, tables)
    raise TypeError(f"no record for values of type {hint!r}")


def _first_fit(arms: list[Reader], record: Any, tables: Tables | None) -> Any:
    for read in arms[:-1]:
        try:
            return read(record, tables)
        except BAD_RECORD:
            continue
    return arms[-1](record, tables)


def _from_fields(cls: type, record: Any, tables: Tables | None) -> Any:
    names, readers, positional = _field_readers(cls)
    values = _list(record)
    if len(values) != len(names):
        raise ValueError(f"a {cls.__name__} has {len(names)} fields, not {len(values)}")
    if positional:  # the fields are __init__'s parameters, in order: the fastest call
        return cls(*[read(value, tables) for read, value in zip(readers, values)])
    return cls(**{name: read(value, tables) for name, read, value in zip(names, readers, values)})


@lru_cache(maxsize=None)
def _field_readers(cls: type) -> tuple[tuple[str, ...], tuple[Reader, ...], bool]:
    """A dataclass's field names, the reader of each, and whether all are __init__'s in order."""
    hints, found = _hints(cls), fields(cls)
    return (tuple(f.name for f in found), tuple(_reader(hints[f.name]) for f in found),
            all(f.init and not f.kw_only for f in found))


def _dataclasses_in(hint: Any) -> list[type]:
    if is_dataclass(hint) and hint is not Week:
        return [hint]
    return [cls for arg in typing.get_args(hint) for cls in _dataclasses_in(arg)]


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, not {type(value).__name__}")
    return value


def _dict(value: Any) -> dict:
    if not isinstance(value, dict):
        raise TypeError(f"expected a mapping, not {type(value).__name__}")
    return value


def _pair(value: Any) -> list:
    pair = _list(value)
    if len(pair) != 2:
        raise ValueError("expected a [key, value] pair")
    return pair


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, not {type(value).__name__}")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, not {type(value).__name__}")
    return value


def number(value: Any) -> float:
    """A finite int or float (never a bool, which Python counts as an int)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TypeError(f"expected a finite number, not {value!r:.40}")
    return value


def _value(value: Any) -> Any:
    """A field's value in a change: a number, text, true/false, null or a list of text."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, list):
        return [_str(item) for item in value]
    return number(value)


def _none(value: Any) -> None:
    if value is not None:
        raise TypeError("expected null")
    return None


_SIMPLE: dict[Any, Callable[[Any], Any]] = {
    str: _str, int: _int, float: number, bool: _bool, type(None): _none, Any: _value,
    date: lambda value: date.fromisoformat(_str(value)),
    Week: lambda value: Week.of(date.fromisoformat(_str(value))),
}
