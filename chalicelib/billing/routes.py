"""The billing routes every member reads: the plan catalogue, the business's effective features, usage this period."""
from __future__ import annotations

from typing import Any, Literal

from chalice import Blueprint

from chalicelib.billing import gate, plans, usage
from chalicelib.core.answer import Answer, Money, Timestamp
from chalicelib.core.endpoint import endpoint
from chalicelib.core.security import Caller

bp = Blueprint(__name__)

Interval = Literal["month", "year"]
Meter = Literal["bookings", "messages_email", "messages_whatsapp"]


class FeatureFlags(Answer):
    whatsapp: bool
    custom_templates: bool
    google_calendar: bool
    intake_forms: bool
    reviews: bool
    waitlist: bool
    campaigns: bool
    analytics: bool
    api_access: bool
    data_export: bool


class Limits(Answer):
    """Per month where named so (``null``: no limit); messages are WhatsApp messages."""
    staff: int | None
    locations: int | None
    bookings_per_month: int | None
    messages_per_month: int | None


class PlanPrice(Answer):
    interval: Interval
    price: Money


class OveragePrice(Answer):
    """What one unit past the monthly allowance costs (a meter not listed is refused past it instead)."""
    meter: Meter
    price: Money


class PlanOffer(Answer):
    key: Literal["basic", "pro", "enterprise"]
    name: str
    prices: list[PlanPrice]
    limits: Limits
    overage: list[OveragePrice]
    features: FeatureFlags


class PlanCatalogue(Answer):
    items: list[PlanOffer]


class EffectiveFeatures(Answer):
    plan: Literal["trial", "basic", "pro", "enterprise"]
    features: FeatureFlags
    limits: Limits


class UsagePeriod(Answer):
    start: Timestamp
    end: Timestamp  # exclusive: the next period's start


class MeterUsage(Answer):
    meter: Meter
    used: int
    included: int | None  # null: no limit
    overage: int  # units past the allowance billed so far (0 on a plan that refuses past it)
    overage_price: Money | None  # per unit; null: not billed past the allowance


class Usage(Answer):
    period: UsagePeriod
    meters: list[MeterUsage]


@endpoint(bp, "/billing/plans", "GET", tag="billing", response=PlanCatalogue,
          summary="The plans on offer: prices (EUR, GBP, USD; monthly and yearly), limits, overage and features")
def list_plans(caller: Caller) -> Any:
    return {"items": plans.catalogue()}


@endpoint(bp, "/features", "GET", tag="billing", response=EffectiveFeatures,
          summary="What the business may use now: its plan, then the platform's overrides and gradual rollouts")
def get_features(caller: Caller) -> Any:
    return gate.read(caller.business_id)


@endpoint(bp, "/billing/usage", "GET", tag="billing", response=Usage,
          summary="This billing period's usage per meter: used, included, and the overage billed so far")
def get_usage(caller: Caller) -> Any:
    return usage.read(caller.business_id)
