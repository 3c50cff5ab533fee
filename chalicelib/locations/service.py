"""Locations: where appointments happen, each with its own IANA time zone (slot maths run in it) and
opening hours (``None``: no limit beyond the staff's own hours).

Owns ``locations``. A location is archived, never deleted: staff hours and past appointments keep
pointing at it, so it stays readable (``"archived": true``) but read-only, and lists leave it out
unless asked.
"""
from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from chalicelib.billing import gate
from chalicelib.business import service as business
from chalicelib.core import db
from chalicelib.core.db import Tx
from chalicelib.core.errors import Conflict, NotFound, StaleVersion, ValidationFailed
from chalicelib.core.pagination import decode_cursor, page

_COLUMNS = "id, name, address, phone, time_zone, opening_hours, archived_at, version, created_at, updated_at"

_INSERT = f"""-- a new location
INSERT INTO locations (business_id, name, address, phone, time_zone, opening_hours)
VALUES (:bid, :name, :address, :phone, :time_zone, :opening_hours)
RETURNING {_COLUMNS}"""

_OPEN_COUNT = """-- the locations not archived (what the plan's locations limit counts)
SELECT count(*) FROM locations WHERE archived_at IS NULL"""

_GET = f"""-- one location, archived or not
SELECT {_COLUMNS} FROM locations WHERE id = :id"""

_PAGE = f"""-- a page of locations, oldest first; archived ones only when asked for
SELECT {_COLUMNS} FROM locations
 WHERE (CAST(:include_archived AS boolean) OR archived_at IS NULL)
   AND (CAST(:after_at AS timestamptz) IS NULL
        OR (created_at, id) > (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid)))
 ORDER BY created_at, id
 LIMIT :limit"""

_OPEN = f"""-- the locations customers can book at, by name
SELECT {_COLUMNS} FROM locations WHERE archived_at IS NULL ORDER BY name, id"""

_ARCHIVE = """-- archive once: archiving again keeps the first time
UPDATE locations SET archived_at = now(), version = version + 1, updated_at = now()
 WHERE id = :id AND archived_at IS NULL
RETURNING id"""

# Columns a create or a PATCH may set: the API's field names.
FIELDS = ("name", "address", "phone", "time_zone", "opening_hours")



class LocationArchived(Conflict):
    code, message = "location_archived", "The location is archived and can no longer be changed."


def location_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "name": row["name"],
        "address": row["address"],
        "phone": row["phone"],
        "time_zone": row["time_zone"],
        "opening_hours": row["opening_hours"],
        "archived": row["archived_at"] is not None,
        "archived_at": row["archived_at"].isoformat() if row["archived_at"] else None,
        "version": row["version"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def _checked_hours(hours: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """Opening hours that make sense, ordered by weekday and time, or 422 naming the entry at fault:
    every opening closes after it opens, and openings of one weekday do not overlap (a lunch closing
    is two openings; one may start the minute the other ends)."""
    if hours is None:
        return None
    problems = {f"opening_hours.{i}.closes": "must be after opens"
                for i, h in enumerate(hours) if h["closes"] <= h["opens"]}
    order = sorted(range(len(hours)), key=lambda i: (hours[i]["weekday"], hours[i]["opens"]))
    if not problems:
        latest: tuple[int, str, int] | None = None  # weekday, closes, index of the latest-closing so far
        for i in order:
            h = hours[i]
            if latest and latest[0] == h["weekday"] and h["opens"] < latest[1]:
                problems[f"opening_hours.{i}.opens"] = f"overlaps opening_hours.{latest[2]}"
            if not latest or latest[0] != h["weekday"] or h["closes"] > latest[1]:
                latest = (h["weekday"], h["closes"], i)
    if problems:
        raise ValidationFailed(problems)
    return [hours[i] for i in order]


def _columns(fields: dict[str, Any]) -> dict[str, Any]:
    """Column values from API fields (opening hours checked and as JSON text; SQL NULL for none)."""
    columns = {f: fields[f] for f in FIELDS if f in fields}
    if "opening_hours" in columns:
        hours = _checked_hours(columns["opening_hours"])
        columns["opening_hours"] = None if hours is None else json.dumps(hours)
    return columns


def get(tx: Tx, location_id: UUID) -> dict[str, Any] | None:
    """The raw row (archived or not), or None when this tenant has no such location."""
    return tx.one(_GET, id=location_id)


def public_list(tx: Tx) -> list[dict[str, Any]]:
    """Every location not archived, as JSON, by name (for the public booking page)."""
    return [location_json(row) for row in tx.all(_OPEN)]


def read(business_id: UUID, location_id: UUID) -> dict[str, Any]:
    with db.tenant_tx(business_id) as tx:
        row = get(tx, location_id)
    if row is None:
        raise NotFound("location")
    return location_json(row)


def listing(business_id: UUID, *, limit: int, cursor: str | None, include_archived: bool) -> dict[str, Any]:
    after = decode_cursor(cursor, 2)
    with db.tenant_tx(business_id) as tx:
        rows = tx.all(_PAGE, include_archived=include_archived, limit=limit + 1,
                      after_at=after[0] if after else None, after_id=after[1] if after else None)
    return page(rows, limit, lambda r: (r["created_at"].isoformat(), str(r["id"])), location_json)


def create(business_id: UUID, fields: dict[str, Any]) -> dict[str, Any]:
    """A new location from API fields; without a time zone it takes the business's. Within the plan's
    locations limit (403 ``plan_limit``): what is over it after a downgrade stays, nothing new is added.
    Archiving is final, so only a new location can take the count up."""
    columns = {"address": None, "phone": None, "time_zone": None, "opening_hours": None, **_columns(fields)}
    # Creates queue on this lock, so two at the limit's edge do not both pass.
    with db.tenant_tx(business_id, lock=f"limit:locations:{business_id}") as tx:
        gate.require_capacity(tx, business_id, "locations", tx.value(_OPEN_COUNT))
        if columns["time_zone"] is None:
            columns["time_zone"] = business.get(tx, business_id)["time_zone"]
        row = tx.one(_INSERT, bid=business_id, **columns)
    return location_json(row)


def update(business_id: UUID, location_id: UUID, changes: dict[str, Any], *,
           expected_version: int | None) -> dict[str, Any]:
    """Apply a partial update (API fields); bumps the version. An archived location is read-only."""
    columns = _columns(changes)
    # Column names come from FIELDS, never from the request.
    assignments = "".join(f"{c} = :{c}, " for c in columns)
    sql = f"""-- partial update, bumping the version
UPDATE locations SET {assignments}version = version + 1, updated_at = now()
 WHERE id = :id AND archived_at IS NULL
   AND (CAST(:expected AS integer) IS NULL OR version = CAST(:expected AS integer))
RETURNING {_COLUMNS}"""
    with db.tenant_tx(business_id) as tx:
        row = tx.one(sql, id=location_id, expected=expected_version, **columns)
        if row is None:
            _refuse_change(get(tx, location_id))
    return location_json(row)


def _refuse_change(current: dict[str, Any] | None) -> None:
    """Why an update matched no row: not found, archived, or another version."""
    if current is None:
        raise NotFound("location")
    if current["archived_at"] is not None:
        raise LocationArchived()
    raise StaleVersion("location")


def archive(business_id: UUID, location_id: UUID) -> None:
    """Archive a location: it stays readable (and referenced), but is no longer listed or bookable."""
    with db.tenant_tx(business_id) as tx:
        if tx.value(_ARCHIVE, id=location_id) is None and get(tx, location_id) is None:
            raise NotFound("location")
