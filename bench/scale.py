"""Do the availability and booking figures hold up next to a million appointments?

Two scratch databases on the embedded server under ``LOCAL_DIR`` (default ``.local``):

- small: ``booking_bench``, made afresh, holding only the bench businesses of
  ``bench/availability.py`` and ``bench/booking.py``;
- big: ``booking_scale``, loaded once with 500 generated businesses (1-2 locations, 5 services,
  5-20 staff with weekly hours, 25 customers per staff member) and ~1,000,000 appointments spread
  over a year (half past, half ahead; never overlapping per staff member; completed, no-show,
  cancelled, pending, confirmed), then VACUUM ANALYZE. The load is set-based SQL as the schema
  owner, one transaction per business inside its tenant scope (every table forces row-level
  security, the owner included), on as many connections as there are CPUs; it prints its time. A
  later run reuses the loaded database (a comment on the database records the load), unless
  ``--reload``, other ``--businesses``/``--appointments``, or a changed migration asks for a new one.
  The bench businesses are added to it at each run (and deleted at its end), with the same month
  as on the small database and also a year of bookings around it (half a year either side), as an
  established business has.

It runs ``availability.measure`` and ``booking.measure`` on each database in four rounds that take
turns between them (A B, B A, A B, B A: load from other processes, and its drift, hits both alike;
each round prints its medians, which show how steady the machine was), pools the samples and prints
the figures side by side. Goal: the big database's route and read medians within 1.5x of the small
one's; the big database's own figures keep their goals (route / floor <= 3x, <= 6 round trips,
booking <= 3x a bare transaction). Then EXPLAIN (ANALYZE, BUFFERS), as the app role inside the
bench business's tenant scope (``db.tenant_tx``), of the availability read (``reads._INPUTS`` with
the route's window and parameters) and of the staff booking's insert (``appointments.service.
_INSERT`` with the values its service passes, after the same ``decide``; rolled back), in full for
the big database and summed up for the small one, flagging any Seq Scan on appointments (and JIT,
which a large estimated cost switches on).

Run from the project root: ``.venv/bin/python bench/scale.py [--reload] [--businesses N]
[--appointments N]``. The first load takes about four minutes on 2 CPUs; later runs under two.
"""
from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import availability as availability_bench
import booking as booking_bench
import fixtures

from chalicelib.appointments import service as appointments  # noqa: E402
from chalicelib.availability import reads  # noqa: E402
from chalicelib.availability import service as availability  # noqa: E402
from chalicelib.core import db  # noqa: E402
from chalicelib.core.migrations import MigrationError  # noqa: E402
from chalicelib.notifications import reminders  # noqa: E402

SMALL = "booking_bench"
BIG = "booking_scale"
BUSINESSES = 500
APPOINTMENTS = 1_000_000
HALF_YEAR = 182
CUSTOMERS_PER_STAFF = 25
GOAL_SCALE = 1.5
ROUNDS = 4
# Bump when the generated data changes: a database loaded by another version is loaded again.
MARKER = "bench/scale.py v2"
ZONES = (("Europe/London", "GBP"), ("Europe/Berlin", "EUR"), ("Europe/Madrid", "EUR"),
         ("America/New_York", "USD"), ("Australia/Sydney", "AUD"))
_NAMESPACE = uuid.UUID("6f1d3c1e-52a4-4d0b-9d43-1f3f7e0c2a11")

_SCOPE = """-- this business's tenant scope for the rest of the transaction, and a seed for its random draws
SELECT set_config('app.business_id', :bid, true), setseed(:seed)::text"""

_BUSINESS = """-- a generated business with the default booking policy, on Enterprise (up to 20 staff: no plan limit applies)
WITH business AS (
    INSERT INTO businesses (id, name, slug, time_zone, currency, plan)
    VALUES (CAST(:bid AS uuid), :name, :slug, :tz, :currency, 'enterprise') RETURNING id, created_at
)
INSERT INTO subscriptions (business_id, state, plan, usage_anchor)
SELECT id, 'active', 'enterprise', created_at FROM business"""

_MARKER = """-- what the last complete load made
SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = current_database()"""


# --- the big database ----------------------------------------------------------------------------

def _shape(index: int, businesses: int, appointments: int) -> dict[str, Any]:
    """Business ``index`` of the load: always the same for the same index."""
    staff = 5 + (index * 7) % 16
    zone, currency = ZONES[index % len(ZONES)]
    return {"bid": str(uuid.uuid5(_NAMESPACE, f"business-{index}")), "name": f"Scale {index}",
            "slug": f"scale-{index}", "staff": staff, "locations": 2 if index % 3 == 0 else 1, "zone": zone,
            "currency": currency, "per_staff": max(1, round(appointments / businesses / staff)),
            "seed": (index + 1) / (businesses + 1)}


