"""A month of bookable slots through the public availability route, against the floor of that work.

A fresh scratch database (``booking_bench`` on the embedded server under ``LOCAL_DIR``, default
``.local``), migrated, holds one business: 20 staff at one location, each with 130 bookings in the
month asked about (5% of them cancelled), and a 45-minute service on a 15-minute grid. For a
month (30 local dates from tomorrow) it times, interleaved so that load from other processes hits
each alike:

- route:  ``GET /public/{slug}/availability?service_id=..&from=..&to=..`` (``&staff_id=..`` for one
          staff member) in process (``chalice.test.Client``, stage ``local``): one transaction
          (BEGIN, the statement that counts the hit, finds the business by its slug and scopes the
          transaction to it, the read, COMMIT), the engine, JSON;
- read:   the same SQL read run raw: ``reads.inputs`` inside ``db.tenant_tx``, the same window
          (BEGIN, the scope statement, the read, COMMIT);
- engine: ``service.plan`` and the engine (``engine.slots``, ``engine.any_staff`` for any staff) on
          the inputs that read answers, as the route's service does.

floor = read + engine (medians); goal: route / floor <= 3x, for one staff member and for any staff.
It also prints how many SQL round trips one route call makes (goal: <= 4). The route is rate-limited per client
address (600 a minute; every in-process call comes from one address): the counts are cleared
before each case.

Run from the project root: ``.venv/bin/python bench/availability.py [--runs N]`` (default 30).
``bench/scale.py`` calls ``prepare`` and ``measure`` against a database of a million appointments.
"""
from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import fixtures  # noqa: F401 - sets sys.path and STAGE before the app is imported

from chalicelib.availability import engine, reads  # noqa: E402
from chalicelib.availability import service as availability  # noqa: E402
from chalicelib.core import db  # noqa: E402

DATABASE = "booking_bench"
RUNS = 30
STAFF = 20
PER_STAFF = 130
DAYS = 30
GOAL_RATIO = 3.0
GOAL_TRIPS = 4


@dataclass(frozen=True)
class Scenario:
    business: fixtures.Business
    start_date: date
    end_date: date
    bookings: int  # made in the month (and around it, with history)
    history_days: int


def prepare(*, history_days: int = 0) -> Scenario:
    """The bench business and its month of bookings (with ``history_days``: as many days before
    and after it booked as densely, a business that has been running a while)."""
    business = fixtures.new_business(staff=STAFF, label="slots")
    first = date.today() + timedelta(days=1)
    made = fixtures.book_window(business, first_day=first, days=DAYS, per_staff=PER_STAFF, history_days=history_days)
    return Scenario(business, first, first + timedelta(days=DAYS - 1), made, history_days)


def _path(scenario: Scenario, staff_id: str | None) -> str:
    path = (f"/public/{scenario.business.slug}/availability?service_id={scenario.business.service_id}"
            f"&from={scenario.start_date.isoformat()}&to={scenario.end_date.isoformat()}")
    return path + (f"&staff_id={staff_id}" if staff_id else "")


