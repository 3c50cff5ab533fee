"""The limits on the public routes: bookings per client address (30 an hour) and per business (600 an
hour), page reads and manage-link actions per address. A refused request is a 429 with Retry-After
that stores and changes nothing.

The test client's requests all come from one address (see conftest.py): the per-address test has
it to itself."""
from __future__ import annotations

import time
from contextlib import closing

import pytest

from chalicelib.core import rate_limit
from chalicelib.core.migrations import owner_connection
from tests.api import call
from tests.appointments.helpers import calendar
from tests.booking.helpers import (ADDRESS, book_online, booked_online, booking_body, manage, public_slots, slug_of,
                                   stored)
from tests.checks import error_of, rows

DAY = 3


def hits(bucket: str) -> int:
    """The bucket's count in its current window (0 when it has none)."""
    with closing(owner_connection()) as conn:
        found = conn.run("SELECT coalesce(sum(hits), 0) FROM rate_limit_hits WHERE bucket = :bucket "
                         "AND window_start > now() - interval '1 hour'", bucket=bucket)
    return int(found[0][0])


def fill(limit: rate_limit.Limit, key: str) -> None:
    """The key's current window of ``limit`` already at the limit, aligned as ``rate_limit.hit`` aligns it."""
    with closing(owner_connection()) as conn:
        conn.run("INSERT INTO rate_limit_hits (bucket, window_start, hits) "
                 "VALUES (:bucket, to_timestamp(floor(extract(epoch FROM now()) / :w) * :w), :hits) "
                 "ON CONFLICT (bucket, window_start) DO UPDATE SET hits = EXCLUDED.hits",
                 bucket=rate_limit.bucket(limit, key), w=limit.window_s, hits=limit.per)


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
