"""The availability engine's rules, one by one, without a database: notice, advance window, grid, hours,
overrides, breaks, opening hours, time off, bookings with buffers, external busy times, group seats,
why_not's reasons and their order, the fair pick among staff, and speed. DST lives in test_engine_dst.py."""
from __future__ import annotations

import time as clock
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from chalicelib.availability.engine import (
    Block, Booked, Rules, Slot, StaffCalendar, WeeklyHours, any_staff, session_key, slots, why_not)

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
SERVICE = "6c1f9a52-0000-4000-8000-000000000001"
STAFF = [UUID(int=n + 1) for n in range(20)]
MONDAY = date(2027, 6, 7)  # British summer time: wall clock = UTC + 1
NOW = datetime(2027, 6, 1, tzinfo=UTC)


def at(day: date, clock_time: str, zone: ZoneInfo = LONDON, fold: int = 0) -> datetime:
    """A wall-clock time as a UTC instant."""
    wall = datetime.combine(day, time.fromisoformat(clock_time), tzinfo=zone).replace(fold=fold)
    return wall.astimezone(UTC)


def hm(h: int, m: int = 0) -> time:
    return time(h, m)


def weekdays(start: time, end: time, *, breaks: tuple[Block, ...] = (), days=range(1, 6)) -> tuple[WeeklyHours, ...]:
    return tuple(WeeklyHours(day, start, end, breaks) for day in days)


def rules(**changes) -> Rules:
    base = Rules(service_key=SERVICE, buffer_before=timedelta(0), buffer_after=timedelta(0), capacity=1,
                 interval_min=15, min_notice=timedelta(0), max_advance=timedelta(days=365))
    return replace(base, **changes)


def calendar(**changes) -> StaffCalendar:
    base = StaffCalendar(staff_id=STAFF[0], zone=LONDON, weekly=weekdays(hm(9), hm(17)), overrides={},
                         opening=None, time_off=(), booked=(), external_busy=(), duration=timedelta(minutes=60),
                         rank=0)
    return replace(base, **changes)


def booked(start: datetime, minutes: int = 60, *, before: int = 0, after: int = 0, key: str | None = None) -> Booked:
    end = start + timedelta(minutes=minutes)
    return Booked(start, end, start - timedelta(minutes=before), end + timedelta(minutes=after),
                  key or f"appointment-{start.isoformat()}")


def day_slots(the_rules: Rules, calendars: list[StaffCalendar], day: date, *, now: datetime = NOW,
              zone: ZoneInfo = LONDON) -> list[Slot]:
    since = datetime.combine(day, time(), tzinfo=zone)
    return slots(the_rules, calendars, since, since + timedelta(days=1), now)


def walls(found: list[Slot], zone: ZoneInfo = LONDON) -> list[str]:
    return [slot.start_at.astimezone(zone).strftime("%H:%M") for slot in found]


def quarter_hours(first: str, last: str) -> list[str]:
    start, end = datetime.fromisoformat(f"2000-01-01T{first}"), datetime.fromisoformat(f"2000-01-01T{last}")
    count = (end - start) // timedelta(minutes=15) + 1
    return [(start + timedelta(minutes=15 * k)).strftime("%H:%M") for k in range(count)]


def test_an_ordinary_day_offers_every_grid_start_whose_appointment_fits():
    found = day_slots(rules(), [calendar()], MONDAY)

    assert walls(found) == quarter_hours("09:00", "16:00")
    first = found[0]
    assert first == Slot(datetime(2027, 6, 7, 8, tzinfo=UTC), datetime(2027, 6, 7, 9, tzinfo=UTC), STAFF[0], 1)
    assert all(slot.start_at.tzinfo is UTC and slot.end_at - slot.start_at == timedelta(hours=1) for slot in found)


def test_a_weekday_without_hours_is_not_worked():
    assert day_slots(rules(), [calendar()], date(2027, 6, 12)) == []
    assert why_not(rules(), calendar(), at(date(2027, 6, 12), "10:00"), NOW) == "outside_hours"


def test_two_shifts_on_one_weekday_both_count():
    split = (WeeklyHours(1, hm(8), hm(10)), WeeklyHours(1, hm(15), hm(17)))

    found = day_slots(rules(), [calendar(weekly=split)], MONDAY)

    assert walls(found) == quarter_hours("08:00", "09:00") + quarter_hours("15:00", "16:00")


