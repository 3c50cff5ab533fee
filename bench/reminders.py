"""The reminder sweep next to a million appointments, and how fast the notification worker sends.

1. The sweep, on ``booking_scale`` (the database of ``bench/scale.py``: 500 businesses, ~1,000,000
   appointments half a year either side of its load date; reused when a matching load is there,
   loaded by ``scale.big_database`` otherwise, about 2.5 minutes on 2 CPUs). Each generated business
   has its upcoming appointments' reminders armed once, by the app's own ``reminders.rearm_business``
   in its tenant scope (the statement ``arm`` runs per booking, for every upcoming appointment: one
   row per offset, 1440 and 120 minutes, due that long before the start, only where that moment is
   still ahead); a later run arms only the businesses without any, so the rows (about 945,000,
   250 MB) stay in the database with the load. Reminders that came due since the last run are marked sent (as the sweeps in
   between would have left them), then the ``DUE`` reminders due next are moved into the last
   ``DUE_WINDOW_MIN`` minutes: what one 5-minute sweep finds on a busy platform. Then one
   ``reminders.sweep()`` is timed, with ``outbox.dispatch`` patched to a no-op (it would run the
   worker in-process and send an e-mail per row); the outbox rows it wrote are deleted afterwards,
   so the database does not grow by them. Printed: reminder rows, due rows, the sweep's wall time,
   rows claimed, and EXPLAIN (ANALYZE, BUFFERS) of the claim (``reminders._CLAIM``, as the app role
   in a jobs transaction, on the same due rows just before the sweep, rolled back) and of one
   booking's arming (``reminders._ARM_APPOINTMENTS`` for one upcoming appointment of the largest
   business, its reminders deleted first as if it had just been booked, rolled back), flagging any
   Seq Scan on reminders or appointments.
2. The worker, on a fresh ``booking_bench_notify`` with SES v2 mocked in-process by moto
   (``EMAIL_BACKEND=ses``, the sender identity verified): a business of 10 staff with a month of
   bookings, and an ``appointment.confirmed`` outbox row for each of ``MESSAGES`` upcoming confirmed
   appointments. ``outbox.process`` (the notification worker being its only reader) is timed per row: the
   appointment's facts, the templates, a manage link, the .ics invite, the delivery claimed, the raw
   MIME sent through moto, the outcome recorded. Printed: messages per second, median and p95 per
   message; checked: exactly that many messages reached moto's SES backend and as many delivery rows
   are 'sent'.

Run from the project root: ``.venv/bin/python bench/reminders.py [--due N] [--messages N]``. The
first run on an existing ``booking_scale`` also arms its reminders (about 45 s on 2 CPUs; a run
without ``booking_scale`` loads it first, about 2.5 minutes more); later runs take about 15 s.
"""
from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from email.utils import parseaddr
from typing import Any
from unittest import mock
from uuid import UUID

import fixtures  # sets sys.path and STAGE before the app is imported
import pg8000.native
import scale

from chalicelib.core import db  # noqa: E402
from chalicelib.core.settings import settings  # noqa: E402
from chalicelib.events import outbox, readers  # noqa: E402
from chalicelib.integrations import aws  # noqa: E402
from chalicelib.notifications import reader, reminders  # noqa: E402

NOTIFY_DATABASE = "booking_bench_notify"
DUE = 300
DUE_WINDOW_MIN = 5
MESSAGES = 300
WARM_UP = 5
NOTIFY_STAFF = 10
NOTIFY_PER_STAFF = 60
NOTIFY_DAYS = 30
_AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_REGION": "eu-west-1", "EMAIL_BACKEND": "ses"}

_ARMED = """-- the businesses that have reminders already (each was armed in one transaction)
SELECT DISTINCT business_id FROM reminders"""

_CAUGHT_UP = """-- reminders that came due since the last run: the sweeps in between would have sent them
UPDATE reminders SET state = 'enqueued', claimed_at = due_at WHERE state = 'scheduled' AND due_at <= now()"""

