"""Bookings into Google: an appointment made, moved, reassigned or cancelled through the API reaches
its staff member's Google calendar through the outbox and the calendar reader, never inside the
request. One appointment is one event, whatever is delivered twice or retried; Google being down or
the grant revoked never fails the booking, and the link says what is left to do."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from chalicelib.calendar import connections, writer
from chalicelib.calendar.connections import Connection
from chalicelib.core import db
from tests.api import add_member, body, call
from tests.appointments.helpers import booked, calendar
from tests.calendar.helpers import connect_staff, connection
from tests.checks import rows

TAG = {"bookingApp": "1"}


# --- helpers (the restore tests use them too) ----------------------------------------------------

def event_calls(twin: Any, since: int = 0) -> list[str]:
    """What was asked of Google's events since call number ``since``: insert, get, patch, delete
    (lists and push channels left out)."""
    kinds = []
    for method, path in twin.calls[since:]:
        if "/events" not in path or path.endswith("/watch"):
            continue
        if path.endswith("/events"):
            if method == "POST":
                kinds.append("insert")
            continue
        kinds.append({"GET": "get", "PATCH": "patch", "PUT": "update", "DELETE": "delete"}[method])
    return kinds


def link_of(got: dict[str, Any], appointment: dict[str, Any]) -> dict[str, Any] | None:
    found = rows(got["business_id"], "SELECT * FROM calendar_event_links WHERE appointment_id = CAST(:id AS uuid)",
                 id=appointment["id"])
    return found[0] if found else None


def book_for(client: Any, got: dict[str, Any], days: int = 3, hour: int = 10) -> dict[str, Any]:
    """A booking with the connected staff member, ``days`` ahead at ``hour`` (the business's zone)."""
    return booked(client, got["cal"], got["cal"].at(days, hour), staff_id=got["staff_id"])


def move(client: Any, got: dict[str, Any], appointment: dict[str, Any], start: datetime,
         staff_id: str | None = None) -> dict[str, Any]:
    extra = {"staff_id": staff_id} if staff_id else {}
    answer = call(client, "POST", f"/appointments/{appointment['id']}/reschedule",
                  {"start_at": start.isoformat(), **extra}, session=got["owner"])
    assert answer.status_code == 200, answer.body
    return body(answer)


def cancel(client: Any, got: dict[str, Any], appointment: dict[str, Any]) -> None:
    answer = call(client, "POST", f"/appointments/{appointment['id']}/cancel", {"reason": "ill"},
                  session=got["owner"])
    assert answer.status_code == 200, answer.body


def connection_of(got: dict[str, Any]) -> Connection:
    with db.tenant_tx(got["business_id"]) as tx:
        found = connections.get(tx, UUID(got["connection_id"]))
    assert found is not None
    return found


def due_now(got: dict[str, Any], appointment: dict[str, Any]) -> None:
    """Time passes until the failed write's retry is due."""
    rows(got["business_id"], "UPDATE calendar_event_links SET next_attempt_at = now() - interval '1 second' "
                             "WHERE appointment_id = CAST(:id AS uuid) RETURNING appointment_id", id=appointment["id"])


def two_connected(client: Any, google_twin: Any, mail: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two staff members of one business, each with their own Google account connected (the owner's
    login linked to the first, a staff member's to the second)."""
    cal = calendar(client, staff=2)
    first = connect_staff(client, google_twin, business=cal, email="first@gmail.test")
    member = add_member(client, cal.owner, mail)
    second = connect_staff(client, google_twin, business=cal, member=member, email="second@gmail.test")
    return first, second


def zoned(event: dict[str, Any], end: str = "start") -> datetime:
    return datetime.fromisoformat(event[end]["dateTime"])


# --- creating -------------------------------------------------------------------------------------

def test_a_booking_reaches_the_staff_members_calendar_through_the_outbox_as_one_tagged_event(client, google_twin):
    got = connect_staff(client, google_twin, email="sam@gmail.test")
    since = len(google_twin.calls)

    appointment = book_for(client, got)

    (event,) = google_twin.events("sam@gmail.test")
    assert event["id"] == UUID(appointment["id"]).hex == writer.event_id(UUID(appointment["id"]))
    assert event["extendedProperties"]["private"] == {**TAG, "appointmentId": appointment["id"],
                                                      "businessId": got["business_id"]}
    assert event["summary"] == "Cut · Cara Customer" and event["location"] == "Main"
    assert "managed in the booking app" in event["description"] and event["status"] == "confirmed"
    assert event["start"]["timeZone"] == "Europe/London"
    assert zoned(event) == got["cal"].at(3, 10) and zoned(event, "end") == got["cal"].at(3, 11)
    assert zoned(event).utcoffset() == got["cal"].at(3, 10).utcoffset()  # written in the location's zone
    assert event_calls(google_twin, since) == ["insert"]
    link = link_of(got, appointment)
    assert (link["state"], link["event_id"], link["generation"], str(link["staff_id"])) == (
        "present", event["id"], 0, got["staff_id"])
    assert (link["start_at"], link["written_version"], link["attempts"]) == (got["cal"].at(3, 10), 1, 0)


def test_the_same_event_delivered_twice_makes_one_event_and_no_second_call(client, google_twin):
    got = connect_staff(client, google_twin, email="twice@gmail.test")
    appointment = book_for(client, got)
    since = len(google_twin.calls)

    writer.write_appointment(UUID(got["business_id"]), UUID(appointment["id"]))  # the queue delivers it again

    assert event_calls(google_twin, since) == []
    assert len(google_twin.events("twice@gmail.test")) == 1


def test_a_create_retried_after_its_answer_was_lost_finds_its_own_event(client, google_twin):
    got = connect_staff(client, google_twin, email="lost@gmail.test")
    google_twin.fail_next(3, 503)  # the first try and both of the client's retries
    appointment = book_for(client, got)
    assert link_of(got, appointment)["state"] == "failed"
    # ... though the create had reached Google: only its answer was lost
    google_twin.add_event("lost@gmail.test", {"id": writer.event_id(UUID(appointment["id"])), "summary": "Cut",
                                              "start": {"dateTime": got["cal"].at(3, 10).isoformat()},
                                              "end": {"dateTime": got["cal"].at(3, 11).isoformat()}})
    due_now(got, appointment)
    since = len(google_twin.calls)

    assert writer.retry_due() >= 1

    assert event_calls(google_twin, since) == ["insert", "get", "patch"]  # 409: it is ours, patched
    (event,) = google_twin.events("lost@gmail.test")
    assert event["summary"] == "Cut · Cara Customer" and event["extendedProperties"]["private"]["bookingApp"] == "1"
    assert (link_of(got, appointment)["state"], link_of(got, appointment)["attempts"]) == ("present", 0)


def test_two_writers_of_one_appointment_at_once_insert_once(client, google_twin):
    got = connect_staff(client, google_twin, email="race@gmail.test")
    google_twin.fail_next(3, 503)
    appointment = book_for(client, got)  # nothing in Google yet: each writer would insert
    since = len(google_twin.calls)
    start = threading.Barrier(2)

    def deliver() -> None:
        start.wait()
        writer.write_appointment(UUID(got["business_id"]), UUID(appointment["id"]))

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert event_calls(google_twin, since) == ["insert"]
    assert len(google_twin.events("race@gmail.test")) == 1
    assert link_of(got, appointment)["state"] == "present"


def test_a_booking_of_a_staff_member_without_a_calendar_calls_google_for_nothing(client, google_twin):
    connect_staff(client, google_twin, email="other@gmail.test")  # someone else's calendar is connected
    unconnected = calendar(client)
    since = len(google_twin.calls)

    booked(client, unconnected, unconnected.at(3, 10))

    assert event_calls(google_twin, since) == []
    assert rows(unconnected.business_id, "SELECT * FROM calendar_event_links") == []


def test_a_pending_booking_is_tentative_until_confirmed(client, google_twin):
    got = connect_staff(client, google_twin, email="pending@gmail.test")
    appointment = book_for(client, got)
    # as a booking on the public page of a business that confirms each one arrives
    rows(got["business_id"], "UPDATE appointments SET status = 'pending', version = version + 1 "
                             "WHERE id = CAST(:id AS uuid) RETURNING id", id=appointment["id"])
    writer.write_appointment(UUID(got["business_id"]), UUID(appointment["id"]))
    (event,) = google_twin.events("pending@gmail.test")
    assert event["status"] == "tentative" and event["summary"] == "Cut · Cara Customer (to be confirmed)"
    since = len(google_twin.calls)

    answer = call(client, "POST", f"/appointments/{appointment['id']}/confirm", {}, session=got["owner"])

    assert answer.status_code == 200, answer.body
    assert event_calls(google_twin, since) == ["patch"]
    (event,) = google_twin.events("pending@gmail.test")
    assert event["status"] == "confirmed" and event["summary"] == "Cut · Cara Customer"


# --- changing ---------------------------------------------------------------------------------------

def test_a_move_is_one_patch(client, google_twin):
    got = connect_staff(client, google_twin, email="move@gmail.test")
    appointment = book_for(client, got)
    since = len(google_twin.calls)

    moved = move(client, got, appointment, got["cal"].at(4, 14))

    assert event_calls(google_twin, since) == ["patch"]
    (event,) = google_twin.events("move@gmail.test")
    assert event["id"] == UUID(appointment["id"]).hex
    assert zoned(event) == got["cal"].at(4, 14) and zoned(event, "end") == got["cal"].at(4, 15)
    link = link_of(got, appointment)
    assert (link["start_at"], link["written_version"]) == (got["cal"].at(4, 14), moved["version"])


def test_a_reassignment_moves_the_event_to_the_other_persons_calendar(client, google_twin, mail):
    first, second = two_connected(client, google_twin, mail)
    appointment = book_for(client, first)
    since = len(google_twin.calls)

    move(client, first, appointment, first["cal"].at(3, 10), staff_id=second["staff_id"])

    assert event_calls(google_twin, since) == ["delete", "insert"]
    assert google_twin.events("first@gmail.test") == []
    (event,) = google_twin.events("second@gmail.test")
    assert event["id"] == UUID(appointment["id"]).hex
    link = link_of(first, appointment)
    assert (link["state"], str(link["staff_id"])) == ("present", second["staff_id"])


def test_a_reassignment_to_someone_without_a_calendar_deletes_the_event(client, google_twin):
    got = connect_staff(client, google_twin, business=calendar(client, staff=2), email="leaving@gmail.test")
    unconnected = next(s for s in got["cal"].staff_ids if s != got["staff_id"])
    appointment = book_for(client, got)
    since = len(google_twin.calls)

    move(client, got, appointment, got["cal"].at(3, 10), staff_id=unconnected)

    assert event_calls(google_twin, since) == ["delete"]
    assert google_twin.events("leaving@gmail.test") == []
    assert link_of(got, appointment)["state"] == "deleted"


def test_a_cancel_deletes_the_event(client, google_twin):
    got = connect_staff(client, google_twin, email="cancel@gmail.test")
    appointment = book_for(client, got)
    since = len(google_twin.calls)

    cancel(client, got, appointment)

    assert event_calls(google_twin, since) == ["delete"]
    assert google_twin.events("cancel@gmail.test") == []
    assert link_of(got, appointment)["state"] == "deleted"
    writer.write_appointment(UUID(got["business_id"]), UUID(appointment["id"]))  # delivered again: no call
    assert event_calls(google_twin, since) == ["delete"]


def test_a_delete_answered_404_is_fine(client, google_twin):
    got = connect_staff(client, google_twin, email="gone@gmail.test")
    appointment = book_for(client, got)
    google_twin.fail_next(1, 404, "notFound")  # Google no longer has it at all

    cancel(client, got, appointment)

    link = link_of(got, appointment)
    assert (link["state"], link["last_error"], link["attempts"]) == ("deleted", None, 0)


# --- Google failing ---------------------------------------------------------------------------------

def test_with_google_down_the_booking_succeeds_and_the_retry_job_creates_the_event(client, google_twin):
    got = connect_staff(client, google_twin, email="down@gmail.test")
    google_twin.fail_next(3, 503)

    appointment = book_for(client, got)  # 201: the booking never waits for Google

    assert google_twin.events("down@gmail.test") == []
    link = link_of(got, appointment)
    assert (link["state"], link["attempts"]) == ("failed", 1)
    assert "trying again later" in link["last_error"]
    assert timedelta(minutes=4) < link["next_attempt_at"] - datetime.now(link["next_attempt_at"].tzinfo) \
        <= timedelta(minutes=5)
    since = len(google_twin.calls)
    writer.retry_due()
    assert event_calls(google_twin, since) == []  # not due yet

    due_now(got, appointment)
    assert writer.retry_due() >= 1

    (event,) = google_twin.events("down@gmail.test")
    assert event["id"] == UUID(appointment["id"]).hex
    link = link_of(got, appointment)
    assert (link["state"], link["attempts"], link["last_error"], link["next_attempt_at"]) == ("present", 0, None, None)


def test_a_write_that_keeps_failing_gives_up_and_says_so(client, google_twin):
    got = connect_staff(client, google_twin, email="flaky@gmail.test")
    google_twin.fail_next(3, 503)
    appointment = book_for(client, got)
    rows(got["business_id"], "UPDATE calendar_event_links SET attempts = :n WHERE appointment_id = CAST(:id AS uuid) "
                             "RETURNING attempts", n=writer.MAX_ATTEMPTS - 1, id=appointment["id"])
    due_now(got, appointment)
    google_twin.fail_next(3, 503)

    writer.retry_due()

    link = link_of(got, appointment)
    assert (link["state"], link["attempts"], link["next_attempt_at"]) == ("failed", writer.MAX_ATTEMPTS, None)
    assert "gave up" in link["last_error"]
    assert "gave up" in connection(got["business_id"], got["staff_id"])["last_error"]  # the status shows it
    move(client, got, appointment, got["cal"].at(4, 10))  # the next change tries again
    assert link_of(got, appointment)["state"] == "present" and len(google_twin.events("flaky@gmail.test")) == 1


def test_a_quota_answer_backs_the_connection_off_and_the_next_write_waits_without_calling(client, google_twin):
    got = connect_staff(client, google_twin, email="quota@gmail.test")
    google_twin.fail_next(3, 429)
    first = book_for(client, got)
    assert link_of(got, first)["state"] == "failed"
    backoff_until = connection(got["business_id"], got["staff_id"])["backoff_until"]
    assert backoff_until is not None
    since = len(google_twin.calls)

    second = book_for(client, got, hour=13)

    assert google_twin.calls[since:] == []
    link = link_of(got, second)
    assert link["state"] == "failed" and link["next_attempt_at"] >= backoff_until


def test_a_revoked_grant_during_a_write_fails_nothing_and_the_member_is_asked_to_reconnect(
        client, google_twin, mail):
    got = connect_staff(client, google_twin, email="revoked@gmail.test")
    google_twin.revoke_grant("revoked@gmail.test")

    appointment = book_for(client, got)  # 201

    row = connection(got["business_id"], got["staff_id"])
    assert (row["state"], row["lost_reason"]) == ("reconnect_needed", "invalid_grant")
    assert len([m for m in mail.sent_to(got["member"].email) if "Google Calendar" in m["Subject"]]) == 1
    link = link_of(got, appointment)
    assert (link["state"], link["next_attempt_at"]) == ("failed", None)  # not the retry job's: the reconnect's
    assert "reconnecting" in link["last_error"]
    since = len(google_twin.calls)
    later = book_for(client, got, hour=14)  # meanwhile: nothing calls Google for this calendar
    assert event_calls(google_twin, since) == [] and link_of(got, later) is None

    connect_staff(client, google_twin, business=got["cal"], member=got["member"], staff_id=got["staff_id"],
                  email="revoked@gmail.test")  # the member reconnects: what was missed goes in

    assert sorted(e["id"] for e in google_twin.events("revoked@gmail.test")) == sorted(
        UUID(a["id"]).hex for a in (appointment, later))
    assert link_of(got, appointment)["state"] == link_of(got, later)["state"] == "present"