def test_starts_inside_the_minimum_notice_are_too_soon():
    now = at(MONDAY, "10:05")
    the_rules = rules(min_notice=timedelta(hours=2))

    found = day_slots(the_rules, [calendar()], MONDAY, now=now)

    assert walls(found)[0] == "12:15"
    assert why_not(the_rules, calendar(), at(MONDAY, "12:00"), now) == "too_soon"
    exactly = rules(min_notice=timedelta(minutes=115))
    assert why_not(exactly, calendar(), at(MONDAY, "12:00"), now) is None


def test_starts_beyond_the_advance_window_are_too_far():
    now = at(MONDAY, "11:00") - timedelta(days=7)
    the_rules = rules(max_advance=timedelta(days=7))

    found = day_slots(the_rules, [calendar()], MONDAY, now=now)

    assert walls(found) == quarter_hours("09:00", "11:00")
    assert why_not(the_rules, calendar(), at(MONDAY, "11:15"), now) == "too_far"
    assert why_not(the_rules, calendar(), at(MONDAY, "11:00"), now) is None


def test_the_window_includes_since_and_excludes_until():
    found = slots(rules(), [calendar()], at(MONDAY, "10:00"), at(MONDAY, "11:00"), NOW)

    assert walls(found) == ["10:00", "10:15", "10:30", "10:45"]


def test_a_window_after_its_end_or_beyond_the_advance_is_empty():
    assert slots(rules(), [calendar()], at(MONDAY, "11:00"), at(MONDAY, "10:00"), NOW) == []
    assert slots(rules(max_advance=timedelta(days=1)), [calendar()], at(MONDAY, "09:00"), at(MONDAY, "17:00"),
                 NOW) == []


def test_starts_follow_the_business_grid():
    the_rules = rules(interval_min=30)

    assert walls(day_slots(the_rules, [calendar()], MONDAY)) == quarter_hours("09:00", "16:00")[::2]
    assert why_not(the_rules, calendar(), at(MONDAY, "09:15"), NOW) == "off_grid"
    assert why_not(the_rules, calendar(), at(MONDAY, "09:30") + timedelta(seconds=30), NOW) == "off_grid"
    assert why_not(the_rules, calendar(), at(MONDAY, "09:30"), NOW) is None


def test_the_grid_counts_wall_minutes_from_local_midnight():
    # 45-minute grid: 09:00 is minute 540 = 12 x 45; hours from 09:10 make 09:45 the first start.
    the_rules = rules(interval_min=45)

    found = day_slots(the_rules, [calendar(weekly=weekdays(hm(9, 10), hm(13)))], MONDAY)

    assert walls(found) == ["09:45", "10:30", "11:15", "12:00"]


def test_the_appointment_must_end_inside_working_hours():
    assert why_not(rules(), calendar(), at(MONDAY, "16:00"), NOW) is None
    assert why_not(rules(), calendar(), at(MONDAY, "16:15"), NOW) == "outside_hours"
    assert why_not(rules(), calendar(), at(MONDAY, "08:45"), NOW) == "outside_hours"


def test_the_buffers_must_fit_inside_working_hours_too():
    the_rules = rules(buffer_before=timedelta(minutes=15), buffer_after=timedelta(minutes=30))

    found = day_slots(the_rules, [calendar()], MONDAY)

    assert walls(found) == quarter_hours("09:15", "15:30")


def test_no_start_overlaps_a_break():
    lunch = weekdays(hm(9), hm(17), breaks=(Block(hm(12), hm(13)),))

    found = day_slots(rules(), [calendar(weekly=lunch)], MONDAY)

    assert walls(found) == quarter_hours("09:00", "11:00") + quarter_hours("13:00", "16:00")
    assert why_not(rules(), calendar(weekly=lunch), at(MONDAY, "11:30"), NOW) == "outside_hours"


def test_a_closed_override_removes_the_day():
    closed = calendar(overrides={MONDAY: ()})

    assert day_slots(rules(), [closed], MONDAY) == []
    assert why_not(rules(), closed, at(MONDAY, "10:00"), NOW) == "outside_hours"
    assert day_slots(rules(), [closed], MONDAY + timedelta(days=1)) != []


