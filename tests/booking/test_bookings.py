"""POST /public/{slug}/bookings: a customer books. The answer (appointment, manage token and link),
every row the booking leaves (customer, consents, appointment, history, outbox, the link's hash),
the status the business's settings give it, the fair pick of a staff member, and refusals that
store nothing."""
from __future__ import annotations

import hashlib
import re
from datetime import datetime


from tests.api import body
from tests.appointments.helpers import add_service, booked, calendar
from tests.booking.helpers import (book_online, booked_online, booking_body, customer_email, patch_policy, public_slots,
                                   slug_of, stored, write)
from tests.checks import error_of, invalid_fields, rows

DAY = 3


def test_a_customer_books_and_gets_a_manage_link(client):
    cal = calendar(client)
    slug, start = slug_of(client, cal), cal.at(DAY, 10)
    payload = booking_body(cal, start, notes="First visit")

    response = book_online(client, slug, payload)

    assert response.status_code == 201, response.body
    answer = body(response)
    assert set(answer) == {"appointment", "manage_token", "manage_url"}
    appointment = answer["appointment"]
    assert (appointment["status"], appointment["source"], appointment["staff_id"], appointment["location_id"]) == (
        "confirmed", "online", cal.staff_ids[0], cal.location_id)
    assert (datetime.fromisoformat(appointment["start_at"]), appointment["notes"]) == (start, "First visit")
    assert appointment["price"] == {"amount": 4500, "currency": "GBP"}
    assert "internal_notes" not in appointment
    token = answer["manage_token"]
    prefix, _, secret = token.partition(".")
    assert prefix == cal.business_id
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", secret)  # 32 random bytes, URL-safe base64: 256 bits
    assert answer["manage_url"] == f"http://127.0.0.1:5173/manage-booking?token={token}"

    customer = rows(cal.business_id, "SELECT * FROM customers WHERE id = CAST(:id AS uuid)",
                    id=appointment["customer_id"])[0]
    assert (customer["name"], customer["email"]) == ("Pat Customer", payload["customer"]["email"])
    assert customer["terms_accepted_at"] is not None and customer["marketing_opt_in"] is False
    consents = rows(cal.business_id, "SELECT kind, granted, source FROM customer_consents "
                    "WHERE customer_id = CAST(:id AS uuid)", id=appointment["customer_id"])
    assert consents == [{"kind": "terms", "granted": True, "source": "booking_page"}]
    row = rows(cal.business_id, "SELECT * FROM appointments WHERE id = CAST(:id AS uuid)", id=appointment["id"])[0]
    assert (row["source"], row["created_by"], row["status"]) == ("online", None, "confirmed")
    history = rows(cal.business_id, "SELECT action, actor_type, actor_id FROM appointment_history "
                   "WHERE appointment_id = CAST(:id AS uuid)", id=appointment["id"])
    assert [(h["action"], h["actor_type"], str(h["actor_id"])) for h in history] == [
        ("created", "customer", appointment["customer_id"])]
    events = rows(cal.business_id, "SELECT topic, payload FROM outbox WHERE aggregate_id = CAST(:id AS uuid)",
                  id=appointment["id"])
    assert [(e["topic"], e["payload"]["source"]) for e in events] == [("appointment.created", "online")]


def test_the_link_table_keeps_only_the_tokens_sha256(client):
    cal = calendar(client)
    slug = slug_of(client, cal)
    first = booked_online(client, slug, booking_body(cal, cal.at(DAY, 10)))
    second = booked_online(client, slug, booking_body(cal, cal.at(DAY, 12)))

    links = rows(cal.business_id, "SELECT * FROM booking_links ORDER BY created_at")

    assert first["manage_token"] != second["manage_token"]
    # The booking answers' links, and the ones their confirmation e-mails carry: hashes, never tokens.
    hashes = {link["token_hash"] for link in links}
    assert {hashlib.sha256(answer["manage_token"].encode()).hexdigest() for answer in (first, second)} < hashes
    assert all(len(h) == 64 and int(h, 16) >= 0 for h in hashes)
    assert not any(answer["manage_token"] in str(link) for link in links for answer in (first, second))
    for answer in (first, second):
        secret = answer["manage_token"].partition(".")[2]
        assert not [link for link in links if any(secret in str(value) for value in link.values())]


def test_the_same_customer_books_again_as_one_customer_whose_record_stays_as_it_was(client):
    """Anyone can type a known customer's e-mail: what they type never replaces or adds to the record."""
    cal = calendar(client)
    slug, email = slug_of(client, cal), customer_email()
    before = stored(cal.business_id)["customers"]
    first = booked_online(client, slug, booking_body(cal, cal.at(DAY, 10), customer={"name": "Pat", "email": email}))

    again = booked_online(client, slug, booking_body(cal, cal.at(DAY, 12), customer={
        "name": "Patricia", "email": email.upper(), "phone": "+44 7700 900123"}))

    assert again["appointment"]["customer_id"] == first["appointment"]["customer_id"]
    assert stored(cal.business_id)["customers"] == before + 1
    customer = rows(cal.business_id, "SELECT name, email, phone, phone_normalized FROM customers "
                    "WHERE id = CAST(:id AS uuid)", id=first["appointment"]["customer_id"])[0]
    assert customer == {"name": "Pat", "email": email, "phone": None, "phone_normalized": None}
    # Terms accepted once already: nothing new to record.
    consents = rows(cal.business_id, "SELECT kind FROM customer_consents WHERE customer_id = CAST(:id AS uuid)",
                    id=first["appointment"]["customer_id"])
    assert consents == [{"kind": "terms"}]


