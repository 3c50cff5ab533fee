"""The .ics invite: read back with icalendar, as a mail client's calendar would. No database."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from chalicelib.notifications.calendar_invite import invite

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")


def make(**changes) -> bytes:
    start = datetime(2027, 3, 28, 9, 30, tzinfo=LONDON)  # the morning clocks go forward in the UK
    options = {
        "method": "REQUEST", "uid": "7f0c7a4e-0d5b-4c57-9d3e-1f2a3b4c5d6e@booking", "sequence": 0,
        "start": start, "end": start + timedelta(minutes=45), "time_zone": "Europe/London",
        "summary": "Haircut with Sam", "description": "Manage your booking: https://example.com/b/1",
        "location": "1 High Street, London", "organizer_name": "Salon Rouge",
        "organizer_email": "hello@salon.example", "attendee_name": "Ann Smith",
        "attendee_email": "ann@example.com", "stamp": datetime(2027, 3, 1, 12, 0, tzinfo=UTC),
    }
    return invite(**{**options, **changes})


def event_of(ics: bytes):
    [event] = Calendar.from_ical(ics).events
    return event


def test_a_request_carries_method_uid_sequence_and_confirmed_status():
    ics = make(sequence=3)

    calendar = Calendar.from_ical(ics)
    event = event_of(ics)
    assert calendar["PRODID"] == "-//Booking//Appointments//EN"
    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == "7f0c7a4e-0d5b-4c57-9d3e-1f2a3b4c5d6e@booking"
    assert event.decoded("SEQUENCE") == 3
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == "Haircut with Sam"
    assert event["DESCRIPTION"] == "Manage your booking: https://example.com/b/1"
    assert event["LOCATION"] == "1 High Street, London"
    assert event.decoded("DTSTAMP") == datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    assert b"DTSTAMP:20270301T120000Z\r\n" in ics


def test_start_and_end_are_local_wall_times_with_tzid_on_the_day_clocks_go_forward():
    event = event_of(make())

    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTEND"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime(2027, 3, 28, 9, 30)
    assert event.decoded("DTEND").replace(tzinfo=None) == datetime(2027, 3, 28, 10, 15)
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2027, 3, 28, 8, 30, tzinfo=UTC)


def test_a_utc_start_is_written_in_the_given_zone():
    start = datetime(2027, 3, 28, 8, 30, tzinfo=UTC)

    ics = make(start=start, end=start + timedelta(hours=1))

    assert b"DTSTART;TZID=Europe/London:20270328T093000\r\n" in ics
    assert b"DTEND;TZID=Europe/London:20270328T103000\r\n" in ics


def test_the_vtimezone_for_the_tzid_is_included_and_agrees_with_the_zone_database():
    calendar = Calendar.from_ical(make())

    [vtimezone] = calendar.timezones
    assert vtimezone.tz_name == "Europe/London"
    assert [component.name for component in calendar.subcomponents] == ["VTIMEZONE", "VEVENT"]
    # Read the VTIMEZONE itself (as a client that does not know IANA names must): GMT the day
    # before, BST at the appointment.
    own = vtimezone.to_tz(lookup_tzid=False)
    assert datetime(2027, 3, 27, 9, 30, tzinfo=own).utcoffset() == timedelta(0)
    assert datetime(2027, 3, 28, 9, 30, tzinfo=own).utcoffset() == timedelta(hours=1)


def test_a_cancel_keeps_the_uid_and_says_cancelled():
    request = event_of(make(sequence=1))

    ics = make(method="CANCEL", sequence=2)

    assert Calendar.from_ical(ics)["METHOD"] == "CANCEL"
    cancelled = event_of(ics)
    assert cancelled["UID"] == request["UID"]
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled.decoded("SEQUENCE") == 2


def test_new_york_on_its_dst_day():
    zone = ZoneInfo("America/New_York")
    start = datetime(2027, 3, 14, 10, 0, tzinfo=zone)  # the US springs forward at 02:00 that day

    calendar = Calendar.from_ical(make(start=start, end=start + timedelta(hours=1),
                                       time_zone="America/New_York"))

    [event] = calendar.events
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime(2027, 3, 14, 10, 0)
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2027, 3, 14, 14, 0, tzinfo=UTC)
    assert [tz.tz_name for tz in calendar.timezones] == ["America/New_York"]
    own = calendar.timezones[0].to_tz(lookup_tzid=False)
    assert datetime(2027, 3, 14, 10, 0, tzinfo=own).utcoffset() == timedelta(hours=-4)
    assert datetime(2027, 3, 13, 10, 0, tzinfo=own).utcoffset() == timedelta(hours=-5)


def test_lord_howe_and_its_half_hour_daylight_saving():
    zone = ZoneInfo("Australia/Lord_Howe")
    start = datetime(2027, 10, 3, 9, 0, tzinfo=zone)  # clocks went from 02:00 to 02:30 that night

    calendar = Calendar.from_ical(make(start=start, end=start + timedelta(minutes=30),
                                       time_zone="Australia/Lord_Howe"))

    [event] = calendar.events
    assert event["DTSTART"].params["TZID"] == "Australia/Lord_Howe"
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime(2027, 10, 3, 9, 0)
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2027, 10, 2, 22, 0, tzinfo=UTC)
    own = calendar.timezones[0].to_tz(lookup_tzid=False)
    assert datetime(2027, 10, 3, 9, 0, tzinfo=own).utcoffset() == timedelta(hours=11)
    assert datetime(2027, 10, 2, 9, 0, tzinfo=own).utcoffset() == timedelta(hours=10, minutes=30)


def test_organizer_and_attendee_are_mailto_addresses_with_their_parameters():
    event = event_of(make())

    assert event["ORGANIZER"] == "mailto:hello@salon.example"
    assert event["ORGANIZER"].params["CN"] == "Salon Rouge"
    assert event["ATTENDEE"] == "mailto:ann@example.com"
    assert dict(event["ATTENDEE"].params) == {"CN": "Ann Smith", "ROLE": "REQ-PARTICIPANT",
                                              "PARTSTAT": "NEEDS-ACTION", "RSVP": "FALSE"}


def test_no_attendee_without_an_email_and_no_location_without_one():
    event = event_of(make(attendee_email=None, location=None))

    assert "ATTENDEE" not in event
    assert "LOCATION" not in event
    assert event["ORGANIZER"] == "mailto:hello@salon.example"


@pytest.mark.parametrize("method", ["PUBLISH", "request", ""])
def test_a_method_other_than_request_or_cancel_is_refused(method):
    with pytest.raises(ValueError, match="REQUEST or CANCEL"):
        make(method=method)


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        make(start=datetime(2027, 3, 28, 9, 30))


def test_lines_end_in_crlf_and_a_long_description_is_folded_at_75_octets():
    description = "Bitte 10 Minuten früher kommen – Zürich, Straße 5. " * 12

    ics = make(description=description)

    assert ics.endswith(b"\r\n")
    assert ics.count(b"\n") == ics.count(b"\r\n")
    lines = ics.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b"DESCRIPTION:") for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # continuation lines
    for line in lines:
        line.decode("utf-8")  # never folded inside a multi-byte character
    assert event_of(ics)["DESCRIPTION"] == description
