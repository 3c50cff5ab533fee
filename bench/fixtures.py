"""What the availability, booking and scale benches share: a scratch database, a bookable business
written straight into the tables, months of bookings made by set-based SQL, a counter of SQL round
trips, timing and the way figures are printed.

A bench business is signed up through the auth service (so its owner holds a real access token for
the staff routes); everything else is written as the schema owner inside the business's tenant
scope (every table forces row-level security, the owner included), as ``tests/appointments/
helpers.py`` does: one location (Europe/London, open Mon-Sat 08:00-20:00), staff working Mon-Sat
09:00-18:00 or 10:00-19:00 with a lunch hour, five services of 30-60 minutes that every staff
member performs, 200 customers, and a policy that books anything from now to a year ahead on a
15-minute grid.

Not run on its own: imported by ``bench/availability.py``, ``bench/booking.py`` and ``bench/scale.py``.
"""
from __future__ import annotations

import functools
import json
import logging
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("STAGE", "local")

import pg8000.native  # noqa: E402 - after the path and stage are set

from chalicelib.core import db, embedded_pg, migrations  # noqa: E402
from chalicelib.core.settings import settings  # noqa: E402

ZONE = "Europe/London"
PASSWORD = "bench correct horse battery staple"
CUSTOMERS = 200
# The service the benches ask about; the others only fill calendars.
BENCH_SERVICE = "Cut"
SERVICES = ((BENCH_SERVICE, 45, 4500), ("Colour", 60, 8000), ("Trim", 30, 2500), ("Wash", 30, 1500),
            ("Style", 60, 5500))
# Of the bookings made, this share is cancelled (they stay in the table, as in real calendars).
CANCELLED_SHARE = 0.05


# --- the database ------------------------------------------------------------------------------

def use_database(name: str, *, fresh: bool) -> list[str]:
    """Point the app (settings, connection pool) at database ``name`` of the embedded server under
    LOCAL_DIR, created empty first when ``fresh``; apply pending migrations; answer their names."""
    os.environ["DB_NAME"] = name
    settings.cache_clear()
    db.reset_connection()
    if not settings().embedded_db:
        raise SystemExit("The benches make scratch databases on the embedded server: run with STAGE=local "
                         "and without DATABASE_URL.")
    embedded_pg.create_database(name, drop_first=fresh)
    return migrations.migrate()


@contextmanager
def notification_queue() -> Iterator[str]:
    """The AWS path of the notification pipeline, offline: an in-process moto SQS FIFO queue that the
    outbox hands each committed row to (one SendMessageBatch call after commit, no SQL), as in AWS.
    Without it the local stage runs the whole worker inside the request, which is not what a
    deployed booking costs."""
    from moto import mock_aws
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sqs.models import sqs_backends

    from chalicelib.integrations import aws, queue

    with mock_aws():
        os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_REGION": "eu-west-1",
                           "NOTIFICATIONS_QUEUE": "bench-notifications.fifo"})
        os.environ.pop("AWS_ENDPOINT_URL", None)
        aws.reset()
        queue.url.cache_clear()
        settings.cache_clear()
        settings()  # read now: the test client overlays the stage's variables while it handles a request
        aws.client("sqs").create_queue(QueueName="bench-notifications.fifo", Attributes={"FifoQueue": "true"})
        held = sqs_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].queues["bench-notifications.fifo"]
        send = queue.send

        def send_and_consume(name: str, entries: list[queue.Entry]) -> list[bool]:
            # Workers keep a real queue near empty, and moto scans every message it holds on each send,
            # so a queue left to fill would time moto, not the booking: the workers' part is played by
            # emptying moto's list (PurgeQueue is allowed once a minute).
            accepted = send(name, entries)
            held._messages.clear()
            return accepted

        queue.send = send_and_consume
        try:
            yield "bench-notifications.fifo"
        finally:
            queue.send = send
            os.environ.pop("NOTIFICATIONS_QUEUE", None)
            settings.cache_clear()
            aws.reset()
            queue.url.cache_clear()


@contextmanager
def owner(business_id: str | None = None) -> Iterator[pg8000.native.Connection]:
    """A schema-owner connection (autocommit), scoped to one tenant for the session when given."""
    with closing(migrations.owner_connection()) as conn:
        if business_id is not None:
            conn.run("SELECT set_config('app.business_id', :bid, false)", bid=str(business_id))
        yield conn


def analyze() -> float:
    """ANALYZE the whole database as production's autovacuum would have; answer the seconds it took."""
    started = time.perf_counter()
    with owner() as conn:
        conn.run("ANALYZE")
    return time.perf_counter() - started


