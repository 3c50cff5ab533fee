"""Members' bookings and the plan: every booking counts once in the business's usage of its monthly
period (made in the booking's own insert), past the allowance a plan without overage refuses with
403 ``plan_limit`` (a series skips those occurrences), a plan with overage goes on; a business whose
account is suspended or expired takes no new bookings (403 ``bookings_closed``) but still moves,
cancels, completes and reads the ones it has."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.api import body, call
from tests.appointments.helpers import appointment_rows, book, booked, calendar, started
from tests.billing.plan_helpers import override, set_plan
from tests.billing.usage_helpers import counters, set_status, set_used, usage_route, used
from tests.booking.helpers import queued
from tests.checks import error_of, rows


def _series(client, cal, start, count):
    payload = {"service_id": cal.service_id, "customer_id": cal.customer_id, "start_at": start.isoformat(),
               "staff_id": cal.staff_ids[0], "count": count, "every_weeks": 1}
    return call(client, "POST", "/appointments/recurring", payload, session=cal.owner)


def test_each_booking_counts_once_and_a_cancelled_one_stays_counted(client):
    cal = calendar(client)
    first = booked(client, cal, cal.at(3, 10))
    booked(client, cal, cal.at(3, 12))
    assert call(client, "POST", f"/appointments/{first['id']}/cancel", {}, session=cal.owner).status_code == 200

    booked(client, cal, cal.at(3, 10))  # the cancelled one's time, free again: a third booking
    error_of(book(client, cal, cal.at(3, 12)), 409, "slot_taken")  # made nothing: not counted

    assert used(cal.business_id, "bookings") == 3
    assert usage_route(client, cal.owner)["bookings"] == 3
    assert len(counters(cal.business_id, "bookings")) == 1


def test_a_basic_business_is_refused_past_its_monthly_allowance_and_nothing_is_stored(client):
    cal = calendar(client)
    set_plan(cal.business_id, "basic")
    set_used(cal.business_id, "bookings", 299)

    booked(client, cal, cal.at(3, 10))
    before = appointment_rows(cal.business_id)
    refused = book(client, cal, cal.at(3, 12))

    error = error_of(refused, 403, "plan_limit")
    assert error["details"] == {"limit": "bookings_per_month", "current": 300, "allowed": 300, "plan": "basic",
                                "upgrade_to": "pro"}
    assert appointment_rows(cal.business_id) == before
    assert used(cal.business_id, "bookings") == 300
    assert rows(cal.business_id, "SELECT count(*) AS n FROM outbox WHERE topic = 'appointment.created'") == [{"n": 1}]


def test_a_trial_is_refused_past_its_allowance_too(client):
    cal = calendar(client)
    set_used(cal.business_id, "bookings", 2000)

    error = error_of(book(client, cal, cal.at(3, 10)), 403, "plan_limit")

    assert error["details"] == {"limit": "bookings_per_month", "current": 2000, "allowed": 2000, "plan": "trial",
                                "upgrade_to": "pro"}
    assert appointment_rows(cal.business_id) == []


def test_a_pro_business_goes_on_past_its_allowance_as_overage(client):
    cal = calendar(client)
    set_plan(cal.business_id, "pro")
    set_used(cal.business_id, "bookings", 2000)

    booked(client, cal, cal.at(3, 10))
    booked(client, cal, cal.at(3, 12))

    assert used(cal.business_id, "bookings") == 2002


def test_an_enterprise_business_has_no_allowance_and_is_still_counted(client):
    cal = calendar(client)
    set_plan(cal.business_id, "enterprise")
    set_used(cal.business_id, "bookings", 1_000_000)

    booked(client, cal, cal.at(3, 10))

    assert used(cal.business_id, "bookings") == 1_000_001


def test_an_override_moves_the_allowance_and_then_names_no_plan_to_upgrade_to(client):
    cal = calendar(client)
    set_plan(cal.business_id, "pro")
    override(cal.business_id, "bookings_per_month", 1)

    booked(client, cal, cal.at(3, 10))
    booked(client, cal, cal.at(3, 12))  # Pro bills past the allowance, wherever it is set

    set_plan(cal.business_id, "basic")
    error = error_of(book(client, cal, cal.at(3, 14)), 403, "plan_limit")
    assert error["details"] == {"limit": "bookings_per_month", "current": 2, "allowed": 1, "plan": "basic",
                                "upgrade_to": None}
    override(cal.business_id, "bookings_per_month", None)  # no limit
    booked(client, cal, cal.at(3, 14))
    assert used(cal.business_id, "bookings") == 3


def test_an_override_that_ended_no_longer_counts(client):
    cal = calendar(client)
    set_plan(cal.business_id, "basic")
    override(cal.business_id, "bookings_per_month", 0, ends_at=datetime.now(timezone.utc) - timedelta(minutes=1))

    booked(client, cal, cal.at(3, 10))

    assert used(cal.business_id, "bookings") == 1


def test_a_new_period_starts_a_new_count(client):
    cal = calendar(client)
    set_plan(cal.business_id, "basic")
    # The usage anchor 40 days ago: the period now began a month after it; the one before is full.
    rows(cal.business_id, "UPDATE subscriptions SET usage_anchor = now() - interval '40 days' "
         "WHERE business_id = CAST(:bid AS uuid) RETURNING business_id", bid=cal.business_id)
    rows(cal.business_id, "INSERT INTO usage_counters (business_id, meter, period_start, used) "
         "SELECT business_id, 'bookings', usage_anchor, 300 FROM subscriptions "
         "WHERE business_id = CAST(:bid AS uuid) RETURNING used", bid=cal.business_id)

    booked(client, cal, cal.at(3, 10))

    anchor = rows(cal.business_id, "SELECT usage_anchor FROM subscriptions WHERE business_id = CAST(:bid AS uuid)",
                  bid=cal.business_id)[0]["usage_anchor"]
    found = [(r["period_start"], r["used"]) for r in counters(cal.business_id, "bookings")]
    assert len(found) == 2 and found[0] == (anchor, 300)
    assert found[1][1] == 1 and found[1][0] > anchor + timedelta(days=27)
    assert usage_route(client, cal.owner)["bookings"] == 1


def test_a_series_past_the_allowance_books_what_fits_and_skips_the_rest_with_plan_limit(client):
    cal = calendar(client)
    set_plan(cal.business_id, "basic")
    set_used(cal.business_id, "bookings", 298)

    answer = _series(client, cal, cal.at(7, 10), 4)

    assert answer.status_code == 201, answer.body
    result = body(answer)
    assert [datetime.fromisoformat(a["start_at"]) for a in result["booked"]] == [cal.at(7, 10), cal.at(14, 10)]
    assert [(datetime.fromisoformat(s["start_at"]), s["reason"]) for s in result["skipped"]] == [
        (cal.at(21, 10), "plan_limit"), (cal.at(28, 10), "plan_limit")]
    assert len(appointment_rows(cal.business_id)) == 2
    assert used(cal.business_id, "bookings") == 300


def test_each_occurrence_of_a_series_counts(client):
    cal = calendar(client)

    answer = _series(client, cal, cal.at(7, 10), 5)

    assert answer.status_code == 201, answer.body
    assert used(cal.business_id, "bookings") == 5


@pytest.mark.parametrize("status", ["suspended", "expired"])
def test_a_business_not_active_takes_no_new_bookings_from_its_members(client, status):
    cal = calendar(client)
    set_status(cal.business_id, status)

    refused = book(client, cal, cal.at(3, 10))
    off_hours = book(client, cal, cal.at(3, 20))  # not bookable anyway: the account is what is said
    series = _series(client, cal, cal.at(7, 10), 3)

    for answer in (refused, off_hours, series):
        error = error_of(answer, 403, "bookings_closed")
        assert error["details"] == {"status": status}
    assert appointment_rows(cal.business_id) == []
    assert rows(cal.business_id, "SELECT count(*) AS n FROM appointment_series") == [{"n": 0}]
    assert used(cal.business_id, "bookings") == 0


def test_a_suspended_business_still_moves_cancels_completes_and_reads_what_it_has(client):
    cal = calendar(client)
    moving = booked(client, cal, cal.at(3, 10))
    cancelling = booked(client, cal, cal.at(3, 12))
    done = booked(client, cal, cal.at(3, 14))
    started(cal, done["id"])
    set_status(cal.business_id, "suspended")

    moved = call(client, "POST", f"/appointments/{moving['id']}/reschedule",
                 {"start_at": cal.at(4, 10).isoformat()}, session=cal.owner)
    cancelled = call(client, "POST", f"/appointments/{cancelling['id']}/cancel", {}, session=cal.owner)
    completed = call(client, "POST", f"/appointments/{done['id']}/complete", {}, session=cal.owner)
    read = call(client, "GET", f"/appointments/{moving['id']}", session=cal.owner)

    assert [a.status_code for a in (moved, cancelled, completed, read)] == [200, 200, 200, 200]
    assert datetime.fromisoformat(body(moved)["start_at"]) == cal.at(4, 10)
    assert used(cal.business_id, "bookings") == 3  # a move is not a new booking


def test_a_business_active_again_books_again(client):
    cal = calendar(client)
    set_status(cal.business_id, "suspended")
    error_of(book(client, cal, cal.at(3, 10)), 403, "bookings_closed")

    set_status(cal.business_id, "active")

    booked(client, cal, cal.at(3, 10))


def test_the_limit_costs_a_booking_no_statement_and_a_refusal_one(client, sql_statements):
    cal = calendar(client)
    set_plan(cal.business_id, "basic")
    set_used(cal.business_id, "bookings", 299)

    def first_lines(request) -> list[str]:
        before = len(sql_statements)
        with queued():  # as in AWS: committed events go to the queue, no worker runs in the request
            request()
        return [s.strip().splitlines()[0] for s in sql_statements[before:]]

    made = first_lines(lambda: booked(client, cal, cal.at(3, 10)))
    refused = first_lines(lambda: error_of(book(client, cal, cal.at(3, 12)), 403, "plan_limit"))

    assert len(made) <= 6, made  # the members' booking budget (tests/booking/test_round_trips.py)
    assert [line for line in refused if line not in made] == [
        "-- why _INSERT made no booking: the business's bookings counted this period (against its allowance),",
        "ROLLBACK"]
