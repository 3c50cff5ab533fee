"""POST /auth/signup: a business, its owner and a signed-in session, all or nothing."""
from __future__ import annotations

import json
import uuid

import pytest

from tests.api import PASSWORD, body, call, from_address, signup, unique_address, unique_email
from tests.auth.helpers import VERIFY_SUBJECT, link_in


@pytest.fixture(autouse=True)
def own_address():
    """Sign-ups are limited per client address (see test_signup_limits.py): each test here signs up
    from an address of its own."""
    with from_address(unique_address()):
        yield


def signup_payload(**overrides):
    return {"business_name": "Studio " + uuid.uuid4().hex[:6], "owner_name": "Olive Owner",
            "email": unique_email(), "password": PASSWORD, "time_zone": "Europe/London", "currency": "GBP",
            **overrides}


def unique_slug() -> str:
    return "studio-" + uuid.uuid4().hex[:10]


def users_with(owner_db, address: str) -> list[dict]:
    return owner_db.rows("SELECT id, email FROM users WHERE email = :email", email=address.lower())


def test_signup_answers_201_with_tokens_the_owner_and_the_business(client):
    payload = signup_payload(email=unique_email().upper(), slug=unique_slug(), time_zone="Europe/Madrid",
                             currency="EUR", locale="es")

    response = call(client, "POST", "/auth/signup", payload)

    assert response.status_code == 201, response.body
    answer = body(response)
    assert answer["access_token"] and answer["refresh_token"]
    assert answer["token_type"] == "Bearer"
    assert answer["expires_in"] == 900
    assert answer["role"] == "owner"
    assert answer["user"] == {"id": answer["user"]["id"], "email": payload["email"].lower(),
                              "name": "Olive Owner", "email_verified": False}
    business = answer["business"]
    assert business["id"] == answer["business_id"]
    assert (business["name"], business["slug"], business["time_zone"], business["currency"], business["locale"]) \
        == (payload["business_name"], payload["slug"], "Europe/Madrid", "EUR", "es")
    assert business["plan"] == "trial" and business["status"] == "active"
    assert business["contact"]["email"] == payload["email"].lower()
    assert "password" not in response.body.decode() and "password_hash" not in response.body.decode()


def test_the_signup_tokens_are_a_working_session(client):
    owner = signup(client)

    me = call(client, "GET", "/auth/me", session=owner)
    rotated = call(client, "POST", "/auth/refresh", {"refresh_token": owner.refresh_token})

    assert me.status_code == 200
    assert body(me)["user"]["id"] == owner.user_id and body(me)["role"] == "owner"
    assert rotated.status_code == 200


def test_signup_stores_the_owner_membership_and_a_hashed_password(client, owner_db):
    owner = signup(client)

    membership = owner_db.rows("SELECT user_id, role FROM memberships WHERE business_id = :bid",
                               business_id=owner.business_id, bid=uuid.UUID(owner.business_id))
    user = owner_db.rows("SELECT password_hash FROM users WHERE id = :id", id=uuid.UUID(owner.user_id))[0]

    assert membership == [{"user_id": uuid.UUID(owner.user_id), "role": "owner"}]
    assert user["password_hash"].startswith("scrypt$") and PASSWORD not in user["password_hash"]


def test_signup_emails_a_verification_link(client, mail):
    owner = signup(client)

    messages = mail.sent_to(owner.email)

    assert [m["Subject"] for m in messages] == ["Confirm your e-mail address"]
    assert link_in(mail, owner.email, VERIFY_SUBJECT).startswith("http://127.0.0.1:5173/verify-email?token=")


def test_without_a_slug_one_is_made_from_the_name_and_kept_unique(client):
    first = call(client, "POST", "/auth/signup", signup_payload(business_name="Café Olé Barbers"))
    second = call(client, "POST", "/auth/signup", signup_payload(business_name="Café Olé Barbers"))

    assert first.status_code == second.status_code == 201
    slugs = {body(first)["business"]["slug"], body(second)["business"]["slug"]}
    assert len(slugs) == 2
    assert all(slug.startswith("cafe-ole-barbers") for slug in slugs)


def test_a_taken_email_gives_409_and_leaves_no_business_behind(client, mail):
    owner = signup(client)
    slug = unique_slug()

    response = call(client, "POST", "/auth/signup", signup_payload(email=owner.email.upper(), slug=slug))

    assert response.status_code == 409
    assert body(response)["error"]["code"] == "email_taken"
    assert len(mail.sent_to(owner.email)) == 1  # only the first signup's verification
    # The business insert was rolled back with the user: its slug is still free.
    again = call(client, "POST", "/auth/signup", signup_payload(slug=slug))
    assert again.status_code == 201, again.body


def test_a_taken_slug_gives_409_and_leaves_no_user_behind(client, owner_db, mail):
    slug = unique_slug()
    signup(client, slug=slug)
    email = unique_email()

    response = call(client, "POST", "/auth/signup", signup_payload(email=email, slug=slug))

    assert response.status_code == 409
    error = body(response)["error"]
    assert error["code"] == "slug_taken"
    assert error["details"] == {"slug": slug}
    assert users_with(owner_db, email) == []
    assert mail.sent_to(email) == []
    # The address is still free.
    assert call(client, "POST", "/auth/signup", signup_payload(email=email)).status_code == 201


