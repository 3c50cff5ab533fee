"""GET and PATCH /customers/{customer_id}: the record with its notes and consent history; partial updates
with an optional version; consent given or withdrawn is recorded, an unchanged value records nothing."""
from __future__ import annotations

from tests.api import add_member, new_business
from tests.customers.helpers import (body, call, consents, created, customer_row, error_of, invalid_fields, rows,
                                     snapshot)


def get(client, session, customer_id):
    return call(client, "GET", f"/customers/{customer_id}", session=session)


def patch(client, session, customer_id, changes):
    return call(client, "PATCH", f"/customers/{customer_id}", changes, session=session)


def test_staff_read_a_customer_with_notes_newest_first_and_consent_history(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    customer = created(client, owner, email="ada@example.com", marketing_opt_in=True)
    for text in ("first visit", "prefers mornings"):
        response = call(client, "POST", f"/customers/{customer['id']}/notes", {"body": text}, session=staff)
        assert response.status_code == 201
    patch(client, owner, customer["id"], {"marketing_opt_in": False})

    response = get(client, staff, customer["id"])

    assert response.status_code == 200, response.body
    found = body(response)
    assert found["id"] == customer["id"] and found["email"] == "ada@example.com"
    assert [n["body"] for n in found["notes"]] == ["prefers mornings", "first visit"]
    assert found["notes"][0]["author"] == {"id": staff.user_id, "name": "Staff Member"}
    assert [(c["kind"], c["granted"], c["source"], c["actor_id"]) for c in found["consents"]] == [
        ("marketing", False, "staff", owner.user_id), ("marketing", True, "staff", owner.user_id)]
    assert found["marketing_opt_in"] is False


def test_an_unknown_customer_is_404(client):
    owner = new_business(client)

    error_of(get(client, owner, "00000000-0000-4000-8000-000000000000"), 404, "not_found")
    error_of(get(client, owner, "not-a-uuid"), 404, "not_found")


def test_staff_update_some_fields_and_the_rest_stay(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    customer = created(client, owner, name="Ada", email="ada@example.com", tags=["vip"], locale="en-GB")

    response = patch(client, staff, customer["id"], {"name": "Ada King", "phone": "07700 900123",
                                                     "tags": ["New", "new"], "version": 1})

    assert response.status_code == 200, response.body
    updated = body(response)
    assert (updated["name"], updated["email"], updated["phone"], updated["phone_normalized"]) == (
        "Ada King", "ada@example.com", "07700 900123", "07700900123")
    assert (updated["tags"], updated["locale"], updated["version"]) == (["new"], "en-GB", 2)
    assert updated["updated_at"] > customer["updated_at"]
    row = customer_row(owner.business_id, customer["id"])
    assert (row["name"], row["phone_normalized"], row["tags"], row["version"]) == (
        "Ada King", "07700900123", ["new"], 2)
    assert consents(owner.business_id) == []


def test_clearing_email_and_phone_with_null(client):
    owner = new_business(client)
    customer = created(client, owner, email="ada@example.com", phone="+44 7700 900123")

    updated = body(patch(client, owner, customer["id"], {"email": None, "phone": None}))

    assert (updated["email"], updated["phone"], updated["phone_normalized"]) == (None, None, None)
    row = customer_row(owner.business_id, customer["id"])
    assert (row["email"], row["phone"], row["phone_normalized"]) == (None, None, None)


def test_a_stale_version_is_409_and_changes_nothing(client):
    owner = new_business(client)
    customer = created(client, owner)
    patch(client, owner, customer["id"], {"name": "Ada Two"})
    before = snapshot(owner.business_id)

    response = patch(client, owner, customer["id"], {"name": "Ada Three", "marketing_opt_in": True, "version": 1})

    error_of(response, 409, "stale_version")
    assert snapshot(owner.business_id) == before


def test_taking_another_customers_email_is_409_naming_them(client):
    owner = new_business(client)
    holder = created(client, owner, name="Holder", email="taken@example.com")
    other = created(client, owner, name="Other", phone="+44 7700 900001")
    before = snapshot(owner.business_id)

    response = patch(client, owner, other["id"], {"email": "taken@example.com"})

    assert error_of(response, 409, "customer_exists")["details"] == {"customer_id": holder["id"]}
    assert snapshot(owner.business_id) == before


def test_consent_given_then_withdrawn_is_recorded_and_an_unchanged_value_is_not(client):
    owner = new_business(client)
    customer = created(client, owner)
    cid = customer["id"]

    granted = body(patch(client, owner, cid, {"terms_accepted": True, "marketing_opt_in": True}))
    again = body(patch(client, owner, cid, {"terms_accepted": True, "marketing_opt_in": True}))
    withdrawn = body(patch(client, owner, cid, {"terms_accepted": False}))

    assert granted["terms_accepted"] and granted["terms_accepted_at"] and granted["marketing_opt_in"]
    assert again["terms_accepted_at"] == granted["terms_accepted_at"]
    assert withdrawn["terms_accepted"] is False and withdrawn["terms_accepted_at"] is None
    assert withdrawn["marketing_opt_in"] is True
    assert consents(owner.business_id, cid) == [("marketing", True, "staff"), ("terms", True, "staff"),
                                                ("terms", False, "staff")]
    row = customer_row(owner.business_id, cid)
    assert row["terms_accepted_at"] is None and row["marketing_opt_in"] is True


def test_bad_input_is_422_naming_the_field_and_changes_nothing(client):
    owner = new_business(client)
    customer = created(client, owner, email="ada@example.com")
    before = snapshot(owner.business_id)

    for payload, field in [({"name": ""}, "name"), ({"name": None}, "name"), ({"email": "nope"}, "email"),
                           ({"phone": "123"}, "phone"), ({"tags": None}, "tags"), ({"version": 0}, "version"),
                           ({"preferred_channel": None}, "preferred_channel"),
                           ({"terms_accepted": "yes"}, "terms_accepted"), ({"id": customer["id"]}, "id")]:
        response = patch(client, owner, customer["id"], payload)

        assert field in invalid_fields(response), (payload, response.body)
    assert snapshot(owner.business_id) == before


def test_another_business_cannot_read_or_update_a_customer(client):
    owner, intruder = new_business(client), new_business(client)
    customer = created(client, owner, email="ada@example.com")
    before = snapshot(owner.business_id)

    error_of(get(client, intruder, customer["id"]), 404, "not_found")
    error_of(patch(client, intruder, customer["id"], {"name": "Stolen", "marketing_opt_in": True}), 404,
             "not_found")

    assert snapshot(owner.business_id) == before
    assert rows(intruder.business_id, "SELECT * FROM customer_consents") == []
