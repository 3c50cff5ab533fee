"""GET /appointments: a time range in local dates, filters, stable keyset pages."""
from __future__ import annotations

import pytest

from tests.api import body, call
from tests.appointments.helpers import add_customer, booked, calendar
from tests.checks import invalid_fields


@pytest.fixture(scope="module")
def week(client):
    """Ten appointments over two days (module-wide: the tests only read)."""
    cal = calendar(client, staff=2)
    other = add_customer(cal.business_id, "Otto Other")
    made = [booked(client, cal, cal.at(7, hour), staff_id=cal.staff_ids[hour % 2]) for hour in range(9, 14)]
    made += [booked(client, cal, cal.at(8, hour), customer_id=other) for hour in range(9, 14)]
    call(client, "POST", f"/appointments/{made[0]['id']}/cancel", {}, session=cal.owner)
    return cal, made, other


def _list(client, cal, query: str):
    return call(client, "GET", f"/appointments?{query}", session=cal.owner)


def test_a_range_lists_in_start_order_across_pages(client, week):
    cal, made, _ = week
    days = f"from={cal.at(7, 0).date()}&to={cal.at(8, 0).date()}"

    seen, cursor = [], None
    while True:
        answer = body(_list(client, cal, f"{days}&limit=3" + (f"&cursor={cursor}" if cursor else "")))
        seen += answer["items"]
        cursor = answer["next_cursor"]
        if cursor is None:
            break

    assert [a["id"] for a in seen] == [a["id"] for a in made]


def test_filters_narrow_the_list(client, week):
    cal, made, other = week
    days = f"from={cal.at(7, 0).date()}&to={cal.at(8, 0).date()}"

    first_day = body(_list(client, cal, f"from={cal.at(7, 0).date()}&to={cal.at(7, 0).date()}"))["items"]
    by_staff = body(_list(client, cal, f"{days}&staff_id={cal.staff_ids[1]}"))["items"]
    by_customer = body(_list(client, cal, f"{days}&customer_id={other}"))["items"]
    cancelled = body(_list(client, cal, f"{days}&status=cancelled"))["items"]
    active = body(_list(client, cal, f"{days}&status=pending,confirmed"))["items"]

    assert len(first_day) == 5
    assert by_staff and {a["staff_id"] for a in by_staff} == {cal.staff_ids[1]}
    assert [a["id"] for a in by_customer] == [a["id"] for a in made[5:]]
    assert [a["id"] for a in cancelled] == [made[0]["id"]]
    assert len(active) == 9


@pytest.mark.parametrize(("query", "field"), [
    ("from=2027-01-02&to=2027-01-01", "to"),
    ("from=2027-01-01", "to"),
    ("from=yesterday&to=2027-01-01", "from"),
    ("from=2027-01-01&to=2027-01-02&status=gone", "status"),
    ("from=2027-01-01&to=2027-01-02&limit=500", "limit"),
    ("from=2027-01-01&to=2027-01-02&tz=Mars/Olympus", "tz"),
    ("from=2027-01-01&to=2027-01-02&cursor=forged", "cursor"),
])
def test_bad_queries_are_422_with_the_field(client, week, query, field):
    cal, _, _ = week

    assert field in invalid_fields(_list(client, cal, query))


def test_each_appointment_names_its_customer(client, week):
    cal, made, other = week
    days = f"from={cal.at(8, 0).date()}&to={cal.at(8, 0).date()}"

    items = body(_list(client, cal, days))["items"]
    one = body(call(client, "GET", f"/appointments/{made[5]['id']}", session=cal.owner))

    assert {a["customer"]["name"] for a in items} == {"Otto Other"}
    assert one["customer"] == {"id": other, "name": "Otto Other", "email": items[0]["customer"]["email"], "phone": None}
