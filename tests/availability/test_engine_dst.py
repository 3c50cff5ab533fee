"""Slots across clock changes: skipped wall times are never offered, repeated ones are offered once per
real instant, block boundaries in a gap or a repeated hour follow the documented rule, and durations
are real elapsed time. Dates: Europe/London 2027-03-28 / 2027-10-31, America/New_York 2027-03-14 /
2027-11-07, Australia/Lord_Howe 2027-04-04 / 2027-10-03 (30-minute shifts), America/Santiago
2027-09-05 / 2027-04-03 (changes at midnight), Asia/Kolkata (+05:30, no DST)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from chalicelib.availability.engine import Block, Slot, StaffCalendar, slots, why_not
from tests.availability.test_engine import booked, calendar, hm, rules, weekdays

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
SANTIAGO = ZoneInfo("America/Santiago")
NOW = datetime(2027, 1, 1, tzinfo=UTC)
QUARTER = timedelta(minutes=15)


def all_day(zone: ZoneInfo, **changes) -> StaffCalendar:
    """Working 00:00-23:59 every day, quarter-hour appointments."""
    return calendar(zone=zone, weekly=weekdays(hm(0), time(23, 59), days=range(1, 8)), duration=QUARTER, **changes)


def hours(zone: ZoneInfo, start: time, end: time, **changes) -> StaffCalendar:
    return calendar(zone=zone, weekly=weekdays(start, end, days=range(1, 8)), **changes)


def local_day(cal: StaffCalendar, day: date, the_rules=None) -> list[Slot]:
    """The slots starting on one local date."""
    since = datetime.combine(day, time(), tzinfo=cal.zone)
    until = datetime.combine(day + timedelta(days=1), time(), tzinfo=cal.zone)
    return slots(the_rules or rules(), [cal], since, until, NOW)


def labels(found: list[Slot], zone: ZoneInfo) -> list[str]:
    """Wall time and offset: a repeated wall time shows up with both offsets."""
    return [slot.start_at.astimezone(zone).strftime("%H:%M%z") for slot in found]


def utc(found: list[Slot]) -> list[str]:
    return [slot.start_at.strftime("%d %H:%M") for slot in found]


def one_real_step_apart(found: list[Slot], step: timedelta = QUARTER) -> bool:
    return all(b.start_at - a.start_at == step for a, b in zip(found, found[1:]))


def test_an_ordinary_london_sunday_has_95_quarter_hour_starts():
    found = local_day(all_day(LONDON), date(2027, 3, 21))

    assert len(found) == 95 and one_real_step_apart(found)


def test_london_spring_forward_skips_the_missing_hour():
    found = local_day(all_day(LONDON), date(2027, 3, 28))

    assert len(found) == 91  # a 23-hour day
    assert one_real_step_apart(found)
    assert not [label for label in labels(found, LONDON) if label.startswith("01:")]
    assert labels(found, LONDON)[3:6] == ["00:45+0000", "02:00+0100", "02:15+0100"]
    assert found[4].start_at == datetime(2027, 3, 28, 1, tzinfo=UTC)


def test_london_fall_back_offers_the_repeated_hour_twice():
    found = local_day(all_day(LONDON), date(2027, 10, 31))

    assert len(found) == 99  # a 25-hour day
    assert one_real_step_apart(found)
    assert len({slot.start_at for slot in found}) == 99
    assert labels(found, LONDON)[4:13] == ["01:00+0100", "01:15+0100", "01:30+0100", "01:45+0100",
                                           "01:00+0000", "01:15+0000", "01:30+0000", "01:45+0000", "02:00+0000"]


def test_new_york_spring_forward_skips_two_to_three():
    found = local_day(all_day(NEW_YORK), date(2027, 3, 14))

    assert len(found) == 91 and one_real_step_apart(found)
    assert labels(found, NEW_YORK)[7:9] == ["01:45-0500", "03:00-0400"]
    assert utc(found)[7:9] == ["14 06:45", "14 07:00"]


def test_new_york_fall_back_offers_one_thirty_at_both_instants():
    found = local_day(all_day(NEW_YORK), date(2027, 11, 7))

    assert len(found) == 99 and one_real_step_apart(found)
    one_thirty = [slot.start_at for slot in found if slot.start_at.astimezone(NEW_YORK).strftime("%H:%M") == "01:30"]
    assert one_thirty == [datetime(2027, 11, 7, 5, 30, tzinfo=UTC), datetime(2027, 11, 7, 6, 30, tzinfo=UTC)]


@pytest.mark.parametrize("how", ["weekly", "override"])
def test_a_shift_over_the_repeated_hour_lasts_four_real_hours(how):
    # 00:00-03:00 on the fall-back day: 00:00 BST to 03:00 GMT
    fall_back = date(2027, 10, 31)
    block = Block(hm(0), hm(3))
    if how == "weekly":
        base = hours(LONDON, block.start, block.end)
    else:
        base = hours(LONDON, hm(9), hm(17), overrides={fall_back: (block,)})

    quarter = local_day(replace(base, duration=QUARTER), fall_back)
    four_hours = local_day(replace(base, duration=timedelta(hours=4)), fall_back)

    assert len(quarter) == 16
    assert [(s.start_at, s.end_at) for s in four_hours] == [
        (datetime(2027, 10, 30, 23, tzinfo=UTC), datetime(2027, 10, 31, 3, tzinfo=UTC))]
    ordinary_sunday = date(2027, 10, 24)
    assert local_day(hours(LONDON, hm(0), hm(3), duration=timedelta(hours=4)), ordinary_sunday) == []


def test_a_block_starting_in_the_repeated_hour_starts_at_its_first_occurrence():
    found = local_day(hours(LONDON, hm(1, 30), hm(3), duration=QUARTER), date(2027, 10, 31))

    assert labels(found, LONDON)[0] == "01:30+0100"
    assert len(found) == 10  # 00:30 to 03:00 UTC


def test_a_block_ending_in_the_repeated_hour_ends_at_its_second_occurrence():
    found = local_day(hours(LONDON, hm(0), hm(1, 30), duration=QUARTER), date(2027, 10, 31))

    assert found[-1].end_at == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)  # 01:30 GMT
    assert len(found) == 10  # 23:00 to 01:30 UTC


def test_a_break_in_the_repeated_hour_covers_all_it_names():
    # break 01:00 (first, BST) to 01:30 (second, GMT): 00:00 to 01:30 UTC
    lunch = weekdays(hm(0), hm(3), breaks=(Block(hm(1), hm(1, 30)),), days=range(1, 8))

    found = local_day(calendar(zone=LONDON, weekly=lunch, duration=QUARTER), date(2027, 10, 31))

    assert labels(found, LONDON) == ["00:00+0100", "00:15+0100", "00:30+0100", "00:45+0100", "01:30+0000",
                                     "01:45+0000", "02:00+0000", "02:15+0000", "02:30+0000", "02:45+0000"]


def test_a_block_starting_inside_the_gap_starts_at_the_jump():
    cal = hours(LONDON, hm(1, 30), hm(4), duration=QUARTER)

    found = local_day(cal, date(2027, 3, 28))

    assert found[0].start_at == datetime(2027, 3, 28, 1, tzinfo=UTC)  # 02:00 BST
    assert labels(found, LONDON)[0] == "02:00+0100"
    assert len(found) == 8


def test_a_block_ending_inside_the_gap_ends_at_the_jump():
    cal = hours(LONDON, hm(0), hm(1, 30), duration=QUARTER)

    found = local_day(cal, date(2027, 3, 28))

    assert labels(found, LONDON) == ["00:00+0000", "00:15+0000", "00:30+0000", "00:45+0000"]
    assert found[-1].end_at == datetime(2027, 3, 28, 1, tzinfo=UTC)
    assert why_not(rules(), cal, datetime(2027, 3, 28, 1, tzinfo=UTC), NOW) == "outside_hours"


def test_an_appointment_over_spring_forward_ends_after_its_real_duration():
    # 00:00 GMT to 02:30 BST is 90 real minutes: a 60-minute appointment can start until 00:30
    found = local_day(hours(LONDON, hm(0), hm(2, 30), duration=timedelta(minutes=60)), date(2027, 3, 28))

    assert labels(found, LONDON) == ["00:00+0000", "00:15+0000", "00:30+0000"]
    last = found[-1]
    assert last.end_at == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert last.end_at.astimezone(LONDON).strftime("%H:%M%z") == "02:30+0100"


def test_an_appointment_over_fall_back_ends_after_its_real_duration():
    # 00:00 BST to 02:00 GMT is 3 real hours
    found = local_day(hours(LONDON, hm(0), hm(2), duration=timedelta(minutes=60)), date(2027, 10, 31))

    assert len(found) == 9 and one_real_step_apart(found)
    by_label = {label: slot for label, slot in zip(labels(found, LONDON), found)}
    assert by_label["01:30+0100"].end_at.astimezone(LONDON).strftime("%H:%M%z") == "01:30+0000"
    assert by_label["01:00+0000"].end_at == datetime(2027, 10, 31, 2, tzinfo=UTC)


def test_an_existing_appointment_over_the_change_blocks_its_real_time():
    existing = booked(datetime(2027, 10, 31, 0, 30, tzinfo=UTC), 60)  # 01:30 BST to 01:30 GMT
    found = local_day(all_day(LONDON, booked=(existing,)), date(2027, 10, 31))

    assert "01:15+0000" not in labels(found, LONDON) and "01:30+0000" in labels(found, LONDON)
    assert "01:15+0100" in labels(found, LONDON) and "01:30+0100" not in labels(found, LONDON)
    assert len(found) == 99 - 4


def test_kolkata_half_hour_offset_puts_nine_o_clock_at_three_thirty_utc():
    cal = hours(KOLKATA, hm(9), hm(12), duration=timedelta(minutes=60))
    hourly = rules(interval_min=60)

    found = local_day(cal, date(2027, 3, 8), hourly)

    assert utc(found) == ["08 03:30", "08 04:30", "08 05:30"]
    assert why_not(hourly, cal, datetime(2027, 3, 8, 4, tzinfo=UTC), NOW) == "off_grid"  # 09:30 IST
    assert why_not(rules(interval_min=30), cal, datetime(2027, 3, 8, 4, tzinfo=UTC), NOW) is None


def test_lord_howe_repeats_half_an_hour_and_offers_it_once_per_instant():
    cal = hours(LORD_HOWE, hm(1), hm(3), duration=timedelta(minutes=30))

    found = local_day(cal, date(2027, 4, 4), rules(interval_min=30))

    assert labels(found, LORD_HOWE) == ["01:00+1100", "01:30+1100", "01:30+1030", "02:00+1030", "02:30+1030"]
    assert utc(found) == ["03 14:00", "03 14:30", "03 15:00", "03 15:30", "03 16:00"]
    quarter = local_day(replace(cal, duration=QUARTER), date(2027, 4, 4))
    assert len(quarter) == 10 and one_real_step_apart(quarter)


def test_lord_howe_skips_half_an_hour_in_october():
    found = local_day(hours(LORD_HOWE, hm(1), hm(4), duration=QUARTER), date(2027, 10, 3))

    assert labels(found, LORD_HOWE)[3:5] == ["01:45+1030", "02:30+1100"]
    assert not {"02:00", "02:15"} & {label[:5] for label in labels(found, LORD_HOWE)}
    assert len(found) == 10 and one_real_step_apart(found)
    assert found[0].start_at == datetime(2027, 10, 2, 14, 30, tzinfo=UTC)


def test_a_day_whose_midnight_is_skipped_starts_at_the_jump():
    # Santiago 2027-09-05: 00:00 becomes 01:00 (-03)
    found = local_day(hours(SANTIAGO, hm(0), hm(2), duration=QUARTER), date(2027, 9, 5))

    assert labels(found, SANTIAGO) == ["01:00-0300", "01:15-0300", "01:30-0300", "01:45-0300"]
    assert found[0].start_at == datetime(2027, 9, 5, 4, tzinfo=UTC)


def test_a_day_whose_last_hour_repeats_offers_both():
    # Santiago 2027-04-03: 24:00 (-03) becomes 23:00 (-04); the block ends at the second 23:59
    found = local_day(hours(SANTIAGO, hm(22), time(23, 59), duration=QUARTER), date(2027, 4, 3))

    assert len(found) == 11 and one_real_step_apart(found)
    assert labels(found, SANTIAGO)[-4:] == ["23:45-0300", "23:00-0400", "23:15-0400", "23:30-0400"]


def test_a_query_across_the_change_equals_its_days():
    cal = all_day(LONDON)
    days = [date(2027, 10, 30), date(2027, 10, 31), date(2027, 11, 1)]

    whole = slots(rules(), [cal], datetime(2027, 10, 30, tzinfo=LONDON), datetime(2027, 11, 2, tzinfo=LONDON), NOW)

    assert whole == [slot for day in days for slot in local_day(cal, day)]
    assert len(whole) == 95 + 99 + 95 and len({slot.start_at for slot in whole}) == len(whole)


@pytest.mark.parametrize(("zone", "day"), [
    (LONDON, date(2027, 3, 28)), (LONDON, date(2027, 10, 31)), (NEW_YORK, date(2027, 3, 14)),
    (NEW_YORK, date(2027, 11, 7)), (LORD_HOWE, date(2027, 4, 4)), (LORD_HOWE, date(2027, 10, 3)),
    (SANTIAGO, date(2027, 9, 5)), (SANTIAGO, date(2027, 4, 3)), (KOLKATA, date(2027, 3, 28)),
])
def test_slots_and_why_not_agree_around_a_clock_change(zone, day):
    lunch = weekdays(hm(0, 30), hm(22), breaks=(Block(hm(1, 15), hm(1, 45)), Block(hm(12), hm(13))), days=range(1, 8))
    opening = weekdays(hm(0), hm(21, 30), days=range(1, 8))
    first_instant = datetime.combine(day, time(2, 30), tzinfo=zone).astimezone(UTC)
    cal = calendar(zone=zone, weekly=lunch, opening=opening, duration=timedelta(minutes=50),
                   booked=(booked(first_instant, 40, before=5, after=5),),
                   time_off=((first_instant + timedelta(hours=5), first_instant + timedelta(hours=6)),))
    the_rules = rules(buffer_before=timedelta(minutes=10), buffer_after=timedelta(minutes=5))
    since = datetime.combine(day - timedelta(days=1), time(20), tzinfo=zone).astimezone(UTC)
    until = datetime.combine(day + timedelta(days=1), time(4), tzinfo=zone).astimezone(UTC)

    offered = [slot.start_at for slot in slots(the_rules, [cal], since, until, NOW)]

    bookable, probe = [], since
    while probe < until:
        if why_not(the_rules, cal, probe, NOW) is None:
            bookable.append(probe)
        probe += timedelta(minutes=5)
    assert offered == bookable
    assert len(offered) > 50
