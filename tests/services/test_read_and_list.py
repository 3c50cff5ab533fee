"""GET /services and /services/{id}: staff read the catalogue too; lists filter, page through, and
cost the same number of queries whatever their size."""
from __future__ import annotations

import uuid

import pytest

from chalicelib.core import db
from chalicelib.services import service
from tests.api import add_member, body, call, new_business
from tests.services.helpers import add_staff, create_service, error_of, invalid_fields, set_staff


def ids(response) -> list[str]:
    assert response.status_code == 200, response.body
    return [item["id"] for item in body(response)["items"]]


def test_a_service_is_read_with_its_performers(client):
    owner = new_business(client)
    created = create_service(client, owner)
    staff_id = add_staff(owner.business_id)
    assigned = body(set_staff(client, owner, created["id"], [{"staff_id": staff_id, "duration_min": 60}]))

    response = call(client, "GET", f"/services/{created['id']}", session=owner)

    assert response.status_code == 200
    assert body(response) == assigned
    assert body(response)["staff"] == [{"staff_id": staff_id, "duration_min": 60, "price": None}]


def test_staff_read_the_catalogue(client, mail):
    owner = new_business(client)
    created = create_service(client, owner)
    staff = add_member(client, owner, mail, "staff")

    one = call(client, "GET", f"/services/{created['id']}", session=staff)
    listed = call(client, "GET", "/services", session=staff)

    assert one.status_code == 200 and body(one) == created
    assert listed.status_code == 200 and body(listed) == {"items": [created], "next_cursor": None}


def test_an_unknown_or_malformed_service_id_is_404(client):
    owner = new_business(client)

    error_of(call(client, "GET", f"/services/{uuid.uuid4()}", session=owner), 404, "not_found")
    error_of(call(client, "GET", "/services/42", session=owner), 404, "not_found")


def test_the_list_pages_through_every_service_once_oldest_first(client):
    owner = new_business(client)
    created = [create_service(client, owner, name=f"Service {n}")["id"] for n in range(5)]
    seen, cursor = [], None
    for _ in range(5):
        response = call(client, "GET", "/services?limit=2" + (f"&cursor={cursor}" if cursor else ""), session=owner)
        seen += ids(response)
        cursor = body(response)["next_cursor"]
        if cursor is None:
            break

    assert seen == created


def test_the_list_filters_by_active_category_and_archived(client):
    owner = new_business(client)
    cut = create_service(client, owner, name="Cut", category="Hair")["id"]
    dye = create_service(client, owner, name="Dye", category="Hair", active=False)["id"]
    nails = create_service(client, owner, name="Nails", category="Hands")["id"]
    old = create_service(client, owner, name="Old", category="Hair")["id"]
    assert call(client, "DELETE", f"/services/{old}", session=owner).status_code == 204

    def listed(query: str) -> list[str]:
        return ids(call(client, "GET", f"/services{query}", session=owner))

    assert listed("") == [cut, dye, nails]
    assert listed("?include_archived=true") == [cut, dye, nails, old]
    assert listed("?active=true") == [cut, nails]
    assert listed("?active=false") == [dye]
    assert listed("?active=false&include_archived=true") == [dye, old]
    assert listed("?category=Hair") == [cut, dye]
    assert listed("?category=Hair&active=true") == [cut]
    assert listed("?category=Feet") == []


@pytest.mark.parametrize(("query", "field"), [
    ("?limit=201", "limit"), ("?active=sometimes", "active"), ("?include_archived=2", "include_archived"),
    ("?cursor=abc", "cursor"), ("?colour=red", "colour"), ("?category=" + "c" * 121, "category"),
])
def test_a_bad_list_query_is_422(client, query, field):
    owner = new_business(client)

    assert set(invalid_fields(call(client, "GET", f"/services{query}", session=owner))) == {field}


def test_the_list_shows_only_the_callers_business(client):
    mine, theirs = new_business(client), new_business(client)
    own = create_service(client, mine, name="Mine")
    create_service(client, theirs, name="Theirs")

    assert body(call(client, "GET", "/services?include_archived=true", session=mine)) == {
        "items": [own], "next_cursor": None}


def _statements_to_list(client, session, statements: list[str]) -> int:
    statements.clear()
    response = call(client, "GET", "/services?limit=200", session=session)
    assert response.status_code == 200
    return len(statements)


def test_listing_costs_the_same_queries_for_one_service_or_many(client, sql_statements):
    small, large = new_business(client), new_business(client)
    create_service(client, small)
    for n in range(8):
        created = create_service(client, large, name=f"Service {n}")
        set_staff(client, large, created["id"], [{"staff_id": add_staff(large.business_id, f"Staff {n}")},
                                                 {"staff_id": add_staff(large.business_id, f"Other {n}")}])
    assert len(body(call(client, "GET", "/services", session=large))["items"]) == 8

    assert _statements_to_list(client, small, sql_statements) == _statements_to_list(client, large, sql_statements)


def test_reading_the_catalogue_needs_a_token(client):
    assert call(client, "GET", "/services").status_code == 401
    assert call(client, "GET", f"/services/{uuid.uuid4()}").status_code == 401


def test_get_performers_and_public_list_serve_other_modules(client):
    owner = new_business(client)
    staff_id = add_staff(owner.business_id)
    yoga = create_service(client, owner, name="Yoga", capacity=10, color="#00FF00", buffer_after_min=10,
                          intake_form_id=str(uuid.uuid4()))
    set_staff(client, owner, yoga["id"], [{"staff_id": staff_id, "price": {"amount": 2500}}])
    barre = create_service(client, owner, name="Barre")
    create_service(client, owner, name="Hidden", bookable_online=False)
    create_service(client, owner, name="Paused", active=False)
    gone = create_service(client, owner, name="Gone")
    call(client, "DELETE", f"/services/{gone['id']}", session=owner)

    with db.tenant_tx(owner.business_id) as tx:
        row = service.get(tx, uuid.UUID(gone["id"]))
        missing = service.get(tx, uuid.uuid4())
        performers = service.performers(tx, uuid.UUID(yoga["id"]))
        public = service.public_list(tx)

    assert row is not None and row["archived_at"] is not None and row["active"] is False
    assert service.service_json(row, [])["archived"] is True
    assert missing is None
    assert performers == [{"staff_id": uuid.UUID(staff_id), "duration_min": None, "price_minor": 2500}]
    assert [item["name"] for item in public] == ["Barre", "Yoga"]
    assert public[1] == {
        "id": yoga["id"], "name": "Yoga", "description": None, "category": None, "color": "#00ff00",
        "duration_min": 45, "price": {"amount": 4500, "currency": "GBP"}, "capacity": 10,
        "requires_confirmation": False,
        "staff": [{"staff_id": staff_id, "duration_min": None, "price": {"amount": 2500, "currency": "GBP"}}]}
    assert public[0]["id"] == barre["id"] and public[0]["staff"] == []
