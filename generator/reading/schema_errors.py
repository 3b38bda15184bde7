"""JSON-schema errors as findings a reader can act on, at the YAML node each is about.

The schema says what is wrong in its own words ("'75.6' is not of type 'number'"); this
names the place ("key result 'latency' field 'current'"), the cause and the fix.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Any, Iterator

from generator.model.types import DEFAULT_TYPE, TYPES
from generator.reading.findings import ERROR, Finding
from generator.reading.frontmatter import Document
from generator.reading.report import escape_char
from generator.reading.type_slips import expected, shown, type_slip, yaml_trap

if TYPE_CHECKING:  # jsonschema is imported only when a document fails the quick check
    from jsonschema import Draft202012Validator, ValidationError

PEOPLE_PATH = "okrs/people.yaml"  # with the default source folder


def schema_findings(document: Document, check: Draft202012Validator, *, path: str,
                    people_path: str = PEOPLE_PATH) -> list[Finding]:
    """Every schema error of ``document``, at the YAML node it is about."""
    findings = []
    # a number the reader refused is None in the data: "is empty" would say it twice
    refused = {(p.line, p.column) for p in document.problems if p.code == "number-invalid"}
    for error in _leaf_errors(check.iter_errors(_due_dates_as_text(document.data))):
        for line, column, code, message in _describe(error, document, check.schema, people_path):
            if (line, column) not in refused:
                findings.append(Finding(path, line, column, ERROR, code, message))
    return sorted(set(findings))


def _due_dates_as_text(data: Any) -> Any:
    """The data with each key result's `due` date as ISO text, as JSON has it: YAML reads
    `due: 2026-12-15` as a date, which the quick validator cannot take (every such file
    would go the slow way). The type rules judge `due` itself (due-invalid)."""
    krs = data.get("key_results") if isinstance(data, dict) else None
    if not isinstance(krs, list) or not any(isinstance(kr, dict) and isinstance(kr.get("due"), date) for kr in krs):
        return data
    krs = [{**kr, "due": kr["due"].isoformat()} if isinstance(kr, dict) and isinstance(kr.get("due"), date) else kr
           for kr in krs]
    return {**data, "key_results": krs}


def _leaf_errors(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    # An if/then/else failure reports itself through its sub-errors; report those.
    for error in errors:
        if _one_of_required(error):  # "give at_least or at_most": one finding, not one per choice
            yield error
        elif error.context:
            yield from _leaf_errors(iter(error.context))
        else:
            yield error


def _one_of_required(error: ValidationError) -> bool:
    return error.validator == "anyOf" and bool(error.context) and all(
        sub.validator == "required" for sub in error.context)


Described = tuple[int, int, str, str]  # line, column, rule code, message


def _describe(error: ValidationError, doc: Document, schema: dict, people_path: str) -> list[Described]:
    at = tuple(error.absolute_path)
    where = _where(at, doc.data)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        line, column = doc.value_at(at)
        if missing == "owner":
            return [(line, column, "owner-missing", _owner_missing(at, doc.data, people_path))]
        return [(line, column, "schema", f"{where}: '{missing}' is required{_hint(schema, at, missing)}")]
    if error.validator == "additionalProperties":
        return _unknown_fields(error, at, where, doc)
    if error.validator is None and error.schema is False:
        return [_forbidden_field(error, at, doc, schema)]
    if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
        line, column = doc.key_at(at + (error.instance,))  # a bad id: point at the key itself
        return [(line, column, "schema", f"{where}: {_plain_message(error)}")]
    line, column = doc.value_at(at)
    if at and at[-1] == "owner" and error.instance in (None, ""):
        return [(line, column, "owner-missing", _owner_missing(at[:-1], doc.data, people_path))]
    if error.validator == "not" and "pattern" in (error.validator_value or {}):
        if not isinstance(error.instance, str):
            return []  # a pattern says nothing about a value that is no text: its type error does
        return [(line, column, "schema", _forbidden_character(where, error.instance, error.validator_value["pattern"]))]
    slip = type_slip(error, at=at, where=where, doc=doc)
    if slip is not None:
        message, moved = slip
        return [(line, moved or column, "schema", message)]
    if error.validator == "type" and error.instance is None:
        return [(line, column, "schema", f"{where} is empty; give it a value{_hint(schema, at[:-1], str(at[-1]))}")]
    if error.validator == "type" and at in doc.plain_text and not isinstance(error.instance, str):
        return [(line, column, "schema", yaml_trap(where, doc.plain_text[at], error))]
    return [(line, column, "schema", f"{where}: {_plain_message(error)}")]


# Unknown fields named one by one per mapping; the rest are counted in one more finding
# (a hostile file of 70,000 keys must not cost 70,000 suggestions).
UNKNOWN_FIELDS_SHOWN = 10


def _unknown_fields(error: ValidationError, at: tuple, where: str, doc: Document) -> list[Described]:
    """Every unknown field of the mapping, in file order, each at its key with the
    closest known name."""
    allowed = sorted(error.schema.get("properties", {}))
    known = set(allowed)
    extra = [name for name in error.instance if name not in known]
    found = []
    for name in extra[:UNKNOWN_FIELDS_SHOWN]:
        line, column = doc.key_at(at + (name,))
        guess = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"the fields are: {', '.join(allowed)}"
        found.append((line, column, "schema", f"{where}: unknown field '{name}'; {hint}"))
    if len(extra) > UNKNOWN_FIELDS_SHOWN:
        line, column = doc.key_at(at + (extra[UNKNOWN_FIELDS_SHOWN],))
        found.append((line, column, "schema", f"{where}: {len(extra) - UNKNOWN_FIELDS_SHOWN:,} more unknown fields "
                                              f"from here on; the fields are: {', '.join(allowed)}"))
    return found


def _forbidden_field(error: ValidationError, at: tuple, doc: Document, schema: dict) -> Described:
    """A field another key-result type uses, on this one (a `false` subschema).

    jsonschema leaves the property's name out of such an error's path, so we look up
    which fields the failing branch forbids (any number of branches) that the key result
    has; the message names the key result's own type (from the registry).
    """
    kr = _get(doc.data, at)
    forbidden = _branch_properties(error, schema)
    present = [k for k, v in forbidden.items() if v is False and isinstance(kr, dict) and k in kr]
    if not present:
        line, column = doc.value_at(at)
        return line, column, "schema", f"{_where(at, doc.data)}: {error.message}"
    name = present[0]
    kind = kr.get("type", DEFAULT_TYPE)
    kind = kind if isinstance(kind, str) and kind in TYPES else DEFAULT_TYPE
    line, column = doc.key_at(at + (name,))
    return line, column, "schema", (
        f"{_where(at, doc.data)}: '{name}' is not used by {kind} key results; "
        f"remove '{', '.join(present)}' or change 'type'"
    )


def _branch_properties(error: ValidationError, schema: dict) -> dict:
    """The `properties` of the key-result branch (e.g. allOf/1/then) that ``error`` failed in.

    Its schema path starts at the objective and skips the `$ref` into $defs/key_result;
    the part after the last `items` is the path inside the key result's schema."""
    path = list(error.absolute_schema_path)
    inside = path[len(path) - path[::-1].index("items"):] if "items" in path else []
    node: Any = schema.get("$defs", {}).get("key_result", {})
    for part in inside:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return {}
    return node if isinstance(node, dict) else {}


