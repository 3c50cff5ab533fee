"""Booking by staff: POST /appointments re-checks the whole availability rule and stores the
appointment, its first history entry and an outbox event together."""
from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from tests.api import body, call
from tests.appointments.helpers import add_service, appointment_rows, book, booked, calendar, outbox_topics
from tests.booking.helpers import silent_queue
from tests.checks import error_of, invalid_fields, rows


def test_a_booking_is_stored_with_its_history_and_outbox_event(client):
    cal = calendar(client)
    start = cal.at(7, 10)

    answer = booked(client, cal, start, notes="First visit", internal_notes="Allergic to latex")

    assert answer["status"] == "confirmed"
    assert datetime.fromisoformat(answer["start_at"]) == start
    assert datetime.fromisoformat(answer["end_at"]) == start + timedelta(hours=1)
    assert (answer["staff_id"], answer["location_id"], answer["service_id"], answer["customer_id"]) == \
        (cal.staff_ids[0], cal.location_id, cal.service_id, cal.customer_id)
    assert answer["price"] == {"amount": 4500, "currency": "GBP"}
    assert answer["notes"] == "First visit" and answer["internal_notes"] == "Allergic to latex"
    [row] = appointment_rows(cal.business_id)
    assert row["start_at"] == start and row["end_at"] == start + timedelta(hours=1)
    assert row["source"] == "staff" and str(row["created_by"]) == cal.owner.user_id
    [entry] = rows(cal.business_id, "SELECT * FROM appointment_history")
    assert (entry["action"], entry["actor_type"], str(entry["actor_id"])) == ("created", "user", cal.owner.user_id)
    assert entry["after"]["status"] == "confirmed"
    assert outbox_topics(cal.business_id, answer["id"]) == ["appointment.created"]


def test_the_same_slot_twice_gives_409_and_stores_one(client):
    cal = calendar(client)
    start = cal.at(7, 10)
    booked(client, cal, start)

    again = book(client, cal, start)

    error_of(again, 409, "slot_taken")
    assert len(appointment_rows(cal.business_id)) == 1


def test_an_overlapping_start_is_taken_too(client):
    cal = calendar(client)
    booked(client, cal, cal.at(7, 10))

    error_of(book(client, cal, cal.at(7, 10, 30)), 409, "slot_taken")
    assert len(appointment_rows(cal.business_id)) == 1


def test_buffers_keep_appointments_apart(client):
    cal = calendar(client, buffer_after=15)
    booked(client, cal, cal.at(7, 10))

    error_of(book(client, cal, cal.at(7, 11)), 409, "slot_taken")
    assert book(client, cal, cal.at(7, 11, 15)).status_code == 201


@pytest.mark.parametrize(("hour", "reason"), [(7, "outside_hours"), (16, "outside_hours")])
def test_a_time_outside_working_hours_is_refused_with_the_reason(client, hour, reason):
    cal = calendar(client)

    error = error_of(book(client, cal, cal.at(7, hour, 30)), 409, "slot_unavailable")

    assert error["details"] == {"reason": reason}
    assert appointment_rows(cal.business_id) == []


def test_a_time_off_the_grid_is_refused(client):
    cal = calendar(client)

    error = error_of(book(client, cal, cal.at(7, 10, 7)), 409, "slot_unavailable")

    assert error["details"]["reason"] == "off_grid"


def test_a_time_in_the_past_is_too_soon(client):
    cal = calendar(client)

    error = error_of(book(client, cal, cal.at(-1, 10)), 409, "slot_unavailable")

    assert error["details"]["reason"] == "too_soon"


def test_any_staff_assigns_the_next_free_person(client):
    cal = calendar(client, staff=2)
    start = cal.at(7, 10)

    first, second = booked(client, cal, start), booked(client, cal, start)

    assert {first["staff_id"], second["staff_id"]} == set(cal.staff_ids)
    error_of(book(client, cal, start), 409, "slot_taken")


def test_a_group_session_takes_seats_until_full(client):
    cal = calendar(client, staff=1, capacity=3)
    start = cal.at(7, 10)

    seats = [booked(client, cal, start) for _ in range(3)]

    assert {s["staff_id"] for s in seats} == {cal.staff_ids[0]}
    error = error_of(book(client, cal, start), 409, "slot_taken")
    assert error["details"] == {"reason": "full"}
    assert len(appointment_rows(cal.business_id)) == 3


