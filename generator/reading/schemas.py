"""The JSON schemas decide structure; this maps their errors onto YAML lines.

The schema files are the single source of truth: a repository's own ``schema/`` folder
wins, else the copy packaged with the tool is used. A repository's schema is checked
before use: its ``$ref``s may point only inside itself or at the packaged schemas (nothing
is ever fetched, from the network or from disk), and its patterns must be regular
expressions that run in linear time (jsonschema-rs' linear engine decides every
``pattern``, also for jsonschema, whose Python ``re`` could backtrack for minutes).
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import urldefrag, urljoin

from generator.config import ConfigError
from generator.model.types import DEFAULT_TYPE, TYPES
from generator.reading.findings import ERROR, Finding
from generator.reading.fastschema import QuickValidator, linear_pattern
from generator.reading.frontmatter import Document
from generator.reading.report import escape_char

if TYPE_CHECKING:  # jsonschema is imported only when a document fails the quick check
    from jsonschema import Draft202012Validator, ValidationError

OBJECTIVE = "objective.schema.json"
PEOPLE = "people.schema.json"


def schema_path(root: Path, name: str) -> Path:
    """The repository's own schema; else the one installed with the tool."""
    for folder in (root / "schema", Path(__file__).resolve().parents[2] / "schema"):
        if (folder / name).is_file():
            return folder / name
    return Path(str(resources.files("generator.schema") / name))  # a non-editable install


class SchemaError(ConfigError):
    """A schema file that cannot be used safely: `okrs` exits 2 with the message."""


def _packaged_path(name: str) -> Path:
    local = Path(__file__).resolve().parents[2] / "schema" / name  # a source checkout
    return local if local.is_file() else Path(str(resources.files("generator.schema") / name))


@lru_cache(maxsize=2)
def _packaged() -> tuple[tuple[str, dict], ...]:
    """(uri, schema) of each schema packaged with the tool: what a `$ref` may reach besides
    its own file. Each is known by its `$id` and by its file name."""
    found = []
    for name in (OBJECTIVE, PEOPLE):
        schema = json.loads(_packaged_path(name).read_text(encoding="utf-8"))
        found += [(schema["$id"], schema), (name, schema)]
    return tuple(found)


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _read(path: Path, shown: str) -> dict:
    """A schema file, checked for what could fetch, read or hang (raises SchemaError)."""
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise SchemaError(f"{shown}: cannot read it as JSON: {err}") from None
    if not isinstance(schema, dict):
        raise SchemaError(f"{shown}: a schema must be a JSON object")
    _refuse_unsafe_parts(schema, shown)
    return schema


# Keywords whose values are data, not subschemas: a "$ref" inside them means nothing.
_DATA_KEYWORDS = {"enum", "const", "examples", "default", "description", "title"}
_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _refuse_unsafe_parts(schema: dict, shown: str) -> list[str]:
    """Raise SchemaError for a part that could fetch, read or hang; return the `$ref`s."""
    base = schema.get("$id") if isinstance(schema.get("$id"), str) else ""
    subschemas: list[Any] = [schema]
    inside = {urldefrag(base)[0]}  # resources the schema holds itself: its own and nested `$id`s
    refs: list[str] = []
    while subschemas:  # a flat walk: a hostile schema may nest deeply
        node = subschemas.pop()
        if isinstance(node, list):
            subschemas += node
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                refs.append(value)
            elif key == "$id" and isinstance(value, str):
                inside.add(urldefrag(urljoin(base, value))[0])
            elif key == "$schema" and isinstance(value, str) and value.rstrip("#") != _DRAFT:
                raise SchemaError(f"{shown}: $schema '{value}' is not allowed: OKR schemas are JSON Schema 2020-12 "
                                  f"(\"$schema\": \"{_DRAFT}\")")
            elif key == "patternProperties":
                raise SchemaError(f"{shown}: patternProperties is not supported in OKR schemas; "
                                  "use propertyNames with a pattern")
            elif key == "pattern" and isinstance(value, str) and linear_pattern(value) is None:
                raise SchemaError(f"{shown}: the pattern {value!r} is not allowed: patterns must be regular "
                                  "expressions without lookaround or backreferences (they run in linear time)")
            elif key not in _DATA_KEYWORDS:
                subschemas.append(value)
    allowed = inside | {uri for uri, _ in _packaged()}
    for ref in refs:
        if urldefrag(urljoin(base, ref))[0] not in allowed:
            raise SchemaError(f"{shown}: $ref '{ref}' is not allowed: only references inside the packaged "
                              "schemas are (nothing is fetched)")
    return refs


