"""What the busy-time, push and schedule tests share: Google events a person adds, the sync called as
the reader and the schedule call it, and reads of what it left."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from chalicelib.calendar import connections
from chalicelib.calendar.connections import Connection
from chalicelib.core import db
from tests.calendar.helpers import busy_rows

UTC = timezone.utc


def at(days: int, hour: int, minute: int = 0, zone: str = "Europe/London") -> datetime:
    """A local time ``days`` days from today."""
    return datetime.combine(date.today() + timedelta(days=days), time(hour, minute), ZoneInfo(zone))


def timed(start: datetime, minutes: int = 60, **fields: Any) -> dict[str, Any]:
    """A Google event body from ``start`` for ``minutes``."""
    return {"summary": "Private", "start": {"dateTime": start.isoformat()},
            "end": {"dateTime": (start + timedelta(minutes=minutes)).isoformat()}, **fields}


def connection_of(got: dict[str, Any]) -> Connection:
    with db.tenant_tx(got["business_id"]) as tx:
        found = connections.get(tx, UUID(got["connection_id"]))
    assert found is not None
    return found


def intervals(got: dict[str, Any]) -> list[tuple[datetime, datetime]]:
    """The staff member's Google busy times, as UTC instants, earliest first."""
    return [(r["busy"].lower.astimezone(UTC), r["busy"].upper.astimezone(UTC))
            for r in busy_rows(got["business_id"], got["staff_id"])]


def busy_ids(got: dict[str, Any]) -> set[str]:
    return {r["external_id"] for r in busy_rows(got["business_id"], got["staff_id"])}


def list_calls(twin: Any, since: int = 0) -> int:
    """How many events.list requests reached the twin since call number ``since``."""
    return sum(1 for method, path in twin.calls[since:] if method == "GET" and path.endswith("/events"))
