"""The migration runner: each file once, in order, safe with two runners at once, and refusing a
file edited after it was applied. Against scratch databases, so the test database stays as it is."""
from __future__ import annotations

import threading

import pytest

from chalicelib.core import db, migrations

ALL = [f"{m.version:04d}_{m.name}" for m in migrations.available()]


def test_migration_files_are_numbered_in_order_without_gaps():
    versions = [m.version for m in migrations.available()]
    assert versions == list(range(1, len(versions) + 1))


def test_migrating_twice_applies_everything_once_then_nothing(scratch_database):
    params = scratch_database("booking_scratch_twice")
    conn = db.open_connection(params)
    try:
        assert migrations.migrate(conn) == ALL
        assert migrations.migrate(conn) == []
        assert conn.run("SELECT version FROM schema_migrations ORDER BY version") == [
            [m.version] for m in migrations.available()]
    finally:
        conn.close()


def test_two_runners_at_once_apply_each_file_exactly_once(scratch_database):
    params = scratch_database("booking_scratch_race")
    runners = 4
    start = threading.Barrier(runners)
    applied: list[list[str]] = [[] for _ in range(runners)]
    failures: list[BaseException] = []

    def run(i: int) -> None:
        conn = db.open_connection(params)
        try:
            start.wait()
            applied[i] = migrations.migrate(conn)
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            failures.append(e)
        finally:
            conn.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(runners)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert failures == []
    assert sorted(name for names in applied for name in names) == sorted(ALL)
    assert sum(1 for names in applied if names) == 1
    conn = db.open_connection(params)
    try:
        assert conn.run("SELECT count(*), count(DISTINCT version) FROM schema_migrations") == [[len(ALL), len(ALL)]]
    finally:
        conn.close()


def test_an_applied_migration_that_was_edited_is_refused_by_name(scratch_database):
    params = scratch_database("booking_scratch_edited")
    conn = db.open_connection(params)
    try:
        migrations.migrate(conn)
        conn.run("UPDATE schema_migrations SET checksum = 'x' WHERE version = 2")
        with pytest.raises(migrations.MigrationError) as refused:
            migrations.migrate(conn)
        assert "0002_businesses.sql" in str(refused.value)
        assert "changed after it was applied" in str(refused.value)
        # The refused run left the connection usable and the ledger as it was.
        assert conn.run("SELECT checksum FROM schema_migrations WHERE version = 2") == [["x"]]
    finally:
        conn.close()


def test_a_pending_migration_is_not_applied_when_an_earlier_one_was_edited(scratch_database):
    params = scratch_database("booking_scratch_pending")
    conn = db.open_connection(params)
    try:
        migrations.migrate(conn)
        last = max(m.version for m in migrations.available())
        conn.run("DELETE FROM schema_migrations WHERE version = :v", v=last)
        conn.run("UPDATE schema_migrations SET checksum = 'x' WHERE version = 1")
        with pytest.raises(migrations.MigrationError, match="0001_app_role_and_grants.sql"):
            migrations.migrate(conn)
        assert conn.run("SELECT count(*) FROM schema_migrations WHERE version = :v", v=last) == [[0]]
    finally:
        conn.close()


def test_the_test_database_is_at_the_shipped_level():
    with db.transaction() as tx:
        level = migrations.status(tx)
    assert level == {"level": len(ALL), "latest": len(ALL), "current": True}