def _registry() -> Any:
    """The packaged schemas for jsonschema's `$ref`s, and no retrieval of anything else."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    def refuse(uri: str) -> Any:
        from referencing.exceptions import NoSuchResource
        raise NoSuchResource(ref=uri)

    resources_ = [(uri, Resource.from_contents(found, default_specification=DRAFT202012)) for uri, found in _packaged()]
    return Registry(retrieve=refuse).with_resources(resources_)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterator[ValidationError]:
    """jsonschema's `pattern`, decided by the linear engine (the schema was checked: it compiles)."""
    from jsonschema import ValidationError

    matches = linear_pattern(pattern)
    if validator.is_type(instance, "string") and matches is not None and not matches(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=1)
def _validator_class() -> Any:
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"pattern": _pattern}) if linear_pattern("a") else Draft202012Validator


def _checked_validator(schema: dict, shown: str = "schema") -> Draft202012Validator:
    from jsonschema.exceptions import SchemaError as Invalid

    from referencing.exceptions import Unresolvable

    cls = _validator_class()
    try:
        cls.check_schema(schema)
    except Invalid as err:
        where = "/".join(map(str, err.absolute_path))
        raise SchemaError(f"{shown}: not a valid JSON Schema 2020-12 (at '{where}'): {err.message}") from None
    from referencing import Resource
    from referencing.jsonschema import DRAFT202012

    registry = _registry()
    base = schema.get("$id") if isinstance(schema.get("$id"), str) else ""
    # the references jsonschema will follow, followed now: a broken one is an error now, not mid-check
    resolver = registry.with_resource(base, Resource.from_contents(schema, default_specification=DRAFT202012)).resolver(base)
    for ref in _refuse_unsafe_parts(schema, shown):
        try:
            resolver.lookup(ref)
        except Unresolvable:
            raise SchemaError(f"{shown}: $ref '{ref}' points at nothing: fix the reference") from None
    return cls(schema, registry=registry)


@lru_cache(maxsize=8)
def _validator(path: Path, mtime_ns: int, shown: str) -> Draft202012Validator:
    return _checked_validator(_read(path, shown), shown)


def quick_validator(root: Path, name: str) -> QuickValidator:
    """The quick check of a schema, with jsonschema behind it for the documents that fail."""
    path = schema_path(root, name)
    return _quick_validator(path, path.stat().st_mtime_ns, _display(path, root))


@lru_cache(maxsize=8)
def _quick_validator(path: Path, mtime_ns: int, shown: str) -> QuickValidator:
    schema = _read(path, shown)
    return QuickValidator(schema=schema, make_validator=lambda: _checked_validator(schema, shown),
                          resources=_packaged())


def load_schema(root: Path, name: str) -> dict:
    """The schema, checked against the 2020-12 meta-schema (without importing jsonschema when
    jsonschema-rs can tell it is valid)."""
    return quick_validator(root, name).schema


def validator(root: Path, name: str) -> Draft202012Validator:
    path = schema_path(root, name)
    return _validator(path, path.stat().st_mtime_ns, _display(path, root))


PEOPLE_PATH = "okrs/people.yaml"  # with the default source folder


def schema_findings(document: Document, check: Draft202012Validator, *, path: str,
                    people_path: str = PEOPLE_PATH) -> list[Finding]:
    """Every schema error of ``document``, at the YAML node it is about."""
    findings = []
    # a number the reader refused is None in the data: "is empty" would say it twice
    refused = {(p.line, p.column) for p in document.problems if p.code == "number-invalid"}
    for error in _leaf_errors(check.iter_errors(document.data)):
        line, column, code, message = _describe(error, document, check.schema, people_path)
        if (line, column) in refused:
            continue
        findings.append(Finding(path, line, column, ERROR, code, message))
    return sorted(set(findings))


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


