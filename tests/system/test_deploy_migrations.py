"""Migrations on deploy (chalicelib/system/deploy_migrations.py): what the App stack's custom resource
makes the ``migrate`` function do, against the real database, with the secrets in moto."""
from __future__ import annotations

import json
import uuid

import pytest

from chalicelib.core import db, embedded_pg, migrations
from chalicelib.core.settings import settings
from chalicelib.integrations import aws, secrets
from chalicelib.system import deploy_migrations

LATEST = max(m.version for m in migrations.available())


def _forget_cached_config() -> None:
    for cached in (settings, secrets.json_secret):
        cached.cache_clear()


def _secret(value: dict) -> str:
    return aws.client("secretsmanager").create_secret(
        Name=f"booking-test-{uuid.uuid4().hex[:8]}", SecretString=json.dumps(value))["ARN"]


def _role(name: str) -> dict | None:
    with embedded_pg._admin() as admin:  # the superuser: pg_authid holds the password hashes
        rows = admin.run("SELECT rolcanlogin, rolbypassrls, rolpassword FROM pg_authid WHERE rolname = :n", n=name)
    return dict(zip(("login", "bypass_rls", "password_hash"), rows[0])) if rows else None


def _admin_run(sql: str) -> None:
    with embedded_pg._admin() as admin:
        admin.run(sql)


@pytest.fixture
def deploy(monkeypatch):
    """The migrate function's environment: the schema owner's secret (as RDS writes it) and the
    application's, for a login name of this test's own. The owner may create roles, as RDS's master
    user may (the local owner may not, so that migrations 0016 and 0019 are tested without)."""
    owner = db.connect_params(embedded_pg.owner_url())
    _admin_run(f'ALTER ROLE "{owner["user"]}" CREATEROLE')
    socket_dir, _, port = owner["unix_sock"].rpartition("/.s.PGSQL.")
    name = f"booking_app_{uuid.uuid4().hex[:8]}"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("MIGRATE_DATABASE_URL", raising=False)
    monkeypatch.setenv("DB_OWNER_SECRET_ARN", _secret({
        "username": owner["user"], "password": "trusted-locally", "host": socket_dir, "port": int(port),
        "dbname": settings().db_name, "engine": "postgres"}))
    app_secret = _secret({"username": name, "password": "first-Passw0rd"})
    monkeypatch.setenv("DB_SECRET_ARN", app_secret)
    _forget_cached_config()
    yield name, app_secret
    monkeypatch.undo()
    _forget_cached_config()
    settings()
    _admin_run(f'ALTER ROLE "{owner["user"]}" NOCREATEROLE')
    _admin_run(f'DROP ROLE IF EXISTS "{name}"')


def test_the_first_deploy_creates_the_application_login_and_answers_the_migration_level(deploy):
    name, _ = deploy

    answer = deploy_migrations.on_deploy({"RequestType": "Create", "ResourceProperties": {}})

    assert answer == {"PhysicalResourceId": "booking-migrations", "Data": {"Applied": 0, "Level": LATEST}}
    role = _role(name)
    assert role["login"] is True and role["bypass_rls"] is False
    assert role["password_hash"].startswith("SCRAM-SHA-256$")


def test_a_later_deploy_leaves_the_password_to_the_rotation(deploy):
    name, app_secret = deploy
    deploy_migrations.on_deploy({"RequestType": "Create"})
    first = _role(name)["password_hash"]
    aws.client("secretsmanager").put_secret_value(
        SecretId=app_secret, SecretString=json.dumps({"username": name, "password": "rotated-Passw0rd"}))
    secrets.json_secret.cache_clear()

    answer = deploy_migrations.on_deploy({"RequestType": "Update", "PhysicalResourceId": "booking-migrations"})

    assert answer["PhysicalResourceId"] == "booking-migrations"
    assert _role(name)["password_hash"] == first


def test_a_role_made_without_login_by_migration_0001_gets_its_login(deploy):
    name, _ = deploy
    owner = db.open_connection(db.connect_params(embedded_pg.owner_url()))  # as 0001 creates it
    try:
        owner.run(f'CREATE ROLE "{name}" NOLOGIN NOBYPASSRLS')
    finally:
        owner.close()

    deploy_migrations.on_deploy({"RequestType": "Create"})

    role = _role(name)
    assert role["login"] is True and role["password_hash"].startswith("SCRAM-SHA-256$")


def test_a_stack_deleted_leaves_the_database_alone(deploy, monkeypatch):
    name, _ = deploy
    monkeypatch.setenv("DB_OWNER_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:missing")
    _forget_cached_config()

    answer = deploy_migrations.on_deploy({"RequestType": "Delete", "PhysicalResourceId": "booking-migrations"})

    assert answer == {"PhysicalResourceId": "booking-migrations"}
    assert _role(name) is None
