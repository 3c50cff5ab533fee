"""A customer's manage link: GET /public/bookings/{token}, and its cancel and reschedule actions
inside the business's cut-offs. A token opens its own booking and nothing else."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from chalicelib.core.security import hash_token
from tests.api import body, call
from tests.appointments.helpers import booked, calendar, outbox_topics
from tests.booking.helpers import booked_online, booking_body, clock, grid, manage, patch_policy, slots, slug_of, stored
from tests.checks import error_of, rows

DAY = 3
TEN_DAYS_MIN = 10 * 24 * 60


def online(client: Any, cal, hour: int, **changes: Any) -> dict[str, Any]:
    return booked_online(client, slug_of(client, cal), booking_body(cal, cal.at(DAY, hour), **changes))


def appointment_row(cal, appointment_id: str) -> dict[str, Any]:
    return rows(cal.business_id, "SELECT * FROM appointments WHERE id = CAST(:id AS uuid)", id=appointment_id)[0]


def history(cal, appointment_id: str) -> list[dict[str, Any]]:
    return rows(cal.business_id, "SELECT action, actor_type, actor_id, before, after FROM appointment_history "
                "WHERE appointment_id = CAST(:id AS uuid) ORDER BY id", id=appointment_id)


def test_the_link_shows_the_booking_with_names_and_what_may_still_be_done(client):
    cal = calendar(client)
    answer = online(client, cal, 10, notes="Window seat")
    appointment = answer["appointment"]

    response = manage(client, answer["manage_token"])

    assert response.status_code == 200, response.body
    found = body(response)
    assert found["appointment"] == appointment
    assert "internal_notes" not in found["appointment"]
    profile = body(call(client, "GET", "/business", session=cal.owner))
    assert found["business"] == {"name": profile["name"], "slug": profile["slug"], "time_zone": profile["time_zone"],
                                 "contact": profile["contact"]}
    assert found["service"] == {"id": cal.service_id, "name": "Cut"}
    assert found["staff"] == {"id": cal.staff_ids[0], "name": "Staff 0"}
    assert (found["location"]["id"], found["location"]["name"], found["location"]["time_zone"]) == (
        cal.location_id, "Main", "Europe/London")
    assert (found["can_cancel"], found["can_reschedule"]) == (True, True)
    assert datetime.fromisoformat(found["cancel_until"]) == cal.at(DAY, 9)


def test_an_unknown_or_garbled_token_is_not_found(client):
    cal = calendar(client)
    token = online(client, cal, 10)["manage_token"]
    prefix, _, secret = token.partition(".")

    for wrong in (f"{prefix}.{secret[:-1]}", f"{prefix}.{secret}x", f"{uuid.uuid4()}.{secret}", secret,
                  f"not-a-uuid.{secret}", "x", f"{prefix}.", f".{secret}"):
        for response in (manage(client, wrong), manage(client, wrong, "cancel"),
                         manage(client, wrong, "reschedule", {"start_at": cal.at(DAY, 12).isoformat()})):
            error_of(response, 404, "not_found")
    linked = rows(cal.business_id, "SELECT appointment_id FROM booking_links WHERE token_hash = :hash",
                  hash=hash_token(token))
    assert appointment_row(cal, str(linked[0]["appointment_id"]))["status"] == "confirmed"


def test_a_token_of_one_business_never_opens_another_businesss_booking(client):
    first, second = calendar(client), calendar(client)
    mine, theirs = online(client, first, 10), online(client, second, 10)
    their_secret = theirs["manage_token"].partition(".")[2]
    my_secret = mine["manage_token"].partition(".")[2]

    for crossed in (f"{first.business_id}.{their_secret}", f"{second.business_id}.{my_secret}"):
        error_of(manage(client, crossed), 404, "not_found")
        error_of(manage(client, crossed, "cancel"), 404, "not_found")

    assert appointment_row(first, mine["appointment"]["id"])["status"] == "confirmed"
    assert appointment_row(second, theirs["appointment"]["id"])["status"] == "confirmed"


def test_the_customer_cancels_inside_the_cutoff(client):
    cal = calendar(client)
    answer = online(client, cal, 10)
    appointment_id, customer_id = answer["appointment"]["id"], answer["appointment"]["customer_id"]

    response = manage(client, answer["manage_token"], "cancel", {"reason": "Feeling unwell"})

    assert response.status_code == 200, response.body
    cancelled = body(response)["appointment"]
    assert (cancelled["id"], cancelled["status"], cancelled["cancelled_by"], cancelled["cancel_reason"]) == (
        appointment_id, "cancelled", "customer", "Feeling unwell")
    row = appointment_row(cal, appointment_id)
    assert (row["status"], row["cancelled_by"], row["version"]) == ("cancelled", "customer", 2)
    assert row["cancelled_at"] is not None
    last = history(cal, appointment_id)[-1]
    assert (last["action"], last["actor_type"], str(last["actor_id"])) == ("cancel", "customer", customer_id)
    assert last["after"]["status"] == "cancelled"
    assert outbox_topics(cal.business_id, appointment_id) == ["appointment.created", "appointment.cancelled"]
    found = body(manage(client, answer["manage_token"]))
    assert (found["appointment"]["status"], found["can_cancel"], found["can_reschedule"]) == ("cancelled", False, False)
    # The time is free again.
    assert clock(slots(client, cal, cal.at(DAY, 0).date())) == grid("09:00", "16:00")


def test_cancelling_twice_is_an_invalid_transition(client):
    cal = calendar(client)
    answer = online(client, cal, 10)
    assert manage(client, answer["manage_token"], "cancel").status_code == 200
    before = stored(cal.business_id)

    error = error_of(manage(client, answer["manage_token"], "cancel"), 409, "invalid_transition")

    assert error["details"]["status"] == "cancelled"
    assert stored(cal.business_id) == before


def test_after_the_cutoff_the_link_can_neither_cancel_nor_reschedule(client):
    cal = calendar(client)
    answer = online(client, cal, 10)
    appointment_id = answer["appointment"]["id"]
    patch_policy(client, cal, cancel_cutoff_min=TEN_DAYS_MIN, reschedule_cutoff_min=TEN_DAYS_MIN)
    before, row_before = stored(cal.business_id), appointment_row(cal, appointment_id)

    cancel = manage(client, answer["manage_token"], "cancel")
    move = manage(client, answer["manage_token"], "reschedule", {"start_at": cal.at(DAY, 14).isoformat()})

    assert error_of(cancel, 409, "cutoff_passed")["details"] == {"cutoff_min": TEN_DAYS_MIN}
    assert error_of(move, 409, "cutoff_passed")["details"] == {"cutoff_min": TEN_DAYS_MIN}
    assert appointment_row(cal, appointment_id) == row_before
    assert stored(cal.business_id) == before
    found = body(manage(client, answer["manage_token"]))
    assert (found["can_cancel"], found["can_reschedule"]) == (False, False)


def test_the_customer_reschedules_to_a_free_time_inside_the_cutoff(client):
    cal = calendar(client)
    answer = online(client, cal, 10)
    appointment_id, customer_id = answer["appointment"]["id"], answer["appointment"]["customer_id"]
    new_start = cal.at(DAY + 1, 14, 30)

    response = manage(client, answer["manage_token"], "reschedule", {"start_at": new_start.isoformat()})

    assert response.status_code == 200, response.body
    moved = body(response)["appointment"]
    assert (moved["id"], datetime.fromisoformat(moved["start_at"]), moved["staff_id"], moved["status"]) == (
        appointment_id, new_start, cal.staff_ids[0], "confirmed")
    assert rows(cal.business_id, "SELECT count(*) AS n FROM appointments")[0]["n"] == 1
    row = appointment_row(cal, appointment_id)
    assert (row["start_at"], row["version"]) == (new_start, 2)
    last = history(cal, appointment_id)[-1]
    assert (last["action"], last["actor_type"], str(last["actor_id"])) == ("rescheduled", "customer", customer_id)
    assert set(last["before"]) >= {"start_at", "end_at"} and set(last["after"]) >= {"start_at", "end_at"}
    events = rows(cal.business_id, "SELECT topic, payload FROM outbox WHERE aggregate_id = CAST(:id AS uuid) "
                  "ORDER BY created_at", id=appointment_id)
    assert [e["topic"] for e in events] == ["appointment.created", "appointment.rescheduled"]
    assert datetime.fromisoformat(events[-1]["payload"]["previous_start_at"]) == cal.at(DAY, 10)
    # The old time is free, the new one taken.
    assert clock(slots(client, cal, cal.at(DAY, 0).date())) == grid("09:00", "16:00")
    assert "14:30" not in clock(slots(client, cal, cal.at(DAY + 1, 0).date()))


def test_a_booking_moves_by_less_than_its_own_length(client):
    cal = calendar(client, buffer_after=15)
    answer = online(client, cal, 10)

    response = manage(client, answer["manage_token"], "reschedule", {"start_at": cal.at(DAY, 10, 30).isoformat()})

    assert response.status_code == 200, response.body
    row = appointment_row(cal, answer["appointment"]["id"])
    assert (row["start_at"], row["end_at"]) == (cal.at(DAY, 10, 30), cal.at(DAY, 11, 30))
    assert (row["occupied"].lower, row["occupied"].upper) == (cal.at(DAY, 10, 30), cal.at(DAY, 11, 45))


def test_rescheduling_into_a_taken_time_is_409_and_changes_nothing(client):
    cal = calendar(client, staff=2)
    mine, other = cal.staff_ids
    answer = online(client, cal, 10, staff_id=mine)
    booked(client, cal, cal.at(DAY, 14), staff_id=mine)
    appointment_id = answer["appointment"]["id"]
    before, row_before = stored(cal.business_id), appointment_row(cal, appointment_id)

    # The other staff member is free at 14:00, but a manage link keeps its staff member.
    for start in (cal.at(DAY, 14), cal.at(DAY, 13, 30)):
        response = manage(client, answer["manage_token"], "reschedule", {"start_at": start.isoformat()})
        error_of(response, 409, "slot_taken")
    unavailable = manage(client, answer["manage_token"], "reschedule", {"start_at": cal.at(DAY, 20).isoformat()})
    assert error_of(unavailable, 409, "slot_unavailable")["details"] == {"reason": "outside_hours"}

    assert appointment_row(cal, appointment_id) == row_before
    assert stored(cal.business_id) == before
    start_at = body(manage(client, answer["manage_token"]))["appointment"]["start_at"]
    assert datetime.fromisoformat(start_at) == cal.at(DAY, 10)


def test_a_cancelled_booking_cannot_be_rescheduled(client):
    cal = calendar(client)
    answer = online(client, cal, 10)
    assert manage(client, answer["manage_token"], "cancel").status_code == 200

    response = manage(client, answer["manage_token"], "reschedule", {"start_at": cal.at(DAY, 14).isoformat()})

    error_of(response, 409, "invalid_transition")


def test_a_bad_reschedule_body_names_its_field(client):
    cal = calendar(client)
    answer = online(client, cal, 10)

    for payload, field in (({"start_at": cal.at(DAY, 14).replace(tzinfo=None).isoformat()}, "start_at"),
                           ({}, "start_at"), ({"start_at": cal.at(DAY, 14).isoformat(), "staff_id": cal.staff_ids[0]},
                                               "staff_id")):
        response = manage(client, answer["manage_token"], "reschedule", payload)
        assert field in error_of(response, 422, "validation_failed")["details"]["fields"]
    long_reason = manage(client, answer["manage_token"], "cancel", {"reason": "x" * 501})
    assert "reason" in error_of(long_reason, 422, "validation_failed")["details"]["fields"]
    assert appointment_row(cal, answer["appointment"]["id"])["status"] == "confirmed"


def test_the_link_lists_times_to_move_to_with_its_own_time_free(client):
    cal = calendar(client, staff=2)
    answer = online(client, cal, 10, staff_id=cal.staff_ids[0])
    booked(client, cal, cal.at(DAY, 13), staff_id=cal.staff_ids[0])
    day = cal.at(DAY, 0).date()

    response = call(client, "GET", f"/public/bookings/{answer['manage_token']}/availability?from={day}&to={day}")

    assert response.status_code == 200, response.body
    assert {s["staff_id"] for s in body(response)["slots"]} == {cal.staff_ids[0]}
    times = clock(response)
    assert "10:15" in times and "09:30" in times  # overlapping its own time: offered
    assert "13:00" not in times and "12:30" not in times  # overlapping another booking: not
    error_of(call(client, "GET", f"/public/bookings/{uuid.uuid4()}.nope/availability?from={day}&to={day}"),
             404, "not_found")
    assert "to" in body(call(client, "GET", f"/public/bookings/{answer['manage_token']}/availability?from={day}"))[
        "error"]["details"]["fields"]
