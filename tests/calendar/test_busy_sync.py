"""Busy times from Google: the first sync lists the window in full, later ones only what changed (few
calls), a 410 lists it in full again; free, declined, all-day and recurring events across a DST
change come out as a person expects; our own bookings' events are not busy, and one edited in Google
is put back and counted; Google's failures are recorded on the connection, never silent."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from googleapiclient.http import HttpMockSequence

from chalicelib.calendar import busy_sync
from chalicelib.calendar.connections import BackingOff, NotConnected
from chalicelib.integrations import google_calendar
from chalicelib.integrations.google_calendar import GoogleAuthLost, GoogleRateLimited, GoogleUnavailable
from tests.api import body, call
from tests.appointments.helpers import booked
from tests.calendar.busy_helpers import UTC, at, busy_ids, intervals, list_calls, timed
from tests.calendar.helpers import connect_staff, connection
from tests.checks import rows

BERLIN = ZoneInfo("Europe/Berlin")


def sync(got, **kwargs) -> busy_sync.SyncResult:
    return busy_sync.sync(UUID(got["business_id"]), UUID(got["connection_id"]), **kwargs)


def in_berlin(got) -> None:
    rows(got["business_id"], "UPDATE staff SET time_zone = 'Europe/Berlin' WHERE id = CAST(:id AS uuid) RETURNING id",
         id=got["staff_id"])


def next_clock_change(zone: ZoneInfo, after: date) -> date:
    """The first local date after ``after`` whose UTC offset differs from the day before's (within a year)."""
    day = after
    for _ in range(366):
        noon, next_noon = (datetime.combine(d, datetime.min.time().replace(hour=12), zone)
                           for d in (day, day + timedelta(days=1)))
        if noon.utcoffset() != next_noon.utcoffset():
            return day + timedelta(days=1)
        day += timedelta(days=1)
    raise AssertionError("no clock change within a year")


# --- full and incremental -------------------------------------------------------------------------

def test_connecting_lists_the_window_in_full_and_stores_each_busy_event(client, google_twin):
    google_twin.add_event("first@gmail.test", timed(at(2, 10)))
    google_twin.add_event("first@gmail.test", timed(at(5, 14), 30))

    got = connect_staff(client, google_twin, email="first@gmail.test")

    assert intervals(got) == [(at(2, 10).astimezone(UTC), at(2, 11).astimezone(UTC)),
                              (at(5, 14).astimezone(UTC), at(5, 14, 30).astimezone(UTC))]
    stored = connection(got["business_id"], got["staff_id"])
    assert stored["sync_token"] and stored["full_sync_at"] and stored["last_sync_at"]


def test_ten_changes_are_one_incremental_call_and_leave_exactly_the_right_rows(client, google_twin):
    email = "busy@gmail.test"
    kept = [google_twin.add_event(email, timed(at(d, 10))) for d in range(1, 7)]
    got = connect_staff(client, google_twin, email=email)
    assert busy_ids(got) == {e["id"] for e in kept}
    before = len(google_twin.calls)

    added = [google_twin.add_event(email, timed(at(d, 15))) for d in range(1, 5)]
    moved = [google_twin.update_event(email, e["id"], timed(at(10, 9 + i))) for i, e in enumerate(kept[:3])]
    for e in kept[3:5]:
        google_twin.delete_event(email, e["id"])
    freed = google_twin.update_event(email, kept[5]["id"], {"transparency": "transparent"})
    result = sync(got)

    assert (result.full, result.calls, list_calls(google_twin, before)) == (False, 1, 1)
    assert (result.changed, result.removed) == (7, 3)
    assert busy_ids(got) == {e["id"] for e in added + moved}
    assert freed["id"] not in busy_ids(got)
    assert (at(10, 9).astimezone(UTC), at(10, 10).astimezone(UTC)) in intervals(got)


def test_a_sync_with_nothing_changed_costs_one_call_and_writes_nothing(client, google_twin):
    google_twin.add_event("calm@gmail.test", timed(at(2, 10)))
    got = connect_staff(client, google_twin, email="calm@gmail.test")
    before = rows(got["business_id"], "SELECT id, updated_at FROM external_busy")

    result = sync(got)

    assert (result.calls, result.changed, result.removed, result.full) == (1, 0, 0, False)
    assert rows(got["business_id"], "SELECT id, updated_at FROM external_busy") == before


