"""Marketing consent given on the public booking page is a request until the customer's address
confirms it (double opt-in): anyone can type anyone's e-mail address into a booking form. The
confirmation e-mail goes through the notification pipeline; its link (POST /public/consent/{token})
works once, before it expires, while the customer still has that address."""
from __future__ import annotations

import re

import pytest

from chalicelib.customers import service
from chalicelib.system import retention
from tests.api import body, call
from tests.appointments.helpers import calendar
from tests.booking.conftest import address_counts_cleared  # noqa: F401 - the public routes' counts, shared
from tests.booking.helpers import booked_online, booking_body, customer_email, slug_of
from tests.checks import error_of
from tests.customers.helpers import consents, created, customer_row, rows

CONFIRM_SUBJECT = "Please confirm: news and offers from "


def _book(client, cal, *, day: int = 3, hour: int = 10, marketing: bool = True, **customer) -> dict:
    payload = booking_body(cal, cal.at(day, hour), consent={"terms": True, "marketing": marketing})
    payload["customer"] = {**payload["customer"], **customer}
    return booked_online(client, slug_of(client, cal), payload)


def _confirm_mails(mail, address: str) -> list:
    return [m for m in mail.sent_to(address) if m["Subject"].startswith(CONFIRM_SUBJECT)]


def _token(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"/confirm-consent\?token=(\S+)", text).group(1)


def confirm(client, token: str):
    return call(client, "POST", f"/public/consent/{token}")


def _history(client, cal, customer_id: str) -> list[tuple[str, bool, str, str]]:
    shown = body(call(client, "GET", f"/customers/{customer_id}", session=cal.owner))["consents"]
    return [(c["kind"], c["granted"], c["status"], c["source"]) for c in shown]


def test_marketing_from_the_booking_page_is_requested_until_the_address_confirms_it(client, mail):
    cal = calendar(client)
    address = customer_email()

    answer = _book(client, cal, email=address)

    customer_id = answer["appointment"]["customer_id"]
    assert customer_row(cal.business_id, customer_id)["marketing_opt_in"] is False
    assert consents(cal.business_id, customer_id) == [("terms", True, "booking_page")]
    assert ("marketing", False, "requested", "booking_page") in _history(client, cal, customer_id)
    [message] = _confirm_mails(mail, address)
    assert cal.business_id not in message["Subject"]
    token = _token(message)

    response = confirm(client, token)

    assert response.status_code == 200, response.body
    assert body(response) == {"kind": "marketing", "granted": True}
    assert customer_row(cal.business_id, customer_id)["marketing_opt_in"] is True
    assert consents(cal.business_id, customer_id) == [("terms", True, "booking_page"),
                                                      ("marketing", True, "booking_page")]
    history = _history(client, cal, customer_id)
    assert history[0] == ("marketing", True, "granted", "booking_page")
    assert ("marketing", False, "confirmed", "booking_page") in history
    # Single use.
    error_of(confirm(client, token), 404, "not_found")


def test_typing_an_existing_customers_address_consents_nothing_for_them(client, mail):
    cal = calendar(client)
    known = created(client, cal.owner, name="Known Person", email=customer_email())

    answer = _book(client, cal, email=known["email"], name="Someone Else")

    assert answer["appointment"]["customer_id"] == known["id"]
    row = customer_row(cal.business_id, known["id"])
    assert row["marketing_opt_in"] is False
    assert [c for c in consents(cal.business_id, known["id"]) if c[0] == "marketing"] == []
    # Only the address's owner can make it count: the request went to them.
    assert len(_confirm_mails(mail, known["email"])) == 1


def test_an_expired_link_confirms_nothing(client, mail):
    cal = calendar(client)
    address = customer_email()
    customer_id = _book(client, cal, email=address)["appointment"]["customer_id"]
    token = _token(_confirm_mails(mail, address)[0])
    rows(cal.business_id, "UPDATE consent_requests SET expires_at = now() - interval '1 second' RETURNING id")

    error_of(confirm(client, token), 404, "not_found")

    assert customer_row(cal.business_id, customer_id)["marketing_opt_in"] is False
    assert ("marketing", False, "expired", "booking_page") in _history(client, cal, customer_id)


