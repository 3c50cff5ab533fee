"""Every answer the HTTP tests receive, checked against /system/openapi.json: the status must be one
the operation documents, and the body must fit that status's schema (no body where none is documented).

``ContractClient`` wraps Chalice's test client; ``client.http`` checks each answer as it arrives and
raises ``ContractViolation`` on a mismatch. A request made from a thread other than the test's own can
swallow that exception, so a violation seen there is also kept in ``VIOLATIONS``, which an autouse fixture of
tests/conftest.py reads after each test.
"""
from __future__ import annotations

import functools
import json
import re
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jsonschema
from referencing import Registry, Resource

VIOLATIONS: list[str] = []


class ContractViolation(AssertionError):
    """An answer the published document does not describe."""


@dataclass(frozen=True)
class _Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    literal_segments: int
    responses: dict[str, Any]


@functools.cache
def document() -> dict[str, Any]:
    from chalicelib.core import openapi
    from chalicelib.core.endpoint import CONTRACTS

    import app  # noqa: F401  (registers every route's contract)

    return openapi.document(CONTRACTS)


def _closed(schema: Any) -> Any:
    """``schema`` with every object that names its properties closed to others: the endpoint sends
    only declared fields, so a field the document does not name is a drift (a view that built its own
    ``Response``, or a declaration left behind)."""
    if isinstance(schema, list):
        return [_closed(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    closed = {k: (v if k in ("properties", "examples") else _closed(v)) for k, v in schema.items()}
    if "properties" in schema:
        closed["properties"] = {name: _closed(s) for name, s in schema["properties"].items()}
        closed.setdefault("additionalProperties", False)
    return closed


@functools.cache
def _registry() -> Registry:
    doc = document()
    return Registry().with_resource("urn:booking-api", Resource.from_contents(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "components": _closed(doc["components"])}))


@functools.cache
def _operations() -> list[_Operation]:
    found = []
    for template, operations in document()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(template)) + "$")
        literal = sum(1 for part in template.split("/") if part and not part.startswith("{"))
        for method, operation in operations.items():
            found.append(_Operation(method.upper(), template, pattern, literal, operation["responses"]))
    return found


def operation_for(method: str, path: str) -> _Operation | None:
    """The documented operation a request reaches (a literal segment beats a path parameter, as in
    API Gateway), or None for a path or method the API does not have."""
    path = urlsplit(path).path
    matches = [op for op in _operations() if op.method == method.upper() and op.pattern.match(path)]
    return max(matches, key=lambda op: op.literal_segments, default=None)


def _validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    # Component references are written '#/components/schemas/X': resolve them against the document.
    rebased = json.loads(json.dumps(_closed(schema)).replace('"#/components/', '"urn:booking-api#/components/'))
    # Formats checked too: ids are UUIDs, instants RFC 3339 with their offset, days ISO dates.
    return jsonschema.Draft202012Validator(rebased, registry=_registry(),
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


_ANY_TEXT = jsonschema.Draft202012Validator({"type": "string"})


@functools.cache
def _validator_for(template: str, method: str, status: str) -> jsonschema.Draft202012Validator | None:
    content = document()["paths"][template][method.lower()]["responses"][status].get("content")
    if not content:
        return None
    if "application/json" not in content:  # text: any body
        return _ANY_TEXT
    return _validator(content["application/json"]["schema"])


def problems(method: str, path: str, status: int, body: bytes, content_type: str | None = None) -> list[str]:
    """What is wrong with one answer, judged by the document (empty: it fits)."""
    operation = operation_for(method, path)
    if operation is None:  # no such route: API Gateway's or Chalice's own answer, nothing of ours
        return []
    where = f"{method.upper()} {operation.template} -> {status}"
    if str(status) not in operation.responses:
        return [f"{where}: status not documented (documented: {sorted(operation.responses)}); body {body[:300]!r}"]
    validator = _validator_for(operation.template, method, str(status))
    if validator is None:
        return [] if not body else [f"{where}: a body where none is documented: {body[:300]!r}"]
    if validator is _ANY_TEXT:
        return []
    if content_type is not None and not content_type.startswith("application/json"):
        return [f"{where}: Content-Type {content_type!r} where JSON is documented"]
    try:
        value = json.loads(body)
    except ValueError:
        return [f"{where}: body is not JSON: {body[:300]!r}"]
    errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
    return [f"{where}: at {'/'.join(map(str, e.absolute_path)) or 'body'}: {e.message[:300]}" for e in errors[:5]]


class ValidatingHTTP:
    """Chalice's ``TestHTTPClient`` with every answer checked against the document."""

    def __init__(self, http: Any) -> None:
        self._http = http

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, body: Any = b"") -> Any:
        response = self._http.request(method, path, headers=headers, body=body)
        content_type = {k.lower(): v for k, v in response.headers.items()}.get("content-type")
        found = problems(method, path, response.status_code, response.body, content_type)
        if found:
            if threading.current_thread() is not threading.main_thread():
                VIOLATIONS.extend(found)
            raise ContractViolation("\n".join(found))
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)

    def options(self, path: str, **kwargs: Any) -> Any:
        return self.request("OPTIONS", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> Any:
        return self.request("HEAD", path, **kwargs)


class ContractClient:
    """A ``chalice.test.Client`` whose ``http`` checks every answer; ``lambda_`` and ``events`` as is."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.http = ValidatingHTTP(client.http)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)
