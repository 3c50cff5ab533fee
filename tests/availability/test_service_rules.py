"""The availability rule through GET /availability, /availability/next and POST /availability/check,
against the real tables: working hours, the grid, durations, buffers, breaks, overrides, time off,
opening hours, appointments, external busy times, notice and advance, the service's and staff's
state, group seats and the fair pick among staff. Each rule is checked both as slots and as
check's reason.

The calendar (tests/appointments/helpers.py): Europe/London, staff working 09:00-17:00 every day,
a 60-minute service, a 15-minute grid, no notice, a year's advance."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


from tests.api import body, call
from tests.appointments.helpers import add_service, add_staff, book, booked, calendar
from tests.booking.helpers import add_location, check, clock, grid, next_slot, patch_policy, slots, starts, write

DAY = 3  # days ahead: far enough for any minimum notice the calendar has


def test_slots_follow_the_working_hours_the_grid_and_the_duration(client):
    cal = calendar(client, duration=45)
    day = cal.at(DAY, 0).date()

    response = slots(client, cal, day)

    assert clock(response) == grid("09:00", "16:15")
    found = body(response)["slots"]
    assert {(s["staff_id"], s["location_id"], s["seats_left"]) for s in found} == \
        {(cal.staff_ids[0], cal.location_id, 1)}
    assert all(datetime.fromisoformat(s["end_at"]) - datetime.fromisoformat(s["start_at"]) == timedelta(minutes=45)
               for s in found)
    assert check(client, cal, cal.at(DAY, 16, 15))["bookable"] is True
    assert check(client, cal, cal.at(DAY, 10, 10))["reason"] == "off_grid"
    assert check(client, cal, cal.at(DAY, 16, 30))["reason"] == "outside_hours"
    assert check(client, cal, cal.at(DAY, 8, 45))["reason"] == "outside_hours"


def test_the_businesss_grid_decides_the_start_times(client):
    cal = calendar(client)
    patch_policy(client, cal, slot_interval_min=20)
    day = cal.at(DAY, 0).date()

    assert clock(slots(client, cal, day)) == grid("09:00", "16:00", step=20)
    assert check(client, cal, cal.at(DAY, 9, 15))["reason"] == "off_grid"
    assert check(client, cal, cal.at(DAY, 9, 40))["bookable"] is True


def test_a_staff_members_own_duration_and_price_for_the_service_apply_to_them(client):
    cal = calendar(client, staff=2)
    slow, usual = cal.staff_ids
    write(cal, "UPDATE service_staff SET duration_min = 90, price_minor = 6000 WHERE staff_id = CAST(:sid AS uuid)",
          sid=slow)
    day = cal.at(DAY, 0).date()

    theirs = body(slots(client, cal, day, staff_id=slow))["slots"]

    assert [s["start_at"][11:16] for s in theirs] == grid("09:00", "15:30")
    assert all(datetime.fromisoformat(s["end_at"]) - datetime.fromisoformat(s["start_at"]) == timedelta(minutes=90)
               for s in theirs)
    assert clock(slots(client, cal, day, staff_id=usual)) == grid("09:00", "16:00")
    appointment = booked(client, cal, cal.at(DAY, 10), staff_id=slow)
    assert appointment["price"] == {"amount": 6000, "currency": "GBP"}
    assert datetime.fromisoformat(appointment["end_at"]) == cal.at(DAY, 11, 30)


def test_the_services_buffers_keep_the_occupied_time_inside_the_hours(client):
    cal = calendar(client, buffer_before=15, buffer_after=30)
    day = cal.at(DAY, 0).date()

    assert clock(slots(client, cal, day)) == grid("09:15", "15:30")
    assert check(client, cal, cal.at(DAY, 9))["reason"] == "outside_hours"
    assert check(client, cal, cal.at(DAY, 15, 45))["reason"] == "outside_hours"


def test_a_service_without_buffers_of_its_own_takes_the_business_defaults(client):
    cal = calendar(client)
    patch_policy(client, cal, buffer_before_min=30, buffer_after_min=45)
    none_at_all = replace(cal, service_id=add_service(cal.business_id, cal.staff_ids, name="Quick", buffer_before=0,
                                                      buffer_after=0))
    day = cal.at(DAY, 0).date()

    assert clock(slots(client, cal, day)) == grid("09:30", "15:15")
    assert clock(slots(client, none_at_all, day)) == grid("09:00", "16:00")


def test_a_break_is_not_bookable(client):
    cal = calendar(client)
    write(cal, """UPDATE staff_hours SET breaks = '[{"start": "12:00", "end": "13:00"}]'""")
    day = cal.at(DAY, 0).date()

    assert clock(slots(client, cal, day)) == grid("09:00", "11:00") + grid("13:00", "16:00")
    assert check(client, cal, cal.at(DAY, 11, 30))["reason"] == "outside_hours"
    assert check(client, cal, cal.at(DAY, 13))["bookable"] is True


def test_an_override_closes_a_day_or_replaces_its_hours(client):
    cal = calendar(client)
    closed, shorter, ordinary = (cal.at(DAY + k, 0).date() for k in range(3))
    write(cal, "INSERT INTO staff_overrides (business_id, staff_id, on_date, intervals) "
          "VALUES (:bid, CAST(:sid AS uuid), :day, '[]')", sid=cal.staff_ids[0], day=closed)
    write(cal, "INSERT INTO staff_overrides (business_id, staff_id, on_date, location_id, intervals) "
          """VALUES (:bid, CAST(:sid AS uuid), :day, CAST(:lid AS uuid), '[{"start": "10:00", "end": "12:00"}]')""",
          sid=cal.staff_ids[0], day=shorter, lid=cal.location_id)

    assert clock(slots(client, cal, closed)) == []
    assert clock(slots(client, cal, shorter)) == grid("10:00", "11:00")
    assert clock(slots(client, cal, ordinary)) == grid("09:00", "16:00")
    assert check(client, cal, cal.at(DAY, 10))["reason"] == "outside_hours"
    assert check(client, cal, cal.at(DAY + 1, 9))["reason"] == "outside_hours"


def test_time_off_takes_its_hours_away(client):
    cal = calendar(client)
    write(cal, "INSERT INTO time_off (business_id, staff_id, starts_at, ends_at) "
          "VALUES (:bid, CAST(:sid AS uuid), :starts, :ends)",
          sid=cal.staff_ids[0], starts=cal.at(DAY, 12), ends=cal.at(DAY, 14))
    day = cal.at(DAY, 0).date()

    assert clock(slots(client, cal, day)) == grid("09:00", "11:00") + grid("14:00", "16:00")
    assert check(client, cal, cal.at(DAY, 12, 30))["reason"] == "time_off"
    assert check(client, cal, cal.at(DAY, 11, 30))["reason"] == "time_off"
    assert clock(slots(client, cal, cal.at(DAY + 1, 0).date())) == grid("09:00", "16:00")


def test_opening_hours_narrower_than_the_staff_hours_limit_the_slots(client):
    cal = calendar(client)
    write(cal, "UPDATE locations SET opening_hours = (SELECT jsonb_agg(jsonb_build_object("
          "'weekday', d, 'opens', '10:00', 'closes', '15:00')) FROM generate_series(1, 6) d)")
    days = [cal.at(DAY + k, 0) for k in range(7)]
    weekday = next(day for day in days if day.isoweekday() != 7)
    sunday = next(day for day in days if day.isoweekday() == 7)

    assert clock(slots(client, cal, weekday.date())) == grid("10:00", "14:00")
    assert clock(slots(client, cal, sunday.date())) == []  # closed: no opening hours that weekday
    assert check(client, cal, weekday.replace(hour=9))["reason"] == "outside_hours"
    assert check(client, cal, weekday.replace(hour=14, minute=15))["reason"] == "outside_hours"
    assert check(client, cal, sunday.replace(hour=12))["reason"] == "outside_hours"


def test_an_archived_location_offers_nothing(client):
    cal = calendar(client)
    write(cal, "UPDATE locations SET archived_at = now()")

    assert starts(slots(client, cal, cal.at(DAY, 0).date())) == []
    assert check(client, cal, cal.at(DAY, 10))["reason"] == "staff_unavailable"


def test_an_appointment_and_its_buffer_are_busy_until_it_is_cancelled(client):
    cal = calendar(client, buffer_after=15)
    appointment = booked(client, cal, cal.at(DAY, 11))
    day = cal.at(DAY, 0).date()

    # 11:00-12:00 plus 15 minutes after; each new slot needs its own 15 minutes after too.
    assert clock(slots(client, cal, day)) == grid("09:00", "09:45") + grid("12:15", "15:45")
    assert check(client, cal, cal.at(DAY, 10))["reason"] == "taken"
    assert check(client, cal, cal.at(DAY, 12))["reason"] == "taken"
    assert check(client, cal, cal.at(DAY, 12, 15))["bookable"] is True

    response = call(client, "POST", f"/appointments/{appointment['id']}/cancel", {}, session=cal.owner)
    assert response.status_code == 200, response.body
    assert clock(slots(client, cal, day)) == grid("09:00", "15:45")


def test_external_busy_times_block_the_staff_member(client):
    cal = calendar(client)
    write(cal, "INSERT INTO external_busy (business_id, staff_id, source, external_id, busy) "
          "VALUES (:bid, CAST(:sid AS uuid), 'google', 'event-1', tstzrange(:starts, :ends))",
          sid=cal.staff_ids[0], starts=cal.at(DAY, 13), ends=cal.at(DAY, 14, 30))
    day = cal.at(DAY, 0).date()

    assert clock(slots(client, cal, day)) == grid("09:00", "12:00") + grid("14:30", "16:00")
    assert check(client, cal, cal.at(DAY, 13, 30))["reason"] == "taken"
    assert check(client, cal, cal.at(DAY, 12, 15))["reason"] == "taken"


def test_minimum_notice_and_maximum_advance_bound_the_slots(client):
    cal = calendar(client)
    patch_policy(client, cal, min_notice_min=2 * 24 * 60, max_advance_days=5)

    assert clock(slots(client, cal, cal.at(1, 0).date())) == []
    assert clock(slots(client, cal, cal.at(3, 0).date())) == grid("09:00", "16:00")
    assert clock(slots(client, cal, cal.at(6, 0).date())) == []
    assert check(client, cal, cal.at(1, 12))["reason"] == "too_soon"
    assert check(client, cal, cal.at(6, 12))["reason"] == "too_far"
    assert check(client, cal, cal.at(3, 12))["bookable"] is True


def test_an_inactive_or_archived_service_offers_nothing(client):
    cal = calendar(client)
    day = cal.at(DAY, 0).date()

    for change in ("UPDATE services SET active = false",
                   "UPDATE services SET active = true, archived_at = now()"):
        write(cal, change)
        assert starts(slots(client, cal, day)) == []
        verdict = check(client, cal, cal.at(DAY, 10))
        assert (verdict["bookable"], verdict["reason"]) == (False, "service_unavailable")
        response = next_slot(client, cal)
        assert response.status_code == 200 and body(response)["slot"] is None


def test_a_staff_member_who_does_not_perform_the_service_is_not_offered(client):
    cal = calendar(client)
    other = add_staff(cal.business_id, cal.location_id, "Not Trained")
    day = cal.at(DAY, 0).date()

    assert starts(slots(client, cal, day, staff_id=other)) == []
    assert {s["staff_id"] for s in body(slots(client, cal, day))["slots"]} == {cal.staff_ids[0]}
    assert check(client, cal, cal.at(DAY, 10), staff_id=other)["reason"] == "staff_unavailable"
    assert body(next_slot(client, cal, staff_id=other))["slot"] is None


def test_a_group_session_counts_down_its_seats_until_it_is_full(client):
    cal = calendar(client, capacity=3)
    day, ten = cal.at(DAY, 0).date(), cal.at(DAY, 10)

    def seats_at_ten() -> list[int]:
        found = body(slots(client, cal, day))["slots"]
        return [s["seats_left"] for s in found if datetime.fromisoformat(s["start_at"]) == ten]

    assert seats_at_ten() == [3]
    for left in (2, 1):
        booked(client, cal, ten)
        assert seats_at_ten() == [left]
    assert check(client, cal, ten)["bookable"] is True

    booked(client, cal, ten)

    assert seats_at_ten() == []
    assert check(client, cal, ten)["reason"] == "full"
    # The session's hour is the staff member's: other starts overlapping it are gone, the next one stays.
    assert clock(slots(client, cal, day)) == grid("09:00", "09:00") + grid("11:00", "16:00")
    response = book(client, cal, ten)
    assert response.status_code == 409 and body(response)["error"]["code"] == "slot_taken"


def test_any_staff_fills_a_running_group_session_before_opening_another(client):
    cal = calendar(client, staff=2, capacity=2)
    ten = cal.at(DAY, 10)
    first = booked(client, cal, ten)

    second = booked(client, cal, ten)

    assert second["staff_id"] == first["staff_id"]
    third = booked(client, cal, ten)
    assert third["staff_id"] != first["staff_id"]
    seats = [s for s in body(slots(client, cal, cal.at(DAY, 0).date()))["slots"]
             if datetime.fromisoformat(s["start_at"]) == ten]
    assert [(s["staff_id"], s["seats_left"]) for s in seats] == [(third["staff_id"], 1)]


def test_any_staff_offers_one_slot_per_start_and_picks_the_less_busy_person(client):
    cal = calendar(client, staff=2)
    busy, free = cal.staff_ids
    day = cal.at(DAY, 0).date()
    assert clock(slots(client, cal, day)) == grid("09:00", "16:00")
    both = starts(slots(client, cal, day, staff_id=busy)) + starts(slots(client, cal, day, staff_id=free))
    assert len(both) == 2 * len(grid("09:00", "16:00"))

    booked(client, cal, cal.at(DAY, 9), staff_id=busy)

    picks = starts(slots(client, cal, day), with_staff=True)
    assert [start[11:16] for start, _ in picks] == grid("09:00", "16:00")
    assert {staff for _, staff in picks} == {free}
    assert check(client, cal, cal.at(DAY, 14))["staff_id"] == free
    assert booked(client, cal, cal.at(DAY, 14))["staff_id"] == free


def picks_per_day(response) -> dict[str, set[str]]:
    """The staff picked for each local date of an any-staff answer."""
    picked: dict[str, set[str]] = {}
    for found in body(response)["slots"]:
        picked.setdefault(found["start_at"][:10], set()).add(found["staff_id"])
    return picked


def test_with_nobody_booked_the_pick_rotates_from_day_to_day(client):
    cal = calendar(client, staff=3)
    first = cal.at(DAY, 0).date()

    picked = picks_per_day(slots(client, cal, first, first + timedelta(days=2)))

    assert all(len(people) == 1 for people in picked.values())
    assert set().union(*picked.values()) == set(cal.staff_ids)


def test_the_rotation_still_moves_when_a_performer_is_inactive(client):
    cal = calendar(client, staff=3)
    ordered = sorted(cal.staff_ids)  # the engine ranks performers by id
    write(cal, "UPDATE staff SET active = false WHERE id = CAST(:sid AS uuid)", sid=ordered[1])
    first = cal.at(DAY, 0).date()

    picked = picks_per_day(slots(client, cal, first, first + timedelta(days=3)))

    assert set().union(*picked.values()) == {ordered[0], ordered[2]}


def test_with_several_staff_the_most_telling_reason_wins(client):
    cal = calendar(client, staff=2)
    working, away = cal.staff_ids
    write(cal, "INSERT INTO staff_overrides (business_id, staff_id, on_date, intervals) "
          "VALUES (:bid, CAST(:sid AS uuid), :day, '[]')", sid=away, day=cal.at(DAY, 0).date())
    booked(client, cal, cal.at(DAY, 10), staff_id=working)

    verdict = check(client, cal, cal.at(DAY, 10))

    assert (verdict["bookable"], verdict["reason"]) == (False, "taken")
    assert check(client, cal, cal.at(DAY, 10), staff_id=away)["reason"] == "outside_hours"


def test_location_id_narrows_the_slots_to_one_location_in_its_own_zone(client):
    cal = calendar(client)
    paris = add_location(cal, "Paris", "Europe/Paris")
    write(cal, "INSERT INTO staff_locations (business_id, staff_id, location_id) "
          "VALUES (:bid, CAST(:sid AS uuid), CAST(:lid AS uuid))", sid=cal.staff_ids[0], lid=paris)
    # 19:00-21:00 in Paris is 18:00-20:00 in London, after the London hours.
    write(cal, "INSERT INTO staff_hours (business_id, staff_id, location_id, weekday, starts, ends) "
          "SELECT :bid, CAST(:sid AS uuid), CAST(:lid AS uuid), d, '19:00', '21:00' FROM generate_series(1, 7) d",
          sid=cal.staff_ids[0], lid=paris)
    day = cal.at(DAY, 0).date()

    everywhere = body(slots(client, cal, day))["slots"]
    in_paris = slots(client, cal, day, location_id=paris)

    assert clock(in_paris) == grid("18:00", "19:00")
    assert {s["location_id"] for s in body(in_paris)["slots"]} == {paris}
    assert [s["start_at"][11:16] for s in everywhere] == grid("09:00", "16:00") + grid("18:00", "19:00")
    assert clock(slots(client, cal, day, location_id=cal.location_id)) == grid("09:00", "16:00")
    paris_verdict = check(client, cal, cal.at(DAY, 18, 30), location_id=paris)
    assert (paris_verdict["bookable"], paris_verdict["location_id"]) == (True, paris)
    assert check(client, cal, cal.at(DAY, 18, 30), location_id=cal.location_id)["reason"] == "outside_hours"


def test_next_finds_the_first_free_slot_after_a_fully_booked_day(client):
    cal = calendar(client, duration=8 * 60)  # one 09:00-17:00 appointment fills a day
    london = ZoneInfo("Europe/London")

    first = body(next_slot(client, cal))["slot"]
    start = datetime.fromisoformat(first["start_at"]).astimezone(london)
    assert start.strftime("%H:%M") == "09:00" and first["staff_id"] == cal.staff_ids[0]
    booked(client, cal, start)

    following = datetime.fromisoformat(body(next_slot(client, cal))["slot"]["start_at"]).astimezone(london)

    assert (following.date(), following.strftime("%H:%M")) == (start.date() + timedelta(days=1), "09:00")
    assert body(next_slot(client, cal, staff_id=cal.staff_ids[0]))["slot"]["start_at"] == following.isoformat()


def test_next_looks_past_a_closed_month_up_to_the_maximum_advance(client):
    cal = calendar(client)
    today = datetime.now(ZoneInfo("Europe/London")).date()
    write(cal, "INSERT INTO staff_overrides (business_id, staff_id, on_date, intervals) "
          "SELECT :bid, CAST(:sid AS uuid), d::date, '[]' "
          "FROM generate_series(CAST(:first AS date), CAST(:last AS date), interval '1 day') d",
          sid=cal.staff_ids[0], first=today, last=today + timedelta(days=30))

    found = body(next_slot(client, cal))["slot"]

    assert datetime.fromisoformat(found["start_at"]) == datetime.combine(today + timedelta(days=31), time(9), cal.zone)
    patch_policy(client, cal, max_advance_days=20)
    assert body(next_slot(client, cal))["slot"] is None
