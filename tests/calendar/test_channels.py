"""Push channels over their life: renewed a day before they expire, the new one opened at Google before
the old one is stopped, both accepted while the old one lasts; expired ones deleted (the table stays
bounded); a connection waiting for a reconnect is not renewed; no push address, no channel."""
from __future__ import annotations

import pytest

from chalicelib.calendar import channels
from chalicelib.core.settings import settings
from tests.api import call, from_address, unique_address
from tests.calendar.busy_helpers import connection_of
from tests.calendar.helpers import connect_staff
from tests.checks import error_of, rows

# Renewal and the schedule work on every tenant's connections: these tests have them to themselves.
pytestmark = pytest.mark.whole_google


def push(client, headers: dict[str, str]):
    with from_address(unique_address()):
        return call(client, "POST", "/calendar/google/notifications", headers=headers, raw=b"")


def stored_channels(got) -> list[dict]:
    return rows(got["business_id"], "SELECT * FROM calendar_push_channels ORDER BY expires_at")


def expiring_in(got, interval: str) -> None:
    rows(got["business_id"], "UPDATE calendar_push_channels SET expires_at = now() + CAST(:i AS interval) RETURNING id",
         i=interval)


def test_a_channel_expiring_within_a_day_is_renewed_new_first_and_both_are_accepted_meanwhile(client, google_twin):
    got = connect_staff(client, google_twin, email="renew@gmail.test")
    (old,) = stored_channels(got)
    old_headers = google_twin.push_headers(str(old["id"]))
    expiring_in(got, "3 hours")
    before = len(google_twin.calls)

    renewed = channels.renew_due()

    assert renewed == 1
    old_row, new_row = stored_channels(got)
    assert old_row["id"] == old["id"] and new_row["expires_at"] > old_row["expires_at"]
    asked = [path.rsplit("/", 1)[-1] for _, path in google_twin.calls[before:]]
    assert asked.index("watch") < asked.index("stop")
    assert list(google_twin.channels) == [str(new_row["id"])]  # the old one stopped at Google
    new_headers = google_twin.push_headers(str(new_row["id"]))
    assert push(client, old_headers).status_code == 204  # one already on its way still counts
    assert push(client, new_headers).status_code == 204


def test_a_renewed_channel_is_not_renewed_again_and_expired_ones_are_deleted(client, google_twin):
    got = connect_staff(client, google_twin, email="bounded@gmail.test")
    expiring_in(got, "3 hours")
    channels.renew_due()
    calls = len(google_twin.calls)

    channels.renew_due()
    assert len(google_twin.calls) == calls and len(stored_channels(got)) == 2

    old, new = stored_channels(got)
    rows(got["business_id"], "UPDATE calendar_push_channels SET expires_at = now() - interval '1 minute' "
                             "WHERE id = CAST(:id AS uuid) RETURNING id", id=str(old["id"]))
    channels.renew_due()

    assert [c["id"] for c in stored_channels(got)] == [new["id"]]
    error_of(push(client, {"X-Goog-Channel-ID": str(old["id"]), "X-Goog-Channel-Token": "anything",
                           "X-Goog-Resource-State": "exists"}), 403, "invalid_channel")


def test_a_connection_waiting_for_a_reconnect_is_not_renewed(client, google_twin):
    email = "lost@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    rows(got["business_id"], "UPDATE calendar_connections SET state = 'reconnect_needed', lost_reason = 'invalid_grant' "
                             "WHERE id = CAST(:id AS uuid) RETURNING id", id=got["connection_id"])
    expiring_in(got, "3 hours")
    calls = len(google_twin.calls)

    channels.renew_due()

    assert len(google_twin.calls) == calls and len(stored_channels(got)) == 1


def test_without_a_push_address_no_channel_is_opened(client, google_twin, monkeypatch):
    got = connect_staff(client, google_twin, email="nopush@gmail.test")
    rows(got["business_id"], "DELETE FROM calendar_push_channels RETURNING id")
    monkeypatch.delenv("GOOGLE_PUSH_ADDRESS")
    settings.cache_clear()
    try:
        calls = len(google_twin.calls)
        assert channels.ensure_open(connection_of(got)) is False
        assert len(google_twin.calls) == calls and stored_channels(got) == []
    finally:
        monkeypatch.undo()
        settings.cache_clear()


def test_ensure_open_opens_a_channel_only_when_the_connection_has_none_lasting(client, google_twin):
    got = connect_staff(client, google_twin, email="ensure@gmail.test")
    connection = connection_of(got)

    assert channels.ensure_open(connection) is False
    rows(got["business_id"], "DELETE FROM calendar_push_channels RETURNING id")
    assert channels.ensure_open(connection) is True
    assert len(stored_channels(got)) == 1
