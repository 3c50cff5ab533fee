"""The ``subscriptions`` table: one row per business, billing's lifecycle state and the Stripe mirror.

Only ``lifecycle`` writes the state (``write``); the webhook and Checkout link the Stripe customer.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from chalicelib.core import db
from chalicelib.core.db import Tx

_COLUMNS = """business_id, state, plan, billing_interval, currency, amount_minor, mrr_minor, stripe_customer_id,
       stripe_subscription_id, stripe_status, stripe_price_id, trial_ends_at, period_start, period_end,
       usage_anchor, cancel_at_period_end, past_due_since, suspended_by, suspended_reason, trial_warned_at,
       stripe_synced_at, version, updated_at"""

_START_TRIAL = """-- a new business starts its trial: usage periods run monthly from now
INSERT INTO subscriptions (business_id, state, plan, trial_ends_at)
VALUES (:bid, 'trialing', 'trial', :trial_ends_at)"""

_READ = f"""-- the business's subscription, and the database's clock to judge its dates by
SELECT {_COLUMNS}, now() AS read_at FROM subscriptions WHERE business_id = :bid"""

_READ_FOR_UPDATE = f"""-- the business's subscription, held until this transaction ends (its state is about to change)
SELECT {_COLUMNS}, now() AS read_at FROM subscriptions WHERE business_id = :bid FOR UPDATE"""

_LINK_CUSTOMER = """-- the business's Stripe customer, once: a second one is never stored over the first
UPDATE subscriptions SET stripe_customer_id = :customer_id, version = version + 1, updated_at = now()
 WHERE business_id = :bid AND stripe_customer_id IS NULL"""

_WARN_TRIAL = """-- the trial-ending notice is being written: once per trial (nothing answered: told already, or no
-- trial going)
UPDATE subscriptions SET trial_warned_at = now(), updated_at = now()
 WHERE business_id = :bid AND state = 'trialing' AND trial_warned_at IS NULL AND trial_ends_at > now()
RETURNING trial_ends_at"""

_WRITE = f"""-- the lifecycle's new state and, when given, the Stripe subscription re-fetched (the mirror);
-- past_due_since is when it first fell due, the usage anchor moves when a paid subscription starts,
-- and every write is a new version
UPDATE subscriptions SET
       state = :state, suspended_by = :suspended_by, suspended_reason = :suspended_reason,
       past_due_since = CASE WHEN :state = 'past_due' THEN coalesce(past_due_since, now()) END,
       stripe_subscription_id = CASE WHEN :mirrored THEN :subscription_id ELSE stripe_subscription_id END,
       stripe_status = CASE WHEN :mirrored THEN :status ELSE stripe_status END,
       stripe_price_id = CASE WHEN :mirrored THEN :price_id ELSE stripe_price_id END,
       plan = coalesce(:plan, plan),
       billing_interval = CASE WHEN :mirrored THEN :interval ELSE billing_interval END,
       currency = CASE WHEN :mirrored THEN :currency ELSE currency END,
       amount_minor = CASE WHEN :mirrored THEN CAST(:amount_minor AS integer) ELSE amount_minor END,
       mrr_minor = CASE WHEN :mirrored THEN CAST(:mrr_minor AS integer) ELSE mrr_minor END,
       period_start = CASE WHEN :mirrored THEN CAST(:period_start AS timestamptz) ELSE period_start END,
       period_end = CASE WHEN :mirrored THEN CAST(:period_end AS timestamptz) ELSE period_end END,
       cancel_at_period_end = CASE WHEN :mirrored THEN :cancel_at_period_end ELSE cancel_at_period_end END,
       trial_ends_at = coalesce(CAST(:trial_end AS timestamptz), trial_ends_at),
       usage_anchor = CASE WHEN :anchor_usage THEN coalesce(CAST(:period_start AS timestamptz), now())
                           ELSE usage_anchor END,
       stripe_synced_at = CASE WHEN :mirrored THEN now() ELSE stripe_synced_at END,
       version = version + 1, updated_at = now()
 WHERE business_id = :bid
