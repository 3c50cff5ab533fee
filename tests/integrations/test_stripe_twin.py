"""The Stripe twin's scenarios: the events Stripe would send as a subscription lives, each a snapshot
of its object then, in Stripe's shapes for API version 2026-10-28.endive."""
from __future__ import annotations

import time
import uuid

import pytest

from chalicelib.integrations import stripe
from chalicelib.integrations import stripe_twin as twin_module


def subscribe(twin, *, trial: bool = False, plan: str = "pro", interval: str = "month") -> tuple[str, list[dict]]:
    business_id = uuid.uuid4()
    customer_id = stripe.create_customer(business_id=business_id, email=None, name="Ana")
    session = stripe.create_checkout_session(
        customer_id=customer_id, price_id=stripe.price_for(plan, interval, "EUR"),
        metered_price_ids=[stripe.metered_price_for("bookings", "EUR")], business_id=business_id,
        success_url="http://127.0.0.1:5173/ok", cancel_url="http://127.0.0.1:5173/no",
        idempotency_key=f"checkout-{business_id}")
    events = twin.complete_checkout(session["id"], trial=trial)
    return events[0]["data"]["object"]["id"], events


def kinds(events: list[dict]) -> list[tuple[str, str | None]]:
    return [(e["type"], e["data"]["object"].get("status")) for e in events]


def test_a_paid_checkout_sends_the_events_stripe_sends_each_object_as_it_was(stripe_twin):
    subscription_id, events = subscribe(stripe_twin)

    assert kinds(events) == [("customer.subscription.created", "incomplete"), ("invoice.finalized", "open"),
                             ("invoice.paid", "paid"), ("customer.subscription.updated", "active"),
                             ("checkout.session.completed", "complete")]
    assert all(e["api_version"] == "2026-10-28.endive" and e["object"] == "event" and e["id"].startswith("evt_")
               for e in events)
    created = [e["created"] for e in events]
    assert created == sorted(set(created))  # strictly increasing
    assert events[3]["data"]["previous_attributes"] == {"status": "incomplete"}
    session = events[-1]["data"]["object"]
    assert session["subscription"] == subscription_id and session["payment_status"] == "paid"
    invoice = events[2]["data"]["object"]
    assert invoice["billing_reason"] == "subscription_create" and invoice["amount_paid"] == 4900
    assert invoice["parent"]["subscription_details"]["subscription"] == subscription_id
    item = events[3]["data"]["object"]["items"]["data"][0]
    assert item["quantity"] == 1 and item["current_period_start"] <= time.time() < item["current_period_end"]
    assert "quantity" not in events[3]["data"]["object"]["items"]["data"][1]  # the metered item
    assert stripe.retrieve_subscription(subscription_id)["status"] == "active"


def test_a_trial_checkout_charges_nothing_until_the_trial_ends(stripe_twin):
    subscription_id, events = subscribe(stripe_twin, trial=True)

    assert kinds(events) == [("customer.subscription.created", "trialing"), ("invoice.finalized", "open"),
                             ("invoice.paid", "paid"), ("checkout.session.completed", "complete")]
    sub = events[0]["data"]["object"]
    assert sub["trial_end"] - sub["trial_start"] == 14 * 86400
    assert events[2]["data"]["object"]["amount_paid"] == 0
    assert events[-1]["data"]["object"]["payment_status"] == "no_payment_required"
    assert kinds(stripe_twin.trial_will_end(subscription_id)) == [
        ("customer.subscription.trial_will_end", "trialing")]

    renewal = stripe_twin.end_period(subscription_id)

    assert kinds(renewal) == [("customer.subscription.updated", "active"), ("invoice.finalized", "open"),
                              ("invoice.paid", "paid")]
    assert renewal[0]["data"]["previous_attributes"]["status"] == "trialing"
    assert renewal[2]["data"]["object"]["amount_paid"] == 4900


