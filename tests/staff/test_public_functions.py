"""What other modules call: ``get``, ``staff_json``, ``public_list`` and ``for_user`` inside their own tenant
transaction (the public booking page, availability, and "staff see their own calendar")."""
from __future__ import annotations

from uuid import UUID

from chalicelib.core import db
from chalicelib.staff import service
from tests.api import add_member, body, call, new_business
from tests.staff.helpers import UNKNOWN_ID, add_location, new_staff


def test_get_answers_the_raw_row_with_its_locations_and_staff_json_the_api_shape(client):
    owner = new_business(client)
    location = add_location(owner.business_id)
    staff = new_staff(client, owner, location_ids=[location], time_zone="Europe/Dublin")

    with db.tenant_tx(owner.business_id) as tx:
        row = service.get(tx, UUID(staff["id"]))
        unknown = service.get(tx, UUID(UNKNOWN_ID))

    assert row["id"] == UUID(staff["id"]) and row["location_ids"] == [UUID(location)]
    assert (row["time_zone"], row["active"], row["bookable"]) == ("Europe/Dublin", True, True)
    assert service.staff_json(row) == staff
    assert unknown is None


def test_get_finds_nothing_of_another_tenant(client):
    owner, other = new_business(client), new_business(client)
    staff = new_staff(client, owner)

    with db.tenant_tx(other.business_id) as tx:
        assert service.get(tx, UUID(staff["id"])) is None


def test_the_public_list_holds_active_bookable_staff_and_only_public_fields(client):
    owner = new_business(client)
    location = add_location(owner.business_id)
    bea = new_staff(client, owner, name="Bea", bio="Nails.", email="bea@salon.example", location_ids=[location])
    new_staff(client, owner, name="Al", bookable=False)
    gone = new_staff(client, owner, name="Cy")
    call(client, "DELETE", f"/staff/{gone['id']}", session=owner)
    form = body(call(client, "POST", f"/staff/{bea['id']}/photo", {"content_type": "image/png"}, session=owner))
    ann = new_staff(client, owner, name="Ann")

    with db.tenant_tx(owner.business_id) as tx:
        listed = service.public_list(tx)

    assert listed == [
        {"id": ann["id"], "name": "Ann", "bio": None, "photo_key": None, "location_ids": []},
        {"id": bea["id"], "name": "Bea", "bio": "Nails.", "photo_key": form["key"], "location_ids": [location]}]


def test_for_user_finds_the_profile_linked_to_a_login(client, mail):
    owner = new_business(client)
    member = add_member(client, owner, mail, "staff")
    staff = new_staff(client, owner, user_id=member.user_id)

    with db.tenant_tx(owner.business_id) as tx:
        linked = service.for_user(tx, UUID(member.user_id))
        unlinked = service.for_user(tx, UUID(owner.user_id))

    assert linked == UUID(staff["id"])
    assert unlinked is None
