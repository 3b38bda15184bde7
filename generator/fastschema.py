"""A quick yes/no check against a JSON schema, for the common case: a valid file.

jsonschema explains every error precisely but costs more than parsing the YAML itself.
Most files (and almost every historic revision) are valid, so ``QuickValidator`` first
asks jsonschema-rs, a compiled JSON Schema 2020-12 validator, compiled from the same
schema file; only a "no" goes to jsonschema for the located findings. Where the quick
check cannot answer (the package is missing, or the data holds a value JSON has no type
for, like a YAML date), it says "no", so it never accepts what jsonschema would refuse.
"""

from __future__ import annotations

from typing import Any, Iterator

from jsonschema import Draft202012Validator, ValidationError

try:
    import jsonschema_rs
except ImportError:  # pragma: no cover - then every check goes to jsonschema
    jsonschema_rs = None


class QuickValidator:
    """Quacks like the jsonschema validator that ``schemas.schema_findings`` uses."""

    def __init__(self, validator: Draft202012Validator) -> None:
        self.validator = validator
        self.schema = validator.schema
        self._compiled = None
        if jsonschema_rs is not None:
            try:
                self._compiled = jsonschema_rs.Draft202012Validator(validator.schema)
            except Exception:  # noqa: BLE001 - a schema it cannot compile: jsonschema decides alone
                self._compiled = None

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
