"""/system/health and /system/version: public, and honest about the database and its migrations."""
from __future__ import annotations

from chalicelib.core import migrations
from tests.api import body, call

LATEST = max(m.version for m in migrations.available())


def test_health_is_ok_when_the_database_answers_at_this_builds_migration_level(client):
    response = client.http.get("/system/health")
    assert response.status_code == 200
    assert body(response) == {"status": "ok", "database": "ok",
                              "migrations": {"level": LATEST, "latest": LATEST, "current": True}}


def test_health_is_503_degraded_when_a_shipped_migration_is_not_applied(client, owner):
    row = owner.run("SELECT version, name, checksum, applied_at FROM schema_migrations WHERE version = :v",
                    v=LATEST)[0]
    owner.run("DELETE FROM schema_migrations WHERE version = :v", v=LATEST)
    try:
        response = call(client, "GET", "/system/health")
    finally:
        owner.run("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (:v, :n, :c, :a)",
                  v=row[0], n=row[1], c=row[2], a=row[3])
    assert response.status_code == 503
    assert body(response) == {"status": "degraded", "database": "ok",
                              "migrations": {"level": LATEST - 1, "latest": LATEST, "current": False}}
    assert call(client, "GET", "/system/health").status_code == 200


def test_version_names_the_build_and_the_migration_level(client):
    response = client.http.get("/system/version")
    assert response.status_code == 200
    assert body(response) == {"version": "dev", "stage": "local", "migration_level": LATEST,
                              "migrations_shipped": LATEST}


def test_system_routes_need_no_token(client):
    for path in ("/system/health", "/system/version", "/system/openapi.json"):
        assert client.http.get(path, headers={"Authorization": "Bearer not-a-token"}).status_code == 200