def test_a_per_staff_duration_and_price_apply(client):
    cal = calendar(client)
    rows(cal.business_id, "UPDATE service_staff SET duration_min = 90, price_minor = 6000 RETURNING staff_id")

    answer = booked(client, cal, cal.at(7, 10))

    assert answer["price"]["amount"] == 6000
    [row] = appointment_rows(cal.business_id)
    assert row["end_at"] - row["start_at"] == timedelta(minutes=90)


def test_an_unknown_customer_is_a_field_error_and_nothing_is_stored(client):
    cal = calendar(client)

    answer = book(client, cal, cal.at(7, 10), customer_id="00000000-0000-4000-8000-000000000000")

    assert invalid_fields(answer) == {"customer_id": "unknown customer"}
    assert appointment_rows(cal.business_id) == []


@pytest.mark.parametrize(("payload", "field"), [
    ({"start_at": "2030-01-01T10:00:00"}, "start_at"),
    ({"start_at": "tomorrow"}, "start_at"),
    ({"service_id": "not-a-uuid"}, "service_id"),
    ({"customer_id": None}, "customer_id"),
    ({"notes": "x" * 2001}, "notes"),
    ({"colour": "red"}, "colour"),
])
def test_bad_input_is_422_with_the_field_and_stores_nothing(client, payload, field):
    cal = calendar(client)
    base = {"service_id": cal.service_id, "customer_id": cal.customer_id, "start_at": cal.at(7, 10).isoformat()}

    answer = call(client, "POST", "/appointments", {**base, **payload}, session=cal.owner)

    assert field in invalid_fields(answer)
    assert appointment_rows(cal.business_id) == []
    assert rows(cal.business_id, "SELECT * FROM outbox WHERE topic LIKE 'appointment.%'") == []


def test_an_unknown_service_is_a_field_error(client):
    cal = calendar(client)

    answer = book(client, cal, cal.at(7, 10), service_id="00000000-0000-4000-8000-000000000000")

    assert invalid_fields(answer) == {"service_id": "unknown service"}


def test_an_archived_service_cannot_be_booked(client):
    cal = calendar(client)
    rows(cal.business_id, "UPDATE services SET archived_at = now(), active = false RETURNING id")

    error = error_of(book(client, cal, cal.at(7, 10)), 409, "slot_unavailable")

    assert error["details"]["reason"] == "service_unavailable"


def test_staff_can_book_a_service_that_is_not_bookable_online(client):
    cal = calendar(client)
    offline = add_service(cal.business_id, cal.staff_ids, name="Private", bookable_online=False)

    assert book(client, cal, cal.at(7, 10), service_id=offline).status_code == 201


def test_an_idempotency_key_answers_the_first_booking_again(client):
    cal = calendar(client)
    payload = {"service_id": cal.service_id, "customer_id": cal.customer_id, "start_at": cal.at(7, 10).isoformat()}
    key = {"Idempotency-Key": "booking-1"}

    first = call(client, "POST", "/appointments", payload, session=cal.owner, headers=key)
    again = call(client, "POST", "/appointments", payload, session=cal.owner, headers=key)

    assert first.status_code == again.status_code == 201
    assert body(first)["id"] == body(again)["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert len(appointment_rows(cal.business_id)) == 1


def test_with_the_queue_down_a_booking_answers_at_once_and_its_retry_gets_the_same_answer(client):
    # The event goes to the queue after the commit; by then the answer to the Idempotency-Key must be
    # committed too, or a client retrying after a timed-out request books twice.
    cal = calendar(client)
    payload = {"service_id": cal.service_id, "customer_id": cal.customer_id, "start_at": cal.at(7, 10).isoformat()}
    key = {"Idempotency-Key": "booking-1"}

    def answer_kept() -> list[int | None]:
        return [r["status"] for r in rows(cal.business_id, "SELECT status FROM idempotency_keys")]

    with silent_queue(answer_kept) as calls:
        started = time.monotonic()
        first = call(client, "POST", "/appointments", payload, session=cal.owner, headers=key)
        took = time.monotonic() - started
        again = call(client, "POST", "/appointments", payload, session=cal.owner, headers=key)

    assert first.status_code == again.status_code == 201
    assert took < 5
    assert calls == [[201]]
    assert body(again) == body(first) and again.headers.get("Idempotent-Replayed") == "true"
    assert len(appointment_rows(cal.business_id)) == 1
