"""What the business tests share: direct reads of the database (as the schema owner, scoped to one
tenant, because every table forces row-level security) and the checks on the error shape."""
from __future__ import annotations

import uuid
from contextlib import closing
from typing import Any

from chalicelib.core.migrations import owner_connection
from tests.api import body


def rows(business_id: str, sql: str, **params: Any) -> list[dict[str, Any]]:
    """``sql`` run inside ``business_id``'s tenant scope, rows as dicts."""
    with closing(owner_connection()) as conn:
        conn.run("SELECT set_config('app.business_id', :bid, false)", bid=str(business_id))
        found = conn.run(sql, **params)
        names = [c["name"] for c in conn.columns or ()]
    return [dict(zip(names, row)) for row in found]


def business_row(business_id: str) -> dict[str, Any]:
    found = rows(business_id, "SELECT * FROM businesses WHERE id = CAST(:id AS uuid)", id=business_id)
    assert len(found) == 1
    return found[0]


def memberships(business_id: str) -> dict[str, str]:
    """user id -> role, for every member of the business."""
    found = rows(business_id, "SELECT user_id, role FROM memberships WHERE business_id = CAST(:bid AS uuid)",
                 bid=business_id)
    return {str(r["user_id"]): r["role"] for r in found}


def invitations(business_id: str) -> list[dict[str, Any]]:
    return rows(business_id, "SELECT * FROM invitations WHERE business_id = CAST(:bid AS uuid) ORDER BY created_at",
                bid=business_id)


def open_invitations(business_id: str) -> list[dict[str, Any]]:
    return [r for r in invitations(business_id) if r["accepted_at"] is None and r["revoked_at"] is None]


def unique_slug(prefix: str = "studio") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    """The error object of a failed answer, after checking its status, code and shape."""
    assert response.status_code == status, response.body
    answer = body(response)
    assert set(answer) == {"error"}, answer
    error = answer["error"]
    assert set(error) == {"code", "message", "details"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"]
    return error


def invalid_fields(response: Any) -> dict[str, str]:
    """``details.fields`` of a 422."""
    fields = error_of(response, 422, "validation_failed")["details"]["fields"]
    assert isinstance(fields, dict) and fields
    return fields
