"""GET/POST /staff and GET/PATCH/DELETE /staff/{staff_id}: the people customers book."""
from __future__ import annotations

import uuid

import pytest

from tests.api import add_member, body, call, new_business
from tests.billing.plan_helpers import set_plan
from tests.checks import error_of, invalid_fields
from tests.staff.helpers import (UNKNOWN_ID, add_location, add_time_off, hours, new_staff,
                                 put_schedule, schedule_body, staff_locations, staff_row, staff_tables,
                                 time_off_rows)


def patch(client, session, staff_id, changes):
    return call(client, "PATCH", f"/staff/{staff_id}", changes, session=session)


def test_an_admin_adds_a_staff_member_with_locations_and_a_linked_login(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    member = add_member(client, owner, mail, "staff")
    first, second = add_location(owner.business_id, "North"), add_location(owner.business_id, "South")

    response = call(client, "POST", "/staff", {
        "name": "Ada Barber", "email": "Ada@Salon.Example", "phone": "+44 20 7946 0000", "bio": "Fades and beards.",
        "time_zone": "Europe/Paris", "location_ids": [first, second], "user_id": member.user_id, "bookable": False,
    }, session=admin)

    assert response.status_code == 201, response.body
    staff = body(response)
    assert {k: v for k, v in staff.items() if k not in ("id", "created_at", "updated_at", "location_ids")} == {
        "name": "Ada Barber", "email": "ada@salon.example", "phone": "+44 20 7946 0000", "bio": "Fades and beards.",
        "time_zone": "Europe/Paris", "user_id": member.user_id, "bookable": False, "active": True,
        "photo_key": None, "version": 1}
    assert sorted(staff["location_ids"]) == sorted([first, second])
    assert staff["created_at"] and staff["updated_at"]
    row = staff_row(owner.business_id, staff["id"])
    assert (row["name"], row["email"], row["time_zone"], str(row["user_id"]), row["bookable"], row["active"]) == (
        "Ada Barber", "ada@salon.example", "Europe/Paris", member.user_id, False, True)
    assert staff_locations(owner.business_id, staff["id"]) == {first, second}
    assert body(call(client, "GET", f"/staff/{staff['id']}", session=owner)) == staff


def test_a_new_staff_member_needs_only_a_name(client):
    owner = new_business(client)

    staff = new_staff(client, owner, name="Bo")

    assert (staff["name"], staff["email"], staff["phone"], staff["bio"], staff["time_zone"], staff["user_id"]) == (
        "Bo", None, None, None, None, None)
    assert (staff["bookable"], staff["active"], staff["location_ids"], staff["version"]) == (True, True, [], 1)
    assert staff_locations(owner.business_id, staff["id"]) == set()


def test_a_location_listed_twice_is_stored_once(client):
    owner = new_business(client)
    location = add_location(owner.business_id)

    staff = new_staff(client, owner, location_ids=[location, location])

    assert staff["location_ids"] == [location]


def test_every_member_reads_the_list_and_a_profile(client, mail):
    owner = new_business(client)
    staff = new_staff(client, owner, name="Cleo")
    member = add_member(client, owner, mail, "staff")

    listed = call(client, "GET", "/staff", session=member)
    one = call(client, "GET", f"/staff/{staff['id']}", session=member)

    assert listed.status_code == 200 and body(listed) == {"items": [staff], "next_cursor": None}
    assert one.status_code == 200 and body(one) == staff


def test_the_list_pages_in_creation_order(client):
    owner = new_business(client)
    made = [new_staff(client, owner, name=f"Person {i}")["id"] for i in range(5)]

    seen, cursor = [], None
    for _ in range(3):
        answer = body(call(client, "GET", "/staff?limit=2" + (f"&cursor={cursor}" if cursor else ""), session=owner))
        seen += [s["id"] for s in answer["items"]]
        cursor = answer["next_cursor"]
        if cursor is None:
            break

    assert seen == made
    assert cursor is None


def test_a_forged_cursor_is_a_422(client):
    owner = new_business(client)

    assert set(invalid_fields(call(client, "GET", "/staff?cursor=WyJ4Il0.bad", session=owner))) == {"cursor"}


def test_the_list_filters_by_location(client):
    owner = new_business(client)
    north, south = add_location(owner.business_id, "North"), add_location(owner.business_id, "South")
    both = new_staff(client, owner, location_ids=[north, south])
    only_north = new_staff(client, owner, location_ids=[north])
    new_staff(client, owner, location_ids=[])

    at_north = body(call(client, "GET", f"/staff?location_id={north}", session=owner))["items"]
    at_south = body(call(client, "GET", f"/staff?location_id={south}", session=owner))["items"]
    nowhere = body(call(client, "GET", f"/staff?location_id={UNKNOWN_ID}", session=owner))["items"]

    assert [s["id"] for s in at_north] == [both["id"], only_north["id"]]
    assert [s["id"] for s in at_south] == [both["id"]]
    assert nowhere == []


@pytest.mark.parametrize("query", ["location_id=north", "include_inactive=maybe", "limit=0", "limit=201"])
def test_bad_list_parameters_are_named(client, query):
    owner = new_business(client)

    assert set(invalid_fields(call(client, "GET", f"/staff?{query}", session=owner))) == {query.split("=")[0]}


def test_the_list_costs_the_same_statements_whatever_the_page_size(client, sql_statements):
    owner = new_business(client)
    set_plan(owner.business_id, "enterprise")  # twelve staff: more than a trial's limit
    locations = [add_location(owner.business_id, f"Branch {i}") for i in range(3)]
    for i in range(12):
        new_staff(client, owner, location_ids=locations[: i % 4])

    sent = sql_statements
    sent.clear()
    small = body(call(client, "GET", "/staff?limit=1", session=owner))
    small_count = len(sent)
    large = body(call(client, "GET", "/staff?limit=12", session=owner))

    assert len(small["items"]) == 1 and len(large["items"]) == 12
    assert len(sent) - small_count == small_count
    assert sum(len(s["location_ids"]) for s in large["items"]) == 18


def test_an_update_changes_the_fields_sent_and_keeps_the_others(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    north, south = add_location(owner.business_id, "North"), add_location(owner.business_id, "South")
    staff = new_staff(client, owner, name="Dee", email="dee@salon.example", bio="Colour.", location_ids=[north])

    response = patch(client, admin, staff["id"], {"name": "Dee Dee", "phone": "020 7946 0001",
                                                  "location_ids": [south], "time_zone": "Europe/Berlin"})

    assert response.status_code == 200, response.body
    after = body(response)
    assert (after["name"], after["phone"], after["time_zone"], after["location_ids"]) == (
        "Dee Dee", "020 7946 0001", "Europe/Berlin", [south])
    assert (after["email"], after["bio"], after["bookable"], after["version"]) == (
        "dee@salon.example", "Colour.", True, 2)
    assert staff_locations(owner.business_id, staff["id"]) == {south}
    row = staff_row(owner.business_id, staff["id"])
    assert (row["name"], row["phone"], row["time_zone"], row["version"]) == (
        "Dee Dee", "020 7946 0001", "Europe/Berlin", 2)


def test_fields_are_cleared_with_null(client):
    owner = new_business(client)
    staff = new_staff(client, owner, email="eve@salon.example", phone="020 7946 0002", time_zone="Europe/Rome")

    after = body(patch(client, owner, staff["id"], {"email": None, "phone": None, "time_zone": None}))

    assert (after["email"], after["phone"], after["time_zone"]) == (None, None, None)


def test_removing_a_location_drops_its_weekly_hours_and_upcoming_overrides(client):
    owner = new_business(client)
    north, south = add_location(owner.business_id, "North"), add_location(owner.business_id, "South")
    staff = new_staff(client, owner, location_ids=[north, south])
    schedule = {"weekly": [{"location_id": north, "weekday": 1, "start": "09:00", "end": "12:00"},
                           {"location_id": south, "weekday": 1, "start": "13:00", "end": "17:00"}],
                "overrides": [{"date": "2031-01-06", "location_id": north, "intervals": [
                    {"start": "10:00", "end": "11:00"}]},
                              {"date": "2031-01-07", "location_id": south, "intervals": [
                                  {"start": "10:00", "end": "11:00"}]},
                              {"date": "2031-01-08", "intervals": []}]}
    assert put_schedule(client, owner, staff["id"], schedule).status_code == 200

    assert patch(client, owner, staff["id"], {"location_ids": [south]}).status_code == 200

    assert [h[0] for h in hours(owner.business_id, staff["id"])] == [south]
    answer = body(call(client, "GET", f"/staff/{staff['id']}/schedule", session=owner))
    assert [(o["date"], o["location_id"]) for o in answer["overrides"]] == [("2031-01-07", south), ("2031-01-08", None)]


def test_the_expected_version_guards_against_lost_updates(client):
    owner = new_business(client)
    staff = new_staff(client, owner)
    assert body(patch(client, owner, staff["id"], {"name": "First", "version": 1}))["version"] == 2
    saved = staff_tables(owner.business_id)

    error_of(patch(client, owner, staff["id"], {"name": "Second", "version": 1}), 409, "stale_version")

    assert staff_tables(owner.business_id) == saved
    assert body(patch(client, owner, staff["id"], {"name": "Second", "version": 2}))["version"] == 3


def test_a_login_already_linked_to_another_profile_is_a_409(client, mail):
    owner = new_business(client)
    member = add_member(client, owner, mail, "staff")
    linked = new_staff(client, owner, user_id=member.user_id)
    other = new_staff(client, owner)
    before = staff_tables(owner.business_id)

    error_of(call(client, "POST", "/staff", {"name": "Twin", "user_id": member.user_id}, session=owner),
             409, "staff_user_taken")
    error_of(patch(client, owner, other["id"], {"user_id": member.user_id}), 409, "staff_user_taken")

    assert staff_tables(owner.business_id) == before
    assert body(patch(client, owner, linked["id"], {"user_id": None}))["user_id"] is None
    assert body(patch(client, owner, other["id"], {"user_id": member.user_id}))["user_id"] == member.user_id


def test_a_login_that_is_not_a_member_here_is_a_422(client, mail):
    owner, elsewhere = new_business(client), new_business(client)
    outsider = add_member(client, elsewhere, mail, "staff")
    staff = new_staff(client, owner)
    before = staff_tables(owner.business_id)

    for user_id in (outsider.user_id, elsewhere.user_id, str(uuid.uuid4())):
        assert invalid_fields(call(client, "POST", "/staff", {"name": "X", "user_id": user_id}, session=owner)) == {
            "user_id": "not a member of this business"}
        assert invalid_fields(patch(client, owner, staff["id"], {"user_id": user_id})) == {
            "user_id": "not a member of this business"}

    assert staff_tables(owner.business_id) == before


def test_another_businesss_location_is_an_unknown_location(client):
    owner, other = new_business(client), new_business(client)
    theirs = add_location(other.business_id)
    mine = add_location(owner.business_id)
    staff = new_staff(client, owner, location_ids=[mine])
    before = staff_tables(owner.business_id)

    for location_ids in ([theirs], [mine, theirs], [UNKNOWN_ID]):
        response = call(client, "POST", "/staff", {"name": "Thief", "location_ids": location_ids}, session=owner)
        assert invalid_fields(response) == {"location_ids": "unknown location"}
        assert invalid_fields(patch(client, owner, staff["id"], {"location_ids": location_ids})) == {
            "location_ids": "unknown location"}

    assert staff_tables(owner.business_id) == before


@pytest.mark.parametrize(("payload", "field"), [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "a\nb"}, "name"),
    ({"name": "A", "email": "nope"}, "email"),
    ({"name": "A", "phone": "call me"}, "phone"),
    ({"name": "A", "bio": "b" * 2001}, "bio"),
    ({"name": "A", "time_zone": "Mars/Base"}, "time_zone"),
    ({"name": "A", "location_ids": ["north"]}, "location_ids.0"),
    ({"name": "A", "location_ids": "north"}, "location_ids"),
    ({"name": "A", "user_id": "me"}, "user_id"),
    ({"name": "A", "bookable": "yes"}, "bookable"),
    ({"name": "A", "active": False}, "active"),
    ({"name": "A", "photo_key": "x.png"}, "photo_key"),
])
def test_an_invalid_new_staff_member_is_named_and_not_stored(client, payload, field):
    owner = new_business(client)

    assert set(invalid_fields(call(client, "POST", "/staff", payload, session=owner))) == {field}

    assert staff_tables(owner.business_id)["staff"] == []


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": None}, "name"),
    ({"bookable": None}, "bookable"),
    ({"location_ids": None}, "location_ids"),
    ({"version": 0}, "version"),
    ({"email": "x@"}, "email"),
    ({"version_id": 1}, "version_id"),
])
def test_an_invalid_update_is_named_and_changes_nothing(client, changes, field):
    owner = new_business(client)
    staff = new_staff(client, owner)
    before = staff_tables(owner.business_id)

    assert set(invalid_fields(patch(client, owner, staff["id"], {"name": "Renamed", **changes}))) == {field}

    assert staff_tables(owner.business_id) == before


