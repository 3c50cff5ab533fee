"""The iCalendar (RFC 5545 / iTIP RFC 5546) invite attached to booking e-mails.

One VEVENT per appointment: the UID stays the same for the appointment's whole life and the
SEQUENCE grows with every change, so a calendar updates (REQUEST) or removes (CANCEL) the entry
it already has instead of adding a second one. Times are written in the location's zone with a
TZID and the matching VTIMEZONE, so the entry stays right across daylight-saving changes.

Pure: no database, no settings; ``icalendar`` is imported on use to keep the app's import cheap.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

PRODID = "-//Booking//Appointments//EN"

# iTIP method -> the event's STATUS.
_STATUS = {"REQUEST": "CONFIRMED", "CANCEL": "CANCELLED"}

# The VTIMEZONE only has to describe the offsets around the appointment; a margin either side keeps
# it valid for a client that shows neighbouring days, while the full 1970-2038 default would add
# dozens of observances to every e-mail.
_ZONE_MARGIN = timedelta(days=366)


def invite(*, method: str, uid: str, sequence: int, start: datetime, end: datetime, time_zone: str,
           summary: str, description: str, location: str | None, organizer_name: str,
           organizer_email: str, attendee_name: str, attendee_email: str | None,
           stamp: datetime) -> bytes:
    """The .ics file for one appointment (``text/calendar; method=<method>``), CRLF lines folded
    at 75 octets. ``start``, ``end`` and ``stamp`` are aware datetimes in any zone."""
    from icalendar import Calendar, Event, vCalAddress

    if method not in _STATUS:
        raise ValueError(f"method must be REQUEST or CANCEL, not {method!r}")
    if any(moment.utcoffset() is None for moment in (start, end, stamp)):
        # astimezone() would read a naive time as the server's local time: a silently wrong invite.
        raise ValueError("start, end and stamp must be timezone-aware")
    zone = ZoneInfo(time_zone)

    event = Event()
    event.add("UID", uid)
    event.add("SEQUENCE", sequence)
    event.add("DTSTAMP", stamp.astimezone(timezone.utc))
    event.add("DTSTART", start.astimezone(zone))
    event.add("DTEND", end.astimezone(zone))
    event.add("SUMMARY", summary)
    event.add("DESCRIPTION", description)
    if location:
        event.add("LOCATION", location)
    organizer = vCalAddress(f"mailto:{organizer_email}")
    organizer.params["CN"] = organizer_name
    event.add("ORGANIZER", organizer)
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params.update({"CN": attendee_name, "ROLE": "REQ-PARTICIPANT",
                                "PARTSTAT": "NEEDS-ACTION", "RSVP": "FALSE"})
        event.add("ATTENDEE", attendee)
    event.add("STATUS", _STATUS[method])

    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("METHOD", method)
    calendar.add_component(event)
    calendar.add_missing_timezones(first_date=_day(start - _ZONE_MARGIN, zone),
                                   last_date=_day(end + _ZONE_MARGIN, zone))
    return calendar.to_ical()


def _day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()
