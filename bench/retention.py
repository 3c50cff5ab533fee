"""The daily retention sweep against a million expired rows: how long it takes, and its longest statement.

A fresh scratch database ``booking_bench_retention`` on the embedded server, with two businesses
(each with its owner's login, staff, services and customers) and, made by set-based SQL
(generate_series) as the schema owner inside each business's tenant scope and the jobs' (every
table forces row-level security, the owner included), ``EXPIRED`` rows past their period spread over
every kind the sweep prunes (idempotency answers, failed log-ins, log-in devices, rate-limit
windows, refresh tokens, e-mailed links, invitations, consent requests never confirmed, manage
links and sent reminders of appointments long over, outbox events, delivery log rows, dead letters),
and next to them rows that must stay: the same kinds still in their period, events not dispatched
yet, dead letters still kept, links and reminders of upcoming appointments. Then ANALYZE, as
autovacuum would have.

1. EXPLAIN (ANALYZE, BUFFERS) of one batch of each rule as the sweep runs it (its own transaction,
   as the role booking_retention, the default batch; rolled back), flagging any Seq Scan: every
   batch should find its rows through an index, with no planner method switched off. And the
   tenant's calendar read as the application runs it (booking_app, the tenant's scope): the sweep's
   policies must not reach it, so it reads appointments_range_idx from the tenant's first row.
2. One ``retention.sweep()`` with the default batch (``RETENTION_BATCH``) and a budget large enough to
   finish, timed; every statement sent to the server is timed at the driver (a spy on pg8000's two
   ways of sending one; nothing in the app changes). Printed: rows deleted per rule, batches, the
   wall time, rows per second, the longest batch (its transaction) and the longest single statement,
   with its first line. Checked: every expired row went, every row that must stay is there, and the
   longest statement took under a second.

Run from the project root: ``.venv/bin/python bench/retention.py [--expired N] [--batch N]``. About
half a minute on 2 CPUs: loading takes 20 s of it, the sweep itself about 5 s.
"""
from __future__ import annotations

import contextlib
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import fixtures  # sets sys.path and STAGE before the app is imported
import pg8000.native

from chalicelib.appointments import service as appointments  # noqa: E402
from chalicelib.auth import service as auth  # noqa: E402
from chalicelib.business import service as business  # noqa: E402
from chalicelib.calendar import oauth as calendar_oauth  # noqa: E402
from chalicelib.core import db, idempotency, rate_limit  # noqa: E402
from chalicelib.core.settings import settings  # noqa: E402
from chalicelib.customers import service as customers  # noqa: E402
from chalicelib.events import dead_letters, outbox  # noqa: E402
from chalicelib.notifications import deliveries, reminders  # noqa: E402
from chalicelib.system import retention  # noqa: E402

DATABASE = "booking_bench_retention"
EXPIRED = 1_000_000
GOAL_STATEMENT_S = 1.0
LINKS_PER_APPOINTMENT = 5

# Of the expired rows, each kind's share (the rest are idempotency answers, the most numerous).
SHARES = {"login_failures": 0.15, "login_devices": 0.02, "rate_limit_hits": 0.05, "refresh_tokens": 0.05,
          "user_tokens": 0.025, "invitations": 0.025, "consent_requests": 0.02, "booking_links": 0.10,
          "outbox": 0.125, "dead_letters": 0.025, "notification_deliveries": 0.15, "reminders": 0.04,
          "stripe_events": 0.02, "usage_reports": 0.01, "calendar_oauth_states": 0.01}
# Rows in their period (or still waiting) next to them, per kind: none may go.
LIVE = 5_000


class _RolledBack(Exception):
    """Raised to leave a transaction rolled back (EXPLAIN ANALYZE really deletes)."""


# --- the rows -----------------------------------------------------------------------------------------

_SCOPE = """-- this business's tenant scope and the jobs' for the rest of the session
SELECT set_config('app.business_id', :bid, false), set_config('app.jobs', 'on', false)"""

