"""Device tokens (OWASP's device cookies): every successful log-in answers a signed token naming the
account and a random device; a log-in that presents a valid one of that account is throttled by that
device's own failures (10 within 15 minutes lock it for 15 minutes), not by the account-wide count. So
strangers guessing an owner's password lock out strangers (every client without a device token), not
the owner on the devices they already use; and a forged, foreign or stale token is no token at all."""
from __future__ import annotations

import pytest

from chalicelib.auth import service
from tests.api import body, call, from_address, login, signup, unique_address
from tests.auth.helpers import (RESET_SUBJECT, WRONG, assert_rate_limited, email_hash,
                                parallel_wrong_passwords, token_in)

NEW_PASSWORD = "a brand new passphrase"

DEVICE_LIMIT = service.DEVICE_FAILURE_LIMIT


def device_token_of(client, owner) -> str:
    response = login(client, owner.email)
    assert response.status_code == 200, response.body
    return body(response)["device_token"]


def lock_the_account(client, owner, attempts: int = 6) -> None:
    """A stranger's wrong guesses, each from another address: the account-wide count refuses the rest."""
    answers = []
    for _ in range(attempts):
        with from_address(unique_address()):
            answers.append(login(client, owner.email, WRONG).status_code)
    assert answers == [401] * 5 + [429] * (attempts - 5)


def failures_of(owner_db, owner) -> int:
    return owner_db.value("SELECT count(*) FROM login_failures WHERE email_hash = :h", h=email_hash(owner.email))


def test_a_login_answers_a_device_token_naming_the_account_and_a_device(client, owner_db):
    owner = signup(client)

    first, second = device_token_of(client, owner), device_token_of(client, owner)

    assert first != second
    devices = owner_db.rows("SELECT id, user_id, token_hash FROM login_devices WHERE user_id = CAST(:uid AS uuid) "
                            "ORDER BY created_at", uid=owner.user_id)
    assert [str(d["id"]) for d in devices] == [first.split(".")[0], second.split(".")[0]]
    # Only the hash is stored.
    assert all(d["token_hash"] not in (first, second) for d in devices)


def test_strangers_lock_the_account_but_the_owner_logs_in_with_their_device_token(client):
    owner = signup(client)
    device_token = device_token_of(client, owner)
    lock_the_account(client, owner)

    without = login(client, owner.email)
    with_token = login(client, owner.email, device_token=device_token)

    assert_rate_limited(without)
    assert with_token.status_code == 200, with_token.body
    answer = body(with_token)
    assert answer["user"]["id"] == owner.user_id and answer["access_token"]
    assert answer["device_token"] == device_token


def test_wrong_passwords_with_a_device_token_count_on_the_device_not_the_account(client, owner_db):
    owner = signup(client)
    device_token = device_token_of(client, owner)

    answers = [login(client, owner.email, WRONG, device_token=device_token) for _ in range(DEVICE_LIMIT - 1)]

    assert [a.status_code for a in answers] == [401] * (DEVICE_LIMIT - 1)
    assert failures_of(owner_db, owner) == 0
    assert login(client, owner.email).status_code == 200


def test_ten_failures_with_a_device_token_lock_that_device_only(client):
    owner = signup(client)
    stolen, other_device = device_token_of(client, owner), device_token_of(client, owner)

    guesses = [login(client, owner.email, WRONG, device_token=stolen) for _ in range(DEVICE_LIMIT)]
    locked = login(client, owner.email, device_token=stolen)

    assert [g.status_code for g in guesses] == [401] * DEVICE_LIMIT
    assert 15 * 60 - 5 <= assert_rate_limited(locked) <= 15 * 60 + 1
    assert login(client, owner.email, device_token=other_device).status_code == 200
    assert login(client, owner.email).status_code == 200


