"""``Idempotency-Key``: the same key with the same request answers the first response again and does
the work once. (Invitations in depth are tested in tests/business.)"""
from __future__ import annotations

import json
import uuid
from contextlib import closing

import pytest
from chalice import Response

from chalicelib.core import db, idempotency
from chalicelib.core.errors import RateLimited, ServiceUnavailable
from chalicelib.core.migrations import owner_connection
from tests.api import body, call, new_business, unique_email


def _invite(client, owner, email: str, key: str, role: str = "staff"):
    return call(client, "POST", "/business/users/invitations", {"email": email, "role": role}, session=owner,
                headers={"Idempotency-Key": key})


def _hash(email: str) -> str:
    """The fingerprint of ``_invite``'s request, as the tests' HTTP client sends it."""
    return idempotency.fingerprint("POST", "/business/users/invitations []",
                                   json.dumps({"email": email, "role": "staff"}))


def test_a_replayed_request_gets_the_first_answer_and_the_work_is_done_once(client, mail):
    owner = new_business(client)
    email, key = unique_email("invitee"), uuid.uuid4().hex
    first = _invite(client, owner, email, key)
    again = _invite(client, owner, email, key)
    assert first.status_code == again.status_code == 201
    assert body(again) == body(first)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(mail.sent_to(email)) == 1
    with db.tenant_tx(owner.business_id) as tx:
        assert tx.value("SELECT count(*) FROM invitations WHERE email = :e", e=email) == 1


def test_a_client_error_is_remembered_like_a_success(client):
    owner = new_business(client)
    key = uuid.uuid4().hex
    first = _invite(client, owner, owner.email, key)  # already on the team
    again = _invite(client, owner, owner.email, key)
    assert first.status_code == again.status_code == 409
    assert body(again) == body(first) and body(first)["error"]["code"] == "already_member"
    assert again.headers["Idempotent-Replayed"] == "true"


def test_the_same_key_with_a_different_body_is_409(client):
    owner = new_business(client)
    key = uuid.uuid4().hex
    assert _invite(client, owner, unique_email("a"), key).status_code == 201
    reused = _invite(client, owner, unique_email("b"), key)
    assert reused.status_code == 409
    assert body(reused)["error"]["code"] == "idempotency_key_reused"


def test_keys_belong_to_one_tenant(client):
    a, b = new_business(client), new_business(client)
    key, email = uuid.uuid4().hex, unique_email("shared")
    assert _invite(client, a, email, key).status_code == 201
    other = _invite(client, b, email, key)
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers


def test_an_over_long_key_is_422(client):
    owner = new_business(client)
    response = _invite(client, owner, unique_email(), "k" * 256)
    assert response.status_code == 422
    assert set(body(response)["error"]["details"]["fields"]) == {"Idempotency-Key"}


def test_keys_belong_to_the_member_who_sent_them(client, mail):
    from tests.api import add_member

    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    key = uuid.uuid4().hex

    first = _invite(client, owner, unique_email("a"), key)
    other = _invite(client, admin, unique_email("b"), key)

    assert first.status_code == other.status_code == 201
    assert "Idempotent-Replayed" not in other.headers


def test_a_claim_left_by_a_request_that_died_lapses_and_the_retry_does_the_work(client, mail):
    owner = new_business(client)
    email, key = unique_email("invitee"), uuid.uuid4().hex
    with db.tenant_tx(owner.business_id) as tx:  # what a Lambda killed mid-request leaves behind
        tx.execute("INSERT INTO idempotency_keys (business_id, key, request_hash, created_at)"
                   " VALUES (:b, :k, :h, now() - interval '10 minutes')",
                   b=owner.business_id, k=f"{owner.user_id}:{key}", h=_hash(email))

    retried = _invite(client, owner, email, key)

    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers
    assert len(mail.sent_to(email)) == 1


def test_a_fresh_claim_of_a_request_in_flight_is_409_in_progress(client, mail):
    owner = new_business(client)
    email, key = unique_email("invitee"), uuid.uuid4().hex
    with db.tenant_tx(owner.business_id) as tx:
        tx.execute("INSERT INTO idempotency_keys (business_id, key, request_hash) VALUES (:b, :k, :h)",
                   b=owner.business_id, k=f"{owner.user_id}:{key}", h=_hash(email))

    response = _invite(client, owner, email, key)

    assert response.status_code == 409
    assert body(response)["error"]["code"] == "idempotency_in_progress"
    assert mail.sent_to(email) == []


def test_work_whose_last_commit_is_held_runs_as_without_and_commits_on_the_way_out():
    # What idempotency.run wraps a request's work in, so that the answer commits with the change.
    from contextlib import closing

    from chalicelib.core.migrations import owner_connection

    bucket = f"test_held:{uuid.uuid4().hex}"

    def committed_hits() -> int | None:
        with closing(owner_connection()) as conn:
            found = conn.run("SELECT hits FROM rate_limit_hits WHERE bucket = :b", b=bucket)
        return found[0][0] if found else None

    with db.last_commit_held():
        with db.transaction() as tx:
            tx.execute("INSERT INTO rate_limit_hits (bucket, window_start) VALUES (:b, now())", b=bucket)
        assert committed_hits() is None  # held open
        with db.transaction() as tx:  # begins once the held one has committed, and sees it
            assert committed_hits() == 1
            tx.execute("UPDATE rate_limit_hits SET hits = 2 WHERE bucket = :b", b=bucket)
        assert committed_hits() == 1
    assert committed_hits() == 2


@pytest.mark.parametrize("failure", [ServiceUnavailable(), RateLimited(5), RuntimeError("a bug")],
                         ids=["503", "429", "unexpected"])
def test_work_that_fails_after_its_change_leaves_nothing_and_its_key_free(client, failure):
    # The change is in the work's last transaction, held open for the answer: the failure must roll
    # it back, or the retry (the key given back) would make the change a second time.
    owner = new_business(client)
    key, bucket = uuid.uuid4().hex, f"test_failed:{uuid.uuid4().hex}"

    def work(fail: bool):
        def produce() -> Response:
            with db.transaction() as tx:
                tx.execute("INSERT INTO rate_limit_hits (bucket, window_start) VALUES (:b, clock_timestamp())",
                           b=bucket)
            if fail:
                raise failure
            return Response(body="{}", status_code=201)
        return produce

    def changes() -> int:
        with closing(owner_connection()) as conn:
            return conn.run("SELECT count(*) FROM rate_limit_hits WHERE bucket = :b", b=bucket)[0][0]

    with pytest.raises(type(failure)):
        idempotency.run(owner.business_id, owner.user_id, key, "hash", work(True))

    assert changes() == 0
    retried = idempotency.run(owner.business_id, owner.user_id, key, "hash", work(False))
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers
    assert changes() == 1
