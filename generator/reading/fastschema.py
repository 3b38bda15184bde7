"""A quick yes/no check against a JSON schema, for the common case: a valid file.

jsonschema explains every error precisely but costs more than parsing the YAML itself.
Most files (and almost every historic revision) are valid, so ``QuickValidator`` first
asks jsonschema-rs, a compiled JSON Schema 2020-12 validator, compiled from the same
schema file; only a "no" goes to jsonschema for the located findings. Where the quick
check cannot answer (the package is missing, or the data holds a value JSON has no type
for, like a YAML date), it says "no", so it never accepts what jsonschema would refuse.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

try:
    import jsonschema_rs
except ImportError:  # pragma: no cover - then every check goes to jsonschema
    jsonschema_rs = None

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError


class QuickValidator:
    """Quacks like the jsonschema validator that ``schema_errors.schema_findings`` uses."""

    def __init__(self, validator: Draft202012Validator | None = None, *, schema: dict | None = None,
                 make_validator: Callable[[], Draft202012Validator] | None = None,
                 resources: Sequence[tuple[str, dict]] = ()) -> None:
        """From a jsonschema validator, or lazily: from the ``schema`` and a way to make the
        validator when one is first needed (a document failed), so that a run where every
        document is valid never imports jsonschema. ``resources`` (uri, schema) are what a
        `$ref` may reach besides the schema itself: nothing is ever fetched."""
        self._validator = validator
        self._make_validator = make_validator
        self.schema = validator.schema if validator is not None else schema
        self._compiled = None
        if jsonschema_rs is not None:
            try:
                # A schema that is not a valid 2020-12 schema goes to jsonschema, which says why.
                if validator is not None or jsonschema_rs.meta.is_valid(self.schema):
                    self._compiled = jsonschema_rs.Draft202012Validator(
                        self.schema, offline=True, pattern_options=jsonschema_rs.RegexOptions(),
                        registry=jsonschema_rs.Registry(list(resources)) if resources else None,
                    )
            except Exception:  # noqa: BLE001 - a schema it cannot compile: jsonschema decides alone
                self._compiled = None
        if self._compiled is None:
            self.validator  # noqa: B018 - made now, so that a broken schema is reported now

    @property
    def validator(self) -> Draft202012Validator:
        if self._validator is None:
            assert self._make_validator is not None, "QuickValidator needs a validator or a way to make one"
            self._validator = self._make_validator()
        return self._validator

    @property
    def compiled(self) -> bool:
        return self._compiled is not None

    def quick(self, instance: Any) -> bool:
        """True only when the instance is surely valid."""
        if self._compiled is None:
            return False
        try:
            return bool(self._compiled.is_valid(instance))
        except Exception:  # noqa: BLE001 - e.g. a date: not a JSON value, let jsonschema explain
            return False

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        if self.quick(instance):
            return iter(())
        return self.validator.iter_errors(instance)


@lru_cache(maxsize=256)
def linear_pattern(pattern: str) -> Callable[[str], bool] | None:
    """Whether a string matches ``pattern`` (ECMA-262, as JSON Schema says), decided by the
    linear-time regex engine of jsonschema-rs; None when that engine cannot compile it
    (lookaround, backreferences, a syntax error) or jsonschema-rs is missing."""
    if jsonschema_rs is None:
        return None
    try:
        compiled = jsonschema_rs.validator_for({"pattern": pattern}, pattern_options=jsonschema_rs.RegexOptions())
    except Exception:  # noqa: BLE001 - jsonschema-rs raises ValueError, some versions others
        return None
    return compiled.is_valid
