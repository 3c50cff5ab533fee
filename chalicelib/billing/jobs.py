"""The daily billing schedule (app.py's ``billing_sweep``): trials about to end and ended, the
past-due safety net, and usage reporting to Stripe.

Each step finds its businesses in a short jobs transaction (the subscriptions of every tenant, a
bounded page at a time) and acts on each in a transaction of that tenant, its condition checked
again there, so running twice, late, or two at once does nothing twice:

1. a trial ending within ``TRIAL_WARNING`` gets its e-mail once (``trial_warned_at`` stamped in the
   transaction that writes the outbox row ``billing.trial_ending``); a run too late for it sends none;
2. a trial past its end without a subscription ends ``expired`` (``lifecycle.expire_trial``): the
   booking page takes no new bookings, everything else stays;
3. a business past due longer than ``BILLING_PAST_DUE_GRACE_DAYS`` is a webhook possibly lost: the
   subscription is re-fetched from Stripe, and the business is suspended only if Stripe does not say
   it is paid (if it is, the mirror is brought up to date instead);
4. usage past the allowance is reported to Stripe's meters (``meter_reports``).

A step that fails is logged and the others still run; the run then fails, so the schedule's error
metric shows it. The whole run stops taking new work after ``BUDGET_S`` (the function's timeout is
longer); what is left waits for tomorrow.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from chalicelib.billing import lifecycle, meter_reports, webhook
from chalicelib.core import db, log
from chalicelib.core.settings import settings
from chalicelib.events import outbox

# The trial-ending e-mail goes this long before the trial ends.
TRIAL_WARNING = timedelta(days=3)
# Businesses per finding transaction.
BATCH = 100
# New work is taken for this long (the function's timeout, 120 s, leaves room for the last item).
BUDGET_S = 90.0

_TRIALS_ENDING = """-- trials ending within the warning, not warned yet and with no subscription, a page in end order
SELECT business_id, trial_ends_at AS at FROM subscriptions
 WHERE state = 'trialing' AND trial_warned_at IS NULL AND stripe_subscription_id IS NULL
   AND trial_ends_at > now() AND trial_ends_at <= now() + make_interval(secs => :warning_s)
   AND (trial_ends_at, business_id) > (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid))
 ORDER BY trial_ends_at, business_id
 LIMIT :batch"""

_WARN = """-- the trial-ending e-mail is written now, once: still a trial ending soon, not warned yet
UPDATE subscriptions SET trial_warned_at = now(), updated_at = now()
 WHERE business_id = :bid AND state = 'trialing' AND trial_warned_at IS NULL AND stripe_subscription_id IS NULL
   AND trial_ends_at > now() AND trial_ends_at <= now() + make_interval(secs => :warning_s)
