"""The catalogue: what can be booked (duration, price, buffers, seats, booking options) and which staff
perform it, each with an optional duration and price of their own.

Owns ``services`` and ``service_staff``. Prices are in the business's one currency (a per-staff price
in the service's). A service is archived, never deleted: appointments keep pointing at it, so it
stays readable (``"archived": true``) but read-only, inactive and not bookable.
"""
from __future__ import annotations

from typing import Any
from uuid import UUID

from chalicelib.business import service as business
from chalicelib.core import db
from chalicelib.core.db import ConstraintViolated, Tx
from chalicelib.core.errors import Conflict, NotFound, StaleVersion, ValidationFailed
from chalicelib.core.pagination import decode_cursor, page

_COLUMNS = """id, name, description, category, color, duration_min, price_minor, currency, buffer_before_min,
       buffer_after_min, capacity, active, bookable_online, requires_confirmation, intake_form_id,
       archived_at, version, created_at, updated_at"""

_INSERT = f"""-- a new service
INSERT INTO services (business_id, name, description, category, color, duration_min, price_minor, currency,
                      buffer_before_min, buffer_after_min, capacity, active, bookable_online,
                      requires_confirmation, intake_form_id)
VALUES (:bid, :name, :description, :category, :color, :duration_min, :price_minor, :currency,
        :buffer_before_min, :buffer_after_min, :capacity, :active, :bookable_online,
        :requires_confirmation, :intake_form_id)
RETURNING {_COLUMNS}"""

_GET = f"""-- one service, archived or not
SELECT {_COLUMNS} FROM services WHERE id = :id"""

_LOCK = f"""-- one service, held until commit: replacing its performers twice at once would collide
SELECT {_COLUMNS} FROM services WHERE id = :id FOR UPDATE"""

_PAGE = f"""-- a page of the catalogue, oldest first, filtered; archived services only when asked for
SELECT {_COLUMNS} FROM services
 WHERE (CAST(:include_archived AS boolean) OR archived_at IS NULL)
   AND (CAST(:active AS boolean) IS NULL OR active = CAST(:active AS boolean))
   AND (CAST(:category AS text) IS NULL OR category = CAST(:category AS text))
   AND (CAST(:after_at AS timestamptz) IS NULL
        OR (created_at, id) > (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid)))
 ORDER BY created_at, id
 LIMIT :limit"""

_BOOKABLE_ONLINE = f"""-- what customers can book on the public page, by name
SELECT {_COLUMNS} FROM services
 WHERE active AND bookable_online AND archived_at IS NULL
 ORDER BY name, id"""

_PERFORMERS = """-- who performs the given services: one query for a whole page, never one per service
SELECT service_id, staff_id, duration_min, price_minor FROM service_staff
 WHERE service_id = ANY(CAST(:ids AS uuid[]))
 ORDER BY service_id, staff_id"""

_CLEAR_PERFORMERS = """-- the performer set is replaced as a whole
DELETE FROM service_staff WHERE service_id = :id"""

_ADD_PERFORMER = """-- one performer, with an optional duration and price of their own
INSERT INTO service_staff (business_id, service_id, staff_id, duration_min, price_minor)
VALUES (:bid, :service_id, :staff_id, :duration_min, :price_minor)"""

_TOUCH = f"""-- the performers are part of the service: a change to them is a new version
UPDATE services SET version = version + 1, updated_at = now() WHERE id = :id
RETURNING {_COLUMNS}"""

_ARCHIVE = """-- archive once: no longer active or bookable; archiving again keeps the first time
UPDATE services SET archived_at = now(), active = false, version = version + 1, updated_at = now()
 WHERE id = :id AND archived_at IS NULL
RETURNING id"""

# Columns a create or a PATCH may set (price is split into price_minor and currency).
FIELDS = ("name", "description", "category", "color", "duration_min", "buffer_before_min", "buffer_after_min",
          "capacity", "active", "bookable_online", "requires_confirmation", "intake_form_id")
# What a create leaves out (the API's own defaults, for callers other than the route too).
DEFAULTS = {"description": None, "category": None, "color": None, "buffer_before_min": None,
            "buffer_after_min": None, "capacity": 1, "active": True, "bookable_online": True,
            "requires_confirmation": False, "intake_form_id": None}
