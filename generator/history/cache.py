"""Keep a history walk between runs, and go on from where it stopped.

After a walk, its ``HistoryState`` is saved with the commit it reached. The next run
restores it and walks only the commits made since, when the new HEAD descends from that
commit along the first-parent chain; otherwise (a rewritten history, a force push,
another branch) it walks from the start. Either way the History is the same as a walk
from the start would give: the tests and the benchmark compare them.

The state is stored field by field, after the dataclass's own fields and type hints
(``records.py``): a field added to ``HistoryState`` is saved and restored with no change
here.
"""

from __future__ import annotations

import typing
from dataclasses import Field, fields
from datetime import tzinfo
from typing import Any, Mapping

from generator.config import Config
from generator.history.records import BAD_RECORD, SHARED, ObjectivePool, Tables, from_record, layout, to_record
from generator.history.state import HistoryState
from generator.model.core import Objective
from generator.reading import schemas
from generator.reading.pipeline import FileCheck
from generator.runtime.cache import Store, digest

HISTORY = "history"


def cache_key(config: Config, shared: FileCheck, *, source: str, root: str) -> str:
    """What a walk depends on besides the commits: where the OKRs are, the weeks' time
    zone, and what decides which historic files parse: the schema and the options the
    rules of one file read (``shared.options_key``)."""
    schema = schemas.schema_path(config.root, schemas.OBJECTIVE).read_bytes()
    return digest(source, root, config.timezone, schema, *shared.options_key())


def save(store: Store, key: str, state: HistoryState, head: str) -> bool:
    tables = Tables()
    saved = {f.name: to_record(_saved(state, f.name), hint, tables) for f, hint in _fields()}
    record = {"head": head, "layout": _LAYOUT, "tables": tables.as_record(), "state": saved}
    return store.save(HISTORY, key, record)


def restore(store: Store, key: str, *, tz: tzinfo, pool: ObjectivePool | None = None
            ) -> tuple[HistoryState, str] | None:
    """The saved state and the commit it reached; None when there is no usable one. Its
    objectives equal to one in ``pool`` are that one (the loader's: most are the same)."""
    record = store.load(HISTORY, key)
    if not isinstance(record, dict):
        return None
    try:
        head, saved = record["head"], record["state"]
        if not isinstance(head, str) or record["layout"] != _LAYOUT or not isinstance(saved, dict):
            return None
        tables = Tables(tz, pool=pool)
        tables.read(record["tables"])
        state = HistoryState(**{f.name: _restored(f.name, from_record(saved[f.name], hint, tables))
                                for f, hint in _fields()})
    except BAD_RECORD:
        return None
    return state, head


def _fields() -> list[tuple[Field, Any]]:
    """Each field of the state with its type hint (as saved)."""
    return [(f, _HINTS[f.name]) for f in fields(HistoryState)]


# The snapshots are saved as what each changed from the one before: the objectives of the
# lineages that changed or came, and the lineages that went. In full, ten years of weekly
# snapshots of an organisation hold each objective hundreds of times. (A snapshot whose
# order that would not give back, a lineage gone and back within a week, is saved whole:
# "whole" true, and its objectives in their order.)
SnapshotChanges = tuple[tuple[Mapping[int, Objective], tuple[int, ...], bool], ...]


def _saved(state: HistoryState, name: str) -> Any:
    if name != "snapshots":
        return getattr(state, name)
    changes: list[tuple[dict[int, Objective], tuple[int, ...], bool]] = []
    before: dict[int, Objective] = {}
    for snapshot in state.snapshots:
        changed = {lineage: o for lineage, o in snapshot.items() if before.get(lineage, _NONE) is not o}
        gone = tuple(lineage for lineage in before if lineage not in snapshot)
        if list(_applied(before, changed, gone)) == list(snapshot):
            changes.append((changed, gone, False))
        else:
            changes.append((dict(snapshot), (), True))
        before = snapshot
    return tuple(changes)


def _restored(name: str, value: Any) -> Any:
    if name != "snapshots":
        return value
    snapshots, before = [], {}
    for changed, gone, whole in value:
        before = dict(changed) if whole else _applied(before, changed, gone)
        snapshots.append(before)
    return tuple(snapshots)


def _applied(before: Mapping[int, Objective], changed: Mapping[int, Objective], gone: tuple[int, ...]
             ) -> dict[int, Objective]:
    snapshot = {**before, **changed}
    for lineage in gone:
        del snapshot[lineage]  # one that is not there: a KeyError, a bad record
    return snapshot


_NONE = object()
_HINTS = {**typing.get_type_hints(HistoryState), "snapshots": SnapshotChanges}
_LAYOUT = layout(HistoryState, *SHARED)  # what the records are lists of
