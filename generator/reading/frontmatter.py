"""Read a file's front matter as YAML with the line and column of every node, safely.

We compose nodes with libyaml (when available) and convert them ourselves
(``yaml_nodes``); anchors, aliases and deep nesting are refused before anything is built
(which also defuses alias bombs). Nothing is ever executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.reading.findings import YamlProblem
from generator.reading.yaml_nodes import Path_, convert, follow, locate, mark
from generator.reading.yaml_slips import explain_syntax_error

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
    text: str = field(default="", repr=False, compare=False)  # the YAML text, for messages that quote a line
    _index: tuple[dict, dict, dict] | None = field(default=None, repr=False, compare=False)
    _lines: list[str] | None = field(default=None, repr=False, compare=False)

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
                locate(self.root, (), self._index, self.offset)
        return self._index

    def value_at(self, path: Path_) -> tuple[int, int]:
        """Line and column of the value at ``path`` (or of its nearest parent)."""
        if self._index is not None or self.root is None:
            values = self.values
            while path not in values and path:
                path = path[:-1]
            return values.get(path, (1, 1))
        return mark(follow(self.root, path)[0], self.offset)

    def line_text(self, line: int) -> str:
        """The text of file line ``line`` of the YAML ("" outside it)."""
        index = line - self.offset - 1
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines[index] if 0 <= index < len(self._lines) else ""

    def quoted(self, path: Path_) -> bool:
        """Whether the scalar at ``path`` is written in quotes ('...' or "...")."""
        if self.root is None:
            return False
        node, _, depth = follow(self.root, path)
        return depth == len(path) and isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')

    def key_at(self, path: Path_) -> tuple[int, int]:
        """Line and column of the key that names ``path``, else of its value."""
        if self._index is not None or self.root is None:
            return self.keys.get(path) or self.value_at(path)
        node, key, depth = follow(self.root, path)
        return mark(key if depth == len(path) and key is not None else node, self.offset)


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
        line, column = mark(root, offset) if root is not None else (first_line, 1)
        raise YamlProblem(line, column, "front-matter", not_a_mapping)
    document = Document(data=None, root=root, offset=offset, text=text)
    document.data = convert(root, document)
    return document


def _syntax_problem(err: yaml.MarkedYAMLError, text: str, offset: int) -> YamlProblem:
    where, context = err.problem_mark, err.context_mark
    if where is None or (context is not None and where.line >= text.count("\n")):
        where = context or where  # ran off the end: point at what was left open
    if where is not None and err.problem:
        lines = text.split("\n")
        slip = explain_syntax_error(err.problem, lines=lines, line=where.line + 1, column=where.column + 1, offset=offset,
                                    context_line=context.line + 1 if context is not None else None)
        if slip is not None:
            return YamlProblem(slip[0], slip[1], "front-matter", f"YAML syntax error: {slip[2]}")
    message = f"YAML syntax error: {err.problem or err.context}"
    if err.context and err.problem and context is not None:
        message += f" ({err.context} that starts on line {context.line + 1 + offset}, column {context.column + 1})"
    line, column = (where.line + 1 + offset, where.column + 1) if where else (offset + 1, 1)
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
                        *mark(event, offset), "front-matter",
                        f"the YAML nests more than {MAX_DEPTH} levels deep here; an OKR file needs "
                        "about 5 (objective, key_results, a key result, a field): flatten it",
                    )
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
            if anchors and (kind is yaml.AliasEvent or getattr(event, "anchor", None)):
                raise YamlProblem(
                    *mark(event, offset), "front-matter",
                    "YAML anchors and aliases (&name, *name) are not allowed in OKR files; "
                    "write the value out in full",
                )
    except yaml.YAMLError:
        return  # a syntax or reader error: compose reports it with its location


