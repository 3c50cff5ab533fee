"""``GET /calendar/busy``: the Google busy blocks the calendar grid draws, overlapping local dates in a
zone, with only their times (never a title); owners and admins see every staff member or the one
asked, the staff role its own profile only; another business's staff is as unknown as a made-up id;
bad dates, zones and ranges are 422s naming the field."""
from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from tests.api import add_member, body, call, new_business
from tests.appointments.helpers import calendar
from tests.calendar.busy_helpers import at, timed
from tests.calendar.helpers import connect_staff
from tests.checks import error_of, invalid_fields


def busy(client, session, **params):
    return call(client, "GET", f"/calendar/busy?{urlencode(params)}", session=session)


def days(first: int, last: int) -> dict[str, str]:
    return {"from": (date.today() + timedelta(days=first)).isoformat(),
            "to": (date.today() + timedelta(days=last)).isoformat()}


@pytest.fixture
def team(client, google_twin, mail):
    """A business with two connected staff members: the owner's profile and a staff-role member's,
    each with one Google event (the staff member's at 14:00 on day 3, the owner's at 10:00 on day 2)."""
    cal = calendar(client, staff=2)
    owner = connect_staff(client, google_twin, business=cal, email="owner-cal@gmail.test")
    member = connect_staff(client, google_twin, business=cal, email="member-cal@gmail.test",
                           member=add_member(client, cal.owner, mail, role="staff"))
    google_twin.add_event("owner-cal@gmail.test", timed(at(2, 10), summary="Root canal"))
    google_twin.add_event("member-cal@gmail.test", timed(at(3, 14), 30))
    for got in (owner, member):
        assert call(client, "POST", "/calendar/google/sync", {}, session=got["member"]).status_code == 200
    return {"cal": cal, "owner": owner, "member": member}


def test_owners_see_every_staff_members_blocks_with_times_only(client, team):
    answer = busy(client, team["cal"].owner, **days(0, 6))

    assert answer.status_code == 200, answer.body
    assert body(answer) == {"items": [
        {"staff_id": team["owner"]["staff_id"], "starts_at": at(2, 10).isoformat(), "ends_at": at(2, 11).isoformat()},
        {"staff_id": team["member"]["staff_id"], "starts_at": at(3, 14).isoformat(),
         "ends_at": at(3, 14, 30).isoformat()}]}
    assert b"Root canal" not in answer.body


def test_owners_may_ask_for_one_staff_member(client, team):
    answer = busy(client, team["cal"].owner, staff_id=team["member"]["staff_id"], **days(0, 6))

    assert [i["staff_id"] for i in body(answer)["items"]] == [team["member"]["staff_id"]]


def test_the_staff_role_sees_its_own_blocks_only(client, team):
    member = team["member"]["member"]

    own = body(busy(client, member, **days(0, 6)))["items"]
    asked = body(busy(client, member, staff_id=team["member"]["staff_id"], **days(0, 6)))["items"]

    assert [i["staff_id"] for i in own] == [i["staff_id"] for i in asked] == [team["member"]["staff_id"]]
    error_of(busy(client, member, staff_id=team["owner"]["staff_id"], **days(0, 6)), 403, "forbidden")


def test_a_staff_member_without_a_linked_profile_sees_nothing(client, team, mail):
    unlinked = add_member(client, team["cal"].owner, mail, role="staff")

    assert body(busy(client, unlinked, **days(0, 6))) == {"items": []}


def test_dates_are_local_to_tz_and_times_are_written_in_it(client, team):
    """Day 2's 10:00-11:00 in London is a midnight hour in Kiritimati (UTC+14): the local date it falls
    in holds the block, written with Kiritimati's offset; the dates either side, which only touch it,
    do not."""
    far = ZoneInfo("Pacific/Kiritimati")
    start = at(2, 10).astimezone(far)

    def on(local_day: date) -> list[dict]:
        answer = busy(client, team["cal"].owner, staff_id=team["owner"]["staff_id"], tz="Pacific/Kiritimati",
                      **{"from": local_day.isoformat(), "to": local_day.isoformat()})
        assert answer.status_code == 200, answer.body
        return body(answer)["items"]

    assert [i["starts_at"] for i in on(start.date())] == [start.isoformat()]
    assert on(start.date() - timedelta(days=1)) == on(start.date() + timedelta(days=1)) == []


def test_another_businesss_staff_is_not_found_and_its_blocks_never_show(client, team):
    stranger = new_business(client)

    error_of(busy(client, stranger, staff_id=team["owner"]["staff_id"], **days(0, 6)), 404, "not_found")
    assert body(busy(client, stranger, **days(0, 6))) == {"items": []}


def test_bad_dates_zones_and_ranges_are_422s(client, team):
    owner = team["cal"].owner
    today = date.today()

    assert "to" in invalid_fields(busy(client, owner, **{"from": today.isoformat(),
                                                         "to": (today - timedelta(days=1)).isoformat()}))
    assert "to" in invalid_fields(busy(client, owner, **days(0, 42)))
    assert busy(client, owner, **days(0, 41)).status_code == 200
    assert "tz" in invalid_fields(busy(client, owner, tz="Mars/Olympus", **days(0, 1)))
    assert "from" in invalid_fields(busy(client, owner, **{"from": "tomorrow", "to": today.isoformat()}))
    assert invalid_fields(busy(client, owner, to=today.isoformat()))
    assert invalid_fields(busy(client, owner, staff_id="not-a-uuid", **days(0, 1)))
    assert invalid_fields(busy(client, owner, colour="grey", **days(0, 1)))


def test_without_a_token_the_gateway_refuses(client):
    answer = call(client, "GET", f"/calendar/busy?{urlencode(days(0, 1))}")

    assert answer.status_code == 401
