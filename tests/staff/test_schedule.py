"""GET and PUT /staff/{staff_id}/schedule: weekly hours per location with breaks, and dated overrides.

Days are local days of the staff member's zone; all dates here are years ahead, so always "upcoming"."""
from __future__ import annotations

import pytest

from tests.api import body, call, new_business
from tests.checks import error_of, invalid_fields, rows
from tests.staff.helpers import (UNKNOWN_ID, add_location, hours, new_staff, overrides, put_schedule, schedule_body,
                                 staff_tables)


@pytest.fixture
def setup(client):
    """A business, two of its locations and a staff member working at both."""
    owner = new_business(client)
    north, south = add_location(owner.business_id, "North"), add_location(owner.business_id, "South")
    staff = new_staff(client, owner, location_ids=[north, south])
    return owner, north, south, staff


def get_schedule(client, session, staff_id, query=""):
    return call(client, "GET", f"/staff/{staff_id}/schedule{query}", session=session)


def block(location_id, weekday, start, end, breaks=()):
    return {"location_id": location_id, "weekday": weekday, "start": start, "end": end,
            "breaks": [{"start": s, "end": e} for s, e in breaks]}


def test_a_new_staff_member_has_an_empty_schedule(client, setup):
    owner, _, _, staff = setup

    response = get_schedule(client, owner, staff["id"])

    assert response.status_code == 200
    assert body(response) == {"weekly": [], "overrides": []}


