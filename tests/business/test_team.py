"""GET /business/users: the members (paginated, oldest first) and the pending invitations."""
from __future__ import annotations

import base64
import json

import pytest

from tests.api import add_member, body, call, invite, new_business, unique_email
from tests.business.helpers import error_of, invalid_fields


def team(client, session, query=""):
    return call(client, "GET", f"/business/users{query}", session=session)


def cursor_of(key) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def test_a_new_business_lists_its_owner_alone(client):
    owner = new_business(client)

    response = team(client, owner)

    assert response.status_code == 200
    answer = body(response)
    assert answer["next_cursor"] is None and answer["invitations"] == []
    [member] = answer["items"]
    assert member["user_id"] == owner.user_id
    assert (member["email"], member["name"], member["role"]) == (owner.email, "Olive Owner", "owner")
    assert member["email_verified"] is False
    assert member["joined_at"]


def test_members_are_listed_oldest_first_with_their_roles(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    staff = add_member(client, owner, mail, "staff")

    items = body(team(client, owner))["items"]

    assert [(m["user_id"], m["role"]) for m in items] == [(owner.user_id, "owner"), (admin.user_id, "admin"),
                                                          (staff.user_id, "staff")]
    # Accepting the mailed invitation proved the address.
    assert [m["email_verified"] for m in items] == [False, True, True]
    assert items[1]["email"] == admin.email and items[1]["name"] == "Admin Member"


def test_pending_invitations_are_listed_apart_from_members(client):
    owner = new_business(client)
    staff_email, admin_email = unique_email("staff"), unique_email("admin")
    invite(client, owner, staff_email, "staff")
    invite(client, owner, admin_email, "admin")

    answer = body(team(client, owner))

    assert [m["user_id"] for m in answer["items"]] == [owner.user_id]
    assert [(i["email"], i["role"]) for i in answer["invitations"]] == [(staff_email, "staff"), (admin_email, "admin")]
    assert all(i["id"] and i["created_at"] and i["expires_at"] for i in answer["invitations"])
    assert all("token" not in key for i in answer["invitations"] for key in i)


def test_an_accepted_invitation_becomes_a_member_and_leaves_the_pending_list(client, mail):
    owner = new_business(client)
    invite(client, owner, unique_email("other"), "staff")
    member = add_member(client, owner, mail, "staff")

    answer = body(team(client, owner))

    assert member.user_id in [m["user_id"] for m in answer["items"]]
    assert member.email not in [i["email"] for i in answer["invitations"]]
    assert len(answer["invitations"]) == 1


def test_an_admin_lists_the_team(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")

    response = team(client, admin)

    assert response.status_code == 200
    assert {m["user_id"] for m in body(response)["items"]} == {owner.user_id, admin.user_id}


def test_staff_cannot_list_the_team(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")

    error_of(team(client, staff), 403, "forbidden")


def test_limit_one_walks_every_member_once_in_order(client, mail):
    owner = new_business(client)
    for role in ("admin", "staff", "staff"):
        add_member(client, owner, mail, role)
    invite(client, owner, unique_email("pending"), "staff")
    everyone = [m["user_id"] for m in body(team(client, owner))["items"]]
    assert len(everyone) == 4

    seen, cursor, pages = [], None, 0
    while True:
        response = team(client, owner, "?limit=1" + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200, response.body
        answer = body(response)
        assert len(answer["items"]) == 1
        assert len(answer["invitations"]) == 1
        seen += [m["user_id"] for m in answer["items"]]
        pages += 1
        cursor = answer["next_cursor"]
        if cursor is None:
            break
        assert pages < 10

    assert seen == everyone
    assert len(set(seen)) == len(seen)


def test_a_page_that_holds_the_rest_has_no_next_cursor(client, mail):
    owner = new_business(client)
    add_member(client, owner, mail, "staff")

    first = body(team(client, owner, "?limit=1"))
    rest = body(team(client, owner, f"?limit=2&cursor={first['next_cursor']}"))

    assert first["next_cursor"] is not None
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    exact = body(team(client, owner, "?limit=2"))
    assert len(exact["items"]) == 2 and exact["next_cursor"] is None


@pytest.mark.parametrize("cursor", ["not-a-cursor", "%%%", cursor_of(["2020-01-01T00:00:00+00:00"]),
                                    cursor_of({"after": 1}), cursor_of(["a", "b", "c"]),
                                    cursor_of(["not a time", "00000000-0000-0000-0000-000000000000"]),
                                    cursor_of(["2020-01-01T00:00:00+00:00", "not-a-uuid"]),
                                    cursor_of(["2020-01-01T00:00:00", "00000000-0000-0000-0000-000000000000"]),
                                    cursor_of([1, 2]), cursor_of([None, None])])
def test_a_cursor_we_did_not_make_is_a_422(client, cursor):
    owner = new_business(client)

    assert set(invalid_fields(team(client, owner, f"?cursor={cursor}"))) == {"cursor"}


@pytest.mark.parametrize("limit", ["0", "201", "500", "-1", "abc", "1.5"])
def test_a_limit_outside_one_to_two_hundred_is_a_422(client, limit):
    owner = new_business(client)

    assert set(invalid_fields(team(client, owner, f"?limit={limit}"))) == {"limit"}


def test_the_largest_limit_is_accepted(client):
    owner = new_business(client)

    assert team(client, owner, "?limit=200").status_code == 200


def test_an_unknown_query_parameter_is_a_422(client):
    owner = new_business(client)

    assert invalid_fields(team(client, owner, "?role=owner")) == {"role": "unknown field"}
