"""Secrets are kept for a bounded time, so rotating one reaches warm containers: a JWT key removed from
the secret stops verifying and signing, a key added is found when a token names it, and a rotated
database password is read again when the login is refused (Secrets Manager is moto here)."""
from __future__ import annotations

import json
import secrets as random
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jwt
import pg8000.native
import pytest
from pg8000.exceptions import DatabaseError, InterfaceError

from chalicelib.core import db, embedded_pg
from chalicelib.core.settings import settings
from chalicelib.integrations import aws
from tests.api import body, login, new_business

_OLD_KEY = "leaked-key-" + "x" * 40
_NEW_KEY = "fresh-key-" + "y" * 40


def _secret(value: dict[str, Any]) -> str:
    return aws.client("secretsmanager").create_secret(
        Name=f"booking-test-{uuid.uuid4().hex[:8]}", SecretString=json.dumps(value))["ARN"]


def _put(arn: str, value: dict[str, Any]) -> None:
    aws.client("secretsmanager").put_secret_value(SecretId=arn, SecretString=json.dumps(value))


@pytest.fixture
def secret_reads() -> Iterator[list[str]]:
    """The ids of the secrets read from Secrets Manager from now on (a botocore event hook: the reads
    still happen)."""
    reads: list[str] = []
    events = aws.client("secretsmanager").meta.events
    event = "before-parameter-build.secrets-manager.GetSecretValue"

    def record(params: dict[str, Any], **_: Any) -> None:
        reads.append(params["SecretId"])

    events.register(event, record, unique_id="test-secret-reads")
    yield reads
    events.unregister(event, unique_id="test-secret-reads")


@pytest.fixture
def jwt_secret(configure) -> Callable[..., str]:
    """Sign access tokens with keys from a new secret (``{kid: key}``, the first one active)."""

    def make(keys: dict[str, str], **env: str) -> str:
        arn = _secret({"active_kid": next(iter(keys)), "keys": keys})
        configure(JWT_SECRET_ARN=arn, **env)
        return arn

    return make


def _me(client, token: str) -> Any:
    return client.http.get("/auth/me", headers={"Authorization": f"Bearer {token}"})


def _resigned(token: str, kid: str, key: str) -> str:
    """The same claims, signed with another key under ``kid``: as another container, which has read
    the secret since it changed, would sign them."""
    claims = jwt.decode(token, options={"verify_signature": False})
    return jwt.encode(claims, key, algorithm="HS256", headers={"kid": kid})


# --- JWT keys -----------------------------------------------------------------------------------

def test_a_key_removed_from_the_secret_neither_verifies_nor_signs_once_the_copy_expires(client, jwt_secret):
    arn = jwt_secret({"leaked": _OLD_KEY}, SECRETS_TTL_S="1")
    owner = new_business(client)
    assert jwt.get_unverified_header(owner.access_token)["kid"] == "leaked"
    assert _me(client, owner.access_token).status_code == 200

    _put(arn, {"active_kid": "fresh", "keys": {"fresh": _NEW_KEY}})
    time.sleep(1.1)

    assert _me(client, owner.access_token).status_code == 403
    answer = login(client, owner.email)
    assert answer.status_code == 200, answer.body
    token = body(answer)["access_token"]
    assert jwt.get_unverified_header(token)["kid"] == "fresh"
    assert _me(client, token).status_code == 200


def test_secrets_are_kept_five_minutes_at_most():
    assert settings().secrets_ttl_s == 300


def test_a_token_naming_a_key_added_since_the_secret_was_read_reads_it_again(client, jwt_secret, secret_reads):
    arn = jwt_secret({"k1": _OLD_KEY})
    owner = new_business(client)
    secret_reads.clear()
    _put(arn, {"active_kid": "k2", "keys": {"k1": _OLD_KEY, "k2": _NEW_KEY}})

    response = _me(client, _resigned(owner.access_token, "k2", _NEW_KEY))

    assert response.status_code == 200, response.body
    assert secret_reads == [arn]
    # Both keys are known now: no further read.
    assert _me(client, owner.access_token).status_code == 200
    assert secret_reads == [arn]


