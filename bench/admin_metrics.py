"""The platform console on the 1M-appointment database: GET /admin/metrics (and the tenant list and page)
timed through the app, and EXPLAIN (ANALYZE, BUFFERS) of their statements as the console runs them.

The database is ``bench/scale.py``'s ``booking_scale`` (500 businesses, ~1,000,000 appointments), reused
when a matching load is there and loaded otherwise (about four minutes on 2 CPUs; see scale.py). Its
appointments were all created by the load, so "bookings today" and "this month" both count every one
of them when the load was made today: the worst case of the index range scan (a platform booking a
million appointments in a day), not a typical day. Added for this run, and deleted at its end (with
everything they hold, by cascade): an operator's business, and ``DELIVERIES`` notification deliveries
of a bench business spread over the last 60 days (some failed), so the messages figures read a month
of a busy platform's deliveries.

Printed: the environment, what the figures count, the route medians and p95 (``RUNS`` runs, round
robin) with their SQL round trips, then the plans in full, flagging any Seq Scan on appointments or
notification_deliveries (and JIT, which a large estimated cost switches on). Goal: GET /admin/metrics
median within ``GOAL_MS``.

Run from the project root: ``.venv/bin/python bench/admin_metrics.py [--reload] [--deliveries N]``.
"""
from __future__ import annotations

import sys
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import fixtures  # sets sys.path and STAGE before the app is imported
import scale

from chalicelib.admin import metrics, tenants  # noqa: E402
from chalicelib.auth import service as auth  # noqa: E402

RUNS = 30
DELIVERIES = 200_000
GOAL_MS = 250.0

_DELIVERIES = """-- the bench business's deliveries over the last 60 days: e-mail and WhatsApp, 3% failed
INSERT INTO notification_deliveries (business_id, outbox_id, message, channel, recipient, status, created_at)
SELECT CAST(:bid AS uuid), gen_random_uuid(), 'appointment.booked',
       CASE WHEN k % 4 = 0 THEN 'whatsapp' ELSE 'email' END, 'bench-' || k || '@example.com',
       CASE WHEN k % 33 = 0 THEN 'failed' ELSE 'sent' END, now() - random() * interval '60 days'
  FROM generate_series(1, :count) k"""

def _operator() -> tuple[str, str, str]:
    """An operator's business and login: (business id, user id, access token)."""
    tag = uuid.uuid4().hex[:8]
    session = auth.signup(business_name=f"Bench operator {tag}", owner_name="Bench Operator",
                          email_address=f"bench-operator-{tag}@example.com", password=fixtures.PASSWORD,
                          time_zone=fixtures.ZONE, currency="GBP", slug=f"bench-operator-{tag}")
    with fixtures.owner() as conn:
        conn.run("INSERT INTO platform_operators (user_id) VALUES (CAST(:uid AS uuid))", uid=session["user"]["id"])
    return session["business_id"], session["user"]["id"], session["access_token"]


def _bench_business(deliveries: int) -> str:
    tag = uuid.uuid4().hex[:8]
    session = auth.signup(business_name=f"Bench messages {tag}", owner_name="Bench Owner",
                          email_address=f"bench-messages-{tag}@example.com", password=fixtures.PASSWORD,
                          time_zone=fixtures.ZONE, currency="GBP", slug=f"bench-messages-{tag}")
    bid = session["business_id"]
    with fixtures.owner(bid) as conn:
        conn.run(_DELIVERIES, bid=bid, count=deliveries)
    return bid


def _params() -> dict[str, Any]:
    day = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return {"day": day, "month": day.replace(day=1), "until": day + timedelta(days=1)}


def explain(sql: str, **params: Any) -> list[str]:
    """``sql``'s plan, run as the console runs it (its role, no tenant)."""
    with tenants.platform_tx() as tx:
        return [r["QUERY PLAN"] for r in tx.all("EXPLAIN (ANALYZE, BUFFERS) " + sql, **params)]