def test_deactivating_keeps_the_profile_and_its_history(client):
    owner = new_business(client)
    location = add_location(owner.business_id)
    staff = new_staff(client, owner, location_ids=[location])
    assert put_schedule(client, owner, staff["id"], schedule_body(location)).status_code == 200
    assert add_time_off(client, owner, staff["id"]).status_code == 201

    response = call(client, "DELETE", f"/staff/{staff['id']}", session=owner)

    assert response.status_code == 204 and not response.body
    shown = body(call(client, "GET", f"/staff/{staff['id']}", session=owner))
    assert (shown["active"], shown["bookable"], shown["version"]) == (False, False, 2)
    row = staff_row(owner.business_id, staff["id"])
    assert (row["active"], row["bookable"]) == (False, False)
    assert len(hours(owner.business_id, staff["id"])) == 2 and len(time_off_rows(owner.business_id, staff["id"])) == 1
    assert staff_locations(owner.business_id, staff["id"]) == {location}


def test_deactivated_staff_are_listed_only_when_asked(client):
    owner = new_business(client)
    kept, gone = new_staff(client, owner), new_staff(client, owner)
    call(client, "DELETE", f"/staff/{gone['id']}", session=owner)

    default = body(call(client, "GET", "/staff", session=owner))["items"]
    everyone = body(call(client, "GET", "/staff?include_inactive=true", session=owner))["items"]

    assert [s["id"] for s in default] == [kept["id"]]
    assert [(s["id"], s["active"]) for s in everyone] == [(kept["id"], True), (gone["id"], False)]