_MAKE_DUE = """-- the reminders due next are due now instead, their moments spread over the last few minutes
UPDATE reminders r SET due_at = now() - make_interval(secs => random() * :window_min * 60)
  FROM (SELECT id FROM reminders WHERE state = 'scheduled' ORDER BY due_at LIMIT :due) next
 WHERE r.id = next.id
RETURNING r.id"""

_COUNTS = """-- the reminder rows: all of them, those still to send, those due now, and the businesses they belong to
SELECT count(*) AS total, count(*) FILTER (WHERE state = 'scheduled') AS scheduled,
       count(*) FILTER (WHERE state = 'scheduled' AND due_at <= now()) AS due,
       count(DISTINCT business_id) AS businesses
  FROM reminders"""

_CLAIMED = """-- what the sweep did to the reminders it claimed
SELECT state, count(*) AS n FROM reminders WHERE claimed_at >= :since GROUP BY state"""

_LEFT = """-- of the reminders made due, those no sweep has claimed
SELECT count(*) FROM reminders WHERE id = ANY(CAST(:ids AS uuid[])) AND state = 'scheduled'"""

_SWEPT_EVENTS = """-- the outbox rows the sweep wrote (dispatch was patched out: nothing will send them)
DELETE FROM outbox WHERE id = ANY(CAST(:ids AS uuid[])) AND topic = 'appointment.reminder' RETURNING id"""

_ONE_UPCOMING = """-- a confirmed appointment two days or more ahead: both its reminders are still to come
SELECT id, start_at FROM appointments
 WHERE business_id = :bid AND status = 'confirmed' AND start_at > now() + interval '2 days'
 ORDER BY start_at LIMIT 1"""

_FORGET = """-- as if the appointment had just been booked: no reminders yet
DELETE FROM reminders WHERE business_id = :bid AND appointment_id = :id"""

_ITS_REMINDERS = """-- what arming made
SELECT count(*) FROM reminders WHERE business_id = :bid AND appointment_id = :id"""

_CONFIRMATIONS = """-- a confirmation for each of the first :count upcoming confirmed appointments, as the
-- transition writes it
INSERT INTO outbox (business_id, topic, aggregate_id, payload)
SELECT business_id, 'appointment.confirmed', id,
       jsonb_build_object('appointment_id', id, 'status', status, 'version', version, 'start_at', start_at,
                          'end_at', end_at, 'staff_id', staff_id, 'customer_id', customer_id,
                          'service_id', service_id, 'location_id', location_id, 'actor', 'user')
  FROM appointments
 WHERE status = 'confirmed' AND start_at > now()
 ORDER BY start_at, id
 LIMIT :count
RETURNING id"""

_DELIVERIES = """-- the deliveries of these outbox rows, by status
SELECT status, count(*) FROM notification_deliveries WHERE outbox_id = ANY(CAST(:ids AS uuid[])) GROUP BY status"""


@contextlib.contextmanager
def _jobs_owner() -> Iterator[pg8000.native.Connection]:
    """A schema-owner connection that sees every tenant's job tables (reminders, outbox), without
    the app's statement timeout: for the bench's own preparation."""
    with fixtures.owner() as conn:
        conn.run("SELECT set_config('app.jobs', 'on', false)")
        yield conn


def _seq_scans(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if "Seq Scan on reminders" in line or "Seq Scan on appointments" in line]


def _show_plan(title: str, lines: list[str]) -> int:
    """Print a plan and what it says about index use; answer its Seq Scans on the two tables."""
    print(f"\nEXPLAIN (ANALYZE, BUFFERS) {title}:")
    for line in lines:
        print(f"  {line}")
    found = _seq_scans(lines)
    for line in found:
        print(f"  FLAG Seq Scan: {line}")
    jit = [line.strip() for line in lines if line.strip().startswith(("Functions:", "Timing:"))]
    for line in jit:
        print(f"  FLAG JIT: {line}")
    if not found:
        print("  no Seq Scan on reminders or appointments" + ("" if jit else ", no JIT"))
    return len(found)


# --- 1. the sweep next to a million appointments ---------------------------------------------------

