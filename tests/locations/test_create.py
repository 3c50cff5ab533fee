"""POST /locations: name, address, phone, time zone (the business's by default), opening hours."""
from __future__ import annotations

import pytest

from tests.api import add_member, body, call, new_business, signup
from tests.locations.helpers import LUNCH_BREAK, create_location, error_of, invalid_fields, location_rows


def test_an_admin_creates_a_location_with_every_field(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")

    response = call(client, "POST", "/locations", {
        "name": "Canal Side", "address": "4 Wharf Road, London N1", "phone": "+44 20 7946 0018",
        "time_zone": "Europe/Dublin", "opening_hours": LUNCH_BREAK}, session=admin)

    assert response.status_code == 201, response.body
    location = body(response)
    assert location["name"] == "Canal Side"
    assert (location["address"], location["phone"], location["time_zone"]) == (
        "4 Wharf Road, London N1", "+44 20 7946 0018", "Europe/Dublin")
    assert location["opening_hours"] == LUNCH_BREAK
    assert location["archived"] is False and location["archived_at"] is None
    assert location["version"] == 1 and location["created_at"] and location["updated_at"]
    [row] = location_rows(owner.business_id)
    assert str(row["id"]) == location["id"]
    assert (row["name"], row["address"], row["phone"], row["time_zone"]) == (
        "Canal Side", "4 Wharf Road, London N1", "+44 20 7946 0018", "Europe/Dublin")
    assert row["opening_hours"] == LUNCH_BREAK and row["archived_at"] is None


def test_a_location_takes_the_business_time_zone_when_none_is_given(client):
    owner = signup(client, time_zone="America/Chicago", currency="USD")

    location = create_location(client, owner, name="Loop Studio")

    assert location["time_zone"] == "America/Chicago"
    assert location["address"] is None and location["phone"] is None and location["opening_hours"] is None
    assert location_rows(owner.business_id)[0]["time_zone"] == "America/Chicago"


def test_opening_hours_are_stored_in_weekday_and_time_order(client):
    owner = new_business(client)
    shuffled = [LUNCH_BREAK[2], LUNCH_BREAK[1], LUNCH_BREAK[0]]

    location = create_location(client, owner, opening_hours=shuffled)

    assert location["opening_hours"] == LUNCH_BREAK
    assert location_rows(owner.business_id)[0]["opening_hours"] == LUNCH_BREAK


def test_null_opening_hours_mean_no_limit_and_an_empty_list_is_never_open(client):
    owner = new_business(client)

    unlimited = create_location(client, owner, name="Always", opening_hours=None)
    closed = create_location(client, owner, name="Never", opening_hours=[])

    assert unlimited["opening_hours"] is None and closed["opening_hours"] == []
    stored = {r["name"]: r["opening_hours"] for r in location_rows(owner.business_id)}
    assert stored == {"Always": None, "Never": []}


def test_openings_may_touch_and_span_the_whole_day(client):
    owner = new_business(client)
    hours = [{"weekday": 7, "opens": "00:00", "closes": "12:00"}, {"weekday": 7, "opens": "12:00", "closes": "23:59"}]

    assert create_location(client, owner, opening_hours=hours)["opening_hours"] == hours


@pytest.mark.parametrize(("fields", "field"), [
    ({"name": ""}, "name"),
    ({"name": "n" * 121}, "name"),
    ({"name": "Two\nLines"}, "name"),
    ({"name": None}, "name"),
    ({"address": "a" * 301}, "address"),
    ({"phone": "call me"}, "phone"),
    ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
    ({"opening_hours": "9 to 5"}, "opening_hours"),
    ({"opening_hours": [{"weekday": 0, "opens": "09:00", "closes": "17:00"}]}, "opening_hours.0.weekday"),
    ({"opening_hours": [{"weekday": 8, "opens": "09:00", "closes": "17:00"}]}, "opening_hours.0.weekday"),
    ({"opening_hours": [{"weekday": 1, "opens": "9:00", "closes": "17:00"}]}, "opening_hours.0.opens"),
    ({"opening_hours": [{"weekday": 1, "opens": "09:00", "closes": "24:00"}]}, "opening_hours.0.closes"),
    ({"opening_hours": [{"weekday": 1, "opens": "09:00", "closes": "17:60"}]}, "opening_hours.0.closes"),
    ({"opening_hours": [{"weekday": 1, "opens": "09:00"}]}, "opening_hours.0.closes"),
    ({"opening_hours": [{"weekday": 1, "opens": "09:00", "closes": "17:00", "note": "x"}]}, "opening_hours.0.note"),
    ({"floor": 2}, "floor"),
])
def test_an_invalid_field_is_named_and_nothing_is_stored(client, fields, field):
    owner = new_business(client)

    response = call(client, "POST", "/locations", {"name": "Not Stored", **fields}, session=owner)

    assert set(invalid_fields(response)) == {field}
    assert location_rows(owner.business_id) == []


def test_a_name_is_required(client):
    owner = new_business(client)

    response = call(client, "POST", "/locations", {"address": "Somewhere"}, session=owner)

    assert invalid_fields(response) == {"name": "required"}
    assert location_rows(owner.business_id) == []


def test_an_opening_that_closes_before_it_opens_is_named_by_its_place(client):
    owner = new_business(client)
    hours = [*LUNCH_BREAK, {"weekday": 3, "opens": "17:00", "closes": "09:00"},
             {"weekday": 4, "opens": "10:00", "closes": "10:00"}]

    response = call(client, "POST", "/locations", {"name": "Backwards", "opening_hours": hours}, session=owner)

    assert invalid_fields(response) == {"opening_hours.3.closes": "must be after opens",
                                        "opening_hours.4.closes": "must be after opens"}
    assert location_rows(owner.business_id) == []


@pytest.mark.parametrize(("hours", "field"), [
    ([{"weekday": 2, "opens": "09:00", "closes": "13:00"}, {"weekday": 2, "opens": "12:00", "closes": "18:00"}],
     "opening_hours.1.opens"),
    # listed out of order: the later opening is the one named
    ([{"weekday": 2, "opens": "12:00", "closes": "18:00"}, {"weekday": 2, "opens": "09:00", "closes": "13:00"}],
     "opening_hours.0.opens"),
    # a long opening holds two short ones: the second overlaps it too, not only the first
    ([{"weekday": 5, "opens": "08:00", "closes": "20:00"}, {"weekday": 5, "opens": "09:00", "closes": "10:00"},
      {"weekday": 5, "opens": "12:00", "closes": "13:00"}], "opening_hours.1.opens"),
    ([{"weekday": 5, "opens": "09:00", "closes": "17:00"}, {"weekday": 5, "opens": "09:00", "closes": "17:00"}],
     "opening_hours.1.opens"),
])
def test_overlapping_openings_on_one_weekday_are_refused(client, hours, field):
    owner = new_business(client)

    response = call(client, "POST", "/locations", {"name": "Overlap", "opening_hours": hours}, session=owner)

    fields = invalid_fields(response)
    assert field in fields and fields[field].startswith("overlaps opening_hours.")
    assert location_rows(owner.business_id) == []


def test_the_same_hours_on_different_weekdays_do_not_overlap(client):
    owner = new_business(client)
    week = [{"weekday": d, "opens": "09:00", "closes": "17:00"} for d in range(1, 8)]

    assert create_location(client, owner, opening_hours=week)["opening_hours"] == week


def test_staff_cannot_create_a_location(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")

    response = call(client, "POST", "/locations", {"name": "Sneaky"}, session=staff)

    error_of(response, 403, "forbidden")
    assert location_rows(owner.business_id) == []


def test_creating_a_location_needs_a_token(client):
    assert call(client, "POST", "/locations", {"name": "Anonymous"}).status_code == 401
