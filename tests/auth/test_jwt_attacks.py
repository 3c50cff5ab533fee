"""Forged and broken access tokens on GET /auth/me: the authorizer denies each one (403).

Tokens that need a valid signature are signed with the local key, as an
attacker who had stolen it would; the first test shows such a token, built the
same way with nothing wrong in it, is accepted, so each refusal below is down
to the one thing that test breaks. The tests only read, so they share one owner.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.core import security
from tests.api import signup

KEY = security._LOCAL_KEYS["local-1"]
DENIED = {"Message": "User is not authorized to access this resource"}
DROP = object()


@pytest.fixture(scope="module")
def owner(client):
    return signup(client)


def claims(owner, **changes):
    now = int(time.time())
    found = {"sub": owner.user_id, "bid": owner.business_id, "role": "owner", "iss": "booking-api",
             "aud": "booking-app", "iat": now, "nbf": now, "exp": now + 600, "jti": uuid.uuid4().hex}
    found.update(changes)
    return {name: value for name, value in found.items() if value is not DROP}


def forge(payload, *, key=KEY, algorithm="HS256", headers=DROP):
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": "local-1"} if headers is DROP else headers)


def forge_by_hand(header, payload, *, key=KEY):
    """HS256 over any header at all (pyjwt refuses to write some of the ones attackers send)."""
    signing_input = f"{b64(header)}.{b64(payload)}"
    signature = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def me(client, token):
    return client.http.get("/auth/me", headers={"Authorization": f"Bearer {token}"})


def assert_denied(response):
    assert response.status_code == 403, response.body
    assert json.loads(response.body) == DENIED


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_well_formed_token_signed_with_the_key_is_accepted(client, owner):
    response = me(client, forge(claims(owner)))

    assert response.status_code == 200
    assert json.loads(response.body)["user"]["id"] == owner.user_id


def test_alg_none_is_denied(client, owner):
    unsigned = jwt.encode(claims(owner), None, algorithm="none", headers={"kid": "local-1"})

    assert_denied(me(client, unsigned))


def test_a_real_token_rewritten_to_alg_none_without_its_signature_is_denied(client, owner):
    _, payload, _ = owner.access_token.split(".")
    header = b64({"alg": "none", "typ": "JWT", "kid": "local-1"})

    assert_denied(me(client, f"{header}.{payload}."))


@pytest.mark.filterwarnings("ignore:The HMAC key is")  # pyjwt: a 52-byte key is short for SHA-512
def test_hs512_with_the_right_key_is_denied(client, owner):
    assert_denied(me(client, forge(claims(owner), algorithm="HS512")))


def test_an_rs256_token_is_denied(client, owner):
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    assert_denied(me(client, forge(claims(owner), key=private_key, algorithm="RS256")))


def test_hs256_signed_with_another_key_is_denied(client, owner):
    assert_denied(me(client, forge(claims(owner), key="an attacker's own secret, long enough")))


def test_an_expired_token_is_denied(client, owner):
    now = int(time.time())

    assert_denied(me(client, forge(claims(owner, iat=now - 1000, nbf=now - 1000, exp=now - 1))))


def test_a_token_not_yet_valid_is_denied(client, owner):
    assert_denied(me(client, forge(claims(owner, nbf=int(time.time()) + 120))))


def test_a_token_for_another_audience_is_denied(client, owner):
    assert_denied(me(client, forge(claims(owner, aud="some-other-app"))))


def test_a_token_from_another_issuer_is_denied(client, owner):
    assert_denied(me(client, forge(claims(owner, iss="someone-else"))))


def test_a_tampered_signature_is_denied(client, owner):
    header, payload, signature = owner.access_token.split(".")
    middle = len(signature) // 2
    flipped = signature[:middle] + ("A" if signature[middle] != "A" else "B") + signature[middle + 1:]

    assert_denied(me(client, f"{header}.{payload}.{flipped}"))


def test_a_tampered_payload_is_denied(client, owner):
    other = signup(client)
    header, _, signature = owner.access_token.split(".")
    moved = b64({**jwt.decode(owner.access_token, options={"verify_signature": False}), "bid": other.business_id})

    assert_denied(me(client, f"{header}.{moved}.{signature}"))


def test_an_unknown_kid_is_denied(client, owner):
    assert_denied(me(client, forge(claims(owner), headers={"kid": "local-2"})))


def test_a_missing_kid_is_denied(client, owner):
    assert_denied(me(client, forge(claims(owner), headers={})))


def test_a_hand_made_token_with_nothing_wrong_is_accepted(client, owner):
    token = forge_by_hand({"alg": "HS256", "typ": "JWT", "kid": "local-1"}, claims(owner))

    assert me(client, token).status_code == 200


@pytest.mark.parametrize("kid", [1, ["local-1"], {"kid": "local-1"}, None, ""])
def test_a_kid_that_is_not_a_known_name_is_denied(client, owner, kid):
    assert_denied(me(client, forge_by_hand({"alg": "HS256", "typ": "JWT", "kid": kid}, claims(owner))))


@pytest.mark.parametrize("claim", ["sub", "bid", "role", "iss", "aud", "exp", "iat", "nbf", "jti"])
def test_a_token_missing_a_required_claim_is_denied(client, owner, claim):
    assert_denied(me(client, forge(claims(owner, **{claim: DROP}))))


@pytest.mark.parametrize("changes", [
    {"sub": "not-a-uuid"}, {"sub": 12345}, {"bid": "acme"}, {"role": "platform_admin"}, {"role": "OWNER"},
    {"jti": 7},
], ids=lambda c: json.dumps(c))
def test_a_token_with_a_malformed_claim_is_denied(client, owner, changes):
    assert_denied(me(client, forge(claims(owner, **changes))))


@pytest.mark.parametrize("token", [
    "a.b.c", "..", "only-one-part", f"{b64({'kid': 'local-1'})}.e30.", "WyJhIl0.e30.c2ln",  # header is a list
])
def test_garbage_in_the_token_is_denied(client, token):
    assert_denied(me(client, token))
