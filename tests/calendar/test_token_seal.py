"""Google tokens are sealed at rest (AES-256-GCM): the stored column is not the token, a sealed value
opens only for its own connection and column, keys rotate (old values still open under a key the secret
still lists), a retired key or tampered bytes give ``Unreadable``, and no token ever reaches an answer or
a log line."""
from __future__ import annotations

import base64
import json
import logging
import os
import uuid
from collections.abc import Callable, Iterator

import pytest

from chalicelib.calendar import token_seal
from chalicelib.core.settings import settings
from chalicelib.integrations import aws, secrets
from tests.api import body, call
from tests.calendar.helpers import connect_staff, connection

KEY_A, KEY_B = (base64.b64encode(bytes([n]) * 32).decode() for n in (1, 2))


@pytest.fixture
def keys(monkeypatch) -> Iterator[Callable[..., None]]:
    """Seal with these keys (``{kid: b64}``, ``active``) for the rest of the test."""
    def use(listed: dict[str, str], active: str, **env: str) -> None:
        monkeypatch.setenv("GOOGLE_TOKEN_KEYS", json.dumps(listed))
        monkeypatch.setenv("GOOGLE_TOKEN_KEY_ID", active)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings.cache_clear()

    yield use
    monkeypatch.undo()
    settings.cache_clear()
    secrets.json_secret.cache_clear()


def test_a_sealed_token_opens_again_only_for_its_connection_and_column(keys):
    keys({"a": KEY_A}, "a")
    mine, other = uuid.uuid4(), uuid.uuid4()

    sealed = token_seal.seal("1//refresh-token", connection_id=mine, column="refresh")

    assert b"refresh-token" not in sealed and sealed.startswith(b"\x01a")
    assert token_seal.unseal(sealed, connection_id=mine, column="refresh") == "1//refresh-token"
    with pytest.raises(token_seal.Unreadable):
        token_seal.unseal(sealed, connection_id=other, column="refresh")  # moved to another row
    with pytest.raises(token_seal.Unreadable):
        token_seal.unseal(sealed, connection_id=mine, column="access")  # moved to the other column


def test_each_seal_takes_a_new_nonce(keys):
    keys({"a": KEY_A}, "a")
    cid = uuid.uuid4()

    assert token_seal.seal("t", connection_id=cid, column="access") != token_seal.seal("t", connection_id=cid,
                                                                                       column="access")


def test_keys_rotate_old_values_still_open_while_their_key_is_listed(keys):
    cid = uuid.uuid4()
    keys({"a": KEY_A}, "a")
    old = token_seal.seal("old", connection_id=cid, column="refresh")

    keys({"a": KEY_A, "b": KEY_B}, "b")
    new = token_seal.seal("new", connection_id=cid, column="refresh")

    assert new.startswith(b"\x01b")
    assert token_seal.unseal(old, connection_id=cid, column="refresh") == "old"
    assert token_seal.unseal(new, connection_id=cid, column="refresh") == "new"
    keys({"b": KEY_B}, "b")  # a retired key: what it sealed is lost to us
    with pytest.raises(token_seal.Unreadable):
        token_seal.unseal(old, connection_id=cid, column="refresh")


def test_tampered_or_truncated_bytes_are_unreadable(keys):
    keys({"a": KEY_A}, "a")
    cid = uuid.uuid4()
    sealed = bytearray(token_seal.seal("token", connection_id=cid, column="refresh"))
    flipped = bytes(sealed[:-1]) + bytes([sealed[-1] ^ 1])

    for broken in (flipped, bytes(sealed[:10]), b""):
        with pytest.raises(token_seal.Unreadable):
            token_seal.unseal(broken, connection_id=cid, column="refresh")


def test_a_key_that_is_not_32_bytes_is_refused_rather_than_used(keys):
    keys({"a": base64.b64encode(b"short").decode()}, "a")

    with pytest.raises(RuntimeError):
        token_seal.seal("token", connection_id=uuid.uuid4(), column="refresh")


def test_keys_come_from_the_secret_and_a_key_added_there_is_found_when_a_value_names_it(keys):
    secret_store = aws.client("secretsmanager")
    arn = secret_store.create_secret(Name=f"booking-test-google-{uuid.uuid4().hex[:8]}", SecretString=json.dumps(
        {"client_id": "c", "client_secret": "s", "token_keys": {"a": KEY_A}, "token_key_id": "a"}))["ARN"]
    keys({}, "", GOOGLE_SECRET_ARN=arn)
    cid = uuid.uuid4()
    assert token_seal.unseal(token_seal.seal("t", connection_id=cid, column="access"),
                             connection_id=cid, column="access") == "t"
    # Another container already seals with key b, added to the secret after we read it.
    secret_store.put_secret_value(SecretId=arn, SecretString=json.dumps(
        {"token_keys": {"a": KEY_A, "b": KEY_B}, "token_key_id": "b"}))
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    nonce = os.urandom(12)
    by_b = b"\x01b" + nonce + AESGCM(base64.b64decode(KEY_B)).encrypt(
        nonce, b"from-b", f"calendar_connections:{cid}:access".encode())

    assert token_seal.unseal(by_b, connection_id=cid, column="access") == "from-b"


@pytest.fixture
def everything_logged(capfd, caplog) -> Callable[[], str]:
    """Every log line written from now on: stdout and stderr (our JSON lines) and every logger's records."""
    caplog.set_level(logging.DEBUG)
    capfd.readouterr()

    def read() -> str:
        out, err = capfd.readouterr()
        return "\n".join([out, err, *(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)])

    return read


def _plain_tokens(got: dict) -> tuple[dict, list[str]]:
    row = connection(got["business_id"], got["staff_id"])
    cid = uuid.UUID(got["connection_id"])
    return row, [token_seal.unseal(row["refresh_token_sealed"], connection_id=cid, column="refresh"),
                 token_seal.unseal(row["access_token_sealed"], connection_id=cid, column="access")]


def test_the_stored_columns_are_not_the_tokens_and_no_answer_carries_them(client, google_twin):
    got = connect_staff(client, google_twin)
    row, tokens = _plain_tokens(got)
    answers = [call(client, "GET", "/calendar/status", session=got["member"]),
               call(client, "POST", "/calendar/google/sync", {}, session=got["member"])]

    assert tokens[0].startswith("1//twin-") and tokens[1].startswith("ya29.twin-")
    stored = bytes(row["refresh_token_sealed"]) + bytes(row["access_token_sealed"])
    for token in tokens:
        assert token.encode() not in stored
        for answer in answers:
            assert answer.status_code == 200, answer.body
            assert token not in json.dumps(body(answer))


def test_no_log_line_of_any_logger_at_any_level_carries_a_token_or_the_pkce_verifier(
        client, google_twin, everything_logged):
    got = connect_staff(client, google_twin)
    call(client, "POST", "/calendar/google/sync", {}, session=got["member"])
    logged = everything_logged()
    _, tokens = _plain_tokens(got)

    for token in tokens:
        assert token not in logged
    assert "code_verifier" not in logged and "client_secret" not in logged