_IDEMPOTENCY = """-- remembered answers, :age old and more (a second apart)
INSERT INTO idempotency_keys (business_id, key, request_hash, status, body, created_at)
SELECT CAST(:bid AS uuid), :prefix || i, md5(i::text), 201, repeat('x', 200),
       now() - CAST(:age AS interval) - make_interval(secs => i)
  FROM generate_series(1, :count) i"""

_LOGIN_FAILURES = """-- failed log-ins, :age old and more
INSERT INTO login_failures (email_hash, client_ip, failed_at)
SELECT md5((i % 5000)::text), '198.51.100.' || (i % 250), now() - CAST(:age AS interval) - make_interval(secs => i)
  FROM generate_series(1, :count) i"""

_LOGIN_DEVICES = """-- devices of the owner with no log-in for :age and more
INSERT INTO login_devices (id, user_id, token_hash, created_at, last_login_at)
SELECT gen_random_uuid(), CAST(:uid AS uuid), :prefix || i, now() - CAST(:age AS interval) - interval '1 day',
       now() - CAST(:age AS interval) - make_interval(secs => i)
  FROM generate_series(1, :count) i"""

_STRIPE_EVENTS = """-- Stripe event ids received :age ago and more (they belong to no tenant)
INSERT INTO stripe_events (id, type, object_id, stripe_created, received_at)
SELECT :prefix || i, 'invoice.paid', 'in_' || :prefix || i, now() - CAST(:age AS interval) - make_interval(secs => i),
       now() - CAST(:age AS interval) - make_interval(secs => i)
  FROM generate_series(1, :count) i"""

_USAGE_REPORTS = """-- meter reports of the business sent :age ago and more (:sent false: never sent, kept whatever their age)
INSERT INTO usage_reports (identifier, business_id, meter, period_start, value, created_at, sent_at)
SELECT :prefix || i, CAST(:bid AS uuid), 'bookings', now() - CAST(:age AS interval) - interval '1 month', 1,
       now() - CAST(:age AS interval) - make_interval(secs => i),
       CASE WHEN :sent THEN now() - CAST(:age AS interval) - make_interval(secs => i) END
  FROM generate_series(1, :count) i"""

_RATE_LIMIT_HITS = """-- hourly counting windows of many buckets, :age old and more
INSERT INTO rate_limit_hits (bucket, window_start, hits)
SELECT :prefix || (i % 1000), date_trunc('hour', now() - CAST(:age AS interval)) - make_interval(hours => i / 1000), 3
  FROM generate_series(1, :count) i"""

_REFRESH_TOKENS = """-- refresh tokens of the owner, expired :age ago and more (spent: the family went on)
INSERT INTO refresh_tokens (business_id, user_id, family_id, token_hash, created_at, expires_at, used_at)
SELECT CAST(:bid AS uuid), CAST(:uid AS uuid), gen_random_uuid(), :prefix || i,
       now() - CAST(:age AS interval) - interval '30 days' - make_interval(secs => i),
       now() - CAST(:age AS interval) - make_interval(secs => i), now() - CAST(:age AS interval) - interval '29 days'
  FROM generate_series(1, :count) i"""

_USER_TOKENS = """-- e-mailed links of the owner, expired :age ago and more
INSERT INTO user_tokens (user_id, purpose, token_hash, created_at, expires_at)
SELECT CAST(:uid AS uuid), 'reset_password', :prefix || i, now() - CAST(:age AS interval) - interval '1 hour',
       now() - CAST(:age AS interval) - make_interval(secs => i)
  FROM generate_series(1, :count) i"""

_INVITATIONS = """-- invitations expired :age ago and more (accepted: one open invitation per address)
INSERT INTO invitations (business_id, email, role, token_hash, created_at, expires_at, accepted_at)
SELECT CAST(:bid AS uuid), :prefix || i || '@example.com', 'staff', :prefix || i,
       now() - CAST(:age AS interval) - interval '7 days', now() - CAST(:age AS interval) - make_interval(secs => i),
       now() - CAST(:age AS interval) - interval '6 days'
  FROM generate_series(1, :count) i"""

