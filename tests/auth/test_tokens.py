"""POST /auth/refresh and /auth/logout: rotating refresh tokens in families, and revoking them."""
from __future__ import annotations

import hashlib
import uuid

from tests.api import add_member, body, call, login, signup
from tests.auth.helpers import auth, join_second_business

NOT_VALID = {"error": {"code": "unauthorized", "message": "The refresh token is not valid.", "details": {}}}


def refresh(client, token):
    return call(client, "POST", "/auth/refresh", {"refresh_token": token})


def logout(client, session_or_access, token=None):
    headers = auth(session_or_access if isinstance(session_or_access, str) else session_or_access.access_token)
    return call(client, "POST", "/auth/logout", {"refresh_token": token} if token else None, headers=headers)


def family_rows(owner_db, business_id, token):
    """Every token of the family ``token`` belongs to."""
    return owner_db.rows(
        "SELECT used_at, revoked_at FROM refresh_tokens WHERE family_id ="
        " (SELECT family_id FROM refresh_tokens WHERE token_hash = :h) ORDER BY created_at",
        business_id=business_id, h=hashlib.sha256(token.encode()).hexdigest())


def test_refresh_rotates_into_a_new_working_pair(client):
    owner = signup(client)

    response = refresh(client, owner.refresh_token)

    assert response.status_code == 200
    pair = body(response)
    assert set(pair) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert pair["refresh_token"] != owner.refresh_token and pair["access_token"] != owner.access_token
    assert pair["refresh_token"].startswith(owner.business_id + ".")
    me = call(client, "GET", "/auth/me", headers=auth(pair["access_token"]))
    assert me.status_code == 200 and body(me)["role"] == "owner"
    assert refresh(client, pair["refresh_token"]).status_code == 200


def test_a_rotated_refresh_token_no_longer_works(client):
    owner = signup(client)
    assert refresh(client, owner.refresh_token).status_code == 200

    again = refresh(client, owner.refresh_token)

    assert again.status_code == 401
    assert body(again) == NOT_VALID


def test_reusing_a_spent_refresh_token_revokes_the_whole_family(client, owner_db):
    owner = signup(client)
    second = body(refresh(client, owner.refresh_token))["refresh_token"]
    newest = body(refresh(client, second))["refresh_token"]

    reused = refresh(client, owner.refresh_token)  # a thief replays the first token

    assert reused.status_code == 401
    assert refresh(client, newest).status_code == 401  # the legitimate holder is signed out too
    rows = family_rows(owner_db, owner.business_id, newest)
    assert len(rows) == 3 and all(row["revoked_at"] is not None for row in rows)


def test_a_family_revocation_leaves_the_users_other_sessions_alone(client):
    owner = signup(client)
    other_session = body(login(client, owner.email))
    assert refresh(client, owner.refresh_token).status_code == 200

    assert refresh(client, owner.refresh_token).status_code == 401

    assert refresh(client, other_session["refresh_token"]).status_code == 200


def test_an_expired_refresh_token_gives_401(client, owner_db):
    owner = signup(client)
    owner_db.execute("UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = :h",
                     business_id=owner.business_id, h=hashlib.sha256(owner.refresh_token.encode()).hexdigest())

    response = refresh(client, owner.refresh_token)

    assert response.status_code == 401
    assert body(response) == NOT_VALID


def test_made_up_refresh_tokens_give_401(client):
    owner = signup(client)
    secret = owner.refresh_token.partition(".")[2]

    answers = [
        refresh(client, "garbage-garbage-garbage"),                  # no tenant prefix
        refresh(client, "not-a-uuid." + secret),                     # prefix is not an id
        refresh(client, f"{owner.business_id}.{'A' * 43}"),          # right tenant, unknown secret
        refresh(client, f"{uuid.uuid4()}.{secret}"),                 # the secret under another tenant
    ]

    assert [r.status_code for r in answers] == [401] * 4
    assert all(body(r) == NOT_VALID for r in answers)
    assert refresh(client, owner.refresh_token).status_code == 200  # none of that spent the real one


