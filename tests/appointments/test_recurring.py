"""Recurring series: the same local time every N weeks, booking what fits and reporting what did
not; one occurrence or the rest of the series can be cancelled."""
from __future__ import annotations

from datetime import datetime, timedelta

from tests.api import body, call
from tests.appointments.helpers import appointment_rows, booked, calendar
from tests.checks import invalid_fields, rows


def _series(client, cal, start, **extra):
    payload = {"service_id": cal.service_id, "customer_id": cal.customer_id, "start_at": start.isoformat(),
               "staff_id": cal.staff_ids[0], **extra}
    return call(client, "POST", "/appointments/recurring", payload, session=cal.owner)


def test_a_series_books_what_fits_and_reports_what_did_not(client):
    cal = calendar(client)
    booked(client, cal, cal.at(7 + 14, 10))  # the third occurrence's time is taken

    answer = _series(client, cal, cal.at(7, 10), count=4, every_weeks=1)

    assert answer.status_code == 201, answer.body
    result = body(answer)
    assert [datetime.fromisoformat(a["start_at"]) for a in result["booked"]] == \
        [cal.at(7, 10), cal.at(14, 10), cal.at(28, 10)]
    assert {a["series_id"] for a in result["booked"]} == {result["series_id"]}
    [skipped] = result["skipped"]
    assert datetime.fromisoformat(skipped["start_at"]) == cal.at(21, 10) and skipped["reason"] == "taken"
    assert len(appointment_rows(cal.business_id)) == 4


def test_every_two_weeks_keeps_the_local_time(client):
    cal = calendar(client)

    result = body(_series(client, cal, cal.at(7, 9), count=3, every_weeks=2))

    starts = [datetime.fromisoformat(a["start_at"]).astimezone(cal.zone) for a in result["booked"]]
    assert [s.hour for s in starts] == [9, 9, 9]
    assert [(b - a).days for a, b in zip(starts, starts[1:])] in ([14, 14], [13, 14], [14, 13])
    assert starts[-1].date() == (cal.at(7, 9) + timedelta(weeks=4)).date()


def test_cancelling_the_rest_of_a_series_leaves_the_earlier_ones(client):
    cal = calendar(client)
    result = body(_series(client, cal, cal.at(7, 10), count=4))
    second = result["booked"][1]["id"]

    answer = call(client, "POST", f"/appointments/{second}/cancel", {"scope": "following", "reason": "Moving away"},
                  session=cal.owner)

    assert answer.status_code == 200, answer.body
    assert len(body(answer)["cancelled"]) == 3
    statuses = [r["status"] for r in appointment_rows(cal.business_id)]
    assert statuses == ["confirmed", "cancelled", "cancelled", "cancelled"]


def test_cancelling_one_occurrence_leaves_the_others(client):
    cal = calendar(client)
    result = body(_series(client, cal, cal.at(7, 10), count=3))

    call(client, "POST", f"/appointments/{result['booked'][1]['id']}/cancel", {}, session=cal.owner)

    assert [r["status"] for r in appointment_rows(cal.business_id)] == ["confirmed", "cancelled", "confirmed"]


def test_a_series_is_limited_to_52_and_checks_its_input(client):
    cal = calendar(client)

    for extra, field in (({"count": 53}, "count"), ({"count": 1}, "count"), ({"count": 3, "every_weeks": 0},
                                                                               "every_weeks"), ({}, "count")):
        assert field in invalid_fields(_series(client, cal, cal.at(7, 10), **extra))
    assert appointment_rows(cal.business_id) == []
    assert rows(cal.business_id, "SELECT * FROM appointment_series") == []