_CONSENT_REQUESTS = """-- marketing-consent requests, each of a customer of its own (one open request per customer),
-- that expired unconfirmed :age ago and more
WITH made AS (
    INSERT INTO customers (business_id, name, email)
    SELECT CAST(:bid AS uuid), 'Consent ' || i, :prefix || i || '@consent.example.com'
      FROM generate_series(1, :count) i
    RETURNING id
)
INSERT INTO consent_requests (business_id, customer_id, kind, source, requested_at, expires_at, token_hash,
                              address_hash)
SELECT CAST(:bid AS uuid), id, 'marketing', 'booking_page', now() - CAST(:age AS interval) - interval '7 days',
       now() - CAST(:age AS interval) - make_interval(secs => n), md5(:prefix || n), md5(id::text)
  FROM (SELECT id, row_number() OVER () AS n FROM made) m"""

_APPOINTMENTS = """-- appointments an hour apart per staff member, the last ending :age before now (or starting :age
-- from now when :ahead), each with its reminders (:state) and :links manage links
WITH made AS (
    INSERT INTO appointments (business_id, location_id, service_id, staff_id, customer_id, start_at, end_at, occupied,
                              session_key, status, price_minor, currency, source)
    SELECT CAST(:bid AS uuid), CAST(:location AS uuid), CAST(:service AS uuid), s.id, CAST(:customer AS uuid),
           t.start_at, t.start_at + interval '45 minutes', tstzrange(t.start_at, t.start_at + interval '45 minutes'),
           gen_random_uuid()::text, CASE WHEN :ahead THEN 'confirmed' ELSE 'completed' END, 4500, 'GBP', 'online'
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM staff) s
     CROSS JOIN generate_series(1, :per_staff) i
     CROSS JOIN LATERAL (SELECT CASE WHEN :ahead
                                     THEN date_trunc('hour', now()) + CAST(:age AS interval) + make_interval(hours => i)
                                     ELSE date_trunc('hour', now()) - CAST(:age AS interval) - make_interval(hours => i)
                                END + make_interval(mins => (s.n % 4)::int) AS start_at) t
    RETURNING id, start_at
), reminded AS (
    INSERT INTO reminders (business_id, appointment_id, offset_min, starts_at, due_at, state, claimed_at)
    SELECT CAST(:bid AS uuid), m.id, o, m.start_at, m.start_at - make_interval(mins => o), :state,
           CASE WHEN :state <> 'scheduled' THEN m.start_at - make_interval(mins => o) END
      FROM made m CROSS JOIN unnest(ARRAY[1440, 120]) o
)
INSERT INTO booking_links (token_hash, business_id, appointment_id)
SELECT md5(m.id::text || k), CAST(:bid AS uuid), m.id FROM made m CROSS JOIN generate_series(1, :links) k"""

_OUTBOX = """-- events :age old and more, dispatched (or still waiting for a worker when :pending)
INSERT INTO outbox (business_id, topic, aggregate_id, payload, created_at, dispatched_at)
SELECT CAST(:bid AS uuid), 'appointment.confirmed', gen_random_uuid(), '{"appointment_id": "x"}',
       now() - CAST(:age AS interval) - make_interval(secs => i),
       CASE WHEN NOT :pending THEN now() - CAST(:age AS interval) - make_interval(secs => i) END
  FROM generate_series(1, :count) i"""

_DEAD_LETTERS = """-- events that died (redriven :age ago and more, or dead that long), each with its outbox row
WITH events AS (
    INSERT INTO outbox (business_id, topic, aggregate_id, created_at, dispatched_at, attempts)
    SELECT CAST(:bid AS uuid), 'appointment.confirmed', gen_random_uuid(),
           now() - CAST(:age AS interval) - interval '1 day' - make_interval(secs => i),
           now() - CAST(:age AS interval) - interval '1 day', 5
      FROM generate_series(1, :count) i
    RETURNING id, created_at
)
INSERT INTO dead_letters (outbox_id, business_id, receive_count, dead_at, redriven_at)
SELECT id, CAST(:bid AS uuid), 5, created_at + interval '1 hour',
       CASE WHEN :redriven THEN now() - CAST(:age AS interval) END
  FROM events"""

