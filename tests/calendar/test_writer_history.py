"""An appointment's Google event is a record of the time it took: marking it completed or a no-show
keeps the event; and erasing its customer (GDPR) takes their name out of every staff member's event."""
from __future__ import annotations

import pytest

from chalicelib.customers.service import ERASED_NAME
from tests.api import call
from tests.appointments.helpers import started
from tests.calendar.helpers import connect_staff
from tests.calendar.test_writer import book_for, event_calls, link_of


@pytest.mark.parametrize("action", ["complete", "no-show"])
def test_an_appointment_that_took_place_keeps_its_event(client, google_twin, action):
    got = connect_staff(client, google_twin, email="kept@gmail.test")
    appointment = book_for(client, got)
    started(got["cal"], appointment["id"])
    since = len(google_twin.calls)

    answer = call(client, "POST", f"/appointments/{appointment['id']}/{action}", {}, session=got["owner"])

    assert answer.status_code == 200, answer.body
    (event,) = google_twin.events("kept@gmail.test")
    assert event["status"] == "confirmed"
    assert "delete" not in event_calls(google_twin, since)
    assert link_of(got, appointment)["state"] == "present"


def test_erasing_the_customer_takes_their_name_out_of_the_staff_members_event(client, google_twin):
    got = connect_staff(client, google_twin, email="erase@gmail.test")
    appointment = book_for(client, got)
    (event,) = google_twin.events("erase@gmail.test")
    assert "Cara Customer" in event["summary"]

    answer = call(client, "DELETE", f"/customers/{appointment['customer_id']}", session=got["owner"])

    assert answer.status_code == 204, answer.body
    (event,) = google_twin.events("erase@gmail.test")
    assert "Cara" not in event["summary"] and ERASED_NAME in event["summary"]


def test_a_cancelled_appointment_is_not_written_back_when_its_customer_is_erased(client, google_twin):
    got = connect_staff(client, google_twin, email="gone@gmail.test")
    appointment = book_for(client, got)
    assert call(client, "POST", f"/appointments/{appointment['id']}/cancel", {}, session=got["owner"]).status_code == 200
    since = len(google_twin.calls)

    assert call(client, "DELETE", f"/customers/{appointment['customer_id']}", session=got["owner"]).status_code == 204

    assert event_calls(google_twin, since) == [] and google_twin.events("gone@gmail.test") == []
