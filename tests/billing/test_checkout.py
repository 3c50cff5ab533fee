"""POST /billing/checkout-session: owners only; a valid plan, interval and currency or nothing is
stored; the Stripe customer made once per business; a retried request answers the same session."""
from __future__ import annotations

from uuid import UUID

import pytest

from chalicelib.billing import lifecycle
from chalicelib.core import db
from tests.api import add_member, body, new_business, signup
from tests.billing.subscribing import (PRO_MONTH, checkout, customer_of, delivered, last_day_of_trial, session_id,
                                       stored, subscribe)
from tests.checks import error_of, invalid_fields, rows


def _calls(twin, path: str) -> list:
    return [r for r in twin.requests if r.method == "post" and r.path == path]


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_only_an_owner_may_check_out(client, mail, stripe_twin, role):
    owner = new_business(client)
    member = add_member(client, owner, mail, role)
    error_of(checkout(client, member), 403, "forbidden")
    assert customer_of(owner.business_id) is None
    assert stripe_twin.requests == []


@pytest.mark.parametrize(("payload", "field"), [
    ({"plan": "platinum", "interval": "month"}, "plan"),
    ({"plan": "trial", "interval": "month"}, "plan"),
    ({"plan": "pro", "interval": "week"}, "interval"),
    ({"plan": "pro", "interval": "month", "currency": "CHF"}, "currency"),
    ({"plan": "pro", "interval": "month", "currency": "eur"}, "currency"),
    ({"interval": "month"}, "plan"),
    ({"plan": "pro", "interval": "month", "coupon": "FREE"}, "coupon"),
])
def test_a_bad_request_is_a_422_and_stores_nothing(client, stripe_twin, payload, field):
    owner = new_business(client)
    assert field in invalid_fields(checkout(client, owner, payload))
    assert customer_of(owner.business_id) is None
    assert stripe_twin.requests == []


def test_checkout_subscribes_the_stored_customer_to_the_plan_and_its_overage(client, stripe_twin):
    owner = new_business(client)  # sells in GBP
    response = checkout(client, owner, {"plan": "pro", "interval": "year"})
    assert response.status_code == 201, response.body
    url = body(response)["url"]
    session = stripe_twin.checkout_sessions[session_id(url)]
    assert url == session["url"]
    customer = customer_of(owner.business_id)
    assert customer is not None and stripe_twin.customers[customer]["metadata"] == {"business_id": owner.business_id}
    assert (session["customer"], session["client_reference_id"], session["currency"]) == (
        customer, owner.business_id, "gbp")
    assert session["success_url"] == "http://127.0.0.1:5173/settings/billing?checkout=success"
    assert session["cancel_url"] == "http://127.0.0.1:5173/settings/billing?checkout=cancelled"
    [sent] = _calls(stripe_twin, "/v1/checkout/sessions")
    lines = sent.params["line_items"]
    assert [stripe_twin.prices[line["price"]]["lookup_key"] for line in lines][0] == "pro.year.GBP"
    metered = {stripe_twin.prices[line["price"]]["recurring"]["meter"] for line in lines[1:]}
    assert metered == {"mtr_twin_bookings", "mtr_twin_messages_whatsapp"}  # Pro bills both past its allowance
    assert stored(owner.business_id)["state"] == "trialing"  # nothing changes until Stripe says it is paid


def test_the_currency_defaults_to_the_business_s_or_euros(client, stripe_twin):
    swiss = signup(client, currency="CHF")
    response = checkout(client, swiss, {"plan": "basic", "interval": "month"})
    assert response.status_code == 201, response.body
    assert stripe_twin.checkout_sessions[session_id(body(response)["url"])]["currency"] == "eur"
    chosen = checkout(client, swiss, {"plan": "basic", "interval": "month", "currency": "USD"})
    assert stripe_twin.checkout_sessions[session_id(body(chosen)["url"])]["currency"] == "usd"