def test_failure_past_due_retries_run_out_then_paid(stripe_twin):
    subscription_id, _ = subscribe(stripe_twin)

    failed = stripe_twin.fail_payment(subscription_id)
    assert kinds(failed) == [("customer.subscription.updated", "active"), ("invoice.finalized", "open"),
                             ("invoice.payment_failed", "open"), ("customer.subscription.updated", "past_due")]
    invoice = failed[2]["data"]["object"]
    assert invoice["billing_reason"] == "subscription_cycle" and invoice["attempt_count"] == 1
    assert invoice["next_payment_attempt"] > time.time()

    again = stripe_twin.fail_payment(subscription_id)  # a Smart Retry fails: same invoice, no status change
    assert kinds(again) == [("invoice.payment_failed", "open")]
    assert again[0]["data"]["object"]["id"] == invoice["id"] and again[0]["data"]["object"]["attempt_count"] == 2

    assert kinds(stripe_twin.give_up(subscription_id)) == [("customer.subscription.updated", "unpaid")]
    assert stripe.retrieve_invoice(invoice["id"])["next_payment_attempt"] is None

    paid = stripe_twin.pay(subscription_id)
    assert kinds(paid) == [("invoice.paid", "paid"), ("customer.subscription.updated", "active")]
    assert paid[1]["data"]["previous_attributes"] == {"status": "unpaid"}
    with pytest.raises(ValueError):
        stripe_twin.pay(subscription_id)  # nothing open any more


def test_an_authentication_request_leaves_the_subscription_past_due(stripe_twin):
    subscription_id, _ = subscribe(stripe_twin)

    events = stripe_twin.require_action(subscription_id)

    assert kinds(events)[-2:] == [("invoice.payment_action_required", "open"),
                                  ("customer.subscription.updated", "past_due")]
    assert events[-2]["data"]["object"]["hosted_invoice_url"].startswith("https://invoice.stripe.com/i/")


def test_retries_running_out_can_cancel_instead(stripe_twin):
    subscription_id, _ = subscribe(stripe_twin)
    stripe_twin.fail_payment(subscription_id)

    events = stripe_twin.give_up(subscription_id, cancel=True)

    assert kinds(events) == [("customer.subscription.deleted", "canceled")]
    sub = events[0]["data"]["object"]
    assert sub["cancellation_details"]["reason"] == "payment_failed" and not sub["cancel_at_period_end"]


def test_a_cancellation_at_period_end_ends_in_deleted(stripe_twin):
    subscription_id, _ = subscribe(stripe_twin, plan="basic", interval="year")

    [cancelled] = stripe_twin.cancel_at_period_end(subscription_id)
    end = cancelled["data"]["object"]["items"]["data"][0]["current_period_end"]
    assert cancelled["data"]["object"]["cancel_at"] == end and end - time.time() > 364 * 86400
    assert cancelled["data"]["previous_attributes"]["cancel_at_period_end"] is False

    [deleted] = stripe_twin.end_period(subscription_id)

    assert deleted["type"] == "customer.subscription.deleted"
    assert deleted["data"]["object"]["status"] == "canceled" and deleted["data"]["object"]["cancel_at_period_end"]
    assert stripe.retrieve_subscription(subscription_id)["ended_at"] is not None
    with pytest.raises(ValueError):
        stripe_twin.fail_payment(subscription_id)


def test_a_renewal_starts_the_next_period_now(stripe_twin):
    subscription_id, events = subscribe(stripe_twin)
    first = events[0]["data"]["object"]["items"]["data"][0]

    renewal = stripe_twin.end_period(subscription_id)

    item = renewal[0]["data"]["object"]["items"]["data"][0]
    assert item["current_period_start"] >= first["current_period_start"]
    assert renewal[0]["data"]["previous_attributes"]["items"]["data"][0]["current_period_end"] == \
        first["current_period_end"]
    assert renewal[-1]["data"]["object"]["billing_reason"] == "subscription_cycle"
    assert renewal[-1]["data"]["object"]["number"].endswith("-0002")


def test_an_unknown_subscription_is_an_error_of_the_test(stripe_twin):
    with pytest.raises(KeyError):
        stripe_twin.fail_payment("sub_unknown")
    with pytest.raises(KeyError):
        stripe_twin.complete_checkout("cs_unknown")


def test_each_test_gets_a_fresh_twin_behind_the_client(stripe_twin):
    assert stripe_twin.customers == {} and twin_module.active() is stripe_twin
    stripe.create_customer(business_id=uuid.uuid4(), email=None, name="Ana")
    assert len(stripe_twin.customers) == 1


def test_the_signature_matches_the_sdks_own_helper():
    import stripe as sdk

    payload = b'{"id":"evt_1"}'
    expected = sdk.WebhookSignature.generate_signature_header(payload.decode(), "whsec_x", 1764633600)

    assert twin_module.sign(payload, "whsec_x", 1764633600) == expected
