"""GET /billing/invoices: the business's own invoices as Stripe holds them, newest first, paged;
owners and admins only."""
from __future__ import annotations

import pytest

from tests.api import add_member, body, call, new_business
from tests.billing.subscribing import delivered, subscribe
from tests.checks import error_of, invalid_fields


def _invoices(client, member, query: str = ""):
    return call(client, "GET", f"/billing/invoices{query}", session=member)


def _items(response) -> list[dict]:
    assert response.status_code == 200, response.body
    return body(response)["items"]


def _renewed(client, twin, owner, times: int) -> str:
    sub_id = subscribe(client, owner, twin)
    for _ in range(times):
        delivered(client, twin.end_period(sub_id))
    return sub_id


def test_an_invoice_is_listed_as_stripe_holds_it(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin)
    [invoice] = _items(_invoices(client, owner))
    held = stripe_twin.invoices[stripe_twin.subscriptions[sub_id]["latest_invoice"]]
    assert invoice == {
        "id": held["id"], "number": held["number"], "status": "paid",
        "total": {"amount": 4200, "currency": "GBP"}, "amount_due": {"amount": 4200, "currency": "GBP"},
        "amount_paid": {"amount": 4200, "currency": "GBP"}, "hosted_invoice_url": held["hosted_invoice_url"],
        "invoice_pdf": held["invoice_pdf"], "period_start": invoice["period_start"],
        "period_end": invoice["period_end"], "issued_at": invoice["issued_at"]}
    assert invoice["period_start"] < invoice["period_end"]

    delivered(client, stripe_twin.fail_payment(sub_id))  # the next period's invoice, open
    renewal = stripe_twin.subscriptions[sub_id]["latest_invoice"]
    listed = {i["id"]: i for i in _items(_invoices(client, owner))}
    assert set(listed) == {invoice["id"], renewal}
    assert (listed[renewal]["status"], listed[renewal]["amount_paid"]["amount"]) == ("open", 0)


def test_pages_newest_first(client, stripe_twin):
    owner = new_business(client)
    _renewed(client, stripe_twin, owner, 2)
    everything = _items(_invoices(client, owner))
    assert len(everything) == 3
    assert [i["issued_at"] for i in everything] == sorted((i["issued_at"] for i in everything), reverse=True)

    seen, cursor = [], None
    while True:
        response = _invoices(client, owner, f"?limit=2&cursor={cursor}" if cursor else "?limit=2")
        seen += _items(response)
        cursor = body(response)["next_cursor"]
        if cursor is None:
            break
    assert [i["id"] for i in seen] == [i["id"] for i in everything]


def test_another_business_s_invoices_are_never_seen(client, stripe_twin):
    a, b = new_business(client), new_business(client)
    subscribe(client, b, stripe_twin)
    assert _items(_invoices(client, a)) == []
    assert len(_items(_invoices(client, b))) == 1


def test_an_admin_reads_them_and_staff_may_not(client, mail, stripe_twin):
    owner = new_business(client)
    subscribe(client, owner, stripe_twin)
    assert len(_items(_invoices(client, add_member(client, owner, mail, "admin")))) == 1
    error_of(_invoices(client, add_member(client, owner, mail, "staff")), 403, "forbidden")


@pytest.mark.parametrize(("query", "field"), [("?limit=0", "limit"), ("?limit=201", "limit"),
                                              ("?cursor=forged", "cursor")])
def test_a_bad_query_is_a_422(client, query, field):
    owner = new_business(client)
    assert field in invalid_fields(_invoices(client, owner, query))
