"""`okrs checkin`: change a key result's check-in fields in its file, touching nothing else.

Text in, text out. The edit uses the positions of the YAML nodes that `okrs check`
itself reads (reading/frontmatter.py), not a round-trip YAML library: a round-trip
dumper re-emits the whole front matter (its own indentation of lists, spacing, line
width, quoting), so "byte-identical elsewhere" would hold only for files that happen to
look like its output. Replacing the value's characters in place keeps every other byte
by construction, including comments after the value, CRLF line endings and a BOM, and
the parser that finds the value is the one that judges the result.

Each new value is written in the plainest form that reads back as exactly that value
(plain, else single-quoted, else double-quoted with escapes); the result is read back
and checked with the same schema and rules as `okrs check` before anyone writes it.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass
from typing import Any

import yaml

from generator.model.core import percent
from generator.model.types.metric import unit_suffix
from generator.reading.findings import ERROR, Finding
from generator.reading.frontmatter import Document, YamlProblem, parse_yaml, split_front_matter
from generator.reading.pipeline import FileCheck, check_bytes
from generator.reading.suggestions import did_you_mean

# The fields a check-in may change, in the order they are added when missing.
FIELDS = ("current", "done", "confidence", "note")


class CheckinRefused(Exception):
    """The check-in cannot be applied to this file (a field that its type does not have, a
    file shape it cannot edit in place): the message says what to do."""


class UnknownKeyResult(CheckinRefused):
    """No key result of that id in the objective (the message suggests one)."""


class UnreadableFile(CheckinRefused):
    """The file's front matter does not read: `okrs check` says why."""


@dataclass(frozen=True)
class CheckinValues:
    """What the owner reports; None leaves a field as it is."""

    current: int | float | None = None
    done: bool | None = None
    confidence: int | float | None = None
    note: str | None = None

    def given(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS if getattr(self, name) is not None}


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: Any  # None when the field was absent
    after: Any


@dataclass(frozen=True)
class CheckinEdit:
    """The file's new text and what changed in it (empty when every value was already so)."""

    text: str
    key_result: str
    title: str
    unit: str | None
    changes: tuple[FieldChange, ...]


def edit_key_result(text: str, *, key_result: str, values: CheckinValues) -> CheckinEdit:
    """``text`` (a whole objective file, as read: BOM, CRLF kept) with the given fields of
    ``key_result`` set. Raises CheckinRefused."""
    document = _read(text)
    node, data = _key_result_node(document, key_result)
    kind = data.get("type", "metric")
    if values.done is not None and kind != "milestone":
        raise CheckinRefused(f"key result '{key_result}' is a {kind} key result: give --current, not --done")
    if values.current is not None and kind == "milestone":
        raise CheckinRefused(f"key result '{key_result}' is a milestone: give --done true|false, not --current")
    if values.note is not None:
        _check_note(values.note)
    lines = _Lines(text)
    changes, additions = [], []
    fields = {key.value: (key, value) for key, value in node.value}
    replacements = []
    for name, wanted in values.given().items():
        before = data.get(name)
        if name in fields and _same(before, wanted):
            continue
        rendered = render_scalar(wanted, in_flow=bool(node.flow_style))
        changes.append(FieldChange(name, before if name in fields else None, wanted))
        if name in fields:
            replacements.append(_replacement(lines, *fields[name], rendered))
        else:
            additions.append((name, rendered))
    if additions:
        replacements.append(_addition(lines, node, additions))
    # From the end of the file backwards, so that earlier positions stay right.
    for start, end, new in sorted(replacements, key=lambda r: r[0], reverse=True):
        text = text[:start] + new + text[end:]
    _verify(text, document.data, key_result, {c.name: c.after for c in changes})
    unit = data.get("unit")
    return CheckinEdit(text, key_result, str(data.get("title", key_result)),
                       unit if isinstance(unit, str) else None, tuple(changes))


def _verify(new_text: str, old_data: Any, key_result: str, changed: dict[str, Any]) -> None:
    """The new front matter reads as the old one with exactly these fields changed: a
    guard for every shape of file this module did not foresee."""
    expected = json.loads(_canonical(old_data))
    for kr in expected["key_results"]:
        if isinstance(kr, dict) and kr.get("id") == key_result:
            kr.update(changed)
    try:
        got = _read(new_text).data
    except UnreadableFile:
        got = None
    if _canonical(got) != _canonical(expected):
        raise CheckinRefused(f"cannot change key result '{key_result}' in place without changing something else "
                             "in the file; edit it by hand")


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, default=repr, ensure_ascii=False)


def key_result_ids(text: str) -> list[str]:
    """The key result ids of a file, in order (for "did you mean")."""
    data = _read(text).data
    krs = data.get("key_results") if isinstance(data, dict) else None
    return [kr["id"] for kr in krs or [] if isinstance(kr, dict) and isinstance(kr.get("id"), str)]


