"""What one booking costs: SQL round trips, and latency against a bare write transaction.

A fresh scratch database (``booking_bench`` on the embedded server under ``LOCAL_DIR``, default
``.local``), migrated, holds one business: 10 staff at one location, each with 130 bookings in the
coming month (5% cancelled), and a 45-minute service. Every booking made here goes to a distinct
free start (the staff availability service lists them first, untimed), so every one must answer
201 (anything else stops the bench with an error).

- round trips: every statement pg8000 sends in this process is counted (the bench patches
  the driver, nothing in the app) during ``POST /appointments`` (a member books for a customer,
  naming the staff member, no Idempotency-Key; goal <= 6), during the public
  ``POST /public/{slug}/bookings`` (a new customer, no Idempotency-Key; goal <= 8; and with one, as the
  booking page sends it; goal <= 9) and during the public ``GET /public/{slug}/availability`` (a day
  of one staff member's slots; goal <= 4); the
  statements are listed by their first line. A booking's insert also counts it in the business's
  usage of the period and checks the plan's monthly allowance (issue 11): neither adds a statement.
  Committed bookings go to an in-process moto SQS queue, as in AWS (one call after commit, no SQL);
  the local stage's in-request worker would not be what a deployed booking costs.
- latency: median of the staff route against a bare write transaction on a kept connection, timed
  interleaved so that load from other processes hits each alike: ``db.transaction()`` running one
  trivial INSERT (BEGIN, the scope statement every transaction sends, the INSERT, COMMIT; goal:
  route <= 3x that), and for information raw pg8000 BEGIN / INSERT / COMMIT on one connection.

Run from the project root: ``.venv/bin/python bench/booking.py [--runs N]`` (default 100).
``bench/scale.py`` calls ``prepare`` and ``measure`` against a database of a million appointments.
"""
from __future__ import annotations

import itertools
import json
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import fixtures  # noqa: F401 - sets sys.path and STAGE before the app is imported

from chalicelib.availability import service as availability  # noqa: E402
from chalicelib.core import db  # noqa: E402

DATABASE = "booking_bench"
RUNS = 100
WARM_UP = 5
COUNTED = 5
PUBLIC = 3
STAFF = 10
PER_STAFF = 130
DAYS = 30
GOAL_TRIPS = 6
GOAL_PUBLIC_TRIPS = 8
GOAL_KEYED_TRIPS = 9
GOAL_SLOTS_TRIPS = 4
GOAL_RATIO = 3.0

_BASELINE = """-- the trivial write of a bare transaction (a row of a table without row-level security)
INSERT INTO rate_limit_hits (bucket, window_start) VALUES (:bucket, now())"""
# The fixture's bookings were all made just now; a real calendar's over the weeks before. The business's
# online bookings made in the last hour are limited (600), and the bench's own must not be refused.
_MADE_EARLIER = """-- the bench business's bookings, made at some time in the 30 days before the last hour
UPDATE appointments SET created_at = now() - interval '1 hour' - random() * interval '30 days'
 WHERE business_id = CAST(:bid AS uuid)"""


@dataclass
class Scenario:
    business: fixtures.Business
    start_date: date
    end_date: date
    bookings: int
    history_days: int
    free: Iterator[tuple[str, str]]  # (staff_id, start_at): distinct free starts, staff taking turns
    free_count: int


def _free_starts(business: fixtures.Business, start: date, end: date) -> list[list[tuple[str, str]]]:
    """Per staff member, starts that stay free when all of them are booked: the service's slots in
    time order, each taken only when it begins after the previous one taken ends."""
    per_staff = []
    for staff_id in business.staff_ids:
        slots = availability.find(UUID(business.business_id), service_id=UUID(business.service_id),
                                  staff_id=UUID(staff_id), location_id=None, start_date=start, end_date=end,
                                  tz=None, public=False)["slots"]
        chosen, free_from = [], None
        for slot in slots:
            starts = datetime.fromisoformat(slot["start_at"])
            if free_from is None or starts >= free_from:
                chosen.append((staff_id, slot["start_at"]))
                free_from = datetime.fromisoformat(slot["end_at"])
        per_staff.append(chosen)
    return per_staff


def prepare(*, history_days: int = 0) -> Scenario:
    """The bench business, its month of bookings (and ``history_days`` booked as densely either
    side), and the free starts the bench books."""
    business = fixtures.new_business(staff=STAFF, label="book")
    first = date.today() + timedelta(days=1)
    made = fixtures.book_window(business, first_day=first, days=DAYS, per_staff=PER_STAFF, history_days=history_days)
    with fixtures.owner(business.business_id) as conn:
        conn.run(_MADE_EARLIER, bid=business.business_id)
    last = first + timedelta(days=DAYS - 1)
    per_staff = _free_starts(business, first, last)
    free = [start for turn in itertools.zip_longest(*per_staff) for start in turn if start is not None]
    return Scenario(business, first, last, made, history_days, iter(free), len(free))