def test_a_gone_sync_token_410_lists_the_window_in_full_again(client, google_twin):
    email = "gone@gmail.test"
    first = google_twin.add_event(email, timed(at(2, 10)))
    got = connect_staff(client, google_twin, email=email)
    google_twin.delete_event(email, first["id"])
    second = google_twin.add_event(email, timed(at(3, 10)))
    google_twin.invalidate_sync_tokens(email)
    old_token = connection(got["business_id"], got["staff_id"])["sync_token"]

    result = sync(got)

    assert result.full and result.calls == 2  # the refused incremental list, then the full one
    assert busy_ids(got) == {second["id"]}
    assert connection(got["business_id"], got["staff_id"])["sync_token"] not in (None, old_token)


def test_a_window_last_listed_in_full_over_a_day_ago_is_listed_in_full(client, google_twin):
    got = connect_staff(client, google_twin, email="stale@gmail.test")
    rows(got["business_id"], "UPDATE calendar_connections SET full_sync_at = now() - interval '25 hours' "
                             "WHERE id = CAST(:id AS uuid) RETURNING id", id=got["connection_id"])

    assert sync(got).full
    assert not sync(got).full


def test_a_full_sync_asked_for_replaces_rows_google_no_longer_lists(client, google_twin):
    got = connect_staff(client, google_twin, email="replace@gmail.test")
    rows(got["business_id"], """INSERT INTO external_busy (business_id, staff_id, source, external_id, busy)
                                VALUES (CAST(:bid AS uuid), CAST(:sid AS uuid), 'google', 'vanished',
                                        tstzrange(now() + interval '1 day', now() + interval '25 hours'))
                                RETURNING id""", bid=got["business_id"], sid=got["staff_id"])
    event = google_twin.add_event("replace@gmail.test", timed(at(4, 11)))

    result = sync(got, full=True)

    assert result.full and result.removed == 1
    assert busy_ids(got) == {event["id"]}


def test_busy_times_are_kept_to_the_window(client, google_twin):
    """A day back to the maximum advance (365 days here): a long event under way is cut at the window's
    start; one beyond the advance is not stored at all."""
    email = "window@gmail.test"
    under_way = google_twin.add_event(email, timed(at(-3, 9), 5 * 24 * 60))
    google_twin.add_event(email, timed(at(400, 9)))
    got = connect_staff(client, google_twin, email=email)

    ((start, end),) = intervals(got)
    stored = connection(got["business_id"], got["staff_id"])
    assert busy_ids(got) == {under_way["id"]}
    assert end == at(2, 9).astimezone(UTC)
    assert stored["full_sync_at"] - timedelta(days=1, minutes=1) < start < stored["full_sync_at"] - timedelta(hours=23)


# --- what is busy ---------------------------------------------------------------------------------

def test_free_declined_and_cancelled_events_are_not_busy_through_the_twin(client, google_twin):
    email = "kinds@gmail.test"
    busy = google_twin.add_event(email, timed(at(2, 9)))
    google_twin.add_event(email, timed(at(2, 11), transparency="transparent"))
    google_twin.add_event(email, timed(at(2, 13), attendees=[
        {"email": "boss@example.com", "organizer": True, "responseStatus": "accepted"},
        {"email": email, "self": True, "responseStatus": "declined"}]))
    cancelled = google_twin.add_event(email, timed(at(2, 15)))
    google_twin.delete_event(email, cancelled["id"])

    got = connect_staff(client, google_twin, email=email)

    assert busy_ids(got) == {busy["id"]}


def test_accepting_a_declined_invitation_later_makes_it_busy(client, google_twin):
    email = "changes@gmail.test"
    me = {"email": email, "self": True, "responseStatus": "declined"}
    invitation = google_twin.add_event(email, timed(at(3, 9), attendees=[me]))
    got = connect_staff(client, google_twin, email=email)
    assert busy_ids(got) == set()

    google_twin.update_event(email, invitation["id"], {"attendees": [{**me, "responseStatus": "accepted"}]})
    sync(got)

    assert busy_ids(got) == {invitation["id"]}


def test_an_all_day_event_blocks_the_staff_members_local_day_even_on_a_clock_change(client, google_twin):
    email = "allday@gmail.test"
    change = next_clock_change(BERLIN, date.today() + timedelta(days=2))
    plain_day = date.today() + timedelta(days=3)
    for day in (plain_day, change):
        google_twin.add_event(email, {"summary": "Off", "start": {"date": day.isoformat()},
                                      "end": {"date": (day + timedelta(days=1)).isoformat()}})
    got = connect_staff(client, google_twin, email=email)
    in_berlin(got)

    sync(got, full=True)

    found = {start.astimezone(BERLIN).date(): (start, end) for start, end in intervals(got)}
    assert set(found) == {plain_day, change}
    for day, (start, end) in found.items():
        assert start.astimezone(BERLIN) == datetime.combine(day, datetime.min.time(), BERLIN)
        assert end.astimezone(BERLIN) == datetime.combine(day + timedelta(days=1), datetime.min.time(), BERLIN)
    assert found[plain_day][1] - found[plain_day][0] == timedelta(hours=24)
    assert found[change][1] - found[change][0] in (timedelta(hours=23), timedelta(hours=25))


