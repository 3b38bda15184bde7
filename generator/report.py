"""Findings as text, GitHub workflow commands, or JSON: data in, a string out."""

from __future__ import annotations

import json

from .diagnostics import Finding

FORMATS = ("text", "github", "json")


def render_findings(findings: list[Finding], fmt: str) -> str:
    findings = sorted(findings)
    if fmt == "json":
        return json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return "".join(github_command(f) + "\n" for f in findings)
    # One finding per line, even when a message quotes a value with a line break in it.
    return "".join(f"{f.path}:{f.line}:{f.column}: {f.severity}[{f.code}]: {_one_line(f.message)}\n"
                   for f in findings)


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


def github_command(finding: Finding) -> str:
    """A workflow command that annotates the line of the pull request's diff."""
    level = "error" if finding.severity == "error" else "warning"
    props = ",".join(
        f"{name}={_escape_property(str(value))}"
        for name, value in (("file", finding.path), ("line", finding.line), ("col", finding.column),
                            ("title", f"okrs {finding.code}"))
    )
    return f"::{level} {props}::{_escape_data(finding.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def summary_line(findings: list[Finding], files: int) -> str:
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    return f"{files} file{'s' if files != 1 else ''} checked: {errors} error{'s' if errors != 1 else ''}, " \
           f"{warnings} warning{'s' if warnings != 1 else ''}"
