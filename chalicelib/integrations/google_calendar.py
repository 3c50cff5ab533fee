"""Google: the OAuth web-server flow (consent URL, code exchange, revoke) and one connection's
Calendar v3 events. The only module that imports Google's libraries (googleapiclient, google.auth,
google_auth_oauthlib, httplib2, requests), and only when a call is made, so importing the app stays
cheap.

Backends, chosen by ``GOOGLE_BACKEND``:

- ``api``: the bases of the settings (Google, or the ``make run`` twin server on 127.0.0.1) through
  ``httplib2.Http(timeout=GOOGLE_TIMEOUT_S)`` (Calendar, token refresh, revoke) and ``requests`` with
  the same timeout (google-auth-oauthlib's code exchange);
- ``twin``: the in-process twin of ``google_twin.py`` (tests), never on a deployed stage.

``use_http`` hands a test's own transport (``HttpMockSequence``) to every httplib2 call instead.

The Calendar client is built from the static calendar v3 document (the only one the deployment
package ships, vendor/) with its root at ``GOOGLE_API_BASE``. Each call is retried at most
``MAX_RETRIES`` times, by googleapiclient, for a 429, a 403 rate limit, a 5xx or a transport failure,
with its randomised exponential back-off (``sleep`` is the hook tests set to nothing). Then Google's
answer becomes ours: ``GoogleUnavailable`` (try later), ``GoogleRateLimited`` (back off),
``GoogleAuthLost`` (the person must connect again), ``GoogleSyncTokenGone`` (list in full),
``GoogleConflict`` (the event id is taken), ``GoogleRejected`` (our request is wrong: retrying will
not help). Tokens, codes and bodies are never logged: a failure line names the operation, the HTTP
status and Google's reason.

The OAuth client comes from the ``GOOGLE_SECRET_ARN`` secret ``{"client_id", "client_secret", ...}``
(through the TTL cache of ``secrets.py``) or, outside prod and with no secret named, from
``GOOGLE_CLIENT_ID`` and ``GOOGLE_CLIENT_SECRET``.
"""
from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import secrets as _random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Literal
from urllib.parse import urlencode, urlsplit

from chalicelib.core import log
from chalicelib.core.errors import AppError, ServiceUnavailable
from chalicelib.core.settings import settings
from chalicelib.integrations import secrets

SCOPES: tuple[str, ...] = ("openid", "https://www.googleapis.com/auth/userinfo.email",
                           "https://www.googleapis.com/auth/calendar.events")
CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar.events"
# Also grants events access: a person who once granted the whole calendar to our client still can.
_WIDER_CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar"
# Retries per Calendar call after the first attempt: with the 5 s timeout and googleapiclient's
# back-off (random up to 2 s, then up to 4 s) a failing call gives up within about 21 s.
MAX_RETRIES = 2
# Google's largest page is 2500; 250 keeps one answer small and is Google's own default.
MAX_RESULTS = 250
_RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded"})
_SCOPE_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"})

# The back-off between retries: googleapiclient's own sleep, replaced by a test with a no-op.
sleep: Callable[[float], None] = time.sleep


class GoogleUnavailable(ServiceUnavailable):
    """A timeout, a 5xx or a transport failure: try again later."""
    code = "google_unavailable"
    message = "Google Calendar cannot be reached; try again shortly."


class GoogleRateLimited(GoogleUnavailable):
    """Google's quota answer (429, 403 rateLimitExceeded) outlasted the retries: back off."""
    code = "google_rate_limited"
    message = "Google Calendar asks us to slow down; try again later."

    def __init__(self, retry_after_s: float | None = None) -> None:
        super().__init__(headers={"Retry-After": str(max(1, round(retry_after_s)))} if retry_after_s else None)
        self.retry_after_s = retry_after_s


class GoogleAuthLost(AppError):
    """The grant is gone (revoked, expired: ``invalid_grant``) or no longer covers the calendar
    (``scope``): only the person connecting again helps."""
    status, code = 409, "calendar_reconnect_needed"
    message = "Google Calendar access was revoked or has expired; connect the calendar again."

    def __init__(self, reason: Literal["invalid_grant", "scope"]) -> None:
        super().__init__()
        self.reason = reason


class GoogleSyncTokenGone(Exception):
    """Google no longer knows the sync token (410): list the window in full."""


class GoogleRejected(AppError):
    """Google refused the request and would again: a bug or a configuration error of ours."""
    code = "google_rejected"


