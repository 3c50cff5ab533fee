"""The OpenAPI 3.1 document, generated from the routes Chalice holds and their ``@endpoint``
declarations: the same structs that validate requests and serialise answers describe them here, with
every error status a route can give (in our shape, or in API Gateway's own where its authorizer
answers)."""
from __future__ import annotations

import copy
import re
from typing import Any

import msgspec
import msgspec.inspect

from chalicelib.core import answer
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

# API Gateway answers with a body of its own, never ours, where it turns a request away itself: for the
# built-in authorizer, no Authorization header gives 401 {"message": "Unauthorized"} and a token the
# authorizer denies 403 {"Message": "User is not authorized to access this resource with an explicit
# deny"}; a function that crashed or ran out of time gives 502 {"message": "Internal server error"},
# one past API Gateway's 29 s 504 {"message": "Endpoint request timed out"}.
_GATEWAY_ERROR_SCHEMA = {
    "type": "object",
    "description": "API Gateway's own body: its authorizer turned the request away (the route never ran), "
                   "or the function crashed or timed out.",
    "properties": {"message": {"type": "string"}, "Message": {"type": "string"}},
    "minProperties": 1,
    "maxProperties": 1,
    "additionalProperties": False,
    "examples": [{"message": "Unauthorized"},
                 {"Message": "User is not authorized to access this resource with an explicit deny"},
                 {"message": "Internal server error"}, {"message": "Endpoint request timed out"}],
}

_REASONS = {200: "OK", 201: "Created", 202: "Accepted", 204: "No content", 302: "Found: a redirect (see Location)",
            400: "Malformed JSON", 401: "No or invalid token", 403: "Token refused, or the role or plan does not allow it",
            404: "Not found (or another tenant's)", 409: "Conflict", 413: "Body over 1 MiB",
            415: "Content-Type is not JSON", 422: "Validation failed", 429: "Rate limited",
            500: "An unexpected fault (no detail of it is given)", 502: "The function failed (API Gateway's body)",
            503: "Temporarily unavailable; safe to retry", 504: "No answer within 29 s (API Gateway's body)"}

_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_GATEWAY_REF = {"$ref": "#/components/schemas/GatewayError"}
_EITHER_REF = {"oneOf": [_ERROR_REF, _GATEWAY_REF]}


def _schema_hook(kind: type) -> dict[str, Any]:
    if kind in answer.SCHEMAS:
        return dict(answer.SCHEMAS[kind])
    return schema_hook(kind)


def _error(status: int, schema: dict[str, Any] = _ERROR_REF) -> dict[str, Any]:
    return {"description": _REASONS.get(status, "Error"),
            "content": {"application/json": {"schema": copy.deepcopy(schema)}}}


def _gateway_error(status: int) -> dict[str, Any]:
    """401/403 of a member's route: API Gateway's body when the authorizer refused the token, ours when
    the route itself refused (a member removed meanwhile, a role too low, another's calendar)."""
    return _error(status, _EITHER_REF)


def _names_an_id(kind: type) -> bool:
    """Whether a body or query struct carries an id (or list of ids), which may find no row: 404."""
    def walk(info: Any, seen: set[int]) -> bool:
        if id(info) in seen:
            return False
        seen.add(id(info))
        if isinstance(info, msgspec.inspect.UUIDType):
            return True
        if isinstance(info, msgspec.inspect.StructType):
            return any(walk(f.type, seen) for f in info.fields)
        children = getattr(info, "types", None) or [getattr(info, "item_type", None)]
        return any(walk(child, seen) for child in children if child is not None)

    return walk(msgspec.inspect.type_info(kind), set())


def _answers(contract: Contract) -> dict[int, Any]:
    """Each success status of a route and its declared answer type (None: no body)."""
    if isinstance(contract.response, dict):
        return dict(contract.response)
    return {contract.status: None if contract.status == 204 else contract.response}


