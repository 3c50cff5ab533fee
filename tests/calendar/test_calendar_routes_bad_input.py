"""Bad input to the calendar routes: a 422 naming the field (a 400 for a body that is not JSON), and
nothing stored or changed; Google's redirect with anything but a good state, forwarded to the web app
and posted from there, is refused with ``invalid_state``, and a push without a channel we made is
refused."""
from __future__ import annotations

import pytest

from tests.api import call
from tests.calendar.helpers import calendar_tables, callback, connect_staff, finish, outcome
from tests.checks import error_of, invalid_fields


@pytest.fixture
def connected(client, google_twin):
    return connect_staff(client, google_twin)


@pytest.mark.parametrize(("payload", "field"), [
    ({"staff_id": "not-a-uuid"}, "staff_id"),
    ({"staff_id": 42}, "staff_id"),
    ({"staff_id": "00000000-0000-4000-8000-000000000000", "full": True}, "full"),
    ([], "body"),
])
def test_sync_now_with_a_bad_body_is_a_422_naming_the_field(client, google_twin, connected, payload, field):
    before = calendar_tables(connected["business_id"])
    google_twin.calls.clear()

    fields = invalid_fields(call(client, "POST", "/calendar/google/sync", payload, session=connected["member"]))

    assert field in fields
    assert calendar_tables(connected["business_id"]) == before
    assert google_twin.calls == []


def test_sync_now_with_a_body_that_is_not_json_is_a_400(client, connected):
    error_of(call(client, "POST", "/calendar/google/sync", raw="{staff_id:", session=connected["member"]),
             400, "bad_request")


@pytest.mark.parametrize("query", ["staff_id=abc", "staff_id=", "staff_id=1234"])
def test_disconnect_with_a_bad_staff_id_is_a_422_and_disconnects_nothing(client, google_twin, connected, query):
    before = calendar_tables(connected["business_id"])

    assert "staff_id" in invalid_fields(call(client, "DELETE", f"/calendar/google?{query}",
                                             session=connected["member"]))

    assert calendar_tables(connected["business_id"]) == before
    assert ("POST", "/revoke") not in google_twin.calls


@pytest.mark.parametrize("params", [
    {},
    {"code": "4/x"},
    {"state": "x" * 2000, "code": "4/x"},
    {"state": "../../etc", "error": "access_denied"},
    {"state": "'; DROP TABLE calendar_connections; --", "code": "4/x"},
])
def test_a_callback_without_a_good_state_is_refused_with_invalid_state(client, google_twin, connected, params):
    before = calendar_tables(connected["business_id"])

    assert outcome(finish(client, connected["member"], **params)) == "invalid_state"

    assert calendar_tables(connected["business_id"]) == before


@pytest.mark.parametrize(("payload", "field", "reason"), [
    ({}, "state", "required"),
    ({"code": "4/x"}, "state", "required"),
    ({"state": None, "code": "4/x"}, "state", None),
    ({"state": 42, "code": "4/x"}, "state", None),
    ({"state": "s", "code": ["4/x"]}, "code", None),
    ({"state": "s", "error": {"e": 1}}, "error", None),
    ({"state": "x" * 5000, "code": "4/x"}, "state", None),
    ({"state": "s", "code": "4/" + "x" * 5000}, "code", None),
    ({"state": "s", "code": "4/x", "staff_id": "00000000-0000-4000-8000-000000000000"}, "staff_id", "unknown field"),
    ({"state": "a\x00b", "code": "4/x"}, "state", None),
    ([], "body", None),
])
def test_finishing_with_a_bad_body_is_a_422_naming_the_field(client, google_twin, connected, payload, field, reason):
    before = calendar_tables(connected["business_id"])
    google_twin.calls.clear()

    fields = invalid_fields(call(client, "POST", "/calendar/google/callback", payload, session=connected["member"]))

    assert field in fields
    if reason:
        assert fields[field] == reason
    assert calendar_tables(connected["business_id"]) == before
    assert google_twin.calls == []


def test_finishing_with_a_body_that_is_not_json_is_a_400(client, connected):
    error_of(call(client, "POST", "/calendar/google/callback", raw="{state:", session=connected["member"]),
             400, "bad_request")


def test_finishing_without_a_token_is_refused_by_the_gateway_and_stores_nothing(client, google_twin, connected):
    before = calendar_tables(connected["business_id"])

    answer = call(client, "POST", "/calendar/google/callback", {"state": "s", "code": "4/x"})

    assert answer.status_code == 401
    assert calendar_tables(connected["business_id"]) == before


def test_a_callback_with_a_nul_character_is_a_422(client, connected):
    before = calendar_tables(connected["business_id"])

    assert "state" in invalid_fields(callback(client, state="a\x00b", code="4/x"))

    assert calendar_tables(connected["business_id"]) == before


@pytest.mark.parametrize("headers", [
    {},
    {"X-Goog-Channel-Id": "not-a-uuid", "X-Goog-Channel-Token": "t", "X-Goog-Resource-State": "exists"},
    {"X-Goog-Channel-Id": "00000000-0000-4000-8000-000000000000", "X-Goog-Channel-Token": "t",
     "X-Goog-Resource-State": "exists"},
])
def test_a_push_without_a_channel_we_made_is_refused(client, connected, headers):
    before = calendar_tables(connected["business_id"])

    error_of(call(client, "POST", "/calendar/google/notifications", headers=headers), 403, "invalid_channel")

    assert calendar_tables(connected["business_id"]) == before
