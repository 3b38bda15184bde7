"""Values of the wrong type or range that are common slips, and the words that fix them.

A schema says "'75.6' is not of type 'number'"; the writer needs "remove the quotes". Each
function here knows one slip: YAML 1.1 reading text as a boolean, number or date; a
number in quotes; a confidence written as a percent; a list of owners; a value that is
empty because a `#` made it a comment. Values are shown as YAML shows them, never as
Python would (``[mei, noah]``, not ``['mei', 'noah']``).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from generator.reading.frontmatter import Document
from generator.reading.yaml_slips import explain_comment_value, quoted

if TYPE_CHECKING:
    from jsonschema import ValidationError

_TYPE_WORDS = {"string": "text", "number": "a number", "integer": "a whole number",
               "boolean": "true or false", "array": "a list", "object": "a mapping of fields"}


def expected(validator_value: Any) -> str:
    """The schema's `type` in words: "a number", "text or a whole number"."""
    kinds = validator_value if isinstance(validator_value, list) else [validator_value]
    return " or ".join(_TYPE_WORDS.get(k, str(k)) for k in kinds)


def shown(value: Any) -> str:
    """The value as a message shows it, in YAML's flow style; a 200,000-character title is
    not repeated whole."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, (dict, list)) and len(value) > 8:
        text = f"a {'list' if isinstance(value, list) else 'mapping'} of {len(value):,} items"
    else:
        text = _flow(value, depth=0)
    return text if len(text) <= 80 else f"{text[:60]}…({len(text):,} characters)"


_PLAIN = re.compile(r"[A-Za-z0-9_.@/+-]+(?: [A-Za-z0-9_.@/+-]+)*")


def _flow(value: Any, *, depth: int) -> str:
    if depth > 3:
        return "…"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item, depth=depth + 1) for item in value[:8]) + (", …" if len(value) > 8 else "") + "]"
    if isinstance(value, dict):
        items = list(value.items())
        return "{" + ", ".join(f"{_flow(str(k), depth=depth + 1)}: {_flow(v, depth=depth + 1)}" for k, v in items[:8]) \
            + (", …" if len(items) > 8 else "") + "}"
    if isinstance(value, str):
        return value if _PLAIN.fullmatch(value) and not _looks_like_other_type(value) else quoted(value)
    return str(value)


def _looks_like_other_type(text: str) -> bool:
    """Text that YAML would read as something else if shown without quotes."""
    return text.lower() in ("true", "false", "yes", "no", "on", "off", "null", "~") or _number(text) is not None


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def yaml_trap(where: str, text: str, error: ValidationError) -> str:
    """A plain scalar YAML 1.1 read as a boolean, number, date or null where text is expected."""
    value = error.instance
    if where == "field 'period'" and isinstance(value, date):
        return (f"{where}: `{text}` is a date, not a period; use a quarter like 2026-Q4, "
                "a half like 2026-H2, a year like 2026, or a configured period")
    kind = ("a date" if isinstance(value, date) else "a boolean" if isinstance(value, bool)
            else "a number" if isinstance(value, (int, float)) else "null")
    return (f"{where}: `{text}` is read by YAML as {kind}, but {expected(error.validator_value)} "
            f"is expected; put it in quotes: \"{text}\"")


def type_slip(error: ValidationError, *, at: tuple, where: str, doc: Document) -> tuple[str, int | None] | None:
    """(message, column to point at instead of the value's, or None) for a known slip."""
    value, field = error.instance, str(at[-1]) if at else ""
    if error.validator == "type":
        kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        if value is None:
            return _comment_slip(where, doc.line_text(doc.value_at(at)[0]))
        if isinstance(value, list) and field == "owner" and "string" in kinds:
            return _owners_slip(where, value, on_objective=len(at) == 1), None
        if isinstance(value, str) and ("number" in kinds or "integer" in kinds):
            message = _number_text_slip(where, field, value, quoted_text=doc.quoted(at))
            return None if message is None else (message, None)
    if (error.validator == "maximum" and field == "confidence" and isinstance(value, (int, float))
            and not isinstance(value, bool) and 2 <= value <= 100):  # 1.5 is a slip of another kind
        return f"{where}: confidence is 0 to 1: did you mean {value / 100:g} ({shown(value)}%)?", None
    return None


def _comment_slip(where: str, line_text: str) -> tuple[str, int | None] | None:
    found = explain_comment_value(line_text)
    if found is None:
        return None
    column, field, text = found
    return (f"{where} is empty: YAML reads a '#' after a space as the start of a comment; if that is the "
            f"{field}, put the {field} in quotes: {field}: {quoted(text)}"), column


def _owners_slip(where: str, owners: list, *, on_objective: bool) -> str:
    people = [o for o in owners if isinstance(o, str)]
    if on_objective:
        fix = f": owner: {people[0]} and contributors: {_flow(people[1:], depth=0)}" if len(people) > 1 else ""
        return f"{where}: {shown(owners)} is a list, but an objective has exactly one owner; put the others in contributors{fix}"
    fix = (f": keep owner: {people[0]} here and add {', '.join(people[1:])} to the objective's contributors"
           if len(people) > 1 else " (the objective's list of the people who help)")
    return f"{where}: {shown(owners)} is a list, but a key result has exactly one owner; put the others in contributors{fix}"


def _number_text_slip(where: str, field: str, text: str, *, quoted_text: bool) -> str | None:
    number = _number(text.strip())
    if number is not None and quoted_text:
        return (f"{where}: {shown(text)} is text because of the quotes, but a number is expected; "
                f"remove the quotes: {field}: {text.strip()}")
    if number is not None:  # YAML 1.1 reads 1e5 as text: its exponents need a dot and a sign
        written = str(int(number)) if number.is_integer() else repr(number)
        return (f"{where}: `{text}` is read by YAML as text, but a number is expected; "
                f"write it out: {field}: {written}")
    if re.fullmatch(r"[+-]?\d+,\d+", text.strip()):
        return (f"{where}: {shown(text)} is not a number; write decimals with a point: "
                f"{field}: {text.strip().replace(',', '.')}")
    return None
