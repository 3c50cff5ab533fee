"""Disconnecting: the push channels are stopped at Google, the grant is revoked there (best effort: a
Google that does not answer does not keep anyone connected), and the busy times, the event links and
the connection with its tokens are deleted. Members disconnect their own calendar; owners and admins
anyone's."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone

from googleapiclient.http import HttpMockSequence

from chalicelib.calendar import channels, connections
from chalicelib.core import db
from chalicelib.integrations import google_calendar
from tests.api import add_member, body, call
from tests.appointments.helpers import booked
from tests.calendar.helpers import busy_rows, connect_staff, connection
from tests.checks import error_of, rows


def _busy_event(twin, email: str, days: int = 2) -> dict:
    start = datetime.combine(date.today() + timedelta(days=days), time(10), timezone.utc)
    return twin.add_event(email, {"summary": "Dentist", "start": {"dateTime": start.isoformat()},
                                  "end": {"dateTime": (start + timedelta(hours=1)).isoformat()}})


def _connection(got) -> connections.Connection:
    with db.tenant_tx(got["business_id"]) as tx:
        return connections.get(tx, uuid.UUID(got["connection_id"]))


def _with_busy_times_a_channel_and_a_link(client, twin, got) -> None:
    """What a connected calendar has after a while: synced busy times, a push channel, a booking's link."""
    _busy_event(twin, got["email"])
    assert call(client, "POST", "/calendar/google/sync", {}, session=got["member"]).status_code == 200
    if not rows(got["business_id"], "SELECT id FROM calendar_push_channels"):
        assert channels.open_channel(_connection(got))
    appointment = booked(client, got["cal"], got["cal"].at(3, 10))
    rows(got["business_id"], """INSERT INTO calendar_event_links (business_id, appointment_id, staff_id, calendar_id,
                                                                  event_id, state)
                                SELECT CAST(:bid AS uuid), CAST(:aid AS uuid), CAST(:sid AS uuid), 'primary', 'ev00001',
                                       'present'
                                ON CONFLICT DO NOTHING RETURNING appointment_id""",
         bid=got["business_id"], aid=appointment["id"], sid=got["staff_id"])
    assert busy_rows(got["business_id"], got["staff_id"])


def _nothing_left(got) -> None:
    bid = got["business_id"]
    assert connection(bid, got["staff_id"]) is None
    assert busy_rows(bid, got["staff_id"]) == []
    assert rows(bid, "SELECT * FROM calendar_push_channels") == []
    assert rows(bid, "SELECT * FROM calendar_event_links WHERE staff_id = CAST(:sid AS uuid)", sid=got["staff_id"]) == []


def test_disconnect_revokes_at_google_stops_push_and_deletes_busy_times_links_and_tokens(client, google_twin):
    got = connect_staff(client, google_twin, email="leaving@gmail.test")
    _with_busy_times_a_channel_and_a_link(client, google_twin, got)
    google_twin.calls.clear()

    answer = call(client, "DELETE", "/calendar/google", session=got["member"])

    assert answer.status_code == 204, answer.body
    _nothing_left(got)
    assert ("POST", "/calendar/v3/channels/stop") in google_twin.calls
    assert ("POST", "/revoke") in google_twin.calls
    assert google_twin.channels == {}
    # the grant is dead at Google: its tokens would be worthless even if a copy survived somewhere
    assert all(grant.revoked for grant, _ in google_twin._access.values() if grant.email == "leaving@gmail.test")
    status = body(call(client, "GET", "/calendar/status", session=got["member"]))["items"]
    assert [(i["state"], i["busy_blocks"]) for i in status if i["staff_id"] == got["staff_id"]] == [("not_connected", 0)]


def test_a_google_that_does_not_answer_the_revoke_still_disconnects(client, google_twin, capfd):
    got = connect_staff(client, google_twin)

    with google_calendar.use_http(HttpMockSequence([({"status": "503"}, b"")] * 20)):
        answer = call(client, "DELETE", "/calendar/google", session=got["member"])

    assert answer.status_code == 204, answer.body
    assert connection(got["business_id"], got["staff_id"]) is None
    assert '"event":"calendar.revoke_failed"' in capfd.readouterr().out


def test_a_connection_waiting_for_a_reconnect_can_be_disconnected(client, google_twin):
    got = connect_staff(client, google_twin, email="gone@gmail.test")
    google_twin.revoke_grant("gone@gmail.test")
    call(client, "POST", "/calendar/google/sync", {}, session=got["member"])
    assert connection(got["business_id"], got["staff_id"])["state"] == "reconnect_needed"

    assert call(client, "DELETE", "/calendar/google", session=got["member"]).status_code == 204

    _nothing_left(got)


def test_an_owner_disconnects_a_staff_members_calendar_and_the_staff_role_only_their_own(client, mail, google_twin):
    got = connect_staff(client, google_twin)  # the owner's own
    member = add_member(client, got["owner"], mail, "staff")
    theirs = connect_staff(client, google_twin, business=got["cal"], member=member, email="member@gmail.test")

    error_of(call(client, "DELETE", f"/calendar/google?staff_id={got['staff_id']}", session=member),
             403, "forbidden")
    assert connection(got["business_id"], got["staff_id"]) is not None

    assert call(client, "DELETE", f"/calendar/google?staff_id={theirs['staff_id']}",
                session=got["owner"]).status_code == 204
    assert connection(got["business_id"], theirs["staff_id"]) is None
    assert connection(got["business_id"], got["staff_id"]) is not None


def test_disconnecting_what_is_not_connected_does_nothing(client, google_twin):
    got = connect_staff(client, google_twin)
    assert call(client, "DELETE", "/calendar/google", session=got["member"]).status_code == 204
    google_twin.calls.clear()

    assert call(client, "DELETE", "/calendar/google", session=got["member"]).status_code == 204

    assert google_twin.calls == []


def test_a_member_without_a_staff_profile_has_nothing_of_their_own_to_disconnect(client, mail, google_twin):
    got = connect_staff(client, google_twin)
    member = add_member(client, got["owner"], mail, "admin")

    error_of(call(client, "DELETE", "/calendar/google", session=member), 409, "no_staff_profile")

    assert connection(got["business_id"], got["staff_id"]) is not None


def test_the_member_can_connect_again_after_a_disconnect(client, google_twin):
    got = connect_staff(client, google_twin)
    assert call(client, "DELETE", "/calendar/google", session=got["member"]).status_code == 204

    again = connect_staff(client, google_twin, business=got["cal"], staff_id=got["staff_id"])

    assert again["connection_id"] != got["connection_id"]
    assert connection(got["business_id"], got["staff_id"])["state"] == "connected"
