"""DELETE /services/{id} archives: inactive, no longer bookable, still readable; history stays intact."""
from __future__ import annotations

import uuid

from tests.api import add_member, body, call, new_business
from tests.checks import rows
from tests.services.helpers import (add_staff, book_directly, create_service, error_of, performer_rows,
                                    service_row, set_staff)


def test_archiving_marks_the_service_inactive_and_keeps_it_readable(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    created = create_service(client, owner, name="Retired Treatment")

    response = call(client, "DELETE", f"/services/{created['id']}", session=admin)

    assert response.status_code == 204 and response.body in (b"", None)
    read = body(call(client, "GET", f"/services/{created['id']}", session=owner))
    assert read["archived"] is True and read["archived_at"] and read["active"] is False
    assert read["name"] == "Retired Treatment" and read["version"] == 2
    row = service_row(owner.business_id, created["id"])
    assert row["archived_at"] is not None and row["active"] is False


def test_archived_service_keeps_its_appointments_history(client):
    owner = new_business(client)
    created = create_service(client, owner)
    staff_id = add_staff(owner.business_id)
    set_staff(client, owner, created["id"], [{"staff_id": staff_id, "price": {"amount": 5000}}])
    appointment = book_directly(owner.business_id, created["id"], staff_id)

    assert call(client, "DELETE", f"/services/{created['id']}", session=owner).status_code == 204

    [kept] = rows(owner.business_id, "SELECT * FROM appointments WHERE id = CAST(:id AS uuid)",
                  id=str(appointment["id"]))
    assert kept == appointment
    read = body(call(client, "GET", f"/services/{created['id']}", session=owner))
    assert read["archived"] is True
    assert read["staff"] == [{"staff_id": staff_id, "duration_min": None,
                              "price": {"amount": 5000, "currency": "GBP"}}]


def test_archiving_twice_is_fine_and_keeps_the_first_time(client):
    owner = new_business(client)
    created = create_service(client, owner)
    call(client, "DELETE", f"/services/{created['id']}", session=owner)
    first = service_row(owner.business_id, created["id"])

    assert call(client, "DELETE", f"/services/{created['id']}", session=owner).status_code == 204

    assert service_row(owner.business_id, created["id"]) == first


def test_archiving_an_unknown_service_is_404(client):
    owner = new_business(client)

    error_of(call(client, "DELETE", f"/services/{uuid.uuid4()}", session=owner), 404, "not_found")


def test_staff_cannot_archive_a_service(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    created = create_service(client, owner)
    set_staff(client, owner, created["id"], [{"staff_id": add_staff(owner.business_id)}])
    before = service_row(owner.business_id, created["id"]), performer_rows(owner.business_id)

    error_of(call(client, "DELETE", f"/services/{created['id']}", session=staff), 403, "forbidden")

    assert (service_row(owner.business_id, created["id"]), performer_rows(owner.business_id)) == before
