"""POST /auth/password/forgot and /auth/password/reset: an e-mailed, single-use, one-hour link."""
from __future__ import annotations

import hashlib
import uuid

import pytest

from chalicelib.auth.service import RESET_REQUESTS_PER_ADDRESS
from tests.api import body, call, from_address, login, signup, unique_address, unique_email
from tests.auth.helpers import (RESET_SUBJECT, VERIFY_SUBJECT, assert_rate_limited, auth, clear_of_the_window_end,
                                join_second_business, link_in, token_in)

NEW_PASSWORD = "a brand new passphrase"
INVALID_LINK = {"error": {"code": "invalid_token", "message": "This link is not valid any more; ask for a new one.",
                          "details": {}}}


def forgot(client, email):
    return call(client, "POST", "/auth/password/forgot", {"email": email})


def reset(client, token, password=NEW_PASSWORD):
    return call(client, "POST", "/auth/password/reset", {"token": token, "password": password})


def reset_token(client, mail, owner):
    assert forgot(client, owner.email).status_code == 202
    return token_in(mail, owner.email, RESET_SUBJECT)


def test_forgot_answers_the_same_for_a_known_and_an_unknown_address(client, mail):
    owner = signup(client)
    nobody = unique_email("nobody")

    known, unknown = forgot(client, owner.email), forgot(client, nobody)

    assert known.status_code == unknown.status_code == 202
    assert known.body == unknown.body
    assert body(known) == {"status": "sent_if_registered"}
    assert [m["Subject"] for m in mail.sent_to(owner.email) if m["Subject"] == RESET_SUBJECT] == [RESET_SUBJECT]
    assert mail.sent_to(nobody) == []


@pytest.fixture
def queued(monkeypatch):
    """Outbox rows go to an SQS FIFO queue (moto), as in AWS, instead of to the worker inside the
    request as in the local stage; answer a function that runs the worker on what the queue holds."""
    from chalicelib.core.settings import settings
    from chalicelib.integrations import aws
    from chalicelib.integrations import queue as queues
    from chalicelib.events import jobs

    name = f"auth-{uuid.uuid4().hex[:12]}.fifo"
    aws.client("sqs").create_queue(QueueName=name, Attributes={"FifoQueue": "true"})
    monkeypatch.setenv("NOTIFICATIONS_QUEUE", name)
    settings.cache_clear()
    settings()  # read now: during a request the test client lays the local stage's variables over these

    def work() -> None:
        while received := queues.receive(name):
            for message in received:
                jobs.deliver(message.body)
                queues.delete(name, message.receipt)

    yield work
    monkeypatch.undo()
    settings.cache_clear()
    queues.url.cache_clear()


def test_forgot_does_the_same_sql_work_for_a_known_and_an_unknown_address(client, mail, queued, sql_statements):
    owner, nobody = signup(client), unique_email("nobody")
    sql_statements.clear()

    assert forgot(client, nobody).status_code == 202
    unknown = list(sql_statements)
    sql_statements.clear()
    assert forgot(client, owner.email).status_code == 202
    known = list(sql_statements)
    queued()

    assert known == unknown
    assert mail.sent_to(nobody) == []
    assert link_in(mail, owner.email, RESET_SUBJECT).startswith("http://127.0.0.1:5173/reset-password?token=")


def test_reset_requests_are_limited_per_client_address(client, mail):
    owner = signup(client)
    per = RESET_REQUESTS_PER_ADDRESS.per
    clear_of_the_window_end(RESET_REQUESTS_PER_ADDRESS, 60)

    with from_address(unique_address()):
        answers = [forgot(client, unique_email("nobody")) for _ in range(per)]
        refused = forgot(client, owner.email)
    with from_address(unique_address()):
        elsewhere = forgot(client, owner.email)

    assert [a.status_code for a in answers] == [202] * per
    assert 1 <= assert_rate_limited(refused) <= RESET_REQUESTS_PER_ADDRESS.window_s
    assert elsewhere.status_code == 202
    assert sorted(m["Subject"] for m in mail.sent_to(owner.email)) == [VERIFY_SUBJECT, RESET_SUBJECT]


def test_the_reset_mail_goes_to_the_stored_address_whatever_case_was_typed(client, mail):
    owner = signup(client)

    assert forgot(client, owner.email.upper()).status_code == 202

    assert link_in(mail, owner.email, RESET_SUBJECT).startswith("http://127.0.0.1:5173/reset-password?token=")


def test_forgot_checks_the_address(client):
    response = forgot(client, "not-an-email")

    assert response.status_code == 422
    assert body(response)["error"]["details"]["fields"] == {"email": "not a valid e-mail address"}


def test_reset_with_the_emailed_token_sets_the_new_password(client, mail):
    owner = signup(client)

    response = reset(client, reset_token(client, mail, owner))

    assert response.status_code == 204
    assert response.body == b""
    assert login(client, owner.email, NEW_PASSWORD).status_code == 200
    old = login(client, owner.email, owner.password)
    assert old.status_code == 401 and body(old)["error"]["code"] == "invalid_credentials"


