"""Migrations on deploy: the handler of the CloudFormation custom resource the App stack creates (through
CDK's custom-resource provider, which calls this function and answers CloudFormation), so a deploy that
ships new migration files applies them before it finishes, never by hand.

It runs as the schema owner (``DB_OWNER_SECRET_ARN``, which only this function is given), through RDS
Proxy, under the migration runner's advisory lock: two deploys at once apply each file once. On the
first deploy it also gives ``booking_app`` its login with the password of the application's secret;
after that the secret's rotation owns the password, so a later deploy leaves it alone.
"""
from __future__ import annotations

from typing import Any

import pg8000.native

from chalicelib.core import migrations
from chalicelib.core.settings import settings
from chalicelib.integrations import secrets

RESOURCE_ID = "booking-migrations"

# Creates the role, or gives the NOLOGIN role migration 0001 makes (an existing database) its login.
# format(%L) quotes the password on the server: DDL takes no bound parameters.
_APP_LOGIN = """
SELECT CASE
    WHEN r.rolname IS NULL THEN format('CREATE ROLE %I LOGIN NOBYPASSRLS PASSWORD %L', :name::text, :password::text)
    WHEN NOT r.rolcanlogin THEN format('ALTER ROLE %I LOGIN PASSWORD %L', :name::text, :password::text)
END
FROM (SELECT 1) AS one LEFT JOIN pg_roles r ON r.rolname = :name::text"""


def _give_app_its_login(conn: pg8000.native.Connection) -> None:
    app_secret = secrets.json_secret(settings().db_secret_arn or "")
    ((statement,),) = conn.run(_APP_LOGIN, name=app_secret["username"], password=app_secret["password"])
    if statement:
        conn.run(statement)


def on_deploy(event: dict[str, Any]) -> dict[str, Any]:
    """Create/Update: the application's login, then every pending migration. Delete: nothing (the
    database outlives a stack that is torn down; its deletion protection decides)."""
    if event["RequestType"] == "Delete":
        return {"PhysicalResourceId": event.get("PhysicalResourceId", RESOURCE_ID)}
    conn = migrations.owner_connection()
    try:
        _give_app_its_login(conn)
        applied = migrations.migrate(conn)
        level = max((m.version for m in migrations.available()), default=0)
    finally:
        conn.close()
    return {"PhysicalResourceId": RESOURCE_ID, "Data": {"Applied": len(applied), "Level": level}}
