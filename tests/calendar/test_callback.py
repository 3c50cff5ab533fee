"""Google's redirect back, and the member finishing the connect: the public callback only forwards
Google's state, code and error to the web app's page, which posts them as the signed-in member. A state
unknown, used, expired, or started by anyone but the caller is refused and nothing is stored (another
person's state is left usable by them, so a consent URL sent to a victim cannot put the victim's
Google account on the sender's profile); it works once even for two racing posts, and its PKCE
verifier is what Google checks the code against. A refusal at Google or a grant without the calendar
permission stores nothing either. A good one stores the grant sealed, asks for the first sync, and
answers the member's status."""
from __future__ import annotations

import threading
import uuid
from collections import Counter
from urllib.parse import urlsplit

from chalicelib.calendar import oauth
from chalicelib.core.security import Caller
from tests.api import add_member
from tests.appointments.helpers import calendar
from tests.calendar.helpers import (FINISH_PAGE, calendar_tables, callback, connect_staff, connection, consent,
                                    finish, forwarded, link_login, outcome, post_callback, states)
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


def test_the_finishing_post_answers_the_members_own_status(client, google_twin):
    got = connect_staff(client, google_twin, email="sam@gmail.test")

    status = got["status"]
    assert status["staff_id"] == got["staff_id"] and status["is_me"] is True
    assert (status["state"], status["google_email"], status["reason"]) == ("connected", "sam@gmail.test", None)
    assert status["connected_at"]


def test_googles_redirect_is_only_forwarded_to_the_web_app_with_its_state_code_and_error(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)
    code = google_twin.authorize(url)
    before = calendar_tables(cal.business_id)

    answer = callback(client, state=state, code=code, authuser="0", prompt="consent", iss="https://accounts.google.com",
                      scope="openid https://www.googleapis.com/auth/calendar.events", hd="example.com")

    assert forwarded(answer) == {"state": state, "code": code}
    assert answer.headers["Cache-Control"] == "no-store"
    assert calendar_tables(cal.business_id) == before  # the state not taken: nothing done yet
    assert states(cal.business_id)[0]["used_at"] is None
    assert _token_calls(google_twin) == 0
    assert forwarded(callback(client, state=state, error="access_denied", error_subtype="x")) == {
        "state": state, "error": "access_denied"}
    assert forwarded(callback(client)) == {}
    assert callback(client).headers["Location"] == FINISH_PAGE


def test_the_forwarded_query_is_url_encoded_so_nothing_can_be_added_to_it(client):
    answer = callback(client, state="a b&google=connected#x", code="4/0A?c=d")

    location = answer.headers["Location"]
    assert "#" not in location and "google=connected" not in urlsplit(location).query.split("&")
    assert forwarded(answer) == {"state": "a b&google=connected#x", "code": "4/0A?c=d"}


def test_an_unknown_state_is_refused_before_google_is_asked(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    url, _ = consent(client, cal.owner)
    code = google_twin.authorize(url)

    for params in ({"state": "made-up", "code": code}, {"code": code}, {"state": "", "code": code}):
        assert outcome(finish(client, cal.owner, **params)) == "invalid_state"

    assert _token_calls(google_twin) == 0
    _nothing_stored(cal.business_id)


def test_a_state_works_once(client, google_twin):
    got = connect_staff(client, google_twin)
    url, state = consent(client, got["member"])
    first = finish(client, got["member"], state=state, code=google_twin.authorize(url))
    assert outcome(first) == "connected"
    stored = connection(got["business_id"], got["staff_id"])

    again = finish(client, got["member"], state=state, code=google_twin.authorize(url))

    assert outcome(again) == "invalid_state"
    assert connection(got["business_id"], got["staff_id"]) == stored


def test_an_expired_state_is_refused_and_nothing_is_stored(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)
    rows(cal.business_id, "UPDATE calendar_oauth_states SET expires_at = now() - interval '1 second' RETURNING 1")
    code = google_twin.authorize(url)

    assert outcome(finish(client, cal.owner, state=state, code=code)) == "invalid_state"

    assert _token_calls(google_twin) == 0
    _nothing_stored(cal.business_id)


def _victim_refused(client, google_twin, *, asker, asker_cal, asker_staff, victim, victim_business_id) -> None:
    """``asker`` starts a connect and sends the consent URL to ``victim``, who clicks Allow with their own
    Google account, signed in to the app: refused, nothing stored anywhere, Google not asked, and the
    asker's state still unused and still theirs to finish."""
    url, state = consent(client, asker)
    asker_before = calendar_tables(asker_cal.business_id)
    victim_before = calendar_tables(victim_business_id)
    code = google_twin.authorize(url, email="victim@gmail.test")
    google_twin.calls.clear()

    refused = finish(client, victim, state=state, code=code)

    assert outcome(refused) == "invalid_state"
    assert _token_calls(google_twin) == 0
    assert calendar_tables(asker_cal.business_id) == asker_before  # the asker's state not spent either
    assert calendar_tables(victim_business_id) == victim_before
    assert connection(asker_cal.business_id, asker_staff) is None
    assert not any(r["used_at"] for r in states(asker_cal.business_id))
    assert _sync_requests(asker_cal.business_id) == []

    # The state is the asker's own still: finished in their browser, with their Google account, it works.
    mine = finish(client, asker, state=state, code=google_twin.authorize(url, email="asker@gmail.test"))
    assert outcome(mine) == "connected"
    assert connection(asker_cal.business_id, asker_staff)["google_email"] == "asker@gmail.test"


def test_a_consent_url_sent_to_a_member_of_another_business_cannot_take_their_google_account(client, google_twin):
    attacker_cal = calendar(client)
    attacker_staff = link_login(attacker_cal, attacker_cal.owner)
    victim_cal = calendar(client)
    link_login(victim_cal, victim_cal.owner)

    _victim_refused(client, google_twin, asker=attacker_cal.owner, asker_cal=attacker_cal, asker_staff=attacker_staff,
                    victim=victim_cal.owner, victim_business_id=victim_cal.business_id)


def test_a_consent_url_sent_to_another_member_of_the_same_business_cannot_take_their_google_account(
        client, mail, google_twin):
    cal = calendar(client, staff=2)
    asker_staff = link_login(cal, cal.owner)
    other = add_member(client, cal.owner, mail, "staff")
    other_staff = link_login(cal, other)

    _victim_refused(client, google_twin, asker=cal.owner, asker_cal=cal, asker_staff=asker_staff, victim=other,
                    victim_business_id=cal.business_id)

    assert connection(cal.business_id, other_staff) is None


def test_a_state_whose_staff_profile_was_relinked_meanwhile_stores_nothing(client, mail, google_twin):
    cal = calendar(client)
    staff_id = link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)
    other = add_member(client, cal.owner, mail, "staff")
    link_login(cal, other, staff_id)  # the profile is someone else's now

    finished = finish(client, cal.owner, state=state, code=google_twin.authorize(url))

    assert outcome(finished) == "invalid_state"
    _nothing_stored(cal.business_id)


