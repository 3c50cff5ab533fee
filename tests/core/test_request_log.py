"""One JSON line per request on stdout, with ids and numbers only: nothing a client sent in a body,
a header or a query string (no password, no e-mail address, no token)."""
from __future__ import annotations

import json
import uuid

import pytest

from tests.api import PASSWORD, call, login, new_business, unique_email

FIELDS = {"event", "request_id", "method", "route", "status", "duration_ms", "business_id", "user_id"}


def request_lines(captured: str) -> list[dict]:
    lines = [json.loads(line) for line in captured.splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("event") == "request"]


@pytest.fixture
def stdout(capfd):
    """What the process wrote to stdout during the test (the log handler writes to the real stream)."""
    capfd.readouterr()
    return lambda: capfd.readouterr().out


def test_each_request_writes_one_line_with_its_ids_and_timing(client, stdout):
    owner = new_business(client)
    stdout()
    response = call(client, "GET", "/business", session=owner)
    assert response.status_code == 200
    [line] = request_lines(stdout())
    assert set(line) == FIELDS
    assert line["method"] == "GET" and line["route"] == "/business" and line["status"] == 200
    assert line["business_id"] == owner.business_id and line["user_id"] == owner.user_id
    assert isinstance(line["duration_ms"], (int, float)) and line["duration_ms"] >= 0
    assert line["request_id"]


def test_the_route_is_the_template_not_the_path_with_ids(client, stdout):
    owner = new_business(client)
    stdout()
    call(client, "PATCH", f"/business/users/{uuid.uuid4()}", {"role": "staff"}, session=owner)
    [line] = request_lines(stdout())
    assert line["route"] == "/business/users/{user_id}" and line["status"] == 404


def test_failed_requests_are_logged_with_their_status(client, stdout):
    call(client, "POST", "/auth/login", raw="{")
    call(client, "PUT", "/system/health")
    lines = request_lines(stdout())
    assert [(line["route"], line["status"]) for line in lines] == [("/auth/login", 400), ("/system/health", 405)]
    assert all(line["business_id"] is None and line["user_id"] is None for line in lines)


def test_every_request_has_its_own_request_id(client, stdout):
    for _ in range(3):
        call(client, "GET", "/system/health")
    ids = [line["request_id"] for line in request_lines(stdout())]
    assert len(ids) == 3 and len(set(ids)) == 3


def _secrets_in(answer: dict) -> list[str]:
    return [answer["access_token"], answer["refresh_token"], *answer["access_token"].split(".")]


def test_signup_and_login_lines_carry_no_password_email_or_token(client, stdout):
    email = unique_email("logcheck")
    password = "a very private passphrase 42"
    stdout()
    signed_up = call(client, "POST", "/auth/signup", {
        "business_name": "Log Check", "owner_name": "Lou", "email": email, "password": password,
        "time_zone": "Europe/London", "currency": "GBP"})
    assert signed_up.status_code == 201
    logged_in = login(client, email, password)
    assert logged_in.status_code == 200
    refreshed = call(client, "POST", "/auth/refresh", {"refresh_token": json.loads(logged_in.body)["refresh_token"]})
    assert refreshed.status_code == 200
    failed = login(client, email, "the wrong password")
    assert failed.status_code == 401
    captured = stdout()
    lines = request_lines(captured)
    assert [line["route"] for line in lines] == ["/auth/signup", "/auth/login", "/auth/refresh", "/auth/login"]
    secrets = [password, "the wrong password", email, email.split("@")[0], PASSWORD]
    for answer in (signed_up, logged_in, refreshed):
        secrets += _secrets_in(json.loads(answer.body))
    request_text = "\n".join(json.dumps(line) for line in lines)
    leaked = [s for s in secrets if s in request_text]
    assert leaked == []
    # No other line of the process names the password or the address either (the verification e-mail's
    # line included: mail lines name no recipient).
    assert password not in captured and "the wrong password" not in captured and email not in captured
    assert email.split("@")[0] not in captured


def test_a_token_in_the_query_string_is_not_logged(client, stdout):
    owner = new_business(client)
    stdout()
    call(client, "GET", f"/business/users?cursor={owner.refresh_token}", session=owner)
    captured = stdout()
    assert owner.refresh_token not in captured and owner.access_token not in captured
