"""POST /auth/login: e-mail and password to a session in one of the user's businesses.

Every wrong password here counts towards the per-address throttle (the test
client always comes from 127.0.0.1); the auth conftest deletes them after each test.
"""
from __future__ import annotations

import hashlib
import uuid

from tests.api import PASSWORD, body, call, login, signup, unique_email
from tests.auth.helpers import auth, join_second_business


def test_the_right_password_answers_a_session(client):
    owner = signup(client)

    response = login(client, owner.email)

    assert response.status_code == 200
    answer = body(response)
    assert answer["access_token"] and answer["refresh_token"] and answer["token_type"] == "Bearer"
    assert answer["user"]["id"] == owner.user_id
    assert (answer["role"], answer["business_id"]) == ("owner", owner.business_id)
    me = call(client, "GET", "/auth/me", headers=auth(answer["access_token"]))
    assert body(me)["business"]["id"] == owner.business_id


def test_the_email_is_matched_whatever_its_case(client):
    owner = signup(client)

    response = login(client, "  " + owner.email.upper() + " ")

    assert response.status_code == 200
    assert body(response)["user"]["id"] == owner.user_id


def test_each_login_starts_its_own_session(client):
    owner = signup(client)

    first, second = body(login(client, owner.email)), body(login(client, owner.email))

    assert first["refresh_token"] != second["refresh_token"]
    assert call(client, "POST", "/auth/refresh", {"refresh_token": first["refresh_token"]}).status_code == 200
    assert call(client, "POST", "/auth/refresh", {"refresh_token": second["refresh_token"]}).status_code == 200


def test_a_wrong_password_gives_401_invalid_credentials(client):
    owner = signup(client)

    response = login(client, owner.email, "not the right password")

    assert response.status_code == 401
    assert body(response) == {"error": {"code": "invalid_credentials",
                                        "message": "The e-mail or password is not right.", "details": {}}}


def test_an_unknown_email_gives_the_same_401_as_a_wrong_password(client):
    owner = signup(client)

    wrong_password = login(client, owner.email, "not the right password")
    unknown = login(client, unique_email("nobody"), "not the right password")

    assert unknown.status_code == wrong_password.status_code == 401
    assert unknown.body == wrong_password.body


def test_a_failed_login_is_recorded_for_throttling_without_the_address(client, owner_db):
    owner = signup(client)

    login(client, owner.email, "not the right password")

    rows = owner_db.rows("SELECT email_hash, client_ip FROM login_failures ORDER BY id DESC LIMIT 1")
    assert rows[0]["client_ip"] == "127.0.0.1"
    assert rows[0]["email_hash"] == hashlib.sha256(owner.email.encode()).hexdigest()


def test_login_with_business_id_picks_that_business(client, mail):
    member = signup(client)
    other, _ = join_second_business(client, mail, member, role="admin")

    response = login(client, member.email, business_id=other.business_id)

    assert response.status_code == 200
    answer = body(response)
    assert (answer["business_id"], answer["role"]) == (other.business_id, "admin")
    me = body(call(client, "GET", "/auth/me", headers=auth(answer["access_token"])))
    assert (me["business"]["id"], me["role"]) == (other.business_id, "admin")


def test_login_without_business_id_lands_in_the_business_joined_first(client, mail):
    member = signup(client)
    join_second_business(client, mail, member)

    response = login(client, member.email)

    assert (body(response)["business_id"], body(response)["role"]) == (member.business_id, "owner")


def test_login_into_a_business_the_user_is_not_in_gives_401(client):
    owner = signup(client)
    stranger = signup(client)

    foreign = login(client, owner.email, business_id=stranger.business_id)
    unknown = login(client, owner.email, business_id=str(uuid.uuid4()))

    assert foreign.status_code == unknown.status_code == 401
    assert body(foreign)["error"]["code"] == "invalid_credentials"
    assert foreign.body == unknown.body


def test_login_checks_its_input(client):
    bad_email = login(client, "not-an-email")
    empty_password = call(client, "POST", "/auth/login", {"email": unique_email(), "password": ""})
    bad_business = login(client, unique_email(), business_id="acme")
    extra = call(client, "POST", "/auth/login", {"email": unique_email(), "password": PASSWORD, "remember": True})

    assert [r.status_code for r in (bad_email, empty_password, bad_business, extra)] == [422] * 4
    assert body(bad_email)["error"]["details"]["fields"] == {"email": "not a valid e-mail address"}
    assert list(body(empty_password)["error"]["details"]["fields"]) == ["password"]
    assert list(body(bad_business)["error"]["details"]["fields"]) == ["business_id"]
    assert body(extra)["error"]["details"]["fields"] == {"remember": "unknown field"}
