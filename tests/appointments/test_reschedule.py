"""Rescheduling keeps the appointment's id, re-checks availability (its own old time does not
stand in its way) and records before and after."""
from __future__ import annotations

from datetime import datetime, timezone

from tests.api import body, call
from tests.appointments.helpers import appointment_rows, booked, calendar, outbox_topics
from tests.checks import error_of, invalid_fields


def _move(client, cal, appointment_id, start, **extra):
    return call(client, "POST", f"/appointments/{appointment_id}/reschedule",
                {"start_at": start.isoformat(), **extra}, session=cal.owner)


def test_a_move_keeps_the_id_and_records_before_and_after(client):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(7, 10))

    answer = _move(client, cal, appointment["id"], cal.at(8, 14), version=1)

    assert answer.status_code == 200, answer.body
    moved = body(answer)
    assert moved["id"] == appointment["id"] and moved["version"] == 2
    assert datetime.fromisoformat(moved["start_at"]) == cal.at(8, 14)
    [row] = appointment_rows(cal.business_id)
    assert row["start_at"] == cal.at(8, 14)
    history = body(call(client, "GET", f"/appointments/{appointment['id']}/history", session=cal.owner))["items"]
    assert history[-1]["action"] == "rescheduled"
    assert datetime.fromisoformat(history[-1]["before"]["start_at"]) == cal.at(7, 10)
    assert datetime.fromisoformat(history[-1]["after"]["start_at"]) == cal.at(8, 14)
    assert outbox_topics(cal.business_id, appointment["id"]) == ["appointment.created", "appointment.rescheduled"]


def test_a_move_overlapping_its_own_old_time_is_allowed(client):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(7, 10))

    answer = _move(client, cal, appointment["id"], cal.at(7, 10, 30))

    assert answer.status_code == 200, answer.body


def test_a_move_into_a_taken_slot_is_409_and_changes_nothing(client):
    cal = calendar(client)
    first = booked(client, cal, cal.at(7, 10))
    booked(client, cal, cal.at(7, 12))

    error_of(_move(client, cal, first["id"], cal.at(7, 12, 30)), 409, "slot_taken")

    assert [r["start_at"] for r in appointment_rows(cal.business_id)] == [cal.at(7, 10), cal.at(7, 12)]
    assert outbox_topics(cal.business_id, first["id"]) == ["appointment.created"]


def test_a_move_to_another_staff_member(client):
    cal = calendar(client, staff=2)
    appointment = booked(client, cal, cal.at(7, 10), staff_id=cal.staff_ids[0])

    answer = _move(client, cal, appointment["id"], cal.at(7, 10), staff_id=cal.staff_ids[1])

    assert body(answer)["staff_id"] == cal.staff_ids[1]


def test_a_cancelled_appointment_cannot_be_moved(client):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(7, 10))
    call(client, "POST", f"/appointments/{appointment['id']}/cancel", {}, session=cal.owner)

    error_of(_move(client, cal, appointment["id"], cal.at(8, 10)), 409, "invalid_transition")


def test_a_stale_version_is_409(client):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(7, 10))
    _move(client, cal, appointment["id"], cal.at(8, 10))

    error_of(_move(client, cal, appointment["id"], cal.at(9, 10), version=1), 409, "stale_version")
    assert appointment_rows(cal.business_id)[0]["start_at"] == cal.at(8, 10)


def test_bad_input_is_422_and_changes_nothing(client):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(7, 10))
    path = f"/appointments/{appointment['id']}/reschedule"

    for payload, field in (({"start_at": "2030-01-01T10:00"}, "start_at"), ({}, "start_at"),
                           ({"start_at": cal.at(8, 10).isoformat(), "staff_id": "x"}, "staff_id")):
        assert field in invalid_fields(call(client, "POST", path, payload, session=cal.owner))
    assert appointment_rows(cal.business_id)[0]["start_at"] == cal.at(7, 10)


def test_history_times_are_iso_8601_like_the_api(client):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(7, 10))
    _move(client, cal, appointment["id"], cal.at(8, 14))

    history = body(call(client, "GET", f"/appointments/{appointment['id']}/history", session=cal.owner))["items"]

    assert history[-1]["after"]["start_at"] == cal.at(8, 14).astimezone(timezone.utc).isoformat()


def test_slots_for_moving_an_appointment_leave_its_own_time_free(client):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(7, 10))
    day = cal.at(7, 0).date()
    query = f"/availability?service_id={cal.service_id}&from={day}&to={day}"

    plain = body(call(client, "GET", query, session=cal.owner))["slots"]
    moving = body(call(client, "GET", f"{query}&exclude_appointment_id={appointment['id']}", session=cal.owner))["slots"]

    quarter_past = cal.at(7, 10, 15)
    assert quarter_past not in [datetime.fromisoformat(s["start_at"]) for s in plain]
    assert quarter_past in [datetime.fromisoformat(s["start_at"]) for s in moving]
    assert _move(client, cal, appointment["id"], quarter_past).status_code == 200