def test_an_override_replaces_the_weekly_hours_of_its_date():
    changed = calendar(overrides={MONDAY: (Block(hm(7), hm(8, 30)), Block(hm(18), hm(19)))},
                       weekly=weekdays(hm(9), hm(17), breaks=(Block(hm(12), hm(13)),)))

    assert walls(day_slots(rules(), [changed], MONDAY)) == ["07:00", "07:15", "07:30", "18:00"]
    sunday = date(2027, 6, 13)
    assert walls(day_slots(rules(), [calendar(overrides={sunday: (Block(hm(10), hm(11)),)})], sunday)) == ["10:00"]


def test_opening_hours_narrower_than_staff_hours_limit_the_slots():
    opening = weekdays(hm(10), hm(16), breaks=(Block(hm(13), hm(14)),), days=range(1, 8))
    wide = calendar(weekly=weekdays(hm(8), hm(20)), opening=opening)

    found = walls(day_slots(rules(), [wide], MONDAY))

    assert found == quarter_hours("10:00", "12:00") + quarter_hours("14:00", "15:00")
    assert why_not(rules(), wide, at(MONDAY, "09:00"), NOW) == "outside_hours"


def test_opening_hours_also_limit_an_override():
    opening = weekdays(hm(10), hm(16))
    extra = calendar(overrides={MONDAY: (Block(hm(6), hm(12)),)}, opening=opening)

    assert walls(day_slots(rules(), [extra], MONDAY)) == quarter_hours("10:00", "11:00")


def test_a_day_the_location_is_closed_has_no_slots():
    open_tuesday_to_friday = weekdays(hm(0), hm(23), days=range(2, 6))

    assert day_slots(rules(), [calendar(opening=open_tuesday_to_friday)], MONDAY) == []
    assert day_slots(rules(), [calendar(opening=())], MONDAY) == []


def test_partial_time_off_removes_the_starts_it_overlaps():
    off = calendar(time_off=((at(MONDAY, "11:00"), at(MONDAY, "13:30")),))

    assert walls(day_slots(rules(), [off], MONDAY)) == quarter_hours("09:00", "10:00") + quarter_hours("13:30", "16:00")
    assert why_not(rules(), off, at(MONDAY, "10:15"), NOW) == "time_off"


def test_all_day_time_off_removes_the_day():
    off = calendar(time_off=((datetime(2027, 6, 6, 23, tzinfo=UTC), datetime(2027, 6, 8, 23, tzinfo=UTC)),))

    assert day_slots(rules(), [off], MONDAY) == []
    assert why_not(rules(), off, at(MONDAY, "09:00"), NOW) == "time_off"


def test_time_off_in_another_zone_is_the_same_instants():
    new_york = ZoneInfo("America/New_York")
    off = calendar(time_off=((datetime(2027, 6, 7, 5, tzinfo=new_york), datetime(2027, 6, 7, 6, tzinfo=new_york)),))

    # 05:00-06:00 in New York (EDT) is 10:00-11:00 in London (BST)
    assert "09:00" in walls(day_slots(rules(), [off], MONDAY))
    assert why_not(rules(), off, at(MONDAY, "09:15"), NOW) == "time_off"
    assert why_not(rules(), off, at(MONDAY, "11:00"), NOW) is None


def test_a_booking_with_buffers_blocks_the_buffers_of_new_appointments():
    # the existing appointment 11:00-12:00 occupies 10:45-12:15; a new one takes 15 min either side too
    existing = calendar(booked=(booked(at(MONDAY, "11:00"), before=15, after=15),))
    the_rules = rules(buffer_before=timedelta(minutes=15), buffer_after=timedelta(minutes=15))

    found = walls(day_slots(the_rules, [existing], MONDAY))

    assert found == quarter_hours("09:15", "09:30") + quarter_hours("12:30", "15:45")
    assert why_not(the_rules, existing, at(MONDAY, "09:45"), NOW) == "taken"  # its buffer after meets 10:45
    assert why_not(the_rules, existing, at(MONDAY, "12:15"), NOW) == "taken"  # its buffer before meets 12:15
    assert why_not(the_rules, existing, at(MONDAY, "09:30"), NOW) is None
    assert why_not(the_rules, existing, at(MONDAY, "12:30"), NOW) is None