def test_a_customer_known_by_phone_is_found_by_it_and_keeps_their_record(client):
    """Whoever knows a customer's number must not attach their own address to that customer (it would
    receive the customer's manage links and messages from then on)."""
    cal = calendar(client)
    slug, email = slug_of(client, cal), customer_email()
    first = booked_online(client, slug, booking_body(cal, cal.at(DAY, 10),
                                                     customer={"name": "Phone Only", "phone": "07700 900456"}))

    again = booked_online(client, slug, booking_body(cal, cal.at(DAY, 12), customer={
        "name": "Phone Only", "phone": "07700900456", "email": email}))

    assert again["appointment"]["customer_id"] == first["appointment"]["customer_id"]
    customer = rows(cal.business_id, "SELECT email, phone FROM customers WHERE id = CAST(:id AS uuid)",
                    id=first["appointment"]["customer_id"])[0]
    assert customer == {"email": None, "phone": "07700 900456"}


def test_marketing_consent_from_the_page_is_only_requested_until_the_address_confirms_it(client):
    cal = calendar(client)
    slug = slug_of(client, cal)

    yes = booked_online(client, slug, booking_body(cal, cal.at(DAY, 10), consent={"terms": True, "marketing": True}))
    no = booked_online(client, slug, booking_body(cal, cal.at(DAY, 12), consent={"terms": True, "marketing": False}))

    def consents(answer):
        return rows(cal.business_id, "SELECT kind, granted, source FROM customer_consents "
                    "WHERE customer_id = CAST(:id AS uuid) ORDER BY kind", id=answer["appointment"]["customer_id"])

    def requests(answer):
        return rows(cal.business_id, "SELECT kind, confirmed_at FROM consent_requests "
                    "WHERE customer_id = CAST(:id AS uuid)", id=answer["appointment"]["customer_id"])

    assert consents(yes) == consents(no) == [{"kind": "terms", "granted": True, "source": "booking_page"}]
    assert requests(yes) == [{"kind": "marketing", "confirmed_at": None}]
    assert requests(no) == []
    opted = rows(cal.business_id, "SELECT id, marketing_opt_in FROM customers WHERE id IN "
                 "(CAST(:yes AS uuid), CAST(:no AS uuid))", yes=yes["appointment"]["customer_id"],
                 no=no["appointment"]["customer_id"])
    assert {str(r["id"]): r["marketing_opt_in"] for r in opted} == {
        yes["appointment"]["customer_id"]: False, no["appointment"]["customer_id"]: False}


def test_a_booking_waits_for_confirmation_when_the_service_or_the_business_asks_for_it(client):
    cal = calendar(client, staff=2)
    slug = slug_of(client, cal)
    checked = add_service(cal.business_id, cal.staff_ids, name="Consultation", requires_confirmation=True)

    assert booked_online(client, slug, booking_body(cal, cal.at(DAY, 9)))["appointment"]["status"] == "confirmed"
    pending = booked_online(client, slug, {**booking_body(cal, cal.at(DAY, 11)), "service_id": checked})
    assert pending["appointment"]["status"] == "pending"
    patch_policy(client, cal, auto_confirm=False)
    assert booked_online(client, slug, booking_body(cal, cal.at(DAY, 13)))["appointment"]["status"] == "pending"
    statuses = rows(cal.business_id, "SELECT status FROM appointments ORDER BY start_at")
    assert [r["status"] for r in statuses] == ["confirmed", "pending", "pending"]
    topics = rows(cal.business_id, "SELECT DISTINCT topic FROM outbox WHERE topic LIKE 'appointment.%'")
    assert topics == [{"topic": "appointment.created"}]


def test_bad_bookings_name_their_field_and_store_nothing(client):
    cal = calendar(client)
    slug = slug_of(client, cal)
    good = booking_body(cal, cal.at(DAY, 10))
    before = stored(cal.business_id)
    cases = [
        ({**good, "customer": {"email": customer_email()}}, "customer.name"),
        ({**good, "customer": {"name": "No Way To Reach"}}, "customer.email"),
        ({**good, "customer": {"name": "Bad Mail", "email": "not-an-address"}}, "customer.email"),
        ({**good, "customer": {"name": "Bad\nName", "email": customer_email()}}, "customer.name"),
        ({**good, "consent": {"terms": False, "marketing": True}}, "consent.terms"),
        ({key: value for key, value in good.items() if key != "consent"}, "consent"),
        ({**good, "start_at": cal.at(DAY, 10).replace(tzinfo=None).isoformat()}, "start_at"),
        ({**good, "start_at": "next tuesday"}, "start_at"),
        ({**good, "service_id": "42"}, "service_id"),
        ({**good, "coupon": "FREE"}, "coupon"),
        ({**good, "customer": {**good["customer"], "vip": True}}, "customer.vip"),
        ({**good, "notes": "x" * 2001}, "notes"),
    ]

    for payload, field in cases:
        fields = invalid_fields(book_online(client, slug, payload))
        assert field in fields, (payload, fields)

    assert stored(cal.business_id) == before


