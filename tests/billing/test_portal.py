"""POST /billing/portal-session: owners only, once the business has a Stripe customer; open in
every state (a suspended business pays its open invoice there)."""
from __future__ import annotations

import pytest

from tests.api import add_member, body, call, new_business
from tests.billing.subscribing import checkout, customer_of, delivered, stored, subscribe
from tests.checks import error_of


def _portal(client, member):
    return call(client, "POST", "/billing/portal-session", session=member)


def test_before_any_checkout_there_is_no_customer_to_manage(client, stripe_twin):
    owner = new_business(client)
    error_of(_portal(client, owner), 409, "no_customer")
    assert stripe_twin.portal_sessions == {}


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_only_an_owner_opens_the_portal(client, mail, stripe_twin, role):
    owner = new_business(client)
    assert checkout(client, owner).status_code == 201
    error_of(_portal(client, add_member(client, owner, mail, role)), 403, "forbidden")
    assert stripe_twin.portal_sessions == {}


def test_the_portal_is_the_business_s_own_customer_s(client, stripe_twin):
    owner, other = new_business(client), new_business(client)
    assert checkout(client, owner).status_code == 201
    assert checkout(client, other).status_code == 201
    response = _portal(client, owner)
    assert response.status_code == 200, response.body
    [session] = stripe_twin.portal_sessions.values()
    assert body(response) == {"url": session["url"]}
    assert session["customer"] == customer_of(owner.business_id) != customer_of(other.business_id)
    assert session["return_url"] == "http://127.0.0.1:5173/settings/billing"


def test_a_suspended_business_opens_the_portal(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin)
    delivered(client, stripe_twin.fail_payment(sub_id))
    delivered(client, stripe_twin.give_up(sub_id))
    assert stored(owner.business_id)["state"] == "suspended"
    assert _portal(client, owner).status_code == 200


def test_stripe_unreachable_is_a_503(client, stripe_twin):
    owner = new_business(client)
    assert checkout(client, owner).status_code == 201
    stripe_twin.fail_next(500, count=2)
    error_of(_portal(client, owner), 503, "stripe_unavailable")