def checkin_findings(raw: bytes, *, ident: str, path: str, shared: FileCheck) -> list[Finding]:
    """What `okrs check` finds in this one file: the check pipeline (schema and the rules
    of the file itself).

    A check-in changes no id, parent or path, so the rules across files cannot change
    with it; they are not run again here.
    """
    return sorted(check_bytes(raw, ident=ident, path=path, shared=shared).findings)


def errors_in(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


# -- saying what changed ---------------------------------------------------------------

def shown(name: str, value: Any, *, unit: str | None = None) -> str:
    """A field's value as people read it: confidence in percent, done as words."""
    if value is None:
        return "none"
    if name == "confidence" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{percent(value)}%"
    if name == "done":
        return "done" if value is True else "not done"
    if name == "current" and unit:
        return f"{value}{unit_suffix(unit)}"
    return str(value)


def headline(edit: CheckinEdit) -> str:
    """"TITLE: OLD → NEW" for the value the check-in is about (its progress if it changed)."""
    by_name = {change.name: change for change in edit.changes}
    for name in ("current", "done", "confidence"):
        if name in by_name:
            change = by_name[name]
            label = "confidence " if name == "confidence" else ""
            return (f"{edit.title}: {label}{shown(name, change.before, unit=edit.unit)} → "
                    f"{shown(name, change.after, unit=edit.unit)}")
    return f"{edit.title}: note updated"


def describe(edit: CheckinEdit) -> str:
    """Every change of one check-in, in one line: "current 340 ms → 480 ms, confidence 75% → 70%, note: …"."""
    parts = []
    for change in edit.changes:
        if change.name == "note":
            parts.append(f"note: {change.after}")
        else:
            parts.append(f"{change.name} {shown(change.name, change.before, unit=edit.unit)} → "
                         f"{shown(change.name, change.after, unit=edit.unit)}")
    return ", ".join(parts)


def commit_message(edits: list[CheckinEdit]) -> str:
    """"Check-in: TITLE: OLD → NEW" for one key result; a count and one line each for more."""
    if len(edits) == 1:
        return f"Check-in: {headline(edits[0])}\n\n{describe(edits[0])}\n"
    lines = "".join(f"- {headline(edit)} ({describe(edit)})\n" for edit in edits)
    return f"Check-in: {len(edits)} key results\n\n{lines}"


# -- writing values ---------------------------------------------------------------------

def render_scalar(value: Any, *, in_flow: bool = False) -> str:
    """``value`` as YAML text that reads back as exactly ``value`` (same type, same text);
    ``in_flow``: inside `{...}`, where a comma or bracket would end a plain value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CheckinRefused(f"{value} is not a number you can measure")
        text = repr(value)
        if "e" in text and "." not in text.split("e")[0]:  # YAML 1.1 reads 1e-05 as text
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return _checked(text, value)
    text = str(value)
    # Plain when nothing in it could mean YAML syntax in some reader: no tab (libyaml and
    # PyYAML disagree on it), and in `{...}` nothing but words.
    plain_ok = _FLOW_PLAIN.fullmatch(text) is not None if in_flow else "\t" not in text
    if plain_ok and "\n" not in text and text == text.strip() and _reads_as(text, text):
        return text
    single = "'" + text.replace("'", "''") + "'"
    if "\n" not in text and _reads_as(single, text):
        return single
    return _checked(json.dumps(text, ensure_ascii=False), text)  # JSON strings are YAML double-quoted scalars


_FLOW_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]*")


def _checked(text: str, value: Any) -> str:
    if not _reads_as(text, value):  # pragma: no cover - every form above reads back
        raise CheckinRefused(f"cannot write {value!r} as a YAML value; edit the file by hand")
    return text


def _reads_as(text: str, value: Any) -> bool:
    try:
        got = parse_yaml(f"x: {text}\n").data.get("x")
        pure = yaml.load(f"x: {text}\n", Loader=yaml.SafeLoader)["x"]  # noqa: S506 - the safe loader
    except (YamlProblem, yaml.YAMLError):
        return False
    return all(type(v) is type(value) and v == value for v in (got, pure))


def _check_note(note: str) -> None:
    try:
        note.encode("utf-8")
    except UnicodeEncodeError:
        raise CheckinRefused("the note is not valid text (it holds bytes that are not UTF-8)") from None


def _same(before: Any, after: Any) -> bool:
    return type(before) is type(after) and before == after or (
        isinstance(before, (int, float)) and not isinstance(before, bool)
        and isinstance(after, (int, float)) and not isinstance(after, bool) and before == after)


# -- finding the nodes --------------------------------------------------------------------

def _read(text: str) -> Document:
    """The front matter of ``text`` (positions are those of the text with LF line ends)."""
    normal = text[1:] if text.startswith("\ufeff") else text
    normal = normal.replace("\r\n", "\n").replace("\r", "\n")
    try:
        yaml_text, _, _ = split_front_matter(normal)
        return parse_yaml(yaml_text, first_line=2)
    except YamlProblem as problem:
        raise UnreadableFile(f"line {problem.line}, column {problem.column}: {problem.message} "
                             "(run `okrs check` and fix the file first)") from None


def _key_result_node(document: Document, key_result: str) -> tuple[yaml.MappingNode, dict]:
    data = document.data if isinstance(document.data, dict) else {}
    krs = data.get("key_results")
    root = document.root
    seq = next((value for key, value in root.value if key.value == "key_results"), None)
    if not isinstance(krs, list) or not isinstance(seq, yaml.SequenceNode):
        raise UnknownKeyResult(f"no key result '{key_result}': the file has no list of key_results")
    found = [(node, kr) for node, kr in zip(seq.value, krs) if isinstance(kr, dict) and kr.get("id") == key_result]
    if not found:
        ids = [kr["id"] for kr in krs if isinstance(kr, dict) and isinstance(kr.get("id"), str)]
        raise UnknownKeyResult(f"no key result '{key_result}' in this objective{did_you_mean(key_result, ids)}"
                             + (f" (it has: {', '.join(ids)})" if ids else ""))
    if len(found) > 1:
        raise CheckinRefused(f"key result id '{key_result}' appears {len(found)} times; "
                             "run `okrs check` and fix the file first")
    node, kr = found[0]
    if not isinstance(node, yaml.MappingNode):  # pragma: no cover - the data says it is a mapping
        raise CheckinRefused(f"key result '{key_result}' is not a mapping")
    return node, kr


class _Lines:
    """Offsets in the original text of the YAML positions (YAML line 0 is file line 2)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts, self.ends = [], []  # per file line: its first character, the end of its content
        for match in re.finditer(r"[^\r\n]*(\r\n|\r|\n|$)", text):
            if match.start() == len(text) and self.starts:
                break
            self.starts.append(match.start())
            self.ends.append(match.start() + len(match.group(0)) - len(match.group(1)))

    def offset(self, mark: yaml.Mark) -> int:
        line = mark.line + 1  # the front matter starts after the '---' line
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line] + mark.column

    def end_offset(self, mark: yaml.Mark, start: yaml.Mark, *, comments: bool = False) -> int:
        """Where a node ends, before the line break and the blank lines (and, for a
        collection, ``comments``) that a block node's end mark takes in: it stands at the
        next token. A block scalar's lines may start with '#': they are its text."""
        line = mark.line + 1
        if line >= len(self.starts) or self.text[self.starts[line]:self.starts[line] + mark.column].strip():
            return self.offset(mark)  # the node ends on this line, at the mark
        line -= 1
        while line > start.line + 1 and (not self.content(line).strip()
                                         or comments and self.content(line).lstrip().startswith("#")):
            line -= 1
        return self.ends[line]

    def content(self, line: int) -> str:
        return self.text[self.starts[line]:self.ends[line]]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def line_break(self) -> str:
        match = re.search(r"\r\n|\r|\n", self.text)
        return match.group(0) if match else "\n"


