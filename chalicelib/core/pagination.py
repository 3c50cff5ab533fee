"""Keyset pagination behind opaque cursors: ``?limit=`` (1-200, default 50) and ``?cursor=``.

A cursor is the sort key of the last item served, base64url-encoded JSON, and
a signature: a key the client edited would reach SQL as values of the wrong
type (a 500), so only cursors made here are accepted. The service asks for
``limit + 1`` rows after it, so the answer knows whether a next page exists
without counting.
"""
from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import msgspec

from chalicelib.core import security
from chalicelib.core.errors import ValidationFailed
from chalicelib.core.validate import Struct

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageQuery(Struct):
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    cursor: str | None = None


def encode_cursor(key: Sequence[Any]) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(list(key), default=str).encode()).decode().rstrip("=")
    return f"{payload}.{security.signature('cursor', payload)}"


def decode_cursor(cursor: str | None, size: int) -> list[Any] | None:
    """The sort key a cursor carries (``size`` values), or 422 if it was not made by us."""
    if cursor is None:
        return None
    payload, _, mac = cursor.partition(".")
    key = None
    if hmac.compare_digest(mac.encode(), security.signature("cursor", payload).encode()):
        key = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))  # ours, so a list
    if key is None or len(key) != size:
        raise ValidationFailed({"cursor": "not a cursor from this list"})
    return key


def page(rows: list[dict[str, Any]], limit: int, sort_key: Callable[[dict[str, Any]], Sequence[Any]],
         serialise: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    """``rows`` holds up to ``limit + 1`` rows in list order; answer the API's list shape."""
    items = rows[:limit]
    next_cursor = encode_cursor(sort_key(items[-1])) if len(rows) > limit and items else None
    return {"items": [serialise(r) for r in items], "next_cursor": next_cursor}
