"""Subscribing and managing the subscription: a Stripe Checkout Session for a plan, and a Customer
Portal session. The business's Stripe customer is created once, on its first checkout, under the
business's billing lock (the one the webhook holds), and stored before anything else uses it.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from chalicelib.billing import lifecycle, plans, subscriptions
from chalicelib.business import service as business
from chalicelib.core import db
from chalicelib.core.errors import Conflict
from chalicelib.core.settings import settings
from chalicelib.integrations import stripe

# Checkout's own languages (its `locale`); any other leaves the choice to Checkout ("auto").
_CHECKOUT_LOCALES = frozenset({"bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fil", "fr", "hr", "hu",
                               "id", "it", "ja", "ko", "lt", "lv", "ms", "mt", "nb", "nl", "pl", "pt", "ro",
                               "ru", "sk", "sl", "sv", "th", "tr", "vi", "zh"})


# Stripe refuses a Checkout trial ending sooner than this; a trial closer to its end is billed at once.
_SHORTEST_TRIAL = timedelta(hours=48, minutes=5)


class AlreadySubscribed(Conflict):
    code, message = "already_subscribed", "The business has a subscription; change it in the customer portal."


class NoCustomer(Conflict):
    code, message = "no_customer", "The business has not subscribed yet: there is nothing to manage."


def _billing_page() -> str:
    return f"{settings().app_base_url}/settings/billing"


def _locale(locale: str | None) -> str | None:
    language = (locale or "").split("-")[0].lower()
    return language if language in _CHECKOUT_LOCALES else None


def _rest_of_trial(row: dict[str, Any]) -> int | None:
    """The app trial's end, carried into the subscription so that subscribing early loses no trial
    days: the card is taken now and the first charge falls when the trial would have ended."""
    ends: datetime | None = row["trial_ends_at"]
    if row["state"] != lifecycle.TRIALING or ends is None or ends - row["read_at"] < _SHORTEST_TRIAL:
        return None
    return int(ends.timestamp())


def start(business_id: UUID, *, plan: str, interval: str, currency: str | None,
          idempotency_key: str | None) -> dict[str, Any]:
    """A Checkout Session subscribing the business to ``plan`` (``currency`` None: the business's own
    when we sell in it, else EUR); answers ``{"url"}``. 409 ``already_subscribed`` while a
    subscription is going (it is changed in the portal)."""
    with db.tenant_tx(business_id, lock=f"billing:{business_id}") as tx:
        row = subscriptions.read(tx, business_id)
        if row["state"] in (lifecycle.TRIALING, lifecycle.ACTIVE, lifecycle.PAST_DUE) \
                and row["stripe_status"] in lifecycle.LIVE:
            raise AlreadySubscribed()
        profile = business.get(tx, business_id)
        customer_id = row["stripe_customer_id"]
        if customer_id is None:
            customer_id = stripe.create_customer(business_id=business_id, email=profile["contact"]["email"],
                                                 name=profile["name"])
            subscriptions.link_customer(tx, business_id, customer_id)
        trial_end = _rest_of_trial(row)
    if currency is None:
        currency = profile["currency"] if profile["currency"] in plans.CURRENCIES else "EUR"
    metered = [stripe.metered_price_for(meter, currency, plan) for meter in plans.plan(plan).overage]
    session = stripe.create_checkout_session(
        customer_id=customer_id, price_id=stripe.price_for(plan, interval, currency),
        metered_price_ids=[price for price in metered if price is not None], business_id=business_id,
        success_url=f"{_billing_page()}?checkout=success", cancel_url=f"{_billing_page()}?checkout=cancelled",
        # The client's key, so its retry finds the same session; without one, each request is new.
        idempotency_key=f"checkout-{business_id}-{idempotency_key or uuid.uuid4()}",
        locale=_locale(profile["locale"]), trial_end=trial_end)
    return {"url": session["url"]}


def portal(business_id: UUID) -> dict[str, Any]:
    """A Customer Portal session (cards, invoices, plan changes, cancelling); answers ``{"url"}``. 409
    ``no_customer`` before the first checkout."""
    with db.tenant_tx(business_id) as tx:
        customer_id = subscriptions.read(tx, business_id)["stripe_customer_id"]
    if customer_id is None:
        raise NoCustomer()
    return {"url": stripe.create_portal_session(customer_id=customer_id, return_url=_billing_page())}
