"""Which Google events block a staff member's time, and when, without a database or a clock:
free, declined, cancelled, our own and informational events are not busy; timed events become UTC
instants; all-day events block local days, 23 or 25 hours long across Europe/Berlin's clock changes
(2027-03-28 springs forward, 2027-10-31 falls back); a weekly series keeps its local time."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import UUID
from zoneinfo import ZoneInfo

from dateutil.rrule import WEEKLY, rrule

from chalicelib.calendar.busy_events import busy_interval, is_ours

BERLIN = ZoneInfo("Europe/Berlin")
# The business whose staff member's calendar it is.
BUSINESS = UUID("6cf966ac-a560-437c-98ff-4eeaac11a03d")
UTC = timezone.utc


def timed(start: str, end: str, **fields) -> dict:
    return {"id": "evt1", "status": "confirmed", "start": {"dateTime": start}, "end": {"dateTime": end}, **fields}


def all_day(first: str, after_last: str, **fields) -> dict:
    return {"id": "evt2", "status": "confirmed", "start": {"date": first}, "end": {"date": after_last}, **fields}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_a_timed_event_is_busy_from_its_start_to_its_end_in_utc():
    assert busy_interval(timed("2027-05-04T10:00:00+02:00", "2027-05-04T11:30:00+02:00"), BERLIN, BUSINESS) == (
        utc("2027-05-04T08:00:00+00:00"), utc("2027-05-04T09:30:00+00:00"))


def test_a_time_without_offset_is_read_in_its_own_zone_else_the_staff_members():
    own_zone = {"id": "e", "start": {"dateTime": "2027-05-04T10:00:00", "timeZone": "America/New_York"},
                "end": {"dateTime": "2027-05-04T11:00:00", "timeZone": "America/New_York"}}
    no_zone = {"id": "e", "start": {"dateTime": "2027-05-04T10:00:00"}, "end": {"dateTime": "2027-05-04T11:00:00"}}

    assert busy_interval(own_zone, BERLIN, BUSINESS) == (utc("2027-05-04T14:00:00+00:00"), utc("2027-05-04T15:00:00+00:00"))
    assert busy_interval(no_zone, BERLIN, BUSINESS) == (utc("2027-05-04T08:00:00+00:00"), utc("2027-05-04T09:00:00+00:00"))


def test_free_declined_cancelled_and_working_location_events_are_not_busy():
    base = ("2027-05-04T10:00:00+02:00", "2027-05-04T11:00:00+02:00")
    declined = [{"email": "boss@example.com", "organizer": True, "responseStatus": "accepted"},
                {"email": "staff@gmail.test", "self": True, "responseStatus": "declined"}]

    assert busy_interval(timed(*base, transparency="transparent"), BERLIN, BUSINESS) is None
    assert busy_interval(timed(*base, attendees=declined), BERLIN, BUSINESS) is None
    assert busy_interval(timed(*base, status="cancelled"), BERLIN, BUSINESS) is None
    assert busy_interval(timed(*base, eventType="workingLocation"), BERLIN, BUSINESS) is None


def test_an_invitation_declined_by_someone_else_or_only_tentative_still_blocks():
    others_declined = [{"email": "guest@example.com", "responseStatus": "declined"},
                       {"email": "staff@gmail.test", "self": True, "responseStatus": "tentative"}]

    assert busy_interval(timed("2027-05-04T10:00:00+02:00", "2027-05-04T11:00:00+02:00", attendees=others_declined,
                               transparency="opaque"), BERLIN, BUSINESS) is not None


def test_this_businesss_own_bookings_events_are_ours_and_not_busy_another_businesss_are_busy():
    def tagged(business_id: str) -> dict:
        return timed("2027-05-04T10:00:00+02:00", "2027-05-04T11:00:00+02:00", extendedProperties={
            "private": {"bookingApp": "1", "appointmentId": "a", "businessId": business_id}})

    ours, another_businesss = tagged(str(BUSINESS)), tagged("0d9f6a3e-5a40-4a4c-8d0b-2f5a1f0e9b11")
    someone_elses = timed("2027-05-04T10:00:00+02:00", "2027-05-04T11:00:00+02:00", extendedProperties={
        "private": {"bookingApp": "other"}})

    assert is_ours(ours, BUSINESS) and busy_interval(ours, BERLIN, BUSINESS) is None
    # someone who works for two businesses on the platform: the other's booking is busy here
    assert not is_ours(another_businesss, BUSINESS) and busy_interval(another_businesss, BERLIN, BUSINESS) is not None
    assert not is_ours(someone_elses, BUSINESS) and busy_interval(someone_elses, BERLIN, BUSINESS) is not None


def test_an_all_day_event_blocks_the_local_day_midnight_to_midnight():
    assert busy_interval(all_day("2027-05-04", "2027-05-05"), BERLIN, BUSINESS) == (
        utc("2027-05-03T22:00:00+00:00"), utc("2027-05-04T22:00:00+00:00"))


def test_all_day_events_on_the_clock_change_days_last_23_and_25_hours():
    spring = busy_interval(all_day("2027-03-28", "2027-03-29"), BERLIN, BUSINESS)
    autumn = busy_interval(all_day("2027-10-31", "2027-11-01"), BERLIN, BUSINESS)

    assert spring == (utc("2027-03-27T23:00:00+00:00"), utc("2027-03-28T22:00:00+00:00"))
    assert spring[1] - spring[0] == timedelta(hours=23)
    assert autumn == (utc("2027-10-30T22:00:00+00:00"), utc("2027-10-31T23:00:00+00:00"))
    assert autumn[1] - autumn[0] == timedelta(hours=25)


def test_a_several_day_all_day_event_ends_at_the_start_of_its_exclusive_end_date():
    start, end = busy_interval(all_day("2027-03-27", "2027-03-30"), BERLIN, BUSINESS)

    assert start.astimezone(BERLIN) == datetime(2027, 3, 27, tzinfo=BERLIN)
    assert end.astimezone(BERLIN) == datetime(2027, 3, 30, tzinfo=BERLIN)
    assert end - start == timedelta(hours=71)


def test_all_day_is_reckoned_in_the_staff_members_zone():
    assert busy_interval(all_day("2027-05-04", "2027-05-05"), ZoneInfo("America/New_York"), BUSINESS)[0] == \
        utc("2027-05-04T04:00:00+00:00")


def test_weekly_instances_keep_their_local_time_so_utc_moves_an_hour_across_the_change():
    """A weekly 09:00 series expanded as Google does for singleEvents (each instance written with the
    offset of its own date): before the spring change it is 08:00 UTC, after it 07:00 UTC."""
    first = datetime(2027, 3, 15, 9, 0, tzinfo=BERLIN)
    instances = [timed(start.isoformat(), (start + timedelta(hours=1)).isoformat(), recurringEventId="weekly",
                       id=f"weekly_{start.astimezone(UTC):%Y%m%dT%H%M%SZ}")
                 for start in rrule(WEEKLY, dtstart=first, count=4)]

    starts = [busy_interval(event, BERLIN, BUSINESS)[0] for event in instances]

    assert [s.astimezone(BERLIN).strftime("%H:%M") for s in starts] == ["09:00"] * 4
    assert [s.strftime("%m-%d %H:%M") for s in starts] == ["03-15 08:00", "03-22 08:00", "03-29 07:00", "04-05 07:00"]


def test_an_event_without_times_or_ending_before_it_starts_is_not_busy():
    assert busy_interval({"id": "x", "status": "confirmed"}, BERLIN, BUSINESS) is None
    assert busy_interval(timed("2027-05-04T11:00:00+02:00", "2027-05-04T10:00:00+02:00"), BERLIN, BUSINESS) is None
    assert busy_interval(all_day("2027-05-04", "2027-05-04"), BERLIN, BUSINESS) is None