def test_a_reset_token_works_once(client, mail):
    owner = signup(client)
    token = reset_token(client, mail, owner)
    assert reset(client, token).status_code == 204

    again = reset(client, token, "yet another long passphrase")

    assert again.status_code == 401
    assert body(again) == INVALID_LINK
    assert login(client, owner.email, NEW_PASSWORD).status_code == 200


def test_a_reset_ends_every_session_of_the_user_in_every_business(client, mail, owner_db):
    owner = signup(client)
    other, there = join_second_business(client, mail, owner)
    second_login = body(login(client, owner.email))

    assert reset(client, reset_token(client, mail, owner)).status_code == 204

    for refresh_token in (owner.refresh_token, second_login["refresh_token"], there["refresh_token"]):
        assert call(client, "POST", "/auth/refresh", {"refresh_token": refresh_token}).status_code == 401
    for business_id in (owner.business_id, other.business_id):
        live = owner_db.value("SELECT count(*) FROM refresh_tokens WHERE user_id = :uid AND revoked_at IS NULL",
                              business_id=business_id, uid=uuid.UUID(owner.user_id))
        assert live == 0


def test_a_reset_leaves_other_users_sessions_alone(client, mail):
    owner = signup(client)
    neighbour = signup(client)

    assert reset(client, reset_token(client, mail, owner)).status_code == 204

    assert call(client, "POST", "/auth/refresh", {"refresh_token": neighbour.refresh_token}).status_code == 200


def test_a_reset_also_verifies_the_address(client, mail):
    owner = signup(client)

    assert reset(client, reset_token(client, mail, owner)).status_code == 204

    session = body(login(client, owner.email, NEW_PASSWORD))
    me = body(call(client, "GET", "/auth/me", headers=auth(session["access_token"])))
    assert me["user"]["email_verified"] is True


def test_an_expired_reset_token_gives_401_and_changes_nothing(client, mail, owner_db):
    owner = signup(client)
    token = reset_token(client, mail, owner)
    owner_db.execute("UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = :h",
                     h=hashlib.sha256(token.encode()).hexdigest())

    response = reset(client, token)

    assert response.status_code == 401
    assert body(response) == INVALID_LINK
    assert login(client, owner.email, owner.password).status_code == 200
    assert call(client, "POST", "/auth/refresh", {"refresh_token": owner.refresh_token}).status_code == 200


def test_a_weak_new_password_gives_422_and_keeps_the_token_usable(client, mail):
    owner = signup(client)
    token = reset_token(client, mail, owner)

    weak = reset(client, token, "password1234")

    assert weak.status_code == 422
    assert body(weak)["error"]["details"]["fields"] == {"password": "this password is too common"}
    assert reset(client, token).status_code == 204


def test_an_unknown_or_foreign_purpose_token_gives_401(client, mail):
    owner = signup(client)
    verify_token = token_in(mail, owner.email, VERIFY_SUBJECT)

    made_up = reset(client, "x" * 43)
    wrong_purpose = reset(client, verify_token)

    assert made_up.status_code == wrong_purpose.status_code == 401
    assert body(made_up) == body(wrong_purpose) == INVALID_LINK
    assert login(client, owner.email, owner.password).status_code == 200


def test_reset_checks_its_input(client):
    short_token = reset(client, "abc")
    no_password = call(client, "POST", "/auth/password/reset", {"token": "x" * 43})

    assert short_token.status_code == no_password.status_code == 422
    assert list(body(short_token)["error"]["details"]["fields"]) == ["token"]
    assert body(no_password)["error"]["details"]["fields"] == {"password": "required"}


def test_a_fourth_reset_request_within_the_hour_sends_nothing_but_answers_the_same(client, mail):
    owner = signup(client)

    answers = [forgot(client, owner.email) for _ in range(4)]

    assert [a.status_code for a in answers] == [202] * 4
    assert len({a.body for a in answers}) == 1
    assert len([m for m in mail.sent_to(owner.email) if m["Subject"] == RESET_SUBJECT]) == 3


def test_a_reset_spends_the_other_reset_links_sent_before_it(client, mail):
    owner = signup(client)
    assert forgot(client, owner.email).status_code == forgot(client, owner.email).status_code == 202
    first, second = [m.get_body(preferencelist=("plain",)).get_content().split("token=", 1)[1].split()[0]
                     for m in mail.sent_to(owner.email) if m["Subject"] == RESET_SUBJECT]

    assert reset(client, second).status_code == 204

    assert reset(client, first, "yet another passphrase").status_code == 401
    assert login(client, owner.email, NEW_PASSWORD).status_code == 200


def test_forgot_answers_the_same_when_the_mail_provider_refuses(client, monkeypatch):
    """SES (moto) refuses an unverified sender: the known address must still look like any other."""
    from chalicelib.core.settings import settings

    owner = signup(client)
    monkeypatch.setenv("EMAIL_BACKEND", "ses")
    settings.cache_clear()
    settings()
    try:
        known, unknown = forgot(client, owner.email), forgot(client, unique_email("nobody"))
    finally:
        monkeypatch.undo()
        settings.cache_clear()
        settings()

    assert known.status_code == unknown.status_code == 202
    assert known.body == unknown.body
