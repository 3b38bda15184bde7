"""The JSON schemas that decide structure: found, checked for safety, compiled.

The schema files are the single source of truth: a repository's own ``schema/`` folder
wins, else the copy packaged with the tool is used. A repository's schema is checked
before use: its ``$ref``s may point only inside itself or at the packaged schemas (nothing
is ever fetched, from the network or from disk), and its patterns must be regular
expressions that run in linear time (jsonschema-rs' linear engine decides every
``pattern``, also for jsonschema, whose Python ``re`` could backtrack for minutes).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import urldefrag, urljoin

from generator.config import ConfigError
from generator.reading.fastschema import QuickValidator, linear_pattern

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
