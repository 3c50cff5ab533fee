"""DELETE /locations/{id} archives: the row stays, readable, marked archived; twice is harmless."""
from __future__ import annotations

import uuid

from tests.api import add_member, body, call, new_business
from tests.locations.helpers import create_location, error_of, location_row, location_rows


def test_archiving_keeps_the_location_readable_and_marked(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    created = create_location(client, owner, name="Closing Down")

    response = call(client, "DELETE", f"/locations/{created['id']}", session=admin)

    assert response.status_code == 204 and response.body in (b"", None)
    read = body(call(client, "GET", f"/locations/{created['id']}", session=owner))
    assert read["archived"] is True and read["archived_at"] and read["version"] == 2
    assert read["name"] == "Closing Down"
    row = location_row(owner.business_id, created["id"])
    assert row["archived_at"] is not None


def test_archiving_twice_is_fine_and_keeps_the_first_time(client):
    owner = new_business(client)
    created = create_location(client, owner)
    call(client, "DELETE", f"/locations/{created['id']}", session=owner)
    first = location_row(owner.business_id, created["id"])

    response = call(client, "DELETE", f"/locations/{created['id']}", session=owner)

    assert response.status_code == 204
    assert location_row(owner.business_id, created["id"]) == first


def test_archiving_an_unknown_location_is_404(client):
    owner = new_business(client)

    error_of(call(client, "DELETE", f"/locations/{uuid.uuid4()}", session=owner), 404, "not_found")


def test_staff_cannot_archive_a_location(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    created = create_location(client, owner)

    error_of(call(client, "DELETE", f"/locations/{created['id']}", session=staff), 403, "forbidden")

    assert location_row(owner.business_id, created["id"])["archived_at"] is None
    assert len(location_rows(owner.business_id)) == 1
