"""PATCH and DELETE /business/users/{user_id}: change a member's role, remove a member.

Owners alone grant, change or take away the owner role; a business always keeps one owner."""
from __future__ import annotations

import uuid

import pytest

from tests.api import Session, add_member, body, call, invite, new_business, unique_email
from tests.business.helpers import error_of, invalid_fields, memberships, open_invitations


def set_role(client, caller: Session, user_id: str, role: str):
    return call(client, "PATCH", f"/business/users/{user_id}", {"role": role}, session=caller)


def remove(client, caller: Session, user_id: str):
    return call(client, "DELETE", f"/business/users/{user_id}", session=caller)


def refresh(client, session: Session):
    return call(client, "POST", "/auth/refresh", {"refresh_token": session.refresh_token})


def test_an_owner_promotes_staff_to_admin(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")

    response = set_role(client, owner, staff.user_id, "admin")

    assert response.status_code == 200, response.body
    member = body(response)
    assert (member["user_id"], member["email"], member["role"]) == (staff.user_id, staff.email, "admin")
    assert memberships(owner.business_id)[staff.user_id] == "admin"


def test_the_new_role_reaches_the_member_at_the_next_refresh(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    set_role(client, owner, staff.user_id, "admin")

    response = refresh(client, staff)

    assert response.status_code == 200, response.body
    me = call(client, "GET", "/auth/me", headers={"Authorization": f"Bearer {body(response)['access_token']}"})
    assert body(me)["role"] == "admin"


@pytest.mark.parametrize(("start", "end"), [("staff", "admin"), ("admin", "staff"), ("staff", "staff")])
def test_an_admin_moves_members_between_staff_and_admin(client, mail, start, end):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    member = add_member(client, owner, mail, start)

    response = set_role(client, admin, member.user_id, end)

    assert response.status_code == 200, response.body
    assert body(response)["role"] == end
    assert memberships(owner.business_id)[member.user_id] == end


def test_an_admin_cannot_grant_the_owner_role(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    staff = add_member(client, owner, mail, "staff")
    before = memberships(owner.business_id)

    error_of(set_role(client, admin, staff.user_id, "owner"), 403, "forbidden")
    error_of(set_role(client, admin, admin.user_id, "owner"), 403, "forbidden")

    assert memberships(owner.business_id) == before


def test_an_admin_cannot_demote_or_remove_an_owner(client, mail):
    owner = new_business(client)
    co_owner = add_member(client, owner, mail, "owner")
    admin = add_member(client, owner, mail, "admin")
    before = memberships(owner.business_id)

    for target in (owner, co_owner):
        error_of(set_role(client, admin, target.user_id, "staff"), 403, "forbidden")
        error_of(set_role(client, admin, target.user_id, "admin"), 403, "forbidden")
        error_of(remove(client, admin, target.user_id), 403, "forbidden")

    assert memberships(owner.business_id) == before


def test_an_owner_makes_another_member_an_owner(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")

    response = set_role(client, owner, admin.user_id, "owner")

    assert response.status_code == 200 and body(response)["role"] == "owner"
    assert memberships(owner.business_id) == {owner.user_id: "owner", admin.user_id: "owner"}


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_the_last_owner_cannot_be_demoted(client, mail, role):
    owner = new_business(client)
    add_member(client, owner, mail, "admin")
    before = memberships(owner.business_id)

    error_of(set_role(client, owner, owner.user_id, role), 409, "last_owner")

    assert memberships(owner.business_id) == before


def test_the_last_owner_cannot_be_removed(client):
    owner = new_business(client)

    error_of(remove(client, owner, owner.user_id), 409, "last_owner")

    assert memberships(owner.business_id) == {owner.user_id: "owner"}


def test_staying_owner_is_not_a_demotion(client):
    owner = new_business(client)

    response = set_role(client, owner, owner.user_id, "owner")

    assert response.status_code == 200 and body(response)["role"] == "owner"


def test_with_two_owners_one_can_be_demoted_and_then_the_other_is_the_last(client, mail):
    owner = new_business(client)
    co_owner = add_member(client, owner, mail, "owner")

    response = set_role(client, owner, co_owner.user_id, "admin")

    assert response.status_code == 200 and body(response)["role"] == "admin"
    error_of(set_role(client, owner, owner.user_id, "staff"), 409, "last_owner")
    assert memberships(owner.business_id) == {owner.user_id: "owner", co_owner.user_id: "admin"}


def test_an_owner_may_step_down_while_another_owner_stays(client, mail):
    owner = new_business(client)
    co_owner = add_member(client, owner, mail, "owner")

    response = set_role(client, owner, owner.user_id, "admin")

    assert response.status_code == 200
    assert memberships(owner.business_id) == {owner.user_id: "admin", co_owner.user_id: "owner"}


def test_with_two_owners_one_can_be_removed(client, mail):
    owner = new_business(client)
    co_owner = add_member(client, owner, mail, "owner")

    assert remove(client, owner, co_owner.user_id).status_code == 204

    assert memberships(owner.business_id) == {owner.user_id: "owner"}
    error_of(remove(client, owner, owner.user_id), 409, "last_owner")


def test_removing_a_member_ends_their_membership_and_their_refresh(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")

    response = remove(client, owner, staff.user_id)

    assert response.status_code == 204 and not response.body
    assert staff.user_id not in memberships(owner.business_id)
    assert staff.user_id not in [m["user_id"] for m in body(call(client, "GET", "/business/users", session=owner))["items"]]
    assert refresh(client, staff).status_code == 401


def test_an_admin_removes_staff_and_admins(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    other_admin, staff = add_member(client, owner, mail, "admin"), add_member(client, owner, mail, "staff")

    assert remove(client, admin, staff.user_id).status_code == 204
    assert remove(client, admin, other_admin.user_id).status_code == 204

    assert memberships(owner.business_id) == {owner.user_id: "owner", admin.user_id: "admin"}


def test_a_removed_member_can_be_invited_again(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    remove(client, owner, staff.user_id)

    assert invite(client, owner, staff.email, "staff").status_code == 201

    assert [r["email"] for r in open_invitations(owner.business_id)] == [staff.email]


def test_staff_cannot_change_roles_or_remove_anyone(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    other = add_member(client, owner, mail, "staff")
    before = memberships(owner.business_id)

    error_of(set_role(client, staff, staff.user_id, "admin"), 403, "forbidden")
    error_of(set_role(client, staff, other.user_id, "admin"), 403, "forbidden")
    error_of(remove(client, staff, other.user_id), 403, "forbidden")
    error_of(remove(client, staff, owner.user_id), 403, "forbidden")

    assert memberships(owner.business_id) == before


def test_an_unknown_member_is_a_404(client):
    owner = new_business(client)
    nobody = str(uuid.uuid4())

    error_of(set_role(client, owner, nobody, "admin"), 404, "not_found")
    error_of(remove(client, owner, nobody), 404, "not_found")

    assert memberships(owner.business_id) == {owner.user_id: "owner"}


@pytest.mark.parametrize("user_id", ["not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g"])
def test_an_id_that_is_not_a_uuid_is_a_404(client, user_id):
    owner = new_business(client)

    error_of(set_role(client, owner, user_id, "admin"), 404, "not_found")
    error_of(remove(client, owner, user_id), 404, "not_found")


def test_an_invitation_id_is_not_a_member_id(client):
    owner = new_business(client)
    invitation_id = body(invite(client, owner, unique_email("pending"), "staff"))["id"]

    error_of(set_role(client, owner, invitation_id, "admin"), 404, "not_found")
    error_of(remove(client, owner, invitation_id), 404, "not_found")


@pytest.mark.parametrize("payload", [{"role": "superuser"}, {"role": None}, {}, {"role": "admin", "name": "x"}])
def test_an_invalid_role_change_is_a_422(client, mail, payload):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")

    response = call(client, "PATCH", f"/business/users/{staff.user_id}", payload, session=owner)

    invalid_fields(response)
    assert memberships(owner.business_id)[staff.user_id] == "staff"


def test_a_demoted_owner_cannot_use_their_old_token_to_take_the_role_back(client, mail):
    owner = new_business(client)
    co_owner = add_member(client, owner, mail, "owner")
    assert set_role(client, owner, co_owner.user_id, "staff").status_code == 200

    # co_owner's access token still says "owner" until it expires: the database has the last word.
    error_of(set_role(client, co_owner, co_owner.user_id, "owner"), 403, "forbidden")
    error_of(set_role(client, co_owner, owner.user_id, "staff"), 403, "forbidden")
    error_of(remove(client, co_owner, owner.user_id), 403, "forbidden")

    assert memberships(owner.business_id) == {owner.user_id: "owner", co_owner.user_id: "staff"}


def test_a_removed_admin_cannot_use_their_old_token_to_manage_the_team(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    staff = add_member(client, owner, mail, "staff")
    assert remove(client, owner, admin.user_id).status_code == 204
    address = unique_email("backdoor")

    # Their token still verifies, but they are no longer a member: as good as no token.
    error_of(invite(client, admin, address, "admin"), 401, "unauthorized")
    error_of(set_role(client, admin, staff.user_id, "admin"), 401, "unauthorized")
    error_of(remove(client, admin, staff.user_id), 401, "unauthorized")

    assert open_invitations(owner.business_id) == [] and mail.sent_to(address) == []
    assert memberships(owner.business_id) == {owner.user_id: "owner", staff.user_id: "staff"}


def test_a_removed_member_loses_every_route_at_once_not_when_the_token_expires(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    assert remove(client, owner, admin.user_id).status_code == 204

    error_of(call(client, "GET", "/business", session=admin), 401, "unauthorized")
    error_of(call(client, "PATCH", "/business", {"name": "Taken over"}, session=admin), 401, "unauthorized")
    error_of(call(client, "GET", "/business/users", session=admin), 401, "unauthorized")
    error_of(call(client, "GET", "/auth/me", session=admin), 401, "unauthorized")
    assert body(call(client, "GET", "/business", session=owner))["name"] != "Taken over"


def test_a_demoted_admin_keeps_only_what_the_new_role_allows(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    assert set_role(client, owner, admin.user_id, "staff").status_code == 200

    error_of(call(client, "PATCH", "/business", {"name": "Still admin?"}, session=admin), 403, "forbidden")
    error_of(call(client, "GET", "/business/users", session=admin), 403, "forbidden")
    assert call(client, "GET", "/business", session=admin).status_code == 200