RETURNING {_COLUMNS}"""


@dataclass(frozen=True)
class Mirror:
    """A Stripe subscription as re-fetched, in our terms (``webhook`` builds it)."""
    subscription_id: str
    customer_id: str
    status: str
    price_id: str | None
    plan: str | None          # None: a price the catalogue does not know (the plan in force stays)
    interval: str | None
    currency: str | None
    amount_minor: int | None
    period_start: datetime | None
    period_end: datetime | None
    cancel_at_period_end: bool
    cancellation_reason: str | None
    trial_end: datetime | None  # a Stripe trial's end, while it is trialing

    @property
    def mrr_minor(self) -> int | None:
        """The monthly share of the price, for the platform's MRR."""
        if self.amount_minor is None:
            return None
        return round(self.amount_minor / 12) if self.interval == "year" else self.amount_minor


def start_trial(tx: Tx, business_id: UUID, *, trial_ends_at: datetime) -> None:
    """The new business's subscription row, in the sign-up's transaction: a trial with no card."""
    tx.execute(_START_TRIAL, bid=business_id, trial_ends_at=trial_ends_at)


def read(tx: Tx, business_id: UUID, *, for_update: bool = False) -> dict[str, Any]:
    """The business's subscription row (every business has one), plus ``read_at``, the database's now.
    ``for_update``: locked until the transaction ends."""
    row = tx.one(_READ_FOR_UPDATE if for_update else _READ, bid=business_id)
    if row is None:
        raise LookupError(f"business {business_id} has no subscription row")
    return row


def link_customer(tx: Tx, business_id: UUID, customer_id: str) -> bool:
    """Store the business's Stripe customer; False when it already has one (kept)."""
    return tx.execute(_LINK_CUSTOMER, bid=business_id, customer_id=customer_id) == 1


def warn_trial(tx: Tx, business_id: UUID) -> datetime | None:
    """Mark the trial's end told (a Stripe trial's notice); answer its end, or None when it was told
    already or no trial is going."""
    return tx.value(_WARN_TRIAL, bid=business_id)


def write(tx: Tx, business_id: UUID, *, state: str, suspended_by: str | None, suspended_reason: str | None,
          mirror: Mirror | None, anchor_usage: bool) -> dict[str, Any]:
    """The lifecycle's outcome (``lifecycle.apply`` alone calls this), with the mirror when given."""
    m = mirror
    return tx.one(_WRITE, bid=business_id, state=state, suspended_by=suspended_by,
                  suspended_reason=suspended_reason, mirrored=m is not None,
                  subscription_id=m and m.subscription_id, status=m and m.status, price_id=m and m.price_id,
                  plan=m and m.plan, interval=m and m.interval, currency=m and m.currency,
                  amount_minor=m and m.amount_minor, mrr_minor=m and m.mrr_minor,
                  period_start=m and m.period_start, period_end=m and m.period_end,
                  cancel_at_period_end=bool(m and m.cancel_at_period_end),
                  trial_end=m.trial_end if m is not None and m.status == "trialing" else None,
                  anchor_usage=anchor_usage)


def summary(business_id: UUID) -> dict[str, Any]:
    """The subscription as ``GET /billing/subscription`` shows it (the SPA's billing page and banners)."""
    with db.tenant_tx(business_id) as tx:
        row = read(tx, business_id)

    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    trial_ends_at = row["trial_ends_at"]
    days_left = None
    if row["state"] == "trialing" and trial_ends_at is not None:
        days_left = max(0, math.ceil((trial_ends_at - row["read_at"]) / timedelta(days=1)))
    has_price = row["amount_minor"] is not None and row["currency"] is not None
    has_period = row["period_start"] is not None and row["period_end"] is not None
    return {"plan": row["plan"], "status": row["state"], "trial_ends_at": when(trial_ends_at),
            "trial_days_left": days_left, "billing_interval": row["billing_interval"], "currency": row["currency"],
            "amount": {"amount": row["amount_minor"], "currency": row["currency"]} if has_price else None,
            "current_period": {"start": when(row["period_start"]), "end": when(row["period_end"])}
            if has_period else None,
            "cancel_at_period_end": row["cancel_at_period_end"], "past_due_since": when(row["past_due_since"]),
            "suspended_by": row["suspended_by"], "suspended_reason": row["suspended_reason"],
            "has_customer": row["stripe_customer_id"] is not None}
