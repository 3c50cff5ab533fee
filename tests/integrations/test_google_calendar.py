"""The Google client: googleapiclient with the static calendar v3 document over googleapiclient's
``HttpMockSequence`` (each answer scripted, each request recorded), the code exchange against the
twin's token endpoint, and a silent socket for the timeout. What is checked is what the callers rely
on: the consent URL, the tokens, the refresh, Google's failures mapped to ours after a bounded number
of attempts, and the calls counted."""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import socket
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from googleapiclient.http import HttpMockSequence

from chalicelib.core.settings import settings
from chalicelib.integrations import google_calendar as google
from chalicelib.integrations.google_twin import TIMEOUT
from tests.graph_api import configure  # noqa: F401 - fixture

EMAIL = "staff@gmail.test"
AN_HOUR = timedelta(hours=1)


class Recording(HttpMockSequence):
    """HttpMockSequence that also keeps each request (method, URL, headers, body)."""

    def __init__(self, answers: list[tuple[int, object]]) -> None:
        super().__init__([({"status": str(status), **({"retry-after": "7"} if status == 429 else {})},
                           body if isinstance(body, (str, bytes)) else json.dumps(body)) for status, body in answers])
        self.requests: list[dict] = []

    def request(self, uri, method="GET", body=None, headers=None, **kwargs):
        self.requests.append({"method": method, "uri": uri, "headers": dict(headers or {}), "body": body})
        return super().request(uri, method, body, headers, **kwargs)


