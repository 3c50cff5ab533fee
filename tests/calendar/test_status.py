"""The connection states: owners and admins see every active staff member's, the staff role only their
own; each with its last sync, last error, busy blocks and edits put back. "Sync now" syncs inline, at
most every 30 s per connection, and refuses what is not connected or backing off a quota."""
from __future__ import annotations

import time
import uuid
from datetime import date, datetime, timedelta, timezone

from chalicelib.calendar import connections
from chalicelib.core import db
from tests.api import add_member, body, call
from tests.appointments.helpers import calendar
from tests.calendar.helpers import busy_rows, connect_staff, link_login
from tests.checks import error_of, rows


def _items(client, session) -> dict[str, dict]:
    answer = call(client, "GET", "/calendar/status", session=session)
    assert answer.status_code == 200, answer.body
    return {item["staff_id"]: item for item in body(answer)["items"]}


def _connection(got) -> connections.Connection:
    with db.tenant_tx(got["business_id"]) as tx:
        return connections.get(tx, uuid.UUID(got["connection_id"]))


def _busy_event(twin, email: str, days: int) -> None:
    start = datetime.combine(date.today() + timedelta(days=days), datetime.min.time(), timezone.utc) + timedelta(hours=9)
    twin.add_event(email, {"summary": "Private", "start": {"dateTime": start.isoformat()},
                           "end": {"dateTime": (start + timedelta(hours=2)).isoformat()}})


def test_owners_see_every_active_staff_member_and_the_staff_role_only_its_own(client, mail, google_twin):
    cal = calendar(client, staff=3)
    member = add_member(client, cal.owner, mail, "staff")
    admin = add_member(client, cal.owner, mail, "admin")
    theirs = connect_staff(client, google_twin, business=cal, member=member, email="member@gmail.test")
    rows(cal.business_id, "UPDATE staff SET active = false WHERE id = CAST(:id AS uuid) RETURNING id",
         id=cal.staff_ids[2])

    for boss in (cal.owner, admin):
        seen = _items(client, boss)
        assert set(seen) == {cal.staff_ids[0], cal.staff_ids[1]}  # the deactivated one is not listed
        assert seen[theirs["staff_id"]]["state"] == "connected"
        assert seen[theirs["staff_id"]]["google_email"] == "member@gmail.test"
        other = next(s for s in seen if s != theirs["staff_id"])
        assert seen[other] == {"staff_id": other, "staff_name": seen[other]["staff_name"], "state": "not_connected",
                               "reason": None, "google_email": None, "connected_at": None, "last_sync_at": None,
                               "last_error": None, "last_error_at": None, "busy_blocks": 0, "reverted_edits": 0,
                               "last_reverted_at": None, "is_me": False}
        assert not any(item["is_me"] for item in seen.values())

    own = _items(client, member)
    assert list(own) == [theirs["staff_id"]]
    assert own[theirs["staff_id"]]["is_me"] is True and own[theirs["staff_id"]]["connected_at"]


def test_a_staff_member_whose_login_has_no_profile_sees_nothing(client, mail, google_twin):
    cal = calendar(client)
    member = add_member(client, cal.owner, mail, "staff")

    assert _items(client, member) == {}


def test_busy_blocks_count_the_google_busy_times_and_sync_now_brings_new_ones_in(client, google_twin):
    got = connect_staff(client, google_twin, email="busy@gmail.test")
    for days in (1, 2, 3):
        _busy_event(google_twin, "busy@gmail.test", days)

    answer = call(client, "POST", "/calendar/google/sync", {}, session=got["member"])

    assert answer.status_code == 200, answer.body
    item = body(answer)
    assert item["staff_id"] == got["staff_id"] and item["is_me"] is True
    assert item["busy_blocks"] == 3 == len(busy_rows(got["business_id"], got["staff_id"]))
    assert item["last_sync_at"] and item["last_error"] is None
    assert _items(client, got["member"])[got["staff_id"]]["busy_blocks"] == 3


def test_sync_now_is_refused_when_asked_again_within_30_seconds(client, google_twin):
    got = connect_staff(client, google_twin)
    for _ in range(2):  # a pair straddling a 30-second window's end is tried once more
        started = time.time()
        first = call(client, "POST", "/calendar/google/sync", {}, session=got["member"])
        second = call(client, "POST", "/calendar/google/sync", {}, session=got["member"])
        if started // 30 == time.time() // 30:
            break
    assert first.status_code in (200, 429)
    error = error_of(second, 429, "rate_limited")
    assert 1 <= error["details"]["retry_after"] <= 30
    assert second.headers["Retry-After"] == str(error["details"]["retry_after"])


def test_owners_sync_a_staff_members_calendar_the_staff_role_only_its_own(client, mail, google_twin):
    got = connect_staff(client, google_twin)
    member = add_member(client, got["owner"], mail, "staff")
    theirs = connect_staff(client, google_twin, business=got["cal"], member=member, email="member@gmail.test")

    error_of(call(client, "POST", "/calendar/google/sync", {"staff_id": got["staff_id"]}, session=member),
             403, "forbidden")
    answer = call(client, "POST", "/calendar/google/sync", {"staff_id": theirs["staff_id"]}, session=got["owner"])

    assert answer.status_code == 200, answer.body
    assert body(answer)["staff_id"] == theirs["staff_id"] and body(answer)["is_me"] is False


def test_sync_now_of_a_calendar_not_connected_is_a_409(client, mail, google_twin):
    cal = calendar(client, staff=2)
    link_login(cal, cal.owner)

    error_of(call(client, "POST", "/calendar/google/sync", {}, session=cal.owner), 409, "calendar_not_connected")
    error_of(call(client, "POST", "/calendar/google/sync", {"staff_id": cal.staff_ids[1]}, session=cal.owner),
             409, "calendar_not_connected")
    member = add_member(client, cal.owner, mail, "staff")
    error_of(call(client, "POST", "/calendar/google/sync", {}, session=member), 409, "no_staff_profile")


def test_a_quota_answer_backs_the_connection_off_and_sync_now_says_when_to_come_back(client, google_twin):
    got = connect_staff(client, google_twin)
    connections.record_error(_connection(got), "Google's quota was exceeded", rate_limited=True)
    google_twin.calls.clear()

    error = error_of(call(client, "POST", "/calendar/google/sync", {}, session=got["member"]),
                     503, "calendar_backing_off")

    assert 1 <= error["details"]["retry_after"] <= 60
    assert google_twin.calls == []
    row = rows(got["business_id"], "SELECT failures, backoff_until - now() AS left FROM calendar_connections")[0]
    assert row["failures"] == 1 and timedelta(seconds=0) < row["left"] <= timedelta(minutes=1)
    status = _items(client, got["member"])[got["staff_id"]]
    assert status["last_error"] == "Google's quota was exceeded" and status["last_error_at"]


def test_backoff_doubles_with_each_quota_answer_up_to_an_hour(client, google_twin):
    got = connect_staff(client, google_twin)
    waits = []
    for _ in range(8):
        connections.record_error(_connection(got), "quota", rate_limited=True)
        waits.append(rows(got["business_id"], "SELECT extract(epoch FROM backoff_until - now()) AS s "
                                              "FROM calendar_connections")[0]["s"])

    minutes = [round(float(s) / 60) for s in waits]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60]


def test_edits_put_back_are_counted_in_the_status(client, google_twin):
    got = connect_staff(client, google_twin)

    connections.record_reverted(_connection(got), 2)
    connections.record_reverted(_connection(got), 0)

    item = _items(client, got["member"])[got["staff_id"]]
    assert item["reverted_edits"] == 2 and item["last_reverted_at"]
