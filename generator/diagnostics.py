"""Findings: what `okrs check` reports, as plain data."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place. Ordered by file, then line, then column."""

    path: str
    line: int
    column: int
    severity: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def has_errors(findings: list[Finding], *, strict: bool = False) -> bool:
    """True when the findings should fail a check (warnings count under --strict)."""
    return any(f.severity == ERROR or strict for f in findings)
