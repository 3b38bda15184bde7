"""The registry of key-result types: a type's name (the ``type`` field) -> its rules.

Adding a type is a module here, one line below, and its branch in
schema/objective.schema.json (tests/unit/test_key_result_types.py checks they agree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.model.types.base import (FieldChange, KeyResultType, ValuePart, ValuesView,  # noqa: F401 - the API
                                        by_progress)
from generator.model.types.maintain import Maintain
from generator.model.types.metric import Metric
from generator.model.types.milestone import Milestone

if TYPE_CHECKING:
    from generator.model.core import KeyResult

DEFAULT_TYPE = "metric"  # a key result without a `type` field
TYPES: dict[str, KeyResultType] = {kind.name: kind for kind in (Metric(), Milestone(), Maintain())}


def type_of(kr: KeyResult) -> KeyResultType:
    """The rules of a key result's type (an unknown name, which the schema refuses,
    follows the default type, as the schema then also does)."""
    return TYPES.get(kr.type) or TYPES[DEFAULT_TYPE]


def type_change_direction(before: KeyResult, after: KeyResult) -> str | None:
    """A new way of measuring: "eased" or "raised" by the progress it gives (a
    milestone's done counts as its progress)."""
    return by_progress(before.progress, after.progress)


def foreign_fields(type_name: str) -> list[str]:
    """The fields other types use and this one does not, in registry then schema order."""
    own = set(TYPES[type_name].fields if type_name in TYPES else TYPES[DEFAULT_TYPE].fields)
    seen: list[str] = []
    for kind in TYPES.values():
        seen += [name for name in kind.fields if name not in own and name not in seen]
    return seen