def test_forged_key_ids_are_refused_and_read_the_secret_once_however_many(client, jwt_secret, secret_reads):
    arn = jwt_secret({"k1": _OLD_KEY})
    owner = new_business(client)
    secret_reads.clear()

    for n in range(30):
        forged = _resigned(owner.access_token, f"forged-{n}", random.token_urlsafe(32))
        assert _me(client, forged).status_code == 403

    assert secret_reads == [arn]
    assert _me(client, owner.access_token).status_code == 200


# --- the database password ----------------------------------------------------------------------

@pytest.fixture
def password_role(superuser: pg8000.native.Connection) -> Iterator[str]:
    """A login role acting as the application (a member of its role) that must give a password: the
    embedded server trusts local connections, so a line for this role alone goes first in pg_hba.conf."""
    role = f"booking_rotating_{uuid.uuid4().hex[:8]}"
    superuser.run(f"CREATE ROLE {role} LOGIN PASSWORD 'first-password' IN ROLE {embedded_pg.APP_ROLE}")
    hba = Path(superuser.run("SHOW hba_file")[0][0])
    original = hba.read_text()
    hba.write_text(f"local all {role} scram-sha-256\n{original}")
    superuser.run("SELECT pg_reload_conf()")
    _until_refused(role)
    yield role
    hba.write_text(original)
    superuser.run("SELECT pg_reload_conf()")
    superuser.run("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE usename = :r", r=role)
    superuser.run(f"DROP ROLE {role}")


def _app_socket() -> tuple[str, int]:
    directory, _, name = db.connect_params(embedded_pg.app_url())["unix_sock"].rpartition("/")
    return directory, int(name.rsplit(".", 1)[1])


def _until_refused(role: str) -> None:
    """Wait for the server to have reloaded pg_hba.conf: a wrong password is refused."""
    directory, port = _app_socket()
    for _ in range(100):
        try:
            pg8000.native.Connection(role, unix_sock=f"{directory}/.s.PGSQL.{port}", password="wrong",
                                     database=settings().db_name, ssl_context=False).close()
        except (DatabaseError, InterfaceError) as e:
            # pg8000 may report the refusal as the error of closing the socket the server closed.
            chain = [e]
            while chain[-1].__cause__ or chain[-1].__context__:
                chain.append(chain[-1].__cause__ or chain[-1].__context__)
            assert any(isinstance(c, DatabaseError) and c.args[0]["C"] == "28P01" for c in chain), e
            return
        time.sleep(0.05)
    raise AssertionError("pg_hba.conf was not reloaded")


@pytest.fixture
def db_secret(configure, password_role: str) -> Callable[[str], str]:
    """Log the application in with the RDS-style secret (``password``; the server's local socket as host)."""
    directory, port = _app_socket()
    arn = _secret({"username": password_role, "password": "first-password", "host": directory, "port": port,
                   "dbname": settings().db_name})
    configure(DB_SECRET_ARN=arn)

    def store(password: str) -> str:
        _put(arn, {"username": password_role, "password": password, "host": directory, "port": port,
                   "dbname": settings().db_name})
        return arn

    return store


def _rotate_on_the_server(superuser: pg8000.native.Connection, role: str, password: str) -> None:
    """Change the role's password and end its sessions, as a rotation and a failover do together."""
    superuser.run(f"ALTER ROLE {role} PASSWORD '{password}'")
    superuser.run("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE usename = :r", r=role)


def test_a_rotated_database_password_is_read_again_and_the_next_request_succeeds(
        client, superuser, password_role, db_secret):
    assert client.http.get("/system/health").status_code == 200
    with db.transaction() as tx:
        assert tx.value("SELECT current_user") == password_role

    _rotate_on_the_server(superuser, password_role, "second-password")
    db_secret("second-password")

    response = client.http.get("/system/health")
    assert response.status_code == 200, response.body


def test_a_refused_login_reads_the_secret_once_then_answers_503(client, superuser, password_role, db_secret,
                                                                 secret_reads):
    arn = db_secret("first-password")
    assert client.http.get("/system/health").status_code == 200
    _rotate_on_the_server(superuser, password_role, "not-in-the-secret-yet")
    secret_reads.clear()

    response = client.http.get("/system/health")

    assert response.status_code == 503, response.body
    assert body(response) == {"error": {"code": "unavailable", "message": "The database cannot be reached.",
                                        "details": {}}}
    assert secret_reads == [arn]
    # Refused again at once: the secret was just read afresh, so it is not read again yet.
    assert client.http.get("/system/health").status_code == 503
    assert secret_reads == [arn]
