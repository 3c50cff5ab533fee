"""Who may change a schedule or time off: admins for everyone; a staff-role member only for the staff
profile linked to their own login. Reading is open to every member."""
from __future__ import annotations

import pytest

from tests.api import add_member, body, call, new_business
from tests.checks import error_of
from tests.staff.helpers import add_location, add_time_off, hours, new_staff, put_schedule, schedule_body, staff_tables


@pytest.fixture
def team(client, mail):
    """A business with a location, a staff-role member linked to their own profile, and a colleague's profile."""
    owner = new_business(client)
    location = add_location(owner.business_id)
    member = add_member(client, owner, mail, "staff")
    own = new_staff(client, owner, user_id=member.user_id, location_ids=[location])
    colleague = new_staff(client, owner, location_ids=[location])
    return owner, location, member, own, colleague


def test_a_staff_member_sets_their_own_schedule(client, team):
    owner, location, member, own, _ = team

    response = put_schedule(client, member, own["id"], schedule_body(location))

    assert response.status_code == 200, response.body
    assert len(hours(owner.business_id, own["id"])) == 2
    assert body(call(client, "GET", f"/staff/{own['id']}/schedule", session=owner)) == body(response)


def test_a_staff_member_adds_and_removes_their_own_time_off(client, team):
    owner, _, member, own, _ = team

    added = add_time_off(client, member, own["id"], kind="sickness")
    assert added.status_code == 201, added.body
    removed = call(client, "DELETE", f"/staff/{own['id']}/time-off/{body(added)['id']}", session=member)

    assert removed.status_code == 204
    assert staff_tables(owner.business_id)["time_off"] == []


def test_a_staff_member_cannot_change_a_colleagues_schedule_or_time_off(client, team):
    owner, location, member, _, colleague = team
    entry = body(add_time_off(client, owner, colleague["id"]))
    before = staff_tables(owner.business_id)

    error_of(put_schedule(client, member, colleague["id"], schedule_body(location)), 403, "forbidden")
    error_of(add_time_off(client, member, colleague["id"]), 403, "forbidden")
    error_of(call(client, "DELETE", f"/staff/{colleague['id']}/time-off/{entry['id']}", session=member),
             403, "forbidden")

    assert staff_tables(owner.business_id) == before


def test_a_staff_member_reads_colleagues_schedules_and_time_off(client, team):
    owner, location, member, _, colleague = team
    put_schedule(client, owner, colleague["id"], schedule_body(location))
    entry = body(add_time_off(client, owner, colleague["id"]))

    schedule = call(client, "GET", f"/staff/{colleague['id']}/schedule", session=member)
    time_off = call(client, "GET", f"/staff/{colleague['id']}/time-off", session=member)

    assert schedule.status_code == 200 and len(body(schedule)["weekly"]) == 2
    assert time_off.status_code == 200 and body(time_off)["items"] == [entry]


def test_a_staff_member_without_a_profile_changes_nobodys_schedule(client, mail, team):
    owner, location, _, own, colleague = team
    unlinked = add_member(client, owner, mail, "staff")
    before = staff_tables(owner.business_id)

    for profile in (own, colleague):
        error_of(put_schedule(client, unlinked, profile["id"], schedule_body(location)), 403, "forbidden")
        error_of(add_time_off(client, unlinked, profile["id"]), 403, "forbidden")

    assert staff_tables(owner.business_id) == before


def test_an_admin_manages_everyones_schedule_and_time_off(client, mail, team):
    owner, location, _, own, colleague = team
    admin = add_member(client, owner, mail, "admin")

    for profile in (own, colleague):
        assert put_schedule(client, admin, profile["id"], schedule_body(location)).status_code == 200
        entry = add_time_off(client, admin, profile["id"])
        assert entry.status_code == 201
        assert call(client, "DELETE", f"/staff/{profile['id']}/time-off/{body(entry)['id']}",
                    session=admin).status_code == 204


def test_a_demoted_admins_old_token_manages_only_their_own_profile(client, mail, team):
    owner, location, _, _, colleague = team
    admin = add_member(client, owner, mail, "admin")
    demoted = call(client, "PATCH", f"/business/users/{admin.user_id}", {"role": "staff"}, session=owner)
    assert demoted.status_code == 200
    before = staff_tables(owner.business_id)

    # The token still says admin until it expires: the role the database holds now decides.
    error_of(put_schedule(client, admin, colleague["id"], schedule_body(location)), 403, "forbidden")
    error_of(add_time_off(client, admin, colleague["id"]), 403, "forbidden")

    assert staff_tables(owner.business_id) == before