def flags(lines: list[str]) -> list[str]:
    found = [f"Seq Scan: {line.strip()}" for line in lines
             if "Seq Scan on appointments" in line or "Seq Scan on notification_deliveries" in line]
    found += [f"JIT: {line.strip()}" for line in lines if line.strip().startswith(("Functions:", "Timing:"))]
    return found


def _option(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def main() -> None:
    from chalice.test import Client

    from app import app

    deliveries = _option("--deliveries", DELIVERIES)
    fixtures.quiet_request_log()
    print("== admin metrics: GET /admin/metrics and the tenant list on ~1M appointments ==")
    scale.big_database(reload="--reload" in sys.argv, businesses=scale.BUSINESSES, appointments=scale.APPOINTMENTS)
    operator_bid, operator_uid, token = _operator()
    messages_bid = _bench_business(deliveries)
    try:
        analyzed = fixtures.analyze()
        print(f"{fixtures.environment()}\n(ANALYZE after adding {deliveries:,} deliveries: {analyzed:.1f} s)")
        figures = metrics.read()
        print(f"counting: {figures['tenants']['total']} tenants, bookings today {figures['bookings']['today']:,} / "
              f"month {figures['bookings']['month']:,}, messages today {figures['messages']['today']:,} / month "
              f"{figures['messages']['month']:,}, deliveries failed today "
              f"{figures['errors']['deliveries_failed_today']}")
        headers = {"Authorization": f"Bearer {token}"}
        target = str(scale._shape(7, scale.BUSINESSES, scale.APPOINTMENTS)["bid"])
        routes = {"GET /admin/metrics": "/admin/metrics",
                  "GET /admin/tenants (first page of 50)": "/admin/tenants",
                  "GET /admin/tenants?q=scale-42": "/admin/tenants?q=scale-42",
                  "GET /admin/tenants/{id}": f"/admin/tenants/{target}"}
        counter = fixtures.round_trips()
        trips: dict[str, int] = {}
        with Client(app, stage_name="local") as client:
            for name, path in routes.items():
                with counter.counting() as sent:
                    response = client.http.get(path, headers=headers)
                assert response.status_code == 200, (path, response.body)
                trips[name] = len(sent)
            times = fixtures.timed({name: lambda path=path: client.http.get(path, headers=headers)
                                    for name, path in routes.items()}, runs=RUNS)
        print(f"\nmilliseconds over {RUNS} runs each (round robin), through the app (chalice test client)")
        print(f"{'route':<44} {'median':>8} {'p95':>8} {'round trips':>12}")
        for name, samples in times.items():
            print(f"{name:<44} {fixtures.median(samples):>8.1f} {fixtures.p95(samples):>8.1f} {trips[name]:>12}")

        plans = {"metrics (one statement)": explain(metrics._METRICS, **_params()),
                 "tenant list, first page": explain(tenants._LIST, plan=None, status=None, state=None, pattern=None,
                                                    after_at=None, after_id=None, limit=51),
                 "tenant page": explain(tenants._DETAIL, business_id=target)}
        for name, lines in plans.items():
            print(f"\nEXPLAIN (ANALYZE, BUFFERS) {name}, as booking_platform:")
            for line in lines:
                print(f"  {line}")
            for flag in flags(lines) or ["no Seq Scan on appointments or notification_deliveries, no JIT"]:
                print(f"  {'FLAG ' if flag.startswith(('Seq', 'JIT')) else ''}{flag}")
        print()
        fixtures.verdict("admin GET /admin/metrics median (ms) on ~1M appointments",
                         round(fixtures.median(times["GET /admin/metrics"]), 1), GOAL_MS, " ms")
    finally:
        with fixtures.owner() as conn:
            conn.run("DELETE FROM platform_operators WHERE user_id = CAST(:uid AS uuid)", uid=operator_uid)
        fixtures.remove_business(operator_bid)
        fixtures.remove_business(messages_bid)


if __name__ == "__main__":
    main()
