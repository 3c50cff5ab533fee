"""The Google twin answers as Google does where our client and sync depend on it: the OAuth code
exchange with PKCE, refresh and revoke; event ids, deleted ids, sync tokens, paging, recurring events
expanded in their own zone; push channels. Spoken to over its raw HTTP interface, so these hold
whatever client talks to it."""
from __future__ import annotations

import base64
import hashlib
import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from chalicelib.core.settings import settings
from chalicelib.integrations import google_calendar as google
from chalicelib.integrations.google_twin import TIMEOUT, Twin
from chalicelib.integrations.google_twin_server import make_server
from tests.graph_api import configure  # noqa: F401 - fixture

CLIENT_ID, CLIENT_SECRET = "client-1.apps.googleusercontent.com", "secret-1"
REDIRECT = "https://app.example/calendar/google/callback"
SCOPES = "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/calendar.events"
EMAIL = "ana@gmail.test"
EVENTS = "/calendar/v3/calendars/primary/events"


@pytest.fixture
def twin() -> Twin:
    return Twin(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uris=(REDIRECT,))


def call(twin: Twin, method: str, path: str, body: dict | None = None, *, token: str | None = None,
         form: dict | None = None) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    payload: str | None = None
    if form is not None:
        payload = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        payload = json.dumps(body)
    status, _, content = twin.handle(method, "https://www.googleapis.com" + path, payload, headers)
    return status, json.loads(content) if content else {}


def consent(challenge: str | None = None, method: str = "S256", **extra: str) -> str:
    query = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT, "scope": SCOPES,
             "state": "s1", "access_type": "offline", **extra}
    if challenge:
        query.update(code_challenge=challenge, code_challenge_method=method)
    return "https://accounts.google.com/o/oauth2/auth?" + urlencode(query)


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def exchange(twin: Twin, code: str, verifier: str | None, redirect_uri: str = REDIRECT) -> tuple[int, dict]:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    if verifier is not None:
        form["code_verifier"] = verifier
    return call(twin, "POST", "/token", form=form)


def connect(twin: Twin, email: str = EMAIL, scopes: tuple[str, ...] | None = None) -> dict:
    verifier = "v" * 50
    status, tokens = exchange(twin, twin.authorize(consent(s256(verifier)), email=email, scopes=scopes), verifier)
    assert status == 200, tokens
    return tokens


def event(start: str, end: str, **extra) -> dict:
    return {"summary": "Dentist", "start": {"dateTime": start}, "end": {"dateTime": end}, **extra}


# OAuth.

def test_a_code_is_exchanged_once_with_the_verifier_whose_s256_the_consent_carried(twin):
    verifier = "a-verifier-of-forty-three-characters-at-least-1234"
    code = twin.authorize(consent(s256(verifier)), email=EMAIL)

    status, wrong = exchange(twin, code, "another-verifier-of-forty-three-characters-at-least")
    assert (status, wrong["error"]) == (400, "invalid_grant")
    # The failed attempt spent the code, as Google does.
    assert exchange(twin, code, verifier)[1]["error"] == "invalid_grant"

    code = twin.authorize(consent(s256(verifier)), email=EMAIL)
    status, tokens = exchange(twin, code, verifier)
    assert status == 200
    assert tokens["scope"].split() == SCOPES.split() and tokens["refresh_token"] and tokens["expires_in"] > 3000
    claims = json.loads(base64.urlsafe_b64decode(tokens["id_token"].split(".")[1] + "=="))
    assert (claims["email"], claims["aud"]) == (EMAIL, CLIENT_ID)
    status, reused = exchange(twin, code, verifier)
    assert (status, reused["error"]) == (400, "invalid_grant")


def test_a_code_with_a_challenge_needs_a_verifier_and_the_redirect_uri_it_was_given_for(twin):
    code = twin.authorize(consent(s256("x" * 43)))
    assert exchange(twin, code, None)[1] == {"error": "invalid_grant", "error_description": "Missing code verifier."}
    code = twin.authorize(consent(s256("x" * 43)))
    assert exchange(twin, code, "x" * 43, redirect_uri="https://evil.example/cb")[1]["error"] == "redirect_uri_mismatch"
    assert exchange(twin, "4/never-issued", "x" * 43)[1]["error"] == "invalid_grant"


