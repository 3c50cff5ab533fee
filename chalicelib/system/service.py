"""Health and version: is the database reachable, are its migrations those this build ships."""
from __future__ import annotations

from typing import Any

from chalicelib.core import db, migrations
from chalicelib.core.settings import settings


def health() -> dict[str, Any]:
    """``ok`` only when the database answers and is at this build's migration level."""
    with db.transaction() as tx:
        level = migrations.status(tx)
    return {"status": "ok" if level["current"] else "degraded", "database": "ok", "migrations": level}


def version() -> dict[str, Any]:
    with db.transaction() as tx:
        level = migrations.status(tx)
    return {"version": settings().version, "stage": settings().stage, "migration_level": level["level"],
            "migrations_shipped": level["latest"]}
