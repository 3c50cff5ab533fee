from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.core.endpoint import CONTRACTS, endpoint
from chalicelib.core.http import json_response
from chalicelib.system import service

bp = Blueprint(__name__)


@endpoint(bp, "/system/health", "GET", public=True, tag="system", errors=(503,),
          summary="Database reachable and migrations current (503 when not)")
def get_health() -> Any:
    answer = service.health()
    return json_response(answer, 200 if answer["status"] == "ok" else 503)


@endpoint(bp, "/system/version", "GET", public=True, tag="system", summary="Build version and migration level")
def get_version() -> Any:
    return service.version()


@endpoint(bp, "/system/openapi.json", "GET", public=True, tag="system",
          summary="OpenAPI 3.1 document of every route, generated from the code")
def get_openapi() -> Any:
    from chalicelib.core import openapi

    return openapi.document(CONTRACTS)
