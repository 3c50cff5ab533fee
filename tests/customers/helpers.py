"""What the customer tests share: named calls, reads of the module's tables, the error checks."""
from __future__ import annotations

from typing import Any

from tests.api import Session, body, call
from tests.checks import error_of, invalid_fields, rows

__all__ = ["body", "call", "consents", "create", "created", "customer_row", "customers", "error_of",
           "invalid_fields", "notes", "rows", "search", "snapshot"]


def create(client: Any, session: Session, **fields: Any) -> Any:
    return call(client, "POST", "/customers", {"name": "Ada Lovelace", **fields}, session=session)


def created(client: Any, session: Session, **fields: Any) -> dict[str, Any]:
    """A new customer (the API's answer), asserting it was created."""
    response = create(client, session, **fields)
    assert response.status_code == 201, response.body
    return body(response)


def search(client: Any, session: Session, query: str = "") -> Any:
    return call(client, "GET", f"/customers{'?' + query if query else ''}", session=session)


def customers(business_id: str) -> list[dict[str, Any]]:
    """Every customer row of the business, oldest first."""
    return rows(business_id, "SELECT * FROM customers ORDER BY created_at, id")


def customer_row(business_id: str, customer_id: str) -> dict[str, Any]:
    [row] = rows(business_id, "SELECT * FROM customers WHERE id = CAST(:id AS uuid)", id=customer_id)
    return row


def notes(business_id: str, customer_id: str | None = None) -> list[dict[str, Any]]:
    return rows(business_id, "SELECT * FROM customer_notes WHERE CAST(:id AS uuid) IS NULL OR customer_id = "
                             "CAST(:id AS uuid) ORDER BY created_at, id", id=customer_id)


def consents(business_id: str, customer_id: str | None = None) -> list[tuple[str, bool, str]]:
    """(kind, granted, source) of each consent change, oldest first."""
    found = rows(business_id, "SELECT kind, granted, source FROM customer_consents WHERE CAST(:id AS uuid) IS NULL "
                              "OR customer_id = CAST(:id AS uuid) ORDER BY recorded_at, kind", id=customer_id)
    return [(r["kind"], r["granted"], r["source"]) for r in found]


def snapshot(business_id: str) -> tuple[Any, ...]:
    """Everything the module stores for a business, to show that a refused request changed nothing."""
    return (customers(business_id), notes(business_id),
            rows(business_id, "SELECT * FROM customer_consents ORDER BY recorded_at, kind, customer_id"))
