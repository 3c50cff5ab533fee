"""What the staff tests share: locations made with SQL (their module is written elsewhere), named calls
for the staff routes, reads of the staff tables, and the error checks (from tests.checks)."""
from __future__ import annotations

import struct
import uuid
import zlib
from typing import Any


from tests.api import Session, body, call
from tests.checks import rows

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def add_location(business_id: str, name: str = "High Street", tz: str = "Europe/London") -> str:
    found = rows(business_id, "INSERT INTO locations (business_id, name, time_zone) "
                              "VALUES (CAST(:bid AS uuid), :name, :tz) RETURNING id", bid=business_id, name=name, tz=tz)
    return str(found[0]["id"])


def new_staff(client: Any, session: Session, **fields: Any) -> dict[str, Any]:
    payload = {"name": "Sam Stylist " + uuid.uuid4().hex[:4], **fields}
    response = call(client, "POST", "/staff", payload, session=session)
    assert response.status_code == 201, response.body
    return body(response)


def staff_row(business_id: str, staff_id: str) -> dict[str, Any]:
    found = rows(business_id, "SELECT * FROM staff WHERE id = CAST(:id AS uuid)", id=staff_id)
    assert len(found) == 1
    return found[0]


def staff_locations(business_id: str, staff_id: str) -> set[str]:
    found = rows(business_id, "SELECT location_id FROM staff_locations WHERE staff_id = CAST(:id AS uuid)",
                 id=staff_id)
    return {str(r["location_id"]) for r in found}


def hours(business_id: str, staff_id: str) -> list[dict[str, Any]]:
    """Weekly hours as the API writes them: (location, weekday, "HH:MM", "HH:MM", breaks)."""
    found = rows(business_id, "SELECT location_id, weekday, starts, ends, breaks FROM staff_hours "
                              "WHERE staff_id = CAST(:id AS uuid) ORDER BY weekday, starts", id=staff_id)
    return [(str(r["location_id"]), r["weekday"], r["starts"].strftime("%H:%M"), r["ends"].strftime("%H:%M"),
             r["breaks"]) for r in found]


def overrides(business_id: str, staff_id: str) -> list[tuple[str, str | None, list]]:
    found = rows(business_id, "SELECT on_date, location_id, intervals FROM staff_overrides "
                              "WHERE staff_id = CAST(:id AS uuid) ORDER BY on_date", id=staff_id)
    return [(r["on_date"].isoformat(), str(r["location_id"]) if r["location_id"] else None, r["intervals"])
            for r in found]


def time_off_rows(business_id: str, staff_id: str) -> list[dict[str, Any]]:
    return rows(business_id, "SELECT * FROM time_off WHERE staff_id = CAST(:id AS uuid) ORDER BY starts_at, id",
                id=staff_id)


def staff_tables(business_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of the staff module's tables in one business: compare before and after to see nothing changed."""
    return {table: rows(business_id, f"SELECT * FROM {table} t ORDER BY t::text")
            for table in ("staff", "staff_locations", "staff_hours", "staff_overrides", "time_off")}


def schedule_body(location_id: str, *, overrides_: list | None = None) -> dict[str, Any]:
    """Monday 09:00-17:00 with lunch, Tuesday 10:00-14:00."""
    return {"weekly": [
        {"location_id": location_id, "weekday": 1, "start": "09:00", "end": "17:00",
         "breaks": [{"start": "12:00", "end": "13:00"}]},
        {"location_id": location_id, "weekday": 2, "start": "10:00", "end": "14:00", "breaks": []},
    ], "overrides": overrides_ or []}


def put_schedule(client: Any, session: Session, staff_id: str, schedule: dict[str, Any]) -> Any:
    return call(client, "PUT", f"/staff/{staff_id}/schedule", schedule, session=session)


def add_time_off(client: Any, session: Session, staff_id: str, **fields: Any) -> Any:
    payload = {"all_day": True, "start_date": "2031-08-04", "end_date": "2031-08-08", "kind": "holiday", **fields}
    return call(client, "POST", f"/staff/{staff_id}/time-off", payload, session=session)


def tiny_png() -> bytes:
    """A valid 1x1 transparent PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x00\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
