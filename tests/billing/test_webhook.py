"""POST /billing/webhook: signed events only, each applied once, from the objects re-fetched from
Stripe (so any order ends right), to the business whose Stripe customer it names and no other."""
from __future__ import annotations

import json
import time

from chalicelib.billing import webhook
from chalicelib.core.settings import settings
from chalicelib.integrations.stripe_twin import sign
from tests.api import body, new_business
from tests.billing.subscribing import (checkout, customer_of, delivered, last_day_of_trial, outbox, session_id, stored,
                                       stripe_event,
                                       subscribe)
from tests.checks import error_of
from tests.stripe_twin import deliver, signed


def _post(client, payload: bytes, headers: dict[str, str]):
    return client.http.post("/billing/webhook", body=payload, headers={"Content-Type": "application/json", **headers})


def _paid_events(client, twin):
    """A business that checked out, and the events of its payment (not delivered yet)."""
    owner = new_business(client)
    last_day_of_trial(owner.business_id)
    response = checkout(client, owner)
    assert response.status_code == 201, response.body
    sid = session_id(body(response)["url"])
    return owner, twin.complete_checkout(sid)


def _of_type(events, kind):
    return [e for e in events if e["type"] == kind]


# --- signature ---------------------------------------------------------------------------------

def test_an_unsigned_event_is_refused_and_changes_nothing(client, stripe_twin):
    owner, events = _paid_events(client, stripe_twin)
    payload, _ = signed(events[0])
    error_of(_post(client, payload, {}), 400, "invalid_signature")
    assert stripe_event(events[0]["id"]) is None
    assert stored(owner.business_id)["state"] == "trialing"


def test_a_bad_signature_is_refused(client, stripe_twin):
    owner, events = _paid_events(client, stripe_twin)
    for event in events:
        payload, header = signed(event, secret="whsec_not_ours")
        error_of(_post(client, payload, {"Stripe-Signature": header}), 400, "invalid_signature")
    # A body changed after signing (here: re-serialised) no longer matches its signature either.
    payload, header = signed(events[-1])
    tampered = json.dumps(json.loads(payload), indent=1).encode()
    error_of(_post(client, tampered, {"Stripe-Signature": header}), 400, "invalid_signature")
    assert [stripe_event(e["id"]) for e in events] == [None] * len(events)
    assert stored(owner.business_id)["state"] == "trialing"


def test_a_stale_or_future_signature_is_refused(client, stripe_twin):
    owner, events = _paid_events(client, stripe_twin)
    for stamp in (int(time.time()) - 301, int(time.time()) + 301):
        payload, header = signed(events[-1], timestamp=stamp)
        error_of(_post(client, payload, {"Stripe-Signature": header}), 400, "invalid_signature")
    payload, header = signed(events[-1], timestamp=int(time.time()) - 240)  # within the 300 s
    assert _post(client, payload, {"Stripe-Signature": header}).status_code == 200
    assert stored(owner.business_id)["state"] == "active"


def test_a_signed_body_that_is_not_an_event_is_a_400(client):
    for payload in (b"not json", b"[1, 2]", b'{"id": 5}'):
        error_of(_post(client, payload, {"Stripe-Signature": sign(payload, settings().stripe_webhook_secret)}),
                 400, "bad_request")


# --- once ----------------------------------------------------------------------------------------

def test_a_replayed_event_has_no_second_effect(client, stripe_twin):
    owner, events = _paid_events(client, stripe_twin)
    delivered(client, events)
    sub_id = stored(owner.business_id)["stripe_subscription_id"]
    failed = stripe_twin.fail_payment(sub_id)
    delivered(client, failed)
    after = stored(owner.business_id)
    assert after["state"] == "past_due"
    assert len(outbox(owner.business_id, "billing.payment_failed")) == 1

    delivered(client, failed + events)  # Stripe sends them all again
    assert stored(owner.business_id)["version"] == after["version"]
    assert len(outbox(owner.business_id, "billing.payment_failed")) == 1
    assert stripe_event(failed[0]["id"])["type"] == failed[0]["type"]


def test_an_event_whose_handling_failed_is_applied_when_stripe_sends_it_again(client, stripe_twin):
    owner, events = _paid_events(client, stripe_twin)
    paid = _of_type(events, "invoice.paid")
    stripe_twin.fail_next(500, count=2)  # the call and its one retry
    [response] = deliver(client, paid)
    error_of(response, 503, "stripe_unavailable")
    assert stripe_event(paid[0]["id"]) is None
    assert stored(owner.business_id)["state"] == "trialing"

    delivered(client, paid)
    assert stored(owner.business_id)["state"] == "active"
    assert stripe_event(paid[0]["id"])["error"] is None


# --- order -----------------------------------------------------------------------------------------