def test_back_to_back_appointments_without_buffers_are_fine():
    existing = calendar(booked=(booked(at(MONDAY, "11:00")),))

    found = walls(day_slots(rules(), [existing], MONDAY))

    assert "10:00" in found and "12:00" in found
    assert not {"10:15", "10:45", "11:00", "11:45"} & set(found)


def test_an_external_busy_interval_is_taken():
    busy = calendar(external_busy=((at(MONDAY, "14:00"), at(MONDAY, "14:20")),))

    found = walls(day_slots(rules(), [busy], MONDAY))

    assert found == quarter_hours("09:00", "13:00") + quarter_hours("14:30", "16:00")
    assert why_not(rules(), busy, at(MONDAY, "14:15"), NOW) == "taken"


def group_rules(capacity: int = 3) -> Rules:
    return rules(capacity=capacity)


def seats(start: datetime, count: int, service: str = SERVICE) -> tuple[Booked, ...]:
    return tuple(booked(start, key=session_key(service, start)) for _ in range(count))


def test_a_group_session_is_offered_while_seats_remain():
    session = at(MONDAY, "10:00")
    two_taken = calendar(booked=seats(session, 2))

    found = {slot.start_at: slot for slot in day_slots(group_rules(), [two_taken], MONDAY)}

    assert found[session].seats_left == 1
    assert found[at(MONDAY, "14:00")].seats_left == 3  # a fresh start has every seat
    assert why_not(group_rules(), two_taken, session, NOW) is None


def test_a_full_group_session_is_not_offered():
    session = at(MONDAY, "10:00")
    full = calendar(booked=seats(session, 3))

    assert session not in {slot.start_at for slot in day_slots(group_rules(), [full], MONDAY)}
    assert why_not(group_rules(), full, session, NOW) == "full"


def test_another_start_overlapping_a_group_session_is_taken():
    session = at(MONDAY, "10:00")
    started = calendar(booked=seats(session, 1))

    found = walls(day_slots(group_rules(), [started], MONDAY))

    assert "10:00" in found and not {"09:15", "10:15", "10:45"} & set(found)
    assert why_not(group_rules(), started, at(MONDAY, "10:15"), NOW) == "taken"


def test_a_session_of_another_service_at_the_same_start_is_taken():
    session = at(MONDAY, "10:00")
    other = calendar(booked=seats(session, 1, service="another-service"))

    assert why_not(group_rules(), other, session, NOW) == "taken"


def test_seats_do_not_apply_to_one_to_one_services():
    session = at(MONDAY, "10:00")
    single = calendar(booked=(booked(session, key=session_key(SERVICE, session)),))

    assert why_not(rules(), single, session, NOW) == "taken"


def test_a_group_session_still_needs_hours_and_no_time_off():
    session = at(MONDAY, "10:00")
    off = calendar(booked=seats(session, 1), time_off=((at(MONDAY, "10:30"), at(MONDAY, "10:45")),))
    closed = calendar(booked=seats(session, 1), overrides={MONDAY: ()})

    assert why_not(group_rules(), off, session, NOW) == "time_off"
    assert why_not(group_rules(), closed, session, NOW) == "outside_hours"
    assert session not in {slot.start_at for slot in day_slots(group_rules(), [off, closed], MONDAY)}


def test_a_session_key_names_the_instant_whatever_its_zone():
    instant = datetime(2027, 6, 7, 9, tzinfo=UTC)

    assert session_key(SERVICE, instant) == session_key(SERVICE, instant.astimezone(LONDON))
    assert session_key(SERVICE, instant) != session_key(SERVICE, instant + timedelta(minutes=15))
    assert session_key(SERVICE, instant) != session_key("another-service", instant)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        why_not(rules(), calendar(), datetime(2027, 6, 7, 10), NOW)


