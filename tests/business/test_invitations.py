"""POST /business/users/invitations: invite someone with a role; they get an e-mail with a link."""
from __future__ import annotations

import re
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.business import service as business_service
from chalicelib.core.security import Caller, hash_token
from tests.api import PASSWORD, add_member, body, call, invite, new_business, unique_email
from tests.business.helpers import error_of, invalid_fields, invitations, memberships, open_invitations


def tokens_sent_to(mail, address: str) -> list[str]:
    """Every invitation token mailed to ``address`` (in no particular order)."""
    found = []
    for message in mail.sent_to(address):
        text = message.get_body(preferencelist=("plain",)).get_content()
        found += re.findall(r"/accept-invitation\?token=(\S+)", text)
    return found


def accept(client, token: str, password: str = PASSWORD):
    return call(client, "POST", "/auth/invitations/accept", {"token": token, "password": password, "name": "Newcomer"})


def invite_with_key(client, session, key: str, email: str, role: str = "staff"):
    return call(client, "POST", "/business/users/invitations", {"email": email, "role": role}, session=session,
                headers={"Idempotency-Key": key})


def test_an_invitation_is_stored_and_mailed_with_an_accept_link(client, mail):
    owner = new_business(client)
    business_name = body(call(client, "GET", "/business", session=owner))["name"]
    address = unique_email("newcomer")

    response = invite(client, owner, address, "staff")

    assert response.status_code == 201, response.body
    answer = body(response)
    assert set(answer) == {"id", "email", "role", "created_at", "expires_at"}
    assert (answer["email"], answer["role"]) == (address, "staff")
    expires = datetime.fromisoformat(answer["expires_at"])
    assert abs(expires - (datetime.now(timezone.utc) + timedelta(days=7))) < timedelta(minutes=5)
    [message] = mail.sent_to(address)
    assert business_name in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "as staff" in text
    [token] = tokens_sent_to(mail, address)
    assert token.startswith(f"{owner.business_id}.")
    [row] = invitations(owner.business_id)
    assert str(row["id"]) == answer["id"]
    assert (row["email"], row["role"], str(row["invited_by"])) == (address, "staff", owner.user_id)
    # Only the hash of the token is kept.
    assert row["token_hash"] == hash_token(token) and token not in row["token_hash"]


def test_the_mailed_link_lets_the_invitee_join_with_the_role(client, mail):
    owner = new_business(client)
    address = unique_email("newcomer")
    invite(client, owner, address, "admin")

    response = accept(client, mail.last_token(address))

    assert response.status_code == 200, response.body
    session = body(response)
    assert (session["role"], session["business_id"]) == ("admin", owner.business_id)
    assert memberships(owner.business_id)[session["user"]["id"]] == "admin"
    assert accept(client, mail.last_token(address)).status_code == 401  # the link works once


def test_the_address_is_stored_lower_cased(client, mail):
    owner = new_business(client)
    address = unique_email("mixed")

    response = invite(client, owner, "  " + address.upper() + " ", "staff")

    assert response.status_code == 201, response.body
    assert body(response)["email"] == address
    assert [r["email"] for r in invitations(owner.business_id)] == [address]
    assert len(mail.sent_to(address)) == 1


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_an_admin_invites_staff_and_admins(client, mail, role):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    address = unique_email(role)

    response = invite(client, admin, address, role)

    assert response.status_code == 201, response.body
    [row] = open_invitations(owner.business_id)
    assert (row["email"], row["role"], str(row["invited_by"])) == (address, role, admin.user_id)


