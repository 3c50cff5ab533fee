"""Connections and settings for the core tests: the schema owner, the server's superuser (embedded
server only), scratch databases, and settings changed for one test."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pg8000.native
import pytest

from chalicelib.core import db, embedded_pg
from chalicelib.core.settings import settings


@pytest.fixture
def superuser() -> Iterator[pg8000.native.Connection]:
    """The server's superuser, to terminate backends and drop databases: only on the embedded server."""
    if not settings().embedded_db:
        pytest.skip("needs the embedded server's superuser")
    conn = db.open_connection(db.connect_params(embedded_pg.url("postgres", "postgres")))
    yield conn
    conn.close()


@pytest.fixture
def scratch_database(superuser: pg8000.native.Connection) -> Iterator[Callable[[str], dict]]:
    """Make an empty database owned by the owner role; answer owner connection parameters for it."""
    made: list[str] = []

    def make(name: str) -> dict:
        embedded_pg.create_database(name, drop_first=True)
        made.append(name)
        return db.connect_params(embedded_pg.url(embedded_pg.OWNER_ROLE, name))

    yield make
    for name in made:
        superuser.run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def configure() -> Iterator[Callable[..., None]]:
    """Run one test with some settings changed (and a new app connection that sees them).

    Settings are read before any request, as in a container: inside a request the
    test client applies the stage's environment, which is not what the tests set.
    """
    saved: dict[str, str | None] = {}

    def apply(**env: str) -> None:
        for name, value in env.items():
            saved.setdefault(name, os.environ.get(name))
            os.environ[name] = value
        settings.cache_clear()
        settings()
        db.reset_connection()

    yield apply
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    settings.cache_clear()
    settings()
    db.reset_connection()