def test_deactivating_twice_is_still_a_204_and_a_patch_brings_them_back(client):
    owner = new_business(client)
    staff = new_staff(client, owner)
    assert call(client, "DELETE", f"/staff/{staff['id']}", session=owner).status_code == 204

    assert call(client, "DELETE", f"/staff/{staff['id']}", session=owner).status_code == 204
    back = body(patch(client, owner, staff["id"], {"active": True, "bookable": True}))

    assert (back["active"], back["bookable"]) == (True, True)


@pytest.mark.parametrize("staff_id", [UNKNOWN_ID, "not-a-uuid"])
def test_an_unknown_staff_member_is_a_404(client, staff_id):
    owner = new_business(client)

    error_of(call(client, "GET", f"/staff/{staff_id}", session=owner), 404, "not_found")
    error_of(patch(client, owner, staff_id, {"name": "Ghost"}), 404, "not_found")
    error_of(call(client, "DELETE", f"/staff/{staff_id}", session=owner), 404, "not_found")

    assert staff_tables(owner.business_id)["staff"] == []


def test_staff_role_members_cannot_create_edit_or_deactivate(client, mail):
    owner = new_business(client)
    member = add_member(client, owner, mail, "staff")
    own = new_staff(client, owner, user_id=member.user_id)
    before = staff_tables(owner.business_id)

    error_of(call(client, "POST", "/staff", {"name": "Me Again"}, session=member), 403, "forbidden")
    error_of(patch(client, member, own["id"], {"name": "Promoted"}), 403, "forbidden")
    error_of(call(client, "DELETE", f"/staff/{own['id']}", session=member), 403, "forbidden")

    assert staff_tables(owner.business_id) == before


def test_the_staff_routes_need_a_token(client):
    assert call(client, "GET", "/staff").status_code == 401
    assert call(client, "POST", "/staff", {"name": "Anon"}).status_code == 401