def test_an_admin_cannot_invite_an_owner(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    address = unique_email("would-be-owner")

    error_of(invite(client, admin, address, "owner"), 403, "forbidden")

    assert open_invitations(owner.business_id) == []
    assert mail.sent_to(address) == []


def test_an_owner_invites_another_owner(client, mail):
    owner = new_business(client)
    address = unique_email("co-owner")

    assert invite(client, owner, address, "owner").status_code == 201
    response = accept(client, mail.last_token(address))

    assert response.status_code == 200 and body(response)["role"] == "owner"
    assert sorted(memberships(owner.business_id).values()) == ["owner", "owner"]


def test_staff_cannot_invite(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    address = unique_email("friend")

    error_of(invite(client, staff, address, "staff"), 403, "forbidden")

    assert open_invitations(owner.business_id) == []
    assert mail.sent_to(address) == []


def test_inviting_someone_already_on_the_team_is_a_conflict(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    mails_before = len(mail.sent_to(staff.email))

    for address in (staff.email, staff.email.upper(), owner.email):
        error_of(invite(client, owner, address, "admin"), 409, "already_member")

    assert open_invitations(owner.business_id) == []
    assert len(mail.sent_to(staff.email)) == mails_before
    assert memberships(owner.business_id)[staff.user_id] == "staff"


def test_a_new_invitation_replaces_the_open_one_and_its_token(client, mail):
    owner = new_business(client)
    address = unique_email("twice")
    assert invite(client, owner, address, "staff").status_code == 201
    [old_token] = tokens_sent_to(mail, address)

    assert invite(client, owner, address, "admin").status_code == 201

    [new_token] = set(tokens_sent_to(mail, address)) - {old_token}
    [still_open] = open_invitations(owner.business_id)
    assert (still_open["email"], still_open["role"]) == (address, "admin")
    assert len(invitations(owner.business_id)) == 2
    error_of(accept(client, old_token), 401, "invalid_token")
    pending = body(call(client, "GET", "/business/users", session=owner))["invitations"]
    assert [(i["email"], i["role"]) for i in pending] == [(address, "admin")]
    response = accept(client, new_token)
    assert response.status_code == 200 and body(response)["role"] == "admin"


def test_invitations_to_one_address_at_once_all_succeed_and_one_stays_open(client, mail):
    """Through the service from threads: the Chalice test client swaps os.environ per request and is
    not safe to share between threads."""
    owner = new_business(client)
    address, statuses = unique_email("race"), []
    start = threading.Barrier(4)
    caller = Caller(uuid.UUID(owner.user_id), uuid.UUID(owner.business_id), "owner")

    def send(role: str) -> None:
        start.wait()
        statuses.append(business_service.invite(caller, address, role)["email"])

    threads = [threading.Thread(target=send, args=(role,)) for role in ("staff", "admin", "staff", "admin")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [address] * 4
    assert len(invitations(owner.business_id)) == 4
    [still_open] = open_invitations(owner.business_id)
    # An invitation replaced before its e-mail was written gets none; the open one's e-mail went out.
    tokens = tokens_sent_to(mail, address)
    assert 1 <= len(tokens) <= 4
    [live] = [t for t in tokens if hash_token(t) == still_open["token_hash"]]
    for dead in set(tokens) - {live}:
        error_of(accept(client, dead), 401, "invalid_token")
    assert accept(client, live).status_code == 200


def test_the_same_idempotency_key_and_body_invite_once(client, mail):
    owner = new_business(client)
    address, key = unique_email("retry"), f"invite-{uuid.uuid4()}"

    first = invite_with_key(client, owner, key, address)
    second = invite_with_key(client, owner, key, address)

    assert first.status_code == second.status_code == 201
    assert body(second) == body(first)
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert len(invitations(owner.business_id)) == 1
    assert len(mail.sent_to(address)) == 1


def test_the_same_idempotency_key_with_another_body_is_a_conflict(client, mail):
    owner = new_business(client)
    first_address, other_address, key = unique_email("one"), unique_email("two"), f"invite-{uuid.uuid4()}"
    assert invite_with_key(client, owner, key, first_address).status_code == 201

    error_of(invite_with_key(client, owner, key, other_address), 409, "idempotency_key_reused")
    error_of(invite_with_key(client, owner, key, first_address, role="admin"), 409, "idempotency_key_reused")

    assert [r["email"] for r in invitations(owner.business_id)] == [first_address]
    assert mail.sent_to(other_address) == []


def test_different_idempotency_keys_are_different_requests(client, mail):
    owner = new_business(client)
    address = unique_email("again")

    assert invite_with_key(client, owner, f"a-{uuid.uuid4()}", address).status_code == 201
    assert invite_with_key(client, owner, f"b-{uuid.uuid4()}", address).status_code == 201

    assert len(invitations(owner.business_id)) == 2 and len(open_invitations(owner.business_id)) == 1
    assert len(mail.sent_to(address)) == 2


def test_an_idempotency_key_belongs_to_one_business(client, mail):
    first, second = new_business(client), new_business(client)
    key, address = f"shared-{uuid.uuid4()}", unique_email("both")

    assert invite_with_key(client, first, key, address).status_code == 201
    response = invite_with_key(client, second, key, address)

    assert response.status_code == 201 and response.headers.get("Idempotent-Replayed") is None
    assert len(invitations(first.business_id)) == 1 and len(invitations(second.business_id)) == 1
    assert len(mail.sent_to(address)) == 2


def test_a_refused_invitation_is_replayed_not_retried(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    key, address = f"owner-{uuid.uuid4()}", unique_email("boss")

    error_of(invite_with_key(client, admin, key, address, role="owner"), 403, "forbidden")
    replay = invite_with_key(client, admin, key, address, role="owner")

    error_of(replay, 403, "forbidden")
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert open_invitations(owner.business_id) == [] and mail.sent_to(address) == []


def test_an_overlong_idempotency_key_is_a_422(client, mail):
    owner = new_business(client)
    address = unique_email("long")

    fields = invalid_fields(invite_with_key(client, owner, "k" * 256, address))

    assert set(fields) == {"Idempotency-Key"}
    assert invitations(owner.business_id) == [] and mail.sent_to(address) == []


@pytest.mark.parametrize(("payload", "field"), [
    ({"email": "not-an-address", "role": "staff"}, "email"),
    ({"email": "two@@example.com", "role": "staff"}, "email"),
    ({"email": "", "role": "staff"}, "email"),
    ({"email": None, "role": "staff"}, "email"),
    ({"role": "staff"}, "email"),
    ({"email": "someone@example.com", "role": "superuser"}, "role"),
    ({"email": "someone@example.com", "role": "Owner"}, "role"),
    ({"email": "someone@example.com"}, "role"),
    ({"email": "someone@example.com", "role": "staff", "message": "hi"}, "message"),
])
def test_an_invalid_invitation_is_a_422_and_nothing_is_stored_or_sent(client, mail, payload, field):
    owner = new_business(client)

    response = call(client, "POST", "/business/users/invitations", payload, session=owner)

    assert set(invalid_fields(response)) == {field}
    assert invitations(owner.business_id) == []
    assert mail.sent_to("someone@example.com") == []


def test_a_malformed_invitation_body_is_a_400(client):
    owner = new_business(client)

    error_of(call(client, "POST", "/business/users/invitations", session=owner, raw='{"email": '), 400, "bad_request")

    assert invitations(owner.business_id) == []


def test_an_invitation_is_kept_when_the_mail_provider_refuses_and_can_be_sent_again(client, mail, monkeypatch):
    from chalicelib.core.settings import settings

    owner = new_business(client)
    email = unique_email("invitee")
    monkeypatch.setenv("EMAIL_BACKEND", "ses")  # moto's SES refuses the unverified sender
    settings.cache_clear()
    settings()
    try:
        refused = invite(client, owner, email)
    finally:
        monkeypatch.undo()
        settings.cache_clear()
        settings()

    assert refused.status_code == 201
    assert [i["email"] for i in body(call(client, "GET", "/business/users", session=owner))["invitations"]] == [email]
    assert invite(client, owner, email).status_code == 201
    assert len(mail.sent_to(email)) == 1
