"""The OpenAPI 3.1 document, generated from the routes Chalice holds and their ``@endpoint``
declarations: the same structs that validate requests describe them here."""
from __future__ import annotations

import re
from typing import Any

import msgspec

from chalicelib.core.endpoint import Contract
from chalicelib.core.validate import schema_hook

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message", "details"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                       "details": {"type": "object"}},
    }},
}

_REASONS = {200: "OK", 201: "Created", 204: "No content", 400: "Malformed JSON",
            401: "No or invalid token", 403: "Role or plan does not allow it",
            404: "Not found (or another tenant's)", 409: "Conflict", 413: "Body over 1 MiB",
            422: "Validation failed", 429: "Rate limited"}


def _error(status: int) -> dict[str, Any]:
    return {"description": _REASONS.get(status, "Error"),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _query_parameters(schema: type, components: dict[str, Any]) -> list[dict[str, Any]]:
    (ref,), found = msgspec.json.schema_components([schema], schema_hook=schema_hook,
                                                   ref_template="#/components/schemas/{name}")
    components.update(found)
    struct = found[ref["$ref"].rsplit("/", 1)[1]]
    required = set(struct.get("required", []))
    return [{"name": name, "in": "query", "required": name in required, "schema": prop}
            for name, prop in struct["properties"].items()]


def document(contracts: list[Contract]) -> dict[str, Any]:
    """Every declared route, in path order."""
    paths: dict[str, Any] = {}
    bodies: list[type] = []
    components: dict[str, Any] = {"Error": _ERROR_SCHEMA}
    for contract in sorted(contracts, key=lambda c: (c.path, c.method)):
        path, method = contract.path, contract.method
        operation: dict[str, Any] = {
            "operationId": contract.name,
            "summary": contract.summary,
            "tags": [contract.tag],
            "parameters": [
                {"name": name, "in": "path", "required": True,
                 "schema": {"type": "string", "format": "uuid"} if name.endswith("_id") else {"type": "string"}}
                for name in re.findall(r"{(\w+)}", path)
            ],
            "responses": {str(contract.status): {"description": _REASONS.get(contract.status, "OK")}},
        }
        if contract.query is not None:
            operation["parameters"] += _query_parameters(contract.query, components)
        if contract.idempotent:
            operation["parameters"].append({"name": "Idempotency-Key", "in": "header", "required": False,
                                            "schema": {"type": "string", "maxLength": 255}})
        if contract.body is not None:
            bodies.append(contract.body)
            operation["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{contract.body.__name__}"}}}}
        statuses = set(contract.errors)
        if contract.body is not None:
            statuses |= {400, 413, 422}
        if contract.query is not None:
            statuses.add(422)
        if not contract.public:
            statuses |= {401, 404} if "{" in path else {401}
            operation["security"] = [{"bearer": []}]
            if contract.role != "staff":
                statuses.add(403)
        else:
            operation["security"] = []
        for status in sorted(statuses):
            operation["responses"][str(status)] = _error(status)
        paths.setdefault(path, {})[method.lower()] = operation
    if bodies:
        _, found = msgspec.json.schema_components(bodies, schema_hook=schema_hook,
                                                  ref_template="#/components/schemas/{name}")
        components.update(found)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Booking API", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }
