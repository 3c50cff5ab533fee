"""Syncs of one connection may overlap (a push, the schedule, sync now) and a disconnect may land while
one lists: a listing writes its busy times only if the connection is still as that sync read it, so an
older listing never undoes a newer one and a sync never leaves rows behind a disconnect. And a plan
without calendar sync (a trial lapsed, a downgrade) stops the calls to Google."""
from __future__ import annotations

from uuid import UUID

from chalicelib.calendar import busy_sync
from tests.api import call
from tests.billing.plan_helpers import set_plan
from tests.calendar.busy_helpers import at, busy_ids, timed
from tests.calendar.helpers import connect_staff, connection
from tests.checks import error_of


def test_a_sync_that_ends_after_a_disconnect_writes_nothing(client, google_twin, monkeypatch):
    email = "leaving-mid-sync@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    google_twin.add_event(email, timed(at(2, 10)))
    apply = busy_sync._apply

    def disconnected_meanwhile(*args, **kwargs):
        assert call(client, "DELETE", "/calendar/google", session=got["member"]).status_code == 204
        return apply(*args, **kwargs)

    monkeypatch.setattr(busy_sync, "_apply", disconnected_meanwhile)
    result = busy_sync.sync(UUID(got["business_id"]), UUID(got["connection_id"]))

    assert (result.changed, result.removed) == (0, 0)
    assert busy_ids(got) == set() and connection(got["business_id"], got["staff_id"]) is None


def test_a_listing_older_than_one_already_written_writes_nothing(client, google_twin, monkeypatch):
    email = "overlap@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    early = google_twin.add_event(email, timed(at(2, 10)))
    apply = busy_sync._apply
    overtaken = []

    def overtaken_meanwhile(*args, **kwargs):
        if not overtaken:  # while this (full) listing was on its way, a later sync wrote a newer one
            overtaken.append(google_twin.add_event(email, timed(at(3, 10))))
            monkeypatch.setattr(busy_sync, "_apply", apply)
            busy_sync.sync(UUID(got["business_id"]), UUID(got["connection_id"]))
        return apply(*args, **kwargs)

    monkeypatch.setattr(busy_sync, "_apply", overtaken_meanwhile)
    result = busy_sync.sync(UUID(got["business_id"]), UUID(got["connection_id"]), full=True)

    assert (result.changed, result.removed) == (0, 0)
    assert busy_ids(got) == {early["id"], overtaken[0]["id"]}  # the newer listing's rows stand


def test_without_calendar_sync_in_the_plan_nothing_calls_google(client, google_twin):
    email = "downgraded@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    set_plan(got["business_id"], "basic")
    google_twin.add_event(email, timed(at(2, 10)))
    calls = len(google_twin.calls)

    answer = call(client, "POST", "/calendar/google/sync", {}, session=got["member"])
    status = call(client, "GET", "/calendar/status", session=got["member"])

    error_of(answer, 403, "plan_required")
    assert status.status_code == 200  # reading the state is not a call to Google
    assert len(google_twin.calls) == calls and busy_ids(got) == set()