def test_the_same_idempotency_key_answers_the_same_session_with_one_stripe_call(client, stripe_twin):
    owner = new_business(client)
    first = checkout(client, owner, key="checkout-1")
    again = checkout(client, owner, key="checkout-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert body(first) == body(again)
    assert len(_calls(stripe_twin, "/v1/checkout/sessions")) == 1
    other = checkout(client, owner, key="checkout-2")
    assert body(other)["url"] != body(first)["url"]


def test_the_customer_is_created_once(client, stripe_twin):
    owner = new_business(client)
    for _ in range(3):
        assert checkout(client, owner).status_code == 201
    assert len(_calls(stripe_twin, "/v1/customers")) == 1
    assert len(stripe_twin.customers) == 1
    assert {s["customer"] for s in stripe_twin.checkout_sessions.values()} == {customer_of(owner.business_id)}


def test_stripe_unreachable_is_a_503_and_stores_no_customer(client, stripe_twin):
    owner = new_business(client)
    stripe_twin.fail_next(500, count=2)  # the call and its retry
    error_of(checkout(client, owner), 503, "stripe_unavailable")
    assert customer_of(owner.business_id) is None
    assert checkout(client, owner).status_code == 201


def test_a_going_subscription_is_a_409(client, stripe_twin):
    owner = new_business(client)
    subscribe(client, owner, stripe_twin)
    sessions = len(stripe_twin.checkout_sessions)
    error_of(checkout(client, owner, {"plan": "enterprise", "interval": "year"}), 409, "already_subscribed")
    assert len(stripe_twin.checkout_sessions) == sessions
    # Past due is still going (the owner pays in the portal).
    sub_id = stored(owner.business_id)["stripe_subscription_id"]
    delivered(client, stripe_twin.fail_payment(sub_id))
    error_of(checkout(client, owner), 409, "already_subscribed")


def test_a_stripe_trial_is_going_too(client, stripe_twin):
    owner = new_business(client)
    subscribe(client, owner, stripe_twin, trial=True)
    error_of(checkout(client, owner), 409, "already_subscribed")


def test_an_expired_business_may_check_out_and_is_active_once_paid(client, stripe_twin):
    owner = new_business(client)
    rows(owner.business_id, "UPDATE subscriptions SET trial_ends_at = now() - interval '1 day' RETURNING state")
    with db.tenant_tx(UUID(owner.business_id)) as tx:
        assert lifecycle.expire_trial(tx, UUID(owner.business_id))
    subscribe(client, owner, stripe_twin, {"plan": "basic", "interval": "month"})
    row = stored(owner.business_id)
    assert (row["state"], row["plan"], row["business_status"]) == ("active", "basic", "active")


def test_a_business_suspended_for_nonpayment_may_check_out_again(client, stripe_twin):
    owner = new_business(client)
    first = subscribe(client, owner, stripe_twin)
    delivered(client, stripe_twin.fail_payment(first))
    delivered(client, stripe_twin.give_up(first, cancel=True))
    assert stored(owner.business_id)["state"] == "suspended"
    second = subscribe(client, owner, stripe_twin, PRO_MONTH)
    row = stored(owner.business_id)
    assert (row["state"], row["stripe_subscription_id"], row["business_status"]) == ("active", second, "active")
    assert len(stripe_twin.customers) == 1


def test_subscribing_during_the_trial_keeps_its_remaining_days_and_charges_nothing_yet(client, stripe_twin):
    owner = new_business(client)
    trial_ends = stored(owner.business_id)["trial_ends_at"]
    response = checkout(client, owner)
    assert response.status_code == 201, response.body
    sid = session_id(body(response)["url"])
    [sent] = _calls(stripe_twin, "/v1/checkout/sessions")
    assert int(sent.params["subscription_data"]["trial_end"]) == int(trial_ends.timestamp())

    delivered(client, stripe_twin.complete_checkout(sid))
    row = stored(owner.business_id)
    assert (row["state"], row["stripe_status"], row["plan"]) == ("trialing", "trialing", "pro")
    assert int(row["trial_ends_at"].timestamp()) == int(trial_ends.timestamp())
    assert [i["amount_paid"] for i in stripe_twin.invoices.values()] == [0]


def test_a_trial_too_close_to_its_end_for_stripe_is_charged_at_once(client, stripe_twin):
    owner = new_business(client)
    last_day_of_trial(owner.business_id)
    response = checkout(client, owner)
    assert response.status_code == 201, response.body
    [sent] = _calls(stripe_twin, "/v1/checkout/sessions")
    assert "trial_end" not in sent.params["subscription_data"]  # Stripe refuses one under 48 hours ahead