def arm_scale_businesses(businesses: int, appointments: int) -> None:
    """Arm the reminders of every generated business of the big database that has none yet."""
    bids = [scale._shape(i, businesses, appointments)["bid"] for i in range(businesses)]
    with db.jobs_tx() as tx:
        armed = {str(r["business_id"]) for r in tx.all(_ARMED)}
    todo = [bid for bid in bids if bid not in armed]
    if not todo:
        print(f"reminders already armed for all {businesses} generated businesses (kept from an earlier run)")
        return
    workers = os.cpu_count() or 1
    done, lock = [0], threading.Lock()
    started = time.perf_counter()

    def work(chunk: list[str]) -> None:
        for bid in chunk:
            with db.tenant_tx(UUID(bid)) as tx:
                reminders.rearm_business(tx, UUID(bid))
            with lock:
                done[0] += 1
                if done[0] % 100 == 0 or done[0] == len(todo):
                    print(f"  {done[0]:>4} businesses armed, {time.perf_counter() - started:6.1f} s", flush=True)

    print(f"arming the reminders of {len(todo)} businesses (reminders.rearm_business in each tenant's scope, "
          f"on {workers} connections) ...", flush=True)
    with ThreadPoolExecutor(workers) as pool:
        for future in [pool.submit(work, todo[w::workers]) for w in range(workers)]:
            future.result()
    armed_s = time.perf_counter() - started
    started = time.perf_counter()
    with fixtures.owner() as conn:
        conn.run("VACUUM (ANALYZE) reminders")
    print(f"armed in {armed_s:.1f} s, then VACUUM ANALYZE reminders in {time.perf_counter() - started:.1f} s")


def make_due(due: int) -> tuple[int, list[str]]:
    """The backlog since the last run marked sent, and ``due`` reminders due now; answers how many
    were marked and the ids made due."""
    with _jobs_owner() as conn:
        conn.run(_CAUGHT_UP)
        caught_up = conn.row_count
        return caught_up, [str(r[0]) for r in conn.run(_MAKE_DUE, due=due, window_min=DUE_WINDOW_MIN)]


def counts() -> dict[str, int]:
    with db.jobs_tx() as tx:
        row = tx.one(_COUNTS)
    assert row is not None
    return row


def explain_claim() -> list[str]:
    """The sweep's claim as it runs it (app role, jobs scope, its batch size); rolled back."""
    lines: list[str] = []
    with contextlib.suppress(scale._RolledBack), db.jobs_tx() as tx:
        lines = [r["QUERY PLAN"] for r in tx.all("EXPLAIN (ANALYZE, BUFFERS) " + reminders._CLAIM,
                                                 batch=reminders.SWEEP_BATCH)]
        raise scale._RolledBack
    return lines


def timed_sweep(made_due: list[str]) -> dict[str, Any]:
    """One ``reminders.sweep()`` with dispatch held back; what it claimed and wrote. Its outbox rows
    are deleted afterwards (nothing would ever send them)."""
    held: list[outbox.Ref] = []
    with _jobs_owner() as conn:
        since = conn.run("SELECT clock_timestamp()")[0][0]
    with mock.patch.object(outbox, "dispatch", held.extend):
        started = time.perf_counter()
        sent = reminders.sweep()
        wall_ms = (time.perf_counter() - started) * 1000
    with _jobs_owner() as conn:
        claimed = dict(conn.run(_CLAIMED, since=since))
        removed = len(conn.run(_SWEPT_EVENTS, ids=[str(ref.id) for ref in held]))
        left = conn.run(_LEFT, ids=made_due)[0][0]
    return {"ms": wall_ms, "sent": sent, "held": len(held), "claimed": sum(claimed.values()),
            "states": claimed, "removed": removed, "left": left}


