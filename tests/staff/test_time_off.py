"""GET/POST /staff/{staff_id}/time-off and DELETE /staff/{staff_id}/time-off/{time_off_id}.

All-day time off is stored from local midnight to local midnight in the staff member's zone (else the
business's, Europe/London for businesses the tests sign up), so its instants follow DST changes."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.api import body, call, new_business
from tests.checks import error_of, invalid_fields
from tests.staff.helpers import UNKNOWN_ID, add_time_off, new_staff, staff_tables, time_off_rows

UTC = timezone.utc


def listed(client, session, staff_id, query=""):
    response = call(client, "GET", f"/staff/{staff_id}/time-off{query}", session=session)
    assert response.status_code == 200, response.body
    return body(response)


def test_all_day_time_off_across_the_spring_dst_change_covers_both_local_days(client):
    owner = new_business(client)  # Europe/London: clocks go forward at 01:00 on Sunday 2027-03-28
    staff = new_staff(client, owner)

    response = add_time_off(client, owner, staff["id"], start_date="2027-03-27", end_date="2027-03-28",
                            kind="holiday", note="Long weekend")

    assert response.status_code == 201, response.body
    entry = body(response)
    assert {k: v for k, v in entry.items() if k not in ("id", "created_at")} == {
        "staff_id": staff["id"], "all_day": True, "starts_at": "2027-03-27T00:00:00+00:00",
        "ends_at": "2027-03-29T00:00:00+01:00", "start_date": "2027-03-27", "end_date": "2027-03-28",
        "kind": "holiday", "note": "Long weekend"}
    (row,) = time_off_rows(owner.business_id, staff["id"])
    assert row["starts_at"] == datetime(2027, 3, 27, 0, 0, tzinfo=UTC)
    assert row["ends_at"] == datetime(2027, 3, 28, 23, 0, tzinfo=UTC)  # a 47-hour weekend
    assert (row["all_day"], row["kind"], row["note"], str(row["id"])) == (True, "holiday", "Long weekend", entry["id"])


def test_all_day_time_off_across_the_autumn_dst_change_in_the_staff_members_own_zone(client):
    owner = new_business(client)
    staff = new_staff(client, owner, time_zone="America/New_York")  # clocks go back on 2027-11-07

    entry = body(add_time_off(client, owner, staff["id"], start_date="2027-11-07", end_date="2027-11-07"))

    (row,) = time_off_rows(owner.business_id, staff["id"])
    assert row["starts_at"] == datetime(2027, 11, 7, 4, 0, tzinfo=UTC)
    assert row["ends_at"] == datetime(2027, 11, 8, 5, 0, tzinfo=UTC)  # a 25-hour day
    assert (entry["starts_at"], entry["ends_at"]) == ("2027-11-07T00:00:00-04:00", "2027-11-08T00:00:00-05:00")
    assert (entry["start_date"], entry["end_date"]) == ("2027-11-07", "2027-11-07")


def test_partial_time_off_keeps_its_instants(client):
    owner = new_business(client)
    staff = new_staff(client, owner)

    response = add_time_off(client, owner, staff["id"], all_day=False, start_date=None, end_date=None,
                            starts_at="2031-06-02T14:00:00+02:00", ends_at="2031-06-02T16:30:00+02:00",
                            kind="training")

    assert response.status_code == 201, response.body
    entry = body(response)
    # Shown in the staff member's zone (here the business's, London, on summer time).
    assert (entry["starts_at"], entry["ends_at"]) == ("2031-06-02T13:00:00+01:00", "2031-06-02T15:30:00+01:00")
    assert (entry["all_day"], entry["start_date"], entry["end_date"], entry["kind"], entry["note"]) == (
        False, None, None, "training", None)
    (row,) = time_off_rows(owner.business_id, staff["id"])
    assert (row["starts_at"], row["ends_at"], row["all_day"]) == (
        datetime(2031, 6, 2, 12, 0, tzinfo=UTC), datetime(2031, 6, 2, 14, 30, tzinfo=UTC), False)


def test_the_kind_defaults_to_other(client):
    owner = new_business(client)
    staff = new_staff(client, owner)

    entry = body(call(client, "POST", f"/staff/{staff['id']}/time-off",
                      {"all_day": True, "start_date": "2031-01-01", "end_date": "2031-01-01"}, session=owner))

    assert entry["kind"] == "other"


def test_a_full_year_is_the_longest_time_off(client):
    owner = new_business(client)
    staff = new_staff(client, owner)

    assert add_time_off(client, owner, staff["id"], start_date="2032-01-01", end_date="2032-12-31").status_code == 201
    assert add_time_off(client, owner, staff["id"], all_day=False, start_date=None, end_date=None,
                        starts_at="2033-01-01T00:00:00Z", ends_at="2034-01-02T00:00:00Z").status_code == 201


def test_the_list_shows_what_has_not_ended_yet_earliest_first(client):
    owner = new_business(client)
    staff = new_staff(client, owner)
    now = datetime.now(UTC)
    made = []
    for starts, ends in ((now + timedelta(days=30), now + timedelta(days=31)),
                         (now - timedelta(days=10), now - timedelta(days=9)),  # over
                         (now - timedelta(hours=1), now + timedelta(hours=1))):  # under way
        response = add_time_off(client, owner, staff["id"], all_day=False, start_date=None, end_date=None,
                                starts_at=starts.isoformat(), ends_at=ends.isoformat())
        made.append(body(response))
    later = body(add_time_off(client, owner, staff["id"], start_date="2040-01-01", end_date="2040-01-02"))

    answer = listed(client, owner, staff["id"])

    assert answer == {"items": [made[2], made[0], later], "next_cursor": None}


def test_from_and_to_pick_the_local_days_overlapping(client):
    owner = new_business(client)
    staff = new_staff(client, owner)
    march = body(add_time_off(client, owner, staff["id"], start_date="2031-03-10", end_date="2031-03-12"))
    april = body(add_time_off(client, owner, staff["id"], start_date="2031-04-01", end_date="2031-04-01"))
    evening = body(add_time_off(client, owner, staff["id"], all_day=False, start_date=None, end_date=None,
                                starts_at="2031-04-01T23:30:00+01:00", ends_at="2031-04-02T00:30:00+01:00"))

    assert [e["id"] for e in listed(client, owner, staff["id"], "?from=2031-03-12&to=2031-03-31")["items"]] == [
        march["id"]]
    assert [e["id"] for e in listed(client, owner, staff["id"], "?from=2031-03-13&to=2031-03-31")["items"]] == []
    assert [e["id"] for e in listed(client, owner, staff["id"], "?from=2031-04-02")["items"]] == [evening["id"]]
    assert [e["id"] for e in listed(client, owner, staff["id"], "?to=2031-04-01")["items"]] == [
        march["id"], april["id"], evening["id"]]
    assert [e["id"] for e in listed(client, owner, staff["id"], "?from=2020-01-01&to=2031-03-09")["items"]] == []


def test_the_list_pages(client):
    owner = new_business(client)
    staff = new_staff(client, owner)
    made = [body(add_time_off(client, owner, staff["id"], start_date=f"2031-0{m}-01", end_date=f"2031-0{m}-02"))["id"]
            for m in range(1, 6)]

    first = listed(client, owner, staff["id"], "?limit=3")
    second = listed(client, owner, staff["id"], f"?limit=3&cursor={first['next_cursor']}")

    assert [e["id"] for e in first["items"] + second["items"]] == made
    assert second["next_cursor"] is None


@pytest.mark.parametrize(("query", "field"), [("?from=2031-04-31", "from"), ("?to=tomorrow", "to"),
                                              ("?from=2031-04-02&to=2031-04-01", "to"), ("?limit=500", "limit"),
                                              ("?since=2031-01-01", "since")])
def test_bad_list_parameters_are_named(client, query, field):
    owner = new_business(client)
    staff = new_staff(client, owner)

    assert set(invalid_fields(call(client, "GET", f"/staff/{staff['id']}/time-off{query}", session=owner))) == {field}


BAD = [
    ({"start_date": "2031-05-02", "end_date": "2031-05-01"}, {"end_date": "must be on or after start_date"}),
    ({"start_date": "2031-01-01", "end_date": "2032-01-02"}, {"end_date": "time off spans at most 366 days"}),
    ({"end_date": None}, {"end_date": "required when all_day is true"}),
    ({"start_date": None, "starts_at": "2031-05-01T09:00:00Z"},
     {"start_date": "required when all_day is true", "starts_at": "only for all_day false"}),
    ({"all_day": False, "start_date": None, "end_date": None, "starts_at": "2031-05-01T10:00:00+00:00",
      "ends_at": "2031-05-01T09:59:00+00:00"}, {"ends_at": "must be after starts_at"}),
    ({"all_day": False, "start_date": None, "end_date": None, "starts_at": "2031-05-01T10:00:00+01:00",
      "ends_at": "2031-05-01T09:00:00+00:00"}, {"ends_at": "must be after starts_at"}),
    ({"all_day": False, "start_date": None, "end_date": None, "starts_at": "2031-01-01T00:00:00Z",
      "ends_at": "2032-01-02T00:00:01Z"}, {"ends_at": "time off spans at most 366 days"}),
    ({"all_day": False, "start_date": None, "end_date": None, "starts_at": "2031-05-01T10:00:00Z"},
     {"ends_at": "required when all_day is false"}),
    ({"all_day": False}, {"starts_at": "required when all_day is false", "ends_at": "required when all_day is false",
                          "start_date": "only for all_day true", "end_date": "only for all_day true"}),
]


@pytest.mark.parametrize(("changes", "fields"), BAD)
def test_a_bad_range_is_refused_and_nothing_is_stored(client, changes, fields):
    owner = new_business(client)
    staff = new_staff(client, owner)

    assert invalid_fields(add_time_off(client, owner, staff["id"], **changes)) == fields

    assert time_off_rows(owner.business_id, staff["id"]) == []


@pytest.mark.parametrize(("changes", "field"), [
    ({"all_day": None}, "all_day"),
    ({"start_date": "2031-02-29"}, "start_date"),
    ({"kind": "vacation"}, "kind"),
    ({"note": "n" * 501}, "note"),
    ({"all_day": False, "start_date": None, "end_date": None, "starts_at": "2031-05-01T09:00:00",
      "ends_at": "2031-05-01T10:00:00Z"}, "starts_at"),
    ({"reason": "flu"}, "reason"),
])
def test_a_malformed_entry_names_the_field(client, changes, field):
    owner = new_business(client)
    staff = new_staff(client, owner)

    assert set(invalid_fields(add_time_off(client, owner, staff["id"], **changes))) == {field}
    assert time_off_rows(owner.business_id, staff["id"]) == []


def test_removing_time_off_deletes_only_that_entry(client):
    owner = new_business(client)
    staff = new_staff(client, owner)
    gone = body(add_time_off(client, owner, staff["id"], start_date="2031-01-01", end_date="2031-01-01"))
    kept = body(add_time_off(client, owner, staff["id"], start_date="2031-02-01", end_date="2031-02-01"))

    response = call(client, "DELETE", f"/staff/{staff['id']}/time-off/{gone['id']}", session=owner)

    assert response.status_code == 204 and not response.body
    assert [str(r["id"]) for r in time_off_rows(owner.business_id, staff["id"])] == [kept["id"]]
    error_of(call(client, "DELETE", f"/staff/{staff['id']}/time-off/{gone['id']}", session=owner), 404, "not_found")


def test_time_off_is_reached_only_through_its_own_staff_member(client):
    owner = new_business(client)
    first, second = new_staff(client, owner), new_staff(client, owner)
    entry = body(add_time_off(client, owner, first["id"]))
    before = staff_tables(owner.business_id)

    error_of(call(client, "DELETE", f"/staff/{second['id']}/time-off/{entry['id']}", session=owner), 404, "not_found")
    error_of(call(client, "DELETE", f"/staff/{first['id']}/time-off/{UNKNOWN_ID}", session=owner), 404, "not_found")
    error_of(call(client, "DELETE", f"/staff/{first['id']}/time-off/nope", session=owner), 404, "not_found")

    assert staff_tables(owner.business_id) == before
    assert listed(client, owner, second["id"])["items"] == []


def test_an_unknown_staff_member_has_no_time_off(client):
    owner = new_business(client)

    error_of(call(client, "GET", f"/staff/{UNKNOWN_ID}/time-off", session=owner), 404, "not_found")
    error_of(add_time_off(client, owner, UNKNOWN_ID), 404, "not_found")

    assert staff_tables(owner.business_id)["time_off"] == []
