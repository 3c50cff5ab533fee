"""POST /auth/invitations/accept: join a business from an e-mailed, single-use invitation."""
from __future__ import annotations

import hashlib

from tests.api import body, call, invite, login, signup, unique_email
from tests.auth.helpers import INVITE_SUBJECT, auth, token_in

NEW_PASSWORD = "a passphrase of my own"
INVALID_LINK = {"error": {"code": "invalid_token", "message": "This link is not valid any more; ask for a new one.",
                          "details": {}}}


def invited(client, mail, owner, email=None, role="staff"):
    """Invite ``email`` (a new address by default) into ``owner``'s business; answer (email, token)."""
    email = email or unique_email("invitee")
    assert invite(client, owner, email, role).status_code == 201
    return email, token_in(mail, email, INVITE_SUBJECT)


def accept(client, token, password=NEW_PASSWORD, **extra):
    return call(client, "POST", "/auth/invitations/accept", {"token": token, "password": password, **extra})


def team_emails(client, owner):
    return {m["email"]: m["role"] for m in body(call(client, "GET", "/business/users", session=owner))["items"]}


def test_a_new_person_sets_a_password_and_gets_a_session_with_the_invited_role(client, mail):
    owner = signup(client)
    email, token = invited(client, mail, owner, role="admin")

    response = accept(client, token, name="Ada Admin")

    assert response.status_code == 200, response.body
    answer = body(response)
    assert (answer["business_id"], answer["role"]) == (owner.business_id, "admin")
    assert answer["user"] == {"id": answer["user"]["id"], "email": email, "name": "Ada Admin",
                              "email_verified": True}  # the link went to that mailbox
    me = body(call(client, "GET", "/auth/me", headers=auth(answer["access_token"])))
    assert (me["business"]["id"], me["role"]) == (owner.business_id, "admin")
    assert team_emails(client, owner)[email] == "admin"
    logged_in = login(client, email, NEW_PASSWORD)
    assert logged_in.status_code == 200 and body(logged_in)["business_id"] == owner.business_id


def test_a_new_person_without_a_name_gets_a_placeholder(client, mail):
    owner = signup(client)
    _, token = invited(client, mail, owner)

    answer = body(accept(client, token))

    assert answer["user"]["name"] == "New member"


def test_a_new_person_with_a_weak_password_gets_422_and_the_invitation_stays_open(client, mail, owner_db):
    owner = signup(client)
    email, token = invited(client, mail, owner)

    weak = accept(client, token, "password1234")

    assert weak.status_code == 422
    assert body(weak)["error"]["details"]["fields"] == {"password": "this password is too common"}
    assert owner_db.rows("SELECT id FROM users WHERE email = :e", e=email) == []
    assert accept(client, token).status_code == 200


def test_an_existing_account_joins_with_its_current_password(client, mail):
    owner = signup(client)
    member = signup(client)  # owns a business of their own
    _, token = invited(client, mail, owner, email=member.email, role="staff")

    response = accept(client, token, member.password, name="Ignored Name")

    assert response.status_code == 200, response.body
    answer = body(response)
    assert (answer["business_id"], answer["role"], answer["user"]["id"]) == \
        (owner.business_id, "staff", member.user_id)
    assert answer["user"]["name"] == "Olive Owner"  # an existing account keeps its name
    assert body(login(client, member.email, member.password, business_id=owner.business_id))["role"] == "staff"
    assert body(login(client, member.email, member.password))["business_id"] == member.business_id


def test_an_existing_account_with_the_wrong_password_gets_401_and_the_invitation_stays_open(client, mail):
    owner = signup(client)
    member = signup(client)
    _, token = invited(client, mail, owner, email=member.email)

    wrong = accept(client, token, "not my password at all")

    assert wrong.status_code == 401
    assert body(wrong)["error"]["code"] == "invalid_credentials"
    assert member.email not in team_emails(client, owner)
    assert login(client, member.email, member.password).status_code == 200  # the password is unchanged
    assert accept(client, token, member.password).status_code == 200


def test_an_invitation_works_once(client, mail):
    owner = signup(client)
    _, token = invited(client, mail, owner)
    assert accept(client, token).status_code == 200

    again = accept(client, token, "some other long passphrase")

    assert again.status_code == 401
    assert body(again) == INVALID_LINK


def test_an_invitation_for_one_business_cannot_be_accepted_into_another(client, mail):
    owner = signup(client)
    other = signup(client)
    email, token = invited(client, mail, owner)
    secret = token.partition(".")[2]

    tampered = accept(client, f"{other.business_id}.{secret}")

    assert tampered.status_code == 401
    assert body(tampered) == INVALID_LINK
    assert email not in team_emails(client, other)
    assert accept(client, token).status_code == 200  # the real one was not spent
    assert email not in team_emails(client, other)


def test_a_replaced_invitation_no_longer_works(client, mail):
    owner = signup(client)
    email, first = invited(client, mail, owner, role="admin")
    assert invite(client, owner, email, "staff").status_code == 201

    old = accept(client, first)

    assert old.status_code == 401
    assert body(old) == INVALID_LINK


def test_an_expired_invitation_gives_401(client, mail, owner_db):
    owner = signup(client)
    email, token = invited(client, mail, owner)
    owner_db.execute("UPDATE invitations SET expires_at = now() - interval '1 second' WHERE token_hash = :h",
                     business_id=owner.business_id, h=hashlib.sha256(token.encode()).hexdigest())

    response = accept(client, token)

    assert response.status_code == 401
    assert body(response) == INVALID_LINK
    assert owner_db.rows("SELECT id FROM users WHERE email = :e", e=email) == []


def test_made_up_invitation_tokens_give_401(client):
    owner = signup(client)

    answers = [accept(client, "no-prefix-at-all-here"), accept(client, "not-a-uuid.abcdefghijkl"),
               accept(client, f"{owner.business_id}.{'C' * 43}")]

    assert [r.status_code for r in answers] == [401] * 3
    assert all(body(r) == INVALID_LINK for r in answers)