def explain_arm(businesses: int, appointments: int) -> tuple[str, list[str], int]:
    """One booking's arming, for an upcoming appointment of the largest generated business; rolled back."""
    index = max(range(businesses), key=lambda i: scale._shape(i, businesses, appointments)["staff"])
    shape = scale._shape(index, businesses, appointments)
    bid = UUID(shape["bid"])
    lines: list[str] = []
    made = 0
    label = f"{shape['name']} ({shape['staff']} staff)"
    with contextlib.suppress(scale._RolledBack), db.tenant_tx(bid) as tx:
        found = tx.one(_ONE_UPCOMING, bid=bid)
        assert found is not None, f"{shape['name']} has no confirmed appointment two days ahead"
        tx.execute(_FORGET, bid=bid, id=found["id"])
        lines = [r["QUERY PLAN"] for r in tx.all("EXPLAIN (ANALYZE, BUFFERS) " + reminders._ARM_APPOINTMENTS,
                                                 bid=bid, ids=[str(found["id"])],
                                                 default_offsets=list(reminders.DEFAULT_OFFSETS_MIN))]
        made = tx.value(_ITS_REMINDERS, bid=bid, id=found["id"])
        label += f", appointment at {found['start_at'].isoformat()}"
        raise scale._RolledBack
    return label, lines, made


def sweep_part(*, due: int) -> list[tuple[str, bool]]:
    businesses, appointments = scale.BUSINESSES, scale.APPOINTMENTS
    scale.big_database(reload=False, businesses=businesses, appointments=appointments)
    print(fixtures.environment())
    print(f"\n-- 1. the reminder sweep, {scale.BIG} --")
    arm_scale_businesses(businesses, appointments)
    caught_up, made_due = make_due(due)
    figures = counts()
    print(f"reminder rows: {figures['total']:,} for {figures['businesses']} businesses "
          f"({figures['scheduled']:,} still to send; offsets {', '.join(map(str, reminders.DEFAULT_OFFSETS_MIN))} "
          "min, armed as reminders.arm does)")
    print(f"due now: {figures['due']:,} (the {len(made_due)} due next moved into the last {DUE_WINDOW_MIN} minutes; "
          f"{caught_up:,} that came due since the last run marked sent, as the sweeps in between would have)")
    claim_plan = explain_claim()
    swept = timed_sweep(made_due)
    states = ", ".join(f"{state} {n}" for state, n in sorted(swept["states"].items())) or "none"
    print(f"\none reminders.sweep() (batch {reminders.SWEEP_BATCH}), stage local, outbox.dispatch patched to a "
          "no-op: no worker runs, nothing is sent or written to the mail folder")
    print(f"  wall time          {swept['ms']:9.1f} ms")
    print(f"  rows claimed       {swept['claimed']:9,}   ({states})")
    print(f"  outbox rows        {swept['sent']:9,}   (handed to the patched dispatch: {swept['held']}; "
          f"deleted afterwards: {swept['removed']})")
    claim_scans = _show_plan("reminders._CLAIM (app role, jobs scope, the same due rows just before the sweep; "
                             "rolled back)", claim_plan)
    print(f"  {scale.summary(claim_plan)}")
    label, arm_plan, made = explain_arm(businesses, appointments)
    arm_scans = _show_plan(f"reminders._ARM_APPOINTMENTS for one booking: {label}; its reminders deleted first, "
                           "rolled back", arm_plan)
    print(f"  {scale.summary(arm_plan)}; reminders armed: {made}")
    print()
    fixtures.verdict("reminders claim: Seq Scans on reminders/appointments", claim_scans, 0, "")
    fixtures.verdict("reminders arm, one booking: Seq Scans on reminders/appointments", arm_scans, 0, "")
    return [(f"the sweep claimed every reminder made due ({len(made_due) - swept['left']} of {len(made_due)}; "
             f"{swept['claimed']} claimed in all)", swept["left"] == 0 and swept["claimed"] >= len(made_due)),
            (f"an outbox row for each claimed reminder not skipped ({swept['sent']})",
             swept["sent"] == swept["states"].get("enqueued", 0) == swept["held"] == swept["removed"]),
            (f"one booking arms {len(reminders.DEFAULT_OFFSETS_MIN)} reminders ({made})",
             made == len(reminders.DEFAULT_OFFSETS_MIN))]


# --- 2. the worker through moto SES v2 -------------------------------------------------------------

def start_moto() -> Any:
    """SES v2 mocked in this process, the app sending through it, the sender verified."""
    from moto import mock_aws

    os.environ.update(_AWS)
    os.environ.pop("AWS_ENDPOINT_URL", None)  # a moto server for `make run` must not take these calls
    mocked = mock_aws()
    mocked.start()
    settings.cache_clear()
    aws.reset()
    aws.client("sesv2").create_email_identity(EmailIdentity=parseaddr(settings().email_from)[1])
    return mocked