@pytest.mark.parametrize("password, reason", [
    ("short1", "use at least 10 characters"),
    ("password1234", "this password is too common"),
    ("PASSWORD1234", "this password is too common"),
    ("x" * 257, "Expected `str` of length <= 256"),
])
def test_a_weak_password_gives_422_and_stores_nothing(client, owner_db, mail, password, reason):
    email = unique_email()

    response = call(client, "POST", "/auth/signup", signup_payload(email=email, password=password))

    assert response.status_code == 422
    error = body(response)["error"]
    assert error["code"] == "validation_failed"
    assert error["details"]["fields"] == {"password": reason}
    assert users_with(owner_db, email) == []
    assert mail.sent_to(email) == []


@pytest.mark.parametrize("change, fields", [
    ({"business_name": 42}, {"business_name": "Expected a name"}),
    ({"owner_name": ""}, {"owner_name": "use 1 to 120 characters"}),
    ({"owner_name": "Olive\r\nBcc: someone@example.com"}, {"owner_name": "must not contain newlines or control characters"}),
    ({"nickname": "Olly"}, {"nickname": "unknown field"}),
    ({"business_name": None}, {"business_name": "Expected a name"}),
    ({"time_zone": "Mars/Base"}, {"time_zone": "not an IANA time zone name"}),
    ({"currency": "XXX"}, {"currency": "not an ISO 4217 currency code"}),
    ({"currency": "eur"}, {"currency": "not an ISO 4217 currency code"}),
    ({"slug": "Not A Slug"}, {"slug": "use 3-63 lower-case letters, digits and inner hyphens"}),
    ({"slug": "admin"}, {"slug": "this name is reserved"}),
    ({"locale": "english"}, {"locale": "Expected `str` matching regex '^[a-z]{2}(-[A-Z]{2})?$'"}),
], ids=lambda v: json.dumps(v) if isinstance(v, dict) else None)
def test_a_bad_field_gives_422_naming_it_and_stores_nothing(client, owner_db, mail, change, fields):
    payload = signup_payload(**change)

    response = call(client, "POST", "/auth/signup", payload)

    assert response.status_code == 422, response.body
    assert body(response)["error"]["code"] == "validation_failed"
    assert body(response)["error"]["details"]["fields"] == fields
    assert users_with(owner_db, payload["email"]) == []
    assert mail.sent_to(payload["email"]) == []


@pytest.mark.parametrize("email", ["not-an-email", "two@@example.com", "olive@localhost", "olive @example.com"])
def test_an_invalid_email_gives_422_on_the_email_field(client, email):
    response = call(client, "POST", "/auth/signup", signup_payload(email=email))

    assert response.status_code == 422
    assert body(response)["error"]["details"]["fields"] == {"email": "not a valid e-mail address"}


def test_a_missing_field_is_named_as_required(client):
    payload = signup_payload()
    del payload["currency"]

    response = call(client, "POST", "/auth/signup", payload)

    assert response.status_code == 422
    assert body(response)["error"]["details"]["fields"] == {"currency": "required"}


@pytest.mark.parametrize("raw", ['{"business_name": "Studio",', "not json", "", "[]"])
def test_a_body_that_is_not_a_json_object_is_refused(client, raw):
    response = call(client, "POST", "/auth/signup", raw=raw)

    # Not JSON at all: 400. JSON of the wrong shape (or no body): 422, like any field error.
    if raw in ("", "[]"):
        assert response.status_code == 422
        assert body(response)["error"]["code"] == "validation_failed"
    else:
        assert response.status_code == 400
        assert body(response)["error"] == {"code": "bad_request", "message": "The request body is not valid JSON.",
                                           "details": {}}


def test_malformed_json_gives_400_and_stores_nothing(client, owner_db):
    email = unique_email()
    raw = json.dumps(signup_payload(email=email))[:-1]  # the closing brace is missing

    response = call(client, "POST", "/auth/signup", raw=raw)

    assert response.status_code == 400
    assert body(response)["error"]["code"] == "bad_request"
    assert users_with(owner_db, email) == []


def test_a_body_over_1_mib_gives_413_and_stores_nothing(client, owner_db, mail):
    email = unique_email()
    raw = json.dumps(signup_payload(email=email)) + " " * (1024 * 1024)

    response = call(client, "POST", "/auth/signup", raw=raw)

    assert response.status_code == 413
    assert body(response)["error"] == {"code": "payload_too_large",
                                       "message": "The request body is larger than 1 MiB.", "details": {}}
    assert users_with(owner_db, email) == []
    assert mail.sent_to(email) == []


def test_a_body_of_exactly_1_mib_is_accepted(client):
    text = json.dumps(signup_payload())
    raw = text + " " * (1024 * 1024 - len(text.encode()))

    response = call(client, "POST", "/auth/signup", raw=raw)

    assert response.status_code == 201, response.body


def test_a_slug_made_from_a_reserved_name_gets_a_suffix(client):
    answer = body(call(client, "POST", "/auth/signup", {
        "business_name": "Admin", "owner_name": "Olive Owner", "email": unique_email(), "password": PASSWORD,
        "time_zone": "Europe/London", "currency": "GBP"}))

    assert answer["business"]["slug"].startswith("admin-")