def test_updated_before_created_ends_active(client, stripe_twin):
    owner, events = _paid_events(client, stripe_twin)
    created = _of_type(events, "customer.subscription.created")
    updated = _of_type(events, "customer.subscription.updated")
    assert created[0]["data"]["object"]["status"] == "incomplete"
    delivered(client, updated + created)
    row = stored(owner.business_id)
    assert (row["state"], row["stripe_status"], row["plan"], row["business_plan"], row["business_status"]) == (
        "active", "active", "pro", "pro", "active")


def test_invoice_paid_before_checkout_completed_ends_active_with_the_invoice_mirrored(client, stripe_twin):
    owner, events = _paid_events(client, stripe_twin)
    paid = _of_type(events, "invoice.paid")
    completed = _of_type(events, "checkout.session.completed")
    delivered(client, paid)
    assert stored(owner.business_id)["state"] == "active"
    delivered(client, completed)
    row = stored(owner.business_id)
    assert (row["state"], row["billing_interval"], row["currency"], row["amount_minor"]) == ("active", "month", "GBP",
                                                                                          4200)
    invoices = body(client.http.get("/billing/invoices", headers=owner.headers))["items"]
    assert [(i["id"], i["status"]) for i in invoices] == [(paid[0]["data"]["object"]["id"], "paid")]


def test_every_order_of_the_checkout_events_ends_in_the_same_state(client, stripe_twin):
    owner, events = _paid_events(client, stripe_twin)
    delivered(client, list(reversed(events)))
    assert stored(owner.business_id)["state"] == "active"


def test_an_old_event_arriving_late_does_not_undo_a_payment(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin)
    failed = stripe_twin.fail_payment(sub_id)
    paid = stripe_twin.pay(sub_id)
    delivered(client, paid)
    delivered(client, failed)  # the failure's events come last
    row = stored(owner.business_id)
    assert (row["state"], row["past_due_since"]) == ("active", None)
    # The invoice was paid by the time its failure arrived: nobody is asked to pay it.
    assert outbox(owner.business_id, "billing.payment_failed") == []


# --- whose -----------------------------------------------------------------------------------------

def test_an_unknown_customer_is_answered_200_stored_and_changes_nothing(client, stripe_twin):
    owner = new_business(client)
    before = stored(owner.business_id)
    event = {"id": "evt_unknown_" + owner.business_id, "object": "event", "type": "customer.subscription.updated",
             "created": int(time.time()), "data": {"object": {"id": "sub_nobody", "object": "subscription",
                                                              "customer": "cus_nobody", "status": "active",
                                                              "metadata": {"business_id": owner.business_id}}}}
    delivered(client, [event])
    assert stripe_event(event["id"])["error"] == "unknown_customer"
    assert stored(owner.business_id) == before  # the metadata naming it is not trusted
    delivered(client, [event])  # and once stored, a replay does nothing either


def test_an_event_for_one_business_never_touches_another(client, stripe_twin):
    a, b = new_business(client), new_business(client)
    assert checkout(client, b).status_code == 201  # b has a Stripe customer too
    b_before = stored(b.business_id)
    a_sub = subscribe(client, a, stripe_twin)
    assert stored(a.business_id)["state"] == "active"
    assert stored(b.business_id) == b_before

    a_before = stored(a.business_id)
    # A Checkout Session of a's customer claiming to be b's.
    session = next(s for s in stripe_twin.checkout_sessions.values() if s["customer"] == customer_of(a.business_id))
    forged = {"id": "evt_forged_ref_" + a.business_id, "object": "event", "type": "checkout.session.completed",
              "created": int(time.time()),
              "data": {"object": {**session, "client_reference_id": b.business_id}}}
    # An event naming b's customer about a's subscription.
    crossed = {"id": "evt_forged_sub_" + a.business_id, "object": "event", "type": "customer.subscription.updated",
               "created": int(time.time()),
               "data": {"object": {**stripe_twin.subscriptions[a_sub], "customer": customer_of(b.business_id)}}}
    delivered(client, [forged, crossed])
    assert stored(b.business_id) == b_before
    assert stored(a.business_id) == a_before
    assert stripe_event(forged["id"])["error"] == "client_reference_mismatch"
    assert stripe_event(crossed["id"])["error"] == "other_customer"


# --- what each event does --------------------------------------------------------------------------

