"""GET /public/{slug} and GET /public/{slug}/availability: what a customer without an account sees
of a business (only what can be booked online, by staff who can be booked) and its slots."""
from __future__ import annotations

import uuid
from datetime import timedelta


from tests.api import body, call
from tests.appointments.helpers import add_service, add_staff, calendar
from tests.booking.helpers import add_location, clock, grid, public_slots, slots, slug_of, starts, write
from tests.checks import error_of, invalid_fields

DAY = 3


def test_the_page_shows_the_business_its_bookable_services_staff_locations_and_policy(client):
    cal = calendar(client, staff=2)
    kept, hidden = cal.staff_ids
    add_service(cal.business_id, [kept], name="Not Online", bookable_online=False)
    add_service(cal.business_id, [kept], name="Inactive")
    add_service(cal.business_id, [kept], name="Archived")
    write(cal, "UPDATE services SET active = false WHERE name = 'Inactive'")
    write(cal, "UPDATE services SET archived_at = now() WHERE name = 'Archived'")
    colour = add_service(cal.business_id, [kept], name="Colour", duration=90)
    write(cal, "UPDATE staff SET bookable = false WHERE id = CAST(:sid AS uuid)", sid=hidden)
    gone = add_staff(cal.business_id, cal.location_id, "Left Us")
    write(cal, "UPDATE staff SET active = false WHERE id = CAST(:sid AS uuid)", sid=gone)
    closed = add_location(cal, "Closed Branch", "Europe/London")
    write(cal, "UPDATE locations SET archived_at = now() WHERE id = CAST(:lid AS uuid)", lid=closed)
    slug = slug_of(client, cal)

    response = call(client, "GET", f"/public/{slug}")

    assert response.status_code == 200, response.body
    page = body(response)
    assert set(page) == {"business", "services", "staff", "locations"}
    assert {k: page["business"][k] for k in ("id", "slug", "time_zone", "currency")} == {
        "id": cal.business_id, "slug": slug, "time_zone": "Europe/London", "currency": "GBP"}
    assert page["business"]["booking_policy"] == {"slot_interval_min": 15, "min_notice_min": 0, "max_advance_days": 365,
                                                  "cancel_cutoff_min": 60, "reschedule_cutoff_min": 60,
                                                  "auto_confirm": True}
    assert [(s["id"], s["name"]) for s in page["services"]] == [(colour, "Colour"), (cal.service_id, "Cut")]
    cut = page["services"][1]
    assert (cut["duration_min"], cut["price"], cut["capacity"]) == (60, {"amount": 4500, "currency": "GBP"}, 1)
    assert not {"buffer_before_min", "buffer_after_min", "active", "bookable_online", "version"} & set(cut)
    assert [(s["id"], s["location_ids"]) for s in page["staff"]] == [(kept, [cal.location_id])]
    assert [loc["id"] for loc in page["locations"]] == [cal.location_id]


def test_staff_who_cannot_be_booked_appear_nowhere_on_the_page(client):
    cal = calendar(client, staff=3)
    kept, hidden, gone = cal.staff_ids
    write(cal, "UPDATE staff SET bookable = false WHERE id = CAST(:sid AS uuid)", sid=hidden)
    write(cal, "UPDATE staff SET active = false WHERE id = CAST(:sid AS uuid)", sid=gone)

    response = call(client, "GET", f"/public/{slug_of(client, cal)}")

    assert response.status_code == 200
    page = body(response)
    assert [s["id"] for s in page["staff"]] == [kept]
    assert [p["staff_id"] for p in page["services"][0]["staff"]] == [kept]
    assert hidden not in response.body.decode() and gone not in response.body.decode()


def test_an_unknown_slug_is_not_found(client):
    slug = f"nobody-{uuid.uuid4().hex[:8]}"
    service_id = str(uuid.uuid4())

    for response in (call(client, "GET", f"/public/{slug}"),
                     call(client, "GET", f"/public/{slug}/availability?service_id={service_id}&from=2027-02-01"
                                         "&to=2027-02-01"),
                     call(client, "POST", f"/public/{slug}/bookings", {
                         "service_id": service_id, "start_at": "2027-02-01T10:00:00+00:00",
                         "customer": {"name": "Pat", "email": "pat@example.com"}, "consent": {"terms": True}})):
        error_of(response, 404, "not_found")


def test_public_slots_are_the_staff_sides_for_bookable_staff_only(client):
    cal = calendar(client, staff=2)
    kept, hidden = cal.staff_ids
    write(cal, "UPDATE staff SET bookable = false WHERE id = CAST(:sid AS uuid)", sid=hidden)
    slug, day = slug_of(client, cal), cal.at(DAY, 0).date()

    response = public_slots(client, slug, cal, day)

    assert clock(response) == grid("09:00", "16:00")
    assert {s["staff_id"] for s in body(response)["slots"]} == {kept}
    assert body(response)["slots"] == body(slots(client, cal, day, staff_id=kept))["slots"]
    assert starts(public_slots(client, slug, cal, day, staff_id=hidden)) == []
    # The staff side still offers the hidden person (a front desk may book them).
    assert starts(slots(client, cal, day, staff_id=hidden))


def test_public_slots_take_tz_and_validate_like_the_staff_side(client):
    cal = calendar(client)
    slug, day = slug_of(client, cal), cal.at(DAY, 0).date()

    in_paris = public_slots(client, slug, cal, day, tz="Europe/Paris")

    assert body(in_paris)["tz"] == "Europe/Paris"
    assert starts(in_paris) == starts(slots(client, cal, day, tz="Europe/Paris"))
    assert "to" in invalid_fields(public_slots(client, slug, cal, day, day - timedelta(days=1)))
    assert "tz" in invalid_fields(public_slots(client, slug, cal, day, tz="Nowhere/Special"))


def test_a_service_not_bookable_online_has_no_public_slots(client):
    cal = calendar(client, bookable_online=False)
    slug, day = slug_of(client, cal), cal.at(DAY, 0).date()

    response = public_slots(client, slug, cal, day)

    assert invalid_fields(response) == {"service_id": "unknown service"}
    assert clock(slots(client, cal, day)) == grid("09:00", "16:00")


def test_an_inactive_service_has_no_public_slots(client):
    cal = calendar(client)
    write(cal, "UPDATE services SET active = false")
    slug, day = slug_of(client, cal), cal.at(DAY, 0).date()

    response = public_slots(client, slug, cal, day)

    assert starts(response) == []


def test_another_businesss_service_is_unknown_on_this_page(client):
    cal, other = calendar(client), calendar(client)
    day = cal.at(DAY, 0).date()

    response = public_slots(client, slug_of(client, other), cal, day)

    assert invalid_fields(response) == {"service_id": "unknown service"}
    assert cal.service_id not in str(body(response)["error"]["message"])


def test_the_public_pick_rotates_between_bookable_staff_from_day_to_day(client):
    cal = calendar(client, staff=3)
    ordered = sorted(cal.staff_ids)  # the engine ranks performers by id
    write(cal, "UPDATE staff SET bookable = false WHERE id = CAST(:sid AS uuid)", sid=ordered[1])
    first = cal.at(DAY, 0).date()

    response = public_slots(client, slug_of(client, cal), cal, first, first + timedelta(days=3))

    assert {s["staff_id"] for s in body(response)["slots"]} == {ordered[0], ordered[2]}