def environment() -> str:
    """The lines every bench prints first: machine, server and database."""
    with owner() as conn:
        found = dict(conn.run("SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(:n)",
                              n=["server_version", "shared_buffers", "fsync", "synchronous_commit", "jit"]))
        size = conn.run("SELECT pg_size_pretty(pg_database_size(current_database()))")[0][0]
        appointments = conn.run("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE relname = 'appointments'")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs (load average {load}); PostgreSQL "
            f"{found.get('server_version')} (embedded, shared_buffers={found.get('shared_buffers')}, "
            f"fsync={found.get('fsync')}, synchronous_commit={found.get('synchronous_commit')}, "
            f"jit={found.get('jit')})\ndatabase {settings().db_name}: {size}, "
            f"~{appointments[0][0] if appointments else 0:,} appointments (planner estimate)")


def quiet_request_log() -> None:
    """Send the app's per-request JSON log line to /dev/null: it is still formatted and written (part
    of what a request costs), but does not drown the figures."""
    logger = logging.getLogger("booking.request")
    handler = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 - for the process's lifetime
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def clear_rate_limits() -> None:
    """Forget the public routes' hit counts: every in-process request comes from one address."""
    with owner() as conn:
        conn.run("DELETE FROM rate_limit_hits")


# --- a bench business --------------------------------------------------------------------------

@dataclass(frozen=True)
class Business:
    business_id: str
    slug: str
    access_token: str
    user_id: str
    location_id: str
    staff_ids: list[str]
    service_id: str  # the bench service (45 minutes)
    customer_ids: list[str]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}", "Content-Type": "application/json"}


_POLICY = """-- books anything from now to a year ahead on a 15-minute grid, confirmed at once
UPDATE businesses SET slot_interval_min = 15, min_notice_min = 0, max_advance_days = 365, auto_confirm = true,
       buffer_before_min = 0, buffer_after_min = 0, cancel_cutoff_min = 60, reschedule_cutoff_min = 60
 WHERE id = CAST(:bid AS uuid)"""

_LOCATIONS = """-- the locations, open Mon-Sat 08:00-20:00
INSERT INTO locations (business_id, name, time_zone, opening_hours)
SELECT CAST(:bid AS uuid), 'Location ' || k, :tz,
       (SELECT jsonb_agg(jsonb_build_object('weekday', d, 'opens', '08:00', 'closes', '20:00') ORDER BY d)
          FROM generate_series(1, 6) d)
  FROM generate_series(1, :count) k
RETURNING id"""

_STAFF = """-- the staff, in name order
INSERT INTO staff (business_id, name) SELECT CAST(:bid AS uuid), 'Staff ' || lpad(k::text, 3, '0')
  FROM generate_series(1, :count) k
RETURNING id"""

_STAFF_LOCATIONS = """-- each staff member works at one location, taking turns in name order
INSERT INTO staff_locations (business_id, staff_id, location_id)
SELECT s.business_id, s.id, l.id
  FROM (SELECT business_id, id, row_number() OVER (ORDER BY name) - 1 AS rank FROM staff) s
  JOIN (SELECT id, row_number() OVER (ORDER BY name) - 1 AS rank, count(*) OVER () AS n FROM locations) l
    ON l.rank = s.rank % l.n"""

_STAFF_HOURS = """-- Mon-Sat, 9 hours with a lunch hour: half the staff 09:00-18:00, the other half 10:00-19:00
INSERT INTO staff_hours (business_id, staff_id, location_id, weekday, starts, ends, breaks)
SELECT s.business_id, s.staff_id, s.location_id, d, make_time(9 + s.late, 0, 0), make_time(18 + s.late, 0, 0),
       jsonb_build_array(jsonb_build_object('start', (13 + s.late) || ':00', 'end', (14 + s.late) || ':00'))
  FROM (SELECT sl.business_id, sl.staff_id, sl.location_id, (row_number() OVER (ORDER BY st.name) % 2)::int AS late
          FROM staff_locations sl JOIN staff st ON st.id = sl.staff_id) s,
       generate_series(1, 6) d"""

_SERVICES = """-- the catalogue: names, minutes and prices in parallel arrays
INSERT INTO services (business_id, name, duration_min, price_minor, currency)
SELECT CAST(:bid AS uuid), n, m, p, :currency
  FROM unnest(CAST(:names AS text[]), CAST(:minutes AS int[]), CAST(:prices AS int[])) AS v (n, m, p)
RETURNING id, name"""

_SERVICE_STAFF = """-- everyone performs every service
INSERT INTO service_staff (business_id, service_id, staff_id)
SELECT s.business_id, s.id, st.id FROM services s CROSS JOIN staff st"""

_CUSTOMERS = """-- customers with distinct e-mail addresses
INSERT INTO customers (business_id, name, email)
SELECT CAST(:bid AS uuid), 'Customer ' || k, 'customer-' || k || '@' || :domain
  FROM generate_series(1, :count) k
RETURNING id"""

