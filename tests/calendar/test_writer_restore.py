"""The product is the source of truth for bookings: an event of ours edited or deleted in Google is put
back when a sync sees it (and the status counts it), an event no booking wants in a calendar is
removed, and a calendar connected (again) gets the upcoming bookings and keeps the events it already
had instead of growing duplicates."""
from __future__ import annotations

from uuid import UUID

from chalicelib.calendar import busy_sync, writer
from tests.api import add_member, body, call
from tests.appointments.helpers import booked, calendar
from tests.calendar.helpers import connect_staff, connection
from tests.calendar.test_writer import book_for, cancel, connection_of, event_calls, link_of, move, two_connected, zoned


def _sync(client, got):
    answer = call(client, "POST", "/calendar/google/sync", {}, session=got["member"])
    assert answer.status_code == 200, answer.body
    return body(answer)


def test_an_event_deleted_in_google_is_put_back_under_its_next_generation(client, google_twin):
    got = connect_staff(client, google_twin, email="deleter@gmail.test")
    appointment = book_for(client, got)
    first_id = UUID(appointment["id"]).hex
    google_twin.delete_event("deleter@gmail.test", first_id)
    since = len(google_twin.calls)

    # a deleted event, as Google lists it: its id alone
    assert writer.restore(connection_of(got), [{"id": first_id, "status": "cancelled"}]) == 1

    assert event_calls(google_twin, since) == ["insert"]
    (event,) = google_twin.events("deleter@gmail.test")
    assert event["id"] == writer.event_id(UUID(appointment["id"]), 1) == first_id + "g1"
    assert zoned(event) == got["cal"].at(3, 10)
    link = link_of(got, appointment)
    assert (link["state"], link["generation"], link["event_id"]) == ("present", 1, event["id"])


def test_an_event_moved_in_google_is_moved_back(client, google_twin):
    got = connect_staff(client, google_twin, email="mover@gmail.test")
    appointment = book_for(client, got)
    cal = got["cal"]
    google_twin.update_event("mover@gmail.test", UUID(appointment["id"]).hex,
                             {"start": {"dateTime": cal.at(3, 15).isoformat()},
                              "end": {"dateTime": cal.at(3, 16).isoformat()}})
    since = len(google_twin.calls)

    assert writer.restore(connection_of(got), google_twin.events("mover@gmail.test")) == 1

    assert event_calls(google_twin, since) == ["patch"]
    (event,) = google_twin.events("mover@gmail.test")
    assert zoned(event) == cal.at(3, 10) and zoned(event, "end") == cal.at(3, 11)


def test_our_events_as_written_and_other_peoples_events_cost_no_call(client, google_twin):
    got = connect_staff(client, google_twin, email="calm@gmail.test")
    book_for(client, got)
    cal = got["cal"]
    google_twin.add_event("calm@gmail.test", {"summary": "Dentist", "start": {"dateTime": cal.at(5, 9).isoformat()},
                                              "end": {"dateTime": cal.at(5, 10).isoformat()}})
    since = len(google_twin.calls)

    assert writer.restore(connection_of(got), google_twin.events("calm@gmail.test", include_deleted=True)) == 0

    assert event_calls(google_twin, since) == []


def test_another_businesss_tag_is_not_ours_to_judge(client, google_twin):
    got = connect_staff(client, google_twin, email="tagged@gmail.test")
    appointment = book_for(client, got)
    (event,) = google_twin.events("tagged@gmail.test")
    event["extendedProperties"]["private"]["businessId"] = str(UUID(int=1))
    event["start"] = {"dateTime": got["cal"].at(3, 15).isoformat()}
    since = len(google_twin.calls)

    assert writer.restore(connection_of(got), [event]) == 0

    assert event_calls(google_twin, since) == []
    assert link_of(got, appointment)["state"] == "present"


def test_a_sync_puts_back_an_edit_made_in_google_and_the_status_counts_it(client, google_twin):
    got = connect_staff(client, google_twin, email="editor@gmail.test")
    appointment = book_for(client, got)
    cal = got["cal"]
    google_twin.update_event("editor@gmail.test", UUID(appointment["id"]).hex,
                             {"start": {"dateTime": cal.at(3, 12).isoformat()},
                              "end": {"dateTime": cal.at(3, 13).isoformat()}})

    status = _sync(client, got)

    assert status["reverted_edits"] == 1 and status["last_reverted_at"]
    (event,) = google_twin.events("editor@gmail.test")
    assert zoned(event) == cal.at(3, 10)
    busy_sync.sync(UUID(got["business_id"]), UUID(got["connection_id"]))  # the schedule's next one
    assert connection(got["business_id"], got["staff_id"])["reverted_edits"] == 1  # it saw our patch: no edit


