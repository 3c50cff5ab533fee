"""PATCH /locations/{id}: a partial update by an admin, guarded by an optional version."""
from __future__ import annotations

import uuid

import pytest

from tests.api import add_member, body, call, new_business
from tests.locations.helpers import LUNCH_BREAK, create_location, error_of, invalid_fields, location_row


def patch(client, session, location_id, changes):
    return call(client, "PATCH", f"/locations/{location_id}", changes, session=session)


def test_an_admin_updates_every_field(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    created = create_location(client, owner, name="Old Name")

    response = patch(client, admin, created["id"], {
        "name": "New Name", "address": "9 Quay Street", "phone": "0161 496 0000", "time_zone": "Europe/Paris",
        "opening_hours": LUNCH_BREAK})

    assert response.status_code == 200, response.body
    updated = body(response)
    assert (updated["name"], updated["address"], updated["phone"], updated["time_zone"]) == (
        "New Name", "9 Quay Street", "0161 496 0000", "Europe/Paris")
    assert updated["opening_hours"] == LUNCH_BREAK
    assert updated["version"] == 2 and updated["updated_at"] >= created["updated_at"]
    assert body(call(client, "GET", f"/locations/{created['id']}", session=owner)) == updated
    row = location_row(owner.business_id, created["id"])
    assert (row["name"], row["address"], row["time_zone"], row["opening_hours"], row["version"]) == (
        "New Name", "9 Quay Street", "Europe/Paris", LUNCH_BREAK, 2)


def test_a_partial_update_keeps_the_other_fields(client):
    owner = new_business(client)
    created = create_location(client, owner, address="1 High Street", opening_hours=LUNCH_BREAK)

    updated = body(patch(client, owner, created["id"], {"phone": "020 7946 0999"}))

    assert updated["phone"] == "020 7946 0999"
    same = ("name", "address", "time_zone", "opening_hours", "created_at")
    assert {k: updated[k] for k in same} == {k: created[k] for k in same}


def test_null_clears_address_phone_and_opening_hours(client):
    owner = new_business(client)
    created = create_location(client, owner, address="1 High Street", phone="020 7946 0000",
                              opening_hours=LUNCH_BREAK)

    updated = body(patch(client, owner, created["id"], {"address": None, "phone": None, "opening_hours": None}))

    assert (updated["address"], updated["phone"], updated["opening_hours"]) == (None, None, None)
    row = location_row(owner.business_id, created["id"])
    assert (row["address"], row["phone"], row["opening_hours"]) == (None, None, None)


def test_the_version_guards_against_lost_updates(client):
    owner = new_business(client)
    created = create_location(client, owner)
    assert body(patch(client, owner, created["id"], {"name": "First", "version": 1}))["version"] == 2
    saved = location_row(owner.business_id, created["id"])

    error_of(patch(client, owner, created["id"], {"name": "Second", "version": 1}), 409, "stale_version")

    assert location_row(owner.business_id, created["id"]) == saved
    assert body(patch(client, owner, created["id"], {"name": "Second", "version": 2}))["version"] == 3


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": ""}, "name"),
    ({"name": None}, "name"),
    ({"time_zone": None}, "time_zone"),
    ({"time_zone": "Europe/Atlantis"}, "time_zone"),
    ({"phone": "phone"}, "phone"),
    ({"version": 0}, "version"),
    ({"archived": False}, "archived"),
    ({"opening_hours": [{"weekday": 1, "opens": "18:00", "closes": "09:00"}]}, "opening_hours.0.closes"),
    ({"opening_hours": [{"weekday": 1, "opens": "09:00", "closes": "18:00"},
                        {"weekday": 1, "opens": "17:00", "closes": "19:00"}]}, "opening_hours.1.opens"),
])
def test_an_invalid_change_is_named_and_nothing_is_stored(client, changes, field):
    owner = new_business(client)
    created = create_location(client, owner, opening_hours=LUNCH_BREAK)
    before = location_row(owner.business_id, created["id"])

    response = patch(client, owner, created["id"], {"name": "Not Stored", **changes})

    assert set(invalid_fields(response)) == {field}
    assert location_row(owner.business_id, created["id"]) == before


def test_an_archived_location_is_read_only(client):
    owner = new_business(client)
    created = create_location(client, owner)
    call(client, "DELETE", f"/locations/{created['id']}", session=owner)
    before = location_row(owner.business_id, created["id"])

    error_of(patch(client, owner, created["id"], {"name": "Revived"}), 409, "location_archived")

    assert location_row(owner.business_id, created["id"]) == before


def test_an_unknown_location_is_404(client):
    owner = new_business(client)

    error_of(patch(client, owner, uuid.uuid4(), {"name": "Nowhere"}), 404, "not_found")


def test_staff_cannot_update_a_location(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    created = create_location(client, owner)
    before = location_row(owner.business_id, created["id"])

    error_of(patch(client, staff, created["id"], {"name": "Staff Pick"}), 403, "forbidden")

    assert location_row(owner.business_id, created["id"]) == before
