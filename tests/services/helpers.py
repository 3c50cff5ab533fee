"""What the service (catalogue) tests share: named calls, staff rows made with SQL (the staff module is
built alongside), reads of ``services`` and ``service_staff``, and the error checks."""
from __future__ import annotations

from typing import Any

from tests.api import Session, body, call
from tests.checks import error_of, invalid_fields, rows


def create_service(client: Any, session: Session, **fields: Any) -> dict[str, Any]:
    payload = {"name": "Haircut", "duration_min": 45, "price": {"amount": 4500}, **fields}
    response = call(client, "POST", "/services", payload, session=session)
    assert response.status_code == 201, response.body
    return body(response)


def set_staff(client: Any, session: Session, service_id: str, staff: list[dict[str, Any]]) -> Any:
    return call(client, "PUT", f"/services/{service_id}/staff", {"staff": staff}, session=session)


def add_staff(business_id: str, name: str = "Sam Stylist") -> str:
    """A staff member, inserted directly: the id as a string."""
    [row] = rows(business_id, "INSERT INTO staff (business_id, name) VALUES (CAST(:bid AS uuid), :name) RETURNING id",
                 bid=business_id, name=name)
    return str(row["id"])


def service_rows(business_id: str) -> list[dict[str, Any]]:
    return rows(business_id, "SELECT * FROM services ORDER BY created_at, id")


def service_row(business_id: str, service_id: str) -> dict[str, Any]:
    found = rows(business_id, "SELECT * FROM services WHERE id = CAST(:id AS uuid)", id=service_id)
    assert len(found) == 1
    return found[0]


def performer_rows(business_id: str) -> list[dict[str, Any]]:
    """Every service_staff row of the business (ids as strings), in a fixed order."""
    found = rows(business_id, "SELECT * FROM service_staff ORDER BY service_id, staff_id")
    return [{**r, "business_id": str(r["business_id"]), "service_id": str(r["service_id"]),
             "staff_id": str(r["staff_id"])} for r in found]


_BOOK = """WITH customer AS (
    INSERT INTO customers (business_id, name) VALUES (CAST(:bid AS uuid), 'Casey Customer') RETURNING id),
location AS (
    INSERT INTO locations (business_id, name, time_zone) VALUES (CAST(:bid AS uuid), 'Shop', 'Europe/London')
    RETURNING id)
INSERT INTO appointments (business_id, location_id, service_id, staff_id, customer_id, start_at, end_at,
                          occupied, session_key, status, price_minor, currency, source)
SELECT CAST(:bid AS uuid), location.id, CAST(:service_id AS uuid), CAST(:staff_id AS uuid), customer.id,
       '2027-03-01 10:00+00', '2027-03-01 10:45+00', tstzrange('2027-03-01 10:00+00', '2027-03-01 10:45+00'),
       gen_random_uuid()::text, 'completed', 4500, 'GBP', 'staff'
  FROM customer, location
RETURNING *"""


def book_directly(business_id: str, service_id: str, staff_id: str) -> dict[str, Any]:
    """A completed appointment for the service, inserted directly (the appointments module is built
    alongside): the row."""
    [row] = rows(business_id, _BOOK, bid=business_id, service_id=service_id, staff_id=staff_id)
    return row
