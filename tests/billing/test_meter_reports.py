"""Overage reported to Stripe Billing Meters by the daily schedule (chalicelib/billing/meter_reports.py):
each unit past the allowance is sent once, as a meter event whose identifier names the business,
meter, period and day; a resend (after a crash between the send and its stamp, a day later or not)
carries the same identifier and value, and Stripe's twin counts it once; a new day sends only what
was used since; nothing goes for a plan without overage or a business without a subscription.

The business subscribes through Checkout on the twin (tests/billing/subscribing.py); its usage is set
as the schema owner, in the period the usage anchor gives."""
from __future__ import annotations

import time
from contextlib import closing
from datetime import datetime, timedelta, timezone
from typing import Any

from chalicelib.billing import jobs, meter_reports, usage
from chalicelib.core.migrations import owner_connection
from tests.api import Session, new_business
from tests.billing.subscribing import subscribe
from tests.checks import rows

PRO_ALLOWANCE = 2000  # bookings a month on Pro
WHATSAPP_ALLOWANCE = 500


def as_owner(business_id: str, sql: str, **params: Any) -> None:
    with closing(owner_connection()) as conn:
        conn.run("SELECT set_config('app.business_id', :bid, false), set_config('app.jobs', 'on', false)",
                 bid=business_id)
        conn.run(sql, bid=business_id, **params)


def anchor_of(business_id: str) -> datetime:
    (row,) = rows(business_id, "SELECT usage_anchor FROM subscriptions")
    return row["usage_anchor"]


def used(business_id: str, meter: str, count: int, *, period: datetime | None = None) -> datetime:
    """The period's counter of ``meter`` (this period's unless given) now says ``count``; answer the period."""
    period = period or usage.period_start(anchor_of(business_id), datetime.now(timezone.utc))
    as_owner(business_id, "INSERT INTO usage_counters (business_id, meter, period_start, used) "
                          "VALUES (CAST(:bid AS uuid), :meter, :period, :count) "
                          "ON CONFLICT (business_id, meter, period_start) DO UPDATE SET used = EXCLUDED.used",
             meter=meter, period=period, count=count)
    return period


def reports(business_id: str) -> list[dict[str, Any]]:
    return rows(business_id, "SELECT identifier, meter, value, sent_at FROM usage_reports ORDER BY created_at, meter")


def events_of(twin: Any, customer_id: str) -> list[dict[str, Any]]:
    return [e for e in twin.meter_events if e["payload"]["stripe_customer_id"] == customer_id]


def customer(business_id: str) -> str:
    (row,) = rows(business_id, "SELECT stripe_customer_id FROM subscriptions")
    return row["stripe_customer_id"]


def today() -> str:
    return f"{datetime.now(timezone.utc):%Y%m%d}"


def report() -> meter_reports.Report:
    return meter_reports.run(deadline=time.monotonic() + 60)


def subscribed(client: Any, twin: Any, plan: str = "pro") -> Session:
    owner = new_business(client)
    subscribe(client, owner, twin, {"plan": plan, "interval": "month", "currency": "EUR"})
    return owner


def test_overage_is_sent_once_with_an_identifier_per_business_meter_period_and_day(client, stripe_twin):
    owner = subscribed(client, stripe_twin)
    bid = owner.business_id
    period = used(bid, "bookings", PRO_ALLOWANCE + 7)
    used(bid, "messages_whatsapp", WHATSAPP_ALLOWANCE + 2)
    used(bid, "messages_email", 90_000)  # counted, never billed

    jobs.daily()
    jobs.daily()

    identifier = f"{bid}:bookings:{period:%Y%m%d}:{today()}"
    assert [(r["identifier"], r["value"], r["sent_at"] is not None) for r in reports(bid)] == [
        (identifier, 7, True), (f"{bid}:messages_whatsapp:{period:%Y%m%d}:{today()}", 2, True)]
    sent = events_of(stripe_twin, customer(bid))
    assert sorted((e["event_name"], e["identifier"], e["payload"]["value"]) for e in sent) == [
        ("booking_overage", identifier, "7"),
        ("whatsapp_overage", f"{bid}:messages_whatsapp:{period:%Y%m%d}:{today()}", "2")]
    assert all(int(period.timestamp()) <= e["timestamp"] <= time.time() for e in sent)


def test_a_crash_between_the_send_and_its_stamp_resends_the_same_identifier_and_value_counted_once(
        client, stripe_twin):
    owner = subscribed(client, stripe_twin)
    bid = owner.business_id
    used(bid, "bookings", PRO_ALLOWANCE + 7)
    report()
    [first] = events_of(stripe_twin, customer(bid))
    # the stamp never committed: the row is unsent, though Stripe has the event
    as_owner(bid, "UPDATE usage_reports SET sent_at = NULL WHERE business_id = CAST(:bid AS uuid)")
    used(bid, "bookings", PRO_ALLOWANCE + 9)  # and more was used meanwhile: not in this row

    again = report()

    assert again.failed == []
    assert [(r["value"], r["sent_at"] is not None) for r in reports(bid)] == [(7, True)]
    sent = events_of(stripe_twin, customer(bid))
    assert sent == [first]  # Stripe replayed the first call (same Idempotency-Key): nothing counted twice
    assert stripe_twin.requests[-1].path.endswith("/v1/billing/meter_events")