def _checked(answer: Any, what: str) -> Any:
    if answer.status_code != 201:
        raise RuntimeError(f"{what}: {answer.status_code} {answer.body[:300]!r}")
    return answer


def staff_booking(client: Any, scenario: Scenario) -> Any:
    """``POST /appointments`` at the next free start, for one of the business's customers."""
    staff_id, start_at = next(scenario.free)
    payload = {"service_id": scenario.business.service_id, "staff_id": staff_id, "start_at": start_at,
               "customer_id": scenario.business.customer_ids[hash(start_at) % len(scenario.business.customer_ids)]}
    answer = client.http.post("/appointments", headers=scenario.business.headers, body=json.dumps(payload))
    return _checked(answer, f"POST /appointments {payload}")


def public_booking(client: Any, scenario: Scenario, *, key: str | None = None) -> Any:
    """``POST /public/{slug}/bookings`` at the next free start, by a new customer (with ``key`` as its
    Idempotency-Key, as the booking page sends one)."""
    staff_id, start_at = next(scenario.free)
    payload = {"service_id": scenario.business.service_id, "staff_id": staff_id, "start_at": start_at,
               "customer": {"name": "Pat Public", "email": f"pat-{uuid.uuid4().hex[:10]}@example.com"},
               "consent": {"terms": True}}
    answer = client.http.post(f"/public/{scenario.business.slug}/bookings",
                              headers={"Content-Type": "application/json", **({"Idempotency-Key": key} if key else {})},
                              body=json.dumps(payload))
    return _checked(answer, f"POST /public/{{slug}}/bookings {payload}")


def public_slots(client: Any, scenario: Scenario) -> Any:
    """``GET /public/{slug}/availability``: the first day's slots of one staff member."""
    query = (f"service_id={scenario.business.service_id}&staff_id={scenario.business.staff_ids[0]}"
             f"&from={scenario.start_date.isoformat()}&to={scenario.start_date.isoformat()}")
    answer = client.http.get(f"/public/{scenario.business.slug}/availability?{query}")
    if answer.status_code != 200:
        raise RuntimeError(f"GET /public/{{slug}}/availability: {answer.status_code} {answer.body[:300]!r}")
    return answer


def _bare_transaction() -> None:
    with db.transaction() as tx:
        tx.execute(_BASELINE, bucket=f"bench:{uuid.uuid4()}")


def measure(client: Any, scenario: Scenario, *, runs: int = RUNS) -> dict[str, Any]:
    """Round trips (staff and public bookings, with their statements) and the samples (ms) of the
    staff route and the bare transactions, with their medians and ratios (``summarize``)."""
    needed = WARM_UP + COUNTED + 2 * PUBLIC + 3 * WARM_UP + runs
    if scenario.free_count < needed:
        raise RuntimeError(f"only {scenario.free_count} free starts for {needed} bookings")
    for _ in range(WARM_UP):
        staff_booking(client, scenario)
    counter = fixtures.round_trips()

    def trips(request: Callable[[], Any], times: int) -> tuple[list[int], list[str]]:
        """Round trips of each of ``times`` requests, and the statements of the last one."""
        counts: list[int] = []
        for _ in range(times):
            with counter.counting() as statements:
                request()
            counts.append(len(statements))
        return counts, list(statements)

    staff_trips, staff_statements = trips(lambda: staff_booking(client, scenario), COUNTED)
    fixtures.clear_rate_limits()  # bookings per client address: 30 an hour
    public_trips, public_statements = trips(lambda: public_booking(client, scenario), PUBLIC)
    keyed_trips, keyed_statements = trips(lambda: public_booking(client, scenario, key=str(uuid.uuid4())), PUBLIC)
    slots_trips, slots_statements = trips(lambda: public_slots(client, scenario), PUBLIC)

    raw = db.open_connection()
    try:
        def raw_transaction() -> None:
            raw.run("BEGIN")
            raw.run(_BASELINE, bucket=f"bench:{uuid.uuid4()}")
            raw.run("COMMIT")

        times = fixtures.timed({"route": lambda: staff_booking(client, scenario), "transaction": _bare_transaction,
                                "raw": raw_transaction}, runs, warm_up=WARM_UP)
    finally:
        raw.close()
    fixtures.clear_rate_limits()  # and the baseline's rows
    return summarize({"staff_trips": staff_trips, "public_trips": public_trips, "keyed_trips": keyed_trips,
                      "slots_trips": slots_trips, "staff_statements": staff_statements,
                      "public_statements": public_statements, "keyed_statements": keyed_statements,
                      "slots_statements": slots_statements, "samples": times})


