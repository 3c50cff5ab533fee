"""POST /customers/{customer_id}/notes: internal notes, written by the caller, shown on GET newest first."""
from __future__ import annotations

from tests.api import add_member, new_business
from tests.customers.helpers import body, call, created, error_of, invalid_fields, notes, snapshot


def add_note(client, session, customer_id, payload):
    return call(client, "POST", f"/customers/{customer_id}/notes", payload, session=session)


def test_staff_add_a_note_signed_with_their_name(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    customer = created(client, owner)

    response = add_note(client, staff, customer["id"], {"body": "Prefers the window seat.\nPays cash."})

    assert response.status_code == 201, response.body
    note = body(response)
    assert note["body"] == "Prefers the window seat.\nPays cash."
    assert note["author"] == {"id": staff.user_id, "name": "Staff Member"}
    assert note["id"] and note["created_at"]
    [row] = notes(owner.business_id, customer["id"])
    assert (str(row["id"]), row["body"], str(row["author_id"])) == (note["id"], note["body"], staff.user_id)


def test_a_note_of_5000_characters_is_fine(client):
    owner = new_business(client)
    customer = created(client, owner)

    assert add_note(client, owner, customer["id"], {"body": "x" * 5000}).status_code == 201


def test_bad_notes_are_422_and_store_nothing(client):
    owner = new_business(client)
    customer = created(client, owner)

    for payload in ({}, {"body": ""}, {"body": "   \n "}, {"body": "x" * 5001}, {"body": 5},
                    {"body": "ok", "pinned": True}):
        fields = invalid_fields(add_note(client, owner, customer["id"], payload))

        assert set(fields) <= {"body", "pinned"} and fields, payload
    assert notes(owner.business_id) == []


def test_a_note_on_an_unknown_or_foreign_customer_is_404_and_stores_nothing(client):
    owner, intruder = new_business(client), new_business(client)
    customer = created(client, owner)
    before = snapshot(owner.business_id)

    error_of(add_note(client, intruder, customer["id"], {"body": "sneaky"}), 404, "not_found")
    error_of(add_note(client, owner, "00000000-0000-4000-8000-000000000000", {"body": "lost"}), 404, "not_found")

    assert snapshot(owner.business_id) == before
    assert notes(intruder.business_id) == []
