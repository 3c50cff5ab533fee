from __future__ import annotations

from typing import Any, Literal

from chalice import Blueprint, Response

from chalicelib.core.answer import Answer, Json, encode
from chalicelib.core.endpoint import CONTRACTS, endpoint
from chalicelib.system import service

bp = Blueprint(__name__)


class MigrationLevel(Answer):
    level: int
    latest: int
    current: bool


class Health(Answer):
    status: Literal["ok", "degraded"]
    database: Literal["ok"]
    migrations: MigrationLevel


class Version(Answer):
    version: str
    stage: str
    migration_level: int
    migrations_shipped: int


@endpoint(bp, "/system/health", "GET", public=True, tag="system", response={200: Health, 503: Health},
          summary="Database reachable and migrations current (503 when not)")
def get_health() -> Any:
    answer = service.health()
    return Response(body=encode(answer, Health), status_code=200 if answer["status"] == "ok" else 503,
                    headers={"Content-Type": "application/json"})


@endpoint(bp, "/system/version", "GET", public=True, tag="system", response=Version,
          summary="Build version and migration level")
def get_version() -> Any:
    return service.version()


@endpoint(bp, "/system/openapi.json", "GET", public=True, tag="system", response=Json,
          summary="OpenAPI 3.1 document of every route, generated from the code")
def get_openapi() -> Any:
    from chalicelib.core import openapi

    return openapi.document(CONTRACTS)
