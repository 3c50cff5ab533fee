"""Which Google events make a staff member busy, and when: the pure rule behind the busy sync.

Google answers every event of the calendar (``showDeleted``: cancelled ones too), but only some
stand in the way of a booking. Not busy: a cancelled event, one marked free ("transparency":
"transparent"), one the staff member declined, an informational entry (a working location), and
this business's own bookings' events (the appointment already blocks its time; counting it twice would also
keep a booking's own slot from being moved onto itself).

Times: a timed event carries an offset (or, without one, its own ``timeZone``); an all-day event
names local dates, end exclusive, which block whole days in the staff member's zone, midnight to
midnight (23 or 25 hours across a DST change). No database, no clock: unit-tested without either.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

# ``extendedProperties.private`` of the events the writer puts in Google for our bookings.
TAG = "bookingApp"
TAG_VALUE = "1"
# Event types that say where or what someone is, not that they are taken (Google shows them free).
_INFORMATIONAL = frozenset({"workingLocation"})


def is_ours(event: dict[str, Any], business_id: UUID) -> bool:
    """Whether the writer made this event for one of this business's appointments (our tag and its
    id). A booking of another business on the platform, in the calendar of someone who works for both,
    is busy like any other event: only this business's own appointments block its times already."""
    private = (event.get("extendedProperties") or {}).get("private") or {}
    return private.get(TAG) == TAG_VALUE and private.get("businessId") == str(business_id)


def _declined_by_self(event: dict[str, Any]) -> bool:
    """The calendar's owner said no to the invitation (the event still sits in their calendar)."""
    return any(a.get("self") and a.get("responseStatus") == "declined" for a in event.get("attendees") or ())


def _instant(moment: dict[str, Any], zone: ZoneInfo) -> datetime | None:
    """An event boundary as an aware UTC instant. Google writes ``dateTime`` with an offset; one
    without is read in the boundary's own ``timeZone``, else the staff member's."""
    if moment.get("dateTime"):
        value = datetime.fromisoformat(moment["dateTime"])
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo(moment["timeZone"]) if moment.get("timeZone") else zone)
        return value.astimezone(timezone.utc)
    if moment.get("date"):
        return day_starts(date.fromisoformat(moment["date"]), zone)
    return None


def day_starts(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of a local day, in UTC. Where DST skips midnight, zoneinfo reads the missing
    00:00 with the offset before the change, which is the instant the day begins."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc)


def busy_interval(event: dict[str, Any], zone: ZoneInfo, business_id: UUID) -> tuple[datetime, datetime] | None:
    """When ``event`` makes the staff member (whose zone is ``zone``) busy, as UTC instants
    [start, end), or None when it does not make them busy at all."""
    if (event.get("status") == "cancelled" or event.get("transparency") == "transparent"
            or event.get("eventType") in _INFORMATIONAL or is_ours(event, business_id) or _declined_by_self(event)):
        return None
    start = _instant(event.get("start") or {}, zone)
    end = _instant(event.get("end") or {}, zone)
    if start is None or end is None or end <= start:
        return None
    return start, end
