"""Read YAML with the line and column of every node, safely.

PyYAML's constructors lose positions and silently keep the last of two equal keys, so
we compose nodes with libyaml (when available) and convert them ourselves: every value
keeps its mark, duplicate keys are findings, only the standard scalar tags are turned
into values, and anchors and aliases are refused before anything is built (which also
defuses alias bombs). Nothing is ever executed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import yaml

from .diagnostics import ERROR, Finding

try:  # libyaml: the fast path; the pure-Python classes behave the same, only slower
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1024 * 1024
Path_ = tuple  # a path into the data: keys and list indexes, e.g. ("key_results", 0, "owner")

_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + n for n in ("str", "null", "bool", "int", "float", "timestamp")}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """Plain data (dict/list/str/int/float/bool/None/date) plus where each part stands."""

    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    plain_text: dict[Path_, str] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)  # not fatal: reading went on
    body: str = ""
    body_line: int = 1

    def value_at(self, path: Path_) -> tuple[int, int]:
        """Line and column of the value at ``path`` (or of its nearest parent)."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def key_at(self, path: Path_) -> tuple[int, int]:
        """Line and column of the key that names ``path``, else of its value."""
        return self.keys.get(path) or self.value_at(path)


class YamlProblem(Exception):
    """A problem that stops reading one file: located, with a rule code."""

    def __init__(self, line: int, column: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.code, self.message = line, column, code, message

    def finding(self, path: str) -> Finding:
        return Finding(path, self.line, self.column, ERROR, self.code, self.message)


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) to text with LF line endings."""
    raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw  # positions below are after the BOM
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        # count lines and characters (not bytes) in the valid part before the bad byte
        before = raw[:err.start].decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise YamlProblem(
            line, column, "encoding",
            f"the file is not valid UTF-8 (byte 0x{raw[err.start]:02x}); save it as UTF-8",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (yaml text, body, body's first line). The YAML starts on line 2."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise YamlProblem(
            1, 1, "front-matter",
            "the file does not start with front matter; its first line must be '---', "
            "followed by the objective's fields and a closing '---'",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]) + "\n", "\n".join(lines[index + 1:]), index + 2
    raise YamlProblem(
        1, 1, "front-matter",
        "the front matter is not terminated: add a line '---' after the last key result",
    )


NOT_A_MAPPING = ("the front matter must be a mapping of fields (`key: value` lines), "
                 "e.g. `objective: ...`, `owner: ...`")


def parse_yaml(text: str, *, first_line: int = 1, not_a_mapping: str = NOT_A_MAPPING) -> Document:
    """Compose ``text`` (one YAML mapping) into a located Document.

    ``first_line`` is the file line on which ``text`` starts; ``not_a_mapping`` is the
    message when the document is something else.
    """
    offset = first_line - 1
    if "&" in text or "*" in text:  # cheap pre-check; the event scan finds the real ones
        _refuse_anchors(text, offset)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        raise _syntax_problem(err, text, offset) from None
    except yaml.reader.ReaderError as err:  # a control character: point at it
        # libyaml counts bytes, PyYAML characters: find the character itself instead
        found = text.find(chr(err.character)) if isinstance(err.character, int) else -1
        position = found if found >= 0 else err.position
        before = text[:position]
        line, column = offset + before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
        raise YamlProblem(line, column, "front-matter",
                          f"YAML error: {err.reason} (character #x{err.character:04x}); remove it") from None
    except yaml.YAMLError as err:
        raise YamlProblem(first_line, 1, "front-matter", f"YAML error: {err}") from None
    if not isinstance(root, yaml.MappingNode):
        line, column = _mark(root, offset) if root is not None else (first_line, 1)
        raise YamlProblem(line, column, "front-matter", not_a_mapping)
    document = Document(data=None)
    document.data = _convert(root, (), document, offset)
    return document


def _syntax_problem(err: yaml.MarkedYAMLError, text: str, offset: int) -> YamlProblem:
    mark, context = err.problem_mark, err.context_mark
    if mark is None or (context is not None and mark.line >= text.count("\n")):
        mark = context or mark  # ran off the end: point at what was left open
    message = f"YAML syntax error: {err.problem or err.context}"
    if err.context and err.problem and context is not None:
        message += f" ({err.context} that starts on line {context.line + 1 + offset}, column {context.column + 1})"
    line, column = (mark.line + 1 + offset, mark.column + 1) if mark else (offset + 1, 1)
    return YamlProblem(line, column, "front-matter", message)


def _refuse_anchors(text: str, offset: int) -> None:
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlProblem(
                    *_mark(event, offset), "front-matter",
                    "YAML anchors and aliases (&name, *name) are not allowed in OKR files; "
                    "write the value out in full",
                )
    except yaml.YAMLError:
        return  # a syntax or reader error: compose reports it with its location


def _mark(node: Any, offset: int) -> tuple[int, int]:
    return node.start_mark.line + 1 + offset, node.start_mark.column + 1


def _convert(node: yaml.Node, path: Path_, doc: Document, offset: int) -> Any:
    doc.values[path] = _mark(node, offset)
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, path, doc, offset)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _T + "seq":
            raise _bad_tag(node, offset)
        return [_convert(item, path + (i,), doc, offset) for i, item in enumerate(node.value)]
    if node.tag not in _SCALAR_TAGS:
        raise _bad_tag(node, offset)
    if node.tag == _T + "str":
        return node.value
    if not node.style:  # plain scalars (libyaml says '', PyYAML None) are where YAML 1.1 coerces: keep the text
        doc.plain_text[path] = node.value
    try:
        value = _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
    except ValueError:  # looks like a date but is none, e.g. 2026-02-30: keep the text
        return node.value
    # .nan and .inf measure nothing and poison every sum: keep the text, the schema refuses it
    return node.value if isinstance(value, float) and not math.isfinite(value) else value


def _convert_mapping(node: yaml.MappingNode, path: Path_, doc: Document, offset: int) -> dict:
    if node.tag != _T + "map":
        raise _bad_tag(node, offset)
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlProblem(
                *_mark(key_node, offset), "front-matter",
                "a key must be a plain name, not a list or mapping",
            )
        if key_node.tag == _T + "merge":
            raise YamlProblem(
                *_mark(key_node, offset), "front-matter",
                "YAML merge keys (<<) are not allowed in OKR files; write the fields out",
            )
        key = key_node.value  # keys stay text: `no:` is the key "no", not False
        child = path + (key,)
        if key in result:
            first_line = doc.keys[child][0]
            doc.problems.append(YamlProblem(
                *_mark(key_node, offset), "duplicate-key",
                f"key '{key}' appears twice in the same mapping (first on line {first_line}); "
                "YAML would silently keep only the last one: remove or merge one of them",
            ))
        doc.keys[child] = _mark(key_node, offset)
        result[key] = _convert(value_node, child, doc, offset)
    return result


def _bad_tag(node: yaml.Node, offset: int) -> YamlProblem:
    return YamlProblem(
        *_mark(node, offset), "front-matter",
        f"the YAML tag '{node.tag.replace(_T, '!!')}' is not allowed in OKR files (tags are never executed); "
        "remove it and write a plain value",
    )
