"""Connecting a member's Google Calendar: the consent URL for their own staff profile (offline access,
consent asked, PKCE S256, back to our callback), refused without the plan's feature or a staff profile;
the state kept only as its hash, bound to the member and the profile, good for 10 minutes, and only a
few open at once per member."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

from chalicelib.calendar import oauth
from tests.api import add_member, body, call
from tests.appointments.helpers import calendar
from tests.billing.plan_helpers import override, set_plan
from tests.calendar.helpers import calendar_tables, connection, consent, link_login, states
from tests.checks import error_of


def test_the_consent_url_asks_google_for_offline_calendar_access_with_pkce(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)

    url, state = consent(client, cal.owner)

    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith("http://127.0.0.1:9300/o/oauth2/auth?")
    assert query["response_type"] == "code"
    assert query["access_type"] == "offline" and query["prompt"] == "consent"
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    assert query["redirect_uri"] == "http://127.0.0.1:8000/calendar/google/callback"
    assert "https://www.googleapis.com/auth/calendar.events" in query["scope"].split()
    assert len(state) >= 43  # 32 random bytes, base64url


def test_the_state_is_stored_as_its_hash_bound_to_the_member_and_their_staff_profile(client, google_twin):
    cal = calendar(client)
    staff_id = link_login(cal, cal.owner)
    before = datetime.now(timezone.utc)

    answer = call(client, "GET", "/calendar/google/connect", session=cal.owner)

    assert answer.status_code == 200, answer.body
    url, expires_at = body(answer)["url"], datetime.fromisoformat(body(answer)["expires_at"])
    state = parse_qs(urlsplit(url).query)["state"][0]
    (stored,) = states(cal.business_id)
    assert stored["state_hash"] == hashlib.sha256(state.encode()).hexdigest()
    assert state not in str(stored)
    assert str(stored["user_id"]) == cal.owner.user_id and str(stored["staff_id"]) == staff_id
    assert stored["used_at"] is None
    assert stored["expires_at"] == expires_at
    assert timedelta(minutes=9) < expires_at - before <= timedelta(minutes=10, seconds=5)
    # the verifier stays with us: Google's URL carries its S256 challenge only
    assert stored["code_verifier"] and stored["code_verifier"] not in url


def test_a_member_has_only_a_few_connects_open_at_once_the_oldest_dropped(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)

    made = [consent(client, cal.owner)[1] for _ in range(oauth.MAX_OPEN_STATES + 2)]

    kept = {row["state_hash"] for row in states(cal.business_id)}
    assert kept == {hashlib.sha256(s.encode()).hexdigest() for s in made[-oauth.MAX_OPEN_STATES:]}


def test_another_members_open_connects_are_left_alone(client, mail, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    member = add_member(client, cal.owner, mail, "staff")
    link_login(cal, member)
    consent(client, member)

    for _ in range(oauth.MAX_OPEN_STATES + 1):
        consent(client, cal.owner)

    assert sum(str(row["user_id"]) == member.user_id for row in states(cal.business_id)) == 1


def test_a_member_without_a_staff_profile_is_told_to_have_one_linked(client, google_twin):
    cal = calendar(client)  # its staff profiles are linked to no login

    error = error_of(call(client, "GET", "/calendar/google/connect", session=cal.owner), 409, "no_staff_profile")

    assert "staff profile" in error["message"]
    assert states(cal.business_id) == []


def test_a_plan_without_google_calendar_sync_is_refused_with_the_plan_that_has_it(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    set_plan(cal.business_id, "basic")

    error = error_of(call(client, "GET", "/calendar/google/connect", session=cal.owner), 403, "plan_required")

    assert error["details"]["feature"] == "google_calendar" and error["details"]["upgrade_to"] == "pro"
    assert calendar_tables(cal.business_id)["calendar_oauth_states"] == []
    assert google_twin.calls == []


def test_an_override_turning_the_feature_off_is_refused_too(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    set_plan(cal.business_id, "enterprise")
    override(cal.business_id, "google_calendar", False)

    error_of(call(client, "GET", "/calendar/google/connect", session=cal.owner), 403, "plan_required")


def test_every_role_may_connect_their_own_calendar(client, mail, google_twin):
    cal = calendar(client, staff=3)
    for role in ("staff", "admin"):
        member = add_member(client, cal.owner, mail, role)
        link_login(cal, member)
        consent(client, member)

    assert connection(cal.business_id, cal.staff_ids[0]) is None  # nothing connected before the callback
    assert len(states(cal.business_id)) == 2
