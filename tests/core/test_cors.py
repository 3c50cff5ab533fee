"""CORS: every answer our code writes names the allowed origin from the settings, and a browser's
preflight on any path is answered without a token."""
from __future__ import annotations

import os

import pytest

from chalicelib.core.settings import settings
from tests.api import call, new_business

NOBODY = "00000000-0000-4000-8000-000000000001"  # a user id on no team


@pytest.fixture(scope="module")
def signed_in(client):
    return new_business(client)


@pytest.fixture
def origin() -> str:
    """The allowed origin: the CORS_ALLOW_ORIGIN setting (tests/conftest.py sets it)."""
    assert settings().cors_allow_origin == os.environ["CORS_ALLOW_ORIGIN"] != "*"
    return settings().cors_allow_origin


@pytest.mark.parametrize("method,path,payload,authenticated,status", [
    ("GET", "/system/health", None, False, 200),
    ("GET", "/business", None, True, 200),
    ("POST", "/business/users/invitations", {"email": "cors@example.com", "role": "staff"}, True, 201),
    ("POST", "/auth/logout", {}, True, 204),
    ("POST", "/auth/login", "{", False, 400),
    ("POST", "/auth/login", {"email": "nobody@example.com", "password": "wrong password"}, False, 401),
    ("PATCH", f"/business/users/{NOBODY}", {"role": "staff"}, True, 404),
    ("PUT", "/business", None, True, 405),
    ("POST", "/auth/signup", {}, False, 422),
    ("POST", "/auth/login", "x" * (1024 * 1024 + 1), False, 413),
])
def test_every_answer_carries_the_allowed_origin(client, signed_in, origin, method, path, payload, authenticated,
                                                 status):
    raw = payload if isinstance(payload, str) else None
    response = call(client, method, path, None if raw else payload, raw=raw,
                    session=signed_in if authenticated else None)
    assert response.status_code == status, response.body
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert response.headers["Vary"] == "Origin"


def test_the_allowed_origin_follows_the_setting(client, configure):
    configure(CORS_ALLOW_ORIGIN="https://app.booking.example")
    response = call(client, "GET", "/system/health")
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.booking.example"


def _listed(header: str) -> set[str]:
    return {part.strip().lower() for part in header.split(",")}


@pytest.mark.parametrize("path", ["/business", f"/business/users/{NOBODY}", "/auth/login",
                                  "/business/users/invitations", "/system/openapi.json"])
def test_a_preflight_is_204_with_the_allowed_methods_and_headers_without_a_token(client, origin, path):
    response = client.http.request("OPTIONS", path, headers={
        "Origin": origin, "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "authorization,content-type,idempotency-key"})
    assert response.status_code == 204, response.body
    assert response.body in (b"", None)
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert {"authorization", "content-type", "idempotency-key"} <= _listed(
        response.headers["Access-Control-Allow-Headers"])
    assert {"get", "post", "put", "patch", "delete", "options"} <= _listed(
        response.headers["Access-Control-Allow-Methods"])
    assert int(response.headers["Access-Control-Max-Age"]) > 0


def test_the_retry_after_header_is_exposed_to_the_browser(client):
    response = call(client, "GET", "/system/health")
    assert "retry-after" in _listed(response.headers["Access-Control-Expose-Headers"])


def test_every_path_has_a_preflight_route():
    from app import app

    missing = [path for path, methods in app.routes.items() if "OPTIONS" not in methods]
    assert missing == []
