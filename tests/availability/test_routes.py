"""GET /availability, GET /availability/next and POST /availability/check as routes: the answer's
shape, the ``tz`` parameter, query and body validation, unknown and foreign ids, authentication,
and the clock changes of Europe/London (2027-03-28 springs forward, 2027-10-31 falls back).
The rules themselves are in test_service_rules.py."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.api import add_member, body, call, new_business
from tests.appointments.helpers import booked, calendar
from tests.booking.helpers import check, clock, grid, next_slot, patch_policy, slots, starts, write
from tests.checks import invalid_fields

DAY = 3
UTC = timezone.utc


def instants(response) -> list[datetime]:
    return [datetime.fromisoformat(start).astimezone(UTC) for start in starts(response)]


def test_the_answer_repeats_the_question_and_writes_times_with_offsets(client):
    cal = calendar(client)
    day = cal.at(DAY, 0).date()

    answer = body(slots(client, cal, day))

    assert {k: v for k, v in answer.items() if k != "slots"} == {
        "service_id": cal.service_id, "staff_id": None, "location_id": None, "tz": "Europe/London",
        "from": day.isoformat(), "to": day.isoformat()}
    first = answer["slots"][0]
    assert first == {"start_at": cal.at(DAY, 9).isoformat(), "end_at": cal.at(DAY, 10).isoformat(),
                     "staff_id": cal.staff_ids[0], "location_id": cal.location_id, "seats_left": 1}
    assert all(datetime.fromisoformat(s["start_at"]).utcoffset() is not None for s in answer["slots"])


def test_a_range_of_days_lists_every_day_in_order(client):
    cal = calendar(client)
    first, last = cal.at(DAY, 0).date(), cal.at(DAY + 2, 0).date()

    found = instants(slots(client, cal, first, last))

    assert len(found) == 3 * len(grid("09:00", "16:00"))
    assert found == sorted(found)
    assert {moment.astimezone(cal.zone).date() for moment in found} == {first + timedelta(days=k) for k in range(3)}


def test_tz_changes_only_the_offsets_of_the_answer(client):
    cal = calendar(client)
    day = cal.at(DAY, 0).date()
    paris = ZoneInfo("Europe/Paris")

    in_london, in_paris = slots(client, cal, day), slots(client, cal, day, tz="Europe/Paris")

    assert body(in_paris)["tz"] == "Europe/Paris"
    assert instants(in_paris) == instants(in_london)
    assert starts(in_paris) == [moment.astimezone(paris).isoformat() for moment in instants(in_london)]
    first = body(next_slot(client, cal, tz="Europe/Paris"))
    start = datetime.fromisoformat(first["slot"]["start_at"])
    assert first["tz"] == "Europe/Paris" and first["slot"]["start_at"] == start.astimezone(paris).isoformat()


def test_from_and_to_are_dates_in_tz(client):
    """A date in a zone far from London is another span of instants: the slots in it, exactly."""
    cal = calendar(client)
    day = cal.at(DAY, 0).date()
    far = ZoneInfo("Pacific/Kiritimati")  # UTC+14
    around = instants(slots(client, cal, day - timedelta(days=1), day + timedelta(days=1)))
    since, until = datetime.combine(day, time(), far), datetime.combine(day + timedelta(days=1), time(), far)

    found = instants(slots(client, cal, day, tz="Pacific/Kiritimati"))

    assert found == [moment for moment in around if since <= moment < until]


def test_to_before_from_or_a_range_over_62_days_is_refused(client):
    cal = calendar(client)
    day = cal.at(DAY, 0).date()

    assert "to" in invalid_fields(slots(client, cal, day, day - timedelta(days=1)))
    assert "to" in invalid_fields(slots(client, cal, day, day + timedelta(days=63)))
    assert slots(client, cal, day, day + timedelta(days=61)).status_code == 200


@pytest.mark.parametrize(("query", "field"), [
    ({"from": None}, "from"),
    ({"to": None}, "to"),
    ({"service_id": None}, "service_id"),
    ({"from": "2027-02-30"}, "from"),
    ({"service_id": "not-a-uuid"}, "service_id"),
    ({"staff_id": "42"}, "staff_id"),
    ({"tz": "Mars/Olympus_Mons"}, "tz"),
])
def test_a_bad_query_names_its_field(client, query, field):
    owner = new_business(client)
    params = {"service_id": str(uuid.uuid4()), "from": "2027-02-01", "to": "2027-02-01", **query}
    path = "/availability?" + "&".join(f"{k}={v}" for k, v in params.items() if v is not None)

    assert field in invalid_fields(call(client, "GET", path, session=owner))


def test_check_names_who_and_where_a_bookable_time_goes_to(client):
    cal = calendar(client)
    start = cal.at(DAY, 10)

    assert check(client, cal, start) == {
        "bookable": True, "reason": None, "message": None, "staff_id": cal.staff_ids[0],
        "location_id": cal.location_id, "start_at": start.astimezone(UTC).isoformat(),
        "end_at": (start + timedelta(hours=1)).astimezone(UTC).isoformat()}
    booked(client, cal, start)
    verdict = check(client, cal, start)
    assert verdict["bookable"] is False and verdict["reason"] == "taken" and verdict["message"]
    assert (verdict["staff_id"], verdict["location_id"]) == (None, None)


def test_a_bad_check_body_names_its_field_and_stores_nothing(client):
    cal = calendar(client)
    good = {"service_id": cal.service_id, "start_at": cal.at(DAY, 10).isoformat()}

    for payload, field in (({**good, "start_at": "2027-02-01T10:00:00"}, "start_at"),
                           ({**good, "start_at": "tomorrow"}, "start_at"),
                           ({"start_at": good["start_at"]}, "service_id"),
                           ({**good, "seats": 2}, "seats")):
        response = call(client, "POST", "/availability/check", payload, session=cal.owner)
        assert field in invalid_fields(response), payload


def test_an_unknown_service_is_a_422_naming_service_id(client):
    cal = calendar(client)
    made_up = str(uuid.uuid4())
    day = cal.at(DAY, 0).date()

    assert invalid_fields(call(client, "GET", f"/availability?service_id={made_up}&from={day}&to={day}",
                               session=cal.owner)) == {"service_id": "unknown service"}
    response = call(client, "POST", "/availability/check",
                    {"service_id": made_up, "start_at": cal.at(DAY, 10).isoformat()}, session=cal.owner)
    assert invalid_fields(response) == {"service_id": "unknown service"}


def test_another_business_sees_nothing_of_this_businesss_service(client):
    cal = calendar(client)
    stranger = new_business(client)
    day = cal.at(DAY, 0).date()
    made_up = str(uuid.uuid4())

    def answers(service_id: str) -> list[tuple[int, object]]:
        found = [call(client, "GET", f"/availability?service_id={service_id}&from={day}&to={day}", session=stranger),
                 call(client, "GET", f"/availability/next?service_id={service_id}", session=stranger),
                 call(client, "POST", "/availability/check",
                      {"service_id": service_id, "start_at": cal.at(DAY, 10).isoformat()}, session=stranger)]
        return [(r.status_code, body(r)) for r in found]

    foreign, unknown = answers(cal.service_id), answers(made_up)

    # Exactly what a made-up id gets (only the id itself differs, where it is repeated): never a slot.
    assert [status for status, _ in foreign] == [status for status, _ in unknown] == [422, 422, 422]
    assert [str(a).replace(cal.service_id, made_up) for _, a in foreign] == [str(a) for _, a in unknown]
    assert all(a["error"]["details"]["fields"] == {"service_id": "unknown service"} for _, a in foreign)
    assert starts(slots(client, cal, day))  # the owner still sees them


def test_another_businesss_staff_member_has_no_slots_here(client):
    cal, other = calendar(client), calendar(client)
    day = cal.at(DAY, 0).date()

    assert starts(slots(client, cal, day, staff_id=other.staff_ids[0])) == []
    assert check(client, cal, cal.at(DAY, 10), staff_id=other.staff_ids[0])["reason"] == "staff_unavailable"


def test_the_slot_routes_need_a_token(client):
    day = date(2027, 2, 1)
    for response in (call(client, "GET", f"/availability?service_id={uuid.uuid4()}&from={day}&to={day}"),
                     call(client, "GET", f"/availability/next?service_id={uuid.uuid4()}"),
                     call(client, "POST", "/availability/check",
                          {"service_id": str(uuid.uuid4()), "start_at": "2027-02-01T10:00:00+00:00"})):
        assert response.status_code == 401, response.body


def test_a_staff_member_reads_the_slots(client, mail):
    cal = calendar(client)
    member = add_member(client, cal.owner, mail, "staff")

    assert clock(slots(client, cal, cal.at(DAY, 0).date(), session=member)) == grid("09:00", "16:00")


# --- the clock changes -------------------------------------------------------------------------

def next_clock_change(month: int) -> date:
    """The next last Sunday of March (3) or October (10) at least a week ahead: Europe/London's clocks
    change at 01:00 UTC that night (2027-03-28 and 2027-10-31 when these tests were written)."""
    soon = date.today() + timedelta(days=7)
    for year in (soon.year, soon.year + 1):
        last_day = date(year, month + 1, 1) - timedelta(days=1)
        sunday = last_day - timedelta(days=last_day.isoweekday() % 7)
        if sunday >= soon:
            return sunday
    raise AssertionError("unreachable")


def night_shift_on_sundays(client):
    """Staff working 00:00-04:00 on Sundays (the clocks change on a Sunday), bookable two years ahead."""
    cal = calendar(client)
    patch_policy(client, cal, max_advance_days=730)
    write(cal, "UPDATE staff_hours SET starts = '00:00', ends = '04:00' WHERE weekday = 7")
    return cal


def test_the_spring_clock_change_offers_no_time_the_clocks_skip(client):
    cal = night_shift_on_sundays(client)
    day = next_clock_change(3)

    response = slots(client, cal, day)

    # 00:00 GMT to 04:00 BST is three hours: 60-minute slots start until 03:00 BST.
    assert starts(response) == [f"{day}T00:{m:02d}:00+00:00" for m in (0, 15, 30, 45)] + \
        [f"{day}T02:{m:02d}:00+01:00" for m in (0, 15, 30, 45)] + [f"{day}T03:00:00+01:00"]
    assert not [wall for wall in clock(response) if wall.startswith("01:")]
    assert check(client, cal, datetime.combine(day, time(2), cal.zone))["bookable"] is True


def test_the_autumn_clock_change_offers_the_repeated_hour_twice_each_instant_once(client):
    cal = night_shift_on_sundays(client)
    day = next_clock_change(10)

    response = slots(client, cal, day)

    # 00:00 BST to 04:00 GMT is five hours: 60-minute slots start until 03:00 GMT.
    repeated = [f"{day}T01:{m:02d}:00" for m in (0, 15, 30, 45)]
    assert starts(response) == [f"{day}T00:{m:02d}:00+01:00" for m in (0, 15, 30, 45)] + \
        [f"{wall}+01:00" for wall in repeated] + [f"{wall}+00:00" for wall in repeated] + \
        [f"{day}T02:{m:02d}:00+00:00" for m in (0, 15, 30, 45)] + [f"{day}T03:00:00+00:00"]
    found = instants(response)
    assert len(set(found)) == len(found) == 17
    assert all(b - a == timedelta(minutes=15) for a, b in zip(found, found[1:]))
    summer, winter = (datetime.fromisoformat(f"{day}T01:30:00{offset}") for offset in ("+01:00", "+00:00"))
    for start in (summer, winter):
        assert check(client, cal, start)["bookable"] is True
    # An hour apart, so both can be booked, one after the other.
    assert booked(client, cal, summer)["end_at"] == booked(client, cal, winter)["start_at"]
    assert [check(client, cal, start)["reason"] for start in (summer, winter)] == ["taken", "taken"]