# One booking per working hour at most (services last 30-60 minutes and start inside their hour),
# so they never overlap; each staff member gets exactly :per_staff of the hours in the window (all
# of them if fewer), picked at random. Dates are local dates of the staff member's location.
BOOKINGS = """-- :per_staff random non-overlapping bookings per staff member between two local dates
WITH hours AS (
    SELECT h.staff_id, h.location_id, l.time_zone, d::date + h.starts + make_interval(hours => k) AS wall
      FROM staff_hours h
      JOIN locations l ON l.id = h.location_id
      CROSS JOIN generate_series(CAST(:first_day AS date), CAST(:last_day AS date), interval '1 day') d
      CROSS JOIN LATERAL generate_series(0, floor(extract(epoch FROM h.ends - h.starts) / 3600)::int - 1) k
     WHERE extract(isodow FROM d) = h.weekday
       AND NOT EXISTS (SELECT FROM jsonb_array_elements(h.breaks) b
                        WHERE CAST(b->>'start' AS time) < h.starts + make_interval(hours => k + 1)
                          AND CAST(b->>'end' AS time) > h.starts + make_interval(hours => k))
), picked AS (
    SELECT *, row_number() OVER (PARTITION BY staff_id ORDER BY random()) AS n FROM hours
), catalogue AS (
    SELECT array_agg(id ORDER BY name) AS ids, array_agg(duration_min ORDER BY name) AS minutes,
           array_agg(price_minor ORDER BY name) AS prices, min(currency) AS currency
      FROM services WHERE duration_min <= 60
), people AS (
    SELECT array_agg(id ORDER BY id) AS ids FROM customers
), drawn AS (
    SELECT p.staff_id, p.location_id, p.time_zone, p.wall, 1 + floor(random() * cardinality(c.ids))::int AS s,
           random() AS offset_draw, random() AS status_draw, random() AS customer_draw, random() AS source_draw
      FROM picked p, catalogue c WHERE p.n <= :per_staff
), timed AS (
    SELECT d.*, c.ids[d.s] AS service_id, c.minutes[d.s] AS minutes, c.prices[d.s] AS price_minor, c.currency,
           (d.wall + make_interval(mins => 15 * floor(d.offset_draw * ((60 - c.minutes[d.s]) / 15 + 1))::int))
             AT TIME ZONE d.time_zone AS start_at,
           people.ids[1 + floor(d.customer_draw * cardinality(people.ids))::int] AS customer_id,
           gen_random_uuid() AS id
      FROM drawn d, catalogue c, people
)
INSERT INTO appointments (id, business_id, location_id, service_id, staff_id, customer_id, start_at, end_at, occupied,
                          session_key, status, price_minor, currency, source)
SELECT id, CAST(:bid AS uuid), location_id, service_id, staff_id, customer_id, start_at,
       start_at + make_interval(mins => minutes), tstzrange(start_at, start_at + make_interval(mins => minutes)),
       id::text,
       CASE WHEN status_draw < :cancelled THEN 'cancelled'
            WHEN start_at >= now() THEN CASE WHEN status_draw < 0.1 THEN 'pending' ELSE 'confirmed' END
            WHEN status_draw < 0.12 THEN 'no_show' ELSE 'completed' END,
       price_minor, currency, CASE WHEN source_draw < 0.5 THEN 'online' ELSE 'staff' END
  FROM timed"""


def add_bookings(conn: pg8000.native.Connection, business_id: str, *, first_day: date, last_day: date,
                 per_staff: int) -> int:
    """Bookings for every staff member of the tenant ``conn`` is scoped to; answers how many."""
    conn.run(BOOKINGS, bid=str(business_id), first_day=first_day, last_day=last_day, per_staff=per_staff,
             cancelled=CANCELLED_SHARE)
    return conn.row_count


@dataclass(frozen=True)
class Catalogue:
    location_ids: list[str]
    staff_ids: list[str]  # in name order
    services: dict[str, str]  # name -> id
    customer_ids: list[str]


def furnish(conn: pg8000.native.Connection, business_id: str, *, staff: int, locations: int = 1,
            customers: int = CUSTOMERS, time_zone: str = ZONE, currency: str = "GBP") -> Catalogue:
    """Locations, staff with their hours, the services and customers of the business ``conn`` is
    scoped to (its row exists), set-based."""
    bid = str(business_id)
    location_ids = [str(r[0]) for r in conn.run(_LOCATIONS, bid=bid, tz=time_zone, count=locations)]
    staff_ids = [str(r[0]) for r in conn.run(_STAFF, bid=bid, count=staff)]
    conn.run(_STAFF_LOCATIONS)
    conn.run(_STAFF_HOURS)
    services = {name: str(sid) for sid, name in conn.run(
        _SERVICES, bid=bid, currency=currency, names=[s[0] for s in SERVICES], minutes=[s[1] for s in SERVICES],
        prices=[s[2] for s in SERVICES])}
    conn.run(_SERVICE_STAFF)
    customer_ids = [str(r[0]) for r in conn.run(_CUSTOMERS, bid=bid, count=customers, domain=f"{bid[:8]}.example.com")]
    return Catalogue(location_ids, staff_ids, services, customer_ids)


