"""The API reference page's data, read from the app's own OpenAPI schema.

Swagger UI and ReDoc need a CDN (or a heavy vendored bundle) and inline
scripts, which our Content-Security-Policy refuses; this small reader turns
``/openapi.json`` into plain rows (operations, parameters, response fields)
that ``apidocs.html`` renders, so the page works offline with no script.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["operations", "type_of"]


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: dict | None) -> str:
    """A short type for a JSON schema: "string", "integer ≥ 0", "list of EventRow", "StoryOut", "string | null"."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "anyOf" in schema:
        return " | ".join(dict.fromkeys(type_of(s) for s in schema["anyOf"]))
    t = schema.get("type", "any")
    if t == "array":
        return f"list of {type_of(schema.get('items'))}"
    if t == "object" and "additionalProperties" in schema and isinstance(schema["additionalProperties"], dict):
        return f"map to {type_of(schema['additionalProperties'])}"
    bounds = []
    if "minimum" in schema:
        bounds.append(f"≥ {schema['minimum']}")
    if "maximum" in schema:
        bounds.append(f"≤ {schema['maximum']}")
    return " ".join([t, *bounds])


def _fields(schema: dict, components: dict) -> tuple[str | None, list[dict]]:
    """The named model a response returns (itself or as list items) and its fields."""
    target = schema.get("items", schema) if schema.get("type") == "array" else schema
    if "$ref" not in target:
        return None, []
    name = _ref_name(target["$ref"])
    comp = components.get(name, {})
    required = set(comp.get("required", []))
    rows = [{"name": k, "type": type_of(v), "required": k in required} for k, v in comp.get("properties", {}).items()]
    return name, rows


def operations(schema: dict[str, Any]) -> list[dict]:
    """One row per operation: method, path, summary, parameters, response type and fields, an example link."""
    components = schema.get("components", {}).get("schemas", {})
    out = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [{
                "name": p["name"], "in": p.get("in"), "required": bool(p.get("required")),
                "type": type_of(p.get("schema")), "default": (p.get("schema") or {}).get("default"),
                "description": p.get("description") or (p.get("schema") or {}).get("description") or "",
            } for p in op.get("parameters", [])]
            ok = op.get("responses", {}).get("200", {})
            body = ok.get("content", {}).get("application/json", {}).get("schema", {})
            model, fields = _fields(body, components)
            errors = [f"{code}: {r.get('description', '')}" for code, r in op.get("responses", {}).items()
                      if code != "200"]
            example = path if method == "get" and "{" not in path else None
            out.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "params": params, "returns": type_of(body), "model": model, "fields": fields,
                        "errors": errors, "example": example, "anchor": re.sub(r"[^a-z0-9]+", "-", f"{method}-{path}".lower()).strip("-")})
    return out
