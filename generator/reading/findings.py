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


# A hostile file could otherwise print megabytes of findings; no one reads past the first.
MAX_FINDINGS_PER_FILE = 100


def capped(findings: list[Finding], *, limit: int = MAX_FINDINGS_PER_FILE) -> list[Finding]:
    """The first ``limit`` findings of one file in report order, then one finding that says
    how many more there are (an error if any of those is)."""
    if len(findings) <= limit:
        return findings
    ordered = sorted(findings)
    shown, hidden = ordered[:limit], ordered[limit:]
    first = hidden[0]
    severity = ERROR if any(f.severity == ERROR for f in hidden) else WARNING
    return shown + [Finding(first.path, first.line, first.column, severity, "too-many-problems",
                            f"{len(hidden):,} more problems in this file are not shown; "
                            "fix the ones above and check again")]


class YamlProblem(Exception):
    """A problem that stops reading one file: located, with a rule code."""

    def __init__(self, line: int, column: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.code, self.message = line, column, code, message

    def finding(self, path: str) -> Finding:
        return Finding(path, self.line, self.column, ERROR, self.code, self.message)
