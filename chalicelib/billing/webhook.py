"""Stripe's webhook: each signed event applied once, from the objects re-fetched from Stripe.

Stripe sends events in any order and more than once. So an event only says where to look: the
subscription (or invoice) is read from Stripe again, inside the business's transaction and under its
billing lock, and that newest truth is what the state machine gets; two events about one business
are applied one after the other, the second reading Stripe after the first was applied. The event's
id is stored in that same transaction: a replay finds it and does nothing, and an event whose
handling failed is not stored (its 5xx makes Stripe send it again).

The business is the one whose stored Stripe customer the event's object names. A Checkout Session's
``client_reference_id`` must name that same business, and every object re-fetched must belong to
that customer; metadata is never trusted. An event naming a customer we do not know changes nothing
(it is stored, with why, and logged).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from chalicelib.billing import invoices, lifecycle, subscriptions
from chalicelib.core import db, log
from chalicelib.core.db import Tx
from chalicelib.events import outbox
from chalicelib.integrations import stripe

_LOOK_UP = """-- before the tenant is known: whether the event was applied already, and whose Stripe customer it names
SELECT EXISTS (SELECT FROM stripe_events WHERE id = :event_id) AS seen,
       (SELECT business_id FROM subscriptions WHERE stripe_customer_id = :customer_id) AS business_id"""

_BY_SUBSCRIPTION = """-- the business mirroring a Stripe subscription, and its customer (the daily job's re-fetch)
SELECT business_id, stripe_customer_id FROM subscriptions WHERE stripe_subscription_id = :subscription_id"""

_RECORD = """-- the event is being applied: stored once (a replay, or the same event applied meanwhile, finds it)
INSERT INTO stripe_events (id, type, object_id, stripe_created, error)
VALUES (:id, :type, :object_id, :created, :error)
ON CONFLICT (id) DO NOTHING
RETURNING id"""

_NOTED = """-- why an event changed nothing
UPDATE stripe_events SET error = :error WHERE id = :id"""

# The owners are e-mailed about these, with the invoice to pay.
_INVOICE_MESSAGES = {"invoice.payment_failed": "billing.payment_failed",
                     "invoice.payment_action_required": "billing.payment_action_required"}


def _id(value: Any) -> str | None:
    """A Stripe reference: an id, or (expanded) the object carrying it."""
    if isinstance(value, dict):
        return value.get("id")
    return value if isinstance(value, str) else None


def mirror_of(subscription: dict[str, Any]) -> subscriptions.Mirror:
    """A Stripe subscription (re-fetched) in our terms: the item whose price is one of our plans' base
    prices gives the plan and the period (periods live on items since API 2025-03-31)."""
    items = (subscription.get("items") or {}).get("data") or []
    known = [(item, stripe.plan_of_price(_id(item.get("price")) or "")) for item in items]
    item, plan = next(((i, p) for i, p in known if p is not None), (items[0] if items else {}, None))
    price = item.get("price") if isinstance(item.get("price"), dict) else {}
    recurring = price.get("recurring") or {}
    currency = price.get("currency")
    return subscriptions.Mirror(
        subscription_id=subscription["id"], customer_id=_id(subscription.get("customer")) or "",
        status=subscription["status"], price_id=_id(item.get("price")),
        plan=plan[0] if plan else None, interval=plan[1] if plan else recurring.get("interval"),
        currency=plan[2] if plan else (currency.upper() if currency else None),
        amount_minor=price.get("unit_amount"),
        period_start=invoices.instant(item.get("current_period_start")),
        period_end=invoices.instant(item.get("current_period_end")),
        cancel_at_period_end=bool(subscription.get("cancel_at_period_end")),
        cancellation_reason=(subscription.get("cancellation_details") or {}).get("reason"),
        trial_end=invoices.instant(subscription.get("trial_end")))


def _sync(tx: Tx, business_id: UUID, customer_id: str, subscription_id: str | None) -> str | None:
    """Re-fetch the subscription and apply it to the business (whose customer is ``customer_id``);
    answer why nothing changed, if so."""
    if not subscription_id:
        return "no_subscription"
    fetched = stripe.retrieve_subscription(subscription_id)
    if fetched is None:
        return "subscription_missing"
    mirror = mirror_of(fetched)
    if mirror.customer_id != customer_id:
        return "other_customer"
    if lifecycle.apply_stripe(tx, business_id, mirror) is None:
        return "not_the_current_subscription"
    return None


def _checkout_completed(tx: Tx, business_id: UUID, customer_id: str, session: dict[str, Any],
                        event: dict[str, Any]) -> str | None:
    if session.get("client_reference_id") != str(business_id):
        return "client_reference_mismatch"
    return _sync(tx, business_id, customer_id, _id(session.get("subscription")))


def _subscription_changed(tx: Tx, business_id: UUID, customer_id: str, subscription: dict[str, Any],
                          event: dict[str, Any]) -> str | None:
    return _sync(tx, business_id, customer_id, subscription["id"])


def _trial_will_end(tx: Tx, business_id: UUID, customer_id: str, subscription: dict[str, Any],
                    event: dict[str, Any]) -> str | None:
    """A Stripe trial ends in 3 days: the owners are told once (the daily job tells about ours the
    same way, and whichever comes first marks it told)."""
    why = _sync(tx, business_id, customer_id, subscription["id"])
    if why is None:
        ends_at = subscriptions.warn_trial(tx, business_id)
        if ends_at is not None:
            outbox.add(tx, business_id, "billing.trial_ending", aggregate_id=business_id,
                       payload={"trial_ends_at": ends_at.isoformat()})
    return why


def _invoice_changed(tx: Tx, business_id: UUID, customer_id: str, invoice: dict[str, Any],
                     event: dict[str, Any]) -> str | None:
    """The invoice mirrored as Stripe holds it now; then its subscription (paid: active again at once).
    A failed payment, or one waiting for the owner's confirmation, is e-mailed while still open."""
    fetched = stripe.retrieve_invoice(invoice["id"])
    if fetched is None:
        return "invoice_missing"
    if _id(fetched.get("customer")) != customer_id:
        return "other_customer"
    row = invoices.mirror(tx, business_id, fetched)
    parent = (fetched.get("parent") or {}).get("subscription_details") or {}
    why = _sync(tx, business_id, customer_id, _id(parent.get("subscription")))
    topic = _INVOICE_MESSAGES.get(event["type"])
    if topic is not None and row is not None and row["status"] == "open":
        outbox.add(tx, business_id, topic, aggregate_id=business_id,
                   payload={"invoice_id": row["stripe_invoice_id"], "hosted_invoice_url": row["hosted_invoice_url"],
                            "amount_due": {"amount": row["amount_due_minor"], "currency": row["currency"]}})
    return None if row is not None else why or "invoice_status_unknown"


# (tx, business, its customer, the event's object, the event) -> why nothing changed, if so
Handler = Callable[[Tx, UUID, str, dict[str, Any], dict[str, Any]], str | None]

HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": _checkout_completed,
    "customer.subscription.created": _subscription_changed,
    "customer.subscription.updated": _subscription_changed,
    "customer.subscription.deleted": _subscription_changed,
    "customer.subscription.trial_will_end": _trial_will_end,
    "invoice.paid": _invoice_changed,
    "invoice.finalized": _invoice_changed,
    "invoice.payment_failed": _invoice_changed,
    "invoice.payment_action_required": _invoice_changed,
}


