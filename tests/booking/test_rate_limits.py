"""The limits on the public routes: bookings per client address (30 an hour, failed ones included) and
per business (600 online bookings in any hour, bookings made only, members' never), unconfirmed online
bookings per customer (3), page reads and manage-link actions per address. A refused request is a 429
(the pending cap: a 409) that stores and changes nothing; one business's bookings never wait for each
other on a shared count.

The test client's requests all come from one address (see conftest.py): the per-address test has
it to itself."""
from __future__ import annotations

import threading
import time
from contextlib import closing

import pytest

from chalicelib.appointments.service import (MAX_PENDING_ONLINE, ONLINE_BOOKINGS_PER_HOUR, Booking,
                                             CustomerDetails)
from chalicelib.booking import service as public_booking
from chalicelib.core import rate_limit
from chalicelib.core.migrations import owner_connection
from tests.api import body, call, from_address, unique_address
from tests.appointments.helpers import Calendar, book, calendar
from tests.booking.helpers import (ADDRESS, book_online, booked_online, booking_body, customer_email, manage,
                                   patch_policy, public_slots, slug_of, stored, write)
from tests.checks import error_of, rows

DAY = 3


def hits(bucket: str) -> int:
    """The bucket's count in its current window (0 when it has none)."""
    with closing(owner_connection()) as conn:
        found = conn.run("SELECT coalesce(sum(hits), 0) FROM rate_limit_hits WHERE bucket = :bucket "
                         "AND window_start > now() - interval '1 hour'", bucket=bucket)
    return int(found[0][0])


def fill(limit: rate_limit.Limit, key: str, *, left: int = 0) -> None:
    """The key's current window of ``limit`` already at the limit (``left``: that many hits short of
    it), aligned as ``rate_limit.hit`` aligns it."""
    with closing(owner_connection()) as conn:
        conn.run("INSERT INTO rate_limit_hits (bucket, window_start, hits) "
                 "VALUES (:bucket, to_timestamp(floor(extract(epoch FROM now()) / :w) * :w), :hits) "
                 "ON CONFLICT (bucket, window_start) DO UPDATE SET hits = EXCLUDED.hits",
                 bucket=rate_limit.bucket(limit, key), w=limit.window_s, hits=limit.per - left)


def clear_of_the_window_end(limit: rate_limit.Limit, needed_s: float) -> None:
    """Wait for the next window if the current one ends before the test would be done with it."""
    left = limit.window_s - time.time() % limit.window_s
    if left < needed_s:
        time.sleep(left + 1)


def made_earlier(cal: Calendar, count: int, *, minutes_ago: int, source: str = "online") -> None:
    """``count`` bookings of the business made ``minutes_ago`` minutes ago (cancelled since, so they
    take no time in the calendar: they still count as made)."""
    write(cal, "INSERT INTO appointments (business_id, location_id, service_id, staff_id, customer_id, start_at, "
          "end_at, occupied, session_key, status, price_minor, currency, source, created_at) "
          "SELECT CAST(:bid AS uuid), CAST(:lid AS uuid), CAST(:svc AS uuid), CAST(:sid AS uuid), CAST(:cid AS uuid), "
          "at, at + interval '1 hour', tstzrange(at, at + interval '1 hour'), gen_random_uuid()::text, 'cancelled', "
          "0, 'GBP', :source, now() - make_interval(mins => :ago) "
          "FROM generate_series(1, :count), CAST(:at AS timestamptz) AS at",
          lid=cal.location_id, svc=cal.service_id, sid=cal.staff_ids[0], cid=cal.customer_id, at=cal.at(-7, 10),
          source=source, ago=minutes_ago, count=count)


def online_made(cal: Calendar) -> int:
    """The business's online bookings made in the last hour: what its budget counts."""
    return rows(cal.business_id, "SELECT count(*) AS n FROM appointments "
                "WHERE source = 'online' AND created_at > now() - interval '1 hour'")[0]["n"]


