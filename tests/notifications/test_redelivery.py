"""A row the worker sees twice (the queue redelivers, the sweep resends, an operator redrives) sends
nothing twice and keeps every link it already sent working; a worker dying half-way loses nothing."""
from __future__ import annotations

import uuid

import pytest

from chalicelib.events import outbox
from chalicelib.notifications import deliveries
from tests.api import call, new_business, unique_email
from tests.appointments.helpers import booked, calendar, customer_address
from tests.checks import rows


def _outbox_row(business_id: str, topic: str) -> uuid.UUID:
    found = rows(business_id, "SELECT id FROM outbox WHERE topic = :topic ORDER BY created_at DESC", topic=topic)
    return found[0]["id"]


def test_an_invitation_written_again_sends_nothing_and_its_link_still_works(client, mail):
    owner = new_business(client)
    address = unique_email("invitee")
    assert call(client, "POST", "/business/users/invitations", {"email": address, "role": "staff"},
                session=owner).status_code == 201
    token = mail.last_token(address)

    outbox.process(_outbox_row(owner.business_id, "auth.invitation"), uuid.UUID(owner.business_id))

    assert len(mail.sent_to(address)) == 1
    answer = call(client, "POST", "/auth/invitations/accept",
                  {"token": token, "password": "correct horse battery staple", "name": "Ivy"})
    assert answer.status_code == 200, answer.body


def test_a_booking_confirmation_written_again_keeps_its_manage_link(client, mail):
    cal = calendar(client)
    booked(client, cal, cal.at(3, 10))
    token = mail.last_token(customer_address(cal))

    outbox.process(_outbox_row(cal.business_id, "appointment.created"), uuid.UUID(cal.business_id))

    assert len(mail.sent_to(customer_address(cal))) == 1
    assert call(client, "GET", f"/public/bookings/{token}").status_code == 200
    links = rows(cal.business_id, "SELECT count(*) AS n FROM booking_links")[0]["n"]
    outbox.process(_outbox_row(cal.business_id, "appointment.created"), uuid.UUID(cal.business_id))
    assert rows(cal.business_id, "SELECT count(*) AS n FROM booking_links")[0]["n"] == links


def test_a_worker_dying_after_its_first_send_leaves_the_rest_to_the_redelivery(client, mail, monkeypatch):
    cal = calendar(client)
    staff_email = f"stylist-{uuid.uuid4().hex[:6]}@example.com"
    rows(cal.business_id, "UPDATE staff SET email = :email WHERE id = CAST(:id AS uuid) RETURNING id",
         email=staff_email, id=cal.staff_ids[0])
    settle = deliveries.settle

    def die_after_the_first(delivery_id, status, **kwargs):
        settle(delivery_id, status, **kwargs)
        raise SystemExit("the Lambda was killed")

    held: list = []
    monkeypatch.setattr(outbox, "dispatch", held.extend)  # the queue holds the row
    appointment = booked(client, cal, cal.at(3, 10))
    monkeypatch.setattr(deliveries, "settle", die_after_the_first)
    with pytest.raises(SystemExit):
        outbox.process(held[0].id, held[0].business_id)
    monkeypatch.setattr(deliveries, "settle", settle)

    outbox.process(held[0].id, held[0].business_id)  # the queue delivers it again

    assert len(mail.sent_to(customer_address(cal))) == 1
    assert len(mail.sent_to(staff_email)) == 1
    sent = rows(cal.business_id, "SELECT message, status FROM notification_deliveries "
                "WHERE appointment_id = CAST(:id AS uuid) ORDER BY message", id=appointment["id"])
    assert [(d["message"], d["status"]) for d in sent] == [("booking_confirmed", "sent"), ("staff_new_booking", "sent")]


def test_a_confirmation_written_after_the_booking_was_cancelled_is_not_sent(client, mail, monkeypatch):
    cal = calendar(client)
    held: list = []
    monkeypatch.setattr(outbox, "dispatch", held.extend)  # a queue backlog
    appointment = booked(client, cal, cal.at(3, 10))
    call(client, "POST", f"/appointments/{appointment['id']}/cancel", {}, session=cal.owner)
    monkeypatch.undo()

    outbox.dispatch(held)

    (message,) = mail.sent_to(customer_address(cal))
    assert "cancelled" in message["Subject"].lower()


def test_a_reminder_is_only_for_the_start_it_was_armed_for_and_only_before_it():
    from datetime import datetime, timedelta, timezone

    from chalicelib.notifications.appointment_messages import _stale

    now = datetime.now(timezone.utc).replace(microsecond=0)
    ahead, gone = now + timedelta(hours=2), now - timedelta(minutes=5)
    armed = {"start_at": ahead.isoformat()}
    assert not _stale("reminder", armed, {"status": "confirmed", "start_at": ahead})
    assert _stale("reminder", armed, {"status": "confirmed", "start_at": ahead + timedelta(days=1)})  # moved
    assert _stale("reminder", armed, {"status": "cancelled", "start_at": ahead})
    assert _stale("reminder", {"start_at": gone.isoformat()}, {"status": "confirmed", "start_at": gone})  # late
    assert _stale("booking_confirmed", {}, {"status": "cancelled", "start_at": ahead})
    assert not _stale("booking_cancelled", {}, {"status": "cancelled", "start_at": ahead})
