"""GET /billing/usage: this billing period, and per meter what was used, what the plan includes and
the overage billed so far."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from chalicelib.billing import usage
from tests.api import add_member, body, call, new_business, signup
from tests.billing.plan_helpers import override, set_plan
from tests.checks import rows


def read(client, session):
    response = call(client, "GET", "/billing/usage", session=session)
    assert response.status_code == 200, response.body
    return body(response)


def meters(answer):
    return {m["meter"]: m for m in answer["meters"]}


def anchor_of(business_id: str) -> datetime:
    return rows(business_id, "SELECT usage_anchor FROM subscriptions")[0]["usage_anchor"]


def set_anchor(business_id: str, anchor: datetime, *, currency: str | None = None) -> None:
    rows(business_id, "UPDATE subscriptions SET usage_anchor = :anchor, currency = :currency RETURNING business_id",
         anchor=anchor, currency=currency)


def seed(business_id: str, period_start: datetime, **used: int) -> None:
    for meter, count in used.items():
        rows(business_id, """INSERT INTO usage_counters (business_id, meter, period_start, used)
                             VALUES (CAST(:bid AS uuid), :meter, :start, :used) RETURNING used""",
             bid=business_id, meter=meter, start=period_start, used=count)


def this_period(business_id: str) -> datetime:
    return usage.period_start(anchor_of(business_id), datetime.now(timezone.utc))


def test_a_new_business_has_used_nothing_in_its_first_period(client):
    owner = new_business(client)
    anchor = anchor_of(owner.business_id)

    answer = read(client, owner)

    assert answer["period"] == {"start": anchor.isoformat(), "end": usage.period_end(anchor, anchor).isoformat()}
    # A trial has Pro's allowances and bills nothing past them.
    assert answer["meters"] == [
        {"meter": "bookings", "used": 0, "included": 2000, "overage": 0, "overage_price": None},
        {"meter": "messages_email", "used": 0, "included": None, "overage": 0, "overage_price": None},
        {"meter": "messages_whatsapp", "used": 0, "included": 500, "overage": 0, "overage_price": None},
    ]


def test_pro_bills_what_goes_past_the_allowance_at_its_price(client):
    owner = new_business(client)
    set_plan(owner.business_id, "pro")
    set_anchor(owner.business_id, anchor_of(owner.business_id), currency="EUR")
    seed(owner.business_id, this_period(owner.business_id), bookings=2010, messages_whatsapp=503, messages_email=4000)

    answer = meters(read(client, owner))

    assert answer["bookings"] == {"meter": "bookings", "used": 2010, "included": 2000, "overage": 10,
                                  "overage_price": {"amount": 5, "currency": "EUR"}}
    assert answer["messages_whatsapp"] == {"meter": "messages_whatsapp", "used": 503, "included": 500, "overage": 3,
                                           "overage_price": {"amount": 8, "currency": "EUR"}}
    # E-mails are counted and never limited.
    assert answer["messages_email"] == {"meter": "messages_email", "used": 4000, "included": None, "overage": 0,
                                        "overage_price": None}


def test_within_the_allowance_there_is_no_overage(client):
    owner = new_business(client)
    set_plan(owner.business_id, "pro")
    seed(owner.business_id, this_period(owner.business_id), bookings=2000)

    assert meters(read(client, owner))["bookings"]["overage"] == 0


def test_a_plan_without_overage_bills_none_past_its_allowance(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")
    seed(owner.business_id, this_period(owner.business_id), bookings=310)

    assert meters(read(client, owner))["bookings"] == {"meter": "bookings", "used": 310, "included": 300,
                                                       "overage": 0, "overage_price": None}


def test_an_overridden_allowance_is_the_one_included(client):
    owner = new_business(client)
    set_plan(owner.business_id, "pro")
    override(owner.business_id, "messages_per_month", 1000)
    seed(owner.business_id, this_period(owner.business_id), messages_whatsapp=1200)

    assert meters(read(client, owner))["messages_whatsapp"]["included"] == 1000
    assert meters(read(client, owner))["messages_whatsapp"]["overage"] == 200


def test_only_this_periods_counts_are_read_and_the_period_follows_the_anchor(client):
    owner = new_business(client)
    now = datetime.now(timezone.utc)
    anchor = (now - timedelta(days=75)).replace(microsecond=0)
    set_anchor(owner.business_id, anchor)
    start, end = usage.period_start(anchor, now), usage.period_end(anchor, now)
    previous = usage.period_start(anchor, start - timedelta(seconds=1))
    seed(owner.business_id, previous, bookings=90)
    seed(owner.business_id, start, bookings=7)

    answer = read(client, owner)

    assert answer["period"] == {"start": start.isoformat(), "end": end.isoformat()}
    assert start <= now < end and start > anchor
    assert meters(answer)["bookings"]["used"] == 7


def test_overage_is_priced_in_the_businesss_currency_before_it_subscribes(client):
    pounds = new_business(client)  # GBP
    dollars_aud = signup(client, currency="AUD")
    for owner in (pounds, dollars_aud):
        set_plan(owner.business_id, "pro")

    assert meters(read(client, pounds))["bookings"]["overage_price"] == {"amount": 5, "currency": "GBP"}
    # A currency we do not sell in: euros.
    assert meters(read(client, dollars_aud))["messages_whatsapp"]["overage_price"] == {"amount": 8, "currency": "EUR"}


def test_any_member_reads_the_usage(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    seed(owner.business_id, this_period(owner.business_id), bookings=3)

    assert meters(read(client, staff))["bookings"]["used"] == 3


def test_another_businesss_usage_never_shows(client):
    a, b = new_business(client), new_business(client)
    seed(b.business_id, this_period(b.business_id), bookings=40, messages_email=12)
    # The same period start for both, so only the tenant tells the rows apart.
    set_anchor(a.business_id, anchor_of(b.business_id))

    answer = read(client, a)

    assert all(m["used"] == 0 for m in answer["meters"])
    assert meters(read(client, b))["bookings"]["used"] == 40


def test_the_overage_rule():
    assert usage.meter_overage(12, 10, True) == 2
    assert usage.meter_overage(9, 10, True) == 0
    assert usage.meter_overage(12, 10, False) == 0
    assert usage.meter_overage(12, None, True) == 0