def receive(payload: bytes, signature: str | None) -> None:
    """Verify a webhook POST and apply its event (see the module's docstring). Raises
    ``stripe.InvalidSignature`` (400); a failure reaching Stripe is a 503, and Stripe sends it again."""
    event = stripe.verify_event(payload, signature)
    handler = HANDLERS.get(event["type"])
    obj = (event.get("data") or {}).get("object") or {}
    if handler is None or not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        log.emit("billing.webhook_ignored", event_id=event["id"], type=event["type"])
        return
    customer_id = _id(obj.get("customer")) or ""
    record = {"id": event["id"], "type": event["type"], "object_id": obj["id"],
              "created": invoices.instant(event.get("created")) or datetime.now(timezone.utc)}
    with db.jobs_tx() as tx:
        found = tx.one(_LOOK_UP, event_id=event["id"], customer_id=customer_id)
        if found["seen"]:
            return
        business_id = found["business_id"]
        if business_id is None:
            tx.value(_RECORD, **record, error="unknown_customer")
    if business_id is None:
        log.emit("billing.webhook_unknown_customer", event_id=event["id"], type=event["type"],
                 customer=customer_id or None)
        return
    with db.tenant_tx(business_id, lock=f"billing:{business_id}") as tx:
        if tx.value(_RECORD, **record, error=None) is None:
            return  # the same event, applied meanwhile
        why = handler(tx, business_id, customer_id, obj, event)
        if why is not None:
            tx.execute(_NOTED, id=event["id"], error=why)
    log.emit("billing.webhook_applied", event_id=event["id"], type=event["type"], business_id=business_id,
             unchanged=why)


def sync_subscription(subscription_id: str) -> str | None:
    """Re-fetch a mirrored subscription from Stripe and apply it (the daily safety net, in case a
    webhook was lost); answer the business's state after (as stored), None when no business mirrors it."""
    with db.jobs_tx() as tx:
        found = tx.one(_BY_SUBSCRIPTION, subscription_id=subscription_id)
    if found is None or found["stripe_customer_id"] is None:
        return None
    business_id = found["business_id"]
    with db.tenant_tx(business_id, lock=f"billing:{business_id}") as tx:
        _sync(tx, business_id, found["stripe_customer_id"], subscription_id)
        return subscriptions.read(tx, business_id)["state"]


_PRUNE_EVENTS = """-- retention: event ids received long past Stripe's retries (3 days), the oldest first, one batch
DELETE FROM stripe_events WHERE id = ANY(ARRAY(
    SELECT id FROM stripe_events WHERE received_at < now() - make_interval(secs => :older_than_s)
     ORDER BY received_at LIMIT :batch))"""


# Stripe retries a delivery for up to 3 days, each retry freshly signed: an event id must be kept
# that long at least, or a retry would be applied (and e-mailed about) again.
STRIPE_RETRIES_S = 3 * 24 * 3600


def prune_events(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """The retention sweep's: delete up to ``batch`` stored events received more than ``older_than_s``
    ago; answer how many."""
    if older_than_s < STRIPE_RETRIES_S:
        raise ValueError("Stripe event ids must be kept for as long as Stripe retries (3 days)")
    return tx.execute(_PRUNE_EVENTS, older_than_s=older_than_s, batch=batch)