def error(status: int, reason: str, **extra) -> tuple[int, dict]:
    return status, {"error": {"code": status, "message": reason, "errors": [{"reason": reason}], **extra}}


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    """googleapiclient's back-off between retries, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(google, "sleep", slept.append)
    return slept


def calendar(*, expired: bool = False) -> google.Calendar:
    expires_at = datetime.now(timezone.utc) + (-AN_HOUR if expired else AN_HOUR)
    return google.Calendar(refresh_token="1//refresh", access_token="ya29.old", expires_at=expires_at)


def query(request: dict) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request["uri"]).query)


# The consent and the code exchange.

def test_the_consent_url_asks_offline_access_for_our_scopes_with_state_and_an_s256_challenge():
    verifier = google.new_code_verifier()
    url = urlsplit(google.consent_url(state="state-1", code_verifier=verifier))
    asked = {k: v[0] for k, v in parse_qs(url.query).items()}

    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{settings().google_accounts_base}/o/oauth2/auth"
    assert 43 <= len(verifier) <= 128 and verifier not in url.query
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert asked == {"response_type": "code", "client_id": settings().google_client_id,
                     "redirect_uri": settings().google_redirect_uri, "scope": " ".join(google.SCOPES),
                     "state": "state-1", "code_challenge": challenge, "code_challenge_method": "S256",
                     "access_type": "offline", "prompt": "consent", "include_granted_scopes": "true"}
    assert google.CALENDAR_SCOPE in google.SCOPES


def test_a_code_is_exchanged_for_tokens_naming_the_account_once(google_twin):
    verifier = google.new_code_verifier()
    code = google_twin.authorize(google.consent_url(state="s", code_verifier=verifier), email=EMAIL)

    tokens = google.exchange_code(code=code, code_verifier=verifier)

    assert tokens.email == EMAIL and tokens.refresh_token and tokens.access_token
    assert tokens.scopes == google.SCOPES
    assert timedelta(minutes=55) < tokens.expires_at - datetime.now(timezone.utc) <= AN_HOUR
    with pytest.raises(google.GoogleAuthLost) as lost:
        google.exchange_code(code=code, code_verifier=verifier)
    assert lost.value.reason == "invalid_grant"
    assert google_twin.calls == [("POST", "/token"), ("POST", "/token")]


def test_a_wrong_verifier_or_an_unknown_code_is_invalid_grant(google_twin):
    code = google_twin.authorize(google.consent_url(state="s", code_verifier=google.new_code_verifier()))
    for bad_code, verifier in ((code, google.new_code_verifier()), ("4/made-up", google.new_code_verifier())):
        with pytest.raises(google.GoogleAuthLost) as lost:
            google.exchange_code(code=bad_code, code_verifier=verifier)
        assert lost.value.reason == "invalid_grant"


def test_a_grant_without_the_calendar_permission_is_scope_lost(google_twin):
    verifier = google.new_code_verifier()
    code = google_twin.authorize(google.consent_url(state="s", code_verifier=verifier),
                                 scopes=("openid", "https://www.googleapis.com/auth/userinfo.email"))
    with pytest.raises(google.GoogleAuthLost) as lost:
        google.exchange_code(code=code, code_verifier=verifier)
    assert lost.value.reason == "scope"


def test_revoke_posts_the_token_in_the_body_and_an_unknown_token_counts_as_revoked():
    with google.use_http(Recording([(200, {}), (400, {"error": "invalid_token"}), (503, "down")])) as http:
        google.revoke("1//secret-refresh")
        google.revoke("1//already-gone")
        with pytest.raises(google.GoogleUnavailable):
            google.revoke("1//another")
    first = http.requests[0]
    assert (first["method"], first["uri"]) == ("POST", f"{settings().google_oauth2_base}/revoke")
    assert "secret" not in first["uri"] and parse_qs(first["body"]) == {"token": ["1//secret-refresh"]}


# Calendar calls over HttpMockSequence.

def test_list_asks_expanded_events_with_deletions_in_the_window_at_the_configured_root():
    since = datetime(2026, 3, 1, tzinfo=timezone.utc)
    answer = {"items": [{"id": "e1", "status": "confirmed"}], "nextPageToken": "p2"}
    with google.use_http(Recording([(200, answer)])) as http:
        cal = calendar()
        page = cal.list_events("primary", time_min=since, time_max=since + timedelta(days=90))

    assert page == google.EventPage(items=[{"id": "e1", "status": "confirmed"}], next_page_token="p2",
                                    next_sync_token=None)
    request = http.requests[0]
    assert request["uri"].startswith(f"{settings().google_api_base}/calendar/v3/calendars/primary/events?")
    assert request["headers"]["authorization"] == "Bearer ya29.old"
    assert {k: v[0] for k, v in query(request).items()} == {
        "singleEvents": "true", "showDeleted": "true", "maxResults": "250", "timeMin": "2026-03-01T00:00:00Z",
        "timeMax": "2026-05-30T00:00:00Z", "alt": "json"}
    assert cal.calls == 1 and cal.refreshed is None


def test_an_incremental_list_sends_only_the_sync_token_and_410_means_list_in_full():
    with google.use_http(Recording([(200, {"items": [], "nextSyncToken": "t2"}), error(410, "fullSyncRequired")])) \
            as http:
        cal = calendar()
        assert cal.list_events("primary", sync_token="t1", time_min=datetime.now(timezone.utc)).next_sync_token == "t2"
        with pytest.raises(google.GoogleSyncTokenGone):
            cal.list_events("primary", sync_token="t2")
    assert query(http.requests[0])["syncToken"] == ["t1"] and "timeMin" not in query(http.requests[0])
    assert cal.calls == 2  # a 410 is not retried


def test_an_expired_access_token_is_refreshed_first_and_handed_back_to_store():
    token = {"access_token": "ya29.new", "expires_in": 3599, "token_type": "Bearer",
             "scope": " ".join(google.SCOPES)}
    with google.use_http(Recording([(200, token), (200, {"id": "e1"})])) as http:
        cal = calendar(expired=True)
        assert cal.get_event("primary", "e1") == {"id": "e1"}

    refresh, get = http.requests
    assert refresh["uri"] == f"{settings().google_oauth2_base}/token"
    assert parse_qs(refresh["body"].decode())["grant_type"] == ["refresh_token"]
    assert get["headers"]["authorization"] == "Bearer ya29.new"
    assert cal.refreshed.access_token == "ya29.new" and cal.refreshed.refresh_token is None
    assert cal.refreshed.scopes == google.SCOPES and cal.refreshed.expires_at > datetime.now(timezone.utc)
    assert cal.calls == 1  # the refresh is no Calendar call


def test_a_401_refreshes_once_and_repeats_the_call():
    with google.use_http(Recording([error(401, "authError"), (200, {"access_token": "ya29.new", "expires_in": 3599}),
                                    (200, {"id": "e1"})])):
        cal = calendar()
        assert cal.get_event("primary", "e1") == {"id": "e1"}
    assert cal.refreshed.access_token == "ya29.new" and cal.calls == 2


def test_a_revoked_grant_is_auth_lost_invalid_grant():
    refused = (400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
    with google.use_http(Recording([refused])):
        with pytest.raises(google.GoogleAuthLost) as lost:
            calendar(expired=True).list_events("primary")
    assert lost.value.reason == "invalid_grant"


def test_a_token_without_the_calendar_scope_is_auth_lost_scope_without_retries(sleeps):
    insufficient = error(403, "insufficientPermissions",
                         details=[{"reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}])
    with google.use_http(Recording([insufficient])):
        cal = calendar()
        with pytest.raises(google.GoogleAuthLost) as lost:
            cal.list_events("primary")
    assert lost.value.reason == "scope" and cal.calls == 1 and sleeps == []


def test_an_insert_whose_id_is_taken_is_a_conflict():
    with google.use_http(Recording([error(409, "duplicate")])):
        with pytest.raises(google.GoogleConflict):
            calendar().insert_event("primary", {"id": "abcde12345"})


def test_delete_get_and_patch_of_a_gone_event_answer_false_or_none():
    with google.use_http(Recording([(204, ""), error(404, "notFound"), error(410, "deleted"),
                                    error(404, "notFound"), error(410, "deleted")])) as http:
        cal = calendar()
        assert cal.delete_event("primary", "e1") is True
        assert cal.delete_event("primary", "e1") is False
        assert cal.delete_event("primary", "e1") is False
        assert cal.get_event("primary", "e1") is None
        assert cal.patch_event("primary", "e1", {"summary": "x"}) is None
    assert [r["method"] for r in http.requests] == ["DELETE", "DELETE", "DELETE", "GET", "PATCH"]
    assert cal.calls == 5


def test_a_429_is_retried_after_a_back_off_and_then_succeeds(sleeps):
    with google.use_http(Recording([error(429, "rateLimitExceeded"), (200, {"id": "e1"})])):
        cal = calendar()
        assert cal.get_event("primary", "e1") == {"id": "e1"}
    assert cal.calls == 2 and len(sleeps) == 1 and 0 <= sleeps[0] <= 2


@pytest.mark.parametrize("answer", [error(429, "rateLimitExceeded"), error(403, "rateLimitExceeded"),
                                    error(403, "userRateLimitExceeded")])
def test_a_quota_answer_that_persists_is_rate_limited_after_the_bounded_retries(sleeps, answer):
    with google.use_http(Recording([answer] * 5)) as http:
        cal = calendar()
        with pytest.raises(google.GoogleRateLimited) as limited:
            cal.list_events("primary")
    assert cal.calls == google.MAX_RETRIES + 1 == len(http.requests) and len(sleeps) == google.MAX_RETRIES
    assert limited.value.retry_after_s == (7.0 if answer[0] == 429 else None)
    assert limited.value.status == 503


def test_5xx_is_unavailable_after_the_retries_and_other_4xx_is_rejected_at_once(sleeps):
    with google.use_http(Recording([error(503, "backendError")] * 3 + [error(400, "invalid")])):
        cal = calendar()
        with pytest.raises(google.GoogleUnavailable):
            cal.list_events("primary")
        assert cal.calls == 3
        with pytest.raises(google.GoogleRejected):
            cal.insert_event("primary", {"id": "bad"})
        assert cal.calls == 4


def test_watch_opens_a_channel_and_stopping_an_unknown_one_is_fine():
    expiration = int(time.time() * 1000) + 3_600_000
    with google.use_http(Recording([(200, {"kind": "api#channel", "id": "c1", "resourceId": "r1",
                                           "expiration": str(expiration)}), error(404, "notFound")])) as http:
        cal = calendar()
        resource_id, expires_at = cal.watch("primary", channel_id="c1", token="tok", address="https://x/n", ttl_s=3600)
        cal.stop_channel(channel_id="c1", resource_id="r1")
    assert resource_id == "r1" and expires_at == datetime.fromtimestamp(expiration / 1000, timezone.utc)
    assert json.loads(http.requests[0]["body"]) == {"id": "c1", "type": "web_hook", "address": "https://x/n",
                                                     "token": "tok", "params": {"ttl": "3600"}}
    assert http.requests[1]["uri"].startswith(f"{settings().google_api_base}/calendar/v3/channels/stop")


# Timeouts.

def test_timeouts_are_retried_then_unavailable(google_twin, sleeps):
    verifier = google.new_code_verifier()
    tokens = google.exchange_code(code=google_twin.authorize(google.consent_url(state="s", code_verifier=verifier)),
                                  code_verifier=verifier)
    cal = google.Calendar(refresh_token=tokens.refresh_token, access_token=tokens.access_token,
                          expires_at=tokens.expires_at)
    google_twin.fail_next(google.MAX_RETRIES + 1, TIMEOUT)
    with pytest.raises(google.GoogleUnavailable):
        cal.list_events("primary")
    assert cal.calls == google.MAX_RETRIES + 1
    assert cal.list_events("primary").items == []


def test_a_silent_google_is_unavailable_within_the_timeout(configure, sleeps):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # connections are accepted by the kernel and never answered
    try:
        configure(GOOGLE_BACKEND="api", GOOGLE_API_BASE=f"http://127.0.0.1:{silent.getsockname()[1]}",
                  GOOGLE_TIMEOUT_S="0.3")
        cal = calendar()
        started = time.monotonic()
        with pytest.raises(google.GoogleUnavailable):
            cal.list_events("primary")
        assert time.monotonic() - started < 0.3 * (google.MAX_RETRIES + 1) + 1.5
        assert cal.calls == google.MAX_RETRIES + 1
    finally:
        silent.close()


def test_importing_the_module_loads_no_google_library():
    import subprocess
    import sys

    from chalicelib.core.settings import PROJECT_ROOT

    code = ("import sys, chalicelib.integrations.google_calendar, chalicelib.integrations.google_twin;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('googleapiclient', 'google_auth_oauthlib', 'httplib2', 'requests', 'oauthlib', 'google')))")
    ran = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                         timeout=60, check=True)
    assert ran.stdout.strip() == "[]"


def test_no_logger_at_any_level_sees_a_token_the_code_the_verifier_or_the_client_secret(google_twin, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    verifier = google.new_code_verifier()
    code = google_twin.authorize(google.consent_url(state="s", code_verifier=verifier))
    tokens = google.exchange_code(code=code, code_verifier=verifier)
    cal = google.Calendar(refresh_token=tokens.refresh_token, access_token=None, expires_at=None)
    cal.insert_event("primary", {"id": "abcde12345", "start": {"date": "2026-05-04"}, "end": {"date": "2026-05-05"}})
    google_twin.revoke_grant(EMAIL)
    with pytest.raises(google.GoogleAuthLost):
        google.Calendar(refresh_token=tokens.refresh_token, access_token=None, expires_at=None).list_events("primary")
    google.revoke(tokens.refresh_token)

    out, err = capfd.readouterr()
    logged = "\n".join([out, err, *(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)])
    assert caplog.records  # the libraries did log at DEBUG
    basic = base64.b64encode(f"{settings().google_client_id}:{settings().google_client_secret}".encode()).decode()
    for secret in (tokens.access_token, tokens.refresh_token, cal.refreshed.access_token, code, verifier,
                   settings().google_client_secret, basic):
        assert secret not in logged
