"""GET /billing/plans: the catalogue on offer, answered from the one declaration in ``billing/plans.py``."""
from __future__ import annotations

from chalicelib.billing import plans
from tests.api import add_member, body, call, new_business

CURRENCIES = {"EUR", "GBP", "USD"}


def catalogue(client, session):
    response = call(client, "GET", "/billing/plans", session=session)
    assert response.status_code == 200, response.body
    return body(response)["items"]


def test_every_plan_on_offer_is_listed_cheapest_first_and_the_trial_is_not(client):
    owner = new_business(client)

    items = catalogue(client, owner)

    assert [item["key"] for item in items] == ["basic", "pro", "enterprise"]
    assert [item["name"] for item in items] == ["Basic", "Pro", "Enterprise"]


def test_every_plan_has_a_monthly_and_a_yearly_price_in_each_currency(client):
    owner = new_business(client)

    for item in catalogue(client, owner):
        prices = {(p["interval"], p["price"]["currency"]): p["price"]["amount"] for p in item["prices"]}
        assert len(item["prices"]) == 6, item["key"]
        assert set(prices) == {(i, c) for i in ("month", "year") for c in CURRENCIES}
        for currency in CURRENCIES:
            # A year costs ten months.
            assert prices["year", currency] == 10 * prices["month", currency] > 0


def test_the_catalogue_is_the_declaration(client):
    owner = new_business(client)

    items = {item["key"]: item for item in catalogue(client, owner)}

    for key, item in items.items():
        plan = plans.PLANS[key]
        assert {(p["interval"], p["price"]["currency"]): p["price"]["amount"] for p in item["prices"]} == dict(plan.prices)
        assert item["limits"] == dict(plan.limits)
        assert {name for name, on in item["features"].items() if on} == set(plan.features)
        assert set(item["features"]) == set(plans.FEATURES)
        assert {(o["meter"], o["price"]["currency"]): o["price"]["amount"] for o in item["overage"]} == {
            (meter, currency): amount for meter, prices in plan.overage.items() for currency, amount in prices.items()}


def test_what_each_plan_allows(client):
    owner = new_business(client)

    items = {item["key"]: item for item in catalogue(client, owner)}

    assert items["basic"]["limits"] == {"staff": 2, "locations": 1, "bookings_per_month": 300, "messages_per_month": 0}
    assert items["basic"]["overage"] == []
    assert items["basic"]["prices"][0] == {"interval": "month", "price": {"amount": 1900, "currency": "EUR"}}
    assert items["pro"]["features"]["whatsapp"] and not items["basic"]["features"]["whatsapp"]
    assert {o["meter"] for o in items["pro"]["overage"]} == {"bookings", "messages_whatsapp"}
    assert items["enterprise"]["limits"]["staff"] is None
    assert all(items["enterprise"]["features"].values())


def test_any_member_reads_the_catalogue(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")

    assert catalogue(client, staff) == catalogue(client, owner)


def test_the_trial_has_pros_features_and_limits_and_bills_no_overage():
    assert plans.TRIAL.features == plans.PRO.features
    assert dict(plans.TRIAL.limits) == dict(plans.PRO.limits)
    assert not plans.TRIAL.overage and not plans.TRIAL.purchasable
    assert set(plans.LADDER) == {key for key, p in plans.PLANS.items() if p.purchasable}
