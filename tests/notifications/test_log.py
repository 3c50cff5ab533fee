"""GET /notifications/log: what was sent to whom, newest first, one business's only."""
from __future__ import annotations

from tests.api import body, call, new_business
from tests.appointments.helpers import booked, calendar
from tests.checks import invalid_fields, rows


def test_the_log_lists_the_businesses_deliveries_newest_first_in_pages(client):
    cal = calendar(client)
    first = booked(client, cal, cal.at(3, 10))
    second = booked(client, cal, cal.at(3, 12))

    page = body(call(client, "GET", "/notifications/log?limit=1", session=cal.owner))
    rest = body(call(client, "GET", f"/notifications/log?limit=1&cursor={page['next_cursor']}", session=cal.owner))

    assert [i["appointment_id"] for i in page["items"]] == [second["id"]]
    assert [i["appointment_id"] for i in rest["items"]] == [first["id"]]
    item = page["items"][0]
    assert (item["message"], item["channel"], item["status"], item["attempts"]) == (
        "booking_confirmed", "email", "sent", 1)
    assert item["recipient"].endswith("@example.com") and item["customer_id"] == cal.customer_id
    filtered = body(call(client, "GET", f"/notifications/log?appointment_id={first['id']}", session=cal.owner))
    assert [i["appointment_id"] for i in filtered["items"]] == [first["id"]]


def test_another_business_sees_none_of_it(client):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))
    other = new_business(client)

    answer = call(client, "GET", f"/notifications/log?appointment_id={appointment['id']}", session=other)

    assert answer.status_code == 200
    assert body(answer) == {"items": [], "next_cursor": None}
    own = body(call(client, "GET", "/notifications/log", session=other))["items"]
    assert all(i["appointment_id"] is None for i in own)  # only its own (none about appointments)


def test_bad_filters_name_their_field(client):
    cal = calendar(client)

    assert "limit" in invalid_fields(call(client, "GET", "/notifications/log?limit=0", session=cal.owner))
    assert "appointment_id" in invalid_fields(call(client, "GET", "/notifications/log?appointment_id=x",
                                                   session=cal.owner))
    assert "cursor" in invalid_fields(call(client, "GET", "/notifications/log?cursor=forged", session=cal.owner))
    assert call(client, "GET", "/notifications/log").status_code == 401


def test_an_erased_customer_leaves_what_was_sent_but_not_where(client):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))

    answer = call(client, "DELETE", f"/customers/{cal.customer_id}", session=cal.owner)

    assert answer.status_code in (200, 204), answer.body
    (item,) = body(call(client, "GET", f"/notifications/log?appointment_id={appointment['id']}",
                        session=cal.owner))["items"]
    assert (item["message"], item["status"], item["recipient"]) == ("booking_confirmed", "sent", None)
    stored = rows(cal.business_id, "SELECT recipient FROM notification_deliveries "
                  "WHERE customer_id = CAST(:id AS uuid)", id=cal.customer_id)
    assert all("@" not in r["recipient"] for r in stored)