def _describe(error: ValidationError, doc: Document, schema: dict, people_path: str) -> tuple[int, int, str, str]:
    at = tuple(error.absolute_path)
    where = _where(at, doc.data)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        line, column = doc.value_at(at)
        if missing == "owner":
            return line, column, "owner-missing", _owner_missing(at, doc.data, people_path)
        return line, column, "schema", f"{where}: '{missing}' is required{_hint(schema, at, missing)}"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        name = extra[0] if extra else "?"
        line, column = doc.key_at(at + (name,))
        allowed = sorted(error.schema.get("properties", {}))
        guess = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"the fields are: {', '.join(allowed)}"
        return line, column, "schema", f"{where}: unknown field '{name}'; {hint}"
    if error.validator is None and error.schema is False:
        return _forbidden_field(error, at, doc, schema)
    if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
        line, column = doc.key_at(at + (error.instance,))  # a bad id: point at the key itself
        return line, column, "schema", f"{where}: {_plain_message(error)}"
    line, column = doc.value_at(at)
    if at and at[-1] == "owner" and error.instance in (None, ""):
        return line, column, "owner-missing", _owner_missing(at[:-1], doc.data, people_path)
    if error.validator == "not" and isinstance(error.instance, str) and "pattern" in (error.validator_value or {}):
        return line, column, "schema", _forbidden_character(where, error.instance, error.validator_value["pattern"])
    if error.validator == "type" and error.instance is None:
        return line, column, "schema", f"{where} is empty; give it a value{_hint(schema, at[:-1], str(at[-1]))}"
    if error.validator == "type" and at in doc.plain_text and not isinstance(error.instance, str):
        return line, column, "schema", _yaml_trap(where, doc.plain_text[at], error)
    return line, column, "schema", f"{where}: {_plain_message(error)}"


def _forbidden_field(error: ValidationError, at: tuple, doc: Document, schema: dict) -> tuple[int, int, str, str]:
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


_TYPE_WORDS = {"string": "text", "number": "a number", "integer": "a whole number",
               "boolean": "true or false", "array": "a list", "object": "a mapping of fields"}


def _expected(validator_value: Any) -> str:
    kinds = validator_value if isinstance(validator_value, list) else [validator_value]
    return " or ".join(_TYPE_WORDS.get(k, str(k)) for k in kinds)


def _yaml_trap(where: str, text: str, error: ValidationError) -> str:
    value = error.instance
    if where == "field 'period'" and isinstance(value, date):
        return (f"{where}: `{text}` is a date, not a period; use a quarter like 2026-Q4, "
                "a half like 2026-H2, a year like 2026, or a configured period")
    kind = ("a date" if isinstance(value, date) else "a boolean" if isinstance(value, bool)
            else "a number" if isinstance(value, (int, float)) else "null")
    return (f"{where}: `{text}` is read by YAML as {kind}, but {_expected(error.validator_value)} "
            f"is expected; put it in quotes: \"{text}\"")


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
        return f"{_shown(error.instance)} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "pattern":
        example = (error.schema.get("examples") or [None])[0]
        hint = f" (e.g. '{example}')" if isinstance(example, str) else ""
        return (f"{error.instance!r} is not allowed here: it must match {error.validator_value}{hint}; "
                "use lowercase letters, digits and hyphens" if "a-z0-9" in error.validator_value
                and "A-Z" not in error.validator_value else
                f"{error.instance!r} does not match the pattern {error.validator_value}{hint}")
    if error.validator == "exclusiveMinimum":
        return f"must be more than {error.validator_value}, not {_shown(error.instance)}"
    if error.validator in ("minimum", "maximum"):
        word = "at least" if error.validator == "minimum" else "at most"
        return f"must be {word} {error.validator_value}, not {_shown(error.instance)}"
    if error.validator == "type":
        return f"{_shown(error.instance)} is not {_expected(error.validator_value)}"
    if error.validator == "minLength" and error.instance == "":
        return "is empty; give it a value"
    return error.message


def _shown(value: Any) -> str:
    """The value as a message shows it: a 200,000-character title is not repeated whole."""
    if isinstance(value, (dict, list)):
        shown = repr(value) if len(value) <= 8 else f"a {type(value).__name__} of {len(value):,} items"
    else:
        shown = repr(value)
    return shown if len(shown) <= 80 else f"{shown[:60]}…({len(shown):,} characters)"


def _hint(schema: dict, at: tuple, missing: str) -> str:
    props = schema.get("properties", {})
    if at and at[0] == "key_results":
        props = schema.get("$defs", {}).get("key_result", {}).get("properties", {})
    description = props.get(missing, {}).get("description")
    return f" ({description})" if description else ""