def retry_after(response) -> int:
    error = error_of(response, 429, "rate_limited")
    seconds = int(response.headers["Retry-After"])
    assert seconds == error["details"]["retry_after"]
    return seconds


@pytest.mark.whole_address
def test_the_31st_booking_from_one_address_within_the_hour_is_refused_and_stores_nothing(client):
    cal = calendar(client, duration=15)
    slug = slug_of(client, cal)
    per = rate_limit.BOOKINGS_PER_ADDRESS.per
    clear_of_the_window_end(rate_limit.BOOKINGS_PER_ADDRESS, 60)
    for k in range(per):
        booked_online(client, slug, booking_body(cal, cal.at(DAY, 9 + k // 4, 15 * (k % 4))))
    before = stored(cal.business_id)

    response = book_online(client, slug, booking_body(cal, cal.at(DAY + 1, 10)))

    assert 1 <= retry_after(response) <= 3600
    assert stored(cal.business_id) == before
    assert hits(rate_limit.bucket(rate_limit.BOOKINGS_PER_ADDRESS, ADDRESS)) == per


def test_the_601st_online_booking_of_a_business_within_an_hour_is_refused_until_the_oldest_leaves_the_hour(client):
    cal, other = calendar(client), calendar(client)
    slug = slug_of(client, cal)
    made_earlier(cal, ONLINE_BOOKINGS_PER_HOUR - 1, minutes_ago=50)
    with from_address(unique_address()):
        booked_online(client, slug, booking_body(cal, cal.at(DAY, 9)))  # the 600th
    before = stored(cal.business_id)

    with from_address(unique_address()):
        response = book_online(client, slug, booking_body(cal, cal.at(DAY, 10)))

    # The oldest of the 600 was made 50 minutes ago: a place frees in 10 minutes.
    assert 590 <= retry_after(response) <= 600
    assert stored(cal.business_id) == before
    assert online_made(cal) == ONLINE_BOOKINGS_PER_HOUR
    assert booked_online(client, slug_of(client, other), booking_body(other, other.at(DAY, 10)))


@pytest.mark.parametrize("keyed", [False, True])
def test_attempts_at_a_business_whose_budget_is_spent_still_count_against_their_sender(client, keyed):
    cal = calendar(client, duration=15)
    slug = slug_of(client, cal)
    made_earlier(cal, ONLINE_BOOKINGS_PER_HOUR, minutes_ago=30)
    per = rate_limit.BOOKINGS_PER_ADDRESS.per
    clear_of_the_window_end(rate_limit.BOOKINGS_PER_ADDRESS, 60)
    sender = unique_address()

    with from_address(sender):
        answers = [book_online(client, slug, booking_body(cal, cal.at(DAY, 9 + k // 4, 15 * (k % 4))),
                               key=f"spent-{k}" if keyed else None) for k in range(per + 2)]

    assert all(a.status_code == 429 for a in answers)
    budget, limit = answers[:per], answers[per:]
    assert all(error_of(a, 429, "rate_limited")["message"].startswith("This business") for a in budget)
    assert all(body(a)["error"]["details"]["limit"] == "online_bookings_per_business" for a in budget)
    assert all(not error_of(a, 429, "rate_limited")["message"].startswith("This business") for a in limit)
    assert hits(rate_limit.bucket(rate_limit.BOOKINGS_PER_ADDRESS, rate_limit.limit_key(sender))) == per


def test_online_bookings_made_over_an_hour_ago_no_longer_count(client):
    cal = calendar(client)
    made_earlier(cal, ONLINE_BOOKINGS_PER_HOUR, minutes_ago=61)

    assert booked_online(client, slug_of(client, cal), booking_body(cal, cal.at(DAY, 10)))


def test_members_bookings_are_neither_counted_nor_refused_by_the_online_budget(client):
    cal = calendar(client)
    slug = slug_of(client, cal)
    made_earlier(cal, ONLINE_BOOKINGS_PER_HOUR - 1, minutes_ago=30)
    made_earlier(cal, 50, minutes_ago=5, source="staff")
    assert book(client, cal, cal.at(DAY, 9)).status_code == 201

    # Members' bookings took none of the budget: the 600th online booking is made.
    booked_online(client, slug, booking_body(cal, cal.at(DAY, 10)))
    # The budget is spent: online bookings are refused, a member still books.
    retry_after(book_online(client, slug, booking_body(cal, cal.at(DAY, 11))))
    assert book(client, cal, cal.at(DAY, 12)).status_code == 201
    assert [r["source"] for r in rows(cal.business_id, "SELECT source FROM appointments "
                                      "WHERE status <> 'cancelled' ORDER BY start_at")] == ["staff", "online", "staff"]


def test_a_public_booking_of_a_business_does_not_wait_for_another_one_still_in_progress(client):
    """One booking's transaction is held open (its new customer's insert waits for a customer with the
    same e-mail that the test inserts and keeps uncommitted); meanwhile another booking of the same
    business, from another address, is made."""
    cal = calendar(client)
    slug = slug_of(client, cal)
    held_email = customer_email()
    answers: list[int] = []

    def first_booking() -> None:
        response = public_booking.book(
            slug, Booking(service_id=cal.service_id, start_at=cal.at(DAY, 9)),
            CustomerDetails(name="Pat Customer", email=held_email, phone=None, terms_accepted=True,
                            marketing_opt_in=False),
            client=rate_limit.limit_key(unique_address()), idempotency_key=None, request_hash="")
        answers.append(response.status_code)

    with closing(owner_connection()) as holder, closing(owner_connection()) as watcher:
        holder.run("BEGIN")
        holder.run("SELECT set_config('app.business_id', :bid, true)", bid=cal.business_id)
        holder.run("INSERT INTO customers (business_id, name, email) VALUES (CAST(:bid AS uuid), 'Held', :email)",
                   bid=cal.business_id, email=held_email)
        holder_pid = holder.run("SELECT pg_backend_pid()")[0][0]

        def first_is_waiting() -> bool:
            return watcher.run("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))",
                               pid=holder_pid)[0][0] == 1

        first = threading.Thread(target=first_booking)
        first.start()
        try:
            deadline = time.monotonic() + 10
            while not first_is_waiting():
                assert time.monotonic() < deadline, "the first booking never reached the held customer"
                time.sleep(0.02)

            with from_address(unique_address()):
                second = book_online(client, slug, booking_body(cal, cal.at(DAY, 11)))

            assert second.status_code == 201, second.body
            assert first_is_waiting() and answers == []
        finally:
            holder.run("ROLLBACK")
            first.join(timeout=30)

    assert answers == [201]
    assert sorted(r["start_at"] for r in rows(cal.business_id, "SELECT start_at FROM appointments")) == [
        cal.at(DAY, 9), cal.at(DAY, 11)]


@pytest.mark.whole_address
def test_page_reads_and_manage_actions_over_their_limits_are_refused(client):
    cal = calendar(client)
    slug = slug_of(client, cal)
    token = booked_online(client, slug, booking_body(cal, cal.at(DAY, 10)))["manage_token"]
    clear_of_the_window_end(rate_limit.PUBLIC_READS_PER_ADDRESS, 10)
    fill(rate_limit.PUBLIC_READS_PER_ADDRESS, ADDRESS)
    fill(rate_limit.MANAGE_ACTIONS_PER_ADDRESS, ADDRESS)

    for response in (call(client, "GET", f"/public/{slug}"), public_slots(client, slug, cal, cal.at(DAY, 0).date()),
                     manage(client, token), manage(client, token, "cancel"),
                     manage(client, token, "reschedule", {"start_at": cal.at(DAY, 12).isoformat()})):
        assert 1 <= retry_after(response) <= 3600

    assert rows(cal.business_id, "SELECT status, start_at FROM appointments") == [
        {"status": "confirmed", "start_at": cal.at(DAY, 10)}]


def test_bookings_that_fail_count_against_their_senders_only_and_a_real_customer_still_books(client):
    # The attack: a few addresses send bookings for past times to use up the business's hourly budget.
    cal = calendar(client)
    slug = slug_of(client, cal)
    booked_online(client, slug, booking_body(cal, cal.at(DAY, 9)))  # a time the senders try too
    made_earlier(cal, ONLINE_BOOKINGS_PER_HOUR - 2, minutes_ago=20)  # one booking left this hour
    senders = [unique_address() for _ in range(3)]
    before = stored(cal.business_id)

    for sender in senders:
        with from_address(sender):
            error_of(book_online(client, slug, booking_body(cal, cal.at(-1, 10))), 409, "slot_unavailable")
            error_of(book_online(client, slug, booking_body(cal, cal.at(-2, 10))), 409, "slot_unavailable")
            error_of(book_online(client, slug, booking_body(cal, cal.at(DAY, 9))), 409, "slot_taken")
            invalid = book_online(client, slug, {**booking_body(cal, cal.at(DAY, 11)), "service_id": cal.customer_id})
            assert invalid.status_code == 422, invalid.body

    assert stored(cal.business_id) == before
    assert online_made(cal) == ONLINE_BOOKINGS_PER_HOUR - 1
    for sender in senders:
        assert hits(rate_limit.bucket(rate_limit.BOOKINGS_PER_ADDRESS, rate_limit.limit_key(sender))) == 4
    with from_address(unique_address()):
        assert booked_online(client, slug, booking_body(cal, cal.at(DAY, 10)))["appointment"]["status"] == "confirmed"
    assert online_made(cal) == ONLINE_BOOKINGS_PER_HOUR
    with from_address(unique_address()):  # and that was the last one
        retry_after(book_online(client, slug, booking_body(cal, cal.at(DAY, 11))))


def test_a_sender_whose_failures_reach_its_limit_is_refused(client):
    cal = calendar(client)
    slug = slug_of(client, cal)
    sender = unique_address()
    clear_of_the_window_end(rate_limit.BOOKINGS_PER_ADDRESS, 60)
    fill(rate_limit.BOOKINGS_PER_ADDRESS, rate_limit.limit_key(sender), left=1)
    before = stored(cal.business_id)

    with from_address(sender):
        error_of(book_online(client, slug, booking_body(cal, cal.at(-1, 10))), 409, "slot_unavailable")
        refused = book_online(client, slug, booking_body(cal, cal.at(DAY, 10)))

    assert 1 <= retry_after(refused) <= 3600
    assert stored(cal.business_id) == before
    assert hits(rate_limit.bucket(rate_limit.BOOKINGS_PER_ADDRESS, rate_limit.limit_key(sender))) == \
        rate_limit.BOOKINGS_PER_ADDRESS.per


def test_one_customer_holds_at_most_three_unconfirmed_online_bookings(client):
    cal = calendar(client)
    slug = slug_of(client, cal)
    patch_policy(client, cal, auto_confirm=False)
    email = customer_email()

    def ask(hour: int, address: str = email) -> object:
        with from_address(unique_address()):  # many addresses: the cap is the customer's, not an address's
            return book_online(client, slug, booking_body(cal, cal.at(DAY, hour),
                                                          customer={"name": "Pat Customer", "email": address}))

    held = [body(ask(9 + k)) for k in range(MAX_PENDING_ONLINE)]
    assert [h["appointment"]["status"] for h in held] == ["pending"] * MAX_PENDING_ONLINE
    before = stored(cal.business_id)

    error = error_of(ask(14), 409, "too_many_pending")

    assert error["details"] == {"max_pending": MAX_PENDING_ONLINE}
    assert stored(cal.business_id) == before
    assert ask(14, customer_email()).status_code == 201  # another customer books
    confirmed = call(client, "POST", f"/appointments/{held[0]['appointment']['id']}/confirm", {}, session=cal.owner)
    assert confirmed.status_code == 200, confirmed.body
    assert ask(15).status_code == 201  # a confirmed booking is no longer waiting