_DELIVERIES = """-- delivery log rows :age old and more
INSERT INTO notification_deliveries (business_id, outbox_id, message, channel, recipient, status, created_at,
                                     updated_at)
SELECT CAST(:bid AS uuid), gen_random_uuid(), 'booking_confirmed', 'email', 'pat-' || i || '@example.com', 'sent',
       now() - CAST(:age AS interval) - make_interval(secs => i), now() - CAST(:age AS interval)
  FROM generate_series(1, :count) i"""


_CALENDAR_OAUTH_STATES = """-- Google Calendar connects that expired :age ago and more (every other one used)
INSERT INTO calendar_oauth_states (state_hash, business_id, user_id, staff_id, code_verifier, created_at, expires_at,
                                   used_at)
SELECT :prefix || i, CAST(:bid AS uuid), CAST(:uid AS uuid), CAST(:sid AS uuid), 'v',
       now() - CAST(:age AS interval) - make_interval(secs => i) - interval '10 minutes',
       now() - CAST(:age AS interval) - make_interval(secs => i),
       CASE WHEN i % 2 = 0 THEN now() - CAST(:age AS interval) - make_interval(secs => i) - interval '5 minutes' END
  FROM generate_series(1, :count) i"""


def _counts(expired: int) -> dict[str, int]:
    counts = {kind: int(expired * share) for kind, share in SHARES.items()}
    counts["idempotency_keys"] = expired - sum(counts.values())
    return counts


@contextlib.contextmanager
def _owner(business_id: str) -> Iterator[pg8000.native.Connection]:
    with fixtures.owner() as conn:
        conn.run(_SCOPE, bid=business_id)
        yield conn


_BUSINESS = """-- a business and its owner's login (the owner's tokens and links are generated below)
WITH owner AS (
    INSERT INTO users (email, name) VALUES (:email, 'Bench Owner') RETURNING id
), business AS (
    INSERT INTO businesses (id, name, slug, time_zone, currency)
    VALUES (CAST(:bid AS uuid), :name, :slug, 'Europe/London', 'GBP') RETURNING id
), subscription AS (
    INSERT INTO subscriptions (business_id) SELECT id FROM business
)
INSERT INTO memberships (business_id, user_id, role) SELECT business.id, owner.id, 'owner' FROM business, owner
RETURNING user_id"""


@dataclass(frozen=True)
class Business:
    business_id: str
    user_id: str
    catalogue: fixtures.Catalogue


def new_business(n: int) -> Business:
    """A business with 4 staff at one location, its services and customers (fixtures.furnish)."""
    bid, tag = str(uuid.uuid4()), uuid.uuid4().hex[:8]
    with fixtures.owner(bid) as conn:
        uid = str(conn.run(_BUSINESS, bid=bid, email=f"bench-retention-{tag}@example.com",
                           name=f"Bench retention {n}", slug=f"bench-retention-{tag}")[0][0])
        return Business(bid, uid, fixtures.furnish(conn, bid, staff=4))


