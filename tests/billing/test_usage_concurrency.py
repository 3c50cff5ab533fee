"""Usage is exact under concurrency: 50 bookings of one business made at once, each in its own thread
with its own connection (as 50 Lambda containers would), count 50; at an allowance of N on a plan
without overage, exactly N of them are made and every other one is refused with ``plan_limit``.

The test client swaps ``os.environ`` per request and is not thread-safe, so the threads call the
services the routes call (a member's booking, and a customer's online one)."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import closing
from datetime import timezone
from typing import Any
from uuid import UUID

from chalicelib.appointments import service
from chalicelib.appointments.service import Booking, CustomerDetails
from chalicelib.core.migrations import owner_connection
from tests.appointments.helpers import Calendar, add_customer, appointment_rows, calendar, owner_caller, race
from tests.billing.plan_helpers import override, set_plan
from tests.billing.usage_helpers import usage_route, used

THREADS = 50
ALLOWANCE = 10


def _distinct_starts(cal: Calendar) -> list[Booking]:
    """THREADS free quarter-hours of the one staff member: no two bookings compete for a time."""
    return [Booking(service_id=UUID(cal.service_id), staff_id=UUID(cal.staff_ids[0]),
                    start_at=cal.at(7 + n // 28, 9 + (n % 28) // 4, 15 * (n % 4))) for n in range(THREADS)]


def _book(cal: Calendar, bookings: list[Booking], people: list[UUID]) -> Callable[[int], Any]:
    """Even threads book as a member, odd ones as a customer online."""
    def attempt(n: int) -> Any:
        if n % 2 == 0:
            return service.book(owner_caller(cal), bookings[n], customer_id=people[n])
        return service.book_online(UUID(cal.business_id), bookings[n], CustomerDetails(
            name=f"Online {n}", email=f"online-{n}-{cal.business_id[:8]}@example.com", phone=None,
            terms_accepted=True, marketing_opt_in=False))
    return attempt


def test_fifty_bookings_at_once_count_fifty(client):
    cal = calendar(client, duration=15)
    people = [UUID(add_customer(cal.business_id, f"Racer {n}")) for n in range(THREADS)]

    outcomes = race(_book(cal, _distinct_starts(cal), people))

    assert outcomes == {"ok": THREADS}
    assert len(appointment_rows(cal.business_id)) == THREADS
    assert used(cal.business_id, "bookings") == THREADS
    assert usage_route(client, cal.owner)["bookings"] == THREADS


def test_at_an_allowance_without_overage_exactly_that_many_of_fifty_are_made(client):
    cal = calendar(client, duration=15)
    set_plan(cal.business_id, "basic")
    override(cal.business_id, "bookings_per_month", ALLOWANCE)
    people = [UUID(add_customer(cal.business_id, f"Racer {n}")) for n in range(THREADS)]

    outcomes = race(_book(cal, _distinct_starts(cal), people))

    assert outcomes == {"ok": ALLOWANCE, "plan_limit": THREADS - ALLOWANCE}
    assert len(appointment_rows(cal.business_id)) == ALLOWANCE
    assert used(cal.business_id, "bookings") == ALLOWANCE


def test_a_single_booking_does_not_deadlock_with_a_series_holding_the_counter(client):
    """A series holds the business's usage counter from its first insert to its commit. Were it to take
    its occurrences' start locks one by one as it goes, a single booking holding a later start (and
    waiting for the counter) would deadlock with it. It takes them all first: the test holds the second
    occurrence's start, so the series waits there holding nothing else, and a single booking of the
    third occurrence's start is made meanwhile; the series then skips that one as taken."""
    cal = calendar(client)
    people = [UUID(add_customer(cal.business_id, f"Racer {n}")) for n in range(2)]
    starts = [cal.at(7 + 7 * n, 10) for n in range(4)]
    staff_id, service_id = UUID(cal.staff_ids[0]), UUID(cal.service_id)
    outcomes: dict[str, Any] = {}

    def run(name: str, attempt: Callable[[], Any]) -> threading.Thread:
        def go() -> None:
            try:
                outcomes[name] = attempt()
            except Exception as e:  # noqa: BLE001 - the outcome is asserted
                outcomes[name] = getattr(e, "code", repr(e))
        thread = threading.Thread(target=go)
        thread.start()
        return thread

    with closing(owner_connection()) as holder, closing(owner_connection()) as watcher:
        holder.run("BEGIN")
        holder.run("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))",
                   key=f"start:{service_id}:{starts[1].astimezone(timezone.utc).isoformat()}")
        holder_pid = holder.run("SELECT pg_backend_pid()")[0][0]

        def waiting_on(pid: int) -> list[int]:
            found = watcher.run("SELECT pid FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))", pid=pid)
            return [r[0] for r in found]

        def until(done: Callable[[], Any], what: str) -> Any:
            deadline = time.monotonic() + 10
            while not (found := done()):
                assert time.monotonic() < deadline, what
                time.sleep(0.02)
            return found

        threads = []
        try:
            threads.append(run("series", lambda: service.book_series(
                owner_caller(cal), Booking(service_id=service_id, staff_id=staff_id, start_at=starts[0]),
                customer_id=people[0], every_weeks=1, count=4)))
            (series_pid,) = until(lambda: waiting_on(holder_pid), "the series never reached the held start")
            threads.append(run("single", lambda: service.book(
                owner_caller(cal), Booking(service_id=service_id, staff_id=staff_id, start_at=starts[2]),
                customer_id=people[1])))
            # Made, or (were the series holding the counter) waiting for the series: either way, decided.
            until(lambda: "single" in outcomes or waiting_on(series_pid), "the single booking neither ended nor waited")
        finally:
            holder.run("ROLLBACK")
            for thread in threads:
                thread.join(timeout=30)

    assert isinstance(outcomes["single"], dict), outcomes
    series = outcomes["series"]
    assert [s["reason"] for s in series["skipped"]] == ["taken"]
    assert sorted(r["start_at"] for r in appointment_rows(cal.business_id)) == starts
    assert used(cal.business_id, "bookings") == 4
