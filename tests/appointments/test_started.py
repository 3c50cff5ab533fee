"""Completed and no-show say what happened, so they wait for the start: before it, both are 409
not_started (with when it starts, in the location's time) and change nothing; from the start on, both work."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.api import body, call
from tests.appointments.helpers import appointment_rows, booked, calendar, outbox_topics, started
from tests.checks import error_of, rows


@pytest.fixture
def cal(client):
    return calendar(client)


def _history(business_id: str) -> list[dict]:
    return rows(business_id, "SELECT * FROM appointment_history ORDER BY id")


@pytest.mark.parametrize(("action", "wording"), [("complete", "completed"), ("no-show", "marked a no-show")])
def test_before_the_start_it_is_409_and_changes_nothing(client, cal, action, wording):
    start = cal.at(7, 10)
    appointment = booked(client, cal, start)
    before = appointment_rows(cal.business_id), _history(cal.business_id)

    answer = call(client, "POST", f"/appointments/{appointment['id']}/{action}", {"version": 1}, session=cal.owner)

    error = error_of(answer, 409, "not_started")
    assert error["message"] == (f"This appointment starts on {start:%Y-%m-%d} at 10:00 (Europe/London); "
                                f"it can be {wording} once it has started.")
    assert error["details"] == {"start_at": start.astimezone(timezone.utc).isoformat(),
                                "action": action.replace("-", "_")}
    assert (appointment_rows(cal.business_id), _history(cal.business_id)) == before
    assert outbox_topics(cal.business_id, appointment["id"]) == ["appointment.created"]


@pytest.mark.parametrize(("action", "status"), [("complete", "completed"), ("no-show", "no_show")])
def test_once_it_has_started_it_works(client, cal, action, status):
    appointment = booked(client, cal, cal.at(7, 10))
    started(cal, appointment["id"])

    answer = call(client, "POST", f"/appointments/{appointment['id']}/{action}", {"version": 1}, session=cal.owner)

    assert answer.status_code == 200, answer.body
    assert body(answer)["status"] == status
    assert appointment_rows(cal.business_id)[0]["status"] == status


def test_it_may_be_completed_while_it_is_still_going_on(client, cal):
    appointment = booked(client, cal, cal.at(7, 10))
    # Began a minute ago and still runs: the appointment is under way, so it has started.
    moment = datetime.now(timezone.utc)
    rows(cal.business_id, "UPDATE appointments SET start_at = :s, end_at = :e, occupied = tstzrange(:s, :e) "
         "WHERE id = CAST(:id AS uuid) RETURNING id",
         s=moment - timedelta(minutes=1), e=moment + timedelta(minutes=59), id=appointment["id"])

    answer = call(client, "POST", f"/appointments/{appointment['id']}/complete", {}, session=cal.owner)

    assert body(answer)["status"] == "completed"
