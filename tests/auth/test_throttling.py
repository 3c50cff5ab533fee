"""Log-in throttling: five failures within 15 minutes, per e-mail address and per client address (an
IPv6 client's /64). A log-in with a device token is throttled per device instead: test_device_tokens.py.

The test client's source address is 127.0.0.1 (``from_address`` changes it for a
block), so failures from other addresses at other times are written straight into
``login_failures`` (as the schema owner) when a test needs them. The auth conftest
deletes every row a test made: left behind, they would throttle every later log-in
of the run.
"""
from __future__ import annotations

from tests.api import from_address, login, signup, unique_address, unique_email
from tests.auth.helpers import WRONG, assert_rate_limited, email_hash, parallel_wrong_passwords


def record_failures(owner_db, *, email: str | None = None, ip: str | None = None, count: int = 5,
                    minutes_ago: int = 1, other_ip: str = "203.0.113.7") -> None:
    """``count`` failures ``minutes_ago`` for ``email`` (from ``other_ip``) or from ``ip`` (other e-mails)."""
    for n in range(count):
        owner_db.execute(
            "INSERT INTO login_failures (email_hash, client_ip, failed_at)"
            " VALUES (:email_hash, :ip, now() - make_interval(mins => :minutes))",
            email_hash=email_hash(email) if email else email_hash(unique_email(f"guess{n}")),
            ip=ip or other_ip, minutes=minutes_ago)


def test_the_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(client):
    owner = signup(client)
    failures = [login(client, owner.email, WRONG) for _ in range(5)]

    sixth = login(client, owner.email)

    assert [r.status_code for r in failures] == [401] * 5
    seconds = assert_rate_limited(sixth)
    assert 0 < seconds <= 15 * 60 + 1
    assert "Retry-After" in sixth.headers["Access-Control-Expose-Headers"]


def test_four_failures_still_let_the_right_password_in(client):
    owner = signup(client)
    for _ in range(4):
        login(client, owner.email, WRONG)

    assert login(client, owner.email).status_code == 200


def test_the_email_limit_counts_failures_from_every_client_address(client, owner_db):
    owner = signup(client)
    record_failures(owner_db, email=owner.email)  # five guesses from somewhere else

    response = login(client, owner.email)

    assert_rate_limited(response)


def test_the_client_address_limit_counts_failures_across_emails(client):
    owner = signup(client)
    guesses = [login(client, unique_email("guess"), WRONG) for _ in range(5)]

    response = login(client, owner.email)

    assert [r.status_code for r in guesses] == [401] * 5
    assert_rate_limited(response)


def test_the_client_address_limit_counts_an_ipv6_64_as_one_address(client):
    """An IPv6 client holds a whole /64 and may send each guess from another address in it."""
    owner = signup(client)
    network = unique_address().removesuffix("::1")
    guesses = []
    for n in range(5):
        with from_address(f"{network}::{n + 2:x}"):
            guesses.append(login(client, unique_email("guess"), WRONG))

    with from_address(f"{network}:1:2:3:4"):
        same_network = login(client, owner.email)
    with from_address(unique_address()):
        elsewhere = login(client, owner.email)

    assert [r.status_code for r in guesses] == [401] * 5
    assert_rate_limited(same_network)
    assert elsewhere.status_code == 200


def test_failures_older_than_15_minutes_do_not_count(client, owner_db):
    owner = signup(client)
    record_failures(owner_db, email=owner.email, minutes_ago=16)
    record_failures(owner_db, ip="127.0.0.1", minutes_ago=16)

    assert login(client, owner.email).status_code == 200


def test_retry_after_is_when_the_oldest_failure_leaves_the_window(client, owner_db):
    owner = signup(client)
    record_failures(owner_db, email=owner.email, minutes_ago=10)

    seconds = assert_rate_limited(login(client, owner.email))

    assert 5 * 60 - 5 <= seconds <= 5 * 60 + 2


def test_with_both_limits_reached_retry_after_waits_for_the_later_one(client, owner_db):
    owner = signup(client)
    record_failures(owner_db, ip="127.0.0.1", minutes_ago=14)  # this client is free again in 1 minute
    record_failures(owner_db, email=owner.email, minutes_ago=2)  # this address only in 13 minutes

    seconds = assert_rate_limited(login(client, owner.email))

    assert 13 * 60 - 5 <= seconds <= 13 * 60 + 2


def test_refused_attempts_are_not_counted_as_failures(client, owner_db):
    owner = signup(client)
    record_failures(owner_db, email=owner.email)

    for _ in range(3):
        assert_rate_limited(login(client, owner.email, WRONG))

    assert owner_db.value("SELECT count(*) FROM login_failures WHERE email_hash = :h",
                          h=email_hash(owner.email)) == 5


def test_parallel_guesses_cannot_get_past_the_limit(client, owner_db):
    owner = signup(client)

    outcomes = parallel_wrong_passwords(owner.email, 8)

    assert sorted(outcomes) == ["401"] * 5 + ["429"] * 3
    assert owner_db.value("SELECT count(*) FROM login_failures WHERE email_hash = :h",
                          h=email_hash(owner.email)) == 5