def test_a_sync_puts_back_an_event_deleted_in_google_and_the_status_counts_it(client, google_twin):
    got = connect_staff(client, google_twin, email="remover@gmail.test")
    appointment = book_for(client, got)
    google_twin.delete_event("remover@gmail.test", UUID(appointment["id"]).hex)

    status = _sync(client, got)

    assert status["reverted_edits"] == 1
    (event,) = google_twin.events("remover@gmail.test")
    assert event["id"] == writer.event_id(UUID(appointment["id"]), 1)


def test_an_event_left_in_a_calendar_that_could_not_be_reached_is_removed_after_its_reconnect(
        client, google_twin, mail):
    first, second = two_connected(client, google_twin, mail)
    appointment = book_for(client, first)
    google_twin.revoke_grant("first@gmail.test")

    move(client, first, appointment, first["cal"].at(3, 10), staff_id=second["staff_id"])

    # the new calendar does not wait for the old one
    assert [e["id"] for e in google_twin.events("second@gmail.test")] == [UUID(appointment["id"]).hex]
    assert len(google_twin.events("first@gmail.test")) == 1  # left there: the grant is gone
    assert connection(first["business_id"], first["staff_id"])["state"] == "reconnect_needed"
    assert str(link_of(first, appointment)["staff_id"]) == second["staff_id"]

    connect_staff(client, google_twin, business=first["cal"], member=first["member"], staff_id=first["staff_id"],
                  email="first@gmail.test")  # the reconnect's first sync sees it

    assert google_twin.events("first@gmail.test") == []
    assert len(google_twin.events("second@gmail.test")) == 1


def test_a_cancel_while_the_calendar_needs_reconnecting_is_carried_out_after_the_reconnect(client, google_twin):
    got = connect_staff(client, google_twin, email="away@gmail.test")
    appointment = book_for(client, got)
    google_twin.revoke_grant("away@gmail.test")

    cancel(client, got, appointment)

    assert len(google_twin.events("away@gmail.test")) == 1
    assert (link_of(got, appointment)["state"], link_of(got, appointment)["next_attempt_at"]) == ("failed", None)

    connect_staff(client, google_twin, business=got["cal"], member=got["member"], staff_id=got["staff_id"],
                  email="away@gmail.test")

    assert google_twin.events("away@gmail.test") == []
    assert link_of(got, appointment)["state"] == "deleted"


def test_connecting_writes_the_upcoming_bookings_made_before(client, google_twin):
    cal = calendar(client)
    kept = booked(client, cal, cal.at(2, 10))
    later = booked(client, cal, cal.at(30, 11))
    cancelled = booked(client, cal, cal.at(3, 10))
    assert call(client, "POST", f"/appointments/{cancelled['id']}/cancel", {}, session=cal.owner).status_code == 200

    connect_staff(client, google_twin, business=cal, email="new@gmail.test")

    assert sorted(e["id"] for e in google_twin.events("new@gmail.test")) == sorted(
        UUID(a["id"]).hex for a in (kept, later))


def test_a_calendar_connected_again_after_a_disconnect_keeps_its_events_without_duplicates(client, google_twin):
    got = connect_staff(client, google_twin, email="again@gmail.test")
    appointment = book_for(client, got)
    answer = call(client, "DELETE", "/calendar/google", session=got["member"])
    assert answer.status_code == 204, answer.body
    assert link_of(got, appointment) is None  # the links went; the event stays in Google
    since = len(google_twin.calls)

    connect_staff(client, google_twin, business=got["cal"], member=got["member"], staff_id=got["staff_id"],
                  email="again@gmail.test")

    (event,) = google_twin.events("again@gmail.test")
    assert event["id"] == UUID(appointment["id"]).hex
    assert event_calls(google_twin, since) == ["insert", "get", "patch"]  # 409: ours, taken over
    link = link_of(got, appointment)
    assert (link["state"], link["generation"]) == ("present", 0)


def test_two_staff_members_sharing_one_google_calendar_leave_each_others_events_alone(client, google_twin, mail):
    cal = calendar(client, staff=2)
    first = connect_staff(client, google_twin, business=cal, email="front-desk@gmail.test")
    second = connect_staff(client, google_twin, business=cal, member=add_member(client, cal.owner, mail),
                           email="front-desk@gmail.test")
    book_for(client, first)
    book_for(client, second)
    since = len(google_twin.calls)

    for got in (first, second):
        busy_sync.sync(UUID(got["business_id"]), UUID(got["connection_id"]), full=True)

    assert len(google_twin.events("front-desk@gmail.test")) == 2
    assert event_calls(google_twin, since) == []
