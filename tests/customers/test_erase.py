"""DELETE /customers/{customer_id}: the GDPR erase. The row stays (appointments point at it) but identifies
nobody: name replaced, contact details, tags and locale cleared, notes deleted, consents kept."""
from __future__ import annotations

from tests.api import add_member, new_business
from tests.customers.helpers import (body, call, consents, created, customer_row, error_of, notes, search,
                                     snapshot)


def erase(client, session, customer_id):
    return call(client, "DELETE", f"/customers/{customer_id}", session=session)


def erased_customer(client, owner) -> dict:
    customer = created(client, owner, name="Eve Example", email="eve@example.com", phone="+44 7700 900555",
                       tags=["vip"], locale="fr-FR", preferred_channel="whatsapp", marketing_opt_in=True,
                       terms_accepted=True)
    call(client, "POST", f"/customers/{customer['id']}/notes", {"body": "Eve is allergic to latex"}, session=owner)
    return customer


def test_an_admin_erases_a_customer_in_place(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    customer = erased_customer(client, owner)

    response = erase(client, admin, customer["id"])

    assert response.status_code == 204 and not response.body
    row = customer_row(owner.business_id, customer["id"])
    assert (row["name"], row["email"], row["phone"], row["phone_normalized"], row["tags"], row["locale"]) == (
        "Erased customer", None, None, None, [], None)
    assert row["erased_at"] is not None and row["marketing_opt_in"] is False and row["version"] == 2
    assert notes(owner.business_id, customer["id"]) == []
    assert consents(owner.business_id, customer["id"]) == [("marketing", True, "staff"), ("terms", True, "staff")]
    shown = body(call(client, "GET", f"/customers/{customer['id']}", session=admin))
    assert (shown["name"], shown["email"], shown["notes"]) == ("Erased customer", None, [])
    assert shown["erased_at"] and len(shown["consents"]) == 2


def test_erasing_twice_is_204_and_changes_nothing_more(client):
    owner = new_business(client)
    customer = erased_customer(client, owner)
    erase(client, owner, customer["id"])
    before = snapshot(owner.business_id)

    response = erase(client, owner, customer["id"])

    assert response.status_code == 204
    assert snapshot(owner.business_id) == before


def test_an_erased_customer_is_found_by_no_search(client):
    owner = new_business(client)
    customer = erased_customer(client, owner)
    erase(client, owner, customer["id"])

    for query in ("", "q=erased", "q=eve", "q=900555", "email=eve@example.com", "phone=%2B447700900555",
                  "tag=vip"):
        assert body(search(client, owner, query))["items"] == [], query


def test_the_erased_email_and_phone_are_free_for_a_new_customer(client):
    owner = new_business(client)
    customer = erased_customer(client, owner)
    erase(client, owner, customer["id"])

    again = created(client, owner, name="Eve Again", email="eve@example.com", phone="+44 7700 900555")

    assert again["id"] != customer["id"]


def test_an_erased_customer_takes_no_more_changes_or_notes(client):
    owner = new_business(client)
    customer = erased_customer(client, owner)
    erase(client, owner, customer["id"])
    before = snapshot(owner.business_id)

    error_of(call(client, "PATCH", f"/customers/{customer['id']}", {"name": "Eve"}, session=owner), 409,
             "customer_erased")
    error_of(call(client, "POST", f"/customers/{customer['id']}/notes", {"body": "hi"}, session=owner), 409,
             "customer_erased")

    assert snapshot(owner.business_id) == before


def test_staff_cannot_erase(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    customer = erased_customer(client, owner)
    before = snapshot(owner.business_id)

    error_of(erase(client, staff, customer["id"]), 403, "forbidden")

    assert snapshot(owner.business_id) == before


def test_another_business_cannot_erase_and_an_unknown_id_is_404(client):
    owner, intruder = new_business(client), new_business(client)
    customer = erased_customer(client, owner)
    before = snapshot(owner.business_id)

    error_of(erase(client, intruder, customer["id"]), 404, "not_found")
    error_of(erase(client, owner, "00000000-0000-4000-8000-000000000000"), 404, "not_found")

    assert snapshot(owner.business_id) == before