def load(expired: int) -> tuple[dict[str, int], list[Business]]:
    """Two businesses and the rows; answers the expired rows made per rule, and the businesses."""
    businesses = [new_business(n) for n in range(2)]
    counts = _counts(expired)
    cfg = settings()
    # Old appointments ended before both their links' period and their reminders' began.
    assert cfg.retention_booking_links_days <= cfg.retention_notifications_days
    days = {"tokens": f"{cfg.retention_tokens_days + 1} days",
            "notifications": f"{cfg.retention_notifications_days + 1} days"}
    started = time.perf_counter()
    made = dict.fromkeys(counts, 0)
    for n, tenant in enumerate(businesses):
        half = {kind: count // 2 + (count % 2 if n == 0 else 0) for kind, count in counts.items()}
        bid, uid, tag = tenant.business_id, tenant.user_id, f"b{n}-"
        with _owner(bid) as conn:
            def run(sql: str, kind: str | None, **params: Any) -> None:
                conn.run(sql, **params)
                if kind:
                    made[kind] += conn.row_count

            run(_IDEMPOTENCY, "idempotency_keys", bid=bid, prefix=f"{tag}old-", count=half["idempotency_keys"],
                age=f"{cfg.retention_idempotency_days} days 1 hour")
            run(_IDEMPOTENCY, None, bid=bid, prefix=f"{tag}live-", count=LIVE, age="1 hour")
            run(_REFRESH_TOKENS, "refresh_tokens", bid=bid, uid=uid, prefix=f"{tag}old-", count=half["refresh_tokens"],
                age=days["tokens"])
            run(_REFRESH_TOKENS, None, bid=bid, uid=uid, prefix=f"{tag}live-", count=LIVE, age="-20 days")
            run(_INVITATIONS, "invitations", bid=bid, prefix=f"{tag}old-", count=half["invitations"],
                age=days["tokens"])
            run(_INVITATIONS, None, bid=bid, prefix=f"{tag}live-", count=LIVE, age="-5 days")
            run(_CONSENT_REQUESTS, "consent_requests", bid=bid, prefix=f"{tag}old-", count=half["consent_requests"],
                age=days["tokens"])
            run(_CONSENT_REQUESTS, None, bid=bid, prefix=f"{tag}live-", count=LIVE, age="1 day")
            # Old appointments: their links and sent reminders go; upcoming ones keep theirs.
            made_for = tenant.catalogue
            staff = len(made_for.staff_ids)
            per_staff = -(-half["booking_links"] // (LINKS_PER_APPOINTMENT * staff))
            common = {"bid": bid, "location": made_for.location_ids[0],
                      "service": made_for.services[fixtures.BENCH_SERVICE], "customer": made_for.customer_ids[0]}
            conn.run(_APPOINTMENTS, **common, per_staff=per_staff, ahead=False, age=days["notifications"],
                     links=LINKS_PER_APPOINTMENT, state="enqueued")
            made["booking_links"] += conn.row_count
            run(_CALENDAR_OAUTH_STATES, "calendar_oauth_states", bid=bid, uid=uid, sid=made_for.staff_ids[0],
                prefix=f"{tag}old-", count=half["calendar_oauth_states"],
                age=f"{retention.CALENDAR_OAUTH_STATES_DAYS} days 1 hour")
            run(_CALENDAR_OAUTH_STATES, None, bid=bid, uid=uid, sid=made_for.staff_ids[0], prefix=f"{tag}live-",
                count=LIVE, age="-5 minutes")
            made["reminders"] += 2 * per_staff * staff  # 1440 and 120 minutes before: SHARES' 0.04 in all
            conn.run(_APPOINTMENTS, **common, per_staff=LIVE // (LINKS_PER_APPOINTMENT * staff), ahead=True,
                     age="1 day", links=LINKS_PER_APPOINTMENT, state="scheduled")
            run(_DEAD_LETTERS, "dead_letters", bid=bid, count=half["dead_letters"], age=days["notifications"],
                redriven=n == 0)
            made["outbox"] += conn.row_count  # their events go too, once the dead letters have gone
            run(_DEAD_LETTERS, None, bid=bid, count=LIVE // 10, age="1 day", redriven=False)
            run(_OUTBOX, "outbox", bid=bid, count=half["outbox"] - half["dead_letters"], age=days["notifications"],
                pending=False)
            run(_OUTBOX, None, bid=bid, count=LIVE, age="1 day", pending=False)
            run(_OUTBOX, None, bid=bid, count=LIVE // 10, age=days["notifications"], pending=True)
            run(_DELIVERIES, "notification_deliveries", bid=bid, count=half["notification_deliveries"],
                age=days["notifications"])
            run(_DELIVERIES, None, bid=bid, count=LIVE, age="1 day")
            run(_USER_TOKENS, "user_tokens", uid=uid, prefix=f"{tag}old-", count=half["user_tokens"],
                age=days["tokens"])
            run(_USER_TOKENS, None, uid=uid, prefix=f"{tag}live-", count=LIVE, age="-1 hour")
            run(_LOGIN_FAILURES, "login_failures", count=half["login_failures"],
                age=f"{cfg.retention_login_failures_days} days 1 hour")
            run(_LOGIN_FAILURES, None, count=LIVE, age="-10 minutes")
            run(_LOGIN_DEVICES, "login_devices", uid=uid, prefix=f"{tag}old-", count=half["login_devices"],
                age=f"{auth.DEVICE_TTL.days + 1} days")
            run(_LOGIN_DEVICES, None, uid=uid, prefix=f"{tag}live-", count=LIVE, age="1 day")
            run(_RATE_LIMIT_HITS, "rate_limit_hits", prefix=f"{tag}old-", count=half["rate_limit_hits"],
                age=f"{rate_limit.PRUNE_AFTER_S // 3600 + 1} hours")
            run(_RATE_LIMIT_HITS, None, prefix=f"{tag}live-", count=LIVE, age="0 hours")
            run(_STRIPE_EVENTS, "stripe_events", prefix=f"{tag}old-", count=half["stripe_events"],
                age=f"{cfg.retention_stripe_events_days + 1} days")
            run(_STRIPE_EVENTS, None, prefix=f"{tag}live-", count=LIVE, age="1 hour")
            run(_USAGE_REPORTS, "usage_reports", bid=bid, prefix=f"{tag}old-", count=half["usage_reports"],
                age=f"{retention.USAGE_REPORTS_DAYS + 1} days", sent=True)
            run(_USAGE_REPORTS, None, bid=bid, prefix=f"{tag}live-", count=LIVE, age="1 day", sent=True)
            run(_USAGE_REPORTS, None, bid=bid, prefix=f"{tag}unsent-", count=LIVE // 10,
                age=f"{retention.USAGE_REPORTS_DAYS + 1} days", sent=False)
    print(f"loaded {sum(made.values()):,} expired rows and the rows that must stay in "
          f"{time.perf_counter() - started:.1f} s; ANALYZE in {fixtures.analyze():.1f} s")
    return made, businesses


_ALL = """-- every row of every pruned table (the sweep's role sees every tenant's)
SELECT (SELECT count(*) FROM idempotency_keys) AS idempotency_keys,
       (SELECT count(*) FROM consent_requests) AS consent_requests,
       (SELECT count(*) FROM login_failures) AS login_failures, (SELECT count(*) FROM login_devices) AS login_devices,
       (SELECT count(*) FROM rate_limit_hits) AS rate_limit_hits,
       (SELECT count(*) FROM refresh_tokens) AS refresh_tokens, (SELECT count(*) FROM user_tokens) AS user_tokens,
       (SELECT count(*) FROM invitations) AS invitations, (SELECT count(*) FROM booking_links) AS booking_links,
       (SELECT count(*) FROM dead_letters) AS dead_letters, (SELECT count(*) FROM outbox) AS outbox,
       (SELECT count(*) FROM notification_deliveries) AS notification_deliveries,
       (SELECT count(*) FROM reminders) AS reminders, (SELECT count(*) FROM stripe_events) AS stripe_events,
       (SELECT count(*) FROM usage_reports) AS usage_reports,
       (SELECT count(*) FROM calendar_oauth_states) AS calendar_oauth_states"""


def census() -> dict[str, int]:
    """How many rows each pruned table holds."""
    with retention.transaction() as tx:
        return tx.one(_ALL) or {}


# --- 1. the plans -----------------------------------------------------------------------------------

def _plans(batch: int) -> dict[str, list[str]]:
    """One batch of each rule, as the sweep sends it, under EXPLAIN (ANALYZE, BUFFERS); rolled back."""
    cfg = settings()
    day = retention.DAY_S
    statements = {
        "idempotency_keys": (idempotency._PRUNE, cfg.retention_idempotency_days * day, {}),
        "login_failures": (auth._PRUNE_LOGIN_FAILURES, cfg.retention_login_failures_days * day, {}),
        "login_devices": (auth._PRUNE_LOGIN_DEVICES, auth.DEVICE_TTL.total_seconds(), {}),
        "rate_limit_hits": (rate_limit._PRUNE, rate_limit.PRUNE_AFTER_S, {}),
        "refresh_tokens": (auth._PRUNE_REFRESH_TOKENS, cfg.retention_tokens_days * day, {}),
        "user_tokens": (auth._PRUNE_USER_TOKENS, cfg.retention_tokens_days * day, {}),
        "invitations": (business._PRUNE_INVITATIONS, cfg.retention_tokens_days * day, {}),
        "consent_requests": (customers._PRUNE_CONSENT_REQUESTS, cfg.retention_tokens_days * day, {}),
        "booking_links": (appointments._PRUNE_LINKS, cfg.retention_booking_links_days * day,
                          {"after": "", "until": None}),
        "dead_letters": (dead_letters._PRUNE, cfg.retention_notifications_days * day, {}),
        "outbox": (outbox._PRUNE, cfg.retention_notifications_days * day, {"max_attempts": outbox.MAX_ATTEMPTS}),
        "notification_deliveries": (deliveries._PRUNE, cfg.retention_notifications_days * day, {}),
        "reminders": (reminders._PRUNE, cfg.retention_notifications_days * day, {}),
        "calendar_oauth_states": (calendar_oauth._PRUNE, retention.CALENDAR_OAUTH_STATES_DAYS * day, {}),
    }
    plans = {}
    for name, (sql, older_than_s, extra) in statements.items():
        with contextlib.suppress(_RolledBack), retention.transaction() as tx:
            plans[name] = [r["QUERY PLAN"] for r in tx.all("EXPLAIN (ANALYZE, BUFFERS) " + sql,
                                                           older_than_s=older_than_s, batch=batch, **extra)]
            raise _RolledBack
    return plans


def tenant_calendar_plan(business_id: str) -> list[str]:
    """The calendar's range read (a week from the tenant's first appointment ahead) as the application
    runs it, under EXPLAIN (ANALYZE, BUFFERS)."""
    with db.tenant_tx(business_id) as tx:
        since = tx.value("SELECT min(start_at) FROM appointments WHERE start_at > now()")
        return [r["QUERY PLAN"] for r in tx.all(
            "EXPLAIN (ANALYZE, BUFFERS) " + appointments._LIST, since=since, until=since + timedelta(days=7),
            staff_id=None, location_id=None, customer_id=None, statuses=None, after_at=None, after_id=None,
            limit=101)]


def show_plans(plans: dict[str, list[str]]) -> int:
    seq_scans = 0
    for name, lines in plans.items():
        found = [line.strip() for line in lines if "Seq Scan" in line]
        seq_scans += len(found)
        timing = next((line.strip() for line in lines if line.strip().startswith("Execution Time")), "")
        scans = sorted({line.strip().split(" on ")[0].lstrip("-> ").strip() + " on " + line.split(" on ")[1].split()[0]
                        for line in lines if " on " in line and "Scan" in line})
        print(f"  {name:<24} {timing:<28} {', '.join(scans)}")
        for line in found:
            print(f"    FLAG {line}")
    return seq_scans


# --- 2. the sweep -----------------------------------------------------------------------------------

class StatementClock:
    """Times every statement this process sends (pg8000's ``execute_simple`` and ``execute_unnamed``,
    each one round trip), keeping the longest; a spy on the driver, as fixtures.RoundTrips is."""

    def __init__(self) -> None:
        self.longest = (0.0, "")
        self.count = 0
        clock = self
        for method in ("execute_simple", "execute_unnamed"):
            original = getattr(pg8000.native.Connection, method)

            def send(conn: Any, sql: str, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
                began = time.perf_counter()
                try:
                    return _original(conn, sql, *args, **kwargs)
                finally:
                    took = time.perf_counter() - began
                    clock.count += 1
                    if took > clock.longest[0]:
                        clock.longest = (took, sql.strip().splitlines()[0][:90] if sql.strip() else "")

            setattr(pg8000.native.Connection, method, send)


def _option(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def main() -> None:
    expired = _option("--expired", EXPIRED)
    batch = _option("--batch", settings().retention_batch)
    fixtures.quiet_request_log()
    fixtures.use_database(DATABASE, fresh=True)
    print(f"== retention: one sweep against {expired:,} expired rows, batch {batch} ==")
    print(fixtures.environment())
    made, businesses = load(expired)
    before = census()
    print("\nEXPLAIN (ANALYZE, BUFFERS) of one batch of each rule (as booking_retention; rolled back):")
    seq_scans = show_plans(_plans(batch))
    calendar = tenant_calendar_plan(businesses[0].business_id)
    print("\nEXPLAIN (ANALYZE, BUFFERS) of a tenant's calendar read (booking_app, the tenant's scope):")
    seq_scans += show_plans({"calendar (tenant)": calendar})
    range_scan = [line.strip() for line in calendar if "appointments_range_idx" in line or "Index Cond" in line]
    print("    " + "\n    ".join(range_scan))
    tenant_indexed = bool(range_scan) and "Index Scan using appointments_range_idx" in range_scan[0] \
        and any("business_id =" in line for line in range_scan)

    clock = StatementClock()
    started = time.perf_counter()
    report = retention.sweep(batch=batch, budget_s=3600)
    wall_s = time.perf_counter() - started
    longest_s, longest_sql = clock.longest
    statements = clock.count
    after = census()
    deleted = sum(report.deleted.values())
    print(f"\nretention.sweep(batch={batch}): {report.batches:,} batches, {statements:,} statements")
    print(f"  {'rule':<24} {'expired':>9} {'deleted':>9} {'before':>9} {'after':>9}")
    for name in report.deleted:
        print(f"  {name:<24} {made[name]:>9,} {report.deleted[name]:>9,} {before[name]:>9,} {after[name]:>9,}")
    print(f"  wall time            {wall_s:8.1f} s   ({deleted / wall_s:,.0f} rows/s)")
    print(f"  longest batch        {report.slowest_batch_s * 1000:8.1f} ms  (its transaction, begin to commit)")
    print(f"  longest statement    {longest_s * 1000:8.1f} ms  ({longest_sql})")
    print()
    fixtures.verdict("retention: Seq Scans in one batch of each rule", seq_scans, 0, "")
    statement_ok = fixtures.verdict("retention: longest single statement", longest_s, GOAL_STATEMENT_S, "s")
    print(f"FIGURE {'retention: time to prune ' + f'{deleted:,} expired rows':<64} {wall_s:>9.2f}s")
    checks = [("every batch finds its rows through indexes (no Seq Scan), no planner method switched off",
               seq_scans == 0),
              ("the tenant's calendar read walks appointments_range_idx from its tenant", tenant_indexed),
              (f"every expired row went ({deleted:,} of {sum(made.values()):,})", report.deleted == made),
              ("every row that must stay is there", all(after[name] == before[name] - made[name] for name in made)),
              ("the sweep finished within its budget", report.finished),
              (f"the longest statement took under {GOAL_STATEMENT_S:g} s", statement_ok)]
    for name, passed in checks:
        print(f"CHECK {name:<100} {'OK' if passed else 'FAILED'}")
    if not all(passed for _, passed in checks):
        raise SystemExit("a check failed")


if __name__ == "__main__":
    main()