def new_business(*, staff: int, label: str) -> Business:
    """A bookable business with ``staff`` staff members at one location and no bookings yet."""
    from chalicelib.auth import service as auth

    tag = uuid.uuid4().hex[:8]
    session = auth.signup(business_name=f"Bench {label} {tag}", owner_name="Bench Owner",
                          email_address=f"bench-{label}-{tag}@example.com", password=PASSWORD,
                          time_zone=ZONE, currency="GBP", slug=f"bench-{label}-{tag}")
    bid = session["business_id"]
    with owner(bid) as conn:
        conn.run(_POLICY, bid=bid)
        made = furnish(conn, bid, staff=staff)
    return Business(business_id=bid, slug=f"bench-{label}-{tag}", access_token=session["access_token"],
                    user_id=session["user"]["id"], location_id=made.location_ids[0], staff_ids=made.staff_ids,
                    service_id=made.services[BENCH_SERVICE], customer_ids=made.customer_ids)


def book_window(business: Business, *, first_day: date, days: int, per_staff: int, history_days: int = 0) -> int:
    """``per_staff`` bookings per staff member in the ``days`` from ``first_day``, and with
    ``history_days`` the same density for that many days before and after it (a business that has
    been running for a while and is booked ahead); answers how many bookings were made."""
    last_day = first_day + timedelta(days=days - 1)
    with owner(business.business_id) as conn:
        made = add_bookings(conn, business.business_id, first_day=first_day, last_day=last_day, per_staff=per_staff)
        if history_days:
            around = max(1, round(per_staff * history_days / days))
            made += add_bookings(conn, business.business_id, first_day=first_day - timedelta(days=history_days),
                                 last_day=first_day - timedelta(days=1), per_staff=around)
            made += add_bookings(conn, business.business_id, first_day=last_day + timedelta(days=1),
                                 last_day=last_day + timedelta(days=history_days), per_staff=around)
    return made


def remove_business(business_id: str) -> None:
    """Delete a bench business and, by cascade, everything it holds (its owner's login stays)."""
    with owner(business_id) as conn:
        conn.run("DELETE FROM businesses WHERE id = CAST(:bid AS uuid)", bid=str(business_id))


# --- counting SQL round trips ------------------------------------------------------------------

class RoundTrips:
    """Counts every statement this process sends to the server (pg8000's ``execute_simple`` and
    ``execute_unnamed``: each is one round trip) while switched on, with the first line of each
    (our SQL starts with a comment saying what it is). A bench patches the driver; nothing in the
    app is changed."""

    def __init__(self) -> None:
        self.statements: list[str] | None = None
        counter = self
        for method in ("execute_simple", "execute_unnamed"):
            original = getattr(pg8000.native.Connection, method)

            def send(conn: Any, sql: str, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
                if counter.statements is not None:
                    counter.statements.append(sql.strip().splitlines()[0][:100] if sql.strip() else "")
                return _original(conn, sql, *args, **kwargs)

            setattr(pg8000.native.Connection, method, send)

    @contextmanager
    def counting(self) -> Iterator[list[str]]:
        self.statements = []
        try:
            yield self.statements
        finally:
            self.statements = None


@functools.cache
def round_trips() -> RoundTrips:
    """The process's one counter (the driver is patched once)."""
    return RoundTrips()


def json_body(response: Any) -> Any:
    return json.loads(response.body) if response.body else None


# --- timing and printing -------------------------------------------------------------------------

def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed(variants: dict[str, Callable[[], Any]], runs: int, warm_up: int = 3) -> dict[str, list[float]]:
    """Milliseconds per call of each variant, round-robin, so load from other processes hits each alike."""
    for _ in range(warm_up):
        for call in variants.values():
            call()
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, call in variants.items():
            started = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - started) * 1000)
    return times


def verdict(name: str, value: float, goal: float, unit: str = "x") -> bool:
    """One figure, its goal (at most) and PASS/MISS, on one line; answers whether it passed."""
    passed = value <= goal
    shown = f"{value:>9d}" if isinstance(value, int) else f"{value:>9.2f}"
    print(f"FIGURE {name:<64} {shown}{unit:<3} goal <= {goal:g}{unit:<3} {'PASS' if passed else 'MISS'}")
    return passed
