"""PATCH /services/{id}: a partial update by an admin, guarded by an optional version."""
from __future__ import annotations

import uuid

import pytest

from tests.api import add_member, body, call, new_business
from tests.services.helpers import (add_staff, create_service, error_of, invalid_fields, performer_rows,
                                    service_row, set_staff)


def patch(client, session, service_id, changes):
    return call(client, "PATCH", f"/services/{service_id}", changes, session=session)


def test_an_admin_updates_every_field(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    created = create_service(client, owner)
    form_id = str(uuid.uuid4())
    changes = {"name": "Deluxe Cut", "description": "With a head massage", "category": "Hair", "color": "#FFAA00",
               "duration_min": 75, "price": {"amount": 6500, "currency": "GBP"}, "buffer_before_min": 10,
               "buffer_after_min": 20, "capacity": 2, "active": False, "bookable_online": False,
               "requires_confirmation": True, "intake_form_id": form_id}

    response = patch(client, admin, created["id"], changes)

    assert response.status_code == 200, response.body
    updated = body(response)
    assert {k: updated[k] for k in changes} == {**changes, "color": "#ffaa00"}
    assert updated["version"] == 2
    assert body(call(client, "GET", f"/services/{created['id']}", session=owner)) == updated
    row = service_row(owner.business_id, created["id"])
    assert (row["name"], row["price_minor"], row["currency"], row["duration_min"], row["capacity"], row["active"],
            str(row["intake_form_id"]), row["version"]) == ("Deluxe Cut", 6500, "GBP", 75, 2, False, form_id, 2)


def test_a_price_without_currency_takes_the_business_currency(client):
    owner = new_business(client)
    created = create_service(client, owner)

    updated = body(patch(client, owner, created["id"], {"price": {"amount": 1999}}))

    assert updated["price"] == {"amount": 1999, "currency": "GBP"}


def test_a_partial_update_keeps_the_other_fields_and_the_performers(client):
    owner = new_business(client)
    created = create_service(client, owner, category="Hair", buffer_before_min=5)
    staff_id = add_staff(owner.business_id)
    assigned = body(set_staff(client, owner, created["id"], [{"staff_id": staff_id}]))

    updated = body(patch(client, owner, created["id"], {"name": "Renamed"}))

    assert updated["name"] == "Renamed" and updated["version"] == assigned["version"] + 1
    kept = {k: v for k, v in assigned.items() if k not in ("name", "version", "updated_at")}
    assert {k: v for k, v in updated.items() if k not in ("name", "version", "updated_at")} == kept


def test_null_resets_the_optional_fields(client):
    owner = new_business(client)
    created = create_service(client, owner, description="Text", category="Hair", color="#123456",
                             buffer_before_min=5, buffer_after_min=5, intake_form_id=str(uuid.uuid4()))

    updated = body(patch(client, owner, created["id"], {
        "description": None, "category": None, "color": None, "buffer_before_min": None, "buffer_after_min": None,
        "intake_form_id": None}))

    assert [updated[k] for k in ("description", "category", "color", "buffer_before_min", "buffer_after_min",
                                 "intake_form_id")] == [None] * 6
    row = service_row(owner.business_id, created["id"])
    assert (row["color"], row["buffer_before_min"], row["intake_form_id"]) == (None, None, None)


def test_the_version_guards_against_lost_updates(client):
    owner = new_business(client)
    created = create_service(client, owner)
    assert body(patch(client, owner, created["id"], {"duration_min": 50, "version": 1}))["version"] == 2
    saved = service_row(owner.business_id, created["id"])

    error_of(patch(client, owner, created["id"], {"duration_min": 55, "version": 1}), 409, "stale_version")

    assert service_row(owner.business_id, created["id"]) == saved


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": None}, "name"),
    ({"duration_min": 0}, "duration_min"),
    ({"duration_min": None}, "duration_min"),
    ({"price": None}, "price"),
    ({"price": {"amount": -5}}, "price.amount"),
    ({"price": {"amount": 100, "currency": "USD"}}, "price.currency"),
    ({"capacity": None}, "capacity"),
    ({"active": None}, "active"),
    ({"color": "#GGGGGG"}, "color"),
    ({"buffer_after_min": 300}, "buffer_after_min"),
    ({"version": "2"}, "version"),
    ({"staff": []}, "staff"),
])
def test_an_invalid_change_is_named_and_nothing_is_stored(client, changes, field):
    owner = new_business(client)
    created = create_service(client, owner)
    before = service_row(owner.business_id, created["id"])

    response = patch(client, owner, created["id"], {"name": "Not Stored", **changes})

    assert set(invalid_fields(response)) == {field}
    assert service_row(owner.business_id, created["id"]) == before


def test_an_archived_service_is_read_only(client):
    owner = new_business(client)
    created = create_service(client, owner)
    call(client, "DELETE", f"/services/{created['id']}", session=owner)
    before = service_row(owner.business_id, created["id"])

    error_of(patch(client, owner, created["id"], {"active": True}), 409, "service_archived")

    assert service_row(owner.business_id, created["id"]) == before


def test_an_unknown_service_is_404(client):
    owner = new_business(client)

    error_of(patch(client, owner, uuid.uuid4(), {"name": "Nothing"}), 404, "not_found")


def test_staff_cannot_update_a_service(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    created = create_service(client, owner)
    set_staff(client, owner, created["id"], [{"staff_id": add_staff(owner.business_id)}])
    before = service_row(owner.business_id, created["id"]), performer_rows(owner.business_id)

    error_of(patch(client, staff, created["id"], {"price": {"amount": 1}}), 403, "forbidden")

    assert (service_row(owner.business_id, created["id"]), performer_rows(owner.business_id)) == before