def _load_one(conn: Any, shape: dict[str, Any], today: date) -> int:
    conn.run("BEGIN")
    try:
        conn.run(_SCOPE, bid=shape["bid"], seed=shape["seed"])
        conn.run(_BUSINESS, bid=shape["bid"], name=shape["name"], slug=shape["slug"], tz=shape["zone"],
                 currency=shape["currency"])
        fixtures.furnish(conn, shape["bid"], staff=shape["staff"], locations=shape["locations"],
                         customers=CUSTOMERS_PER_STAFF * shape["staff"], time_zone=shape["zone"],
                         currency=shape["currency"])
        made = fixtures.add_bookings(conn, shape["bid"], first_day=today - timedelta(days=HALF_YEAR),
                                     last_day=today + timedelta(days=HALF_YEAR), per_staff=shape["per_staff"])
        conn.run("COMMIT")
    except BaseException:
        conn.run("ROLLBACK")
        raise
    return made


def load(businesses: int, appointments: int) -> None:
    """Generate the big database's businesses on one connection per CPU; VACUUM ANALYZE; mark it."""
    today = date.today()
    workers = os.cpu_count() or 1
    done, made, lock = [0], [0], threading.Lock()
    started = time.perf_counter()

    def work(worker: int) -> None:
        with fixtures.owner() as conn:
            conn.run("SET synchronous_commit = off")  # a bulk load: a crash means loading again anyway
            for index in range(worker, businesses, workers):
                count = _load_one(conn, _shape(index, businesses, appointments), today)
                with lock:
                    done[0] += 1
                    made[0] += count
                    if done[0] % 50 == 0 or done[0] == businesses:
                        print(f"  {done[0]:>4} businesses, {made[0]:>9,} appointments, "
                              f"{time.perf_counter() - started:6.1f} s", flush=True)

    print(f"loading {businesses} businesses, ~{appointments:,} appointments, on {workers} connections ...", flush=True)
    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(work, w) for w in range(workers)]:
            future.result()
    loaded_s = time.perf_counter() - started
    started = time.perf_counter()
    with fixtures.owner() as conn:
        conn.run("VACUUM (ANALYZE)")
        vacuum_s = time.perf_counter() - started
        note = (f"{MARKER} businesses={businesses} appointments={appointments}; loaded {today} in {loaded_s:.0f} s "
                f"(+ {vacuum_s:.0f} s VACUUM ANALYZE): {made[0]} appointments")
        conn.run(f"COMMENT ON DATABASE {BIG} IS '{note}'")  # a constant name and our own digits
    print(f"load: {made[0]:,} appointments in {loaded_s:.1f} s, then VACUUM ANALYZE in {vacuum_s:.1f} s")


def big_database(*, reload: bool, businesses: int, appointments: int) -> None:
    """Point the app at the big database, loading it unless a matching load is there."""
    wanted = f"{MARKER} businesses={businesses} appointments={appointments};"
    fresh = reload
    if not fresh:
        try:
            fixtures.use_database(BIG, fresh=False)
        except MigrationError as e:
            print(f"loading again: {e}")
            fresh = True
    if not fresh:
        with fixtures.owner() as conn:
            found = conn.run(_MARKER)[0][0]
        if found.startswith(wanted):
            print(f"reusing {BIG}: {found.removeprefix(MARKER).strip()}")
            return
        print(f"loading {BIG}: " + ("no complete load there" if not found else f"it holds another load ({found})"))
    fixtures.use_database(BIG, fresh=True)
    load(businesses, appointments)


# --- EXPLAIN ---------------------------------------------------------------------------------------

class _RolledBack(Exception):
    """Raised to leave a transaction rolled back (EXPLAIN ANALYZE really runs the insert)."""


def explain_read(scenario: availability_bench.Scenario, staff_id: str | None) -> list[str]:
    """The availability read as the route sends it, inside the business's tenant scope."""
    since, until = availability_bench.read_window(scenario)
    bid = scenario.business.business_id
    with db.tenant_tx(UUID(bid)) as tx:
        rows = tx.all("EXPLAIN (ANALYZE, BUFFERS) " + reads._INPUTS, business_id=bid,
                      service_id=scenario.business.service_id, staff_id=staff_id, location_id=None,
                      since=since, until=until)
    return [r["QUERY PLAN"] for r in rows]