RETURNING trial_ends_at"""

_TRIALS_ENDED = """-- trials past their end, a page in end order (expire_trial leaves one with a live subscription be)
SELECT business_id, trial_ends_at AS at FROM subscriptions
 WHERE state = 'trialing' AND trial_ends_at <= now()
   AND (trial_ends_at, business_id) > (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid))
 ORDER BY trial_ends_at, business_id
 LIMIT :batch"""

_PAST_DUE = """-- businesses past due for longer than the grace period, a page in the order they fell behind
SELECT business_id, past_due_since AS at, stripe_subscription_id FROM subscriptions
 WHERE state = 'past_due' AND past_due_since < now() - make_interval(days => :grace_days)
   AND (past_due_since, business_id) > (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid))
 ORDER BY past_due_since, business_id
 LIMIT :batch"""

_START = datetime.fromisoformat("0001-01-01T00:00:00+00:00")


@dataclass
class Run:
    """What one run did, per step, and the steps that failed."""
    warned: int = 0
    expired: int = 0
    suspended: int = 0
    resynced: int = 0
    usage: meter_reports.Report | None = None
    failed: list[str] = field(default_factory=list)


class SweepFailed(Exception):
    """Some steps failed (each is logged); the others ran. The invocation fails, so the schedule's
    error metric shows it."""

    def __init__(self, run: Run) -> None:
        super().__init__(f"billing steps failed: {', '.join(run.failed)}")
        self.run = run


def _pages(sql: str, deadline: float, **params: Any) -> Iterator[dict[str, Any]]:
    """The rows ``sql`` finds, a page per jobs transaction (keyset on its ordering columns ``at`` and
    ``business_id``), until none are left or ``deadline`` passes. A row whose action failed is not
    found again in the same run."""
    after_at, after_id = _START, UUID(int=0)
    while time.monotonic() < deadline:
        with db.jobs_tx() as tx:
            found = tx.all(sql, after_at=after_at, after_id=after_id, batch=BATCH, **params)
        for row in found:
            if time.monotonic() >= deadline:
                return
            yield row
        if len(found) < BATCH:
            return
        after_at, after_id = found[-1]["at"], found[-1]["business_id"]


def _each(run: Run, step: str, sql: str, deadline: float, act: Callable[[dict[str, Any]], None],
          **params: Any) -> None:
    """``act`` on each row found; one business's failure is logged and the others go on (the step
    then counts as failed)."""
    for row in _pages(sql, deadline, **params):
        try:
            act(row)
        except Exception as e:  # noqa: BLE001 - one business's trouble must not hold up the others
            log.emit("billing.sweep_failed", step=step, business_id=str(row["business_id"]),
                     error=f"{type(e).__name__}: {e}")
            if step not in run.failed:
                run.failed.append(step)


def warn_trials_ending(run: Run, deadline: float) -> None:
    warning_s = TRIAL_WARNING.total_seconds()

    def warn(row: dict[str, Any]) -> None:
        bid = row["business_id"]
        with db.tenant_tx(bid) as tx:
            ends = tx.value(_WARN, bid=bid, warning_s=warning_s)
            if ends is None:  # subscribed, or warned, since it was found
                return
            outbox.add(tx, bid, "billing.trial_ending", aggregate_id=bid, payload={"trial_ends_at": ends.isoformat()})
        run.warned += 1

    _each(run, "trial_warnings", _TRIALS_ENDING, deadline, warn, warning_s=warning_s)


def expire_trials(run: Run, deadline: float) -> None:
    def expire(row: dict[str, Any]) -> None:
        with db.tenant_tx(row["business_id"]) as tx:
            if lifecycle.expire_trial(tx, row["business_id"]):
                run.expired += 1

    _each(run, "trial_expiry", _TRIALS_ENDED, deadline, expire)


def suspend_past_due(run: Run, deadline: float) -> None:
    """The safety net for a lost webhook: the subscription is re-fetched from Stripe and applied first
    (paid: active again; Stripe gave up: suspended by that); only if it is still past due after that is
    the business suspended. Stripe unavailable leaves the business for the next run."""
    def settle(row: dict[str, Any]) -> None:
        bid, subscription_id = row["business_id"], row["stripe_subscription_id"]
        state = webhook.sync_subscription(subscription_id) if subscription_id else None
        if state not in (None, "past_due"):  # what Stripe said was applied: paid, or given up
            run.resynced += 1
            log.emit("billing.past_due_resynced", business_id=str(bid), state=state)
            return
        with db.tenant_tx(bid) as tx:
            if lifecycle.suspend_for_nonpayment(tx, bid):
                run.suspended += 1

    _each(run, "past_due", _PAST_DUE, deadline, settle, grace_days=settings().billing_past_due_grace_days)


def report_usage(run: Run, deadline: float) -> None:
    run.usage = meter_reports.run(deadline=deadline)
    if run.usage.failed:
        run.failed.append("usage")


STEPS: tuple[tuple[str, Callable[[Run, float], None]], ...] = (
    ("trial_warnings", warn_trials_ending),
    ("trial_expiry", expire_trials),
    ("past_due", suspend_past_due),
    ("usage", report_usage),
)


def daily() -> Run:
    """Run every step in turn until the budget is spent. Raises ``SweepFailed`` after the others ran
    if any step failed."""
    deadline = time.monotonic() + BUDGET_S
    run = Run()
    for name, step in STEPS:
        try:
            step(run, deadline)
        except Exception as e:  # noqa: BLE001 - one step's trouble must not hold up the others
            log.emit("billing.sweep_failed", step=name, error=f"{type(e).__name__}: {e}")
            if name not in run.failed:
                run.failed.append(name)
    log.emit("billing.swept", warned=run.warned, expired=run.expired, suspended=run.suspended,
             resynced=run.resynced, usage_written=run.usage.written if run.usage else 0,
             usage_sent=run.usage.sent if run.usage else 0, failed=run.failed)
    if run.failed:
        raise SweepFailed(run)
    return run