def test_a_weekly_series_keeps_its_local_time_across_the_clock_change(client, google_twin):
    """A weekly 09:00 in Europe/Berlin, two weeks either side of the next change: each instance is its
    own row at 09:00 local, so its UTC time moves by an hour."""
    email = "weekly@gmail.test"
    change = next_clock_change(BERLIN, date.today() + timedelta(days=16))
    first = datetime.combine(change - timedelta(days=14), datetime.min.time().replace(hour=9), BERLIN)
    series = google_twin.add_event(email, {
        "summary": "Yoga", "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=4"],
        "start": {"dateTime": first.isoformat(), "timeZone": "Europe/Berlin"},
        "end": {"dateTime": (first + timedelta(hours=1)).isoformat(), "timeZone": "Europe/Berlin"}})
    got = connect_staff(client, google_twin, email=email)

    found = intervals(got)

    assert len(found) == 4 and all(i.startswith(f"{series['id']}_") for i in busy_ids(got))
    assert [start.astimezone(BERLIN).strftime("%H:%M") for start, _ in found] == ["09:00"] * 4
    utc_hours = [start.hour for start, _ in found]
    assert utc_hours[:2] != utc_hours[2:] and abs(utc_hours[0] - utc_hours[3]) == 1
    assert all(end - start == timedelta(hours=1) for start, end in found)


def test_cancelling_one_instance_of_a_series_removes_that_instance_only(client, google_twin):
    email = "instance@gmail.test"
    first = at(3, 8, zone="UTC")
    series = google_twin.add_event(email, {
        "summary": "Standup", "recurrence": ["RRULE:FREQ=DAILY;COUNT=3"],
        "start": {"dateTime": first.isoformat(), "timeZone": "UTC"},
        "end": {"dateTime": (first + timedelta(minutes=15)).isoformat(), "timeZone": "UTC"}})
    got = connect_staff(client, google_twin, email=email)
    second = f"{series['id']}_{first + timedelta(days=1):%Y%m%dT%H%M%SZ}"
    assert second in busy_ids(got) and len(busy_ids(got)) == 3

    google_twin.delete_event(email, second)
    sync(got)

    assert len(busy_ids(got)) == 2 and second not in busy_ids(got)


def test_a_whole_series_listed_cancelled_takes_its_instances_with_it(client, google_twin):
    """Google may list a deleted series by its own id alone: its instances' rows (ids "{series}_...")
    go with it."""
    email = "series@gmail.test"
    first = at(3, 8, zone="UTC")
    series = google_twin.add_event(email, {
        "summary": "Class", "recurrence": ["RRULE:FREQ=DAILY;COUNT=3"],
        "start": {"dateTime": first.isoformat(), "timeZone": "UTC"},
        "end": {"dateTime": (first + timedelta(hours=1)).isoformat(), "timeZone": "UTC"}})
    other = google_twin.add_event(email, timed(at(4, 15)))
    got = connect_staff(client, google_twin, email=email)
    assert len(busy_ids(got)) == 4
    listing = {"items": [{"id": series["id"], "status": "cancelled"}], "nextSyncToken": "after-series"}
    http = HttpMockSequence([({"status": "200"}, json.dumps(listing).encode())])

    with google_calendar.use_http(http):
        result = sync(got)

    assert result.removed == 3 and busy_ids(got) == {other["id"]}
    assert connection(got["business_id"], got["staff_id"])["sync_token"] == "after-series"



# --- our own bookings' events -----------------------------------------------------------------------

def test_our_bookings_events_in_google_are_not_busy_times(client, google_twin):
    email = "ours@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    appointment = booked(client, got["cal"], got["cal"].at(3, 10), staff_id=got["staff_id"])
    (ours,) = [e for e in google_twin.events(email)
               if (e.get("extendedProperties") or {}).get("private", {}).get("appointmentId") == appointment["id"]]

    result = sync(got, full=True)

    assert busy_ids(got) == set() and result.reverted == 0
    assert ours["id"] not in busy_ids(got)


