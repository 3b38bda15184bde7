"""The YAML slips people make in plain-text fields, named with their cause and their fix.

YAML's own words ("mapping values are not allowed in this context") describe the parser,
not the file. These read the line the parser stopped at and say what the writer did and
how to write it instead: a ``: `` inside a note, a tab in the indentation, a list item
that lost its ``- ``, a ``#`` that turned a note into a comment.
"""

from __future__ import annotations

import json
import re

# `  - note: text` or `note: text`: the field a line sets, and its text.
# Linear: the value is the rest of the line (trailing blanks are stripped in Python, not by
# a backtracking `.*?[ \t]*$`, quadratic on a hostile line of spaces).
_FIELD_LINE = re.compile(r"(?P<lead>[ ]*(?:-[ ]+)*)(?P<key>[A-Za-z_][A-Za-z0-9_-]*):[ \t]+(?P<value>.*)")
_COMMENT = re.compile(r"[ \t]#.*")  # a comment at the end of a plain value (from its first ` #`)
_LIST_OWNER = re.compile(r"^(?P<indent>[ ]*)(?P<key>[A-Za-z_][A-Za-z0-9_-]*):[ \t]*(?:#.*)?$")


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON strings are valid YAML ones)."""
    return json.dumps(text, ensure_ascii=False)


def explain_syntax_error(problem: str, *, lines: list[str], line: int, column: int, context_line: int | None,
                         offset: int = 0) -> tuple[int, int, str] | None:
    """(file line, column, message) for a YAML syntax error that is a known slip, else None.

    ``lines`` are the YAML text's lines; ``line`` and ``context_line`` (where the block
    the parser was reading starts) are 1-based indexes into them, ``column`` 1-based; the
    text starts on file line ``offset + 1``.
    """
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    found = _explain(problem, text, lines=lines, line=line, column=column, context_line=context_line, offset=offset)
    return None if found is None else (found[0] + offset, found[1], found[2])


def _explain(problem: str, text: str, *, lines: list[str], line: int, column: int, context_line: int | None,
             offset: int) -> tuple[int, int, str] | None:
    indent = text[:len(text) - len(text.lstrip(" \t-"))]
    if "\t" in indent:
        return line, indent.index("\t") + 1, (f"line {line + offset} is indented with a tab; indent with spaces "
                                              "(YAML does not allow tabs in indentation)")
    if "mapping values are not allowed" in problem:
        return _colon_in_text(text, line, column) or _indented_under_a_value(lines, line, offset)
    if "expected '-' indicator" in problem and context_line is not None:
        return line, len(text) - len(text.lstrip(" ")) + 1, (
            f"line {line + offset} looks like a new {_item_of(lines, context_line)}: start it with '- ' "
            f"like the one on line {context_line + offset}")
    return None


def _colon_in_text(text: str, line: int, column: int) -> tuple[int, int, str] | None:
    """`note: Desktop shipped: +0.7 points`: YAML reads the second `: ` as another field
    (the parser stops at that colon, inside the value; elsewhere it is another slip)."""
    found = _FIELD_LINE.match(text)
    if found is None or column <= found.start("value"):
        return None
    key, value = found["key"], _COMMENT.sub("", found["value"]).rstrip(" \t")
    return line, found.start("value") + 1, (
        f"the text of '{key}' contains ': ', which YAML reads as the start of another field; "
        f"put the {key} in quotes: {key}: {quoted(value)}")


def _indented_under_a_value(lines: list[str], line: int, offset: int) -> tuple[int, int, str] | None:
    """A field indented under a line that already has its value: YAML reads both lines as
    one text. Most often that line lost its `- ` and its indentation (`id: b` at column 1)."""
    text = lines[line - 1]
    above = next((n for n in range(line - 1, 0, -1) if lines[n - 1].strip()), None)
    if above is None:
        return None
    found = _FIELD_LINE.match(lines[above - 1])
    indent = len(text) - len(text.lstrip(" "))
    if found is None or not found["value"].strip() or len(found["lead"]) >= indent:
        return None
    return line, indent + 1, (
        f"line {line + offset} is indented under line {above + offset} ('{lines[above - 1].strip()[:40]}'), "
        f"which already has a value; if line {above + offset} starts a new key result, start it with '- ' "
        "and indent it like the others, else indent both lines the same")


def _item_of(lines: list[str], list_line: int) -> str:
    """"key result" for an item of `key_results:`, else "item of 'tags'"."""
    first = lines[list_line - 1] if 0 < list_line <= len(lines) else ""
    column = len(first) - len(first.lstrip(" "))
    for above in reversed(lines[:list_line - 1]):
        found = _LIST_OWNER.match(above)
        if found and len(found["indent"]) <= column:
            return "key result" if found["key"] == "key_results" else f"item of '{found['key']}'"
        if above.strip() and not above.lstrip().startswith("#") and len(above) - len(above.lstrip(" ")) < column:
            break
    return "list item"


_COMMENTED_VALUE = re.compile(r"[ ]*(?:-[ ]+)*(?P<key>[A-Za-z_][A-Za-z0-9_-]*):[ \t]+#(?P<text>.*)")


def explain_comment_value(line_text: str) -> tuple[int, str, str] | None:
    """(column of the `#`, field, text) when a field's value is empty because it starts
    with `#` (`note: #1 priority done`): YAML read the text as a comment."""
    found = _COMMENTED_VALUE.match(line_text)
    if found is None:
        return None
    return found.start("text"), found["key"], "#" + found["text"].rstrip(" \t")


def new_item_message(*, line: int, first_line: int, kind: str, repeated: list[str]) -> str:
    """A key result that lost its `- `: its fields repeat those of the one above."""
    shown = ", ".join(f"'{key}'" for key in repeated[:3]) + (" and more" if len(repeated) > 3 else "")
    return (f"line {line} looks like a new {kind}: start it with '- '; without it, YAML reads its "
            f"fields as more fields of the {kind} on line {first_line} ({shown} twice)")
