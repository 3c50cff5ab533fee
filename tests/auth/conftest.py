"""Fixtures of the auth tests: a schema-owner connection to look at rows, and the clean-up of
failed log-ins.

Every request of chalice's test client comes from the same source address
(``LocalGateway`` hard-codes ``127.0.0.1``), so the per-address log-in limit
counts the failures of the whole run: five wrong passwords anywhere within
15 minutes and every later log-in of the run, right password or not, answers
429. Each auth test therefore deletes the failure rows it made.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


class OwnerDb:
    """Reads and writes rows as the schema owner. The owner is subject to FORCE ROW LEVEL SECURITY
    too: tenant tables need ``business_id``; global ones (users, user_tokens, login_failures) do not."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def rows(self, sql: str, *, business_id: str | None = None, **params: Any) -> list[dict[str, Any]]:
        from chalicelib.core.db import Tx

        self.conn.run("BEGIN")
        try:
            self.conn.run("SELECT set_config('app.business_id', :bid, true)", bid=str(business_id or ""))
            found = Tx(self.conn).all(sql, **params)
            self.conn.run("COMMIT")
        except BaseException:
            self.conn.run("ROLLBACK")
            raise
        return found

    def value(self, sql: str, *, business_id: str | None = None, **params: Any) -> Any:
        found = self.rows(sql, business_id=business_id, **params)
        return next(iter(found[0].values())) if found else None

    def execute(self, sql: str, *, business_id: str | None = None, **params: Any) -> None:
        self.conn.run("BEGIN")
        try:
            self.conn.run("SELECT set_config('app.business_id', :bid, true)", bid=str(business_id or ""))
            self.conn.run(sql, **params)
            self.conn.run("COMMIT")
        except BaseException:
            self.conn.run("ROLLBACK")
            raise


@pytest.fixture
def owner_db() -> Iterator[OwnerDb]:
    from chalicelib.core import migrations

    conn = migrations.owner_connection()
    try:
        yield OwnerDb(conn)
    finally:
        conn.close()


@pytest.fixture(autouse=True)
def forget_failed_logins(owner_db: OwnerDb) -> Iterator[None]:
    """Delete the login_failures rows this test made (see the module docstring)."""
    before = owner_db.value("SELECT coalesce(max(id), 0) AS last FROM login_failures")
    yield
    owner_db.execute("DELETE FROM login_failures WHERE id > :last", last=before)