def test_an_edit_in_google_to_a_bookings_event_is_put_back_and_counted(client, google_twin):
    email = "edited@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    appointment = booked(client, got["cal"], got["cal"].at(3, 10), staff_id=got["staff_id"])
    (ours,) = [e for e in google_twin.events(email)
               if (e.get("extendedProperties") or {}).get("private", {}).get("appointmentId") == appointment["id"]]
    google_twin.update_event(email, ours["id"], timed(got["cal"].at(3, 15)))

    result = sync(got)

    assert result.reverted == 1 and busy_ids(got) == set()
    (back,) = [e for e in google_twin.events(email) if e["id"] == ours["id"]]
    assert datetime.fromisoformat(back["start"]["dateTime"]) == datetime.fromisoformat(appointment["start_at"])
    stored = connection(got["business_id"], got["staff_id"])
    assert stored["reverted_edits"] == 1 and stored["last_reverted_at"] is not None
    (status,) = [i for i in body(call(client, "GET", "/calendar/status", session=got["member"]))["items"]
                 if i["staff_id"] == got["staff_id"]]
    assert status["reverted_edits"] == 1


def test_a_bookings_event_deleted_in_google_is_put_back(client, google_twin):
    email = "deleted@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    appointment = booked(client, got["cal"], got["cal"].at(3, 10), staff_id=got["staff_id"])
    (ours,) = [e for e in google_twin.events(email)
               if (e.get("extendedProperties") or {}).get("private", {}).get("appointmentId") == appointment["id"]]
    google_twin.delete_event(email, ours["id"])

    result = sync(got)

    assert result.reverted == 1
    again = [e for e in google_twin.events(email)
             if (e.get("extendedProperties") or {}).get("private", {}).get("appointmentId") == appointment["id"]]
    assert len(again) == 1
    assert connection(got["business_id"], got["staff_id"])["reverted_edits"] == 1


# --- failures ---------------------------------------------------------------------------------------

def test_a_quota_answer_is_recorded_and_backs_the_connection_off(client, google_twin):
    got = connect_staff(client, google_twin, email="quota@gmail.test")
    google_twin.fail_next(50, 429)  # Google keeps refusing
    calls = len(google_twin.calls)

    with pytest.raises(GoogleRateLimited):
        sync(got)

    assert len(google_twin.calls) - calls == google_calendar.MAX_RETRIES + 1  # one list, retries bounded
    stored = connection(got["business_id"], got["staff_id"])
    assert stored["failures"] == 1 and stored["backoff_until"] is not None and stored["last_error"]
    calls = len(google_twin.calls)
    for _ in range(3):
        with pytest.raises(BackingOff):
            sync(got)
    assert len(google_twin.calls) == calls  # no call to Google until the backoff ends


def test_google_not_answering_is_recorded_and_a_later_sync_clears_it(client, google_twin):
    email = "down@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    google_twin.fail_next(google_calendar.MAX_RETRIES + 1, 503, "backendError")

    with pytest.raises(GoogleUnavailable):
        sync(got)
    stored = connection(got["business_id"], got["staff_id"])
    assert stored["last_error"] and stored["backoff_until"] is None

    event = google_twin.add_event(email, timed(at(2, 10)))
    sync(got)

    assert busy_ids(got) == {event["id"]}
    stored = connection(got["business_id"], got["staff_id"])
    assert (stored["last_error"], stored["failures"]) == (None, 0)


def test_a_revoked_grant_is_recorded_and_the_connection_then_refuses_to_sync(client, google_twin):
    email = "revoked-sync@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    google_twin.revoke_grant(email)

    with pytest.raises(GoogleAuthLost):
        sync(got)

    stored = connection(got["business_id"], got["staff_id"])
    assert stored["state"] == "reconnect_needed" and stored["last_error"]
    calls = len(google_twin.calls)
    with pytest.raises(NotConnected):
        sync(got)
    assert len(google_twin.calls) == calls


def test_an_unknown_connection_is_not_connected(client, google_twin):
    got = connect_staff(client, google_twin, email="unknown@gmail.test")

    with pytest.raises(NotConnected):
        busy_sync.sync(UUID(got["business_id"]), UUID(int=1))


def test_a_calendar_too_large_for_the_window_is_refused_and_recorded(client, google_twin, monkeypatch):
    email = "large@gmail.test"
    for d in range(1, 4):
        google_twin.add_event(email, timed(at(d, 10)))
    got = connect_staff(client, google_twin, email=email)
    monkeypatch.setattr(google_calendar, "MAX_RESULTS", 1)
    monkeypatch.setattr(busy_sync, "MAX_PAGES", 2)

    with pytest.raises(busy_sync.CalendarTooLarge):
        sync(got, full=True)

    assert len(busy_ids(got)) == 3  # what the last complete sync stored stands
    assert "more than" in connection(got["business_id"], got["staff_id"])["last_error"]