def test_the_consent_checks_client_and_redirect_and_only_offline_access_gets_a_refresh_token(twin):
    with pytest.raises(ValueError, match="redirect_uri_mismatch"):
        twin.authorize(consent(redirect_uri="https://evil.example/cb"))
    with pytest.raises(ValueError, match="invalid_client"):
        twin.authorize(consent(client_id="someone-else"))
    online = twin.authorize(consent(s256("y" * 43), access_type="online"))
    assert "refresh_token" not in exchange(twin, online, "y" * 43)[1]
    status, refused = call(twin, "POST", "/token", form={"grant_type": "refresh_token", "refresh_token": "x",
                                                         "client_id": CLIENT_ID, "client_secret": "wrong"})
    assert (status, refused["error"]) == (401, "invalid_client")


def test_refresh_works_until_the_grant_is_revoked_then_every_token_is_refused(twin):
    tokens = connect(twin)
    refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
               "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    status, fresh = call(twin, "POST", "/token", form=refresh)
    assert status == 200 and fresh["access_token"] != tokens["access_token"] and "refresh_token" not in fresh
    assert call(twin, "GET", EVENTS, token=fresh["access_token"])[0] == 200

    twin.revoke_grant(EMAIL)

    assert call(twin, "POST", "/token", form=refresh) == (
        400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
    status, body = call(twin, "GET", EVENTS, token=fresh["access_token"])
    assert status == 401 and body["error"]["errors"][0]["reason"] == "authError"


def test_revoke_ends_the_grant_once_and_then_answers_invalid_token(twin):
    tokens = connect(twin)
    assert call(twin, "POST", "/revoke", form={"token": tokens["access_token"]}) == (200, {})
    assert call(twin, "POST", "/revoke", form={"token": tokens["refresh_token"]})[1]["error"] == "invalid_token"
    assert call(twin, "GET", EVENTS, token=tokens["access_token"])[0] == 401


def test_a_grant_without_the_calendar_scope_gets_403_insufficient_permissions(twin):
    tokens = connect(twin, scopes=("openid", "https://www.googleapis.com/auth/userinfo.email"))
    status, body = call(twin, "GET", EVENTS, token=tokens["access_token"])
    assert status == 403 and body["error"]["errors"][0]["reason"] == "insufficientPermissions"
    assert body["error"]["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"


# Events.

def test_a_client_chosen_id_must_be_base32hex_and_stays_taken_once_deleted(twin):
    token = connect(twin)["access_token"]
    body = event("2026-05-04T09:00:00Z", "2026-05-04T10:00:00Z")
    for bad in ("abc", "UPPERCASE123", "has-dash-12", "w" * 10):
        status, answer = call(twin, "POST", EVENTS, {**body, "id": bad}, token=token)
        assert (status, answer["error"]["errors"][0]["reason"]) == (400, "invalid"), bad

    assert call(twin, "POST", EVENTS, {**body, "id": "0123456789abcdefuv"}, token=token)[0] == 200
    assert call(twin, "DELETE", f"{EVENTS}/0123456789abcdefuv", token=token)[0] == 204
    status, answer = call(twin, "POST", EVENTS, {**body, "id": "0123456789abcdefuv"}, token=token)
    assert (status, answer["error"]["errors"][0]["reason"]) == (409, "duplicate")
    # Deleted events are still there for get, cancelled; a second delete or a patch is 410.
    assert call(twin, "GET", f"{EVENTS}/0123456789abcdefuv", token=token)[1]["status"] == "cancelled"
    assert call(twin, "DELETE", f"{EVENTS}/0123456789abcdefuv", token=token)[0] == 410
    assert call(twin, "PATCH", f"{EVENTS}/0123456789abcdefuv", {"summary": "x"}, token=token)[0] == 410
    assert call(twin, "DELETE", f"{EVENTS}/neverexisted", token=token)[0] == 404


def test_patch_merges_objects_and_the_calendar_is_the_callers_own(twin):
    token = connect(twin)["access_token"]
    private = {"extendedProperties": {"private": {"bookingApp": "1", "appointmentId": "a1"}}}
    created = call(twin, "POST", EVENTS, {**event("2026-05-04T09:00:00Z", "2026-05-04T10:00:00Z"), **private},
                   token=token)[1]
    status, patched = call(twin, "PATCH", f"{EVENTS}/{created['id']}",
                           {"start": {"dateTime": "2026-05-04T11:00:00Z"}, "end": {"dateTime": "2026-05-04T12:00:00Z"},
                            "extendedProperties": {"private": {"businessId": "b1"}}}, token=token)
    assert status == 200 and patched["sequence"] == 1 and patched["summary"] == "Dentist"
    assert patched["extendedProperties"]["private"] == {"bookingApp": "1", "appointmentId": "a1", "businessId": "b1"}
    assert call(twin, "GET", f"/calendar/v3/calendars/{EMAIL}/events/{created['id']}", token=token)[0] == 200
    assert call(twin, "GET", f"/calendar/v3/calendars/other@gmail.test/events/{created['id']}", token=token)[0] == 404
    backwards = event("2026-05-04T12:00:00Z", "2026-05-04T11:00:00Z")
    assert call(twin, "POST", EVENTS, backwards, token=token)[1]["error"]["errors"][0]["reason"] == "timeRangeEmpty"


def test_a_weekly_series_keeps_its_berlin_wall_clock_time_across_the_dst_change(twin):
    token = connect(twin)["access_token"]
    twin.add_event(EMAIL, {"id": "series1", "summary": "Yoga", "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=3"],
                           "start": {"dateTime": "2026-03-19T10:00:00+01:00", "timeZone": "Europe/Berlin"},
                           "end": {"dateTime": "2026-03-19T11:30:00+01:00", "timeZone": "Europe/Berlin"}})

    status, listed = call(twin, "GET", f"{EVENTS}?singleEvents=true&timeMin=2026-03-01T00:00:00Z"
                                       f"&timeMax=2026-05-01T00:00:00Z", token=token)

    assert status == 200
    instances = [(i["id"], i["start"]["dateTime"], i["end"]["dateTime"], i["recurringEventId"])
                 for i in listed["items"]]
    assert instances == [
        ("series1_20260319T090000Z", "2026-03-19T10:00:00+01:00", "2026-03-19T11:30:00+01:00", "series1"),
        ("series1_20260326T090000Z", "2026-03-26T10:00:00+01:00", "2026-03-26T11:30:00+01:00", "series1"),
        # Summer time from 29 March: still 10:00 in Berlin, an hour earlier in UTC.
        ("series1_20260402T080000Z", "2026-04-02T10:00:00+02:00", "2026-04-02T11:30:00+02:00", "series1")]
    assert all("recurrence" not in i for i in listed["items"])
    unexpanded = call(twin, "GET", EVENTS, token=token)[1]["items"]
    assert [(i["id"], i["recurrence"]) for i in unexpanded] == [("series1", ["RRULE:FREQ=WEEKLY;COUNT=3"])]
    narrow = call(twin, "GET", f"{EVENTS}?singleEvents=true&timeMin=2026-03-25T00:00:00Z"
                               f"&timeMax=2026-03-27T00:00:00Z", token=token)[1]["items"]
    assert [i["id"] for i in narrow] == ["series1_20260326T090000Z"]


def test_an_instance_deleted_in_google_comes_back_cancelled_in_the_incremental_sync(twin):
    token = connect(twin)["access_token"]
    twin.add_event(EMAIL, {"id": "series2", "recurrence": ["RRULE:FREQ=DAILY;COUNT=3"],
                           "start": {"dateTime": "2026-06-01T08:00:00+02:00", "timeZone": "Europe/Berlin"},
                           "end": {"dateTime": "2026-06-01T09:00:00+02:00", "timeZone": "Europe/Berlin"}})
    full = call(twin, "GET", f"{EVENTS}?singleEvents=true&showDeleted=true&timeMin=2026-06-01T00:00:00Z"
                             f"&timeMax=2026-07-01T00:00:00Z", token=token)[1]
    assert len(full["items"]) == 3

    twin.delete_event(EMAIL, "series2_20260602T060000Z")
    changes = call(twin, "GET", f"{EVENTS}?singleEvents=true&syncToken={full['nextSyncToken']}", token=token)[1]

    assert changes["items"] == [{"kind": "calendar#event", "etag": changes["items"][0]["etag"],
                                 "id": "series2_20260602T060000Z", "status": "cancelled",
                                 "recurringEventId": "series2",
                                 "originalStartTime": {"dateTime": "2026-06-02T08:00:00+02:00",
                                                       "timeZone": "Europe/Berlin"}}]
    again = call(twin, "GET", f"{EVENTS}?singleEvents=true&showDeleted=true&timeMin=2026-06-01T00:00:00Z"
                              f"&timeMax=2026-07-01T00:00:00Z", token=token)[1]["items"]
    assert [(i["id"], i["status"]) for i in again] == [("series2_20260601T060000Z", "confirmed"),
                                                      ("series2_20260603T060000Z", "confirmed"),
                                                      ("series2_20260602T060000Z", "cancelled")]


def test_a_sync_token_answers_only_the_changes_and_a_dropped_one_answers_410(twin):
    token = connect(twin)["access_token"]
    kept = twin.add_event(EMAIL, event("2026-05-04T09:00:00Z", "2026-05-04T10:00:00Z"))
    gone = twin.add_event(EMAIL, event("2026-05-05T09:00:00Z", "2026-05-05T10:00:00Z"))
    first = call(twin, "GET", f"{EVENTS}?singleEvents=true", token=token)[1]
    assert {i["id"] for i in first["items"]} == {kept["id"], gone["id"]} and "nextPageToken" not in first

    assert call(twin, "GET", f"{EVENTS}?syncToken={first['nextSyncToken']}", token=token)[1]["items"] == []
    twin.delete_event(EMAIL, gone["id"])
    added = twin.add_event(EMAIL, event("2026-05-06T09:00:00Z", "2026-05-06T10:00:00Z"))
    changes = call(twin, "GET", f"{EVENTS}?syncToken={first['nextSyncToken']}", token=token)[1]
    assert [(i["id"], i["status"]) for i in changes["items"]] == [(gone["id"], "cancelled"), (added["id"], "confirmed")]
    assert set(changes["items"][0]) == {"kind", "etag", "id", "status"}  # all Google promises of a deleted one
    assert call(twin, "GET", f"{EVENTS}?syncToken={first['nextSyncToken']}&timeMin=2026-01-01T00:00:00Z",
                token=token)[0] == 400

    twin.invalidate_sync_tokens(EMAIL)
    status, body = call(twin, "GET", f"{EVENTS}?syncToken={changes['nextSyncToken']}", token=token)
    assert (status, body["error"]["errors"][0]["reason"]) == (410, "fullSyncRequired")


def test_a_list_pages_at_max_results_and_gives_the_sync_token_on_the_last_page(twin):
    token = connect(twin)["access_token"]
    for day in range(1, 6):
        twin.add_event(EMAIL, event(f"2026-05-0{day}T09:00:00Z", f"2026-05-0{day}T10:00:00Z"))
    seen, query, pages = [], f"{EVENTS}?singleEvents=true&maxResults=2", 0
    while True:
        page = call(twin, "GET", query, token=token)[1]
        pages += 1
        seen += [i["start"]["dateTime"] for i in page["items"]]
        if "nextPageToken" not in page:
            break
        assert "nextSyncToken" not in page
        query = f"{EVENTS}?singleEvents=true&maxResults=2&pageToken={page['nextPageToken']}"
    assert pages == 3 and len(seen) == 5 == len(set(seen)) and page["nextSyncToken"]
    assert call(twin, "GET", f"{EVENTS}?pageToken=made-up", token=token)[0] == 400


def test_injected_failures_answer_in_googles_shape_then_stop(twin):
    token = connect(twin)["access_token"]
    twin.fail_next(2, 403, "rateLimitExceeded")
    twin.fail_next(1, TIMEOUT)
    status, body = call(twin, "GET", EVENTS, token=token)
    assert status == 403 and body["error"]["errors"][0]["reason"] == "rateLimitExceeded"
    assert call(twin, "GET", EVENTS, token=token)[0] == 403
    with pytest.raises(TimeoutError):
        call(twin, "GET", EVENTS, token=token)
    assert call(twin, "GET", EVENTS, token=token)[0] == 200
    assert twin.calls[-4:] == [("GET", EVENTS)] * 4


# Push channels.

def test_a_watch_channel_is_told_sync_then_each_change_with_its_token_until_stopped(twin):
    token = connect(twin)["access_token"]
    status, channel = call(twin, "POST", f"{EVENTS}/watch", {
        "id": "chan-1", "type": "web_hook", "address": "https://api.example/calendar/google/notifications",
        "token": "secret-token", "params": {"ttl": "3600"}}, token=token)
    assert status == 200 and channel["resourceId"] and int(channel["expiration"]) > 0
    assert twin.channels["chan-1"]["token"] == "secret-token"

    twin.add_event(EMAIL, event("2026-05-04T09:00:00Z", "2026-05-04T10:00:00Z"))
    twin.add_event("someone-else@gmail.test", event("2026-05-04T09:00:00Z", "2026-05-04T10:00:00Z"))

    assert [(p["address"], p["headers"]["X-Goog-Resource-State"], p["headers"]["X-Goog-Message-Number"],
             p["headers"]["X-Goog-Channel-Token"], p["headers"]["X-Goog-Resource-ID"]) for p in twin.pushes] == [
        ("https://api.example/calendar/google/notifications", "sync", "1", "secret-token", channel["resourceId"]),
        ("https://api.example/calendar/google/notifications", "exists", "2", "secret-token", channel["resourceId"])]
    assert call(twin, "POST", f"{EVENTS}/watch", {"id": "chan-1", "type": "web_hook",
                                                  "address": "https://api.example/n"}, token=token)[0] == 400
    assert call(twin, "POST", f"{EVENTS}/watch", {"id": "chan-2", "type": "web_hook",
                                                  "address": "http://api.example/n"}, token=token)[0] == 400

    assert call(twin, "POST", "/calendar/v3/channels/stop", {"id": "chan-1", "resourceId": "other"},
                token=token)[0] == 404
    assert call(twin, "POST", "/calendar/v3/channels/stop", {"id": "chan-1", "resourceId": channel["resourceId"]},
                token=token)[0] == 204
    twin.add_event(EMAIL, event("2026-05-05T09:00:00Z", "2026-05-05T10:00:00Z"))
    assert len(twin.pushes) == 2 and twin.channels == {}


# The twin's HTTP server (make run): our client's api backend against it, end to end.

@pytest.fixture
def served(configure):
    server = make_server(Twin.from_settings(), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    configure(GOOGLE_BACKEND="api", GOOGLE_ACCOUNTS_BASE=base, GOOGLE_OAUTH2_BASE=base, GOOGLE_API_BASE=base)
    yield base, server.twin
    server.shutdown()
    server.server_close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_form(url: str, form: dict) -> tuple[int, dict[str, str]]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=urlencode(form).encode(), method="POST"), timeout=5) as r:
            return r.status, dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers)


