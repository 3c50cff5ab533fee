"""Google's redirect back to the callback: a state unknown, used or expired is refused and nothing is
stored; the state says whose calendar it is (whoever's browser finishes the flow), works once even for
two racing callbacks, and its PKCE verifier is what Google checks the code against. A refusal at Google
or a grant without the calendar permission stores nothing either. A good one stores the grant sealed
and asks for the first sync."""
from __future__ import annotations

import threading
from collections import Counter
from urllib.parse import parse_qs, urlsplit

from chalicelib.calendar import oauth
from tests.api import add_member
from tests.appointments.helpers import calendar
from tests.calendar.helpers import (calendar_tables, callback, connect_staff, connection, consent, link_login,
                                    redirected_to, states)
from tests.checks import rows

PROFILE = ("openid", "https://www.googleapis.com/auth/userinfo.email")


def _sync_requests(business_id: str) -> list[dict]:
    return rows(business_id, "SELECT aggregate_id, payload FROM outbox WHERE topic = 'calendar.sync_requested'")


def _token_calls(twin) -> int:
    return sum(1 for method, path in twin.calls if method == "POST" and path.endswith("/token"))


def _nothing_stored(business_id: str) -> None:
    tables = calendar_tables(business_id)
    assert tables["calendar_connections"] == [] and tables["calendar_event_links"] == []
    assert _sync_requests(business_id) == []


def test_a_good_callback_stores_the_grant_and_asks_for_a_full_first_sync_with_a_backfill(client, google_twin):
    got = connect_staff(client, google_twin, email="sam@gmail.test")

    row = connection(got["business_id"], got["staff_id"])
    assert row["state"] == "connected" and row["lost_reason"] is None
    assert str(row["user_id"]) == got["user_id"] and row["google_email"] == "sam@gmail.test"
    assert row["refresh_token_sealed"] and row["access_token_sealed"] and row["access_expires_at"]
    assert "https://www.googleapis.com/auth/calendar.events" in row["scopes"]
    assert [(str(r["aggregate_id"]), r["payload"]) for r in _sync_requests(got["business_id"])] == [
        (got["connection_id"], {"connection_id": got["connection_id"], "full": True, "backfill": True})]
    (state,) = states(got["business_id"])
    assert state["used_at"] is not None


def test_an_unknown_state_is_refused_before_google_is_asked(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    url, _ = consent(client, cal.owner)
    code = google_twin.authorize(url)

    for params in ({"state": "made-up", "code": code}, {"code": code}, {"state": "", "code": code}):
        assert redirected_to(callback(client, **params)) == {"google": "error", "reason": "invalid_state"}

    assert _token_calls(google_twin) == 0
    _nothing_stored(cal.business_id)


def test_a_state_works_once(client, google_twin):
    got = connect_staff(client, google_twin)
    url, state = consent(client, got["member"])
    first = callback(client, state=state, code=google_twin.authorize(url))
    assert redirected_to(first) == {"google": "connected"}
    stored = connection(got["business_id"], got["staff_id"])

    again = callback(client, state=state, code=google_twin.authorize(url))

    assert redirected_to(again) == {"google": "error", "reason": "invalid_state"}
    assert connection(got["business_id"], got["staff_id"]) == stored


def test_an_expired_state_is_refused_and_nothing_is_stored(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)
    rows(cal.business_id, "UPDATE calendar_oauth_states SET expires_at = now() - interval '1 second' RETURNING 1")
    code = google_twin.authorize(url)

    assert redirected_to(callback(client, state=state, code=code)) == {"google": "error", "reason": "invalid_state"}

    assert _token_calls(google_twin) == 0
    _nothing_stored(cal.business_id)


def test_the_state_carries_the_member_so_another_members_browser_cannot_take_the_calendar(
        client, mail, google_twin):
    """A state leaked to (or finished in the browser of) another member connects the member who asked for
    it: there is no way to point it at the other member's staff profile."""
    cal = calendar(client, staff=2)
    asker_staff = link_login(cal, cal.owner)
    other = add_member(client, cal.owner, mail, "staff")
    other_staff = link_login(cal, other)
    url, state = consent(client, cal.owner)

    finished = callback(client, state=state, code=google_twin.authorize(url, email="owner@gmail.test"))

    assert redirected_to(finished) == {"google": "connected"}
    assert str(connection(cal.business_id, asker_staff)["user_id"]) == cal.owner.user_id
    assert connection(cal.business_id, other_staff) is None


def test_a_state_whose_staff_profile_was_relinked_meanwhile_stores_nothing(client, mail, google_twin):
    cal = calendar(client)
    staff_id = link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)
    other = add_member(client, cal.owner, mail, "staff")
    link_login(cal, other, staff_id)  # the profile is someone else's now

    finished = callback(client, state=state, code=google_twin.authorize(url))

    assert redirected_to(finished) == {"google": "error", "reason": "invalid_state"}
    _nothing_stored(cal.business_id)


