"""The subscription routes: the business's subscription, Checkout and the Customer Portal, invoices,
and Stripe's webhook."""
from __future__ import annotations

from typing import Any, Literal

from chalice import Blueprint

from chalicelib.billing import checkout, invoices, plans, subscriptions, webhook
from chalicelib.core import idempotency
from chalicelib.core.answer import Answer, Money, Timestamp
from chalicelib.core.endpoint import endpoint
from chalicelib.core.pagination import PageQuery
from chalicelib.core.security import Caller
from chalicelib.core.validate import Struct

bp = Blueprint(__name__)

# What Checkout sells (the trial is not).
PlanKey = Literal[tuple(key for key, p in plans.PLANS.items() if p.purchasable)]  # type: ignore[valid-type]
Interval = Literal[plans.INTERVALS]  # type: ignore[valid-type]
SoldCurrency = Literal[plans.CURRENCIES]  # type: ignore[valid-type]


class NewCheckout(Struct):
    plan: PlanKey
    interval: Interval
    # None: the business's currency when we sell in it, else EUR
    currency: SoldCurrency | None = None


class Period(Answer):
    start: Timestamp
    end: Timestamp


class SubscriptionState(Answer):
    plan: Literal["trial", "basic", "pro", "enterprise"]
    status: Literal["trialing", "active", "past_due", "suspended", "expired", "cancelled"]
    trial_ends_at: Timestamp | None
    trial_days_left: int | None  # while trialing: whole days left, rounded up
    billing_interval: Literal["month", "year"] | None
    currency: str | None
    amount: Money | None  # the recurring price
    current_period: Period | None
    cancel_at_period_end: bool
    past_due_since: Timestamp | None
    suspended_by: Literal["billing", "operator"] | None
    suspended_reason: str | None
    has_customer: bool  # the portal can be opened


class Url(Answer):
    url: str


class Invoice(Answer):
    id: str
    number: str | None
    status: Literal["draft", "open", "paid", "uncollectible", "void"]
    total: Money
    amount_due: Money
    amount_paid: Money
    hosted_invoice_url: str | None
    invoice_pdf: str | None
    period_start: Timestamp | None
    period_end: Timestamp | None
    issued_at: Timestamp


class Invoices(Answer):
    items: list[Invoice]
    next_cursor: str | None


class Received(Answer):
    received: bool


@endpoint(bp, "/billing/subscription", "GET", tag="billing", response=SubscriptionState,
          summary="The business's subscription: plan, lifecycle state, trial days left, period (for the banners)")
def get_subscription(caller: Caller) -> Any:
    return subscriptions.summary(caller.business_id)


@endpoint(bp, "/billing/checkout-session", "POST", role="owner", idempotent=True, body=NewCheckout, status=201,
          errors=(409, 503), response=Url, tag="billing",
          summary="Subscribe through Stripe Checkout: answers the Checkout page's URL (409 already_subscribed)")
def create_checkout_session(caller: Caller, body: NewCheckout) -> Any:
    key = bp.current_request.headers.get(idempotency.HEADER)
    return checkout.start(caller.business_id, plan=body.plan, interval=body.interval, currency=body.currency,
                          idempotency_key=key)


@endpoint(bp, "/billing/portal-session", "POST", role="owner", errors=(409, 503), response=Url, tag="billing",
          summary="Open Stripe's Customer Portal (payment method, invoices, plan, cancel): answers its URL")
def create_portal_session(caller: Caller) -> Any:
    return checkout.portal(caller.business_id)


@endpoint(bp, "/billing/invoices", "GET", role="admin", query=PageQuery, response=Invoices, tag="billing",
          summary="The business's invoices, mirrored from Stripe (newest first)")
def list_invoices(caller: Caller, query: PageQuery) -> Any:
    return invoices.list_page(caller.business_id, limit=query.limit, cursor=query.cursor)


@endpoint(bp, "/billing/webhook", "POST", public=True, raw_request=True, errors=(400, 503), response=Received,
          tag="billing", summary="Stripe's events (Stripe-Signature checked on the raw body; each applied once)")
def receive_stripe_event(request: Any) -> Any:
    webhook.receive(request.raw_body or b"", request.headers.get("stripe-signature"))
    return {"received": True}
