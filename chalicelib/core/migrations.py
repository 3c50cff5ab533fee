"""Applies ``chalicelib/migrations/NNNN_name.sql`` in order, each once, as the schema owner.

All pending files run in one transaction under an advisory lock, so two runners
at once (two deploys, two test workers) apply each file exactly once. Each
applied file is recorded with a checksum; a file edited after it was applied is
refused, because the databases that already ran it would silently differ.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pg8000.native

from chalicelib.core import db
from chalicelib.core.settings import settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
_LOCK_KEY = 7_291_004_113  # any constant shared by every runner


class MigrationError(Exception):
    pass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def available() -> list[Migration]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        number, _, name = path.stem.partition("_")
        if not number.isdigit() or not name:
            raise MigrationError(f"{path.name}: migration files are named NNNN_description.sql")
        found.append(Migration(int(number), name, path.read_text()))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError("two migration files share a number")
    return sorted(found, key=lambda m: m.version)


_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""


_LOCK = "SELECT pg_advisory_xact_lock(:k)  -- one runner at a time, until its commit"
_APPLIED = "SELECT version, checksum FROM schema_migrations"
_RECORD = "INSERT INTO schema_migrations (version, name, checksum) VALUES (:v, :n, :c)"
_LEVEL = "SELECT coalesce(max(version), 0) FROM schema_migrations"


def owner_connection() -> pg8000.native.Connection:
    cfg = settings()
    if cfg.migrate_database_url:
        return db.open_connection(db.connect_params(cfg.migrate_database_url))
    if cfg.db_owner_secret_arn:
        return db.open_connection(db.secret_connect_params(cfg.db_owner_secret_arn))
    if cfg.embedded_db:
        from chalicelib.core import embedded_pg

        return db.open_connection(db.connect_params(embedded_pg.owner_url()))
    if cfg.database_url:
        return db.open_connection(db.connect_params(cfg.database_url))
    raise MigrationError("Set MIGRATE_DATABASE_URL to the schema owner's connection URL.")


def migrate(conn: pg8000.native.Connection | None = None) -> list[str]:
    """Apply every pending migration; answer the names applied."""
    own = conn is None
    conn = conn or owner_connection()
    try:
        conn.run("SET statement_timeout = 0")
        conn.run("BEGIN")
        try:
            conn.run(_LOCK, k=_LOCK_KEY)
            conn.run(_CREATE_LEDGER)
            applied = {v: c for v, c in conn.run(_APPLIED)}
            done = []
            for m in available():
                if m.version in applied:
                    if applied[m.version] != m.checksum:
                        raise MigrationError(
                            f"migration {m.version:04d}_{m.name}.sql was changed after it was applied; "
                            "never edit an applied migration, add a new one instead")
                    continue
                conn.run(m.sql)
                conn.run(_RECORD, v=m.version, n=m.name, c=m.checksum)
                done.append(f"{m.version:04d}_{m.name}")
            conn.run("COMMIT")
            return done
        except BaseException:
            conn.run("ROLLBACK")
            raise
    finally:
        if own:
            conn.close()


def status(tx: db.Tx) -> dict[str, int | bool]:
    """The database's migration level against the files shipped with this build."""
    latest_file = max((m.version for m in available()), default=0)
    level = tx.value(_LEVEL) or 0
    return {"level": level, "latest": latest_file, "current": level == latest_file}


def main() -> None:
    for name in migrate():
        print(f"applied {name}")
    print("migrations current")


if __name__ == "__main__":
    main()
