"""Usage per billing period: the monthly period rule, and what a business used, was allowed and went over.

The counts live in ``usage_counters`` (one row per business, meter and period), added to by the
statements that book and send (see ``appointments`` and ``notifications.deliveries``). A period is a
whole month from ``subscriptions.usage_anchor``, clamped at a month's end the way Stripe bills (an
anchor on Jan 31 gives Feb 28, then Mar 31); the SQL function ``billing_period_start`` (migration
0018) is the same rule, and ``tests/billing/test_period.py`` holds the two together.
"""
from __future__ import annotations

import calendar
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from chalicelib.billing import gate, plans
from chalicelib.core import db

# Every meter counted, in the order they are answered: e-mails are counted and never limited.
METERS = ("bookings", "messages_email", "messages_whatsapp")

_USAGE = f"""-- the plan, overrides and currencies, and this period's counters (the period from the usage anchor)
WITH period AS (
  SELECT coalesce(s.usage_anchor, b.created_at) AS anchor,
         billing_period_start(coalesce(s.usage_anchor, b.created_at), now()) AS start,
         b.plan, b.currency AS business_currency, s.currency AS subscription_currency
    FROM businesses b LEFT JOIN subscriptions s ON s.business_id = b.id
   WHERE b.id = :business_id)
SELECT p.anchor, p.start, p.plan, p.business_currency, p.subscription_currency,
       {gate.OVERRIDES_JSON} AS overrides,
       (SELECT coalesce(jsonb_object_agg(c.meter, c.used), '{{}}'::jsonb) FROM usage_counters c
         WHERE c.business_id = :business_id AND c.period_start = p.start) AS used
  FROM period p"""


def _utc(at: datetime) -> datetime:
    return at.astimezone(timezone.utc)


def _plus_months(anchor: datetime, months: int) -> datetime:
    """``anchor`` plus whole months, its day clamped to the month's last (PostgreSQL's interval rule)."""
    index = anchor.year * 12 + anchor.month - 1 + months
    year, month = divmod(index, 12)
    day = min(anchor.day, calendar.monthrange(year, month + 1)[1])
    return anchor.replace(year=year, month=month + 1, day=day)


def _months_in(anchor: datetime, at: datetime) -> int:
    """How many whole months from ``anchor`` the period holding ``at`` starts."""
    anchor, at = _utc(anchor), _utc(at)
    months = (at.year - anchor.year) * 12 + at.month - anchor.month
    return months if _plus_months(anchor, months) <= at else months - 1


def period_start(anchor: datetime, at: datetime) -> datetime:
    """The start of the monthly usage period that holds ``at`` (in UTC)."""
    return _plus_months(_utc(anchor), _months_in(anchor, at))


def period_end(anchor: datetime, at: datetime) -> datetime:
    """The end (exclusive: the next period's start) of the monthly usage period that holds ``at``."""
    return _plus_months(_utc(anchor), _months_in(anchor, at) + 1)


def meter_overage(used: int, included: int | None, overage_allowed: bool) -> int:
    """Units past the allowance that are billed: none without a limit, or on a plan that refuses past
    it instead of billing."""
    if included is None or not overage_allowed:
        return 0
    return max(0, used - included)


def _included(ent: gate.Entitlements, meter: str) -> int | None:
    limit = plans.METER_LIMITS.get(meter)
    return ent.limits[limit] if limit else None


def _currency(subscription_currency: str | None, business_currency: str) -> str:
    """What overage is priced in: the subscription's currency, else the business's if we sell in it."""
    if subscription_currency:
        return subscription_currency
    return business_currency if business_currency in plans.CURRENCIES else plans.CURRENCIES[0]


def read(business_id: UUID) -> dict[str, Any]:
    """``GET /billing/usage``: this period and, per meter, what was used, included and is billed past it."""
    with db.tenant_tx(business_id) as tx:
        row = tx.one(_USAGE, business_id=business_id)
    ent = gate.resolve(row["plan"], row["overrides"], business_id)
    currency = _currency(row["subscription_currency"], row["business_currency"])
    meters = []
    for meter in METERS:
        used, included = row["used"].get(meter, 0), _included(ent, meter)
        price = ent.overage.get(meter, {}).get(currency)
        meters.append({"meter": meter, "used": used, "included": included,
                       "overage": meter_overage(used, included, meter in ent.overage),
                       "overage_price": {"amount": price, "currency": currency} if price is not None else None})
    start = row["start"]
    return {"period": {"start": start.isoformat(), "end": period_end(row["anchor"], start).isoformat()},
            "meters": meters}