def test_a_link_sent_to_an_address_the_customer_no_longer_has_confirms_nothing(client, mail):
    cal = calendar(client)
    address = customer_email()
    customer_id = _book(client, cal, email=address)["appointment"]["customer_id"]
    token = _token(_confirm_mails(mail, address)[0])
    changed = call(client, "PATCH", f"/customers/{customer_id}", {"email": customer_email()}, session=cal.owner)
    assert changed.status_code == 200, changed.body

    error_of(confirm(client, token), 404, "not_found")

    assert customer_row(cal.business_id, customer_id)["marketing_opt_in"] is False


def test_asking_again_sends_no_second_email_the_same_day(client, mail):
    cal = calendar(client)
    address = customer_email()

    first = _book(client, cal, email=address)
    _book(client, cal, email=address, hour=12)

    assert len(_confirm_mails(mail, address)) == 1
    requests = rows(cal.business_id, "SELECT confirmed_at FROM consent_requests WHERE customer_id = CAST(:id AS uuid)",
                    id=first["appointment"]["customer_id"])
    assert requests == [{"confirmed_at": None}]


def test_a_renewed_request_replaces_the_earlier_link(client, mail):
    cal = calendar(client)
    address = customer_email()
    _book(client, cal, email=address)
    old = _token(_confirm_mails(mail, address)[0])
    rows(cal.business_id, "UPDATE consent_requests SET requested_at = requested_at - interval '2 days' RETURNING id")

    _book(client, cal, email=address, hour=12)

    first, second = _confirm_mails(mail, address)
    new = _token(second)
    assert new != old
    error_of(confirm(client, old), 404, "not_found")
    assert confirm(client, new).status_code == 200


def test_no_request_without_marketing_or_without_an_address_or_when_already_consenting(client, mail):
    cal = calendar(client)
    address = customer_email()
    opted_in = created(client, cal.owner, name="Already In", email=customer_email(), marketing_opt_in=True)

    _book(client, cal, email=address, marketing=False)
    phone_only = {key: value for key, value in booking_body(cal, cal.at(3, 12))["customer"].items() if key != "email"}
    payload = booking_body(cal, cal.at(3, 12), consent={"terms": True, "marketing": True},
                           customer={**phone_only, "phone": "+44 7700 900765"})
    booked_online(client, slug_of(client, cal), payload)
    _book(client, cal, email=opted_in["email"], hour=14)

    assert rows(cal.business_id, "SELECT id FROM consent_requests") == []
    assert _confirm_mails(mail, address) == [] and _confirm_mails(mail, opted_in["email"]) == []


@pytest.mark.parametrize("token", ["nonsense", "00000000-0000-4000-8000-000000000000.forged",
                                   "not-a-uuid.secret"])
def test_an_unknown_link_is_404(client, token):
    error_of(confirm(client, token), 404, "not_found")


def test_the_retention_sweep_deletes_requests_that_expired_unconfirmed_and_keeps_confirmed_ones(client, mail):
    cal = calendar(client)
    lapsed, confirmed = customer_email(), customer_email()
    _book(client, cal, email=lapsed)
    _book(client, cal, email=confirmed, hour=12)
    assert confirm(client, _token(_confirm_mails(mail, confirmed)[0])).status_code == 200
    rows(cal.business_id, "UPDATE consent_requests SET expires_at = now() - interval '31 days' RETURNING id")

    with retention.transaction() as tx:  # the sweep's role (migration 0016)
        deleted = service.prune_consent_requests(tx, older_than_s=30 * 24 * 3600, batch=10)

    assert deleted >= 1
    left = rows(cal.business_id, "SELECT confirmed_at IS NOT NULL AS confirmed FROM consent_requests")
    assert left == [{"confirmed": True}]
