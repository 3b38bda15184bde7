"""YAML nodes to plain data, and back to where each value stands.

PyYAML's constructors lose positions and silently keep the last of two equal keys, so we
convert composed nodes ourselves: every value keeps its mark, duplicate keys are findings,
only the standard scalar tags are turned into values, numbers stay finite and bounded.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import yaml

from generator.reading.findings import YamlProblem
from generator.reading.yaml_slips import new_item_message

if TYPE_CHECKING:
    from generator.reading.frontmatter import Document

# The largest number an OKR field may hold, in size: room for revenue in cents (10^15 cents
# is ten trillion), small enough that sums and ratios of any key results stay exact-ish and
# finite (two weights of 1e308 would add up to infinity).
MAX_NUMBER = 10 ** 15
Path_ = tuple  # a path into the data: keys and list indexes, e.g. ("key_results", 0, "owner")

_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + n for n in ("str", "null", "bool", "int", "float", "timestamp")}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def mark(node: Any, offset: int) -> tuple[int, int]:
    """File line and column of a node (or event) of text that starts after ``offset`` lines."""
    return node.start_mark.line + 1 + offset, node.start_mark.column + 1


_STR, _MAP, _SEQ, _INT, _FLOAT, _BOOL, _NULL = (_T + n for n in ("str", "map", "seq", "int", "float", "bool", "null"))
_ScalarNode, _MappingNode, _SequenceNode = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode


def convert(node: yaml.Node, doc: Document) -> Any:
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
        return [convert(item, doc) for item in node.value]
    raise bad_tag(node, doc.offset)


def _scalar(node: yaml.ScalarNode, doc: Document) -> Any:
    if node.tag not in _SCALAR_TAGS:
        raise bad_tag(node, doc.offset)
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
        *mark(node, doc.offset), "number-invalid",
        f"`{shown}` {reason}: numbers must be finite and at most 1e15 ({MAX_NUMBER:,}) in size; "
        "if it is text, put it in quotes",
    ))
    return None


def _convert_mapping(node: yaml.MappingNode, doc: Document, *, item_of: str | None = None) -> dict:
    """A mapping as a dict; ``item_of`` names the list it is an item of (`key_results`)."""
    if node.tag != _MAP:
        raise bad_tag(node, doc.offset)
    result: dict[str, Any] = {}
    last: dict[str, yaml.ScalarNode] | None = None  # key -> its latest node, made at the first duplicate
    repeats: list[tuple[yaml.ScalarNode, yaml.ScalarNode]] = []  # (earlier, later) key nodes
    for position, (key_node, value_node) in enumerate(node.value):
        if key_node.__class__ is not _ScalarNode:
            raise YamlProblem(
                *mark(key_node, doc.offset), "front-matter",
                "a key must be a plain name, not a list or mapping",
            )
        if key_node.tag == _T + "merge":
            raise YamlProblem(
                *mark(key_node, doc.offset), "front-matter",
                "YAML merge keys (<<) are not allowed in OKR files; write the fields out",
            )
        key = key_node.value  # keys stay text: `no:` is the key "no", not False
        if key in result:
            if last is None:  # the keys before this one; after it, kept up to date (linear, not per duplicate)
                last = {k.value: k for k, _ in node.value[:position]}
            repeats.append((last[key], key_node))
        if last is not None:
            last[key] = key_node
        if value_node.__class__ is _SequenceNode and value_node.tag == _SEQ:
            result[key] = [_convert_mapping(item, doc, item_of=key) if item.__class__ is _MappingNode
                           else convert(item, doc) for item in value_node.value]
        else:
            result[key] = convert(value_node, doc)
    if repeats:
        _report_repeats(node, repeats, doc, item_of=item_of)
    return result


def _report_repeats(node: yaml.MappingNode, repeats: list[tuple[yaml.ScalarNode, yaml.ScalarNode]],
                    doc: Document, *, item_of: str | None) -> None:
    """A list item whose `id` repeats, or several of whose fields do, is two items: the
    second lost its `- `. That is one problem, and no advice to delete a field; reading
    stops, as the data would hold one item made of two. Other repeats: one each."""
    if item_of is not None and (len(repeats) > 1 or any(later.value == "id" for _, later in repeats)):
        start = next((later for _, later in repeats if later.value == "id"), repeats[0][1])
        line, column = mark(start, doc.offset)
        kind = "key result" if item_of == "key_results" else f"item of '{item_of}'"
        raise YamlProblem(line, column, "duplicate-key", new_item_message(
            line=line, first_line=mark(node, doc.offset)[0], kind=kind, repeated=[later.value for _, later in repeats]))
    doc.problems.extend(_duplicate(earlier, later, doc.offset) for earlier, later in repeats)


def _duplicate(earlier: yaml.ScalarNode, key_node: yaml.ScalarNode, offset: int) -> YamlProblem:
    return YamlProblem(
        *mark(key_node, offset), "duplicate-key",
        f"key '{key_node.value}' appears twice in the same mapping (first on line {mark(earlier, offset)[0]}); "
        "YAML would silently keep only the last one: remove or merge one of them",
    )


def follow(node: yaml.Node, path: Path_) -> tuple[yaml.Node, yaml.Node | None, int]:
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


def locate(node: yaml.Node, path: Path_, index: tuple[dict, dict, dict], offset: int) -> None:
    """Fill (values, keys, plain_text) for ``node`` and everything under it."""
    values, keys, plain_text = index
    values[path] = mark(node, offset)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = path + (key_node.value,)
            keys[child] = mark(key_node, offset)
            locate(value_node, child, index, offset)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            locate(item, path + (i,), index, offset)
    elif node.tag != _STR and not node.style:  # plain scalars (libyaml says '', PyYAML None) are where YAML 1.1 coerces
        plain_text[path] = node.value


def bad_tag(node: yaml.Node, offset: int) -> YamlProblem:
    return YamlProblem(
        *mark(node, offset), "front-matter",
        f"the YAML tag '{node.tag.replace(_T, '!!')}' is not allowed in OKR files (tags are never executed); "
        "remove it and write a plain value",
    )
