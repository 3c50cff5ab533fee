"""POST /auth/signup is limited per client address (10 an hour): each sign-up makes a tenant and sends
mail to the address typed, so a script must not be able to run it in a loop. An IPv6 client counts
as its /64 (it can pick any address in it). A refused sign-up creates and sends nothing.

Each test signs up from an address of its own (the test client's requests otherwise all come from
127.0.0.1, which the rest of the run uses)."""
from __future__ import annotations

import random

from chalicelib.auth.service import SIGNUPS_PER_ADDRESS
from tests.api import PASSWORD, body, call, from_address, unique_address, unique_email
from tests.auth.helpers import VERIFY_SUBJECT, clear_of_the_window_end

ATTEMPTS = 40


def signup_as(client, email: str):
    return call(client, "POST", "/auth/signup", {
        "business_name": "Studio", "owner_name": "Olive Owner", "email": email, "password": PASSWORD,
        "time_zone": "Europe/London", "currency": "GBP"})


def accounts(owner_db, emails: list[str]) -> int:
    """How many of ``emails`` have an account (a sign-up makes the account and its business in one
    transaction: one without the other cannot be)."""
    return owner_db.value("SELECT count(*) FROM users WHERE email = ANY(CAST(:emails AS text[]))", emails=emails)


def test_forty_signups_from_one_address_make_ten_tenants_and_refuse_the_rest(client, owner_db, mail):
    per = SIGNUPS_PER_ADDRESS.per
    emails = [unique_email("script") for _ in range(ATTEMPTS)]
    clear_of_the_window_end(SIGNUPS_PER_ADDRESS, 60)

    with from_address(f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}"):
        answers = [signup_as(client, email) for email in emails]

    assert [a.status_code for a in answers] == [201] * per + [429] * (ATTEMPTS - per)
    refused = answers[per]
    assert body(refused)["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= SIGNUPS_PER_ADDRESS.window_s
    assert accounts(owner_db, emails[:per]) == per
    assert accounts(owner_db, emails[per:]) == 0
    assert all(mail.sent_to(email) == [] for email in emails[per:])
    assert [m["Subject"] for m in mail.sent_to(emails[0])] == [VERIFY_SUBJECT]


def test_an_ipv6_client_counts_as_its_64_whatever_host_part_it_sends_from(client, owner_db):
    per = SIGNUPS_PER_ADDRESS.per
    network = unique_address().removesuffix("::1")  # 2001:db8:x:y
    emails = [unique_email("script") for _ in range(per + 2)]
    clear_of_the_window_end(SIGNUPS_PER_ADDRESS, 60)

    answers = []
    for n, email in enumerate(emails):
        with from_address(f"{network}:{random.getrandbits(16):x}:{n:x}:{random.getrandbits(16):x}:1"):
            answers.append(signup_as(client, email))
    with from_address(unique_address()):
        elsewhere = signup_as(client, unique_email())

    assert [a.status_code for a in answers] == [201] * per + [429] * 2
    assert accounts(owner_db, emails[per:]) == 0
    assert elsewhere.status_code == 201