# The composite foreign key that keeps a performer inside the service's own business.
_STAFF_FK = "service_staff_business_id_staff_id_fkey"
_FOREIGN_KEY_VIOLATION = "23503"



class ServiceArchived(Conflict):
    code, message = "service_archived", "The service is archived and can no longer be changed."


def _money(amount: int | None, currency: str) -> dict[str, Any] | None:
    return None if amount is None else {"amount": amount, "currency": currency}


def _performer_json(performer: dict[str, Any], currency: str) -> dict[str, Any]:
    return {"staff_id": str(performer["staff_id"]), "duration_min": performer["duration_min"],
            "price": _money(performer["price_minor"], currency)}


def service_json(row: dict[str, Any], performers: list[dict[str, Any]]) -> dict[str, Any]:
    """The API shape of a service row and its performers (as ``performers`` gives them)."""
    return {
        "id": str(row["id"]),
        "name": row["name"],
        "description": row["description"],
        "category": row["category"],
        "color": row["color"],
        "duration_min": row["duration_min"],
        "price": _money(row["price_minor"], row["currency"]),
        "buffer_before_min": row["buffer_before_min"],
        "buffer_after_min": row["buffer_after_min"],
        "capacity": row["capacity"],
        "active": row["active"],
        "bookable_online": row["bookable_online"],
        "requires_confirmation": row["requires_confirmation"],
        "intake_form_id": str(row["intake_form_id"]) if row["intake_form_id"] else None,
        "staff": [_performer_json(p, row["currency"]) for p in performers],
        "archived": row["archived_at"] is not None,
        "archived_at": row["archived_at"].isoformat() if row["archived_at"] else None,
        "version": row["version"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def _public_json(row: dict[str, Any], performers: list[dict[str, Any]]) -> dict[str, Any]:
    """What a customer sees: no buffers, flags, versions or timestamps."""
    return {
        "id": str(row["id"]),
        "name": row["name"],
        "description": row["description"],
        "category": row["category"],
        "color": row["color"],
        "duration_min": row["duration_min"],
        "price": _money(row["price_minor"], row["currency"]),
        "capacity": row["capacity"],
        "requires_confirmation": row["requires_confirmation"],
        "staff": [_performer_json(p, row["currency"]) for p in performers],
    }


def get(tx: Tx, service_id: UUID) -> dict[str, Any] | None:
    """The raw row (archived or not), or None when this tenant has no such service."""
    return tx.one(_GET, id=service_id)


def _performers_of(tx: Tx, service_ids: list[UUID]) -> dict[UUID, list[dict[str, Any]]]:
    """Service id -> its performers (staff_id, duration_min, price_minor; None: the service's own)."""
    found: dict[UUID, list[dict[str, Any]]] = {service_id: [] for service_id in service_ids}
    for row in tx.all(_PERFORMERS, ids=service_ids):
        found[row.pop("service_id")].append(row)
    return found


def performers(tx: Tx, service_id: UUID) -> list[dict[str, Any]]:
    """Who performs a service: staff_id, duration_min and price_minor (None: the service's own)."""
    return _performers_of(tx, [service_id])[service_id]


def public_list(tx: Tx) -> list[dict[str, Any]]:
    """Active, online-bookable, unarchived services by name, as the public booking page shows them."""
    rows = tx.all(_BOOKABLE_ONLINE)
    staff = _performers_of(tx, [row["id"] for row in rows])
    return [_public_json(row, staff[row["id"]]) for row in rows]


def read(business_id: UUID, service_id: UUID) -> dict[str, Any]:
    with db.tenant_tx(business_id) as tx:
        row = get(tx, service_id)
        if row is None:
            raise NotFound("service")
        found = performers(tx, service_id)
    return service_json(row, found)


def listing(business_id: UUID, *, limit: int, cursor: str | None, active: bool | None, category: str | None,
            include_archived: bool) -> dict[str, Any]:
    """A page of the catalogue in two queries, whatever its size."""
    after = decode_cursor(cursor, 2)
    with db.tenant_tx(business_id) as tx:
        rows = tx.all(_PAGE, include_archived=include_archived, active=active, category=category,
                      limit=limit + 1, after_at=after[0] if after else None, after_id=after[1] if after else None)
        staff = _performers_of(tx, [row["id"] for row in rows[:limit]])
    return page(rows, limit, lambda r: (r["created_at"].isoformat(), str(r["id"])),
                lambda r: service_json(r, staff[r["id"]]))


def _price_minor(price: dict[str, Any], currency: str, field: str) -> int:
    """The amount of a price in ``currency`` (the one prices are shown in), or 422."""
    if price.get("currency", currency) != currency:
        raise ValidationFailed({f"{field}.currency": f"must be {currency}, the currency prices are shown in"})
    return price["amount"]


def _columns(fields: dict[str, Any], currency: str) -> dict[str, Any]:
    """Column values from API fields; a price must be in ``currency``, the business's."""
    columns = {f: fields[f] for f in FIELDS if f in fields}
    if columns.get("color"):
        columns["color"] = columns["color"].lower()
    if "price" in fields:
        columns["price_minor"] = _price_minor(fields["price"], currency, "price")
        columns["currency"] = currency
    return columns


def create(business_id: UUID, fields: dict[str, Any]) -> dict[str, Any]:
    """A new service from API fields, priced in the business's currency; performers come with
    ``assign_staff``."""
    with db.tenant_tx(business_id) as tx:
        columns = _columns(fields, business.get(tx, business_id)["currency"])
        row = tx.one(_INSERT, bid=business_id, **{**DEFAULTS, **columns})
    return service_json(row, [])


def update(business_id: UUID, service_id: UUID, changes: dict[str, Any], *,
           expected_version: int | None) -> dict[str, Any]:
    """Apply a partial update (API fields); bumps the version. An archived service is read-only."""
    with db.tenant_tx(business_id) as tx:
        columns = _columns(changes, business.get(tx, business_id)["currency"])
        # Column names come from FIELDS, never from the request.
        assignments = "".join(f"{c} = :{c}, " for c in columns)
        sql = f"""-- partial update, bumping the version
UPDATE services SET {assignments}version = version + 1, updated_at = now()
 WHERE id = :id AND archived_at IS NULL
   AND (CAST(:expected AS integer) IS NULL OR version = CAST(:expected AS integer))
RETURNING {_COLUMNS}"""
        row = tx.one(sql, id=service_id, expected=expected_version, **columns)
        if row is None:
            _changeable(get(tx, service_id))
            raise StaleVersion("service")
        found = performers(tx, service_id)
    return service_json(row, found)


def _changeable(current: dict[str, Any] | None) -> dict[str, Any]:
    """The service, if it exists and is not archived."""
    if current is None:
        raise NotFound("service")
    if current["archived_at"] is not None:
        raise ServiceArchived()
    return current


def _unique_staff(entries: list[dict[str, Any]]) -> None:
    seen: set[UUID] = set()
    for index, entry in enumerate(entries):
        if entry["staff_id"] in seen:
            raise ValidationFailed({f"staff.{index}.staff_id": "listed twice"})
        seen.add(entry["staff_id"])


def assign_staff(business_id: UUID, service_id: UUID, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Replace the whole performer set in one transaction; 422 naming the first staff id this business
    does not have (the composite foreign key decides, so another tenant's staff is unknown too)."""
    _unique_staff(entries)
    with db.tenant_tx(business_id) as tx:
        current = _changeable(tx.one(_LOCK, id=service_id))
        currency = current["currency"]
        prices = [None if e.get("price") is None else _price_minor(e["price"], currency, f"staff.{i}.price")
                  for i, e in enumerate(entries)]
        tx.execute(_CLEAR_PERFORMERS, id=service_id)
        for index, (entry, price_minor) in enumerate(zip(entries, prices)):
            # One insert each, so a refused staff id is named by its place in the body.
            try:
                tx.execute(_ADD_PERFORMER, bid=business_id, service_id=service_id, staff_id=entry["staff_id"],
                           duration_min=entry.get("duration_min"), price_minor=price_minor)
            except ConstraintViolated as e:
                if e.code == _FOREIGN_KEY_VIOLATION and e.name == _STAFF_FK:
                    raise ValidationFailed({f"staff.{index}.staff_id": "unknown staff member"}) from e
                raise
        row = tx.one(_TOUCH, id=service_id)
        found = performers(tx, service_id)
    return service_json(row, found)


def archive(business_id: UUID, service_id: UUID) -> None:
    """Archive a service: inactive and not bookable; it stays readable and its appointments intact."""
    with db.tenant_tx(business_id) as tx:
        if tx.value(_ARCHIVE, id=service_id) is None and get(tx, service_id) is None:
            raise NotFound("service")
