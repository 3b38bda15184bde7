"""Findings as text, GitHub workflow commands, or JSON: data in, a string out.

Everything we print passes through here to be made harmless for where it goes: a value
read from a file or a commit may hold a line break (a YAML key can), a terminal escape
or a bidi override. In text it is shown as a visible escape (``\\x1b``, ``\\u202e``), so a
message stays one line, a terminal never acts on it, and a CI log never reads a line of
it as a workflow command (``::error::``, ``::stop-commands::``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.reading.findings import Finding

FORMATS = ("text", "github", "json")

# What a terminal, a CI log or a viewer acts on instead of showing: C0 controls, DEL, C1
# controls, the Unicode line and paragraph separators, and the bidi embeddings,
# overrides and isolates that reorder the text around them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CR_LF = "\r\n"  # what a workflow command escapes as %0D %0A
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# The same, minus what JSON escapes by itself (C0): the JSON stays the same data.
_JSON_UNESCAPED = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_char(char: str) -> str:
    """One control character as visible text: \\n, \\x1b, \\u202e."""
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def visible(text: str, *, keep: str = "") -> str:
    """``text`` with every control character but those in ``keep`` shown as an escape."""
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else escape_char(m.group()), text)


def one_line(text: str) -> str:
    """``text`` as a single line with nothing a terminal or a CI log acts on."""
    return visible(text)


def render_findings(findings: list[Finding], fmt: str) -> str:
    findings = sorted(findings)
    if fmt == "json":
        return dump_json([f.as_dict() for f in findings])
    if fmt == "github":
        return "".join(github_command(f) + "\n" for f in findings)
    # One finding per line, even when a message quotes a value with a line break in it.
    return "".join(finding_text(f) + "\n" for f in findings)


def finding_text(finding: Finding) -> str:
    """``path:line:col: severity[code]: message``, one line."""
    return (f"{one_line(finding.path)}:{finding.line}:{finding.column}: "
            f"{finding.severity}[{finding.code}]: {one_line(finding.message)}")


def warning_line(finding: Finding, *, github: bool) -> str:
    """A warning of diff, changelog or build as the one line printed for it: a workflow
    command in GitHub Actions (an annotation), else ``okrs: path:line:col: ...``."""
    return github_command(finding) if github else f"okrs: {finding_text(finding)}"


def log_line(level: str, message: str, *, github: bool) -> str:
    """A line of MkDocs' log (its messages may quote file names and nav titles): one line;
    a warning in GitHub Actions becomes a ``::warning::`` command with its data escaped."""
    if github and level == "WARNING":
        return f"::warning::{_escape_data(visible(message, keep=_CR_LF))}"
    return f"{level:<7} -  {one_line(message)}"


def github_command(finding: Finding) -> str:
    """A workflow command that annotates the line of the pull request's diff."""
    level = "error" if finding.severity == "error" else "warning"
    props = ",".join(
        f"{name}={_escape_property(visible(str(value)))}"
        for name, value in (("file", finding.path), ("line", finding.line), ("col", finding.column),
                            ("title", f"okrs {finding.code}"))
    )
    # A line break in a message is an escaped line break of the annotation (%0A), never a new log line.
    return f"::{level} {props}::{_escape_data(visible(finding.message, keep=_CR_LF))}"


# GitHub shows at most 10 error and 10 warning annotations of a step and drops the rest
# without a word: we choose which ten, and say how many more there are.
ANNOTATIONS_PER_LEVEL = 10


def github_annotations(findings: list[Finding], *, changed: frozenset[str] = frozenset(),
                       limit: int = ANNOTATIONS_PER_LEVEL, summary: bool = False) -> str:
    """At most ``limit`` ``::error`` and ``limit`` ``::warning`` commands, findings in the
    ``changed`` files first, then one ``::notice`` for the rest: where to read them (the job
    summary when there is one, else the plain lines that follow it in the log)."""
    ordered = sorted(findings, key=lambda f: (f.path not in changed, f))
    shown, hidden = [], []
    counts = {"error": 0, "warning": 0}
    for finding in ordered:
        level = "error" if finding.severity == "error" else "warning"
        if counts[level] < limit:
            counts[level] += 1
            shown.append(finding)
        else:
            hidden.append(finding)
    lines = [github_command(f) for f in shown]
    if hidden:
        more = f"{len(hidden)} more finding{'s' if len(hidden) != 1 else ''}"
        if summary:
            lines.append(f"::notice::{more}: see the job summary")
        else:
            lines.append(f"::notice::{more} (GitHub shows {limit} annotations of each level): see the log")
            lines.extend(finding_text(f) for f in sorted(hidden))
    return "".join(line + "\n" for line in lines)


def summary_table(findings: list[Finding], *, files: int, heading: str = "okrs check") -> str:
    """Every finding as a Markdown table for the job summary (``GITHUB_STEP_SUMMARY``)."""
    if not findings:
        return f"### {heading}\n\n{summary_line(findings, files)}\n"
    rows = ["| File | Line | Severity | Code | Message |", "| --- | --- | --- | --- | --- |"]
    rows += [f"| {_cell(f.path)} | {f.line}:{f.column} | {_cell(f.severity)} | {_cell(f.code)} | {_cell(f.message)} |"
             for f in sorted(findings)]
    return f"### {heading}\n\n{summary_line(findings, files)}\n\n" + "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    """A table cell: one line (line breaks shown as \\n), its ``|`` escaped, and no HTML
    the summary would render (a value is data, never markup)."""
    text = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def dump_json(data: Any) -> str:
    """Indented JSON that keeps non-ASCII text readable, but writes the characters a
    terminal would act on (DEL, C1, bidi controls) as \\u escapes: the same data."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def summary_line(findings: list[Finding], files: int) -> str:
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    return f"{files} file{'s' if files != 1 else ''} checked: {errors} error{'s' if errors != 1 else ''}, " \
           f"{warnings} warning{'s' if warnings != 1 else ''}"
