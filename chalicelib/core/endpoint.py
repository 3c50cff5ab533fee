"""``@endpoint``: one declaration per route that registers it with Chalice, checks who may call it,
decodes its body and query string, and is what the OpenAPI document is generated from.

Every tenant transaction a member's request opens re-checks, in the same round trip, that the
member still holds the role the route needs (``db.acting_for``): an access token outlives a
removal or demotion by up to its lifetime, the database does not.

A view receives what its declaration names, as keyword arguments: the path
parameters (``*_id`` ones parsed as UUIDs: anything else cannot exist, so 404),
``caller`` unless the route is public, ``body`` and ``query`` when declared (``request``
itself for a webhook that declares ``raw_request``). It
returns the JSON-able answer (``None`` for an empty one) or a ``Response``. The answer is converted
to the declared ``response`` type (``core.answer``): only its fields go out, and the document
describes them. A ``Response`` goes out as it is (the suite still checks it against the document).
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from chalice import Blueprint, Response

from chalicelib.core import answer, db, idempotency, platform, security, validate
from chalicelib.core.errors import NotFound
from chalicelib.core.http import json_response


@dataclass(frozen=True)
class Contract:
    name: str
    method: str
    path: str
    summary: str
    tag: str
    body: type | None
    query: type | None
    public: bool
    role: str
    status: int
    idempotent: bool
    errors: tuple[int, ...]
    # The answer's msgspec type, or {status: type} for a view that picks its status (None: sent as it is).
    response: Any = None


# Every declared route, in declaration order: the source of the OpenAPI document.
CONTRACTS: list[Contract] = []


def _path_value(name: str, value: str) -> Any:
    if name.endswith("_id"):
        try:
            return UUID(value)
        except ValueError:
            raise NotFound(name.removesuffix("_id").replace("_", " ")) from None
    return value


def _as_response(result: Any, status: int, response: Any = None) -> Response:
    """The view's result as the route's answer: converted to its declared ``response`` type, so only
    declared fields go out and the OpenAPI document describes exactly what is sent."""
    if isinstance(result, Response):
        return result
    kind = response.get(status) if isinstance(response, dict) else response
    if result is None or kind is None:
        return json_response(result, 204 if result is None else status)
    return Response(body=answer.encode(result, kind), status_code=status,
                    headers={"Content-Type": "application/json"})


def endpoint(bp: Blueprint, path: str, method: str, *, summary: str, tag: str,
             body: type | None = None, query: type | None = None, public: bool = False,
             role: str = "staff", status: int = 200, idempotent: bool = False,
             errors: tuple[int, ...] = (), response: Any = None, raw_request: bool = False,
             content_types: tuple[str, ...] = ("application/json",)
             ) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    if idempotent and public:
        raise ValueError("Idempotency-Key needs a tenant: only authenticated routes take it")

    def decorate(view: Callable[..., Any]) -> Callable[..., Response]:
        contract = Contract(view.__name__, method, path, summary, tag, body, query, public, role, status,
                            idempotent, errors, response)
        # An operator acts through their membership of the business they signed in to.
        member_role = "staff" if role == platform.ROLE else role
        CONTRACTS.append(contract)

        @functools.wraps(view)
        def handler(**path_params: str) -> Response:
            request = bp.current_request
            kwargs = {name: _path_value(name, value) for name, value in path_params.items()}
            who = None if public else security.caller(request, role=member_role)
            if who is not None:
                kwargs["caller"] = who
            if role == platform.ROLE:
                platform.require_operator(who.user_id)
            if body is not None:
                kwargs["body"] = validate.body(request, body)
            if query is not None:
                kwargs["query"] = validate.query(request, query)
            if raw_request:  # a webhook checks a signature over the exact bytes and headers sent
                kwargs["request"] = request
            if who is None:
                return _as_response(view(**kwargs), status, response)
            with db.acting_for(who.business_id, who.user_id, security.role_check(member_role)):
                key = request.headers.get(idempotency.HEADER) if idempotent else None
                if key is None:
                    return _as_response(view(**kwargs), status, response)
                request_hash = idempotency.fingerprint(method, f"{request.path} {sorted(path_params.items())}",
                                                       request.raw_body)
                return idempotency.run(who.business_id, who.user_id, key, request_hash,
                                       lambda: _as_response(view(**kwargs), status, response))

        bp.route(path, methods=[method], authorizer=None if public else security.jwt_auth,
                 content_types=list(content_types))(handler)
        return handler

    return decorate
