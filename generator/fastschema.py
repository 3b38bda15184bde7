"""A quick yes/no check of data against a JSON schema, for the common case: a valid file.

jsonschema explains every error precisely but costs more than parsing the YAML itself.
Most files (and almost every historic revision) are valid, so ``QuickValidator`` first
asks a small compiled check; only a "no" goes to jsonschema for the located findings.

The compiled check understands the keywords the OKR schemas use. A schema with any other
keyword is not compiled and every call goes to jsonschema. Where in doubt the check says
"no", so it never accepts what jsonschema would refuse.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator

from jsonschema import Draft202012Validator, ValidationError

Check = Callable[[Any], bool]

_ANNOTATIONS = {"$schema", "$id", "$comment", "$defs", "definitions", "title", "description",
                "examples", "default", "deprecated", "readOnly", "writeOnly", "format"}
_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class Unsupported(Exception):
    """The schema uses a keyword the compiler does not know."""


class QuickValidator:
    """Quacks like the jsonschema validator that ``schemas.schema_findings`` uses."""

    def __init__(self, validator: Draft202012Validator) -> None:
        self.validator = validator
        self.schema = validator.schema
        try:
            self.quick: Check | None = compile_schema(validator.schema)
        except (Unsupported, re.error, TypeError, KeyError):
            self.quick = None

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        if self.quick is not None and self.quick(instance):
            return iter(())
        return self.validator.iter_errors(instance)


def compile_schema(schema: Any) -> Check:
    """A function telling whether data is valid against ``schema``; raises Unsupported."""
    return _Compiler(schema).compile(schema)


class _Compiler:
    def __init__(self, root: Any) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise Unsupported(repr(schema))
        checks = []
        if {"properties", "additionalProperties", "required"} & set(schema):
            checks.append(self._object(schema))
        for keyword, value in schema.items():
            if keyword in _ANNOTATIONS or keyword in ("then", "else", "properties", "additionalProperties",
                                                      "required"):
                continue
            build = getattr(self, "_" + keyword.lstrip("$"), None)
            if build is None:
                raise Unsupported(keyword)
            checks.append(build(value, schema))
        return _all(checks)

    def _type(self, value: Any, schema: dict) -> Check:
        names = [value] if isinstance(value, str) else list(value)
        tests = [_TYPES[name] for name in names]
        if len(tests) == 1:
            return tests[0]
        return lambda v: any(test(v) for test in tests)

    def _object(self, schema: dict) -> Check:
        """properties, additionalProperties and required in one pass over the mapping."""
        if "patternProperties" in schema:
            raise Unsupported("patternProperties")
        props = {name: self.compile(sub) for name, sub in schema.get("properties", {}).items()}
        extra = self.compile(schema["additionalProperties"]) if "additionalProperties" in schema else None
        required = tuple(schema.get("required", ()))

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for name in required:
                if name not in v:
                    return False
            for name, item in v.items():
                sub = props.get(name)
                if sub is None:
                    if extra is not None and not extra(item):
                        return False
                elif not sub(item):
                    return False
            return True

        return check

    def _items(self, value: Any, schema: dict) -> Check:
        if "prefixItems" in schema:
            raise Unsupported("prefixItems")
        item = self.compile(value)
        return lambda v: not isinstance(v, list) or all(item(x) for x in v)

    def _minItems(self, value: int, schema: dict) -> Check:
        return lambda v: not isinstance(v, list) or len(v) >= value

    def _maxItems(self, value: int, schema: dict) -> Check:
        return lambda v: not isinstance(v, list) or len(v) <= value

    def _uniqueItems(self, value: bool, schema: dict) -> Check:
        if not value:
            return lambda v: True
        # Only lists of strings are decided here; anything else goes to jsonschema.
        return lambda v: not isinstance(v, list) or (
            all(isinstance(x, str) for x in v) and len(set(v)) == len(v))

    def _minLength(self, value: int, schema: dict) -> Check:
        return lambda v: not isinstance(v, str) or len(v) >= value

    def _maxLength(self, value: int, schema: dict) -> Check:
        return lambda v: not isinstance(v, str) or len(v) <= value

    def _pattern(self, value: str, schema: dict) -> Check:
        search = re.compile(value).search
        return lambda v: not isinstance(v, str) or search(v) is not None

    def _enum(self, value: list, schema: dict) -> Check:
        return _one_of_values(list(value))

    def _const(self, value: Any, schema: dict) -> Check:
        return _one_of_values([value])

    def _minimum(self, value: float, schema: dict) -> Check:
        return lambda v: not _TYPES["number"](v) or v >= value

    def _maximum(self, value: float, schema: dict) -> Check:
        return lambda v: not _TYPES["number"](v) or v <= value

    def _exclusiveMinimum(self, value: float, schema: dict) -> Check:
        return lambda v: not _TYPES["number"](v) or v > value

    def _exclusiveMaximum(self, value: float, schema: dict) -> Check:
        return lambda v: not _TYPES["number"](v) or v < value

    def _if(self, value: Any, schema: dict) -> Check:
        test = self.compile(value)
        then = self.compile(schema.get("then", True))
        otherwise = self.compile(schema.get("else", True))
        return lambda v: then(v) if test(v) else otherwise(v)

    def _allOf(self, value: list, schema: dict) -> Check:
        return _all([self.compile(sub) for sub in value])

    def _anyOf(self, value: list, schema: dict) -> Check:
        subs = [self.compile(sub) for sub in value]
        return lambda v: any(sub(v) for sub in subs)

    def _oneOf(self, value: list, schema: dict) -> Check:
        subs = [self.compile(sub) for sub in value]
        return lambda v: sum(1 for sub in subs if sub(v)) == 1

    def _not(self, value: Any, schema: dict) -> Check:
        sub = self.compile(value)
        return lambda v: not sub(v)

    def _ref(self, value: str, schema: dict) -> Check:
        if not value.startswith("#/"):
            raise Unsupported(value)
        if value not in self.refs:
            self.refs[value] = lambda v: True  # a placeholder while compiling recursive refs
            target: Any = self.root
            for part in value[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            compiled = self.compile(target)
            self.refs[value] = compiled
        return lambda v: self.refs[value](v)


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    every = tuple(checks)

    def check(v: Any) -> bool:
        for one in every:
            if not one(v):
                return False
        return True

    return check


def _one_of_values(values: list) -> Check:
    # JSON equality keeps true apart from 1; only scalars are decided here.
    if not all(x is None or isinstance(x, (str, bool, int, float)) for x in values):
        raise Unsupported("enum of containers")
    keyed = {(type(x) is bool, x) for x in values}
    return lambda v: (v is None or isinstance(v, (str, bool, int, float))) and (type(v) is bool, v) in keyed