def explain_insert(scenario: booking_bench.Scenario) -> list[str]:
    """The staff booking's insert at a free start (its usage counter and plan cap included), with the
    values ``appointments.service._insert`` passes, after the same ``decide`` in the same transaction; rolled back."""
    staff_id, start_at = next(scenario.free)
    business = scenario.business
    bid, user_id, appointment_id = UUID(business.business_id), UUID(business.user_id), uuid.uuid4()
    lines: list[str] = []
    with contextlib.suppress(_RolledBack), db.tenant_tx(bid) as tx:
        choice = availability.decide(tx, bid, service_id=UUID(business.service_id), staff_id=UUID(staff_id),
                                     location_id=None, start_at=datetime.fromisoformat(start_at), public=False)
        values = {"status": "confirmed", "start_at": choice.start_at, "end_at": choice.end_at,
                  "staff_id": choice.staff_id, "location_id": choice.location_id,
                  "service_id": UUID(business.service_id), "customer_id": UUID(business.customer_ids[0]),
                  "price_minor": choice.price_minor, "notes": None, "internal_notes": None, "cancel_reason": None}
        rows = tx.all("EXPLAIN (ANALYZE, BUFFERS) " + appointments._INSERT, id=appointment_id, bid=bid,
                      series_id=None, occupied_from=choice.occupied_from, occupied_until=choice.occupied_until,
                      session_key=str(appointment_id), currency=choice.currency, source="staff",
                      created_by=user_id, actor_type="user", actor_id=user_id,
                      after=appointments.as_json(values), online=False,
                      max_pending=appointments.MAX_PENDING_ONLINE, cap=appointments._cap(choice.entitlements),
                      budget=appointments.ONLINE_BOOKINGS_PER_HOUR,
                      budget_window_s=appointments.ONLINE_BUDGET_WINDOW_S, outbox_topic="appointment.created",
                      outbox_payload="{}", link_hash=None, default_offsets=list(reminders.DEFAULT_OFFSETS_MIN),
                      **values)
        lines = [r["QUERY PLAN"] for r in rows]
        raise _RolledBack
    return lines


def flags(lines: list[str]) -> list[str]:
    found = [f"Seq Scan on appointments: {line.strip()}" for line in lines if "Seq Scan on appointments" in line]
    found += [f"JIT: {line.strip()}" for line in lines if line.strip().startswith(("Functions:", "Timing:"))]
    return found


def summary(lines: list[str]) -> str:
    timing = [line.strip() for line in lines if line.startswith(("Planning Time", "Execution Time"))]
    return "; ".join(timing)


def explain_all(label: str, slots: availability_bench.Scenario, booking: booking_bench.Scenario, *,
                full: bool) -> None:
    plans = {"availability read, one staff": explain_read(slots, slots.business.staff_ids[0]),
             f"availability read, any staff ({availability_bench.STAFF})": explain_read(slots, None),
             "staff booking insert (rolled back)": explain_insert(booking)}
    for name, lines in plans.items():
        if full and not name.endswith("one staff"):
            print(f"\nEXPLAIN (ANALYZE, BUFFERS) {name}, {label}:")
            for line in lines:
                print(f"  {line}")
        print(f"{label}, {name}: {summary(lines)}")
        for flag in flags(lines) or ["no Seq Scan on appointments, no JIT"]:
            print(f"  {'FLAG ' if flag != 'no Seq Scan on appointments, no JIT' else ''}{flag}")


# --- the comparison --------------------------------------------------------------------------------

def prepare_here(label: str, *, history_days: int) -> tuple[availability_bench.Scenario, booking_bench.Scenario]:
    slots = availability_bench.prepare(history_days=history_days)
    booking = booking_bench.prepare(history_days=history_days)
    analyzed = fixtures.analyze()
    print(f"\n-- {label} --\n{fixtures.environment()}\n(ANALYZE after adding the bench businesses: {analyzed:.1f} s)")
    print(availability_bench.describe(slots))
    print(booking_bench.describe(booking))
    return slots, booking