def test_the_server_consents_exchanges_serves_the_calendar_and_pushes_changes(served):
    base, twin = served
    pushed: list[dict[str, str]] = []
    arrived = threading.Semaphore(0)

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            pushed.append({k.lower(): v for k, v in self.headers.items()})
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            arrived.release()

        def log_message(self, *args) -> None:
            """Quiet: the test reads what arrived, not the server's log."""

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        verifier = google.new_code_verifier()
        url = google.consent_url(state="state-9", code_verifier=verifier)
        with urllib.request.urlopen(url, timeout=5) as page:
            assert page.status == 200 and b"Allow" in page.read()
        consent = url[len(base):]
        status, headers = _post_form(f"{base}/o/oauth2/auth/decide", {"consent": consent, "email": EMAIL,
                                                                      "decision": "deny"})
        assert status == 303 and parse_qs(urlsplit(headers["Location"]).query) == {
            "error": ["access_denied"], "state": ["state-9"]}
        status, headers = _post_form(f"{base}/o/oauth2/auth/decide", {"consent": consent, "email": EMAIL,
                                                                      "decision": "allow"})
        location = urlsplit(headers["Location"])
        assert status == 303 and f"{location.scheme}://{location.netloc}{location.path}" == \
            settings().google_redirect_uri
        code = parse_qs(location.query)

        tokens = google.exchange_code(code=code["code"][0], code_verifier=verifier)
        assert (code["state"], tokens.email) == (["state-9"], EMAIL)

        cal = google.Calendar(refresh_token=tokens.refresh_token, access_token=None, expires_at=None)
        address = f"http://127.0.0.1:{receiver.server_port}/calendar/google/notifications"
        resource_id, _ = cal.watch("primary", channel_id="chan-9", token="tok-9", address=address, ttl_s=600)
        cal.insert_event("primary", event("2026-05-04T09:00:00Z", "2026-05-04T10:00:00Z", id="booking00001"))
        status, _ = _post_form(f"{base}/events/add", {"email": EMAIL, "title": "Lunch", "start": "2026-05-04T12:00",
                                                     "end": "2026-05-04T13:00", "timezone": "Europe/Berlin"})
        assert status == 303
        with urllib.request.urlopen(f"{base}/", timeout=5) as page:
            overview = page.read().decode()
        assert EMAIL in overview and "Lunch" in overview and "2026-05-04T12:00:00+02:00" in overview

        for _ in range(3):
            assert arrived.acquire(timeout=5)
        assert [(p["x-goog-resource-state"], p["x-goog-message-number"], p["x-goog-channel-id"],
                 p["x-goog-channel-token"], p["x-goog-resource-id"]) for p in pushed] == [
            ("sync", "1", "chan-9", "tok-9", resource_id), ("exists", "2", "chan-9", "tok-9", resource_id),
            ("exists", "3", "chan-9", "tok-9", resource_id)]
        assert cal.get_event("primary", "booking00001")["summary"] == "Dentist"
        google.revoke(tokens.refresh_token)
        assert twin.calls[-1] == ("POST", "/revoke")
    finally:
        receiver.shutdown()
        receiver.server_close()
