"""Idempotency-Key on POST /public/{slug}/bookings: a retried booking is the same booking, and its
replayed answer carries a fresh manage link (the first one was never stored in clear)."""
from __future__ import annotations

import json
import threading
import time
import uuid
from contextlib import closing
from typing import Any

import pg8000.native

from chalicelib.appointments.service import Booking, CustomerDetails
from chalicelib.booking import service as public_booking
from chalicelib.core import db, rate_limit
from chalicelib.core.migrations import owner_connection
from tests.api import body, from_address, unique_address
from tests.appointments.helpers import calendar
from tests.booking.helpers import book_online, booking_body, customer_email, manage, silent_queue, slug_of, stored
from tests.booking.test_rate_limits import clear_of_the_window_end, fill, hits, retry_after
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


def _sent_by(sender: str) -> int:
    return hits(rate_limit.bucket(rate_limit.BOOKINGS_PER_ADDRESS, rate_limit.limit_key(sender)))


def test_replays_of_one_key_count_against_the_senders_limit_and_stop_at_it(client):
    # Each replay makes a new manage link: a key replayed without end must not make links without end.
    cal = calendar(client)
    slug, key, sender = slug_of(client, cal), str(uuid.uuid4()), unique_address()
    payload = booking_body(cal, cal.at(DAY, 10))
    per = rate_limit.BOOKINGS_PER_ADDRESS.per
    clear_of_the_window_end(rate_limit.BOOKINGS_PER_ADDRESS, 120)

    with from_address(sender):
        answers = [book_online(client, slug, payload, key=key)]
        links = stored(cal.business_id)["links"]  # the answer's, and its confirmation message's
        answers += [book_online(client, slug, payload, key=key) for _ in range(per + 9)]

    assert [a.status_code for a in answers] == [201] * per + [429] * 10
    assert all(1 <= retry_after(refused) <= 3600 for refused in answers[per:])
    assert _sent_by(sender) == per
    assert len(rows(cal.business_id, "SELECT id FROM appointments")) == 1
    assert stored(cal.business_id)["links"] == links + per - 1  # one per replay answered, none after


def test_a_sender_over_its_limit_is_refused_before_a_key_is_claimed(client, sql_statements):
    cal = calendar(client)
    slug, sender = slug_of(client, cal), unique_address()
    clear_of_the_window_end(rate_limit.BOOKINGS_PER_ADDRESS, 30)
    fill(rate_limit.BOOKINGS_PER_ADDRESS, rate_limit.limit_key(sender))
    before = stored(cal.business_id)
    sent = len(sql_statements)

    with from_address(sender):
        refused = book_online(client, slug, booking_body(cal, cal.at(DAY, 10)), key=str(uuid.uuid4()))

    statements = sql_statements[sent:]
    assert 1 <= retry_after(refused) <= 3600
    assert len(statements) == 3, statements  # BEGIN, the page statement that refuses, ROLLBACK
    assert stored(cal.business_id) == before
    assert rows(cal.business_id, "SELECT key FROM idempotency_keys") == []
    assert _sent_by(sender) == rate_limit.BOOKINGS_PER_ADDRESS.per


def test_a_keyed_attempt_counts_once_against_its_sender_whatever_it_answers(client):
    cal = calendar(client)
    slug, sender, key = slug_of(client, cal), unique_address(), str(uuid.uuid4())

    past, failed_key = booking_body(cal, cal.at(-1, 10)), str(uuid.uuid4())
    with from_address(sender):
        error_of(book_online(client, slug, past, key=failed_key), 409, "slot_unavailable")
        assert _sent_by(sender) == 1
        again = book_online(client, slug, past, key=failed_key)  # a client error is remembered
        error_of(again, 409, "slot_unavailable")
        assert again.headers.get("Idempotent-Replayed") == "true"
        assert _sent_by(sender) == 2
        assert book_online(client, slug, booking_body(cal, cal.at(DAY, 10)), key=key).status_code == 201
        assert _sent_by(sender) == 3
        error_of(book_online(client, slug, booking_body(cal, cal.at(DAY, 12)), key=key), 409, "idempotency_key_reused")
        assert _sent_by(sender) == 4
        error_of(book_online(client, "no-such-business", booking_body(cal, cal.at(DAY, 12)), key=key), 404, "not_found")
        assert _sent_by(sender) == 5


