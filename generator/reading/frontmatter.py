"""Read YAML with the line and column of every node, safely.

PyYAML's constructors lose positions and silently keep the last of two equal keys, so
we compose nodes with libyaml (when available) and convert them ourselves: every value
keeps its mark, duplicate keys are findings, only the standard scalar tags are turned
into values, and anchors and aliases are refused before anything is built (which also
defuses alias bombs). Nothing is ever executed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.reading.findings import ERROR, Finding

try:  # libyaml: the fast path; the pure-Python classes behave the same, 8 times slower
    from yaml import CSafeLoader as _BaseLoader
    LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]
    LIBYAML = False  # the adapters warn: reading is much slower (see SLOW_YAML_WARNING)

SLOW_YAML_WARNING = ("PyYAML is installed without libyaml, so reading OKR files is about 8 times slower; "
                     "install a PyYAML wheel with libyaml (pip install --force-reinstall --no-cache-dir pyyaml)")


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader with YAML 1.1's standard tag resolution, remembered per value.

    Resolving a plain scalar's tag tries regular expressions in Python for every node: a
    third of the time libyaml needs to compose. The answer depends on the text alone, so
    it is kept. The resolvers are a copy taken now: other libraries in the process
    (MkDocs' extensions) may add their own to PyYAML's loaders, never to ours.
    """

    yaml_implicit_resolvers = {first: list(found) for first, found in _BaseLoader.yaml_implicit_resolvers.items()}
    yaml_path_resolvers: dict = {}
    _resolved: dict[str, str] = {}

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            tag = self._resolved.get(value)
            if tag is None:
                if len(self._resolved) > 200_000:  # titles and notes are mostly unique: stay small
                    self._resolved.clear()
                tag = self._resolved[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # no path resolvers: nothing to track

    def ascend_resolver(self) -> None:
        pass

MAX_FILE_BYTES = 1024 * 1024
# An OKR file nests about 5 levels deep; PyYAML's composer and our converter recurse per
# level and would hit Python's recursion limit near 500.
MAX_DEPTH = 64
# The largest number an OKR field may hold, in size: room for revenue in cents (10^15 cents
# is ten trillion), small enough that sums and ratios of any key results stay exact-ish and
# finite (two weights of 1e308 would add up to infinity).
MAX_NUMBER = 10 ** 15
Path_ = tuple  # a path into the data: keys and list indexes, e.g. ("key_results", 0, "owner")

_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + n for n in ("str", "null", "bool", "int", "float", "timestamp")}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """Plain data (dict/list/str/int/float/bool/None/date) plus where each part stands.

    Positions are looked up in the composed node tree only when asked for (a finding
    needs them): most documents are valid and never ask, so they skip that cost.
    """

    data: Any
    problems: list[YamlProblem] = field(default_factory=list)  # not fatal: reading went on
    body: str = ""
    body_line: int = 1
    root: Any = field(default=None, repr=False, compare=False)  # the yaml node tree
    offset: int = 0  # file line of the text's first line, minus one
    _index: tuple[dict, dict, dict] | None = field(default=None, repr=False, compare=False)

    @property
    def values(self) -> dict[Path_, tuple[int, int]]:
        """Line and column of every value, by path."""
        return self._located()[0]

    @property
    def keys(self) -> dict[Path_, tuple[int, int]]:
        """Line and column of every mapping key, by the path of its value."""
        return self._located()[1]

    @property
    def plain_text(self) -> dict[Path_, str]:
        """The source text of plain (unquoted) non-string scalars: where YAML 1.1 coerces."""
        return self._located()[2]

    def _located(self) -> tuple[dict, dict, dict]:
        if self._index is None:
            self._index = ({}, {}, {})
            if self.root is not None:
                _locate(self.root, (), self._index, self.offset)
        return self._index

    def value_at(self, path: Path_) -> tuple[int, int]:
        """Line and column of the value at ``path`` (or of its nearest parent)."""
        if self._index is not None or self.root is None:
            values = self.values
            while path not in values and path:
                path = path[:-1]
            return values.get(path, (1, 1))
        return _mark(_follow(self.root, path)[0], self.offset)

    def key_at(self, path: Path_) -> tuple[int, int]:
        """Line and column of the key that names ``path``, else of its value."""
        if self._index is not None or self.root is None:
            return self.keys.get(path) or self.value_at(path)
        node, key, depth = _follow(self.root, path)
        return _mark(key if depth == len(path) and key is not None else node, self.offset)


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
    # cheap pre-checks; the event scan finds the real anchors and depths
    anchors = "&" in text or "*" in text
    if anchors or _may_nest_deeply(text):
        _prescan(text, offset, anchors=anchors)
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
    document = Document(data=None, root=root, offset=offset)
    document.data = _convert(root, document)
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


