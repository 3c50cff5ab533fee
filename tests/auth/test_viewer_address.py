"""Behind our CloudFront, API Gateway's source address is CloudFront's: the per-address limits count the
viewer's address CloudFront adds (``x-viewer-address``), believed only beside the edge secret CloudFront
sends (``x-origin-verify``), which a caller going straight to API Gateway cannot know."""
from __future__ import annotations

import hashlib

import pytest

from chalicelib.core import db
from chalicelib.core.settings import settings
from tests.api import call, unique_email

EDGE = "edge-secret-of-this-stage-0123456789abcdef"
VIEWER = "198.51.100.23"


@pytest.fixture
def behind_cloudfront(monkeypatch):
    monkeypatch.setenv("EDGE_SECRET", EDGE)
    settings.cache_clear()
    yield
    monkeypatch.undo()
    settings.cache_clear()
    settings()
    with db.transaction() as tx:
        tx.execute("DELETE FROM login_failures WHERE client_ip = :ip", ip=VIEWER)


def _failed_login_from(client, headers: dict[str, str]) -> list[str]:
    email = unique_email()
    response = call(client, "POST", "/auth/login", {"email": email, "password": "not-the-password-1"},
                    headers=headers)
    assert response.status_code == 401
    with db.transaction() as tx:
        return [row["client_ip"] for row in tx.all(
            "SELECT client_ip FROM login_failures WHERE email_hash = :h", h=hashlib.sha256(email.encode()).hexdigest())]


def test_a_request_through_cloudfront_counts_under_the_viewers_address(client, behind_cloudfront):
    assert _failed_login_from(client, {"x-origin-verify": EDGE, "x-viewer-address": VIEWER}) == [VIEWER]


def test_a_viewer_address_without_the_edge_secret_is_not_believed(client, behind_cloudfront):
    assert _failed_login_from(client, {"x-viewer-address": VIEWER}) == ["127.0.0.1"]
    assert _failed_login_from(client, {"x-origin-verify": "guessed", "x-viewer-address": VIEWER}) == ["127.0.0.1"]


def test_a_stage_without_cloudfront_believes_no_header(client):
    assert _failed_login_from(client, {"x-origin-verify": "", "x-viewer-address": VIEWER}) == ["127.0.0.1"]
