"""An objective file as the rules see it, and the small readings every rule shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from generator.reading.findings import ERROR, Finding
from generator.reading.frontmatter import Document


@dataclass(frozen=True)
class ObjectiveSource:
    """One objective file as read: its id, its path for messages, its located data."""

    id: str
    path: str
    document: Document


def text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def key_results(data: dict) -> Iterator[tuple[int, dict]]:
    krs = data.get("key_results")
    for index, kr in enumerate(krs if isinstance(krs, list) else []):
        if isinstance(kr, dict):
            yield index, kr


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def finding_at(source: ObjectiveSource, path: tuple, code: str, message: str, severity: str = ERROR,
        *, key: bool = False) -> Finding:
    doc = source.document
    line, column = doc.key_at(path) if key else doc.value_at(path)
    return Finding(source.path, line, column, severity, code, message)


def period_text(data: dict) -> str | None:
    """The objective's `period` as text (a bare year is read by YAML as a number)."""
    raw = data.get("period")
    return str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else text_or_none(raw)
