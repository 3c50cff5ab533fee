"""Reminders: armed with the booking at the business's offsets, sent once each by the 5-minute
schedule, re-armed by a move, dropped by a cancellation, exact in real time across DST."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from chalicelib.notifications import reminders
from tests.api import call
from tests.appointments.helpers import booked, calendar, customer_address
from tests.checks import rows

LONDON = ZoneInfo("Europe/London")


def _reminders(cal, appointment_id: str) -> list[dict]:
    return rows(cal.business_id, "SELECT offset_min, starts_at, due_at, state FROM reminders "
                "WHERE appointment_id = CAST(:id AS uuid) ORDER BY starts_at, offset_min DESC", id=appointment_id)


def _make_due(cal, appointment_id: str, offset_min: int) -> None:
    """Time passes: the reminder's moment is now a minute ago (as if the clock had reached it)."""
    changed = rows(cal.business_id, "UPDATE reminders SET due_at = now() - interval '1 minute' "
                   "WHERE appointment_id = CAST(:id AS uuid) AND offset_min = :offset AND state = 'scheduled' "
                   "RETURNING id", id=appointment_id, offset=offset_min)
    assert changed


def _sweep(client) -> None:
    client.lambda_.invoke("reminder_sweep", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))


def _reminder_emails(cal, mail) -> list:
    return [m for m in mail.sent_to(customer_address(cal)) if "reminder" in m["Subject"].lower()]


def _reminder_events(cal, appointment_id: str) -> int:
    return len(rows(cal.business_id, "SELECT id FROM outbox WHERE topic = 'appointment.reminder' "
                    "AND aggregate_id = CAST(:id AS uuid)", id=appointment_id))


def test_a_booking_arms_a_reminder_24_and_2_hours_before(client):
    cal = calendar(client)
    start = cal.at(3, 10)

    appointment = booked(client, cal, start)

    armed = _reminders(cal, appointment["id"])
    assert [(r["offset_min"], r["due_at"], r["state"]) for r in armed] == [
        (1440, start - timedelta(hours=24), "scheduled"), (120, start - timedelta(hours=2), "scheduled")]


def test_across_the_dst_change_a_reminder_is_24_hours_before_in_real_time(client):
    cal = calendar(client)
    # Clocks in London go forward at 01:00 on 28 March 2027: 10:00 that day is 09:00 UTC, and the
    # moment 24 hours earlier is 09:00 UTC (and 09:00 on the wall) on the 27th.
    start = datetime(2027, 3, 28, 10, 0, tzinfo=LONDON)

    appointment = booked(client, cal, start)

    due = {r["offset_min"]: r["due_at"] for r in _reminders(cal, appointment["id"])}
    assert due[1440] == datetime(2027, 3, 27, 9, 0, tzinfo=timezone.utc)
    assert due[1440].astimezone(LONDON).hour == 9
    assert due[120] == datetime(2027, 3, 28, 7, 0, tzinfo=timezone.utc)
    assert start - due[1440] == timedelta(hours=24)


def test_a_due_reminder_is_sent_once_however_often_the_schedule_runs(client, mail):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))
    _make_due(cal, appointment["id"], 1440)

    _sweep(client)
    _sweep(client)

    assert len(_reminder_emails(cal, mail)) == 1
    assert _reminder_events(cal, appointment["id"]) == 1
    states = {r["offset_min"]: r["state"] for r in _reminders(cal, appointment["id"])}
    assert states == {1440: "enqueued", 120: "scheduled"}
    text = _reminder_emails(cal, mail)[0].get_body(preferencelist=("plain",)).get_content()
    assert "10:00" in text and "/manage-booking?token=" in text


