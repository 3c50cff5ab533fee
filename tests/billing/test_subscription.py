"""GET /billing/subscription: each lifecycle state as the SPA's billing page and banners see it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import UUID

from chalicelib.billing import lifecycle
from chalicelib.core import db
from tests.api import add_member, new_business
from tests.billing.subscribing import checkout, delivered, stored, subscribe, subscription
from tests.checks import rows

TRIAL = {"plan": "trial", "status": "trialing", "trial_days_left": 14, "billing_interval": None, "currency": None,
         "amount": None, "current_period": None, "cancel_at_period_end": False, "past_due_since": None,
         "suspended_by": None, "suspended_reason": None, "has_customer": False}


def _in_tenant(bid: str, action, *args):
    with db.tenant_tx(UUID(bid)) as tx:
        return action(tx, UUID(bid), *args)


def test_a_new_business_is_on_its_trial_and_every_member_sees_it(client, mail):
    owner = new_business(client)
    state = subscription(client, owner)
    assert {k: v for k, v in state.items() if k != "trial_ends_at"} == TRIAL
    left = datetime.fromisoformat(state["trial_ends_at"]) - datetime.now(timezone.utc)
    assert timedelta(days=13, hours=23) < left <= timedelta(days=14)
    assert subscription(client, add_member(client, owner, mail, "staff")) == state
    # Checking out (not paid yet) only gives it a customer.
    assert checkout(client, owner).status_code == 201
    assert subscription(client, owner) == {**state, "has_customer": True}


def test_the_days_left_count_down_and_round_up(client):
    owner = new_business(client)
    rows(owner.business_id, "UPDATE subscriptions SET trial_ends_at = now() + interval '2 days 1 hour' RETURNING state")
    assert subscription(client, owner)["trial_days_left"] == 3
    rows(owner.business_id, "UPDATE subscriptions SET trial_ends_at = now() + interval '5 minutes' RETURNING state")
    assert subscription(client, owner)["trial_days_left"] == 1


def test_active(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin, {"plan": "basic", "interval": "year", "currency": "EUR"})
    item = stripe_twin.subscriptions[sub_id]["items"]["data"][0]
    state = subscription(client, owner)
    assert state | {"trial_ends_at": None} == {
        "plan": "basic", "status": "active", "trial_ends_at": None, "trial_days_left": None,
        "billing_interval": "year", "currency": "EUR", "amount": {"amount": 19000, "currency": "EUR"},
        "current_period": {"start": state["current_period"]["start"], "end": state["current_period"]["end"]},
        "cancel_at_period_end": False, "past_due_since": None, "suspended_by": None, "suspended_reason": None,
        "has_customer": True}
    assert datetime.fromisoformat(state["current_period"]["end"]).timestamp() == item["current_period_end"]


def test_a_stripe_trial_taken_from_ours(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin, trial=True)
    state = subscription(client, owner)
    assert (state["status"], state["plan"], state["trial_days_left"]) == ("trialing", "pro", 14)
    assert datetime.fromisoformat(state["trial_ends_at"]).timestamp() == stripe_twin.subscriptions[sub_id]["trial_end"]


def test_past_due_then_suspended_by_billing(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin)
    delivered(client, stripe_twin.fail_payment(sub_id))
    state = subscription(client, owner)
    assert state["status"] == "past_due" and state["past_due_since"] is not None
    delivered(client, stripe_twin.give_up(sub_id))
    state = subscription(client, owner)
    assert (state["status"], state["suspended_by"], state["suspended_reason"], state["past_due_since"]) == (
        "suspended", "billing", "nonpayment", None)


def test_suspended_by_an_operator(client):
    owner = new_business(client)
    _in_tenant(owner.business_id, lifecycle.suspend_by_operator, "Terms of service, section 4")
    state = subscription(client, owner)
    assert (state["status"], state["suspended_by"], state["suspended_reason"], state["trial_days_left"]) == (
        "suspended", "operator", "Terms of service, section 4", None)


def test_expired(client):
    owner = new_business(client)
    rows(owner.business_id, "UPDATE subscriptions SET trial_ends_at = now() - interval '1 hour' RETURNING state")
    assert _in_tenant(owner.business_id, lifecycle.expire_trial)
    state = subscription(client, owner)
    assert (state["plan"], state["status"], state["trial_days_left"]) == ("trial", "expired", None)


def test_set_to_cancel_then_cancelled(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin)
    delivered(client, stripe_twin.cancel_at_period_end(sub_id))
    assert (subscription(client, owner)["status"], subscription(client, owner)["cancel_at_period_end"]) == (
        "active", True)
    delivered(client, stripe_twin.end_period(sub_id))
    state = subscription(client, owner)
    assert (state["status"], state["plan"], state["cancel_at_period_end"]) == ("cancelled", "pro", True)
    assert stored(owner.business_id)["business_status"] == "expired"


def test_another_business_s_subscription_is_not_shown(client, stripe_twin):
    a, b = new_business(client), new_business(client)
    subscribe(client, b, stripe_twin)
    assert subscription(client, a)["status"] == "trialing"
    assert subscription(client, b)["status"] == "active"
