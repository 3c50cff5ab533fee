"""A booking on the public page finds a known customer by e-mail or phone, and changes nothing of
what is stored about them: the page proves control of neither, so a stranger typing someone's
address or number must not rename them nor give their record a phone number or address (which
would then get their messages and manage links)."""
from __future__ import annotations

from tests.appointments.helpers import calendar
from tests.booking.conftest import address_counts_cleared  # noqa: F401 - the public routes' counts, shared
from tests.booking.helpers import booked_online, booking_body, customer_email, slug_of
from tests.customers.helpers import created, customer_row


def _book(client, cal, hour: int, **customer) -> str:
    answer = booked_online(client, slug_of(client, cal), booking_body(cal, cal.at(3, hour), customer=customer))
    return answer["appointment"]["customer_id"]


def test_a_booking_with_a_known_email_keeps_the_stored_name_and_adds_no_phone(client):
    cal = calendar(client)
    known = created(client, cal.owner, name="Known Person", email=customer_email())

    customer_id = _book(client, cal, 10, name="Attacker Name", email=known["email"], phone="+44 7700 900411")

    assert customer_id == known["id"]
    row = customer_row(cal.business_id, known["id"])
    assert (row["name"], row["email"], row["phone"], row["phone_normalized"]) == (
        "Known Person", known["email"], None, None)


def test_a_booking_with_a_known_phone_keeps_the_stored_name_phone_and_email(client):
    cal = calendar(client)
    with_email = created(client, cal.owner, name="Phone And Mail", email=customer_email(), phone="07700 900412")
    phone_only = created(client, cal.owner, name="Phone Only", phone="+44 7700 900413")

    first = _book(client, cal, 10, name="Someone", email=customer_email(), phone="07700-900-412")
    second = _book(client, cal, 12, name="Someone Else", email=customer_email(), phone="+447700900413")

    assert (first, second) == (with_email["id"], phone_only["id"])
    assert {key: customer_row(cal.business_id, with_email["id"])[key] for key in ("name", "email", "phone")} == {
        "name": "Phone And Mail", "email": with_email["email"], "phone": "07700 900412"}
    assert {key: customer_row(cal.business_id, phone_only["id"])[key] for key in ("name", "email", "phone")} == {
        "name": "Phone Only", "email": None, "phone": "+44 7700 900413"}