def _query_parameters(schema: type, components: dict[str, Any]) -> list[dict[str, Any]]:
    (ref,), found = msgspec.json.schema_components([schema], schema_hook=_schema_hook,
                                                   ref_template="#/components/schemas/{name}")
    components.update(found)
    struct = found[ref["$ref"].rsplit("/", 1)[1]]
    required = set(struct.get("required", []))
    return [{"name": name, "in": "query", "required": name in required, "schema": prop}
            for name, prop in struct["properties"].items()]


def _optional_body(found: dict[str, Any], ref: dict[str, Any]) -> bool:
    """A body none of whose fields is required may be left out: ``validate.decode`` reads it as ``{}``."""
    return not found[ref["$ref"].rsplit("/", 1)[1]].get("required")


def document(contracts: list[Contract]) -> dict[str, Any]:
    """Every declared route, in path order."""
    contracts = sorted(contracts, key=lambda c: (c.path, c.method))
    # Every declared type in one pass, so that each struct is one component however often it is used.
    kinds = [c.body for c in contracts if c.body is not None]
    kinds += [kind for c in contracts for kind in _answers(c).values() if kind not in (None, answer.PlainText)]
    refs, found = msgspec.json.schema_components(kinds, schema_hook=_schema_hook,
                                                 ref_template="#/components/schemas/{name}")
    schema_of = dict(zip(map(id, kinds), refs))
    components: dict[str, Any] = {"Error": copy.deepcopy(_ERROR_SCHEMA),
                                  "GatewayError": copy.deepcopy(_GATEWAY_ERROR_SCHEMA), **found}
    paths: dict[str, Any] = {}
    for contract in contracts:
        path, method = contract.path, contract.method
        responses: dict[str, Any] = {}
        for status, kind in _answers(contract).items():
            responses[str(status)] = {"description": _REASONS.get(status, "OK")}
            if kind is answer.PlainText:
                responses[str(status)]["content"] = {"text/plain": {"schema": {"type": "string"}}}
            elif kind is not None:
                responses[str(status)]["content"] = {"application/json": {"schema": schema_of[id(kind)]}}
        operation: dict[str, Any] = {
            "operationId": contract.name,
            "summary": contract.summary,
            "tags": [contract.tag],
            "parameters": [
                {"name": name, "in": "path", "required": True,
                 "schema": {"type": "string", "format": "uuid"} if name.endswith("_id") else {"type": "string"}}
                for name in re.findall(r"{(\w+)}", path)
            ],
            "responses": responses,
        }
        if contract.query is not None:
            operation["parameters"] += _query_parameters(contract.query, components)
        # Any route: a body over 1 MiB (413), a Content-Type other than JSON (415), a fault of ours (500), the
        # database unreachable or a deadlock (503, safe to retry).
        statuses = set(contract.errors) | {413, 415, 500, 503}
        if contract.idempotent:
            operation["parameters"].append({"name": "Idempotency-Key", "in": "header", "required": False,
                                            "schema": {"type": "string", "maxLength": 255}})
            statuses |= {409, 422}
        if contract.body is not None:
            ref = schema_of[id(contract.body)]
            operation["requestBody"] = {"required": not _optional_body(found, ref),
                                        "content": {"application/json": {"schema": ref}}}
            statuses |= {400, 422}
        if contract.query is not None:
            statuses.add(422)
        if "{" in path or any(k is not None and _names_an_id(k) for k in (contract.body, contract.query)):
            statuses.add(404)  # an unknown id, slug or token (or another tenant's id), in the path or the body
        if contract.public:
            operation["security"] = []
        else:
            operation["security"] = [{"bearer": []}]
            responses["401"] = _gateway_error(401)
            responses["403"] = _gateway_error(403)
            statuses -= {401, 403}
        responses["502"] = _error(502, _GATEWAY_REF)
        responses["504"] = _error(504, _GATEWAY_REF)
        for status in sorted(statuses):
            if str(status) in responses:  # an answer of the route's own (health's 503) or our error
                content = responses[str(status)]["content"]["application/json"]
                content["schema"] = {"oneOf": [content["schema"], _ERROR_REF]}
            else:
                responses[str(status)] = _error(status)
        operation["responses"] = dict(sorted(responses.items()))
        paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Booking API", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }
