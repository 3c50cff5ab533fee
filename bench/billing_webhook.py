"""What one Stripe webhook delivery costs, per event type: milliseconds (median, p95), SQL round trips
and Stripe API calls (the re-fetches).

A fresh scratch database (``billing_webhook_bench`` on the embedded server under ``LOCAL_DIR``,
default ``.local``), migrated, and the in-process Stripe twin (``STRIPE_BACKEND=twin``, the local
stage's keys and prices). N businesses (default 40) each sign up, check out (every other one with a
Stripe trial, which then gets ``trial_will_end`` and converts), and go through a failed payment, a
payment needing the owner's action, Stripe giving up (suspended), paying (active again), cancelling at
the period's end and the end of the period (cancelled). Every event the twin answers is posted, signed,
to ``POST /billing/webhook`` through ``chalice.test.Client`` and timed from the request to the answer
(signature check, replay check, the business's lookup, the re-fetches from the twin, the state
machine, the mirror and outbox writes, the commit). Each business also gets one replayed event, one
event naming a customer nobody has, and one with a bad signature. Committed outbox rows go to an
in-process moto SQS queue, as in AWS (the local stage would otherwise send the e-mails inside the
request). The twin answers in-process: against Stripe, each re-fetch adds a network round trip
(typically 100-300 ms), which is what dominates in production.

Run from the project root: ``.venv/bin/python bench/billing_webhook.py [--businesses N]``.
"""
from __future__ import annotations

import json
import os
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import fixtures  # noqa: F401 - sets sys.path and STAGE before the app is imported

from chalicelib.core.settings import settings  # noqa: E402

DATABASE = "billing_webhook_bench"
BUSINESSES = 40
PLAN = {"plan": "pro", "interval": "month"}


def _local_stripe_settings() -> None:
    """The local stage's Stripe keys and prices, with the in-process twin as the backend (the test
    client lays the stage's variables over ours during a request; the stage leaves the backend unset)."""
    config = json.loads((Path(__file__).resolve().parents[1] / ".chalice" / "config.json").read_text())
    stage = config["stages"]["local"]["environment_variables"]
    os.environ.update({name: value for name, value in stage.items() if name.startswith("STRIPE_")})
    os.environ["STRIPE_BACKEND"] = "twin"
    settings.cache_clear()


class Deliveries:
    """Posts events to the webhook, timing each and counting its SQL statements and Stripe calls."""

    def __init__(self, client: Any, twin: Any) -> None:
        self.client = client
        self.twin = twin
        self.counter = fixtures.round_trips()
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.trips: dict[str, list[int]] = defaultdict(list)
        self.stripe_calls: dict[str, list[int]] = defaultdict(list)

    def post(self, label: str, payload: bytes, header: str, expected: int = 200) -> None:
        calls = len(self.twin.requests)
        with self.counter.counting() as statements:
            started = time.perf_counter()
            answer = self.client.http.post("/billing/webhook", body=payload, headers={
                "Content-Type": "application/json", "Stripe-Signature": header})
            elapsed = (time.perf_counter() - started) * 1000
        if answer.status_code != expected:
            raise RuntimeError(f"{label}: {answer.status_code} {answer.body[:300]!r}")
        self.ms[label].append(elapsed)
        self.trips[label].append(len(statements))
        self.stripe_calls[label].append(len(self.twin.requests) - calls)

    def deliver(self, events: list[dict[str, Any]], label: str | None = None) -> None:
        from chalicelib.integrations.stripe_twin import sign

        for event in events:
            payload = json.dumps(event).encode()
            self.post(label or event["type"], payload, sign(payload, settings().stripe_webhook_secret))


def _checkout(client: Any, session: dict[str, Any]) -> str:
    answer = client.http.post("/billing/checkout-session", body=json.dumps(PLAN), headers={
        "Authorization": f"Bearer {session['access_token']}", "Content-Type": "application/json"})
    if answer.status_code != 201:
        raise RuntimeError(f"checkout: {answer.status_code} {answer.body[:300]!r}")
    return json.loads(answer.body)["url"].rsplit("/", 1)[1]