@pytest.mark.parametrize(("start", "the_rules", "cal", "reason"), [
    # each case fails several checks; the reason is the first one in the documented order
    ("06:10", rules(min_notice=timedelta(days=7)), calendar(), "too_soon"),
    ("06:10", rules(max_advance=timedelta(days=1)), calendar(), "too_far"),
    ("06:10", rules(), calendar(time_off=((at(MONDAY, "06:00"), at(MONDAY, "07:00")),)), "off_grid"),
    ("06:15", rules(), calendar(time_off=((at(MONDAY, "06:00"), at(MONDAY, "07:00")),)), "outside_hours"),
    ("10:00", rules(), calendar(time_off=((at(MONDAY, "10:00"), at(MONDAY, "11:00")),),
                                external_busy=((at(MONDAY, "10:00"), at(MONDAY, "11:00")),)), "time_off"),
    ("10:00", group_rules(1 + 1), calendar(booked=seats(at(MONDAY, "10:00"), 2),
                                           external_busy=((at(MONDAY, "10:00"), at(MONDAY, "11:00")),)), "full"),
    ("10:00", rules(), calendar(external_busy=((at(MONDAY, "10:59"), at(MONDAY, "11:30")),)), "taken"),
    ("10:00", rules(), calendar(), None),
])
def test_why_not_gives_the_first_failing_reason(start, the_rules, cal, reason):
    assert why_not(the_rules, cal, at(MONDAY, start), NOW) == reason


def busy_calendar(**changes) -> StaffCalendar:
    """Everything at once: breaks, overrides, opening hours, time off, bookings, busy, a group session."""
    base = calendar(
        weekly=weekdays(hm(8), hm(18), breaks=(Block(hm(12), hm(13)),)),
        opening=weekdays(hm(8, 30), hm(17, 30), days=range(1, 7)),
        overrides={MONDAY + timedelta(days=1): (Block(hm(10), hm(14)),), MONDAY + timedelta(days=2): ()},
        time_off=((at(MONDAY, "15:00"), at(MONDAY, "15:40")),),
        booked=(booked(at(MONDAY, "09:30"), 45, before=10, after=5),) + seats(at(MONDAY, "13:15"), 1),
        external_busy=((at(MONDAY + timedelta(days=3), "11:05"), at(MONDAY + timedelta(days=3), "11:10")),),
        duration=timedelta(minutes=50))
    return replace(base, **changes)


def test_slots_and_why_not_agree_on_every_start_of_a_busy_week():
    the_rules = rules(capacity=2, buffer_before=timedelta(minutes=5), buffer_after=timedelta(minutes=10),
                      interval_min=15, min_notice=timedelta(hours=1), max_advance=timedelta(days=3, hours=4))
    now = at(MONDAY, "08:20")
    cal = busy_calendar()
    since = at(MONDAY, "00:00")

    found = slots(the_rules, [cal], since, since + timedelta(days=5), now)

    offered = {slot.start_at: slot.seats_left for slot in found}
    probes = [since + timedelta(minutes=5 * k) for k in range(5 * 24 * 12)]
    assert list(offered) == [probe for probe in probes if why_not(the_rules, cal, probe, now) is None]
    assert offered[at(MONDAY, "13:15")] == 1
    assert len(offered) > 20


def test_slots_are_sorted_by_start_then_rank():
    first, second = calendar(staff_id=STAFF[0], rank=1), calendar(staff_id=STAFF[1], rank=0)

    found = day_slots(rules(), [first, second], MONDAY)

    assert [(slot.start_at, slot.staff_id) for slot in found[:4]] == [
        (at(MONDAY, "09:00"), STAFF[1]), (at(MONDAY, "09:00"), STAFF[0]),
        (at(MONDAY, "09:15"), STAFF[1]), (at(MONDAY, "09:15"), STAFF[0])]
    assert len(found) == 2 * 29


def staff(n: int, **changes) -> StaffCalendar:
    return calendar(staff_id=STAFF[n], rank=n, **changes)


def test_any_staff_gives_one_slot_per_start_to_someone_free():
    team = [staff(0, booked=(booked(at(MONDAY, "09:00")),)), staff(1, weekly=weekdays(hm(12), hm(17)))]
    found = day_slots(rules(), team, MONDAY)

    picked = any_staff(rules(), team, found)

    assert [slot.start_at for slot in picked] == sorted({slot.start_at for slot in found})
    assert {slot.start_at: slot.staff_id for slot in picked}[at(MONDAY, "10:00")] == STAFF[0]  # only one free


def test_any_staff_prefers_the_fewest_bookings_that_day():
    busier = staff(0, booked=(booked(at(MONDAY, "09:00")), booked(at(MONDAY, "10:00"))))
    lighter = staff(1, booked=(booked(at(MONDAY, "15:00")),))
    idle_other_day = staff(2, booked=tuple(booked(at(MONDAY + timedelta(days=1), f"{h:02d}:00")) for h in (9, 10, 11)))
    team = [busier, lighter, idle_other_day]

    picked = any_staff(rules(), team, day_slots(rules(), team, MONDAY))

    assert {slot.staff_id for slot in picked} == {STAFF[2]}


