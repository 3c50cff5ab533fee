"""Another business's token never reaches this business: foreign ids are 404 and change nothing."""
from __future__ import annotations

import pytest

from tests.api import PASSWORD, add_member, body, call, invite, new_business, unique_email
from tests.business.helpers import business_row, error_of, invitations, memberships, open_invitations

# Every route that takes a member id, with a body that would be valid in the caller's own business.
ID_ROUTES = [("PATCH", {"role": "admin"}), ("PATCH", {"role": "owner"}), ("PATCH", {"role": "staff"}),
             ("DELETE", None)]


@pytest.fixture
def two_businesses(client, mail):
    """Business A (owner, admin, staff, a pending invitation) and business B (its owner and an admin)."""
    a_owner = new_business(client)
    a_members = {"owner": a_owner, "admin": add_member(client, a_owner, mail, "admin"),
                 "staff": add_member(client, a_owner, mail, "staff")}
    invite(client, a_owner, unique_email("a-pending"), "staff")
    b_owner = new_business(client)
    b_admin = add_member(client, b_owner, mail, "admin")
    return a_members, b_owner, b_admin


def test_another_business_cannot_touch_any_member_by_id(client, two_businesses):
    a_members, b_owner, b_admin = two_businesses
    a_id = a_members["owner"].business_id
    before = memberships(a_id), business_row(a_id), invitations(a_id)

    # Every attempt is refused, so they are tried one after the other against the same businesses.
    for intruder in (b_owner, b_admin):
        for target in a_members.values():
            for method, payload in ID_ROUTES:
                response = call(client, method, f"/business/users/{target.user_id}", payload, session=intruder)

                assert response.status_code == 404, (intruder.role, target.role, method, payload, response.body)
                error_of(response, 404, "not_found")

    assert (memberships(a_id), business_row(a_id), invitations(a_id)) == before
    assert memberships(b_owner.business_id) == {b_owner.user_id: "owner", b_admin.user_id: "admin"}


def test_a_foreign_member_gets_the_same_answer_as_an_unknown_id(client, two_businesses):
    a_members, b_owner, _ = two_businesses
    unknown = call(client, "DELETE", "/business/users/00000000-0000-4000-8000-000000000000", session=b_owner)

    foreign = call(client, "DELETE", f"/business/users/{a_members['staff'].user_id}", session=b_owner)

    assert foreign.status_code == unknown.status_code == 404
    assert body(foreign)["error"] == body(unknown)["error"]


def test_each_business_reads_only_its_own_profile(client):
    a_owner, b_owner = new_business(client), new_business(client)
    call(client, "PATCH", "/business", {"name": "Alpha Secret Spa", "contact": {"phone": "+44 20 0000 0001"}},
         session=a_owner)
    a_profile = body(call(client, "GET", "/business", session=a_owner))

    b_profile = body(call(client, "GET", "/business", session=b_owner))

    assert b_profile["id"] == b_owner.business_id != a_owner.business_id
    assert b_profile["name"] != "Alpha Secret Spa" and b_profile["slug"] != a_profile["slug"]
    assert "Alpha Secret Spa" not in str(b_profile) and a_owner.email not in str(b_profile)


def test_an_update_changes_only_the_callers_business(client):
    a_owner, b_owner = new_business(client), new_business(client)
    a_before = business_row(a_owner.business_id)

    response = call(client, "PATCH", "/business", {"name": "Bravo Only", "booking_policy": {"auto_confirm": False}},
                    session=b_owner)

    assert response.status_code == 200 and body(response)["id"] == b_owner.business_id
    assert business_row(a_owner.business_id) == a_before


def test_each_team_list_shows_only_its_own_members_and_invitations(client, two_businesses):
    a_members, b_owner, b_admin = two_businesses
    a_id = a_members["owner"].business_id
    a_emails = {m.email for m in a_members.values()} | {r["email"] for r in invitations(a_id)}

    answer = body(call(client, "GET", "/business/users", session=b_owner))

    assert {m["user_id"] for m in answer["items"]} == {b_owner.user_id, b_admin.user_id}
    assert answer["invitations"] == []
    assert not a_emails & ({m["email"] for m in answer["items"]} | {i["email"] for i in answer["invitations"]})


def test_a_member_of_another_business_can_be_invited_here(client, two_businesses):
    a_members, b_owner, _ = two_businesses

    response = invite(client, b_owner, a_members["staff"].email, "staff")

    assert response.status_code == 201
    assert [r["email"] for r in open_invitations(b_owner.business_id)] == [a_members["staff"].email]
    assert memberships(a_members["owner"].business_id)[a_members["staff"].user_id] == "staff"


def test_a_logo_key_is_always_under_the_callers_own_business(client):
    a_owner, b_owner = new_business(client), new_business(client)

    form = body(call(client, "POST", "/business/logo", {"content_type": "image/png"}, session=b_owner))

    assert form["key"].startswith(f"businesses/{b_owner.business_id}/")
    assert business_row(a_owner.business_id)["logo_key"] is None


def test_removing_a_shared_member_from_one_business_leaves_the_other(client, two_businesses, mail):
    a_members, b_owner, _ = two_businesses
    shared = a_members["staff"]
    assert invite(client, b_owner, shared.email, "admin").status_code == 201
    joined = call(client, "POST", "/auth/invitations/accept",
                  {"token": mail.last_token(shared.email), "password": PASSWORD})
    assert joined.status_code == 200 and body(joined)["business_id"] == b_owner.business_id

    assert call(client, "PATCH", f"/business/users/{shared.user_id}", {"role": "staff"},
                session=b_owner).status_code == 200
    assert call(client, "DELETE", f"/business/users/{shared.user_id}", session=b_owner).status_code == 204

    assert shared.user_id not in memberships(b_owner.business_id)
    assert memberships(a_members["owner"].business_id)[shared.user_id] == "staff"
    assert call(client, "POST", "/auth/refresh", {"refresh_token": shared.refresh_token}).status_code == 200