def test_a_phone_number_with_too_few_digits_names_the_customer_phone_field(client):
    cal = calendar(client)
    before = stored(cal.business_id)

    response = book_online(client, slug_of(client, cal),
                           booking_body(cal, cal.at(DAY, 10), customer={"name": "Pat", "phone": "12345"}))

    assert "customer.phone" in invalid_fields(response)
    assert stored(cal.business_id) == before


def test_a_taken_time_is_409_slot_taken_and_stores_nothing(client):
    cal = calendar(client)
    slug = slug_of(client, cal)
    booked_online(client, slug, booking_body(cal, cal.at(DAY, 10)))
    before = stored(cal.business_id)

    for start in (cal.at(DAY, 10), cal.at(DAY, 10, 30), cal.at(DAY, 9, 15)):
        error = error_of(book_online(client, slug, booking_body(cal, start)), 409, "slot_taken")
        assert error["details"]["reason"] == "taken"

    assert stored(cal.business_id) == before


def test_a_time_that_cannot_be_booked_is_409_with_the_reason(client):
    cal = calendar(client)
    slug = slug_of(client, cal)
    before = stored(cal.business_id)

    for start, reason in ((cal.at(DAY, 20), "outside_hours"), (cal.at(DAY, 10, 5), "off_grid"),
                          (cal.at(400, 10), "too_far"), (cal.at(-1, 10), "too_soon")):
        error = error_of(book_online(client, slug, booking_body(cal, start)), 409, "slot_unavailable")
        assert error["details"] == {"reason": reason}

    assert stored(cal.business_id) == before


def test_booking_without_a_staff_member_gives_the_person_the_page_showed(client):
    cal = calendar(client, staff=2)
    busy, free = cal.staff_ids
    slug = slug_of(client, cal)
    booked(client, cal, cal.at(DAY, 9), staff_id=busy)
    shown = next(s for s in body(public_slots(client, slug, cal, cal.at(DAY, 0).date()))["slots"]
                 if datetime.fromisoformat(s["start_at"]) == cal.at(DAY, 14))
    assert shown["staff_id"] == free

    answer = booked_online(client, slug, booking_body(cal, cal.at(DAY, 14)))

    assert answer["appointment"]["staff_id"] == free
    chosen = booked_online(client, slug, booking_body(cal, cal.at(DAY, 16), staff_id=busy))
    assert chosen["appointment"]["staff_id"] == busy


def test_a_staff_member_who_cannot_be_booked_online_is_refused(client):
    cal = calendar(client, staff=2)
    hidden = cal.staff_ids[1]
    write(cal, "UPDATE staff SET bookable = false WHERE id = CAST(:sid AS uuid)", sid=hidden)
    slug = slug_of(client, cal)
    before = stored(cal.business_id)

    error = error_of(book_online(client, slug, booking_body(cal, cal.at(DAY, 10), staff_id=hidden)),
                     409, "slot_unavailable")

    assert error["details"] == {"reason": "staff_unavailable"}
    assert stored(cal.business_id) == before
    assert booked_online(client, slug, booking_body(cal, cal.at(DAY, 10)))["appointment"]["staff_id"] != hidden


def test_a_service_not_bookable_online_or_of_another_business_cannot_be_booked(client):
    cal, other = calendar(client), calendar(client)
    offline = add_service(cal.business_id, cal.staff_ids, name="Phone Only", bookable_online=False)
    slug = slug_of(client, cal)
    before, before_other = stored(cal.business_id), stored(other.business_id)

    for service_id in (offline, other.service_id):
        response = book_online(client, slug, {**booking_body(cal, cal.at(DAY, 10)), "service_id": service_id})
        assert invalid_fields(response) == {"service_id": "unknown service"}

    # Nor does another business's slug book this one's service.
    response = book_online(client, slug_of(client, other), booking_body(cal, cal.at(DAY, 10)))
    assert invalid_fields(response) == {"service_id": "unknown service"}
    assert (stored(cal.business_id), stored(other.business_id)) == (before, before_other)


def test_another_businesss_staff_member_or_location_books_nothing(client):
    cal, other = calendar(client), calendar(client)
    slug = slug_of(client, cal)
    before = stored(cal.business_id)

    for foreign in ({"staff_id": other.staff_ids[0]}, {"location_id": other.location_id}):
        response = book_online(client, slug, booking_body(cal, cal.at(DAY, 10), **foreign))
        assert error_of(response, 409, "slot_unavailable")["details"] == {"reason": "staff_unavailable"}

    assert stored(cal.business_id) == before
