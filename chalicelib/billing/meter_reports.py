"""Overage reported to Stripe Billing Meters, once (the daily schedule's last step).

For each business with a Stripe subscription on a plan that bills past its allowance, per billed
meter: the overage of the period so far (``usage_counters.used`` past what the entitlements include)
less what ``usage_reports`` already holds for that period is the day's delta. It is written as a
report row first, its identifier ``<business>:<meter>:<period start>:<day>`` and value frozen, and
committed; then sent as a meter event; then stamped ``sent_at``. A row left unsent (Stripe down, a
crash between the send and the stamp) is sent again on the next run with the same identifier, value
and timestamp: within Stripe's window (at least 24 hours) Stripe drops the duplicate identifier, and
beyond it our ledger does (a stamped row is never sent again). So each unit of overage is billed
once, however often or late the schedule runs.

The period just ended is looked at too (the one that held a day ago), so what was used between the
last run and a period's end is still reported, timestamped in that period. Stripe takes a meter
event up to 35 days back; an unsent row older than ``SEND_WITHIN_DAYS`` is left (and logged).

Owns ``usage_reports``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from chalicelib.billing import gate, plans, usage
from chalicelib.core import db, log
from chalicelib.core.db import Tx

# Businesses per finding transaction, and unsent reports per run.
BATCH = 100
SEND_BATCH = 500
# Stripe refuses an event timestamped more than 35 days back; a day's margin for the clock.
SEND_WITHIN_DAYS = 34

# Plans that bill a meter past its allowance; the others refuse past it (nothing to report).
_BILLING_PLANS = [key for key, plan in plans.PLANS.items() if plan.overage]

_SUBSCRIBED = """-- businesses with a Stripe subscription in force on a plan that bills overage, a page by id
SELECT business_id FROM subscriptions
 WHERE state IN ('active', 'past_due') AND stripe_subscription_id IS NOT NULL
   AND stripe_customer_id IS NOT NULL AND plan = ANY(CAST(:plans AS text[]))
   AND business_id > CAST(:after AS uuid)
 ORDER BY business_id
 LIMIT :batch"""

_ANCHOR = """-- the business's usage anchor (its periods), still subscribed, and the database's clock
SELECT usage_anchor, now() AS now FROM subscriptions
 WHERE business_id = :bid AND state IN ('active', 'past_due') AND stripe_subscription_id IS NOT NULL"""

_PERIOD = """-- per billed meter, what the period used and what its reports already hold
SELECT m.meter, coalesce(c.used, 0) AS used,
       (SELECT coalesce(sum(r.value), 0) FROM usage_reports r
         WHERE r.business_id = :bid AND r.meter = m.meter AND r.period_start = :period) AS reported
  FROM unnest(CAST(:meters AS text[])) AS m (meter)
  LEFT JOIN usage_counters c ON c.business_id = :bid AND c.meter = m.meter AND c.period_start = :period"""

_WRITE = """-- the day's overage of one meter and period, frozen before it is sent (a second run the same day
-- finds its identifier taken and writes nothing)
INSERT INTO usage_reports (identifier, business_id, meter, period_start, value)
VALUES (:identifier, :bid, :meter, :period, :value)
ON CONFLICT (identifier) DO NOTHING"""

_UNSENT = """-- reports written and not yet sent, oldest first, with what their meter event names
SELECT r.identifier, r.business_id, r.meter, r.period_start, r.value, r.created_at,
       s.stripe_customer_id, s.usage_anchor
  FROM usage_reports r JOIN subscriptions s ON s.business_id = r.business_id
 WHERE r.sent_at IS NULL AND r.created_at > now() - make_interval(days => :within_days)
   AND s.stripe_customer_id IS NOT NULL
 ORDER BY r.created_at
 LIMIT :batch"""

_STALE = """-- reports never sent that Stripe would no longer take
SELECT count(*) FROM usage_reports
 WHERE sent_at IS NULL AND created_at <= now() - make_interval(days => :within_days)"""

_SENT = """-- Stripe has the report's meter event
UPDATE usage_reports SET sent_at = now() WHERE identifier = :identifier AND sent_at IS NULL"""

_PRUNE = """-- retention: reports sent long ago (billed, and past any dispute), the oldest first, one batch
DELETE FROM usage_reports WHERE identifier = ANY(ARRAY(
    SELECT identifier FROM usage_reports
     WHERE sent_at < now() - make_interval(secs => :older_than_s)
     ORDER BY sent_at LIMIT :batch))"""


@dataclass
class Report:
    """What one run did: report rows written, meter events sent, and sends that failed."""
    written: int = 0
    sent: int = 0
    failed: list[str] = field(default_factory=list)


def identifier(business_id: UUID, meter: str, period_start: datetime, day: datetime) -> str:
    """The meter event's identifier: one per business, meter, period and day (at most 72 characters;
    Stripe allows 100)."""
    return f"{business_id}:{meter}:{period_start:%Y%m%d}:{day:%Y%m%d}"


def _write_business(business_id: UUID) -> int:
    """Write the day's report rows of one business; answer how many. Serialised per business, so two
    runs at once compute the delta one after the other."""
    with db.tenant_tx(business_id, lock=f"billing.usage_reports:{business_id}") as tx:
        sub = tx.one(_ANCHOR, bid=business_id)
        if sub is None:  # no longer subscribed since it was found
            return 0
        ent = gate.entitlements(tx, business_id)
        meters = [m for m in plans.METERS if m in ent.overage]
        if not meters:
            return 0
        now = sub["now"]
        periods = sorted({usage.period_start(sub["usage_anchor"], now),
                          usage.period_start(sub["usage_anchor"], now - timedelta(days=1))})
        return sum(_write_period(tx, business_id, ent, meters, period, now) for period in periods)


def _write_period(tx: Tx, business_id: UUID, ent: gate.Entitlements, meters: list[str], period: datetime,
                  now: datetime) -> int:
    written = 0
    for row in tx.all(_PERIOD, bid=business_id, period=period, meters=meters):
        included = ent.limits[plans.METER_LIMITS[row["meter"]]]
        delta = usage.meter_overage(row["used"], included, True) - row["reported"]
        if delta > 0:
            written += tx.execute(_WRITE, identifier=identifier(business_id, row["meter"], period, now),
                                  bid=business_id, meter=row["meter"], period=period, value=delta)
    return written


def write(*, deadline: float) -> int:
    """Write the day's report rows of every business that bills overage (until ``deadline``, a
    ``time.monotonic()``); answer how many."""
    written, after = 0, UUID(int=0)
    while time.monotonic() < deadline:
        with db.jobs_tx() as tx:
            found = [r["business_id"] for r in tx.all(_SUBSCRIBED, plans=_BILLING_PLANS, after=after, batch=BATCH)]
        for business_id in found:
            if time.monotonic() >= deadline:
                break
            written += _write_business(business_id)
        if len(found) < BATCH:
            break
        after = found[-1]
    return written


def _timestamp(row: dict[str, Any]) -> int:
    """When the event happened, the same at every resend: when its row was written, or for a period
    that had ended by then, its last second (so Stripe bills it in that period)."""
    end = usage.period_end(row["usage_anchor"], row["period_start"])
    return int(min(row["created_at"], end - timedelta(seconds=1)).timestamp())


def send(*, deadline: float, report: Report) -> None:
    """Send every unsent report row (a batch), each then stamped; Stripe unavailable ends the run's
    sending (the rows wait for the next run)."""
    from chalicelib.integrations import stripe

    with db.jobs_tx() as tx:
        rows = tx.all(_UNSENT, within_days=SEND_WITHIN_DAYS, batch=SEND_BATCH)
        stale = tx.value(_STALE, within_days=SEND_WITHIN_DAYS)
    if stale:
        log.emit("billing.usage_reports_stale", count=stale)
    for row in rows:
        if time.monotonic() >= deadline:
            return
        try:
            stripe.send_meter_event(event_name=stripe.meter_event_name(row["meter"]),
                                    customer_id=row["stripe_customer_id"], value=row["value"],
                                    identifier=row["identifier"], timestamp=_timestamp(row))
        except stripe.StripeUnavailable as e:
            log.emit("billing.usage_report_failed", identifier=row["identifier"], error=str(e))
            report.failed.append(row["identifier"])
            return
        except Exception as e:  # noqa: BLE001 - one refused event (a customer gone) must not hold up the others
            log.emit("billing.usage_report_failed", identifier=row["identifier"], error=f"{type(e).__name__}: {e}")
            report.failed.append(row["identifier"])
            continue
        with db.tenant_tx(row["business_id"]) as tx:
            tx.execute(_SENT, identifier=row["identifier"])
        report.sent += 1


def run(*, deadline: float) -> Report:
    """The schedule's step: write the day's reports, then send what is unsent."""
    report = Report(written=write(deadline=deadline))
    send(deadline=deadline, report=report)
    log.emit("billing.usage_reported", written=report.written, sent=report.sent, failed=len(report.failed))
    return report


def prune(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """The retention sweep's (every tenant's): delete up to ``batch`` reports sent more than
    ``older_than_s`` ago; an unsent one stays whatever its age. Answer how many."""
    return tx.execute(_PRUNE, older_than_s=older_than_s, batch=batch)
