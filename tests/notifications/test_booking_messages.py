"""What customers and staff receive when appointments are booked, confirmed, moved and cancelled
(the local stage: the outbox hands each row to the worker right after commit)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar

from tests.api import body, call
from tests.appointments.helpers import booked, calendar, customer_address
from tests.booking.helpers import booked_online, booking_body, slug_of
from tests.checks import rows


def _invite(message) -> icalendar.Calendar:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.iter_attachments()]
    return icalendar.Calendar.from_ical(parts[0].get_content())


def _event(invite: icalendar.Calendar) -> icalendar.Event:
    events = list(invite.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def _deliveries(cal, appointment_id: str) -> list[dict]:
    return rows(cal.business_id, "SELECT message, channel, recipient, status, attempts FROM notification_deliveries "
                "WHERE appointment_id = CAST(:id AS uuid) ORDER BY created_at", id=appointment_id)


def test_a_booking_sends_one_confirmation_with_a_calendar_invite(client, mail):
    cal = calendar(client)
    start = cal.at(3, 10)
    appointment = booked(client, cal, start)
    to = customer_address(cal)

    messages = mail.sent_to(to)
    assert len(messages) == 1
    message = messages[0]
    assert "is confirmed" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Cara Customer" in text and "Cut" in text and "Staff 0" in text
    assert start.strftime("%-d") in text and "10:00" in text
    assert "/manage-booking?token=" in text
    assert message.get_body(preferencelist=("html",)) is not None
    invite = _invite(message)
    assert str(invite["METHOD"]) == "REQUEST"
    event = _event(invite)
    assert str(event["UID"]) == f"{appointment['id']}@booking"
    assert event["DTSTART"].dt == start and str(event["DTSTART"].dt.tzinfo) == "Europe/London"
    assert event["DTEND"].dt == start + timedelta(hours=1)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert list(invite.walk("VTIMEZONE"))
    assert [(d["message"], d["channel"], d["status"]) for d in _deliveries(cal, appointment["id"])] == [
        ("booking_confirmed", "email", "sent")]


def test_the_emailed_manage_link_opens_the_booking(client, mail):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))
    token = mail.last_token(customer_address(cal))

    answer = call(client, "GET", f"/public/bookings/{token}")

    assert answer.status_code == 200, answer.body
    assert body(answer)["appointment"]["id"] == appointment["id"]


def test_a_cancellation_sends_a_cancel_with_the_same_uid_and_a_higher_sequence(client, mail):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))

    answer = call(client, "POST", f"/appointments/{appointment['id']}/cancel", {"reason": "ill"}, session=cal.owner)

    assert answer.status_code == 200, answer.body
    confirmation, cancellation = mail.sent_to(customer_address(cal))
    first, last = _event(_invite(confirmation)), _event(_invite(cancellation))
    assert str(_invite(cancellation)["METHOD"]) == "CANCEL"
    assert str(last["STATUS"]) == "CANCELLED"
    assert last["UID"] == first["UID"]
    assert int(last["SEQUENCE"]) > int(first["SEQUENCE"])
    assert "cancelled" in cancellation["Subject"].lower()


def test_a_reschedule_updates_the_invite_in_place(client, mail):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))
    new_start = cal.at(4, 14)

    answer = call(client, "POST", f"/appointments/{appointment['id']}/reschedule",
                  {"start_at": new_start.isoformat()}, session=cal.owner)

    assert answer.status_code == 200, answer.body
    confirmation, moved = mail.sent_to(customer_address(cal))
    first, second = _event(_invite(confirmation)), _event(_invite(moved))
    assert second["UID"] == first["UID"] and int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    assert second["DTSTART"].dt == new_start
    assert "14:00" in moved.get_body(preferencelist=("plain",)).get_content()


def test_an_online_booking_waiting_for_confirmation_says_so_and_the_confirmation_brings_the_invite(client, mail):
    cal = calendar(client, requires_confirmation=True)
    payload = booking_body(cal, cal.at(3, 10))
    appointment = booked_online(client, slug_of(client, cal), payload)["appointment"]
    to = payload["customer"]["email"]
    assert appointment["status"] == "pending"
    (pending,) = mail.sent_to(to)
    assert "waiting" in pending["Subject"].lower() or "request" in pending["Subject"].lower()
    assert not [p for p in pending.iter_attachments() if p.get_content_type() == "text/calendar"]

    answer = call(client, "POST", f"/appointments/{appointment['id']}/confirm", {}, session=cal.owner)

    assert answer.status_code == 200, answer.body
    _, confirmed = mail.sent_to(to)
    assert "is confirmed" in confirmed["Subject"]
    assert str(_invite(confirmed)["METHOD"]) == "REQUEST"
    assert [d["message"] for d in _deliveries(cal, appointment["id"])] == ["booking_pending", "booking_confirmed"]


def test_times_are_written_in_the_locations_zone_and_the_business_locale(client, mail):
    cal = calendar(client)
    rows(cal.business_id, "UPDATE locations SET time_zone = 'America/New_York' WHERE id = CAST(:id AS uuid) "
         "RETURNING id", id=cal.location_id)
    rows(cal.business_id, "UPDATE staff_hours SET starts = '00:00', ends = '23:59' RETURNING staff_id")
    rows(cal.business_id, "UPDATE businesses SET locale = 'de' WHERE id = CAST(:id AS uuid) RETURNING id",
         id=cal.business_id)
    start = datetime.combine(cal.at(5, 0).date(), datetime.min.time(), ZoneInfo("America/New_York")) + \
        timedelta(hours=15)

    booked(client, cal, start)

    (message,) = mail.sent_to(customer_address(cal))
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "15:00" in text
    german_months = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                     "November", "Dezember")
    assert any(month in text for month in german_months)
    event = _event(_invite(message))
    assert str(event["DTSTART"].dt.tzinfo) == "America/New_York"
    assert event["DTSTART"].dt.astimezone(timezone.utc) == start.astimezone(timezone.utc)


def test_a_staff_member_hears_of_a_booking_they_did_not_make(client, mail):
    cal = calendar(client)
    staff_email = "stylist-notify@example.com"
    rows(cal.business_id, "UPDATE staff SET email = :email WHERE id = CAST(:id AS uuid) RETURNING id",
         email=staff_email, id=cal.staff_ids[0])
    before = len(mail.sent_to(staff_email))

    appointment = booked(client, cal, cal.at(3, 10))

    messages = mail.sent_to(staff_email)[before:]
    assert len(messages) == 1
    assert "Cara Customer" in messages[0].get_body(preferencelist=("plain",)).get_content()
    assert ("staff_new_booking", "email", staff_email, "sent") in {
        (d["message"], d["channel"], d["recipient"], d["status"]) for d in _deliveries(cal, appointment["id"])}


def test_a_customer_without_an_address_is_logged_as_skipped(client, mail):
    cal = calendar(client)
    rows(cal.business_id, "UPDATE customers SET email = NULL WHERE id = CAST(:id AS uuid) RETURNING id",
         id=cal.customer_id)

    appointment = booked(client, cal, cal.at(3, 10))

    (delivery,) = _deliveries(cal, appointment["id"])
    assert delivery["status"] == "skipped" and delivery["recipient"] == ""


def test_email_turned_off_sends_customers_nothing(client, mail):
    cal = calendar(client)
    answer = call(client, "PUT", "/notifications/settings", {"email_enabled": False}, session=cal.owner)
    assert answer.status_code == 200, answer.body

    appointment = booked(client, cal, cal.at(3, 10))

    assert mail.sent_to(customer_address(cal)) == []
    assert [d["status"] for d in _deliveries(cal, appointment["id"])] == ["skipped"]


def test_a_custom_template_is_what_the_customer_reads(client, mail):
    cal = calendar(client)
    answer = call(client, "PUT", "/notifications/templates/booking_confirmed.email",
                  {"subject": "See you soon, {customer_name}!",
                   "body": "{service} with {staff} at {location} on {start_time}.\nChange it: {manage_link}\n"
                           "{business_name} {{team}}"}, session=cal.owner)
    assert answer.status_code == 200, answer.body

    booked(client, cal, cal.at(3, 10))

    (message,) = mail.sent_to(customer_address(cal))
    assert message["Subject"] == "See you soon, Cara Customer!"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert text.startswith("Cut with Staff 0 at Main on ")
    assert "/manage-booking?token=" in text and "{team}" in text
