"""PUT /services/{id}/staff: who performs a service, each with an optional duration and price of their
own; the whole set is replaced at once, or nothing changes."""
from __future__ import annotations

import uuid

import pytest

from tests.api import add_member, body, call, new_business
from tests.services.helpers import (add_staff, create_service, error_of, invalid_fields, performer_rows,
                                    service_row, set_staff)


def test_an_admin_assigns_performers_with_their_own_duration_and_price(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    created = create_service(client, owner)
    senior, junior = add_staff(owner.business_id, "Senior"), add_staff(owner.business_id, "Junior")

    response = set_staff(client, admin, created["id"], [
        {"staff_id": senior, "duration_min": 30, "price": {"amount": 6000, "currency": "GBP"}},
        {"staff_id": junior, "duration_min": None, "price": None}])

    assert response.status_code == 200, response.body
    answer = body(response)
    assert sorted(answer["staff"], key=lambda p: p["staff_id"]) == sorted([
        {"staff_id": senior, "duration_min": 30, "price": {"amount": 6000, "currency": "GBP"}},
        {"staff_id": junior, "duration_min": None, "price": None}], key=lambda p: p["staff_id"])
    assert answer["version"] == created["version"] + 1
    assert body(call(client, "GET", f"/services/{created['id']}", session=owner)) == answer
    stored = {r["staff_id"]: (r["service_id"], r["duration_min"], r["price_minor"])
              for r in performer_rows(owner.business_id)}
    assert stored == {senior: (created["id"], 30, 6000), junior: (created["id"], None, None)}


def test_the_set_is_replaced_as_a_whole(client):
    owner = new_business(client)
    created = create_service(client, owner)
    first, second, third = (add_staff(owner.business_id, n) for n in ("First", "Second", "Third"))
    set_staff(client, owner, created["id"], [{"staff_id": first}, {"staff_id": second, "duration_min": 90}])

    answer = body(set_staff(client, owner, created["id"], [{"staff_id": second}, {"staff_id": third}]))

    assert {p["staff_id"]: p["duration_min"] for p in answer["staff"]} == {second: None, third: None}
    assert {r["staff_id"]: r["duration_min"] for r in performer_rows(owner.business_id)} == {
        second: None, third: None}


def test_an_empty_list_removes_every_performer(client):
    owner = new_business(client)
    created = create_service(client, owner)
    set_staff(client, owner, created["id"], [{"staff_id": add_staff(owner.business_id)}])

    response = set_staff(client, owner, created["id"], [])

    assert response.status_code == 200 and body(response)["staff"] == []
    assert performer_rows(owner.business_id) == []


def test_other_services_keep_their_performers(client):
    owner = new_business(client)
    cut, dye = create_service(client, owner, name="Cut"), create_service(client, owner, name="Dye")
    staff_id = add_staff(owner.business_id)
    set_staff(client, owner, dye["id"], [{"staff_id": staff_id}])

    set_staff(client, owner, cut["id"], [{"staff_id": staff_id}])
    set_staff(client, owner, cut["id"], [])

    assert [(r["service_id"], r["staff_id"]) for r in performer_rows(owner.business_id)] == [(dye["id"], staff_id)]


def _with_one_performer(client, owner):
    created = create_service(client, owner)
    staff_id = add_staff(owner.business_id, "Assigned")
    set_staff(client, owner, created["id"], [{"staff_id": staff_id, "duration_min": 40}])
    return created["id"], staff_id, (service_row(owner.business_id, created["id"]), performer_rows(owner.business_id))


def test_a_staff_member_listed_twice_is_refused_and_nothing_changes(client):
    owner = new_business(client)
    service_id, staff_id, before = _with_one_performer(client, owner)
    other = add_staff(owner.business_id, "Other")

    response = set_staff(client, owner, service_id, [{"staff_id": other}, {"staff_id": staff_id},
                                                     {"staff_id": other, "duration_min": 30}])

    assert invalid_fields(response) == {"staff.2.staff_id": "listed twice"}
    assert (service_row(owner.business_id, service_id), performer_rows(owner.business_id)) == before


def test_an_unknown_staff_id_is_named_by_its_place_and_nothing_changes(client):
    owner = new_business(client)
    service_id, staff_id, before = _with_one_performer(client, owner)

    response = set_staff(client, owner, service_id, [{"staff_id": staff_id}, {"staff_id": str(uuid.uuid4())}])

    assert invalid_fields(response) == {"staff.1.staff_id": "unknown staff member"}
    assert (service_row(owner.business_id, service_id), performer_rows(owner.business_id)) == before


def test_another_business_staff_member_is_unknown_and_nothing_changes(client):
    owner, other = new_business(client), new_business(client)
    service_id, staff_id, before = _with_one_performer(client, owner)
    foreign = add_staff(other.business_id, "Poached")

    response = set_staff(client, owner, service_id, [{"staff_id": foreign}, {"staff_id": staff_id}])

    assert invalid_fields(response) == {"staff.0.staff_id": "unknown staff member"}
    assert (service_row(owner.business_id, service_id), performer_rows(owner.business_id)) == before
    assert performer_rows(other.business_id) == []


def test_a_performer_price_in_another_currency_is_refused(client):
    owner = new_business(client)
    service_id, staff_id, before = _with_one_performer(client, owner)

    response = set_staff(client, owner, service_id,
                         [{"staff_id": staff_id, "price": {"amount": 10, "currency": "EUR"}}])

    assert invalid_fields(response) == {"staff.0.price.currency": "must be GBP, the currency prices are shown in"}
    assert (service_row(owner.business_id, service_id), performer_rows(owner.business_id)) == before


@pytest.mark.parametrize(("entry", "field"), [
    ({"staff_id": "not-a-uuid"}, "staff.0.staff_id"),
    ({"duration_min": 30}, "staff.0.staff_id"),
    ({"staff_id": "{staff}", "duration_min": 2}, "staff.0.duration_min"),
    ({"staff_id": "{staff}", "duration_min": 2000}, "staff.0.duration_min"),
    ({"staff_id": "{staff}", "price": {"amount": -1}}, "staff.0.price.amount"),
    ({"staff_id": "{staff}", "price": 100}, "staff.0.price"),
    ({"staff_id": "{staff}", "buffer_min": 5}, "staff.0.buffer_min"),
])
def test_an_invalid_entry_is_named_and_nothing_changes(client, entry, field):
    owner = new_business(client)
    service_id, staff_id, before = _with_one_performer(client, owner)
    entry = {k: (staff_id if v == "{staff}" else v) for k, v in entry.items()}

    assert set(invalid_fields(set_staff(client, owner, service_id, [entry]))) == {field}
    assert (service_row(owner.business_id, service_id), performer_rows(owner.business_id)) == before


@pytest.mark.parametrize("payload", [{}, {"staff": None}, {"staff": {"staff_id": "x"}}, {"staff": [], "extra": 1}])
def test_the_body_must_carry_a_staff_list(client, payload):
    owner = new_business(client)
    service_id, _, before = _with_one_performer(client, owner)

    response = call(client, "PUT", f"/services/{service_id}/staff", payload, session=owner)

    assert set(invalid_fields(response)) <= {"staff", "extra"}
    assert (service_row(owner.business_id, service_id), performer_rows(owner.business_id)) == before


def test_an_archived_service_keeps_its_performers(client):
    owner = new_business(client)
    service_id, staff_id, _ = _with_one_performer(client, owner)
    call(client, "DELETE", f"/services/{service_id}", session=owner)
    before = service_row(owner.business_id, service_id), performer_rows(owner.business_id)

    error_of(set_staff(client, owner, service_id, []), 409, "service_archived")

    assert (service_row(owner.business_id, service_id), performer_rows(owner.business_id)) == before


def test_an_unknown_service_is_404(client):
    owner = new_business(client)

    error_of(set_staff(client, owner, str(uuid.uuid4()), [{"staff_id": add_staff(owner.business_id)}]),
             404, "not_found")
    assert performer_rows(owner.business_id) == []


def test_staff_cannot_assign_performers_but_can_read_them(client, mail):
    owner = new_business(client)
    member = add_member(client, owner, mail, "staff")
    service_id, staff_id, before = _with_one_performer(client, owner)

    error_of(set_staff(client, member, service_id, []), 403, "forbidden")

    assert (service_row(owner.business_id, service_id), performer_rows(owner.business_id)) == before
    read = body(call(client, "GET", f"/services/{service_id}", session=member))
    assert read["staff"] == [{"staff_id": staff_id, "duration_min": 40, "price": None}]