def summarize(figures: dict[str, Any]) -> dict[str, Any]:
    """Medians and p95s of the samples, and the route's ratios to the bare transactions."""
    for name, values in figures["samples"].items():
        figures[name], figures[f"{name}_p95"] = fixtures.median(values), fixtures.p95(values)
    figures["ratio"] = figures["route"] / figures["transaction"]
    figures["raw_ratio"] = figures["route"] / figures["raw"]
    return figures


def combine(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Several ``measure`` answers as one: every sample and count pooled."""
    last = rounds[-1]
    return summarize({
        "staff_trips": [n for r in rounds for n in r["staff_trips"]],
        "public_trips": [n for r in rounds for n in r["public_trips"]],
        "keyed_trips": [n for r in rounds for n in r["keyed_trips"]],
        "slots_trips": [n for r in rounds for n in r["slots_trips"]],
        "staff_statements": last["staff_statements"], "public_statements": last["public_statements"],
        "keyed_statements": last["keyed_statements"], "slots_statements": last["slots_statements"],
        "samples": {name: [v for r in rounds for v in r["samples"][name]] for name in last["samples"]}})


def describe(scenario: Scenario) -> str:
    history = (f", and {scenario.history_days} days before and after booked as densely"
               if scenario.history_days else "")
    return (f"business: {STAFF} staff at one location, {PER_STAFF} bookings per staff member from "
            f"{scenario.start_date} to {scenario.end_date}{history}: {scenario.bookings:,} bookings; "
            f"{scenario.free_count} distinct free starts of the 45-min service to book")


def report(figures: dict[str, Any]) -> None:
    runs = len(figures["samples"]["route"])
    print("\nSQL round trips per request (statements sent by pg8000):")
    for label, key in (("POST /appointments (staff, staff member named, no Idempotency-Key)", "staff"),
                       ("POST /public/{slug}/bookings (new customer, no Idempotency-Key)", "public"),
                       ("POST /public/{slug}/bookings (new customer, with an Idempotency-Key)", "keyed"),
                       ("GET /public/{slug}/availability (one staff member, one day)", "slots")):
        low, high = min(figures[f"{key}_trips"]), max(figures[f"{key}_trips"])
        print(f"  {label}: {high}" + (f" (min {low})" if low != high else ""))
        for statement in figures[f"{key}_statements"]:
            print(f"      {statement}")
    print(f"\nmilliseconds; median and p95 of {runs} runs per variant, interleaved, after {WARM_UP} warm-up runs")
    print(f"  POST /appointments (201)                         median {figures['route']:7.2f}  "
          f"p95 {figures['route_p95']:7.2f}")
    print(f"  db.transaction() + one INSERT (4 round trips)    median {figures['transaction']:7.2f}  "
          f"p95 {figures['transaction_p95']:7.2f}")
    print(f"  raw BEGIN; INSERT; COMMIT (3 round trips)        median {figures['raw']:7.2f}  "
          f"p95 {figures['raw_p95']:7.2f}   (route / raw: {figures['raw_ratio']:.2f}x, for information)\n")
    fixtures.verdict("booking POST /appointments: SQL round trips", max(figures["staff_trips"]), GOAL_TRIPS, "")
    fixtures.verdict("booking POST /public/{slug}/bookings: SQL round trips", max(figures["public_trips"]),
                     GOAL_PUBLIC_TRIPS, "")
    fixtures.verdict("booking POST /public/{slug}/bookings with an Idempotency-Key: SQL round trips",
                     max(figures["keyed_trips"]), GOAL_KEYED_TRIPS, "")
    fixtures.verdict("booking GET /public/{slug}/availability: SQL round trips", max(figures["slots_trips"]),
                     GOAL_SLOTS_TRIPS, "")
    fixtures.verdict("booking POST /appointments / bare transaction (median)", figures["ratio"], GOAL_RATIO)


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else RUNS
    fixtures.quiet_request_log()
    fixtures.use_database(DATABASE, fresh=True)
    from chalice.test import Client

    from app import app

    scenario = prepare()
    fixtures.analyze()
    print("== booking: one appointment through POST /appointments, in process ==")
    print(fixtures.environment())
    print(describe(scenario))
    with fixtures.notification_queue(), Client(app, stage_name="local") as client:
        figures = measure(client, scenario, runs=runs)
    report(figures)


if __name__ == "__main__":
    main()