# A line starting with this many indentation or indicator characters (` `, `-`, `?`, `:`)
# may open deep block nesting: each level of block nesting moves its content at least one
# column right every two levels. Flow nesting needs one `[` or `{` per level.
_DEEP_PREFIX = re.compile(r"^[ ?:-]{%d}" % (MAX_DEPTH // 4), re.MULTILINE)


def _may_nest_deeply(text: str) -> bool:
    """False only when ``text`` surely nests at most MAX_DEPTH levels: then no event scan."""
    return text.count("[") + text.count("{") > MAX_DEPTH // 2 or _DEEP_PREFIX.search(text) is not None


def _prescan(text: str, offset: int, *, anchors: bool) -> None:
    """Refuse anchors, aliases (when ``anchors``) and nesting deeper than MAX_DEPTH, from
    the parser's events: a flat loop, before anything recurses."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = event.__class__
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlProblem(
                        *_mark(event, offset), "front-matter",
                        f"the YAML nests more than {MAX_DEPTH} levels deep here; an OKR file needs "
                        "about 5 (objective, key_results, a key result, a field): flatten it",
                    )
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
            if anchors and (kind is yaml.AliasEvent or getattr(event, "anchor", None)):
                raise YamlProblem(
                    *_mark(event, offset), "front-matter",
                    "YAML anchors and aliases (&name, *name) are not allowed in OKR files; "
                    "write the value out in full",
                )
    except yaml.YAMLError:
        return  # a syntax or reader error: compose reports it with its location


def _mark(node: Any, offset: int) -> tuple[int, int]:
    return node.start_mark.line + 1 + offset, node.start_mark.column + 1


_STR, _MAP, _SEQ, _INT, _FLOAT, _BOOL, _NULL = (_T + n for n in ("str", "map", "seq", "int", "float", "bool", "null"))
_ScalarNode, _MappingNode, _SequenceNode = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode


def _convert(node: yaml.Node, doc: Document) -> Any:
    """The node as plain data: the hot path of every check, so it avoids the general
    constructors for the common scalars (the results are the same)."""
    kind = node.__class__
    if kind is _ScalarNode:
        tag, value = node.tag, node.value
        if tag == _STR:
            return value
        if tag == _INT and len(value) < 16 and value.isdigit() and (value[0] != "0" or value == "0") and value.isascii():
            return int(value)  # plain decimal under MAX_NUMBER; octal, hex, signs, `_`, sexagesimal take the long way
        if tag == _FLOAT and value[:1].isdigit() and value.isascii() and "_" not in value and ":" not in value:
            try:
                number = float(value)
            except ValueError:  # `!!float 1x`: the long way keeps the text
                return _scalar(node, doc)
            return number if -MAX_NUMBER <= number <= MAX_NUMBER else _bad_number(node, doc, number)
        if tag == _NULL:
            return None
        if tag == _BOOL:  # `!!bool maybe` is no boolean: keep the text, the schema refuses it
            return _CONSTRUCTOR.bool_values.get(value.lower(), value)
        return _scalar(node, doc)
    if kind is _MappingNode:
        return _convert_mapping(node, doc)
    if kind is _SequenceNode and node.tag == _SEQ:
        return [_convert(item, doc) for item in node.value]
    raise _bad_tag(node, doc.offset)


def _scalar(node: yaml.ScalarNode, doc: Document) -> Any:
    if node.tag not in _SCALAR_TAGS:
        raise _bad_tag(node, doc.offset)
    if node.tag == _INT and len(node.value) > _MAX_INT_TEXT:  # Python refuses to read 4,300 digits and more
        return _bad_number(node, doc, None)
    try:
        value = _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
    except (ValueError, IndexError):  # looks like a date but is none (2026-02-30), `!!int ''`: keep the text
        return node.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not -MAX_NUMBER <= value <= MAX_NUMBER:
        return _bad_number(node, doc, value)
    return value


# Longer integer texts are refused unread: sexagesimal and `_` make the text longer than
# its digits, but no number within MAX_NUMBER is written with 100 characters.
_MAX_INT_TEXT = 100


def _bad_number(node: yaml.ScalarNode, doc: Document, number: float | None) -> None:
    """Record a number that is not finite or too large (``None``: too long to read). The
    data holds None instead, which the rules pass over and whose schema errors are left
    to this problem: one finding, not three."""
    text = node.value
    shown = text if len(text) <= 24 else f"{text[:12]}…({len(text):,} characters)"
    reason = ("is not a number you can measure" if number is not None and math.isnan(number)
              else "is infinite" if number is not None and math.isinf(number) else "is too large")
    doc.problems.append(YamlProblem(
        *_mark(node, doc.offset), "number-invalid",
        f"`{shown}` {reason}: numbers must be finite and at most 1e15 ({MAX_NUMBER:,}) in size; "
        "if it is text, put it in quotes",
    ))
    return None


def _convert_mapping(node: yaml.MappingNode, doc: Document) -> dict:
    if node.tag != _MAP:
        raise _bad_tag(node, doc.offset)
    result: dict[str, Any] = {}
    last: dict[str, yaml.ScalarNode] | None = None  # key -> its latest node, made at the first duplicate
    for position, (key_node, value_node) in enumerate(node.value):
        if key_node.__class__ is not _ScalarNode:
            raise YamlProblem(
                *_mark(key_node, doc.offset), "front-matter",
                "a key must be a plain name, not a list or mapping",
            )
        if key_node.tag == _T + "merge":
            raise YamlProblem(
                *_mark(key_node, doc.offset), "front-matter",
                "YAML merge keys (<<) are not allowed in OKR files; write the fields out",
            )
        key = key_node.value  # keys stay text: `no:` is the key "no", not False
        if key in result:
            if last is None:  # the keys before this one; after it, kept up to date (linear, not per duplicate)
                last = {k.value: k for k, _ in node.value[:position]}
            doc.problems.append(_duplicate(last[key], key_node, doc.offset))
        if last is not None:
            last[key] = key_node
        result[key] = _convert(value_node, doc)
    return result


def _duplicate(earlier: yaml.ScalarNode, key_node: yaml.ScalarNode, offset: int) -> YamlProblem:
    return YamlProblem(
        *_mark(key_node, offset), "duplicate-key",
        f"key '{key_node.value}' appears twice in the same mapping (first on line {_mark(earlier, offset)[0]}); "
        "YAML would silently keep only the last one: remove or merge one of them",
    )


def _follow(node: yaml.Node, path: Path_) -> tuple[yaml.Node, yaml.Node | None, int]:
    """(the deepest node on ``path``, the key node that names it if any, how many parts matched)."""
    key = None
    for depth, part in enumerate(path):
        if isinstance(node, yaml.MappingNode):
            found = [(k, v) for k, v in node.value if k.value == part and not isinstance(part, int)]
            if not found:
                return node, key, depth
            key, node = found[-1]  # a repeated key: the last one counts, as in the data
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            key, node = None, node.value[part]
        else:
            return node, key, depth
    return node, key, len(path)


def _locate(node: yaml.Node, path: Path_, index: tuple[dict, dict, dict], offset: int) -> None:
    """Fill (values, keys, plain_text) for ``node`` and everything under it."""
    values, keys, plain_text = index
    values[path] = _mark(node, offset)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = path + (key_node.value,)
            keys[child] = _mark(key_node, offset)
            _locate(value_node, child, index, offset)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _locate(item, path + (i,), index, offset)
    elif node.tag != _STR and not node.style:  # plain scalars (libyaml says '', PyYAML None) are where YAML 1.1 coerces
        plain_text[path] = node.value


def _bad_tag(node: yaml.Node, offset: int) -> YamlProblem:
    return YamlProblem(
        *_mark(node, offset), "front-matter",
        f"the YAML tag '{node.tag.replace(_T, '!!')}' is not allowed in OKR files (tags are never executed); "
        "remove it and write a plain value",
    )
