"""POST /auth/email/verify: the sign-up mail's single-use link confirms the address."""
from __future__ import annotations

import hashlib

from tests.api import body, call, signup
from tests.auth.helpers import RESET_SUBJECT, VERIFY_SUBJECT, token_in

INVALID_LINK = {"error": {"code": "invalid_token", "message": "This link is not valid any more; ask for a new one.",
                          "details": {}}}


def verify(client, token):
    return call(client, "POST", "/auth/email/verify", {"token": token})


def email_verified(client, session) -> bool:
    return body(call(client, "GET", "/auth/me", session=session))["user"]["email_verified"]


def test_the_signup_link_verifies_the_address(client, mail):
    owner = signup(client)
    assert email_verified(client, owner) is False

    response = verify(client, token_in(mail, owner.email, VERIFY_SUBJECT))

    assert response.status_code == 204 and response.body == b""
    assert email_verified(client, owner) is True


def test_a_verification_link_works_once(client, mail):
    owner = signup(client)
    token = token_in(mail, owner.email, VERIFY_SUBJECT)
    assert verify(client, token).status_code == 204

    again = verify(client, token)

    assert again.status_code == 401
    assert body(again) == INVALID_LINK
    assert email_verified(client, owner) is True


def test_an_expired_verification_link_gives_401(client, mail, owner_db):
    owner = signup(client)
    token = token_in(mail, owner.email, VERIFY_SUBJECT)
    owner_db.execute("UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = :h",
                     h=hashlib.sha256(token.encode()).hexdigest())

    response = verify(client, token)

    assert response.status_code == 401
    assert body(response) == INVALID_LINK
    assert email_verified(client, owner) is False


def test_a_made_up_or_reset_token_does_not_verify(client, mail):
    owner = signup(client)
    assert call(client, "POST", "/auth/password/forgot", {"email": owner.email}).status_code == 202
    reset_token = token_in(mail, owner.email, RESET_SUBJECT)

    made_up = verify(client, "y" * 43)
    wrong_purpose = verify(client, reset_token)

    assert made_up.status_code == wrong_purpose.status_code == 401
    assert body(made_up) == body(wrong_purpose) == INVALID_LINK
    assert email_verified(client, owner) is False


def test_verify_checks_its_input(client):
    short = verify(client, "abc")
    wrong_type = verify(client, 12345678901)

    assert short.status_code == wrong_type.status_code == 422
    assert list(body(short)["error"]["details"]["fields"]) == ["token"]
    assert body(wrong_type)["error"]["details"]["fields"] == {"token": "Expected `str`, got `int`"}
