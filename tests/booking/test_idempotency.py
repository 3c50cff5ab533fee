"""Idempotency-Key on POST /public/{slug}/bookings: a retried booking is the same booking, and its
replayed answer carries a fresh manage link (the first one was never stored in clear)."""
from __future__ import annotations

import time
import uuid

from tests.api import body
from tests.appointments.helpers import calendar
from tests.booking.helpers import book_online, booking_body, manage, silent_queue, slug_of, stored
from tests.checks import error_of, rows

DAY = 3


def test_the_same_key_and_body_answer_the_same_booking_with_a_new_working_link(client):
    cal = calendar(client)
    slug, key = slug_of(client, cal), str(uuid.uuid4())
    payload = booking_body(cal, cal.at(DAY, 10))
    first = book_online(client, slug, payload, key=key)
    assert first.status_code == 201, first.body
    after_first = stored(cal.business_id)

    replay = book_online(client, slug, payload, key=key)

    assert replay.status_code == 201, replay.body
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    original, again = body(first), body(replay)
    assert again["appointment"] == original["appointment"]
    assert again["manage_token"] != original["manage_token"]
    assert again["manage_url"].endswith(again["manage_token"])
    assert stored(cal.business_id) == {**after_first, "links": after_first["links"] + 1}
    assert len(rows(cal.business_id, "SELECT id FROM appointments")) == 1
    for token in (original["manage_token"], again["manage_token"]):
        response = manage(client, token)
        assert response.status_code == 200, response.body
        assert body(response)["appointment"]["id"] == original["appointment"]["id"]
    # The remembered answer holds neither link.
    kept = rows(cal.business_id, "SELECT body FROM idempotency_keys WHERE key LIKE :key", key=f"%{key}")
    assert len(kept) == 1
    for token in (original["manage_token"], again["manage_token"]):
        assert token.partition(".")[2] not in kept[0]["body"]


def test_the_same_key_with_another_body_is_409_and_books_nothing(client):
    cal = calendar(client)
    slug, key = slug_of(client, cal), str(uuid.uuid4())
    assert book_online(client, slug, booking_body(cal, cal.at(DAY, 10)), key=key).status_code == 201
    before = stored(cal.business_id)

    response = book_online(client, slug, booking_body(cal, cal.at(DAY, 12)), key=key)

    error_of(response, 409, "idempotency_key_reused")
    assert stored(cal.business_id) == before


def test_one_key_at_two_businesses_makes_two_bookings(client):
    cal, other = calendar(client), calendar(client)
    key = str(uuid.uuid4())

    here = book_online(client, slug_of(client, cal), booking_body(cal, cal.at(DAY, 10)), key=key)
    there = book_online(client, slug_of(client, other), booking_body(other, other.at(DAY, 10)), key=key)

    assert (here.status_code, there.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in there.headers
    assert body(here)["appointment"]["id"] != body(there)["appointment"]["id"]


def test_a_key_longer_than_255_characters_is_refused_and_books_nothing(client):
    cal = calendar(client)
    before = stored(cal.business_id)

    response = book_online(client, slug_of(client, cal), booking_body(cal, cal.at(DAY, 10)), key="k" * 256)

    assert "Idempotency-Key" in error_of(response, 422, "validation_failed")["details"]["fields"]
    assert stored(cal.business_id) == before


def test_a_queue_that_never_answers_neither_fails_nor_holds_the_booking_and_the_retry_gets_its_answer(client):
    # Once the booking has committed its event goes to the queue; a queue that is down must cost the
    # request a few seconds at most (the outbox sweep sends the event later), and the answer must be
    # kept by then, so that a client retrying after a timeout is answered, not booked twice.
    cal = calendar(client)
    slug, key = slug_of(client, cal), str(uuid.uuid4())
    payload = booking_body(cal, cal.at(DAY, 10))

    def answer_kept() -> list[int | None]:
        return [r["status"] for r in rows(cal.business_id, "SELECT status FROM idempotency_keys")]

    with silent_queue(answer_kept) as calls:
        started = time.monotonic()
        first = book_online(client, slug, payload, key=key)
        took = time.monotonic() - started
        again = book_online(client, slug, payload, key=key)

    assert first.status_code == 201, first.body
    assert took < 5
    assert calls == [[201]]  # the queue was called once, with the answer already committed
    assert again.status_code == 201 and again.headers.get("Idempotent-Replayed") == "true"
    assert body(again)["appointment"] == body(first)["appointment"]
    assert len(rows(cal.business_id, "SELECT id FROM appointments")) == 1
    # The event waits for the outbox sweep.
    assert rows(cal.business_id, "SELECT topic, dispatched_at FROM outbox WHERE aggregate_id = CAST(:id AS uuid)",
                id=body(first)["appointment"]["id"]) == [{"topic": "appointment.created", "dispatched_at": None}]