def test_a_failed_payment_and_one_needing_action_write_the_owner_messages(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin)
    failed = stripe_twin.fail_payment(sub_id)
    delivered(client, failed)
    invoice = _of_type(failed, "invoice.payment_failed")[0]["data"]["object"]
    assert outbox(owner.business_id, "billing.payment_failed") == [{
        "invoice_id": invoice["id"], "hosted_invoice_url": invoice["hosted_invoice_url"],
        "amount_due": {"amount": 4200, "currency": "GBP"}}]
    row = stored(owner.business_id)
    assert (row["state"], row["business_status"]) == ("past_due", "active")
    assert row["past_due_since"] is not None

    action = stripe_twin.require_action(sub_id)
    delivered(client, action)
    [message] = outbox(owner.business_id, "billing.payment_action_required")
    assert message["invoice_id"] == invoice["id"]  # the same open invoice


def test_given_up_suspends_and_paying_lifts_it_at_once(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin)
    delivered(client, stripe_twin.fail_payment(sub_id))
    delivered(client, stripe_twin.give_up(sub_id))
    row = stored(owner.business_id)
    assert (row["state"], row["suspended_by"], row["business_status"]) == ("suspended", "billing", "suspended")
    assert outbox(owner.business_id, "billing.suspended") == [{"reason": "nonpayment"}]
    delivered(client, stripe_twin.pay(sub_id))
    row = stored(owner.business_id)
    assert (row["state"], row["suspended_by"], row["business_status"]) == ("active", None, "active")


def test_cancelled_by_stripe_while_unpaid_suspends(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin)
    delivered(client, stripe_twin.fail_payment(sub_id))
    delivered(client, stripe_twin.give_up(sub_id, cancel=True))
    assert stored(owner.business_id)["state"] == "suspended"


def test_cancel_at_period_end_serves_until_the_end_then_cancelled(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin)
    delivered(client, stripe_twin.cancel_at_period_end(sub_id))
    row = stored(owner.business_id)
    assert (row["state"], row["cancel_at_period_end"], row["business_status"]) == ("active", True, "active")
    delivered(client, stripe_twin.end_period(sub_id))
    row = stored(owner.business_id)
    assert (row["state"], row["stripe_status"], row["business_status"], row["business_plan"]) == (
        "cancelled", "canceled", "expired", "pro")


def test_a_renewal_keeps_the_usage_anchor_and_moves_the_period(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin)
    first = stored(owner.business_id)
    item = stripe_twin.subscriptions[sub_id]["items"]["data"][0]
    assert first["usage_anchor"].timestamp() == item["current_period_start"]
    delivered(client, stripe_twin.end_period(sub_id))
    after = stored(owner.business_id)
    assert after["usage_anchor"] == first["usage_anchor"]
    assert after["period_start"] >= first["period_start"] and after["state"] == "active"
    assert len(body(client.http.get("/billing/invoices", headers=owner.headers))["items"]) == 2


def test_trial_will_end_writes_the_notice_once(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin, trial=True)
    row = stored(owner.business_id)
    assert (row["state"], row["stripe_status"], row["plan"]) == ("trialing", "trialing", "pro")
    delivered(client, stripe_twin.trial_will_end(sub_id))
    delivered(client, stripe_twin.trial_will_end(sub_id))  # a second notice (another event id)
    assert outbox(owner.business_id, "billing.trial_ending") == [
        {"trial_ends_at": stored(owner.business_id)["trial_ends_at"].isoformat()}]


def test_an_event_type_we_do_not_handle_is_answered_and_ignored(client):
    owner = new_business(client)
    before = stored(owner.business_id)
    event = {"id": "evt_other_" + owner.business_id, "object": "event", "type": "customer.updated",
             "created": int(time.time()), "data": {"object": {"id": "cus_x", "object": "customer"}}}
    delivered(client, [event])
    assert stripe_event(event["id"]) is None
    assert stored(owner.business_id) == before


def test_news_of_a_replaced_subscription_changes_nothing(client, stripe_twin):
    owner = new_business(client)
    old = subscribe(client, owner, stripe_twin)
    delivered(client, stripe_twin.fail_payment(old))
    ended = stripe_twin.give_up(old, cancel=True)
    delivered(client, ended)
    new = subscribe(client, owner, stripe_twin)
    before = stored(owner.business_id)
    assert (before["state"], before["stripe_subscription_id"]) == ("active", new)
    late = {**ended[0], "id": "evt_late_" + owner.business_id}  # the old one's deletion, sent again late
    delivered(client, [late])
    assert stored(owner.business_id) == before
    assert stripe_event(late["id"])["error"] == "not_the_current_subscription"


def test_sync_subscription_catches_up_with_a_lost_webhook(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin)
    stripe_twin.fail_payment(sub_id)
    stripe_twin.give_up(sub_id)  # none of their events reached us
    assert stored(owner.business_id)["state"] == "active"
    assert webhook.sync_subscription(sub_id) == "suspended"
    assert stored(owner.business_id)["stripe_status"] == "unpaid"
    assert webhook.sync_subscription("sub_nobody_has") is None