def test_a_connection_lost_at_the_answers_commit_is_503_and_the_retry_books_once(client, monkeypatch):
    # The answer is written in the booking's own transaction, held open for it; its COMMIT is the
    # request's last word to the database. The backend is ended (as by a failover, or an administrator)
    # from another connection just before that COMMIT goes out.
    cal = calendar(client)
    slug, key = slug_of(client, cal), str(uuid.uuid4())
    payload = booking_body(cal, cal.at(DAY, 10))
    before = stored(cal.business_id)
    last: dict[int, str] = {}
    ended: list[int] = []
    execute_simple, execute_unnamed = pg8000.native.Connection.execute_simple, pg8000.native.Connection.execute_unnamed

    def unnamed(conn, statement, *args, **kwargs):
        last[id(conn)] = statement
        return execute_unnamed(conn, statement, *args, **kwargs)

    def simple(conn, statement, *args, **kwargs):
        if statement == "COMMIT" and last.get(id(conn), "").startswith("-- remember the answer") and not ended:
            ended.append(execute_simple(conn, "SELECT pg_backend_pid()").rows[0][0])
            with closing(db.open_connection()) as other:
                assert other.run("SELECT pg_terminate_backend(:pid, 5000)", pid=ended[0]) == [[True]]
        last[id(conn)] = statement
        return execute_simple(conn, statement, *args, **kwargs)

    monkeypatch.setattr(pg8000.native.Connection, "execute_unnamed", unnamed)
    monkeypatch.setattr(pg8000.native.Connection, "execute_simple", simple)

    lost = book_online(client, slug, payload, key=key)

    assert ended
    error_of(lost, 503, "unavailable")
    assert stored(cal.business_id) == before
    assert rows(cal.business_id, "SELECT key FROM idempotency_keys") == []  # given back for the retry
    retried = book_online(client, slug, payload, key=key)
    assert retried.status_code == 201, retried.body
    assert "Idempotent-Replayed" not in retried.headers
    assert len(rows(cal.business_id, "SELECT id FROM appointments")) == 1


def test_a_second_request_with_the_key_waits_for_the_first_and_is_answered_the_same(client):
    # The key is claimed in the booking's own first statement, and commits only with its answer: a
    # second request with it waits on the key (not a 409 "in progress") and replays what the first
    # answered. The first is held open mid-booking: its new customer's insert waits for a customer with
    # the same e-mail that the test inserts and keeps uncommitted.
    cal = calendar(client)
    slug, key, held_email = slug_of(client, cal), str(uuid.uuid4()), customer_email()
    answers: dict[str, Any] = {}

    def request(name: str) -> None:
        answers[name] = public_booking.book(
            slug, Booking(service_id=cal.service_id, start_at=cal.at(DAY, 9)),
            CustomerDetails(name="Pat Customer", email=held_email, phone=None, terms_accepted=True,
                            marketing_opt_in=False),
            client=rate_limit.limit_key(unique_address()), idempotency_key=key, request_hash="same")

    with closing(owner_connection()) as holder, closing(owner_connection()) as watcher:
        holder.run("BEGIN")
        holder.run("SELECT set_config('app.business_id', :bid, true)", bid=cal.business_id)
        holder.run("INSERT INTO customers (business_id, name, email) VALUES (CAST(:bid AS uuid), 'Held', :email)",
                   bid=cal.business_id, email=held_email)

        def waiting() -> int:
            return watcher.run("SELECT count(*) FROM pg_stat_activity "
                               "WHERE cardinality(pg_blocking_pids(pid)) > 0")[0][0]

        threads = {name: threading.Thread(target=request, args=(name,)) for name in ("first", "second")}
        try:
            threads["first"].start()
            deadline = time.monotonic() + 10
            while waiting() < 1:
                assert time.monotonic() < deadline, "the first booking never reached the held customer"
                time.sleep(0.02)
            threads["second"].start()
            while waiting() < 2:
                assert time.monotonic() < deadline, "the second request did not wait for the first's key"
                time.sleep(0.02)
            assert answers == {}
        finally:
            holder.run("ROLLBACK")
            for thread in threads.values():
                if thread.ident is not None:
                    thread.join(timeout=30)

    first, second = answers["first"], answers["second"]
    assert first.status_code == second.status_code == 201, (first.body, second.body)
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert json.loads(second.body)["appointment"] == json.loads(first.body)["appointment"]
    assert len(rows(cal.business_id, "SELECT id FROM appointments")) == 1