def _get(data: Any, at: tuple) -> Any:
    for part in at:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _where(at: tuple, data: Any) -> str:
    """A reader's name for a place: "key result 'p99-latency'", "field 'owner'"."""
    if len(at) >= 2 and at[0] == "key_results" and isinstance(at[1], int):
        kr = data["key_results"][at[1]] if isinstance(data, dict) else None
        kr_id = kr.get("id") if isinstance(kr, dict) else None
        name = f"key result '{kr_id}'" if isinstance(kr_id, str) else f"key result #{at[1] + 1}"
        rest = at[2:]
        return name + (f" field '{'.'.join(map(str, rest))}'" if rest else "")
    if not at:
        return "objective"
    return "field '" + ".".join(map(str, at)) + "'"


def _owner_missing(at: tuple, data: Any, people_path: str) -> str:
    where = _where(at, data)
    if where.startswith("key result"):
        return (f"{where} has no owner; every key result needs exactly one owner, "
                f"a person listed in {people_path}")
    return f"the objective has no owner; add `owner:` with a person listed in {people_path}"


def _forbidden_character(where: str, text: str, pattern: str) -> str:
    """A text field holds a character the schema refuses (a control or bidi character)."""
    found = re.search(pattern, text)
    char = found.group() if found else ""
    code = f"U+{ord(char):04X}" if char else "?"
    if "\u2066" <= char <= "\u2069" or "\u202a" <= char <= "\u202e":
        what = f"the bidi control character {code} ({unicodedata.name(char)}), which reorders the text shown"
    elif char in "\u2028\u2029\n\r":
        what = f"a line break ({code}), but it must be a single line"
    else:
        what = f"the control character {code} ({escape_char(char)})"
    return f"{where} contains {what}; remove it"


def _plain_message(error: ValidationError) -> str:
    if _one_of_required(error):
        names = [name for choice in error.validator_value for name in choice.get("required", [])]
        return f"give {' or '.join(repr(name) for name in names)} ({'or both' if len(names) == 2 else 'or several'})"
    if error.validator == "enum":
        return f"{shown(error.instance)} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "pattern":
        example = (error.schema.get("examples") or [None])[0]
        hint = f" (e.g. '{example}')" if isinstance(example, str) else ""
        return (f"{error.instance!r} is not allowed here: it must match {error.validator_value}{hint}; "
                "use lowercase letters, digits and hyphens" if "a-z0-9" in error.validator_value
                and "A-Z" not in error.validator_value else
                f"{error.instance!r} does not match the pattern {error.validator_value}{hint}")
    if error.validator == "exclusiveMinimum":
        return f"must be more than {error.validator_value}, not {shown(error.instance)}"
    if error.validator in ("minimum", "maximum"):
        word = "at least" if error.validator == "minimum" else "at most"
        return f"must be {word} {error.validator_value}, not {shown(error.instance)}"
    if error.validator == "type":
        return f"{shown(error.instance)} is not {expected(error.validator_value)}"
    if error.validator == "minLength" and error.instance == "":
        return "is empty; give it a value"
    return error.message


def _hint(schema: dict, at: tuple, missing: str) -> str:
    props = schema.get("properties", {})
    if at and at[0] == "key_results":
        props = schema.get("$defs", {}).get("key_result", {}).get("properties", {})
    description = props.get(missing, {}).get("description")
    return f" ({description})" if description else ""
