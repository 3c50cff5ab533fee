"""The status machine: pending -> confirmed -> completed | no_show, cancelled from pending or
confirmed; any other move is 409 and changes nothing. Each move is history and an outbox event."""
from __future__ import annotations

import pytest

from tests.api import body, call
from tests.appointments.helpers import booked, calendar, outbox_topics, started
from tests.checks import error_of, invalid_fields, rows

ACTIONS = {"confirm": "confirmed", "complete": "completed", "no-show": "no_show", "cancel": "cancelled"}


def _set_status(business_id: str, appointment_id: str, status: str) -> None:
    rows(business_id, "UPDATE appointments SET status = :s WHERE id = CAST(:id AS uuid) RETURNING id",
         s=status, id=appointment_id)


def _status(business_id: str, appointment_id: str) -> str:
    return rows(business_id, "SELECT status FROM appointments WHERE id = CAST(:id AS uuid)", id=appointment_id)[0]["status"]


def _act(client, cal, appointment_id, action, payload=None):
    return call(client, "POST", f"/appointments/{appointment_id}/{action}", payload or {}, session=cal.owner)


@pytest.fixture
def cal(client):
    return calendar(client)


# Every (from, action) pair and whether the machine allows it.
ALLOWED = {("pending", "confirm"), ("pending", "cancel"), ("confirmed", "complete"), ("confirmed", "no-show"),
           ("confirmed", "cancel")}
STATUSES = ("pending", "confirmed", "completed", "no_show", "cancelled")


@pytest.mark.parametrize("start", STATUSES)
def test_every_move_from_every_status_is_allowed_or_409(client, cal, start):
    for hour, action in zip((9, 11, 13, 15), ACTIONS):
        appointment = booked(client, cal, cal.at(7, hour))
        started(cal, appointment["id"])
        _set_status(cal.business_id, appointment["id"], start)

        answer = _act(client, cal, appointment["id"], action)

        if (start, action) in ALLOWED:
            assert answer.status_code == 200, (start, action, answer.body)
            assert body(answer)["status"] == ACTIONS[action]
            assert _status(cal.business_id, appointment["id"]) == ACTIONS[action]
        else:
            error = error_of(answer, 409, "invalid_transition")
            assert error["details"] == {"status": start, "action": action.replace("-", "_")}
            assert _status(cal.business_id, appointment["id"]) == start


def test_each_move_is_recorded_with_its_actor_and_an_outbox_event(client, cal):
    appointment = booked(client, cal, cal.at(7, 10))
    started(cal, appointment["id"])
    _set_status(cal.business_id, appointment["id"], "pending")

    _act(client, cal, appointment["id"], "confirm")
    _act(client, cal, appointment["id"], "complete")

    history = body(call(client, "GET", f"/appointments/{appointment['id']}/history", session=cal.owner))["items"]
    assert [h["action"] for h in history] == ["created", "confirm", "complete"]
    assert history[1]["before"] == {"status": "pending"} and history[1]["after"] == {"status": "confirmed"}
    assert history[2]["actor"] == {"type": "user", "id": cal.owner.user_id}
    assert outbox_topics(cal.business_id, appointment["id"]) == \
        ["appointment.created", "appointment.confirmed", "appointment.completed"]


def test_cancelling_frees_the_slot_and_keeps_the_reason(client, cal):
    start = cal.at(7, 10)
    appointment = booked(client, cal, start)

    answer = _act(client, cal, appointment["id"], "cancel", {"reason": "Customer is ill"})

    assert body(answer)["cancel_reason"] == "Customer is ill"
    assert body(answer)["cancelled_by"] == "business"
    assert booked(client, cal, start)["id"] != appointment["id"]


def test_a_no_show_is_an_event_for_the_pipeline(client, cal):
    appointment = booked(client, cal, cal.at(7, 10))
    started(cal, appointment["id"])

    _act(client, cal, appointment["id"], "no-show")

    assert outbox_topics(cal.business_id, appointment["id"])[-1] == "appointment.no_show"


def test_a_stale_version_is_409_and_changes_nothing(client, cal):
    appointment = booked(client, cal, cal.at(7, 10))
    started(cal, appointment["id"])
    _act(client, cal, appointment["id"], "complete")

    stale = _act(client, cal, appointment["id"], "cancel", {"version": 1})

    error_of(stale, 409, "stale_version")
    assert _status(cal.business_id, appointment["id"]) == "completed"


def test_patch_edits_notes_under_a_version(client, cal):
    appointment = booked(client, cal, cal.at(7, 10))
    path = f"/appointments/{appointment['id']}"

    edited = call(client, "PATCH", path, {"notes": "Bring photos", "version": 1}, session=cal.owner)
    stale = call(client, "PATCH", path, {"internal_notes": "late", "version": 1}, session=cal.owner)

    assert edited.status_code == 200 and body(edited)["notes"] == "Bring photos" and body(edited)["version"] == 2
    error_of(stale, 409, "stale_version")
    row = rows(cal.business_id, "SELECT notes, internal_notes FROM appointments")[0]
    assert row == {"notes": "Bring photos", "internal_notes": None}
    history = body(call(client, "GET", f"{path}/history", session=cal.owner))["items"]
    assert history[-1]["action"] == "edited" and history[-1]["after"] == {"notes": "Bring photos"}


@pytest.mark.parametrize(("payload", "field"), [
    ({"notes": "x"}, "version"),
    ({"notes": "x", "version": 0}, "version"),
    ({"start_at": "2030-01-01T10:00:00+00:00", "version": 1}, "start_at"),
    ({"notes": 5, "version": 1}, "notes"),
])
def test_patch_refuses_bad_input_and_time_changes(client, cal, payload, field):
    appointment = booked(client, cal, cal.at(7, 10))

    answer = call(client, "PATCH", f"/appointments/{appointment['id']}", payload, session=cal.owner)

    assert field in invalid_fields(answer)
    assert rows(cal.business_id, "SELECT version, notes FROM appointments")[0] == {"version": 1, "notes": None}


@pytest.mark.parametrize("payload", [{"reason": "x" * 501}, {"scope": "all"}, {"version": "1"}])
def test_cancel_refuses_bad_input(client, cal, payload):
    appointment = booked(client, cal, cal.at(7, 10))

    invalid_fields(_act(client, cal, appointment["id"], "cancel", payload))

    assert _status(cal.business_id, appointment["id"]) == "confirmed"


def test_an_unknown_appointment_is_404(client, cal):
    for action in ACTIONS:
        error_of(_act(client, cal, "00000000-0000-4000-8000-000000000000", action), 404, "not_found")
    error_of(call(client, "GET", "/appointments/not-a-uuid", session=cal.owner), 404, "not_found")