def test_any_staff_counts_a_group_session_once():
    group = staff(0, booked=seats(at(MONDAY, "09:00"), 3) + seats(at(MONDAY, "13:00"), 1))
    three_clients = staff(1, booked=tuple(booked(at(MONDAY, f"{h:02d}:00")) for h in (9, 10, 11)))
    team = [group, three_clients]

    picked = any_staff(group_rules(5), team, day_slots(group_rules(5), team, MONDAY))

    assert {slot.start_at: slot.staff_id for slot in picked}[at(MONDAY, "15:00")] == STAFF[0]


def test_any_staff_breaks_ties_by_a_rotation_that_moves_each_day():
    team = [staff(n) for n in range(3)]
    week = slots(rules(), team, at(MONDAY, "00:00"), at(MONDAY, "00:00") + timedelta(days=5), NOW)

    picked = any_staff(rules(), team, week)

    chosen = {}
    for slot in picked:
        chosen.setdefault(slot.start_at.astimezone(LONDON).date(), set()).add(slot.staff_id)
    first_choice = [chosen[MONDAY + timedelta(days=n)] for n in range(5)]
    assert all(len(day) == 1 for day in first_choice)  # with equal loads one person takes the whole day
    ranks = [STAFF.index(day.pop()) for day in first_choice]
    assert ranks == [(MONDAY + timedelta(days=n)).toordinal() % 3 for n in range(5)]
    assert len(set(ranks[:3])) == 3


def test_any_staff_is_deterministic_and_ignores_the_input_order():
    team = [staff(n, booked=(booked(at(MONDAY, f"{9 + n:02d}:00")),)) for n in range(4)]
    found = day_slots(rules(), team, MONDAY)

    assert any_staff(rules(), team, found) == any_staff(rules(), team[::-1], found[::-1])


def month_of(n: int, *, bookings: int) -> StaffCalendar:
    """A realistic month: 09-18 with lunch, an override, two days off, bookings spread over the days."""
    first = date(2027, 6, 1)
    working_days = [first + timedelta(days=d) for d in range(30) if (first + timedelta(days=d)).isoweekday() <= 5]
    appointments = tuple(
        booked(at(working_days[k % len(working_days)], f"{9 + (k * 7 + n) % 8:02d}:{15 * (k % 3):02d}"), 45,
               before=5, after=10)
        for k in range(bookings))
    return staff(n % 20,
                 weekly=weekdays(hm(9), hm(18), breaks=(Block(hm(12, 30), hm(13, 30)),)),
                 overrides={date(2027, 6, 12): (Block(hm(10), hm(14)),), date(2027, 6, 16): ()},
                 time_off=((at(date(2027, 6, 21), "00:00"), at(date(2027, 6, 23), "00:00")),),
                 booked=appointments, duration=timedelta(minutes=45))


def test_a_month_for_one_staff_member_and_for_twenty_is_fast():
    since = datetime(2027, 6, 1, tzinfo=UTC)
    until = since + timedelta(days=30)
    one = [month_of(0, bookings=130)]
    team = [month_of(n, bookings=60) for n in range(20)]

    started = clock.perf_counter()
    alone = slots(rules(), one, since, until, NOW)
    single = clock.perf_counter() - started
    started = clock.perf_counter()
    picked = any_staff(rules(), team, slots(rules(), team, since, until, NOW))
    shared = clock.perf_counter() - started

    assert len(alone) > 100 and len(picked) > 500
    assert single < 0.2 and shared < 0.8, (single, shared)


def test_any_staff_fills_a_running_group_session_before_opening_another():
    running = staff(0, booked=seats(at(MONDAY, "10:00"), 2) + seats(at(MONDAY, "14:00"), 1))
    idle = staff(1)
    team = [running, idle]

    picked = any_staff(group_rules(5), team, day_slots(group_rules(5), team, MONDAY))

    by_start = {slot.start_at: slot for slot in picked}
    assert by_start[at(MONDAY, "10:00")].staff_id == STAFF[0] and by_start[at(MONDAY, "10:00")].seats_left == 3
    assert by_start[at(MONDAY, "12:00")].staff_id == STAFF[1]  # no session then: the lighter day wins