def _replacement(lines: _Lines, key: yaml.Node, value: yaml.Node, rendered: str) -> tuple[int, int, str]:
    if isinstance(value, yaml.ScalarNode) and value.value == "" and not value.style:  # `note:` with nothing after
        at = lines.offset(key.end_mark)
        colon = lines.text.index(":", at)
        return colon + 1, colon + 1, " " + rendered
    start = lines.offset(value.start_mark)
    if isinstance(value, yaml.ScalarNode) and value.style in ("|", ">"):  # keep a comment on its header line
        header = re.match(r"[|>][-+0-9]*(\s+#.*)?$", lines.content(value.start_mark.line + 1)[value.start_mark.column:])
        if header and header.group(1):
            rendered += header.group(1)
    return start, lines.end_offset(value.end_mark, value.start_mark), rendered


def _addition(lines: _Lines, node: yaml.MappingNode, additions: list[tuple[str, str]]) -> tuple[int, int, str]:
    """New fields after the key result's last field, at the indentation of its fields."""
    if node.flow_style:  # `- {id: x, ...}`: before the closing brace
        close = lines.offset(node.end_mark) - 1
        return close, close, "".join(f", {name}: {rendered}" for name, rendered in additions)
    first_key = node.value[0][0]
    last_key, last_value = node.value[-1]
    at = lines.end_offset(last_value.end_mark, last_value.start_mark,
                          comments=not isinstance(last_value, yaml.ScalarNode))
    at = lines.ends[lines.line_of(at)]  # after a comment on the same line
    indent = " " * first_key.start_mark.column
    newline = lines.line_break()
    return at, at, "".join(f"{newline}{indent}{name}: {rendered}" for name, rendered in additions)
