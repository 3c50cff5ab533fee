"""The plan catalogue, declared once: what each plan costs, what it allows, and what it bills beyond.

Prices are in minor units per currency and interval; the Stripe Price behind each one is named per
stage in settings (``STRIPE_PRICES``; ``tests/core/test_stage_config.py`` checks every stage names
one for each price and overage here, and the offline Stripe twin charges these amounts). A trial has
Pro's features and limits but no overage: nothing can be billed before there is a subscription.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

CURRENCIES = ("EUR", "GBP", "USD")
INTERVALS = ("month", "year")

# Every flag a plan, an override or a rollout can turn on.
FEATURES = ("whatsapp", "custom_templates", "google_calendar", "intake_forms", "reviews", "waitlist",
            "campaigns", "analytics", "api_access", "data_export")
# Every limit; None is "no limit". Messages are WhatsApp messages (they cost us money per
# conversation); e-mails are counted and never limited.
LIMITS = ("staff", "locations", "bookings_per_month", "messages_per_month")
# What is billed per unit past a monthly allowance, by meter.
METERS = ("bookings", "messages_whatsapp")
# The limit each metered allowance is.
METER_LIMITS = MappingProxyType({"bookings": "bookings_per_month", "messages_whatsapp": "messages_per_month"})

# A flag in gradual rollout: on for this percentage of the tenants whose plan has it (a stable hash
# of flag and tenant decides which), off for the rest unless an override turns it on.
ROLLOUTS: Mapping[str, int] = MappingProxyType({"reviews": 50})


@dataclass(frozen=True)
class Plan:
    key: str
    name: str
    # (interval, currency) -> amount in minor units
    prices: Mapping[tuple[str, str], int]
    limits: Mapping[str, int | None]
    features: frozenset[str]
    # meter -> currency -> minor units per unit past the allowance; a meter absent here is refused
    # past its allowance instead
    overage: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    # offered in the catalogue and through Checkout (the trial is neither)
    purchasable: bool = True


def _prices(month: dict[str, int]) -> Mapping[tuple[str, str], int]:
    """Monthly prices, and yearly ones at ten months for twelve."""
    return MappingProxyType({**{("month", c): a for c, a in month.items()},
                             **{("year", c): a * 10 for c, a in month.items()}})


_PRO_FEATURES = frozenset({"whatsapp", "custom_templates", "google_calendar", "intake_forms", "reviews",
                           "waitlist", "campaigns", "data_export"})

BASIC = Plan(
    key="basic", name="Basic",
    prices=_prices({"EUR": 1900, "GBP": 1700, "USD": 2100}),
    limits=MappingProxyType({"staff": 2, "locations": 1, "bookings_per_month": 300, "messages_per_month": 0}),
    features=frozenset({"data_export"}),
)
PRO = Plan(
    key="pro", name="Pro",
    prices=_prices({"EUR": 4900, "GBP": 4200, "USD": 5500}),
    limits=MappingProxyType({"staff": 10, "locations": 3, "bookings_per_month": 2000, "messages_per_month": 500}),
    features=_PRO_FEATURES,
    overage=MappingProxyType({"bookings": MappingProxyType({"EUR": 5, "GBP": 5, "USD": 6}),
                              "messages_whatsapp": MappingProxyType({"EUR": 8, "GBP": 7, "USD": 9})}),
)
ENTERPRISE = Plan(
    key="enterprise", name="Enterprise",
    prices=_prices({"EUR": 14900, "GBP": 12900, "USD": 16500}),
    limits=MappingProxyType({"staff": None, "locations": None, "bookings_per_month": None,
                             "messages_per_month": 5000}),
    features=frozenset(FEATURES),
    overage=MappingProxyType({"messages_whatsapp": MappingProxyType({"EUR": 6, "GBP": 5, "USD": 7})}),
)
TRIAL = Plan(key="trial", name="Trial", prices=MappingProxyType({}), limits=PRO.limits,
             features=PRO.features, purchasable=False)

PLANS: Mapping[str, Plan] = MappingProxyType({p.key: p for p in (TRIAL, BASIC, PRO, ENTERPRISE)})
# Cheapest first: the plan that lifts a refusal is the first one after the current that allows it.
LADDER = ("basic", "pro", "enterprise")


def plan(key: str) -> Plan:
    """The plan called ``key``; an unknown key (none is stored: a CHECK holds the column) is Basic."""
    return PLANS.get(key, BASIC)


def catalogue() -> list[dict[str, Any]]:
    """``GET /billing/plans``: every plan offered, cheapest first, in API shape (money in minor units)."""
    return [{
        "key": p.key, "name": p.name,
        "prices": [{"interval": interval, "price": {"amount": p.prices[interval, currency], "currency": currency}}
                   for interval in INTERVALS for currency in CURRENCIES],
        "limits": dict(p.limits),
        "overage": [{"meter": meter, "price": {"amount": amount, "currency": currency}}
                    for meter, prices in p.overage.items() for currency, amount in prices.items()],
        "features": {f: f in p.features for f in FEATURES},
    } for p in (PLANS[key] for key in LADDER) if p.purchasable]