def test_two_racing_posts_with_one_state_connect_once(client, google_twin):
    cal = calendar(client)
    staff_id = link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)
    caller = Caller(user_id=uuid.UUID(cal.owner.user_id), business_id=uuid.UUID(cal.business_id), role="owner")
    codes = [google_twin.authorize(url) for _ in range(8)]
    start = threading.Barrier(len(codes))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def race(code: str) -> None:
        start.wait()
        try:
            oauth.finish(caller, state=state, code=code, error=None)
            result = "connected"
        except oauth.ConnectFailed as e:
            result = e.details["reason"]
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=race, args=(code,)) for code in codes]
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

    finished = finish(client, cal.owner, state=state, code=google_twin.authorize(url))

    assert outcome(finished) == "failed"
    assert _token_calls(google_twin) == 1  # Google refused the exchange (invalid_grant)
    _nothing_stored(cal.business_id)


def test_a_person_who_clicks_deny_is_told_access_denied_and_the_state_is_spent(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)

    denied = finish(client, cal.owner, state=state, error="access_denied")

    assert outcome(denied) == "access_denied"
    assert _token_calls(google_twin) == 0
    _nothing_stored(cal.business_id)
    assert outcome(finish(client, cal.owner, state=state, code=google_twin.authorize(url))) == "invalid_state"


def test_another_error_from_google_or_no_code_is_refused_with_reason_failed(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    _, first = consent(client, cal.owner)
    _, second = consent(client, cal.owner)

    assert outcome(finish(client, cal.owner, state=first, error="server_error")) == "failed"
    assert outcome(post_callback(client, cal.owner, state=second)) == "failed"

    assert _token_calls(google_twin) == 0
    _nothing_stored(cal.business_id)


def test_a_grant_without_the_calendar_permission_is_refused_with_reason_scope(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)

    finished = finish(client, cal.owner, state=state, code=google_twin.authorize(url, scopes=PROFILE))

    assert outcome(finished) == "scope"
    _nothing_stored(cal.business_id)


def test_a_code_google_does_not_know_is_refused_with_reason_failed(client, google_twin):
    cal = calendar(client)
    link_login(cal, cal.owner)
    _, state = consent(client, cal.owner)

    assert outcome(finish(client, cal.owner, state=state, code="4/not-a-code")) == "failed"
    _nothing_stored(cal.business_id)


def test_googles_own_extra_parameters_do_not_get_in_the_way(client, google_twin):
    cal = calendar(client)
    staff_id = link_login(cal, cal.owner)
    url, state = consent(client, cal.owner)

    finished = finish(client, cal.owner, state=state, code=google_twin.authorize(url), authuser="0", prompt="consent",
                      scope="openid https://www.googleapis.com/auth/calendar.events", iss="https://accounts.google.com")

    assert outcome(finished) == "connected"
    assert connection(cal.business_id, staff_id) is not None
