"""A slow Google call never delays an e-mail: the queue hands an appointment's events on one at a time
(its message group), so the calendar reader makes no Google call while handling one. It writes a
``calendar.write_requested`` event in a group of the appointment's own writes, and that event's
delivery writes to Google. An appointment Google has no part in gets no such event."""
from __future__ import annotations

from uuid import UUID

from chalicelib.events import outbox
from tests.appointments.helpers import booked, calendar
from tests.calendar.helpers import connect_staff
from tests.calendar.test_writer import book_for, event_calls
from tests.checks import rows

WRITE = "calendar.write_requested"


def write_requests(business_id: str) -> list[dict]:
    return rows(business_id, "SELECT aggregate_id, payload FROM outbox WHERE topic = :topic ORDER BY created_at",
                topic=WRITE)


def test_an_appointment_event_calls_no_google_and_asks_for_its_write_in_a_group_of_its_own(
        client, google_twin, monkeypatch):
    got = connect_staff(client, google_twin, email="groups@gmail.test")
    held: list = []
    monkeypatch.setattr(outbox, "dispatch", held.extend)  # the queue holds each message until we hand it on
    appointment = book_for(client, got)
    (created,) = held
    since = len(google_twin.calls)

    outbox.process(created.id, created.business_id)  # the appointment's group: e-mails, and no Google

    assert event_calls(google_twin, since) == []
    (request,) = write_requests(got["business_id"])
    assert request["payload"] == {"appointment_id": appointment["id"]}
    assert request["aggregate_id"] != UUID(appointment["id"])  # another message group
    (write,) = held[1:]
    outbox.process(write.id, write.business_id)  # the writes' group
    assert event_calls(google_twin, since) == ["insert"]
    assert len(google_twin.events("groups@gmail.test")) == 1


def test_an_appointment_google_has_no_part_in_asks_for_no_write(client, google_twin):
    cal = calendar(client)
    booked(client, cal, cal.at(3, 10))

    assert write_requests(cal.business_id) == []
