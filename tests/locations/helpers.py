"""What the location tests share: named calls, reads of the ``locations`` table, the error checks."""
from __future__ import annotations

from typing import Any

from tests.api import Session, body, call
from tests.checks import error_of, invalid_fields, rows

# Monday with a lunch closing, Saturday mornings.
LUNCH_BREAK = [{"weekday": 1, "opens": "09:00", "closes": "12:30"},
               {"weekday": 1, "opens": "13:30", "closes": "18:00"},
               {"weekday": 6, "opens": "10:00", "closes": "14:00"}]


def create_location(client: Any, session: Session, **fields: Any) -> dict[str, Any]:
    response = call(client, "POST", "/locations", {"name": "Main Street", **fields}, session=session)
    assert response.status_code == 201, response.body
    return body(response)


def location_rows(business_id: str) -> list[dict[str, Any]]:
    """Every location of the business, oldest first."""
    return rows(business_id, "SELECT * FROM locations ORDER BY created_at, id")


def location_row(business_id: str, location_id: str) -> dict[str, Any]:
    found = rows(business_id, "SELECT * FROM locations WHERE id = CAST(:id AS uuid)", id=location_id)
    assert len(found) == 1
    return found[0]