def _local_range(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return datetime.combine(start, time(), zone), datetime.combine(end + timedelta(days=1), time(), zone)


def read_window(scenario: Scenario) -> tuple[datetime, datetime]:
    """The instants the route's read covers: the local dates taken in UTC (no ``tz`` asked for), and a
    margin either side (see ``availability.service.find``)."""
    since, until = _local_range(scenario.start_date, scenario.end_date, ZoneInfo("UTC"))
    return since - availability.READ_MARGIN, until + availability.READ_MARGIN


def read_inputs(scenario: Scenario, staff_id: str | None) -> reads.Inputs:
    since, until = read_window(scenario)
    bid = UUID(scenario.business.business_id)
    with db.tenant_tx(bid) as tx:
        return reads.inputs(tx, bid, service_id=UUID(scenario.business.service_id),
                            staff_id=UUID(staff_id) if staff_id else None, location_id=None, since=since, until=until)


def engine_slots(scenario: Scenario, found: reads.Inputs, *, any_staff: bool) -> int:
    """What the route's service does with the inputs: calendars, slots per location, the fair pick
    for any staff, in time order; answers how many slots."""
    the_plan = availability.plan(found, public=True)
    since, until = _local_range(scenario.start_date, scenario.end_date, ZoneInfo(the_plan.policy["time_zone"]))
    by_location: dict[UUID, list[engine.StaffCalendar]] = defaultdict(list)
    for candidate in the_plan.candidates:
        by_location[candidate.location_id].append(candidate.calendar)
    found_slots: list[tuple[engine.Slot, UUID]] = []
    moment = availability.now()
    for location_id, calendars in by_location.items():
        slots = engine.slots(the_plan.rules, calendars, since, until, moment)
        if any_staff:
            slots = engine.any_staff(the_plan.rules, calendars, slots)
        found_slots.extend((slot, location_id) for slot in slots)
    found_slots.sort(key=lambda pair: (pair[0].start_at, str(pair[1]), str(pair[0].staff_id)))
    return len(found_slots)


def cases(scenario: Scenario) -> dict[str, str | None]:
    return {"one staff": scenario.business.staff_ids[0], f"any staff ({STAFF})": None}


def measure(client: Any, scenario: Scenario, *, runs: int = RUNS) -> dict[str, dict[str, Any]]:
    """Per case: slots, round trips, the samples (ms) of route, read and engine, and their
    medians, p95s, floor and ratio (``summarize``)."""
    figures: dict[str, dict[str, Any]] = {}
    for case, staff_id in cases(scenario).items():
        path = _path(scenario, staff_id)
        fixtures.clear_rate_limits()

        def route() -> None:
            answer = client.http.get(path)
            if answer.status_code != 200:
                raise RuntimeError(f"GET {path}: {answer.status_code} {answer.body[:300]!r}")

        found = read_inputs(scenario, staff_id)
        samples = fixtures.timed({
            "route": route,
            "read": lambda: read_inputs(scenario, staff_id),  # noqa: B023 - called within this iteration
            "engine": lambda: engine_slots(scenario, found, any_staff=staff_id is None),  # noqa: B023
        }, runs)
        with fixtures.round_trips().counting() as statements:
            answer = client.http.get(path)
        route_slots = len(fixtures.json_body(answer)["slots"])
        engine_count = engine_slots(scenario, found, any_staff=staff_id is None)
        if route_slots != engine_count:
            print(f"note: {case}: the route answered {route_slots} slots, the floor's engine {engine_count}")
        figures[case] = summarize({"slots": route_slots, "round_trips": len(statements), "samples": samples})
    return figures


def summarize(row: dict[str, Any]) -> dict[str, Any]:
    """Medians and p95s of a case's samples, the floor (read + engine) and the ratio route / floor."""
    for name, values in row["samples"].items():
        row[name], row[f"{name}_p95"] = fixtures.median(values), fixtures.p95(values)
    row["floor"] = row["read"] + row["engine"]
    row["ratio"] = row["route"] / row["floor"]
    return row


def combine(rounds: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Several ``measure`` answers as one: every sample pooled."""
    combined = {}
    for case, last in rounds[-1].items():
        samples = {name: [v for r in rounds for v in r[case]["samples"][name]] for name in last["samples"]}
        combined[case] = summarize({"slots": last["slots"], "round_trips": last["round_trips"], "samples": samples})
    return combined


def describe(scenario: Scenario) -> str:
    history = (f", and {scenario.history_days} days before and after booked as densely"
               if scenario.history_days else "")
    return (f"business: {STAFF} staff at one location (Mon-Sat, 8 working hours a day), {PER_STAFF} bookings per "
            f"staff member from {scenario.start_date} to {scenario.end_date}{history}: {scenario.bookings:,} "
            f"bookings in all ({fixtures.CANCELLED_SHARE:.0%} cancelled); a 45-min service on a 15-min grid")


def report(figures: dict[str, dict[str, Any]]) -> None:
    runs = len(next(iter(figures.values()))["samples"]["route"])
    print(f"\nmilliseconds; median and p95 of {runs} runs per variant, interleaved, after 3 warm-up runs")
    print(f"{'case':<16} {'slots':>5} {'trips':>5} {'route':>7} {'p95':>7} {'read':>7} {'p95':>7} {'engine':>7} "
          f"{'p95':>7} {'floor':>7} {'route/floor':>11}")
    for case, r in figures.items():
        print(f"{case:<16} {r['slots']:>5.0f} {r['round_trips']:>5.0f} {r['route']:>7.2f} {r['route_p95']:>7.2f} "
              f"{r['read']:>7.2f} {r['read_p95']:>7.2f} {r['engine']:>7.2f} {r['engine_p95']:>7.2f} "
              f"{r['floor']:>7.2f} {r['ratio']:>10.2f}x")
    print("trips: SQL round trips of one route call; floor = read + engine (medians)\n")
    for case, r in figures.items():
        fixtures.verdict(f"availability {case}: SQL round trips", r["round_trips"], GOAL_TRIPS, "")
        fixtures.verdict(f"availability {case}: route / (raw read + engine)", r["ratio"], GOAL_RATIO)


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else RUNS
    fixtures.quiet_request_log()
    fixtures.use_database(DATABASE, fresh=True)
    from chalice.test import Client

    from app import app

    scenario = prepare()
    fixtures.analyze()
    print("== availability: a month of slots through GET /public/{slug}/availability, in process ==")
    print(fixtures.environment())
    print(describe(scenario))
    with Client(app, stage_name="local") as client:
        figures = measure(client, scenario, runs=runs)
    report(figures)


if __name__ == "__main__":
    main()
