"""Messages are metered: each message about a business's appointments counts once, when it is sent,
on its channel's meter (``messages_email``, ``messages_whatsapp``); one written again sends and
counts nothing more, one that failed or waits for a retry counts nothing, and our own mail to a
business's members (sign-up, invitations) is not its usage. Past the plan's monthly WhatsApp messages,
on a plan that bills none past them, the customer gets the e-mail instead; with overage WhatsApp goes
on."""
from __future__ import annotations

import uuid

import pytest

from chalicelib.events import outbox
from tests.api import call, new_business, unique_email
from tests.appointments.helpers import booked, calendar, customer_address
from tests.billing.plan_helpers import override, set_plan
from tests.billing.usage_helpers import counters, set_used, usage_route, used
from tests.checks import rows
from tests.graph_api import OK, configure, graph, graph_error  # noqa: F401 - fixtures

PHONE_NUMBER_ID = "106540352242922"


@pytest.fixture
def wamid(graph) -> None:
    """The fake Cloud API answers each send with a new message id (the log keys provider ids)."""
    graph.answer = (200, {**OK, "messages": [{"id": f"wamid.{uuid.uuid4().hex}"}]})


def _whatsapp_customer(client, cal) -> str:
    rows(cal.business_id, "UPDATE customers SET phone = '+44 7700 900123', phone_normalized = '+447700900123', "
         "preferred_channel = 'whatsapp' WHERE id = CAST(:id AS uuid) RETURNING id", id=cal.customer_id)
    answer = call(client, "PUT", "/notifications/settings", {
        "whatsapp_enabled": True, "whatsapp_phone_number_id": PHONE_NUMBER_ID,
        "whatsapp_access_token": "EAAG-a-long-enough-access-token"}, session=cal.owner)
    assert answer.status_code == 200, answer.body
    return customer_address(cal)


def _channels(cal, appointment_id: str) -> list[tuple[str, str]]:
    return [(r["channel"], r["status"]) for r in rows(
        cal.business_id, "SELECT channel, status FROM notification_deliveries WHERE appointment_id = CAST(:id AS uuid) "
        "ORDER BY created_at", id=appointment_id)]


def _with_staff_email(cal) -> str:
    address = f"stylist-{uuid.uuid4().hex[:6]}@example.com"
    rows(cal.business_id, "UPDATE staff SET email = :email WHERE id = CAST(:id AS uuid) RETURNING id",
         email=address, id=cal.staff_ids[0])
    return address


def test_each_email_sent_counts_once_and_a_message_written_again_counts_nothing_more(client, mail):
    cal = calendar(client)
    staff_address = _with_staff_email(cal)

    booked(client, cal, cal.at(3, 10))  # the customer's confirmation and the staff member's notice
    outbox_id = rows(cal.business_id, "SELECT id FROM outbox WHERE topic = 'appointment.created'")[0]["id"]
    outbox.process(outbox_id, uuid.UUID(cal.business_id))

    assert len(mail.sent_to(customer_address(cal))) == 1 and len(mail.sent_to(staff_address)) == 1
    assert used(cal.business_id, "messages_email") == 2
    assert usage_route(client, cal.owner) == {"bookings": 1, "messages_email": 2, "messages_whatsapp": 0}


def test_our_own_mail_to_a_businesss_members_is_not_its_usage(client, mail):
    owner = new_business(client)  # its verification e-mail went
    address = unique_email("invitee")
    assert call(client, "POST", "/business/users/invitations", {"email": address, "role": "staff"},
                session=owner).status_code == 201

    assert len(mail.sent_to(address)) == 1 and len(mail.sent_to(owner.email)) == 1
    assert counters(owner.business_id, "messages_email") == []


def test_a_whatsapp_message_counts_on_its_own_meter(client, graph, wamid, mail):
    cal = calendar(client)
    email = _whatsapp_customer(client, cal)

    appointment = booked(client, cal, cal.at(3, 10))

    assert _channels(cal, appointment["id"]) == [("whatsapp", "sent")] and mail.sent_to(email) == []
    assert (used(cal.business_id, "messages_whatsapp"), used(cal.business_id, "messages_email")) == (1, 0)


def test_a_whatsapp_message_refused_for_good_counts_only_its_email_fallback(client, graph, mail):
    cal = calendar(client)
    _whatsapp_customer(client, cal)
    graph.answer = (400, graph_error(131026, "Message undeliverable"))

    appointment = booked(client, cal, cal.at(3, 10))

    assert _channels(cal, appointment["id"]) == [("whatsapp", "failed"), ("email", "sent")]
    assert (used(cal.business_id, "messages_whatsapp"), used(cal.business_id, "messages_email")) == (0, 1)


def test_a_whatsapp_message_waiting_for_a_retry_counts_nothing_until_it_is_sent(client, graph, mail):
    cal = calendar(client)
    _whatsapp_customer(client, cal)
    graph.answer = (503, {"error": {"message": "try later", "code": 2}})
    appointment = booked(client, cal, cal.at(3, 10))
    assert _channels(cal, appointment["id"]) == [("whatsapp", "retrying")]
    assert used(cal.business_id, "messages_whatsapp") == 0

    graph.answer = (200, {**OK, "messages": [{"id": f"wamid.{uuid.uuid4().hex}"}]})
    outbox_id = rows(cal.business_id, "SELECT id FROM outbox WHERE topic = 'appointment.created'")[0]["id"]
    outbox.process(outbox_id, uuid.UUID(cal.business_id))

    assert _channels(cal, appointment["id"]) == [("whatsapp", "sent")]
    assert used(cal.business_id, "messages_whatsapp") == 1


def test_past_the_whatsapp_allowance_without_overage_the_customer_gets_the_email(client, graph, wamid, mail):
    cal = calendar(client)  # a trial: Pro's 500 WhatsApp messages, nothing billed past them
    email = _whatsapp_customer(client, cal)
    set_used(cal.business_id, "messages_whatsapp", 500)

    appointment = booked(client, cal, cal.at(3, 10))

    assert graph.requests == []
    assert len(mail.sent_to(email)) == 1
    assert _channels(cal, appointment["id"]) == [("email", "sent")]
    assert (used(cal.business_id, "messages_whatsapp"), used(cal.business_id, "messages_email")) == (500, 1)


def test_an_override_sets_the_whatsapp_allowance(client, graph, wamid, mail):
    cal = calendar(client)
    email = _whatsapp_customer(client, cal)
    override(cal.business_id, "messages_per_month", 1)

    first = booked(client, cal, cal.at(3, 10))
    second = booked(client, cal, cal.at(3, 12))

    assert _channels(cal, first["id"]) == [("whatsapp", "sent")]
    assert _channels(cal, second["id"]) == [("email", "sent")]
    assert len(graph.requests) == 1 and len(mail.sent_to(email)) == 1


def test_past_the_whatsapp_allowance_with_overage_whatsapp_goes_on(client, graph, wamid, mail):
    cal = calendar(client)
    set_plan(cal.business_id, "pro")
    email = _whatsapp_customer(client, cal)
    set_used(cal.business_id, "messages_whatsapp", 500)

    appointment = booked(client, cal, cal.at(3, 10))

    assert len(graph.requests) == 1 and mail.sent_to(email) == []
    assert _channels(cal, appointment["id"]) == [("whatsapp", "sent")]
    assert used(cal.business_id, "messages_whatsapp") == 501