def test_overlapping_schedule_runs_send_each_reminder_once(client, mail):
    cals = [calendar(client) for _ in range(3)]
    booked_ids = [(cal, booked(client, cal, cal.at(3, 10))["id"]) for cal in cals]
    for cal, appointment_id in booked_ids:
        _make_due(cal, appointment_id, 1440)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        start.wait()
        try:
            reminders.sweep(batch=1)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    for cal, appointment_id in booked_ids:
        assert _reminder_events(cal, appointment_id) == 1
        assert len(_reminder_emails(cal, mail)) == 1


def test_a_cancelled_appointment_gets_no_reminder(client, mail):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))

    answer = call(client, "POST", f"/appointments/{appointment['id']}/cancel", {}, session=cal.owner)

    assert answer.status_code == 200, answer.body
    assert _reminders(cal, appointment["id"]) == []
    _sweep(client)
    assert _reminder_emails(cal, mail) == []


def test_a_reschedule_rearms_the_reminders_for_the_new_time(client, mail):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))
    _make_due(cal, appointment["id"], 1440)
    _sweep(client)
    new_start = cal.at(5, 15)

    answer = call(client, "POST", f"/appointments/{appointment['id']}/reschedule",
                  {"start_at": new_start.isoformat()}, session=cal.owner)

    assert answer.status_code == 200, answer.body
    armed = [(r["offset_min"], r["starts_at"], r["state"]) for r in _reminders(cal, appointment["id"])]
    old_start = cal.at(3, 10)
    assert armed == [(1440, old_start, "enqueued"), (1440, new_start, "scheduled"), (120, new_start, "scheduled")]
    _make_due(cal, appointment["id"], 1440)
    _sweep(client)
    assert len(_reminder_emails(cal, mail)) == 2
    assert "15:00" in _reminder_emails(cal, mail)[-1].get_body(preferencelist=("plain",)).get_content()


def test_a_reminder_whose_moment_passed_before_the_booking_is_skipped(client):
    cal = calendar(client)
    soon = datetime.now(LONDON).replace(second=0, microsecond=0) + timedelta(hours=3)
    soon = soon.replace(minute=(soon.minute // 15) * 15)
    if soon.hour >= 22:  # late in the evening its hour would run past the working day's 23:59: after midnight
        soon += timedelta(hours=3)
    rows(cal.business_id, "UPDATE staff_hours SET starts = '00:00', ends = '23:59' RETURNING staff_id")

    appointment = booked(client, cal, soon)

    assert [r["offset_min"] for r in _reminders(cal, appointment["id"])] == [120]


def test_a_reminder_overtaken_by_a_nearer_one_is_not_sent_too(client, mail):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))
    _make_due(cal, appointment["id"], 1440)
    _make_due(cal, appointment["id"], 120)  # the schedule was down for a day: both are due at once

    _sweep(client)

    assert len(_reminder_emails(cal, mail)) == 1
    assert {r["offset_min"]: r["state"] for r in _reminders(cal, appointment["id"])} == {
        1440: "skipped", 120: "enqueued"}


def test_a_reminder_for_a_time_the_appointment_left_is_dropped_by_the_worker(client, mail, monkeypatch):
    from chalicelib.events import outbox

    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))
    _make_due(cal, appointment["id"], 1440)
    held: list[outbox.Ref] = []
    dispatch = outbox.dispatch
    monkeypatch.setattr(outbox, "dispatch", held.extend)  # the queue is slow today
    _sweep(client)
    monkeypatch.setattr(outbox, "dispatch", dispatch)
    call(client, "POST", f"/appointments/{appointment['id']}/reschedule",
         {"start_at": cal.at(6, 11).isoformat()}, session=cal.owner)

    outbox.dispatch(held)

    assert _reminder_emails(cal, mail) == []


def test_changed_offsets_apply_to_upcoming_appointments(client):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))

    answer = call(client, "PUT", "/notifications/settings", {"reminder_offsets_min": [2880, 60]}, session=cal.owner)

    assert answer.status_code == 200, answer.body
    assert [r["offset_min"] for r in _reminders(cal, appointment["id"])] == [2880, 60]