def test_two_racing_callbacks_with_one_state_connect_once(client, google_twin):
    cal = calendar(client)
    staff_id = link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)
    codes = [google_twin.authorize(url) for _ in range(8)]
    start = threading.Barrier(len(codes))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def finish(code: str) -> None:
        start.wait()
        where = oauth.callback(state=state, code=code, error=None)
        with lock:
            outcomes[parse_qs(urlsplit(where).query).get("reason", ["connected"])[0]] += 1

    threads = [threading.Thread(target=finish, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == Counter({"connected": 1, "invalid_state": len(codes) - 1})
    assert _token_calls(google_twin) == 1
    assert connection(cal.business_id, staff_id)["state"] == "connected"
    assert len(_sync_requests(cal.business_id)) == 1


def test_the_pkce_verifier_kept_with_the_state_is_what_google_checks_the_code_against(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)
    # Someone who learnt the code but not the verifier (here: the stored one is not the one Google saw).
    rows(cal.business_id, "UPDATE calendar_oauth_states SET code_verifier = :v RETURNING 1", v="x" * 86)

    finished = callback(client, state=state, code=google_twin.authorize(url))

    assert redirected_to(finished) == {"google": "error", "reason": "failed"}
    assert _token_calls(google_twin) == 1  # Google refused the exchange (invalid_grant)
    _nothing_stored(cal.business_id)


def test_a_person_who_clicks_deny_is_sent_back_with_access_denied_and_the_state_is_spent(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)

    denied = callback(client, state=state, error="access_denied")

    assert redirected_to(denied) == {"google": "error", "reason": "access_denied"}
    assert _token_calls(google_twin) == 0
    _nothing_stored(cal.business_id)
    assert redirected_to(callback(client, state=state, code=google_twin.authorize(url)))["reason"] == "invalid_state"


def test_a_grant_without_the_calendar_permission_is_refused_with_reason_scope(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)

    finished = callback(client, state=state, code=google_twin.authorize(url, scopes=PROFILE))

    assert redirected_to(finished) == {"google": "error", "reason": "scope"}
    _nothing_stored(cal.business_id)


def test_a_code_google_does_not_know_is_refused_with_reason_failed(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    _, state = consent(client, cal.owner)

    assert redirected_to(callback(client, state=state, code="4/not-a-code")) == {"google": "error",
                                                                                  "reason": "failed"}
    _nothing_stored(cal.business_id)


def test_googles_own_extra_parameters_do_not_get_in_the_way(client, google_twin):
    cal = calendar(client)
    staff_id = link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)

    finished = callback(client, state=state, code=google_twin.authorize(url), authuser="0", prompt="consent",
                        scope="openid https://www.googleapis.com/auth/calendar.events", iss="https://accounts.google.com")

    assert redirected_to(finished) == {"google": "connected"}
    assert connection(cal.business_id, staff_id) is not None