def test_an_admin_sets_weekly_hours_with_breaks_and_overrides(client, setup):
    owner, north, south, staff = setup
    schedule = {
        "weekly": [block(north, 1, "09:00", "12:00", [("10:30", "10:45")]), block(south, 1, "13:00", "18:00"),
                   block(south, 7, "10:00", "16:00", [("14:00", "14:30"), ("12:00", "12:30")])],
        "overrides": [{"date": "2031-12-25", "intervals": []},
                      {"date": "2031-12-24", "location_id": north, "intervals": [
                          {"start": "13:00", "end": "15:00"}, {"start": "09:00", "end": "12:00"}]}],
    }

    response = put_schedule(client, owner, staff["id"], schedule)

    assert response.status_code == 200, response.body
    expected = {
        "weekly": [block(north, 1, "09:00", "12:00", [("10:30", "10:45")]), block(south, 1, "13:00", "18:00"),
                   block(south, 7, "10:00", "16:00", [("12:00", "12:30"), ("14:00", "14:30")])],
        "overrides": [{"date": "2031-12-24", "location_id": north, "intervals": [
            {"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "15:00"}]},
                      {"date": "2031-12-25", "location_id": None, "intervals": []}],
    }
    assert body(response) == expected
    assert body(get_schedule(client, owner, staff["id"])) == expected
    assert hours(owner.business_id, staff["id"]) == [
        (north, 1, "09:00", "12:00", [{"start": "10:30", "end": "10:45"}]),
        (south, 1, "13:00", "18:00", []),
        (south, 7, "10:00", "16:00", [{"start": "12:00", "end": "12:30"}, {"start": "14:00", "end": "14:30"}])]
    assert overrides(owner.business_id, staff["id"]) == [
        ("2031-12-24", north, [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "15:00"}]),
        ("2031-12-25", None, [])]


def test_a_second_put_replaces_the_weekly_hours_and_upcoming_overrides(client, setup):
    owner, north, south, staff = setup
    put_schedule(client, owner, staff["id"], schedule_body(north, overrides_=[
        {"date": "2031-01-02", "intervals": []}, {"date": "2031-01-03", "intervals": []}]))

    response = put_schedule(client, owner, staff["id"], {
        "weekly": [block(south, 5, "08:00", "12:00")], "overrides": [{"date": "2031-01-03", "intervals": []}]})

    assert response.status_code == 200
    assert hours(owner.business_id, staff["id"]) == [(south, 5, "08:00", "12:00", [])]
    assert overrides(owner.business_id, staff["id"]) == [("2031-01-03", None, [])]


def test_past_overrides_are_history_a_put_keeps_them(client, setup):
    owner, north, _, staff = setup
    rows(owner.business_id, "INSERT INTO staff_overrides (business_id, staff_id, on_date, location_id, intervals) "
                            "VALUES (CAST(:bid AS uuid), CAST(:sid AS uuid), '2020-02-03', CAST(:loc AS uuid), "
                            "'[{\"start\": \"09:00\", \"end\": \"10:00\"}]') RETURNING on_date",
         bid=owner.business_id, sid=staff["id"], loc=north)

    response = put_schedule(client, owner, staff["id"], schedule_body(north))

    assert response.status_code == 200
    assert body(response)["overrides"] == []
    assert overrides(owner.business_id, staff["id"]) == [("2020-02-03", north, [{"start": "09:00", "end": "10:00"}])]
    shown = body(get_schedule(client, owner, staff["id"], "?from=2020-01-01"))["overrides"]
    assert shown == [{"date": "2020-02-03", "location_id": north, "intervals": [{"start": "09:00", "end": "10:00"}]}]


def test_from_chooses_the_first_override_shown(client, setup):
    owner, north, _, staff = setup
    put_schedule(client, owner, staff["id"], schedule_body(north, overrides_=[
        {"date": "2031-03-01", "intervals": []}, {"date": "2031-03-02", "intervals": []}]))

    later = body(get_schedule(client, owner, staff["id"], "?from=2031-03-02"))

    assert [o["date"] for o in later["overrides"]] == ["2031-03-02"]
    assert len(later["weekly"]) == 2
    assert set(invalid_fields(get_schedule(client, owner, staff["id"], "?from=2031-02-30"))) == {"from"}


def test_blocks_may_touch_and_repeat_on_other_days(client, setup):
    owner, north, south, staff = setup
    schedule = {"weekly": [block(north, 3, "08:00", "12:00"), block(south, 3, "12:00", "16:00"),
                           block(north, 4, "08:00", "12:00"), block(north, 3, "16:00", "23:59",
                                                                    [("16:00", "17:00"), ("17:00", "18:00")])],
                "overrides": []}

    assert put_schedule(client, owner, staff["id"], schedule).status_code == 200

    assert len(hours(owner.business_id, staff["id"])) == 4


def test_an_empty_schedule_clears_everything_upcoming(client, setup):
    owner, north, _, staff = setup
    put_schedule(client, owner, staff["id"], schedule_body(north, overrides_=[{"date": "2031-01-02", "intervals": []}]))

    assert put_schedule(client, owner, staff["id"], {"weekly": [], "overrides": []}).status_code == 200

    assert hours(owner.business_id, staff["id"]) == [] and overrides(owner.business_id, staff["id"]) == []


# Each bad schedule is tried over a saved one: the answer names the field and the saved one stays as it was.
BAD = [
    ("blocks overlapping on one weekday, even at another location",
     lambda n, s: {"weekly": [block(n, 1, "09:00", "13:00"), block(s, 1, "12:00", "15:00")], "overrides": []},
     {"weekly.1": "overlaps weekly.0 on the same weekday"}),
    ("a block inside another",
     lambda n, s: {"weekly": [block(n, 2, "09:00", "17:00"), block(n, 2, "10:00", "11:00")], "overrides": []},
     {"weekly.1": "overlaps weekly.0 on the same weekday"}),
    ("a break outside its block",
     lambda n, s: {"weekly": [block(n, 1, "09:00", "17:00", [("08:30", "09:30")])], "overrides": []},
     {"weekly.0.breaks.0": "must lie inside its working block (09:00-17:00)"}),
    ("a break running past the end of its block",
     lambda n, s: {"weekly": [block(n, 1, "09:00", "17:00", [("12:00", "13:00"), ("16:30", "17:30")])],
                   "overrides": []},
     {"weekly.0.breaks.1": "must lie inside its working block (09:00-17:00)"}),
    ("breaks overlapping each other",
     lambda n, s: {"weekly": [block(n, 1, "09:00", "17:00"), block(n, 2, "09:00", "17:00",
                                                                  [("12:00", "13:00"), ("12:30", "13:30")])],
                   "overrides": []},
     {"weekly.1.breaks.1": "overlaps weekly.1.breaks.0"}),
    ("a break ending before it starts",
     lambda n, s: {"weekly": [block(n, 1, "09:00", "17:00", [("13:00", "12:00")])], "overrides": []},
     {"weekly.0.breaks.0.end": "must be after start"}),
    ("a block ending when it starts",
     lambda n, s: {"weekly": [block(n, 1, "09:00", "17:00"), block(n, 1, "18:00", "18:00")], "overrides": []},
     {"weekly.1.end": "must be after start (a shift past midnight is not supported)"}),
    ("a shift past midnight",
     lambda n, s: {"weekly": [block(n, 5, "22:00", "02:00")], "overrides": []},
     {"weekly.0.end": "must be after start (a shift past midnight is not supported)"}),
    ("a location the staff member does not work at",
     lambda n, s: {"weekly": [block(n, 1, "09:00", "12:00"), block(UNKNOWN_ID, 1, "13:00", "17:00")], "overrides": []},
     {"weekly.1.location_id": "not one of this staff member's locations"}),
    ("an override with intervals but no location",
     lambda n, s: {"weekly": [], "overrides": [{"date": "2031-05-01", "intervals": [
         {"start": "09:00", "end": "10:00"}]}]},
     {"overrides.0.location_id": "required when the day has intervals"}),
    ("an override at a location the staff member does not work at",
     lambda n, s: {"weekly": [], "overrides": [{"date": "2031-05-01", "location_id": UNKNOWN_ID,
                                                "intervals": []}]},
     {"overrides.0.location_id": "not one of this staff member's locations"}),
    ("two overrides for one date",
     lambda n, s: {"weekly": [], "overrides": [{"date": "2031-05-01", "intervals": []},
                                               {"date": "2031-05-02", "intervals": []},
                                               {"date": "2031-05-01", "location_id": n, "intervals": []}]},
     {"overrides.2.date": "same date as overrides.0"}),
    ("an override in the past",
     lambda n, s: {"weekly": [], "overrides": [{"date": "2020-05-01", "intervals": []}]},
     {"overrides.0.date": "is in the past (past overrides are history)"}),
    ("override intervals overlapping",
     lambda n, s: {"weekly": [], "overrides": [{"date": "2031-05-01", "location_id": n, "intervals": [
         {"start": "09:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}]}]},
     {"overrides.0.intervals.1": "overlaps overrides.0.intervals.0"}),
    ("an override interval ending before it starts",
     lambda n, s: {"weekly": [], "overrides": [{"date": "2031-05-01", "location_id": n, "intervals": [
         {"start": "12:00", "end": "09:00"}]}]},
     {"overrides.0.intervals.0.end": "must be after start"}),
]


@pytest.mark.parametrize(("case", "make", "fields"), BAD, ids=[case for case, _, _ in BAD])
def test_a_bad_schedule_is_refused_and_nothing_is_stored(client, setup, case, make, fields):
    owner, north, south, staff = setup
    assert put_schedule(client, owner, staff["id"], schedule_body(north, overrides_=[
        {"date": "2031-05-01", "intervals": []}])).status_code == 200
    before = staff_tables(owner.business_id)

    response = put_schedule(client, owner, staff["id"], make(north, south))

    assert invalid_fields(response) == fields
    assert staff_tables(owner.business_id) == before


def test_every_problem_is_named_at_once(client, setup):
    owner, north, _, staff = setup

    response = put_schedule(client, owner, staff["id"], {
        "weekly": [block(north, 1, "10:00", "09:00"), block(north, 2, "09:00", "12:00", [("07:00", "08:00")])],
        "overrides": [{"date": "2031-05-01", "intervals": [{"start": "09:00", "end": "10:00"}]}]})

    assert set(invalid_fields(response)) == {"weekly.0.end", "weekly.1.breaks.0", "overrides.0.location_id"}
    assert hours(owner.business_id, staff["id"]) == []


@pytest.mark.parametrize(("schedule", "field"), [
    ({"weekly": [{"weekday": 1, "start": "09:00", "end": "10:00"}], "overrides": []}, "weekly.0.location_id"),
    ({"weekly": [{"location_id": "x", "weekday": 1, "start": "09:00", "end": "10:00"}], "overrides": []},
     "weekly.0.location_id"),
    ({"weekly": [{"location_id": "LOC", "weekday": 8, "start": "09:00", "end": "10:00"}], "overrides": []},
     "weekly.0.weekday"),
    ({"weekly": [{"location_id": "LOC", "weekday": 0, "start": "09:00", "end": "10:00"}], "overrides": []},
     "weekly.0.weekday"),
    ({"weekly": [{"location_id": "LOC", "weekday": 1, "start": "9:00", "end": "10:00"}], "overrides": []},
     "weekly.0.start"),
    ({"weekly": [{"location_id": "LOC", "weekday": 1, "start": "09:00", "end": "24:00"}], "overrides": []},
     "weekly.0.end"),
    ({"weekly": [{"location_id": "LOC", "weekday": 1, "start": "09:00", "end": "10:60"}], "overrides": []},
     "weekly.0.end"),
    ({"weekly": [{"location_id": "LOC", "weekday": 1, "start": "09:00", "end": "17:00",
                  "breaks": [{"start": "12:00"}]}], "overrides": []}, "weekly.0.breaks.0.end"),
    ({"weekly": [], "overrides": [{"date": "2031-02-30", "intervals": []}]}, "overrides.0.date"),
    ({"weekly": [], "overrides": [{"date": "2031-05-01"}]}, "overrides.0.intervals"),
    ({"weekly": [], "overrides": [{"date": "2031-05-01", "intervals": [], "closed": True}]}, "overrides.0.closed"),
    ({"weekly": []}, "overrides"),
    ({"overrides": []}, "weekly"),
])
def test_a_malformed_schedule_names_the_field(client, setup, schedule, field):
    owner, north, _, staff = setup
    payload = {k: [{**item, **({"location_id": north} if item.get("location_id") == "LOC" else {})}
                   for item in v] for k, v in schedule.items()}

    assert set(invalid_fields(put_schedule(client, owner, staff["id"], payload))) == {field}
    assert hours(owner.business_id, staff["id"]) == [] and overrides(owner.business_id, staff["id"]) == []


def test_an_unknown_staff_member_has_no_schedule(client, setup):
    owner, north, _, _ = setup

    error_of(get_schedule(client, owner, UNKNOWN_ID), 404, "not_found")
    error_of(put_schedule(client, owner, UNKNOWN_ID, schedule_body(north)),
             404, "not_found")
