"""The 15-minute schedule (app.py's ``calendar_sync``): every connection synced even when no push came,
a connection without a push channel given one, channels near their end renewed; Google's quota answer
backs a connection off and the next runs leave it alone (no storm of calls); one connection's
trouble never stops the others; a run stops taking connections when its time is up.

The schedule works on every tenant's connections, and connections left by earlier tests belong to
twins long gone (their grants look revoked): each test first runs the schedule once so that only its
own connections are still due, holds the database's Google connections to itself meanwhile, and
asserts on its own connections (the counts of a run may include others')."""
from __future__ import annotations

import pytest

from chalicelib.calendar import jobs
from chalicelib.system import local_schedules
from tests.api import add_member
from tests.appointments.helpers import calendar
from tests.calendar.busy_helpers import at, busy_ids, timed
from tests.calendar.helpers import connect_staff, connection
from tests.checks import rows

# Renewal and the schedule work on every tenant's connections: these tests have them to themselves.
pytestmark = pytest.mark.whole_google


def only_mine_due() -> None:
    """Run the schedule once: every connection of an earlier test is found lost (or backs off) and is no
    longer due."""
    jobs.every_15_minutes()


def test_the_schedule_syncs_a_calendar_no_push_told_us_about(client, google_twin):
    email = "scheduled@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    only_mine_due()
    event = google_twin.add_event(email, timed(at(2, 10)))  # no push is delivered in tests

    counts = jobs.every_15_minutes()

    assert busy_ids(got) == {event["id"]}
    assert counts["synced"] >= 1 and (counts["errors"], counts["left"]) == (0, 0)


def test_the_schedule_runs_as_app_py_invokes_it(client, google_twin):
    email = "invoked@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    event = google_twin.add_event(email, timed(at(3, 10)))

    client.lambda_.invoke("calendar_sync", local_schedules.scheduled_event())

    assert busy_ids(got) == {event["id"]}


def test_a_quota_answer_backs_off_and_later_runs_leave_the_connection_alone(client, google_twin):
    """One attempt (its list retried a bounded number of times: test_busy_sync counts the calls), then
    nothing until the backoff ends: each attempt would count one more failure."""
    got = connect_staff(client, google_twin, email="quota-job@gmail.test")
    only_mine_due()
    google_twin.fail_next(50, 429)  # Google keeps refusing
    synced_before = connection(got["business_id"], got["staff_id"])["last_sync_at"]

    first = jobs.every_15_minutes()
    jobs.every_15_minutes()
    jobs.every_15_minutes()

    assert first["failed"] >= 1
    stored = connection(got["business_id"], got["staff_id"])
    assert stored["failures"] == 1 and stored["backoff_until"] is not None
    assert stored["last_sync_at"] == synced_before and "quota" in stored["last_error"]


def test_one_connections_trouble_does_not_stop_the_others(client, google_twin, mail):
    cal = calendar(client, staff=2)
    lost = connect_staff(client, google_twin, business=cal, email="lost-job@gmail.test")
    fine = connect_staff(client, google_twin, business=cal, email="fine-job@gmail.test",
                         member=add_member(client, cal.owner, mail))
    only_mine_due()
    google_twin.revoke_grant("lost-job@gmail.test")
    event = google_twin.add_event("fine-job@gmail.test", timed(at(2, 10)))

    counts = jobs.every_15_minutes()

    assert counts["synced"] >= 1 and counts["failed"] >= 1
    assert busy_ids(fine) == {event["id"]}
    assert connection(lost["business_id"], lost["staff_id"])["state"] == "reconnect_needed"


def test_a_connection_without_a_push_channel_gets_one(client, google_twin):
    got = connect_staff(client, google_twin, email="unwatched@gmail.test")
    only_mine_due()
    rows(got["business_id"], "DELETE FROM calendar_push_channels RETURNING id")

    counts = jobs.every_15_minutes()

    assert counts["channels_opened"] >= 1
    (row,) = rows(got["business_id"], "SELECT id FROM calendar_push_channels")
    assert str(row["id"]) in google_twin.channels


def test_channels_near_their_end_are_renewed_by_the_schedule(client, google_twin):
    got = connect_staff(client, google_twin, email="renew-job@gmail.test")
    rows(got["business_id"], "UPDATE calendar_push_channels SET expires_at = now() + interval '2 hours' RETURNING id")

    counts = jobs.every_15_minutes()

    assert counts["channels_renewed"] >= 1
    assert len(rows(got["business_id"], "SELECT id FROM calendar_push_channels")) == 2


def test_a_run_out_of_time_leaves_the_rest_for_the_next(client, google_twin):
    got = connect_staff(client, google_twin, email="late@gmail.test")
    only_mine_due()
    event = google_twin.add_event("late@gmail.test", timed(at(2, 10)))

    counts = jobs.every_15_minutes(budget_s=0)

    assert counts["synced"] == 0 and counts["left"] >= 1
    assert busy_ids(got) == set()
    jobs.every_15_minutes()
    assert busy_ids(got) == {event["id"]}