def test_a_right_password_forgives_the_devices_earlier_failures(client):
    owner = signup(client)
    device_token = device_token_of(client, owner)

    for _ in range(2):
        for _ in range(DEVICE_LIMIT - 1):
            assert login(client, owner.email, WRONG, device_token=device_token).status_code == 401
        assert login(client, owner.email, device_token=device_token).status_code == 200


def test_a_forged_or_foreign_device_token_does_not_get_past_the_account_limit(client):
    owner, other = signup(client), signup(client)
    device_token, foreign = device_token_of(client, owner), device_token_of(client, other)
    device_id, _, mac = device_token.partition(".")
    lock_the_account(client, owner)

    forged = [f"{device_id}.{mac[:-2]}{'AA' if mac[-2:] != 'AA' else 'BB'}",  # the owner's device, another MAC
              f"{foreign.partition('.')[0]}.{mac}",  # another account's device with this MAC
              foreign,  # a valid token, of another account
              "not-a-device-token-at-all"]

    for token in forged:
        assert_rate_limited(login(client, owner.email, device_token=token))
    assert login(client, owner.email, device_token=device_token).status_code == 200


def test_a_device_token_unused_for_90_days_is_no_longer_trusted(client, owner_db):
    owner = signup(client)
    device_token = device_token_of(client, owner)
    owner_db.execute("UPDATE login_devices SET last_login_at = now() - interval '91 days' WHERE id = CAST(:id AS uuid)",
                     id=device_token.split(".")[0])
    lock_the_account(client, owner)

    assert_rate_limited(login(client, owner.email, device_token=device_token))


def test_a_user_keeps_the_devices_of_their_latest_20_logins(client, owner_db):
    owner = signup(client)
    tokens = [device_token_of(client, owner) for _ in range(service.DEVICES_PER_USER + 1)]
    lock_the_account(client, owner)

    assert owner_db.value("SELECT count(*) FROM login_devices WHERE user_id = CAST(:uid AS uuid)",
                          uid=owner.user_id) == service.DEVICES_PER_USER
    assert_rate_limited(login(client, owner.email, device_token=tokens[0]))
    assert login(client, owner.email, device_token=tokens[1]).status_code == 200


def test_parallel_guesses_with_one_device_token_cannot_get_past_its_limit(client):
    owner = signup(client)
    device_token = device_token_of(client, owner)

    outcomes = parallel_wrong_passwords(owner.email, DEVICE_LIMIT + 3, device_token=device_token)

    assert sorted(outcomes) == ["401"] * DEVICE_LIMIT + ["429"] * 3


def test_a_password_reset_forgets_the_devices_that_knew_the_old_password(client, mail):
    owner = signup(client)
    device_token = device_token_of(client, owner)
    assert call(client, "POST", "/auth/password/forgot", {"email": owner.email}).status_code == 202
    assert call(client, "POST", "/auth/password/reset", {"token": token_in(mail, owner.email, RESET_SUBJECT),
                                                         "password": NEW_PASSWORD}).status_code == 204
    lock_the_account(client, owner)

    assert_rate_limited(login(client, owner.email, NEW_PASSWORD, device_token=device_token))


def test_the_retention_sweep_deletes_only_devices_no_longer_trusted(client, owner_db):
    from chalicelib.core import db

    owner = signup(client)
    stale, fresh = device_token_of(client, owner), device_token_of(client, owner)
    owner_db.execute("UPDATE login_devices SET last_login_at = now() - interval '91 days' WHERE id = CAST(:id AS uuid)",
                     id=stale.split(".")[0])

    with db.transaction() as tx:
        while service.prune_login_devices(tx, older_than_s=service.DEVICE_TTL.total_seconds(), batch=100) == 100:
            pass
        with pytest.raises(ValueError):
            service.prune_login_devices(tx, older_than_s=service.DEVICE_TTL.total_seconds() - 1, batch=100)

    kept = owner_db.rows("SELECT id FROM login_devices WHERE user_id = CAST(:uid AS uuid)", uid=owner.user_id)
    assert [str(d["id"]) for d in kept] == [fresh.split(".")[0]]