def test_a_resend_after_stripe_forgot_the_call_is_refused_by_its_identifier_and_counts_as_sent(
        client, stripe_twin):
    owner = subscribed(client, stripe_twin)
    bid = owner.business_id
    used(bid, "bookings", PRO_ALLOWANCE + 4)
    report()
    as_owner(bid, "UPDATE usage_reports SET sent_at = NULL WHERE business_id = CAST(:bid AS uuid)")
    stripe_twin.expire_idempotency_keys()  # a day on: only the identifier guards the resend

    assert report().failed == []

    assert [(r["value"], r["sent_at"] is not None) for r in reports(bid)] == [(4, True)]
    assert [e["payload"]["value"] for e in events_of(stripe_twin, customer(bid))] == ["4"]


def test_stripe_unavailable_leaves_the_report_for_the_next_run_with_the_same_identifier_and_value(
        client, stripe_twin):
    owner = subscribed(client, stripe_twin)
    bid = owner.business_id
    used(bid, "bookings", PRO_ALLOWANCE + 3)
    stripe_twin.fail_next(500, count=2)  # the call and its one retry

    failed = report()

    assert failed.failed and [(r["value"], r["sent_at"]) for r in reports(bid)] == [(3, None)]
    assert events_of(stripe_twin, customer(bid)) == []
    [written] = reports(bid)

    report()

    assert [(r["identifier"], r["value"], r["sent_at"] is not None) for r in reports(bid)] == [
        (written["identifier"], 3, True)]
    assert [(e["identifier"], e["payload"]["value"]) for e in events_of(stripe_twin, customer(bid))] == [
        (written["identifier"], "3")]


def test_a_new_day_sends_only_what_was_used_since(client, stripe_twin):
    owner = subscribed(client, stripe_twin)
    bid = owner.business_id
    period = used(bid, "bookings", PRO_ALLOWANCE + 12)
    yesterday = f"{datetime.now(timezone.utc) - timedelta(days=1):%Y%m%d}"
    # yesterday's run reported and sent 7
    as_owner(bid, "INSERT INTO usage_reports (identifier, business_id, meter, period_start, value, created_at, "
                  "sent_at) VALUES (:identifier, CAST(:bid AS uuid), 'bookings', :period, 7, "
                  "now() - interval '1 day', now() - interval '1 day')",
             identifier=f"{bid}:bookings:{period:%Y%m%d}:{yesterday}", period=period)

    report()

    assert [(r["identifier"].rsplit(":", 1)[1], r["value"]) for r in reports(bid)] == [(yesterday, 7), (today(), 5)]
    assert [e["payload"]["value"] for e in events_of(stripe_twin, customer(bid))] == ["5"]


def test_the_day_a_period_ended_is_still_reported_in_that_period(client, stripe_twin):
    owner = subscribed(client, stripe_twin)
    bid = owner.business_id
    # the period began 6 hours ago: the one before ended then, and its last hours were not reported
    as_owner(bid, "UPDATE subscriptions SET usage_anchor = now() - interval '1 month' - interval '6 hours' "
                  "WHERE business_id = CAST(:bid AS uuid)")
    anchor = anchor_of(bid)
    now = datetime.now(timezone.utc)
    current = usage.period_start(anchor, now)
    previous = usage.period_start(anchor, now - timedelta(days=1))
    assert previous < current
    used(bid, "bookings", PRO_ALLOWANCE + 6, period=previous)
    used(bid, "bookings", PRO_ALLOWANCE + 1, period=current)

    report()

    assert sorted((r["identifier"].split(":")[2], r["value"]) for r in reports(bid)) == sorted(
        [(f"{previous:%Y%m%d}", 6), (f"{current:%Y%m%d}", 1)])
    by_period = {e["identifier"].split(":")[2]: e for e in events_of(stripe_twin, customer(bid))}
    assert by_period[f"{previous:%Y%m%d}"]["timestamp"] == int(current.timestamp()) - 1
    assert by_period[f"{current:%Y%m%d}"]["timestamp"] >= int(current.timestamp())


def test_nothing_is_reported_within_the_allowance(client, stripe_twin):
    owner = subscribed(client, stripe_twin)
    used(owner.business_id, "bookings", PRO_ALLOWANCE)

    report()

    assert reports(owner.business_id) == [] and events_of(stripe_twin, customer(owner.business_id)) == []


def test_nothing_is_reported_for_a_plan_without_overage(client, stripe_twin):
    owner = subscribed(client, stripe_twin, "basic")
    used(owner.business_id, "bookings", 5000)
    used(owner.business_id, "messages_whatsapp", 50)

    report()

    assert reports(owner.business_id) == [] and events_of(stripe_twin, customer(owner.business_id)) == []


def test_nothing_is_reported_without_a_subscription(client, stripe_twin):
    owner = new_business(client)  # a trial, with Pro's limits
    as_owner(owner.business_id, "UPDATE businesses SET plan = 'pro' WHERE id = CAST(:bid AS uuid)")
    used(owner.business_id, "bookings", PRO_ALLOWANCE + 50)

    report()

    assert reports(owner.business_id) == []


def test_a_raised_allowance_counts_from_the_new_limit(client, stripe_twin):
    owner = subscribed(client, stripe_twin)
    bid = owner.business_id
    as_owner(bid, "INSERT INTO feature_overrides (business_id, feature, value, reason) "
                  "VALUES (CAST(:bid AS uuid), 'bookings_per_month', '2500', 'a busy month agreed')")
    used(bid, "bookings", 2510)

    report()

    assert [r["value"] for r in reports(bid)] == [10]
