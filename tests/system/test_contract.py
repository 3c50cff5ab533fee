"""The contract fixture (tests/contract.py) and the answers' conversion (core/answer.py): every HTTP
answer the suite receives is judged by the document, and a view's result goes out as its declared type."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

import msgspec
import pytest

from chalicelib.core import answer
from chalicelib.core.answer import Answer, Timestamp
from tests import contract
from tests.api import body

SOME_ID = "5a0c3f0e-7f7a-4a51-9d0b-6c1b2a3d4e5f"
VERSION = {"version": "1", "stage": "local", "migration_level": 3, "migrations_shipped": 3}


def _problems(method: str, path: str, status: int, answer_: object = None, raw: bytes | None = None,
              content_type: str | None = "application/json") -> list[str]:
    data = raw if raw is not None else (b"" if answer_ is None else json.dumps(answer_).encode())
    return contract.problems(method, path, status, data, content_type)


def test_an_answer_that_fits_its_operation_passes():
    assert _problems("GET", "/system/version", 200, VERSION) == []
    assert _problems("DELETE", f"/services/{SOME_ID}", 204) == []


def test_an_undocumented_status_is_a_violation():
    (found,) = _problems("GET", "/system/version", 418, {"error": {"code": "x", "message": "x", "details": {}}})
    assert "status not documented" in found


def test_a_body_off_its_schema_is_a_violation():
    assert _problems("GET", "/system/version", 200, {**VERSION, "migration_level": "3"})
    assert _problems("GET", "/system/version", 200, {k: v for k, v in VERSION.items() if k != "stage"})


def test_an_instant_without_its_offset_or_an_id_that_is_not_a_uuid_is_a_violation():
    assert _problems("GET", "/business/users/invitations", 200, {}) == []  # no such GET: not judged
    invitation = {"id": SOME_ID, "email": "a@example.com", "role": "staff",
                  "created_at": "2026-01-02T03:04:05+00:00", "expires_at": "2026-01-09T03:04:05+00:00"}
    assert _problems("POST", "/business/users/invitations", 201, invitation) == []
    assert _problems("POST", "/business/users/invitations", 201, {**invitation, "created_at": "2026-01-02 03:04"})
    assert _problems("POST", "/business/users/invitations", 201, {**invitation, "id": "42"})


def test_a_field_the_document_does_not_name_is_a_violation():
    (found,) = _problems("GET", "/system/version", 200, {**VERSION, "secret": "x"})
    assert "secret" in found


def test_a_body_where_none_is_documented_and_a_body_that_is_not_json_are_violations():
    assert _problems("DELETE", f"/services/{SOME_ID}", 204, {"ok": True})
    assert _problems("GET", "/system/version", 200, raw=b"not json")
    assert _problems("GET", "/system/version", 200, VERSION, content_type="text/html")


def test_api_gateways_own_bodies_fit_a_members_route_and_ours_do_not_fit_in_their_place():
    assert _problems("GET", "/auth/me", 401, {"message": "Unauthorized"}) == []
    assert _problems("GET", "/auth/me", 403, {
        "Message": "User is not authorized to access this resource with an explicit deny"}) == []
    assert _problems("GET", "/auth/me", 401, {"message": "Unauthorized", "extra": 1})
    assert _problems("POST", "/auth/login", 401, {"message": "Unauthorized"})  # a public route: ours only


def test_a_path_the_api_does_not_have_is_not_judged():
    assert _problems("GET", "/no/such/route", 403, {"message": "Missing Authentication Token"}) == []
    assert contract.operation_for("GET", f"/public/bookings/{SOME_ID}?x=1").template == "/public/bookings/{token}"
    assert contract.operation_for("GET", "/public/some-slug/availability").template == "/public/{slug}/availability"


def test_the_suites_client_judges_every_answer(client):
    assert isinstance(client.http, contract.ValidatingHTTP)


def test_the_local_authorizers_answers_are_the_documented_gateway_ones(client):
    """Chalice's test client runs the authorizer as API Gateway would and answers with its bodies."""
    missing = client.http.get("/auth/me")
    assert (missing.status_code, body(missing)) == (401, {"message": "Unauthorized"})
    denied = client.http.get("/auth/me", headers={"Authorization": "Bearer not-a-token"})
    assert denied.status_code == 403 and set(body(denied)) == {"Message"}


class _Person(Answer):
    id: uuid.UUID
    name: str
    seen_at: Timestamp
    note: str | None


def test_only_declared_fields_go_out_each_as_its_type():
    person_id = uuid.uuid4()
    sent = json.loads(answer.encode({"id": person_id, "name": "Ada", "note": None, "password_hash": "x",
                                     "seen_at": datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)}, _Person))
    assert sent == {"id": str(person_id), "name": "Ada", "seen_at": "2026-01-02T03:04:00+00:00", "note": None}


def test_an_instant_is_sent_as_the_service_wrote_it_and_one_without_offset_is_refused():
    written = {"id": SOME_ID, "name": "Ada", "note": None, "seen_at": "2026-01-02T04:04:00+01:00"}
    assert json.loads(answer.encode(written, _Person))["seen_at"] == "2026-01-02T04:04:00+01:00"
    with pytest.raises(msgspec.ValidationError):
        answer.encode({**written, "seen_at": datetime(2026, 1, 2)}, _Person)
    with pytest.raises(msgspec.ValidationError):
        answer.encode({**written, "seen_at": "2026-01-02T04:04:00"}, _Person)


def test_a_result_missing_a_declared_field_is_refused_not_sent_short():
    with pytest.raises(msgspec.ValidationError):
        answer.encode({"id": SOME_ID, "name": "Ada", "seen_at": "2026-01-02T04:04:00+01:00"}, _Person)



class _AnswersOffContract:
    """Chalice's test HTTP client's interface, answering what no route documents."""

    def request(self, method, path, headers=None, body=b""):
        from chalice.test import HTTPResponse

        return HTTPResponse(body=b'{"version": 1}', headers={"Content-Type": "application/json"}, status_code=200)


def test_a_violation_on_another_thread_is_kept_for_the_test_to_fail_on():
    import threading

    http = contract.ValidatingHTTP(_AnswersOffContract())
    with pytest.raises(contract.ContractViolation):
        http.get("/system/version")
    assert contract.VIOLATIONS == []  # raised in the test's own thread: the test fails on it already
    def swallowing() -> None:  # as a thread pool's worker would, or a test asserting on its results only
        try:
            http.get("/system/version")
        except contract.ContractViolation:
            pass

    worker = threading.Thread(target=swallowing)
    worker.start()
    worker.join()
    assert contract.VIOLATIONS and all("GET /system/version -> 200" in v for v in contract.VIOLATIONS)
    contract.VIOLATIONS.clear()  # this test's own violation was made on purpose
