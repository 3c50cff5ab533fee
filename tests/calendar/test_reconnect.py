"""A token Google stops honouring never fails silently: the connection becomes ``reconnect_needed`` with
the reason (``invalid_grant``: revoked or expired; ``scope``: the calendar permission taken away), the
member gets one e-mail per loss (not one per failing sync), the status says so, nothing calls Google for
it any more, and a reconnect clears it all. A refreshed access token is stored, sealed."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone

import pytest

from chalicelib.calendar import connections, messages
from chalicelib.core import db
from chalicelib.integrations.google_calendar import GoogleAuthLost
from tests.api import body, call
from tests.calendar.helpers import busy_rows, connect_staff, connection, consent, finish, outcome
from tests.checks import error_of, rows

SUBJECT = "Your Google Calendar stopped syncing"


def _sync(client, got):
    return call(client, "POST", "/calendar/google/sync", {}, session=got["member"])


def _status(client, got) -> dict:
    (item,) = [i for i in body(call(client, "GET", "/calendar/status", session=got["member"]))["items"]
               if i["staff_id"] == got["staff_id"]]
    return item


def _reconnect_mails(mail, got) -> list:
    return [m for m in mail.sent_to(got["member"].email) if m["Subject"] == SUBJECT]


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _take_scope_away(twin, email: str) -> None:
    """The person removes the calendar permission from our access in their Google account (the twin's
    grants hold their scopes; nothing else of the twin is touched)."""
    for grant, _ in list(twin._access.values()):
        if grant.email == email:
            grant.scopes = tuple(s for s in grant.scopes if "calendar" not in s)


def test_a_revoked_grant_marks_the_connection_and_emails_its_member_once(client, mail, google_twin):
    got = connect_staff(client, google_twin, email="revoked@gmail.test")
    google_twin.revoke_grant("revoked@gmail.test")

    error_of(_sync(client, got), 409, "calendar_reconnect_needed")

    row = connection(got["business_id"], got["staff_id"])
    assert (row["state"], row["lost_reason"]) == ("reconnect_needed", "invalid_grant")
    (message,) = _reconnect_mails(mail, got)
    assert "revoked@gmail.test" in _text(message) and "revoked" in _text(message)
    assert "http://127.0.0.1:5173/account" in _text(message)
    status = _status(client, got)
    assert (status["state"], status["reason"]) == ("reconnect_needed", "invalid_grant")
    assert status["last_error"]

    calls = len(google_twin.calls)
    error_of(_sync(client, got), 409, "calendar_not_connected")  # nothing calls Google for it any more
    assert len(google_twin.calls) == calls
    assert len(_reconnect_mails(mail, got)) == 1


def test_two_sessions_that_both_meet_the_revoked_grant_send_one_email(client, mail, google_twin):
    got = connect_staff(client, google_twin, email="twice@gmail.test")
    with db.tenant_tx(got["business_id"]) as tx:
        connection_ = connections.get(tx, uuid.UUID(got["connection_id"]))
    google_twin.revoke_grant("twice@gmail.test")

    with pytest.raises(GoogleAuthLost):
        with connections.calendar(connection_) as first:
            with pytest.raises(GoogleAuthLost):
                with connections.calendar(connection_) as second:  # both opened while still connected
                    second.list_events("primary")
            first.list_events("primary")

    assert len(_reconnect_mails(mail, got)) == 1
    assert len(rows(got["business_id"], "SELECT id FROM outbox WHERE topic = 'calendar.reconnect_needed'")) == 1


def test_a_permission_taken_away_is_reason_scope(client, mail, google_twin):
    got = connect_staff(client, google_twin, email="scoped@gmail.test")
    _take_scope_away(google_twin, "scoped@gmail.test")

    error_of(_sync(client, got), 409, "calendar_reconnect_needed")

    assert connection(got["business_id"], got["staff_id"])["lost_reason"] == "scope"
    assert _status(client, got)["reason"] == "scope"
    (message,) = _reconnect_mails(mail, got)
    assert "permission" in _text(message)


def test_tokens_no_key_opens_any_more_need_a_reconnect_too(client, mail, google_twin):
    got = connect_staff(client, google_twin)
    rows(got["business_id"], "UPDATE calendar_connections SET refresh_token_sealed = :junk RETURNING id",
         junk=b"\x05gone!" + bytes(40))

    error_of(_sync(client, got), 409, "calendar_not_connected")

    assert connection(got["business_id"], got["staff_id"])["state"] == "reconnect_needed"
    assert len(_reconnect_mails(mail, got)) == 1


def test_a_reconnect_clears_the_loss_keeps_the_connection_and_a_later_loss_emails_again(client, mail, google_twin):
    got = connect_staff(client, google_twin, email="again@gmail.test")
    google_twin.revoke_grant("again@gmail.test")
    _sync(client, got)
    lost = connection(got["business_id"], got["staff_id"])

    url, state = consent(client, got["member"])
    assert outcome(finish(client, got["member"], state=state,
                          code=google_twin.authorize(url, email="again@gmail.test"))) == "connected"

    row = connection(got["business_id"], got["staff_id"])
    assert str(row["id"]) == got["connection_id"]
    assert (row["state"], row["lost_reason"], row["last_error"], row["failures"]) == ("connected", None, None, 0)
    assert row["refresh_token_sealed"] != lost["refresh_token_sealed"]
    assert _status(client, got)["state"] == "connected"

    google_twin.revoke_grant("again@gmail.test")
    with db.tenant_tx(got["business_id"]) as tx:
        connection_ = connections.get(tx, uuid.UUID(got["connection_id"]))
    with pytest.raises(GoogleAuthLost):
        with connections.calendar(connection_) as api:
            api.list_events("primary")
    assert len(_reconnect_mails(mail, got)) == 2


def test_the_email_is_dropped_once_the_member_has_reconnected(client, mail, google_twin):
    got = connect_staff(client, google_twin, email="quick@gmail.test")
    google_twin.revoke_grant("quick@gmail.test")
    _sync(client, got)
    (event,) = rows(got["business_id"], "SELECT * FROM outbox WHERE topic = 'calendar.reconnect_needed'")
    url, state = consent(client, got["member"])
    finish(client, got["member"], state=state, code=google_twin.authorize(url, email="quick@gmail.test"))

    with db.tenant_tx(got["business_id"]) as tx:  # the event written again late (a queue backlog)
        assert messages.compose(tx, event) == []


def test_an_access_token_refreshed_during_a_sync_is_stored_sealed(client, google_twin):
    got = connect_staff(client, google_twin, email="fresh@gmail.test")
    before = connection(got["business_id"], got["staff_id"])
    google_twin.expire_access_tokens("fresh@gmail.test")

    synced = _sync(client, got)

    assert synced.status_code == 200, synced.body
    after = connection(got["business_id"], got["staff_id"])
    assert after["state"] == "connected"
    assert after["access_token_sealed"] != before["access_token_sealed"]
    assert after["refresh_token_sealed"] == before["refresh_token_sealed"]  # Google rolled none
    assert after["access_expires_at"] > before["access_expires_at"]


def test_an_access_token_that_no_longer_opens_is_simply_refreshed(client, mail, google_twin):
    got = connect_staff(client, google_twin)
    rows(got["business_id"], "UPDATE calendar_connections SET access_token_sealed = :junk RETURNING id",
         junk=b"\x05gone!" + bytes(40))

    synced = _sync(client, got)

    assert synced.status_code == 200, synced.body
    row = connection(got["business_id"], got["staff_id"])
    assert row["state"] == "connected" and bytes(row["access_token_sealed"]).startswith(b"\x07local-1")
    assert _reconnect_mails(mail, got) == []


def test_reconnecting_another_google_account_drops_the_old_accounts_busy_times_and_push_channel(client, google_twin):
    got = connect_staff(client, google_twin, email="old@gmail.test")
    start = datetime.combine(date.today() + timedelta(days=2), time(9), timezone.utc)
    google_twin.add_event("old@gmail.test", {"summary": "Old", "start": {"dateTime": start.isoformat()},
                                             "end": {"dateTime": (start + timedelta(hours=1)).isoformat()}})
    assert _sync(client, got).status_code == 200
    assert len(busy_rows(got["business_id"], got["staff_id"])) == 1
    assert [c["resourceUri"] for c in google_twin.channels.values()] == [
        "https://www.googleapis.com/calendar/v3/calendars/old@gmail.test/events?alt=json"]

    url, state = consent(client, got["member"])
    assert outcome(finish(client, got["member"], state=state,
                          code=google_twin.authorize(url, email="new@gmail.test"))) == "connected"

    assert connection(got["business_id"], got["staff_id"])["google_email"] == "new@gmail.test"
    assert busy_rows(got["business_id"], got["staff_id"]) == []  # the new account's calendar is empty
    assert [c["resourceUri"] for c in google_twin.channels.values()] == [
        "https://www.googleapis.com/calendar/v3/calendars/new@gmail.test/events?alt=json"]
    assert len(rows(got["business_id"], "SELECT id FROM calendar_push_channels")) == 1


def test_a_booking_written_after_the_grant_was_revoked_marks_the_connection_and_emails_once(client, mail, google_twin):
    from tests.appointments.helpers import booked

    got = connect_staff(client, google_twin, email="writer@gmail.test")
    google_twin.revoke_grant("writer@gmail.test")

    booked(client, got["cal"], got["cal"].at(3, 10))  # the calendar reader writes it into Google: refused
    booked(client, got["cal"], got["cal"].at(4, 10))  # nothing calls Google for this one

    assert connection(got["business_id"], got["staff_id"])["state"] == "reconnect_needed"
    assert len(_reconnect_mails(mail, got)) == 1
    assert _status(client, got)["reason"] == "invalid_grant"