class GoogleConflict(AppError):
    """The event id is taken in that calendar, possibly by a deleted event."""
    status, code = 409, "google_conflict"
    message = "Google Calendar already holds an event with this id."


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str | None  # None when Google sent none (a refresh)
    expires_at: datetime  # aware UTC
    scopes: tuple[str, ...]
    email: str | None  # from the ID token of a code exchange, else None


@dataclass(frozen=True)
class EventPage:
    items: list[dict[str, Any]]
    next_page_token: str | None
    next_sync_token: str | None


# Configuration and transport.

def _client() -> tuple[str, str]:
    """The OAuth client id and secret: from the stage's secret, or (outside prod) the plain settings."""
    s = settings()
    if s.google_secret_arn:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            secret = secrets.json_secret(s.google_secret_arn)
        except (BotoCoreError, ClientError) as e:
            raise GoogleUnavailable("Google's client credentials cannot be read.") from e
        client_id, client_secret = secret.get("client_id"), secret.get("client_secret")
    elif s.stage == "prod":
        raise RuntimeError("prod reads the Google OAuth client from GOOGLE_SECRET_ARN")
    else:
        client_id, client_secret = s.google_client_id, s.google_client_secret
    if not client_id or not client_secret:
        raise GoogleUnavailable("No Google OAuth client is configured.")
    return client_id, client_secret


def _twin() -> Any | None:
    """The in-process twin when ``GOOGLE_BACKEND=twin``, else None (``api``)."""
    s = settings()
    if s.google_backend == "api":
        return None
    if s.google_backend == "twin":
        if not s.is_local:
            raise RuntimeError("GOOGLE_BACKEND=twin is the offline twin; a deployed stage uses api")
        from chalicelib.integrations import google_twin

        return google_twin.current()
    raise RuntimeError(f"unknown GOOGLE_BACKEND {s.google_backend!r}")


_test_http: Any | None = None


@contextmanager
def use_http(http: Any) -> Iterator[Any]:
    """Within the block every httplib2 call (Calendar, token refresh, revoke) goes to ``http``, a
    test's transport such as googleapiclient's ``HttpMockSequence``."""
    global _test_http
    before, _test_http = _test_http, http
    try:
        yield http
    finally:
        _test_http = before


def _http() -> Any:
    if _test_http is not None:
        return _test_http
    twin = _twin()
    if twin is not None:
        return twin.http()
    import httplib2

    return httplib2.Http(timeout=settings().google_timeout_s)


def _allow_loopback_http(*urls: str) -> None:
    """oauthlib refuses http:// endpoints; the ``make run`` twin server is http on 127.0.0.1. Allowed
    for that only: a deployed stage's bases are https, for which the switch changes nothing."""
    if all(urlsplit(u).scheme == "http" and urlsplit(u).hostname in ("127.0.0.1", "localhost") for u in urls):
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"