def measure_alternately(scenarios: dict[str, tuple[availability_bench.Scenario, booking_bench.Scenario]]
                        ) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Each database's figures, measured in ROUNDS rounds taking turns between the databases in the
    order A B, B A, A B, ... (so that load from other processes, and its drift, hits both alike);
    samples pooled. Each round prints its medians, which show how steady the machine was."""
    from chalice.test import Client

    from app import app

    rounds: dict[str, tuple[list[Any], list[Any]]] = {name: ([], []) for name in scenarios}
    order = list(scenarios)
    with fixtures.notification_queue(), Client(app, stage_name="local") as client:
        for turn in range(ROUNDS):
            for name in order if turn % 2 == 0 else order[::-1]:
                slots, booking = scenarios[name]
                fixtures.use_database(name, fresh=False)
                found = availability_bench.measure(client, slots, runs=-(-availability_bench.RUNS // ROUNDS))
                made = booking_bench.measure(client, booking, runs=-(-booking_bench.RUNS // ROUNDS))
                rounds[name][0].append(found)
                rounds[name][1].append(made)
                print(f"  round {turn + 1}/{ROUNDS} {name:<14} route medians: "
                      + ", ".join(f"availability {case} {r['route']:.1f} ms" for case, r in found.items())
                      + f", booking {made['route']:.1f} ms (bare transaction {made['transaction']:.1f} ms)", flush=True)
    return {name: (availability_bench.combine(a), booking_bench.combine(b)) for name, (a, b) in rounds.items()}


def compare(small: tuple[dict[str, Any], dict[str, Any]], big: tuple[dict[str, Any], dict[str, Any]]) -> None:
    rows: list[tuple[str, float, float, bool]] = []  # name, small, big, has the 1.5x goal
    for case in small[0]:
        for key, what in (("route", "route median"), ("read", "raw read median"), ("engine", "engine median")):
            rows.append((f"availability {case}: {what} (ms)", small[0][case][key], big[0][case][key], key != "engine"))
        rows.append((f"availability {case}: route p95 (ms)", small[0][case]["route_p95"],
                     big[0][case]["route_p95"], False))
        rows.append((f"availability {case}: route / floor", small[0][case]["ratio"], big[0][case]["ratio"], False))
        rows.append((f"availability {case}: round trips", small[0][case]["round_trips"],
                     big[0][case]["round_trips"], False))
    rows.append(("booking POST /appointments median (ms)", small[1]["route"], big[1]["route"], True))
    rows.append(("booking POST /appointments p95 (ms)", small[1]["route_p95"], big[1]["route_p95"], False))
    rows.append(("booking bare transaction median (ms)", small[1]["transaction"], big[1]["transaction"], False))
    rows.append(("booking POST /appointments / bare transaction", small[1]["ratio"], big[1]["ratio"], False))
    rows.append(("booking POST /appointments round trips", max(small[1]["staff_trips"]),
                 max(big[1]["staff_trips"]), False))
    rows.append(("booking public booking round trips", max(small[1]["public_trips"]),
                 max(big[1]["public_trips"]), False))
    runs = len(next(iter(small[0].values()))["samples"]["route"]), len(small[1]["samples"]["route"])
    print(f"\nmilliseconds; medians of {runs[0]} runs per availability variant and {runs[1]} per booking variant, "
          f"in {ROUNDS} rounds alternating between the databases")
    print(f"{'figure':<56} {'small db':>9} {'big db':>9} {'big/small':>9}")
    for name, a, b, _ in rows:
        print(f"{name:<56} {a:>9.2f} {b:>9.2f} {b / a:>8.2f}x")
    print()
    for name, a, b, goal in rows:
        if goal:
            fixtures.verdict(f"scale {name.removesuffix(' (ms)')}: big / small", b / a, GOAL_SCALE)
    for case, r in big[0].items():
        fixtures.verdict(f"scale big db availability {case}: route / floor", r["ratio"], availability_bench.GOAL_RATIO)
    fixtures.verdict("scale big db booking POST /appointments: round trips", max(big[1]["staff_trips"]),
                     booking_bench.GOAL_TRIPS, "")
    fixtures.verdict("scale big db booking POST /appointments / bare transaction", big[1]["ratio"],
                     booking_bench.GOAL_RATIO)


def _option(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def main() -> None:
    businesses, appointments = _option("--businesses", BUSINESSES), _option("--appointments", APPOINTMENTS)
    fixtures.quiet_request_log()
    print("== scale: availability and booking figures, small database against ~1M appointments ==")
    # The big database first: the bench businesses' access tokens (15 minutes) must outlive the measurements.
    big_database(reload="--reload" in sys.argv, businesses=businesses, appointments=appointments)
    fixtures.use_database(SMALL, fresh=True)
    scenarios = {SMALL: prepare_here(f"small database {SMALL}", history_days=0)}
    fixtures.use_database(BIG, fresh=False)
    scenarios[BIG] = prepare_here(f"big database {BIG}; bench businesses also booked {HALF_YEAR} days either side "
                                  "of the month", history_days=HALF_YEAR)
    try:
        print(f"\nmeasuring, {ROUNDS} rounds alternating between the databases ...")
        figures = measure_alternately(scenarios)
        print()
        for name, label in ((SMALL, "small db"), (BIG, "big db")):
            fixtures.use_database(name, fresh=False)
            explain_all(label, *scenarios[name], full=name == BIG)
    finally:
        # The big database is kept for the next run: it must not grow by the bench businesses each time.
        fixtures.use_database(BIG, fresh=False)
        for scenario in scenarios[BIG]:
            fixtures.remove_business(scenario.business.business_id)

    print(f"\n-- {SMALL} (small) against {BIG} (big) --")
    compare(figures[SMALL], figures[BIG])


if __name__ == "__main__":
    main()
