"""GET /admin/tenants and GET /admin/tenants/{business_id}: every tenant, found by a search over name,
slug and owner e-mail and by plan, status and state, a page at a time; one tenant's subscription
mirror, effective features, overrides, counts, usage and recent actions."""
from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from tests.admin.helpers import operator, put_features, suspend, tenant
from tests.api import Session, body, call, new_business, signup, unique_email
from tests.checks import error_of, invalid_fields, rows


def _list(client: Any, admin: Session, **query: Any) -> Any:
    return call(client, "GET", "/admin/tenants?" + urlencode(query), session=admin)


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.body
    return [item["id"] for item in body(response)["items"]]


def _all_pages(client: Any, admin: Session, **query: Any) -> list[str]:
    found, cursor = [], None
    while True:
        answer = body(_list(client, admin, **query, **({"cursor": cursor} if cursor else {})))
        found += [item["id"] for item in answer["items"]]
        cursor = answer["next_cursor"]
        if cursor is None:
            return found


def _use(business_id: str, meter: str, used: int) -> None:
    """The tenant's counter for this usage period, as the booking and sending statements leave it."""
    rows(business_id, "INSERT INTO usage_counters (business_id, meter, period_start, used) "
         "SELECT business_id, :meter, billing_period_start(usage_anchor, now()), :used FROM subscriptions "
         "WHERE business_id = CAST(:bid AS uuid) RETURNING used", bid=business_id, meter=meter, used=used)


def test_an_operator_sees_every_tenant_with_its_owner_plan_status_and_usage_this_period(client):
    admin = operator(client)
    word = uuid.uuid4().hex[:8]
    email = unique_email(f"owner-{word}")
    other = signup(client, business_name=f"Salon {word}", email=email)
    _use(other.business_id, "bookings", 7)
    _use(other.business_id, "messages_whatsapp", 2)

    (item,) = body(_list(client, admin, q=word))["items"]

    assert item == {"id": other.business_id, "name": f"Salon {word}", "slug": item["slug"], "plan": "trial",
                    "status": "active", "state": "trialing", "created_at": item["created_at"],
                    "owner": {"user_id": other.user_id, "email": email, "name": "Olive Owner"},
                    "usage": {"bookings": 7, "messages_email": 0, "messages_whatsapp": 2}}


def test_the_search_reads_name_slug_and_owner_email_case_insensitively_and_wildcards_literally(client):
    admin = operator(client)
    word = uuid.uuid4().hex[:8]
    by_name = signup(client, business_name=f"Studio {word.upper()}")
    by_email = signup(client, email=unique_email(f"x{word}y"))
    slug = body(call(client, "GET", "/business", session=new_business(client)))["slug"]
    by_slug_owner = new_business(client)
    answer = call(client, "PATCH", "/business", {"slug": f"shop-{word}"}, session=by_slug_owner)
    assert answer.status_code == 200, answer.body

    assert set(_ids(_list(client, admin, q=word))) == {by_name.business_id, by_email.business_id,
                                                       by_slug_owner.business_id}
    assert _ids(_list(client, admin, q=f"shop-{word}")) == [by_slug_owner.business_id]
    assert _ids(_list(client, admin, q=slug)) != []
    assert _ids(_list(client, admin, q=f"{word[:3]}%{word[4:]}")) == []
    assert _ids(_list(client, admin, q=f"{word[:3]}_{word[4:]}")) == []


def test_filters_by_plan_status_and_state(client):
    admin = operator(client)
    word = uuid.uuid4().hex[:8]
    trial, paid, held = (signup(client, business_name=f"Filter {word} {n}") for n in range(3))
    rows(paid.business_id, "UPDATE businesses SET plan = 'pro' WHERE id = CAST(:bid AS uuid) RETURNING id",
         bid=paid.business_id)
    rows(paid.business_id, "UPDATE subscriptions SET plan = 'pro', state = 'past_due' "
         "WHERE business_id = CAST(:bid AS uuid) RETURNING state", bid=paid.business_id)
    assert suspend(client, admin, held.business_id).status_code == 200

    assert _ids(_list(client, admin, q=word, plan="pro")) == [paid.business_id]
    assert _ids(_list(client, admin, q=word, plan="trial", status="active")) == [trial.business_id]
    assert _ids(_list(client, admin, q=word, status="suspended")) == [held.business_id]
    assert _ids(_list(client, admin, q=word, state="past_due")) == [paid.business_id]
    assert _ids(_list(client, admin, q=word, plan="enterprise")) == []


