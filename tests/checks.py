"""What every module's tests share: direct reads of the database (as the schema owner, scoped to one
tenant, because every table forces row-level security) and the checks on the error shape."""
from __future__ import annotations

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
