"""The "How to edit OKRs" reference, read from the JSON schemas' descriptions.

The schemas are the single source of truth, so the page can never drift from them.
"""

from __future__ import annotations

import json
from typing import Any


def _type_of(spec: Any) -> str:
    if spec is False:
        return "not allowed"
    if spec.get("format") == "date" and "type" not in spec:  # YAML reads 2026-12-15 as a date itself
        return "date (YYYY-MM-DD)"
    if "enum" in spec:
        return " | ".join(map(str, spec["enum"]))
    kind = spec.get("type", "")
    if isinstance(kind, list):  # e.g. a period: text, or a bare year
        return " or ".join(_type_of({**spec, "type": k}) for k in kind)
    if kind == "array":
        items = spec.get("items", {})
        if "$ref" in items:
            return f"list of {items['$ref'].rsplit('/', 1)[-1].replace('_', ' ')}s"
        return f"list ({_type_of(items)})"
    if kind == "number" and ("minimum" in spec or "maximum" in spec):
        return f"number {spec.get('minimum', '')}..{spec.get('maximum', '')}"
    if kind == "integer":
        return "whole number"
    if kind == "string" and "pattern" in spec:
        return f"text matching {spec['pattern']}"
    return {"string": "text", "boolean": "true or false"}.get(kind, kind) or "value"


def _example(spec: Any) -> str | None:
    examples = spec.get("examples") if isinstance(spec, dict) else None
    if not examples:
        return None
    value = examples[0]
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def field_rows(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per property: name, required, type, description, example."""
    required = set(schema.get("required", []))
    rows = []
    for name, spec in schema.get("properties", {}).items():
        if spec is False:
            continue
        rows.append({
            "name": name,
            "required": name in required,
            "type": _type_of(spec),
            "description": spec.get("description", ""),
            "example": _example(spec),
        })
    return rows


def reference(objective_schema: dict[str, Any], people_schema: dict[str, Any]) -> dict[str, Any]:
    """Everything the page shows, as sections of rows."""
    defs = objective_schema.get("$defs", {})
    people_defs = people_schema.get("$defs", {})
    return {
        "objective": {"description": objective_schema.get("description", ""), "rows": field_rows(objective_schema)},
        "key_result": {"description": defs.get("key_result", {}).get("description", ""),
                       "rows": field_rows(defs.get("key_result", {}))},
        "people": {"description": people_schema.get("description", ""),
                   "person": field_rows(people_defs.get("person", {})),
                   "team": field_rows(people_defs.get("team", {}))},
    }