def test_pages_walk_every_tenant_newest_first_without_repeats(client):
    admin = operator(client)
    word = uuid.uuid4().hex[:8]
    made = [signup(client, business_name=f"Page {word} {n}").business_id for n in range(5)]

    assert _all_pages(client, admin, q=word, limit=2) == made[::-1]
    assert len(_all_pages(client, admin, limit=200)) >= 6  # the operator's own business and every other


def test_bad_queries_are_422_naming_the_field(client):
    admin = operator(client)

    for query, field in (({"plan": "gold"}, "plan"), ({"status": "paused"}, "status"), ({"state": "late"}, "state"),
                         ({"limit": 0}, "limit"), ({"limit": 201}, "limit"), ({"cursor": "forged"}, "cursor"),
                         ({"q": "x" * 121}, "q")):
        assert field in invalid_fields(_list(client, admin, **query)), query


def test_a_tenants_page_shows_its_subscription_features_overrides_counts_usage_and_actions(client):
    admin = operator(client)
    other = new_business(client)
    bid = other.business_id
    rows(bid, "UPDATE businesses SET plan = 'basic' WHERE id = CAST(:bid AS uuid) RETURNING id", bid=bid)
    rows(bid, "UPDATE subscriptions SET state = 'active', plan = 'basic', billing_interval = 'year', currency = 'EUR', "
         "amount_minor = 19000, mrr_minor = 1583, stripe_customer_id = :cus, stripe_subscription_id = :sub, "
         "stripe_status = 'active', period_start = now(), period_end = now() + interval '1 year' "
         "WHERE business_id = CAST(:bid AS uuid) RETURNING state",
         bid=bid, cus=f"cus_{bid[:8]}", sub=f"sub_{bid[:8]}")
    rows(bid, "INSERT INTO staff (business_id, name) VALUES (CAST(:bid AS uuid), 'On'), (CAST(:bid AS uuid), 'Off') "
         "RETURNING id", bid=bid)
    rows(bid, "UPDATE staff SET active = false WHERE name = 'Off' RETURNING id")
    rows(bid, "INSERT INTO locations (business_id, name, time_zone, archived_at) VALUES "
         "(CAST(:bid AS uuid), 'Main', 'Europe/London', NULL), (CAST(:bid AS uuid), 'Old', 'Europe/London', now()) "
         "RETURNING id", bid=bid)
    _use(bid, "bookings", 3)
    answer = put_features(client, admin, bid, [{"feature": "whatsapp", "value": True, "reason": "Pilot"}])
    assert answer.status_code == 200, answer.body

    page = tenant(client, admin, bid)

    assert page["subscription"] == {
        "state": "active", "billing_interval": "year", "amount": {"amount": 19000, "currency": "EUR"},
        "mrr": {"amount": 1583, "currency": "EUR"}, "stripe_customer_id": f"cus_{bid[:8]}",
        "stripe_subscription_id": f"sub_{bid[:8]}", "stripe_status": "active",
        "trial_ends_at": page["subscription"]["trial_ends_at"],
        "current_period": page["subscription"]["current_period"],
        "cancel_at_period_end": False, "past_due_since": None, "suspended_by": None, "suspended_reason": None,
        "synced_at": None}
    assert page["subscription"]["current_period"]["start"] < page["subscription"]["current_period"]["end"]
    assert page["entitlements"]["plan"] == "basic"
    assert page["entitlements"]["features"]["whatsapp"] is True  # Basic has it off: the override
    assert page["entitlements"]["features"]["campaigns"] is False
    assert page["entitlements"]["limits"]["staff"] == 2
    assert [(o["feature"], o["value"], o["reason"], o["set_by"]) for o in page["overrides"]] == [
        ("whatsapp", True, "Pilot", {"user_id": admin.user_id, "email": admin.email})]
    assert page["counts"] == {"staff": 1, "locations": 1, "members": 1}
    assert page["usage"] == {"bookings": 3, "messages_email": 0, "messages_whatsapp": 0}
    assert {m["meter"]: m["used"] for m in page["period_usage"]["meters"]} == {
        "bookings": 3, "messages_email": 0, "messages_whatsapp": 0}
    assert [(a["action"], a["reason"], a["actor"]["user_id"]) for a in page["recent_actions"]] == [
        ("features", "Pilot customer", admin.user_id)]
    assert page["owner"]["user_id"] == other.user_id


def test_an_unknown_or_malformed_tenant_is_not_found(client):
    admin = operator(client)

    for path in (f"/admin/tenants/{uuid.uuid4()}", "/admin/tenants/not-a-uuid", "/admin/tenants/1"):
        error_of(call(client, "GET", path, session=admin), 404, "not_found")