def _utc(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


# OAuth.

def new_code_verifier() -> str:
    """A PKCE code verifier: 86 characters of the unreserved set (RFC 7636 asks for 43-128)."""
    return _random.token_urlsafe(64)


def _flow(code_verifier: str) -> Any:
    """google-auth-oauthlib's web-server Flow for our client, rebuilt per request with the verifier the
    caller stored (Lambda keeps no Flow between the connect and the callback)."""
    from google_auth_oauthlib.flow import Flow

    # requests-oauthlib logs the token request (verifier, code, the client's Basic credentials) and
    # answer (the tokens) at DEBUG: never let those lines out, whatever level the root logger is at.
    for name in ("requests_oauthlib", "oauthlib"):
        logging.getLogger(name).setLevel(logging.WARNING)
    s = settings()
    client_id, client_secret = _client()
    auth_uri, token_uri = f"{s.google_accounts_base}/o/oauth2/auth", f"{s.google_oauth2_base}/token"
    _allow_loopback_http(auth_uri, token_uri)
    config = {"web": {"client_id": client_id, "client_secret": client_secret, "auth_uri": auth_uri,
                      "token_uri": token_uri, "redirect_uris": [s.google_redirect_uri]}}
    flow = Flow.from_client_config(config, scopes=list(SCOPES), redirect_uri=s.google_redirect_uri,
                                   code_verifier=code_verifier, autogenerate_code_verifier=False)
    twin = _twin()
    if twin is not None:
        for prefix in ("http://", "https://"):
            flow.oauth2session.mount(prefix, twin.requests_adapter())
    flow.oauth2session.register_compliance_hook("access_token_response", _token_endpoint_down)
    return flow


def _token_endpoint_down(response: Any) -> Any:
    # oauthlib would read a 5xx page as a malformed token answer; it is Google being down.
    if response.status_code >= 500 or response.status_code == 429:
        raise GoogleUnavailable()
    return response


def consent_url(*, state: str, code_verifier: str) -> str:
    """Google's consent page for our scopes: offline access (a refresh token), consent asked every
    time (so Google sends a refresh token again on a reconnect), PKCE S256, back to our callback."""
    url, _ = _flow(code_verifier).authorization_url(state=state, access_type="offline", prompt="consent",
                                                    include_granted_scopes="true")
    return url


def exchange_code(*, code: str, code_verifier: str) -> Tokens:
    """The tokens for the code Google's redirect carried. A bad, used or expired code (or a wrong
    verifier) is ``GoogleAuthLost("invalid_grant")``; a grant without the calendar permission (the
    person unticked it) is ``GoogleAuthLost("scope")``."""
    import requests
    from google.auth import jwt
    from oauthlib.oauth2 import InvalidGrantError, OAuth2Error

    flow = _flow(code_verifier)
    asked_at = datetime.now(timezone.utc)
    try:
        try:
            token = dict(flow.fetch_token(code=code, timeout=settings().google_timeout_s))
        except Warning as w:
            # oauthlib's "Scope has changed": the person granted fewer (or more) scopes than asked.
            token = dict(getattr(w, "token", None) or {})
    except InvalidGrantError as e:
        log.emit("google.failed", operation="exchange_code", reason="invalid_grant")
        raise GoogleAuthLost("invalid_grant") from e
    except OAuth2Error as e:
        log.emit("google.failed", operation="exchange_code", reason=e.error, http_status=e.status_code)
        raise GoogleRejected(f"Google refused the code exchange: {e.error}") from e
    except requests.RequestException as e:
        log.emit("google.failed", operation="exchange_code", error_type=type(e).__name__)
        raise GoogleUnavailable() from e
    if not token.get("access_token"):
        raise GoogleRejected("Google's token answer carries no access token.")
    email = None
    if token.get("id_token"):
        # Straight from the token endpoint over TLS: its claims need no signature check (OpenID
        # Connect Core 3.1.3.7). Only shown to people, so an unreadable one just names no one.
        try:
            email = jwt.decode(token["id_token"], verify=False).get("email")
        except ValueError:
            log.emit("google.failed", operation="exchange_code", reason="unreadable_id_token")
    tokens = _tokens(token, email=email, asked_at=asked_at)
    if not _covers_calendar(tokens.scopes):
        log.emit("google.failed", operation="exchange_code", reason="scope")
        raise GoogleAuthLost("scope")
    return tokens


def _tokens(token: dict[str, Any], *, email: str | None, asked_at: datetime) -> Tokens:
    scope = token.get("scope") or ()
    scopes = tuple(scope.split() if isinstance(scope, str) else scope)
    # Counted from when we asked, not oauthlib's expires_at (rounded to the second, so up to half a
    # second late): an expiry we store must never be later than Google's.
    expires_at = asked_at + timedelta(seconds=float(token.get("expires_in") or 0))
    return Tokens(access_token=token["access_token"], refresh_token=token.get("refresh_token"),
                  expires_at=expires_at, scopes=scopes, email=email)


def _covers_calendar(scopes: tuple[str, ...]) -> bool:
    return CALENDAR_SCOPE in scopes or _WIDER_CALENDAR_SCOPE in scopes


def revoke(token: str) -> None:
    """Revoke the grant at Google (a refresh or an access token revokes all of it). A token Google no
    longer knows (400 invalid_token) counts as revoked."""
    import httplib2

    try:
        response, content = _http().request(
            f"{settings().google_oauth2_base}/revoke", "POST", body=urlencode({"token": token}),
            headers={"content-type": "application/x-www-form-urlencoded"})
    except (OSError, httplib2.HttpLib2Error) as e:
        log.emit("google.failed", operation="revoke", error_type=type(e).__name__)
        raise GoogleUnavailable() from e
    if response.status == 200:
        return
    try:
        error = json.loads(content or b"{}").get("error")
    except (ValueError, AttributeError):
        error = None
    if response.status == 400 and error == "invalid_token":
        return
    log.emit("google.failed", operation="revoke", http_status=response.status, reason=error)
    if response.status >= 500 or response.status == 429:
        raise GoogleUnavailable()
    raise GoogleRejected(f"Google refused the revoke: {response.status}")


# The Calendar API.

@functools.cache
def _calendar_document() -> str:
    """Calendar v3's discovery document, from the client's static copy (read once per container)."""
    from googleapiclient.discovery_cache import get_static_doc

    document = get_static_doc("calendar", "v3")
    if document is None:
        raise RuntimeError("googleapiclient ships no calendar v3 document")
    return document


@functools.cache
def _counting_http_class() -> type:
    """google_auth_httplib2's AuthorizedHttp counting the requests it sends (each attempt, each
    retry after a 401), built on first use so the import stays lazy."""
    from google_auth_httplib2 import AuthorizedHttp

    class CountingHttp(AuthorizedHttp):
        def __init__(self, credentials: Any, http: Any, on_request: Callable[[], None]) -> None:
            super().__init__(credentials, http=http)
            self._on_request = on_request

        def request(self, *args: Any, **kwargs: Any) -> Any:
            self._on_request()
            return super().request(*args, **kwargs)

    return CountingHttp


class _Missing(Exception):
    """404 or 410: what each method makes of it differs."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _reasons(content: bytes | str | None) -> set[str]:
    """Google's error reasons: ``error.errors[].reason`` and ``error.details[].reason`` (ErrorInfo)."""
    try:
        error = json.loads(content or b"{}").get("error")
    except (ValueError, AttributeError):
        return set()
    if not isinstance(error, dict):
        return set()
    found = {e.get("reason") for key in ("errors", "details") for e in error.get(key) or () if isinstance(e, dict)}
    return {r for r in found if isinstance(r, str)}


def _retry_after(response: Any) -> float | None:
    try:
        return float(response.get("retry-after"))
    except (TypeError, ValueError):
        return None


class Calendar:
    """One connection's authorized Calendar API. Refreshes the access token when it has expired (or
    Google answers 401); ``refreshed`` then holds the new one for the caller to store."""

    def __init__(self, *, refresh_token: str, access_token: str | None, expires_at: datetime | None) -> None:
        self.refreshed: Tokens | None = None
        self.calls = 0
        self._refresh_token = refresh_token
        self._access_token = access_token
        self._expires_at = expires_at
        self._credentials: Any = None
        self._service: Any = None

    def _count(self) -> None:
        self.calls += 1

    def _events(self) -> Any:
        return self._api().events()

    def _api(self) -> Any:
        if self._service is None:
            from google.oauth2.credentials import Credentials
            from googleapiclient.discovery import build_from_document

            s = settings()
            client_id, client_secret = _client()
            expiry = self._expires_at.astimezone(timezone.utc).replace(tzinfo=None) if self._expires_at else None
            self._credentials = Credentials(token=self._access_token, refresh_token=self._refresh_token,
                                            token_uri=f"{s.google_oauth2_base}/token", client_id=client_id,
                                            client_secret=client_secret, expiry=expiry)
            http = _counting_http_class()(self._credentials, _http(), self._count)
            self._service = build_from_document(_calendar_document(), http=http,
                                                client_options={"api_endpoint": f"{s.google_api_base}/calendar/v3/"})
        return self._service

    def _execute(self, request: Any, operation: str) -> Any:
        """Run one request with bounded retries, Google's failures as ours (404/410 as ``_Missing``)."""
        import httplib2
        from google.auth.exceptions import RefreshError, TransportError
        from googleapiclient.errors import HttpError

        request._sleep = lambda seconds: sleep(seconds)  # the module's hook, looked up at each retry
        try:
            return request.execute(num_retries=MAX_RETRIES)
        except HttpError as e:
            status, reasons = e.resp.status, _reasons(e.content)
            if status in (404, 410):
                raise _Missing(status) from e
            log.emit("google.failed", operation=operation, http_status=status, reason=",".join(sorted(reasons)))
            if status == 401:
                raise GoogleAuthLost("invalid_grant") from e
            if status == 403 and reasons & _SCOPE_REASONS:
                raise GoogleAuthLost("scope") from e
            if status == 429 or (status == 403 and reasons & _RATE_REASONS):
                raise GoogleRateLimited(_retry_after(e.resp)) from e
            if status == 409:
                raise GoogleConflict() from e
            if status >= 500:
                raise GoogleUnavailable() from e
            raise GoogleRejected(f"Google refused {operation}: {status} {','.join(sorted(reasons))}") from e
        except RefreshError as e:
            data = e.args[1] if len(e.args) > 1 and isinstance(e.args[1], dict) else {}
            log.emit("google.failed", operation=f"{operation}.refresh", reason=data.get("error"),
                     retryable=e.retryable)
            if data.get("error") == "invalid_grant":
                raise GoogleAuthLost("invalid_grant") from e
            if data.get("error") == "invalid_scope":
                raise GoogleAuthLost("scope") from e
            if e.retryable:
                raise GoogleUnavailable() from e
            raise GoogleRejected(f"Google refused the token refresh of {operation}") from e
        except (TransportError, OSError, httplib2.HttpLib2Error) as e:
            log.emit("google.failed", operation=operation, error_type=type(e).__name__)
            raise GoogleUnavailable() from e
        finally:
            self._note_refresh()

    def _note_refresh(self) -> None:
        creds = self._credentials
        if creds is None or not creds.token or creds.token == self._access_token:
            return
        self._access_token = creds.token
        expires_at = (creds.expiry.replace(tzinfo=timezone.utc) if creds.expiry
                      else datetime.now(timezone.utc) + timedelta(hours=1))
        new_refresh = creds.refresh_token if creds.refresh_token != self._refresh_token else None
        # A refresh answer that names no scopes leaves the grant's as they were (those we asked for).
        self.refreshed = Tokens(access_token=creds.token, refresh_token=new_refresh, expires_at=expires_at,
                                scopes=tuple(creds.granted_scopes or SCOPES), email=None)

    def list_events(self, calendar_id: str, *, sync_token: str | None = None, time_min: datetime | None = None,
                    time_max: datetime | None = None, page_token: str | None = None) -> EventPage:
        """One page of events, instances of series expanded, cancelled ones included (an incremental
        sync must see deletions). With ``sync_token``: what changed since (Google refuses a window
        with it); a 410 is ``GoogleSyncTokenGone``."""
        params: dict[str, Any] = {"calendarId": calendar_id, "singleEvents": True, "showDeleted": True,
                                  "maxResults": MAX_RESULTS}
        if sync_token:
            params["syncToken"] = sync_token
        else:
            if time_min is not None:
                params["timeMin"] = _utc(time_min)
            if time_max is not None:
                params["timeMax"] = _utc(time_max)
        if page_token:
            params["pageToken"] = page_token
        try:
            answer = self._execute(self._events().list(**params), "list_events")
        except _Missing as e:
            if e.status == 410:
                raise GoogleSyncTokenGone() from e
            raise GoogleRejected(f"Google has no calendar {calendar_id!r} for this account") from e
        return EventPage(items=list(answer.get("items") or []), next_page_token=answer.get("nextPageToken"),
                         next_sync_token=answer.get("nextSyncToken"))

    def get_event(self, calendar_id: str, event_id: str) -> dict[str, Any] | None:
        """The event (a deleted one too, with status "cancelled", while Google keeps it); None when gone."""
        try:
            return self._execute(self._events().get(calendarId=calendar_id, eventId=event_id), "get_event")
        except _Missing:
            return None

    def insert_event(self, calendar_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Insert an event carrying our own id; ``GoogleConflict`` when the id is taken (even deleted)."""
        try:
            return self._execute(self._events().insert(calendarId=calendar_id, body=body), "insert_event")
        except _Missing as e:
            raise GoogleRejected(f"Google has no calendar {calendar_id!r} for this account") from e

    def patch_event(self, calendar_id: str, event_id: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """Patch an event; None when it is gone (404) or deleted (410)."""
        try:
            return self._execute(self._events().patch(calendarId=calendar_id, eventId=event_id, body=body),
                                 "patch_event")
        except _Missing:
            return None

    def delete_event(self, calendar_id: str, event_id: str) -> bool:
        """Delete an event; False when it was gone already (404, 410)."""
        try:
            self._execute(self._events().delete(calendarId=calendar_id, eventId=event_id), "delete_event")
        except _Missing:
            return False
        return True

    def watch(self, calendar_id: str, *, channel_id: str, token: str, address: str,
              ttl_s: int) -> tuple[str, datetime]:
        """Open a push channel on the calendar's events: (its resource id, when it expires)."""
        body = {"id": channel_id, "type": "web_hook", "address": address, "token": token,
                "params": {"ttl": str(ttl_s)}}
        try:
            answer = self._execute(self._events().watch(calendarId=calendar_id, body=body), "watch")
        except _Missing as e:
            raise GoogleRejected(f"Google has no calendar {calendar_id!r} for this account") from e
        expiration = answer.get("expiration")
        expires_at = (datetime.fromtimestamp(int(expiration) / 1000, timezone.utc) if expiration
                      else datetime.now(timezone.utc) + timedelta(seconds=ttl_s))
        return answer["resourceId"], expires_at

    def stop_channel(self, *, channel_id: str, resource_id: str) -> None:
        """Stop a push channel; one Google no longer knows (404) is stopped already."""
        with contextlib.suppress(_Missing):
            self._execute(self._api().channels().stop(body={"id": channel_id, "resourceId": resource_id}),
                          "stop_channel")