def test_a_refresh_token_of_another_business_cannot_be_moved_across(client):
    owner = signup(client)
    stranger = signup(client)
    secret = owner.refresh_token.partition(".")[2]

    response = refresh(client, f"{stranger.business_id}.{secret}")

    assert response.status_code == 401


def test_refresh_checks_its_input(client):
    short = refresh(client, "short")
    missing = call(client, "POST", "/auth/refresh", {})

    assert short.status_code == missing.status_code == 422
    assert list(body(short)["error"]["details"]["fields"]) == ["refresh_token"]
    assert body(missing)["error"]["details"]["fields"] == {"refresh_token": "required"}


def test_refresh_keeps_the_role_in_the_business_of_the_token(client, mail):
    member = signup(client)
    other, there = join_second_business(client, mail, member, role="staff")

    pair = body(refresh(client, there["refresh_token"]))

    me = body(call(client, "GET", "/auth/me", headers=auth(pair["access_token"])))
    assert (me["business"]["id"], me["role"]) == (other.business_id, "staff")


def test_logout_revokes_the_family_of_the_given_token(client):
    owner = signup(client)
    rotated = body(refresh(client, owner.refresh_token))

    response = logout(client, rotated["access_token"], rotated["refresh_token"])

    assert response.status_code == 204 and response.body == b""
    assert refresh(client, rotated["refresh_token"]).status_code == 401


def test_logout_with_a_token_leaves_the_users_other_sessions_alone(client):
    owner = signup(client)
    other_session = body(login(client, owner.email))

    assert logout(client, owner, owner.refresh_token).status_code == 204

    assert refresh(client, owner.refresh_token).status_code == 401
    assert refresh(client, other_session["refresh_token"]).status_code == 200


def test_logout_without_a_token_ends_every_session_of_the_user_in_that_business(client, mail):
    owner = signup(client)
    second = body(login(client, owner.email))
    neighbour = signup(client)  # someone else entirely
    _, elsewhere = join_second_business(client, mail, owner)

    assert logout(client, owner).status_code == 204

    assert refresh(client, owner.refresh_token).status_code == 401
    assert refresh(client, second["refresh_token"]).status_code == 401
    assert refresh(client, elsewhere["refresh_token"]).status_code == 200  # another business: not this logout's
    assert refresh(client, neighbour.refresh_token).status_code == 200


def test_logout_does_not_touch_a_teammates_sessions(client, mail):
    owner = signup(client)
    staff = add_member(client, owner, mail, "staff")

    assert logout(client, owner).status_code == 204

    assert refresh(client, staff.refresh_token).status_code == 200


def test_logout_with_an_unknown_token_still_answers_204(client):
    owner = signup(client)

    response = logout(client, owner, f"{owner.business_id}.{'B' * 43}")

    assert response.status_code == 204
    assert refresh(client, owner.refresh_token).status_code == 200


def test_logout_needs_an_access_token(client):
    owner = signup(client)

    response = call(client, "POST", "/auth/logout", {"refresh_token": owner.refresh_token})

    assert response.status_code == 401
    assert body(response) == {"message": "Unauthorized"}
    assert refresh(client, owner.refresh_token).status_code == 200


def test_logout_checks_its_input_and_revokes_nothing_on_bad_input(client):
    owner = signup(client)
    bad = [({"refresh_token": 42}, "refresh_token"), ({"refresh_token": "short"}, "refresh_token"),
           ({"everywhere": True}, "everywhere")]

    for payload, field in bad:
        response = call(client, "POST", "/auth/logout", payload, headers=auth(owner.access_token))
        assert response.status_code == 422, payload
        assert field in body(response)["error"]["details"]["fields"]
    malformed = call(client, "POST", "/auth/logout", raw='{"refresh_token":', headers=auth(owner.access_token))

    assert malformed.status_code == 400
    assert refresh(client, owner.refresh_token).status_code == 200
