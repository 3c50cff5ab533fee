"""GET /locations and /locations/{id}: staff read them too; lists page through and skip archived ones."""
from __future__ import annotations

import uuid

from chalicelib.core import db
from chalicelib.locations import service
from tests.api import add_member, body, call, new_business
from tests.billing.plan_helpers import set_plan
from tests.locations.helpers import LUNCH_BREAK, create_location, error_of, invalid_fields


def test_a_location_is_read_by_id(client):
    owner = new_business(client)
    created = create_location(client, owner, name="Harbour", opening_hours=LUNCH_BREAK)

    response = call(client, "GET", f"/locations/{created['id']}", session=owner)

    assert response.status_code == 200
    assert body(response) == created


def test_staff_read_locations_and_the_list(client, mail):
    owner = new_business(client)
    created = create_location(client, owner, name="Harbour")
    staff = add_member(client, owner, mail, "staff")

    one = call(client, "GET", f"/locations/{created['id']}", session=staff)
    listed = call(client, "GET", "/locations", session=staff)

    assert one.status_code == 200 and body(one) == created
    assert listed.status_code == 200 and body(listed) == {"items": [created], "next_cursor": None}


def test_an_unknown_or_malformed_location_id_is_404(client):
    owner = new_business(client)

    error_of(call(client, "GET", f"/locations/{uuid.uuid4()}", session=owner), 404, "not_found")
    error_of(call(client, "GET", "/locations/not-a-uuid", session=owner), 404, "not_found")


def test_the_list_is_oldest_first_and_pages_through_every_location_once(client):
    owner = new_business(client)
    set_plan(owner.business_id, "enterprise")  # five locations: more than a trial's limit
    created = [create_location(client, owner, name=f"Branch {n}")["id"] for n in range(5)]
    seen, cursor = [], None
    for _ in range(5):
        response = call(client, "GET", "/locations?limit=2" + (f"&cursor={cursor}" if cursor else ""), session=owner)
        assert response.status_code == 200, response.body
        answer = body(response)
        seen += [item["id"] for item in answer["items"]]
        cursor = answer["next_cursor"]
        if cursor is None:
            break

    assert seen == created


def test_archived_locations_are_listed_only_when_asked_for(client):
    owner = new_business(client)
    kept = create_location(client, owner, name="Kept")
    gone = create_location(client, owner, name="Gone")
    assert call(client, "DELETE", f"/locations/{gone['id']}", session=owner).status_code == 204

    default = body(call(client, "GET", "/locations", session=owner))
    everything = body(call(client, "GET", "/locations?include_archived=true", session=owner))

    assert [item["id"] for item in default["items"]] == [kept["id"]]
    assert [(item["id"], item["archived"]) for item in everything["items"]] == [(kept["id"], False), (gone["id"], True)]


def test_a_bad_list_query_is_422(client):
    owner = new_business(client)

    assert set(invalid_fields(call(client, "GET", "/locations?limit=0", session=owner))) == {"limit"}
    assert set(invalid_fields(call(client, "GET", "/locations?include_archived=maybe", session=owner))) == {
        "include_archived"}
    assert invalid_fields(call(client, "GET", "/locations?cursor=forged", session=owner)) == {
        "cursor": "not a cursor from this list"}
    assert invalid_fields(call(client, "GET", "/locations?sort=name", session=owner)) == {"sort": "unknown field"}


def test_the_list_shows_only_the_callers_business(client):
    mine, theirs = new_business(client), new_business(client)
    own = create_location(client, mine, name="Mine")
    create_location(client, theirs, name="Theirs")

    answer = body(call(client, "GET", "/locations?include_archived=true", session=mine))

    assert answer == {"items": [own], "next_cursor": None}


def test_reading_locations_needs_a_token(client):
    assert call(client, "GET", "/locations").status_code == 401
    assert call(client, "GET", f"/locations/{uuid.uuid4()}").status_code == 401


def test_get_and_public_list_serve_other_modules(client):
    owner = new_business(client)
    zeta = create_location(client, owner, name="Zeta")
    alpha = create_location(client, owner, name="Alpha", opening_hours=LUNCH_BREAK)
    archived = create_location(client, owner, name="Archived")
    call(client, "DELETE", f"/locations/{archived['id']}", session=owner)

    with db.tenant_tx(owner.business_id) as tx:
        row = service.get(tx, uuid.UUID(archived["id"]))
        missing = service.get(tx, uuid.uuid4())
        public = service.public_list(tx)

    assert row is not None and row["archived_at"] is not None and row["name"] == "Archived"
    assert service.location_json(row)["archived"] is True
    assert missing is None
    assert [item["id"] for item in public] == [alpha["id"], zeta["id"]]
    assert public[0] == alpha