def ses_sent() -> list[Any]:
    """The raw messages moto's SES backend has accepted so far."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][settings().aws_region].sent_messages)


def worker_part(*, messages: int) -> list[tuple[str, bool]]:
    fixtures.use_database(NOTIFY_DATABASE, fresh=True)
    mocked = start_moto()
    try:
        business = fixtures.new_business(staff=NOTIFY_STAFF, label="notify")
        first = date.today() + timedelta(days=1)
        booked = fixtures.book_window(business, first_day=first, days=NOTIFY_DAYS, per_staff=NOTIFY_PER_STAFF)
        bid = UUID(business.business_id)
        with fixtures.owner(business.business_id) as conn:
            ids = [UUID(str(r[0])) for r in conn.run(_CONFIRMATIONS, count=WARM_UP + messages)]
        if len(ids) < WARM_UP + messages:
            raise SystemExit(f"only {len(ids)} upcoming confirmed appointments for {WARM_UP + messages} messages")
        fixtures.analyze()
        print(f"\n-- 2. the notification worker, {NOTIFY_DATABASE}, SES v2 mocked in-process by moto --")
        print(f"business: {NOTIFY_STAFF} staff, {booked:,} bookings from {first} to "
              f"{first + timedelta(days=NOTIFY_DAYS - 1)}; an appointment.confirmed outbox row for each of "
              f"{WARM_UP + messages} upcoming confirmed appointments ({WARM_UP} of them for warm-up)")
        readers.subscribe(reader.READER)  # as app.py does
        for outbox_id in ids[:WARM_UP]:
            outbox.process(outbox_id, bid)
        timed_ids = ids[WARM_UP:]
        before = len(ses_sent())
        times: list[float] = []
        started = time.perf_counter()
        for outbox_id in timed_ids:
            began = time.perf_counter()
            outbox.process(outbox_id, bid)
            times.append((time.perf_counter() - began) * 1000)
        total_s = time.perf_counter() - started
        arrived = ses_sent()[before:]
        with fixtures.owner(business.business_id) as conn:
            statuses = dict(conn.run(_DELIVERIES, ids=[str(i) for i in timed_ids]))
    finally:
        mocked.stop()
        aws.reset()
    invites = sum("text/calendar" in str(getattr(m, "raw_data", "")) for m in arrived)
    print("outbox.process per row: the appointment's facts, templates rendered, a manage link, the .ics invite, "
          "the delivery claimed, raw MIME through SES v2 (moto), the outcome recorded")
    print(f"  {messages} messages in {total_s:.2f} s: {messages / total_s:7.1f} messages/s")
    print(f"  per message        median {fixtures.median(times):7.2f} ms   p95 {fixtures.p95(times):7.2f} ms   "
          f"max {max(times):7.2f} ms")
    print(f"  moto SES received  {len(arrived)} messages ({invites} with a text/calendar invite)")
    print(f"  deliveries         " + ", ".join(f"{s} {n}" for s, n in sorted(statuses.items())))
    return [(f"exactly {messages} messages reached moto's SES backend ({len(arrived)})", len(arrived) == messages),
            (f"{messages} delivery rows 'sent' and no other "
             f"({', '.join(f'{s} {n}' for s, n in sorted(statuses.items())) or 'none'})", statuses == {"sent": messages}),
            (f"every confirmation carries its invite ({invites})", invites == messages)]


def _option(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def main() -> None:
    started = time.perf_counter()
    fixtures.quiet_request_log()
    print("== reminders: one reminder sweep next to ~1M appointments; worker throughput through moto SES v2 ==")
    checks = sweep_part(due=_option("--due", DUE))
    checks += worker_part(messages=_option("--messages", MESSAGES))
    print()
    for name, passed in checks:
        print(f"CHECK {name:<100} {'OK' if passed else 'FAILED'}")
    print(f"\n(bench/reminders.py ran {time.perf_counter() - started:.0f} s)")
    if not all(passed for _, passed in checks):
        raise SystemExit("a check failed")


if __name__ == "__main__":
    main()
