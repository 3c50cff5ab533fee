"""The conventions every route shares: one error shape, never a stack trace, 400 for malformed
JSON, 413 over 1 MiB, 405 for a method a path does not have, 5xx only for real faults."""
from __future__ import annotations

import json

import pytest

from chalicelib.core import db
from chalicelib.core.validate import MAX_BODY_BYTES
from tests.api import body, call, new_business

_TRACE_MARKERS = ("Traceback", 'File "', "pg8000", "chalicelib", "line ")


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.body
    assert response.headers["Content-Type"] == "application/json"
    answer = body(response)
    assert set(answer) == {"error"}
    assert set(answer["error"]) == {"code", "message", "details"}
    assert answer["error"]["code"] == code
    assert isinstance(answer["error"]["message"], str) and answer["error"]["message"]
    assert isinstance(answer["error"]["details"], dict)
    text = response.body.decode()
    assert not any(marker in text for marker in _TRACE_MARKERS), text
    return answer["error"]


@pytest.fixture(scope="module")
def signed_in(client):
    return new_business(client)


def _app_role() -> str:
    with db.transaction() as tx:
        return tx.value("SELECT current_user")


@pytest.mark.parametrize("raw", ["{bad", '{"email": "a@example.com",', "\xff\xfe", "nul"])
def test_malformed_json_is_400_bad_request(client, raw):
    assert_error_shape(call(client, "POST", "/auth/login", raw=raw), 400, "bad_request")


def test_malformed_json_on_an_authenticated_route_is_400(client, signed_in):
    assert_error_shape(call(client, "PATCH", "/business", raw="{", session=signed_in), 400, "bad_request")


def test_a_body_that_does_not_fit_is_422_naming_each_field(client):
    error = assert_error_shape(call(client, "POST", "/auth/signup", {"email": "not-an-address"}), 422,
                               "validation_failed")
    assert set(error["details"]["fields"]) == {"email"}


def test_a_nul_character_in_a_string_is_422_not_a_database_error(client, signed_in):
    payload = {"contact": {"address": "1 High Street\u0000"}}
    error = assert_error_shape(call(client, "PATCH", "/business", payload, session=signed_in), 422,
                               "validation_failed")
    assert error["details"]["fields"] == {"contact.address": "must not contain NUL characters"}


def test_a_line_break_in_a_name_is_422_so_it_never_reaches_an_e_mail_header(client, signed_in):
    error = assert_error_shape(call(client, "PATCH", "/business", {"name": "Foo\nBar"}, session=signed_in), 422,
                               "validation_failed")
    assert error["details"]["fields"] == {"name": "must not contain newlines or control characters"}


def test_a_nul_character_in_the_query_string_is_422(client, signed_in):
    error = assert_error_shape(call(client, "GET", "/business/users?cursor=%00", session=signed_in), 422,
                               "validation_failed")
    assert error["details"]["fields"] == {"cursor": "must not contain NUL characters"}


@pytest.mark.parametrize("method,path,authenticated", [
    ("POST", "/auth/login", False),
    ("POST", "/auth/signup", False),
    ("PATCH", "/business", True),
    ("POST", "/business/users/invitations", True),
    ("GET", "/system/health", False),
])
def test_a_body_over_1_mib_is_413_on_any_route(client, signed_in, method, path, authenticated):
    raw = json.dumps({"email": "big@example.com", "password": "x" * MAX_BODY_BYTES})
    response = call(client, method, path, raw=raw, session=signed_in if authenticated else None)
    assert_error_shape(response, 413, "payload_too_large")


def test_a_body_of_exactly_1_mib_is_read(client):
    payload = json.dumps({"email": "exactly-one-mib@example.com", "password": "wrong password"})
    raw = payload + " " * (MAX_BODY_BYTES - len(payload))
    assert len(raw.encode()) == MAX_BODY_BYTES
    assert_error_shape(call(client, "POST", "/auth/login", raw=raw), 401, "invalid_credentials")


@pytest.mark.parametrize("method,path,allowed", [
    ("PUT", "/business", {"GET", "PATCH", "OPTIONS"}),
    ("DELETE", "/system/health", {"GET", "OPTIONS"}),
    ("GET", "/auth/login", {"POST", "OPTIONS"}),
])
def test_a_method_the_path_does_not_have_is_405_in_our_shape(client, signed_in, method, path, allowed):
    response = call(client, method, path, session=signed_in)
    assert_error_shape(response, 405, "method_not_allowed")
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed


def test_a_foreign_or_malformed_id_in_the_path_is_404(client, signed_in):
    assert_error_shape(call(client, "PATCH", "/business/users/not-a-uuid", {"role": "staff"}, session=signed_in),
                       404, "not_found")


def test_a_database_fault_is_500_without_any_detail_of_it(client, owner):
    """A real fault, not a mocked one: the app role loses its grant on the migrations ledger."""
    app_role = _app_role()
    try:
        owner.run(f"REVOKE SELECT ON schema_migrations FROM {app_role}")
        response = call(client, "GET", "/system/version")
    finally:
        owner.run(f"GRANT SELECT ON schema_migrations TO {app_role}")
    error = assert_error_shape(response, 500, "internal_error")
    assert error == {"code": "internal_error", "message": "An internal error occurred.", "details": {}}
    assert "schema_migrations" not in response.body.decode()
    assert "permission" not in response.body.decode()
    assert call(client, "GET", "/system/version").status_code == 200


def test_a_query_over_the_statement_timeout_is_503(client, signed_in, owner, configure):
    """Another session holds a lock the request needs for longer than the statement timeout."""
    configure(DB_STATEMENT_TIMEOUT_MS="300")
    try:
        owner.run("BEGIN")
        owner.run("LOCK TABLE businesses IN ACCESS EXCLUSIVE MODE")
        response = call(client, "GET", "/business", session=signed_in)
    finally:
        owner.run("ROLLBACK")
    assert_error_shape(response, 503, "query_timeout")
    assert call(client, "GET", "/business", session=signed_in).status_code == 200


def test_a_body_that_is_not_json_by_content_type_is_415_in_our_shape(client):
    response = client.http.post("/auth/login", headers={"Content-Type": "text/plain"}, body="email=a&password=b")
    assert_error_shape(response, 415, "unsupported_media_type")


def test_an_unreachable_database_is_503(client, configure):
    configure(DATABASE_URL="postgresql://nobody@/nowhere?host=/nonexistent-socket-dir&port=1")
    assert_error_shape(call(client, "GET", "/system/health"), 503, "unavailable")