def journey(deliveries: Deliveries, n: int) -> None:
    """One business's billing life, every event delivered as the twin answers it."""
    from chalicelib.auth import service as auth
    from chalicelib.integrations.stripe_twin import sign

    twin, tag = deliveries.twin, uuid.uuid4().hex[:8]
    session = auth.signup(business_name=f"Bench billing {tag}", owner_name="Bench Owner",
                          email_address=f"bench-billing-{tag}@example.com", password=fixtures.PASSWORD,
                          time_zone=fixtures.ZONE, currency="GBP", slug=f"bench-billing-{tag}")
    session_id = _checkout(deliveries.client, session)
    trial = n % 2 == 0
    paid = twin.complete_checkout(session_id, trial=trial)
    deliveries.deliver(paid)
    sub_id = twin.checkout_sessions[session_id]["subscription"]
    if trial:
        deliveries.deliver(twin.trial_will_end(sub_id))
        deliveries.deliver(twin.end_period(sub_id))
    for step in (twin.fail_payment, twin.require_action, twin.give_up, twin.pay, twin.cancel_at_period_end,
                 twin.end_period):
        deliveries.deliver(step(sub_id))
    deliveries.deliver(paid[-1:], "(a replay: stored already)")
    stranger = {**paid[0], "id": f"evt_bench_{tag}",
                "data": {"object": {**paid[0]["data"]["object"], "customer": f"cus_nobody_{tag}"}}}
    deliveries.deliver([stranger], "(a customer nobody has)")
    payload = json.dumps(paid[0]).encode()
    deliveries.post("(a bad signature: 400)", payload, sign(payload, "whsec_not_ours"), expected=400)


def report(deliveries: Deliveries, businesses: int) -> None:
    print(f"\n{businesses} businesses; milliseconds from request to answer, SQL round trips and Stripe API "
          "calls per delivery")
    print(f"  {'event':<44} {'n':>4} {'median':>8} {'p95':>8} {'max':>8}  {'SQL':>5} {'Stripe':>6}")
    for label in sorted(deliveries.ms, key=lambda k: (k.startswith("("), k)):
        ms, trips, calls = deliveries.ms[label], deliveries.trips[label], deliveries.stripe_calls[label]
        trips_shown = f"{min(trips)}-{max(trips)}" if min(trips) != max(trips) else str(max(trips))
        calls_shown = f"{min(calls)}-{max(calls)}" if min(calls) != max(calls) else str(max(calls))
        print(f"  {label:<44} {len(ms):>4} {fixtures.median(ms):8.2f} {fixtures.p95(ms):8.2f} {max(ms):8.2f}"
              f"  {trips_shown:>5} {calls_shown:>6}")
    every = [v for label, values in deliveries.ms.items() if not label.startswith("(") for v in values]
    print(f"\n  every applied event: n {len(every)}, median {fixtures.median(every):.2f} ms, "
          f"p95 {fixtures.p95(every):.2f} ms")


def main() -> None:
    businesses = int(sys.argv[sys.argv.index("--businesses") + 1]) if "--businesses" in sys.argv else BUSINESSES
    fixtures.quiet_request_log()
    _local_stripe_settings()
    fixtures.use_database(DATABASE, fresh=True)
    from chalice.test import Client

    from app import app
    from chalicelib.integrations import stripe_twin

    print("== billing webhook: Stripe's events through POST /billing/webhook, in process, Stripe twin ==")
    print(fixtures.environment())
    with fixtures.notification_queue(), Client(app, stage_name="local") as client:
        deliveries = Deliveries(client, stripe_twin.reset())
        for n in range(businesses):
            journey(deliveries, n)
    report(deliveries, businesses)


if __name__ == "__main__":
    main()
