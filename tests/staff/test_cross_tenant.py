"""Another business's token never reaches this business's staff: every staff route answers 404 for a
foreign staff member (or time-off entry) and changes nothing; foreign locations are unknown locations."""
from __future__ import annotations

import pytest

from tests.api import add_member, body, call, new_business
from tests.checks import error_of, invalid_fields
from tests.staff.helpers import add_location, add_time_off, new_staff, put_schedule, schedule_body, staff_tables


@pytest.fixture
def two_businesses(client):
    """Business A with a staff member who has hours, an override and time off; business B with a location of its
    own (so bodies below would be valid in B)."""
    a_owner = new_business(client)
    a_location = add_location(a_owner.business_id)
    a_staff = new_staff(client, a_owner, location_ids=[a_location])
    assert put_schedule(client, a_owner, a_staff["id"], schedule_body(a_location, overrides_=[
        {"date": "2031-07-01", "intervals": []}])).status_code == 200
    a_time_off = body(add_time_off(client, a_owner, a_staff["id"]))
    b_owner = new_business(client)
    b_location = add_location(b_owner.business_id)
    return a_owner, a_staff, a_time_off, b_owner, b_location


def test_every_staff_route_is_a_404_for_another_businesss_staff_member(client, mail, two_businesses):
    a_owner, a_staff, a_time_off, b_owner, b_location = two_businesses
    b_admin = add_member(client, b_owner, mail, "admin")
    sid = a_staff["id"]
    attempts = [
        ("GET", f"/staff/{sid}", None),
        ("PATCH", f"/staff/{sid}", {"name": "Poached", "location_ids": [b_location]}),
        ("DELETE", f"/staff/{sid}", None),
        ("GET", f"/staff/{sid}/schedule", None),
        ("PUT", f"/staff/{sid}/schedule", {"weekly": [], "overrides": []}),
        ("GET", f"/staff/{sid}/time-off", None),
        ("POST", f"/staff/{sid}/time-off", {"all_day": True, "start_date": "2031-01-01", "end_date": "2031-01-02"}),
        ("DELETE", f"/staff/{sid}/time-off/{a_time_off['id']}", None),
        ("POST", f"/staff/{sid}/photo", {"content_type": "image/png"}),
    ]
    a_before, b_before = staff_tables(a_owner.business_id), staff_tables(b_owner.business_id)

    # Every attempt is refused, so they are tried one after the other against the same businesses.
    for intruder in (b_owner, b_admin):
        for method, path, payload in attempts:
            error_of(call(client, method, path, payload, session=intruder), 404, "not_found")

    assert staff_tables(a_owner.business_id) == a_before
    assert staff_tables(b_owner.business_id) == b_before


def test_a_foreign_time_off_entry_is_a_404_even_through_ones_own_staff_member(client, two_businesses):
    a_owner, _, a_time_off, b_owner, _ = two_businesses
    b_staff = new_staff(client, b_owner)
    a_before = staff_tables(a_owner.business_id)

    error_of(call(client, "DELETE", f"/staff/{b_staff['id']}/time-off/{a_time_off['id']}", session=b_owner),
             404, "not_found")

    assert staff_tables(a_owner.business_id) == a_before


def test_a_foreign_staff_member_gets_the_same_answer_as_an_unknown_one(client, two_businesses):
    _, a_staff, _, b_owner, _ = two_businesses

    foreign = call(client, "GET", f"/staff/{a_staff['id']}", session=b_owner)
    unknown = call(client, "GET", "/staff/00000000-0000-4000-8000-000000000000", session=b_owner)

    assert foreign.status_code == unknown.status_code == 404
    assert body(foreign)["error"] == body(unknown)["error"]


def test_each_business_lists_only_its_own_staff(client, two_businesses):
    a_owner, a_staff, _, b_owner, b_location = two_businesses
    b_staff = new_staff(client, b_owner, location_ids=[b_location])

    b_list = body(call(client, "GET", "/staff?include_inactive=true", session=b_owner))["items"]
    b_at_a_location = body(call(client, "GET", f"/staff?location_id={a_staff['location_ids'][0]}",
                                session=b_owner))["items"]

    assert [s["id"] for s in b_list] == [b_staff["id"]]
    assert b_at_a_location == []
    assert [s["id"] for s in body(call(client, "GET", "/staff", session=a_owner))["items"]] == [a_staff["id"]]


def test_another_businesss_location_cannot_be_given_to_staff_or_hours(client, two_businesses):
    a_owner, a_staff, _, b_owner, b_location = two_businesses
    a_location = a_staff["location_ids"][0]
    b_staff = new_staff(client, b_owner, location_ids=[b_location])
    b_before = staff_tables(b_owner.business_id)

    assert invalid_fields(call(client, "POST", "/staff", {"name": "Spy", "location_ids": [a_location]},
                               session=b_owner)) == {"location_ids": "unknown location"}
    assert invalid_fields(call(client, "PATCH", f"/staff/{b_staff['id']}", {"location_ids": [b_location, a_location]},
                               session=b_owner)) == {"location_ids": "unknown location"}
    assert invalid_fields(put_schedule(client, b_owner, b_staff["id"], schedule_body(a_location))) == {
        "weekly.0.location_id": "not one of this staff member's locations",
        "weekly.1.location_id": "not one of this staff member's locations"}

    assert staff_tables(b_owner.business_id) == b_before


def test_a_login_of_another_business_cannot_be_linked(client, mail, two_businesses):
    a_owner, _, _, b_owner, _ = two_businesses
    a_member = add_member(client, a_owner, mail, "staff")
    b_before = staff_tables(b_owner.business_id)

    assert invalid_fields(call(client, "POST", "/staff", {"name": "Borrowed", "user_id": a_member.user_id},
                               session=b_owner)) == {"user_id": "not a member of this business"}

    assert staff_tables(b_owner.business_id) == b_before
