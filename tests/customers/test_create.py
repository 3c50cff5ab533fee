"""POST /customers: a customer entered by staff; e-mail and phone are unique within the business."""
from __future__ import annotations

import pytest

from tests.api import add_member, new_business
from tests.customers.helpers import (body, call, consents, create, created, customer_row, customers, error_of,
                                     invalid_fields, rows, snapshot)


def test_staff_create_a_customer_with_every_field(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")

    response = create(client, staff, name="Grace Hopper", email="Grace@Navy.Example", phone="+1 (555) 010-2030",
                      tags=["VIP", "vip", " Regular "], locale="en-US", preferred_channel="whatsapp",
                      marketing_opt_in=True, terms_accepted=True)

    assert response.status_code == 201, response.body
    customer = body(response)
    assert (customer["name"], customer["email"], customer["phone"], customer["phone_normalized"]) == (
        "Grace Hopper", "grace@navy.example", "+1 (555) 010-2030", "+15550102030")
    assert customer["tags"] == ["vip", "regular"]
    assert (customer["locale"], customer["preferred_channel"]) == ("en-US", "whatsapp")
    assert customer["marketing_opt_in"] is True and customer["terms_accepted"] is True
    assert customer["terms_accepted_at"] and customer["erased_at"] is None and customer["version"] == 1
    row = customer_row(owner.business_id, customer["id"])
    assert (row["name"], row["email"], row["phone_normalized"], row["tags"], row["preferred_channel"]) == (
        "Grace Hopper", "grace@navy.example", "+15550102030", ["vip", "regular"], "whatsapp")
    assert row["marketing_opt_in"] is True and row["terms_accepted_at"] is not None
    assert consents(owner.business_id, customer["id"]) == [("marketing", True, "staff"), ("terms", True, "staff")]


def test_a_walk_in_customer_needs_only_a_name_and_records_no_consent(client):
    owner = new_business(client)

    customer = created(client, owner, name="Walk-in Wanda")

    assert (customer["email"], customer["phone"], customer["tags"], customer["locale"]) == (None, None, [], None)
    assert customer["marketing_opt_in"] is False and customer["terms_accepted"] is False
    assert customer["preferred_channel"] == "email"
    assert [c["name"] for c in customers(owner.business_id)] == ["Walk-in Wanda"]
    assert consents(owner.business_id) == []


def test_the_consent_rows_name_the_member_who_recorded_them(client):
    owner = new_business(client)

    customer = created(client, owner, marketing_opt_in=True)

    [consent] = rows(owner.business_id, "SELECT * FROM customer_consents")
    assert (str(consent["customer_id"]), str(consent["actor_id"]), consent["source"]) == (
        customer["id"], owner.user_id, "staff")


@pytest.mark.parametrize("taken", [{"email": "same@example.com"}, {"phone": "+44 20 7946 0000"}])
def test_a_second_customer_with_the_same_email_or_phone_is_409_naming_the_first(client, taken):
    owner = new_business(client)
    first = created(client, owner, name="First", **taken)
    before = snapshot(owner.business_id)
    again = {"email": "SAME@example.com"} if "email" in taken else {"phone": "+44 (20) 7946-0000"}

    response = create(client, owner, name="Second", **again)

    error = error_of(response, 409, "customer_exists")
    assert error["details"] == {"customer_id": first["id"]}
    assert snapshot(owner.business_id) == before


def test_the_same_email_in_two_businesses_makes_two_customers(client):
    first, second = new_business(client), new_business(client)

    a = created(client, first, email="shared@example.com")
    b = created(client, second, email="shared@example.com")

    assert a["id"] != b["id"]
    assert len(customers(first.business_id)) == len(customers(second.business_id)) == 1


BAD_BODIES = [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "x" * 121}, "name"),
    ({"name": "Line\nbreak"}, "name"),
    ({"name": "Ada", "email": "not-an-email"}, "email"),
    ({"name": "Ada", "phone": "12345"}, "phone"),
    ({"name": "Ada", "phone": "call me"}, "phone"),
    ({"name": "Ada", "tags": ["t"] * 21}, "tags"),
    ({"name": "Ada", "tags": ["a;b"]}, "tags.0"),
    ({"name": "Ada", "tags": [" "]}, "tags.0"),
    ({"name": "Ada", "tags": ["x" * 33]}, "tags.0"),
    ({"name": "Ada", "locale": "english"}, "locale"),
    ({"name": "Ada", "preferred_channel": "sms"}, "preferred_channel"),
    ({"name": "Ada", "marketing_opt_in": "yes"}, "marketing_opt_in"),
    ({"name": "Ada", "is_vip": True}, "is_vip"),
]


def test_bad_input_is_422_naming_the_field_and_stores_nothing(client):
    owner = new_business(client)

    for payload, field in BAD_BODIES:
        response = call(client, "POST", "/customers", payload, session=owner)

        assert field in invalid_fields(response), (payload, response.body)
    assert customers(owner.business_id) == []
    assert consents(owner.business_id) == []
