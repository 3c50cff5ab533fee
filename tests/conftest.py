"""The test database and clients.

One embedded PostgreSQL per run (under a temporary LOCAL_DIR), or the server
named by DATABASE_URL; a freshly created and migrated database; AWS through
moto. Tests isolate themselves by making their own business: row-level
security keeps every tenant's rows apart, so nothing needs truncating.
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

import pg8000.native
import pytest

_RUN_DIR = Path(tempfile.mkdtemp(prefix="booking-tests-"))
# Registered before the embedded server starts, so (last in, first out) it runs after the server stops.
atexit.register(shutil.rmtree, _RUN_DIR, ignore_errors=True)
os.environ.update({
    "STAGE": "local",
    "LOCAL_DIR": str(_RUN_DIR),
    "DB_NAME": "booking_test",
    "EMAIL_BACKEND": "file",
    "UPLOADS_BUCKET": "booking-test-uploads",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_REGION": "eu-west-1",
    "CORS_ALLOW_ORIGIN": "http://127.0.0.1:5173",
    "APP_BASE_URL": "http://127.0.0.1:5173",
})
os.environ.pop("AWS_ENDPOINT_URL", None)


def _local_stage_twins() -> dict[str, str]:
    """The local stage's Stripe and Google settings (keys, prices, OAuth client, token keys): the
    Chalice test client lays the stage's variables over ours for each request, so the tests use the
    same ones (and the in-process twins, backends the local stage leaves unset for this reason)."""
    config = json.loads((Path(__file__).resolve().parents[1] / ".chalice" / "config.json").read_text())
    stage = config["stages"]["local"]["environment_variables"]
    return {name: value for name, value in stage.items() if name.startswith(("STRIPE_", "GOOGLE_"))}


# As `make run` sets them for its API (Makefile, LOCAL_GOOGLE): Google's way back, and push.
os.environ.update({**_local_stage_twins(), "STRIPE_BACKEND": "twin", "GOOGLE_BACKEND": "twin",
                   "GOOGLE_PUSH_ADDRESS": "http://127.0.0.1:8000/calendar/google/notifications"})


@pytest.fixture(scope="session", autouse=True)
def database() -> None:
    from chalicelib.core import embedded_pg, migrations
    from chalicelib.core.settings import settings

    settings.cache_clear()
    if settings().embedded_db:
        embedded_pg.create_database(settings().db_name, drop_first=True)
    migrations.migrate()


@pytest.fixture(scope="session", autouse=True)
def aws() -> None:
    from moto import mock_aws

    from chalicelib.integrations import aws as aws_clients

    with mock_aws():
        aws_clients.reset()
        aws_clients.client("s3").create_bucket(
            Bucket="booking-test-uploads", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        yield
    aws_clients.reset()


@pytest.fixture(scope="session")
def client():
    """The Chalice test client; every HTTP answer is checked against /system/openapi.json."""
    from chalice.test import Client

    from app import app
    from tests.contract import ContractClient

    with Client(app, stage_name="local") as test_client:
        yield ContractClient(test_client)


@pytest.fixture(autouse=True)
def answers_fit_the_contract():
    """Fails a test any of whose HTTP answers the document does not describe, even one received on
    another thread (where the client's own exception may have been swallowed)."""
    from tests import contract

    contract.VIOLATIONS.clear()
    yield
    assert not contract.VIOLATIONS, "answers outside /system/openapi.json:\n" + "\n".join(contract.VIOLATIONS)


_ENVIRON = os.environ


@pytest.fixture(autouse=True)
def environment_restored():
    """The Chalice test client swaps ``os.environ`` for each request; requests from several threads
    at once leave the stage's copy in place, and every later settings read would see it."""
    yield
    assert os.environ is _ENVIRON, "a test shared the Chalice test client between threads"


@pytest.fixture(autouse=True)
def forget_local_login_failures():
    """Every test-client request comes from 127.0.0.1, so one test's failed logins would throttle the
    next test's logins per client address: each test starts with that address's slate clean."""
    yield
    from chalicelib.core import db

    with db.transaction() as tx:
        tx.execute("DELETE FROM login_failures WHERE client_ip = '127.0.0.1'")


@pytest.fixture
def stripe_twin():
    """A fresh Stripe twin behind the API's Stripe client (``STRIPE_BACKEND=twin``) for this test."""
    from chalicelib.integrations import stripe_twin as twin

    return twin.reset()


# The advisory lock under which tests share the database's Google connections (any fixed number).
GOOGLE_LOCK = 7_230_413


def pytest_configure(config):
    config.addinivalue_line("markers", "whole_google: runs the calendar schedule over every tenant's connections")


@pytest.fixture
def google_twin(request, monkeypatch):
    """A fresh Google twin (OAuth and Calendar) behind the API's Google client (``GOOGLE_BACKEND=twin``)
    for this test, with googleapiclient's back-off between retries taking no time; and a turn at the
    database's Google connections. The calendar schedule works on every tenant's connections, and each
    test process has a twin of its own that knows none of another process's tokens (a sync there
    would find the grant lost): a test marked ``whole_google`` has them to itself, the others share."""
    from chalicelib.core.migrations import owner_connection
    from chalicelib.integrations import google_calendar
    from chalicelib.integrations import google_twin as twin

    monkeypatch.setattr(google_calendar, "sleep", lambda seconds: None)
    alone = request.node.get_closest_marker("whole_google") is not None
    conn = owner_connection()
    try:
        conn.run("SET lock_timeout = '300s'")  # far longer than any test holding it: fail, never hang
        conn.run("SELECT pg_advisory_lock(:key)" if alone else "SELECT pg_advisory_lock_shared(:key)", key=GOOGLE_LOCK)
        yield twin.reset()
    finally:
        conn.close()


@pytest.fixture
def owner():
    """A connection as the schema owner (autocommit; tables still apply FORCEd row-level security)."""
    from chalicelib.core import migrations

    conn = migrations.owner_connection()
    yield conn
    conn.close()


@pytest.fixture
def mail():
    from tests.mail import Mailbox

    return Mailbox(_RUN_DIR / "mail")


@pytest.fixture
def sql_statements(monkeypatch):
    """Every SQL statement sent to PostgreSQL from now on, counted at the driver (a spy on pg8000's
    two ways of sending one, not a mock of our code: the statements still run)."""
    sent: list[str] = []
    for method in ("execute_simple", "execute_unnamed"):
        original = getattr(pg8000.native.Connection, method)

        def counting(self, statement, *args, _original=original, **kwargs):
            sent.append(statement)
            return _original(self, statement, *args, **kwargs)

        monkeypatch.setattr(pg8000.native.Connection, method, counting)
    return sent
