"""The limits on the public routes: bookings per client address (30 an hour, failed ones included) and
per business (600 an hour, bookings made only), unconfirmed online bookings per customer (3), page
reads and manage-link actions per address. A refused request is a 429 (the pending cap: a 409) that
stores and changes nothing.

The test client's requests all come from one address (see conftest.py): the per-address test has
it to itself."""
from __future__ import annotations

import time
from contextlib import closing

import pytest

from chalicelib.appointments.service import MAX_PENDING_ONLINE
from chalicelib.core import rate_limit
from chalicelib.core.migrations import owner_connection
from tests.api import body, call, from_address, unique_address
from tests.appointments.helpers import calendar
from tests.booking.helpers import (ADDRESS, book_online, booked_online, booking_body, customer_email, manage,
                                   patch_policy, public_slots, slug_of, stored)
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
    # Nor did the refusal count against the business.
    assert hits(rate_limit.bucket(rate_limit.BOOKINGS_PER_BUSINESS, slug)) == per


def test_a_business_at_its_hourly_limit_refuses_bookings_and_others_still_book(client):
    cal, other = calendar(client), calendar(client)
    slug = slug_of(client, cal)
    clear_of_the_window_end(rate_limit.BOOKINGS_PER_BUSINESS, 30)
    fill(rate_limit.BOOKINGS_PER_BUSINESS, slug)
    before = stored(cal.business_id)

    response = book_online(client, slug, booking_body(cal, cal.at(DAY, 10)))

    assert 1 <= retry_after(response) <= 3600
    assert stored(cal.business_id) == before
    assert hits(rate_limit.bucket(rate_limit.BOOKINGS_PER_BUSINESS, slug)) == \
        rate_limit.BOOKINGS_PER_BUSINESS.per
    assert booked_online(client, slug_of(client, other), booking_body(other, other.at(DAY, 10)))


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
    per = rate_limit.BOOKINGS_PER_BUSINESS.per
    clear_of_the_window_end(rate_limit.BOOKINGS_PER_BUSINESS, 60)
    booked_online(client, slug, booking_body(cal, cal.at(DAY, 9)))  # a time the senders try too
    fill(rate_limit.BOOKINGS_PER_BUSINESS, slug, left=1)  # one booking left this hour
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
    assert hits(rate_limit.bucket(rate_limit.BOOKINGS_PER_BUSINESS, slug)) == per - 1
    for sender in senders:
        assert hits(rate_limit.bucket(rate_limit.BOOKINGS_PER_ADDRESS, rate_limit.limit_key(sender))) == 4
    with from_address(unique_address()):
        assert booked_online(client, slug, booking_body(cal, cal.at(DAY, 10)))["appointment"]["status"] == "confirmed"
    assert hits(rate_limit.bucket(rate_limit.BOOKINGS_PER_BUSINESS, slug)) == per


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
    assert hits(rate_limit.bucket(rate_limit.BOOKINGS_PER_BUSINESS, slug)) == 0


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
