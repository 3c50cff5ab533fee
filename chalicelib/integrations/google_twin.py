"""Google's offline twin: the tests' and ``make run``'s OAuth server and Calendar v3, from memory.

What it answers, on any host (the bases are ignored, only the paths count):

- ``POST /token``: the authorization_code grant, checking the client, the redirect URI and the PKCE
  verifier (S256 or plain) of a code the twin issued once; the refresh_token grant. A used, unknown or
  expired code, or a revoked grant, is Google's 400 ``invalid_grant``. An offline consent gets a
  refresh token, and the code exchange carries an ID token naming the account's e-mail.
- ``POST /revoke``: revokes the whole grant of an access or refresh token.
- Calendar v3 ``events`` list / get / insert / patch / update / delete / watch and ``channels/stop``.
  ``primary`` is the calendar of the account whose access token calls. Lists expand recurring events
  for ``singleEvents=true`` (dateutil, in the event's own zone, so a weekly 10:00 stays 10:00 across a
  DST change), page at ``maxResults`` and end with a ``nextSyncToken``; a list with that token answers
  what changed since, deleted events as ``status: cancelled`` with only their ids (all Google promises).
  A client-chosen id must be base32hex of 5-1024 characters and is refused with 409 while the calendar
  holds it, even deleted. Errors come in Google's shape ``{"error": {"code", "message", "errors":
  [{"reason"}], "status"}}``, so the client's error mapping is exercised as it will be in production.

Knobs for tests (what a person or Google does meanwhile): ``authorize``, ``add_event``,
``update_event``, ``delete_event``, ``events``, ``revoke_grant``, ``expire_access_tokens``,
``fail_next``, ``invalidate_sync_tokens``, ``push_headers``; and what was asked: ``calls``,
``channels``, ``pushes``.

``Twin.http()`` is an httplib2-compatible transport (googleapiclient and google-auth),
``Twin.requests_adapter()`` a requests one (google-auth-oauthlib's code exchange). ``reset()`` makes a
fresh twin the active one (the ``google_twin`` fixture); ``google_twin_server.py`` serves it over HTTP.
"""
from __future__ import annotations

import base64
import copy
import functools
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from http import HTTPStatus
from typing import Any, Callable, Mapping
from urllib.parse import parse_qsl, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.core.settings import settings
from chalicelib.integrations import twin_instance

CALENDAR_SCOPES = frozenset({"https://www.googleapis.com/auth/calendar.events",
                             "https://www.googleapis.com/auth/calendar"})
ACCESS_TOKEN_LIFETIME_S = 3599
CODE_LIFETIME_S = 600
# ``fail_next`` status meaning: the connection times out instead of answering.
TIMEOUT = 0
_DEFAULT_CHANNEL_TTL_S = 7 * 24 * 3600
_MAX_CHANNEL_TTL_S = 30 * 24 * 3600
_DEFAULT_MAX_RESULTS, _MAX_MAX_RESULTS = 250, 2500
# A list without timeMax still expands a never-ending series only this far ahead, at most this often
# (Google also stops somewhere; a twin must not loop for ever).
_HORIZON = timedelta(days=730)
_MAX_INSTANCES = 1000
_PUSHES_KEPT = 1000
_EVENT_ID = re.compile(r"[a-v0-9]{5,1024}")
_UTC = timezone.utc


# google.rpc.Code names of the statuses the twin answers.
_STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                 409: "ALREADY_EXISTS", 410: "ABORTED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
                 503: "UNAVAILABLE"}


class Answer(Exception):
    """An error answer: HTTP status and Google's JSON body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body


def api_error(status: int, message: str, reason: str, *, details: list[dict[str, Any]] | None = None) -> Answer:
    """Google's JSON API error shape (what googleapiclient's HttpError parses)."""
    error: dict[str, Any] = {"code": status, "message": message,
                             "errors": [{"domain": "global", "reason": reason, "message": message}],
                             "status": _STATUS_NAMES.get(status, "UNKNOWN")}
    if details:
        error["details"] = details
    return Answer(status, {"error": error})


def _oauth_error(status: int, error: str, description: str) -> Answer:
    """The token and revoke endpoints' shape: ``{"error": "invalid_grant", "error_description": ...}``."""
    return Answer(status, {"error": error, "error_description": description})


def _not_found() -> Answer:
    return api_error(404, "Not Found", "notFound")


def _now() -> datetime:
    return datetime.now(_UTC)


def _rfc3339(at: datetime) -> str:
    return at.astimezone(_UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_time(value: str, name: str) -> datetime:
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise api_error(400, f"Bad Request: invalid {name}", "badRequest") from None
    if at.tzinfo is None:
        raise api_error(400, f"Bad Request: {name} needs an offset", "badRequest")
    return at


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise api_error(400, f"Invalid time zone definition: {name}", "invalid") from None


def _bounds(event: dict[str, Any]) -> tuple[datetime, datetime]:
    """An event's start and end as aware datetimes (an all-day event's dates at UTC midnight)."""
    def at(point: dict[str, Any], name: str) -> datetime:
        if "dateTime" in point:
            return _parse_time(point["dateTime"], name)
        if "date" in point:
            return datetime.combine(date.fromisoformat(point["date"]), datetime.min.time(), _UTC)
        raise api_error(400, f"Missing {name} time.", "required")
    return at(event.get("start") or {}, "start"), at(event.get("end") or {}, "end")


def _merge(target: dict[str, Any], changes: Mapping[str, Any]) -> None:
    """Patch semantics: objects merge field by field, anything else (lists too) is replaced, null clears."""
    for key, value in changes.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class _Grant:
    email: str
    scopes: tuple[str, ...]
    revoked: bool = False


@dataclass
class _Code:
    grant: _Grant
    redirect_uri: str
    challenge: str | None
    challenge_method: str
    offline: bool
    expires_at: float
    used: bool = False


@dataclass
class _Calendar:
    email: str
    resource_id: str
    time_zone: str = "UTC"
    events: dict[str, dict[str, Any]] = field(default_factory=dict)  # stored events (and exceptions) by id
    changed: dict[str, int] = field(default_factory=dict)  # event id -> sequence number of its last change
    seq: int = 0
    generation: int = 0  # bumped by invalidate_sync_tokens


@dataclass(frozen=True)
class _SyncState:
    email: str
    seq: int
    generation: int
    window: tuple[datetime | None, datetime | None]


@dataclass
class _Pages:
    email: str
    items: list[dict[str, Any]]
    sync_token: str | None
    max_results: int


@dataclass(frozen=True)
class _Request:
    method: str
    path: str
    query: dict[str, str]
    body: bytes
    headers: dict[str, str]  # lower-case names

    def json(self) -> dict[str, Any]:
        try:
            value = json.loads(self.body or b"{}")
        except ValueError:
            raise api_error(400, "Parse Error", "parseError") from None
        if not isinstance(value, dict):
            raise api_error(400, "Parse Error", "parseError")
        return value

    def form(self) -> dict[str, str]:
        return {**self.query, **dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))}


_EVENTS = re.compile(r"/calendar/v3/calendars/([^/]+)/events(?:/([^/]+))?")


class Twin:
    """One Google project's OAuth client and its users' primary calendars. Thread-safe."""

    def __init__(self, *, client_id: str | None = None, client_secret: str | None = None,
                 redirect_uris: tuple[str, ...] = ()) -> None:
        # None: any client and secret pass; a redirect URI must be one of redirect_uris when given.
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = redirect_uris
        self.calls: list[tuple[str, str]] = []
        self.channels: dict[str, dict[str, Any]] = {}
        self.pushes: deque[dict[str, Any]] = deque(maxlen=_PUSHES_KEPT)
        # Set by the HTTP server: called (outside the lock) with each push to deliver.
        self.on_push: Callable[[dict[str, Any]], None] | None = None
        self._lock = threading.RLock()
        self._codes: dict[str, _Code] = {}
        self._refresh: dict[str, _Grant] = {}
        self._access: dict[str, tuple[_Grant, float]] = {}
        self._calendars: dict[str, _Calendar] = {}
        self._sync_tokens: dict[str, _SyncState] = {}
        self._pages: dict[str, _Pages] = {}
        self._failures: deque[tuple[int, str]] = deque()
        self._messages: dict[str, int] = {}  # channel id -> last message number

    @classmethod
    def from_settings(cls) -> Twin:
        s = settings()
        return cls(client_id=s.google_client_id, client_secret=s.google_client_secret,
                   redirect_uris=(s.google_redirect_uri,))

    # Transports.

    def http(self) -> TwinHttp:
        """An httplib2.Http stand-in answered by this twin."""
        return TwinHttp(self)

    def requests_adapter(self) -> Any:
        """A requests transport adapter answered by this twin (mount it on a session)."""
        return _requests_adapter_class()(self)

    def handle(self, method: str, url: str, body: bytes | str | None,
               headers: Mapping[str, str] | None) -> tuple[int, dict[str, str], bytes]:
        """Answer one HTTP request: (status, headers, body). Raises TimeoutError for an injected timeout."""
        parts = urlsplit(url)
        raw = body.encode() if isinstance(body, str) else (body or b"")
        request = _Request(method.upper(), unquote(parts.path), dict(parse_qsl(parts.query, keep_blank_values=True)),
                           raw, {k.lower(): v for k, v in (headers or {}).items()})
        pushes: list[dict[str, Any]] = []
        with self._lock:
            self.calls.append((request.method, request.path))
            try:
                status, answer = self._route(request, pushes)
            except Answer as e:
                status, answer = e.status, e.body
        self._deliver(pushes)
        if status == 204:
            return 204, {}, b""
        return status, {"content-type": "application/json; charset=UTF-8"}, json.dumps(answer).encode()

    def _route(self, request: _Request, pushes: list[dict[str, Any]]) -> tuple[int, Any]:
        path, method = request.path, request.method
        if method == "POST" and path.endswith("/token"):
            return 200, self._token(request)
        if method == "POST" and path.endswith("/revoke"):
            return 200, self._revoke(request.form().get("token", ""))
        if "/calendar/v3/" not in path:
            raise _not_found()
        if self._failures:
            status, reason = self._failures.popleft()
            if status == TIMEOUT:
                raise TimeoutError("twin: timed out")
            raise api_error(status, f"twin: injected {reason}", reason)
        email = self._caller(request)
        if method == "POST" and path.endswith("/calendar/v3/channels/stop"):
            return self._stop(request.json())
        match = re.search(_EVENTS, path)
        if not match:
            raise _not_found()
        calendar = self._own_calendar(email, match.group(1))
        event_id = match.group(2)
        if event_id == "watch" and method == "POST":
            return 200, self._watch(calendar, request.json(), pushes)
        if event_id is None and method == "GET":
            return 200, self._list(calendar, request.query)
        if event_id is None and method == "POST":
            return 200, self._insert(calendar, request.json(), pushes)
        if event_id is not None and method == "GET":
            return 200, self._get(calendar, event_id)
        if event_id is not None and method in ("PATCH", "PUT"):
            return 200, self._patch(calendar, event_id, request.json(), pushes, replace=method == "PUT")
        if event_id is not None and method == "DELETE":
            self._delete(calendar, event_id, pushes)
            return 204, None
        raise _not_found()

    # OAuth.

    def authorize(self, consent_url: str, *, email: str = "staff@gmail.test",
                  scopes: tuple[str, ...] | None = None) -> str:
        """The person signs in as ``email`` and clicks Allow (granting ``scopes``, by default all that
        were asked): the ``code`` Google's redirect would carry. ValueError for a consent URL Google
        would show an error page for instead."""
        query = dict(parse_qsl(urlsplit(consent_url).query))
        if query.get("response_type") != "code":
            raise ValueError("twin: response_type must be code")
        if self.client_id is not None and query.get("client_id") != self.client_id:
            raise ValueError("twin: invalid_client")
        redirect_uri = query.get("redirect_uri", "")
        if not redirect_uri or (self.redirect_uris and redirect_uri not in self.redirect_uris):
            raise ValueError("twin: redirect_uri_mismatch")
        method = query.get("code_challenge_method", "plain")
        if method not in ("S256", "plain"):
            raise ValueError("twin: invalid code_challenge_method")
        granted = tuple(scopes) if scopes is not None else tuple(query.get("scope", "").split())
        code = "4/twin-" + secrets.token_urlsafe(24)
        with self._lock:
            self._calendar(email)
            self._codes[code] = _Code(_Grant(email, granted), redirect_uri, query.get("code_challenge"), method,
                                      offline=query.get("access_type") == "offline",
                                      expires_at=time.time() + CODE_LIFETIME_S)
        return code

    def revoke_grant(self, email: str) -> None:
        """The person removes our access in their Google account: every token of theirs stops working."""
        with self._lock:
            for grant, _ in self._access.values():
                if grant.email == email:
                    grant.revoked = True
            for grant in self._refresh.values():
                if grant.email == email:
                    grant.revoked = True

    def expire_access_tokens(self, email: str) -> None:
        """Every access token of ``email`` expires now (the next API call answers 401)."""
        with self._lock:
            for token, (grant, _) in list(self._access.items()):
                if grant.email == email:
                    self._access[token] = (grant, 0.0)

    def _client_credentials(self, request: _Request, form: dict[str, str]) -> tuple[str, str]:
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            try:
                client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                raise _oauth_error(401, "invalid_client", "Unauthorized") from None
            return unquote(client_id), unquote(secret)
        return form.get("client_id", ""), form.get("client_secret", "")

    def _token(self, request: _Request) -> dict[str, Any]:
        form = request.form()
        client_id, secret = self._client_credentials(request, form)
        if self.client_id is not None and (client_id != self.client_id or
                                           not hmac.compare_digest(secret, self.client_secret or "")):
            raise _oauth_error(401, "invalid_client", "The OAuth client was not found.")
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            return self._exchange(form, client_id)
        if grant_type == "refresh_token":
            grant = self._refresh.get(form.get("refresh_token", ""))
            if grant is None or grant.revoked:
                raise _oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
            return {"access_token": self._new_access_token(grant), "expires_in": ACCESS_TOKEN_LIFETIME_S,
                    "scope": " ".join(grant.scopes), "token_type": "Bearer"}
        raise _oauth_error(400, "unsupported_grant_type", "Invalid grant_type: " + str(grant_type))

    def _exchange(self, form: dict[str, str], client_id: str) -> dict[str, Any]:
        code = self._codes.get(form.get("code", ""))
        if code is None:
            raise _oauth_error(400, "invalid_grant", "Malformed auth code.")
        if code.used or code.expires_at < time.time():
            raise _oauth_error(400, "invalid_grant", "Bad Request")
        code.used = True  # even a failed exchange spends it, as at Google
        if form.get("redirect_uri") != code.redirect_uri:
            raise _oauth_error(400, "redirect_uri_mismatch", "Bad Request")
        if code.challenge is not None:
            verifier = form.get("code_verifier")
            if not verifier:
                raise _oauth_error(400, "invalid_grant", "Missing code verifier.")
            expected = _b64url(hashlib.sha256(verifier.encode()).digest()) if code.challenge_method == "S256" \
                else verifier
            if not hmac.compare_digest(expected, code.challenge):
                raise _oauth_error(400, "invalid_grant", "Invalid code verifier.")
        grant = code.grant
        answer: dict[str, Any] = {"access_token": self._new_access_token(grant),
                                  "expires_in": ACCESS_TOKEN_LIFETIME_S, "scope": " ".join(grant.scopes),
                                  "token_type": "Bearer"}
        if code.offline:
            refresh_token = "1//twin-" + secrets.token_urlsafe(32)
            self._refresh[refresh_token] = grant
            answer["refresh_token"] = refresh_token
        if "openid" in grant.scopes:
            answer["id_token"] = self._id_token(grant.email, client_id)
        return answer

    def _id_token(self, email: str, audience: str) -> str:
        """An ID token as the token endpoint answers it (signed with HS256 by the client secret here,
        RS256 by Google's keys at Google: the client reads it unverified, straight from the endpoint)."""
        now = int(time.time())
        claims = {"iss": "https://accounts.google.com", "aud": audience, "azp": audience,
                  "sub": str(int(hashlib.sha256(email.encode()).hexdigest()[:15], 16)),
                  "email": email, "email_verified": True, "iat": now, "exp": now + 3600}
        signing_input = (_b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." +
                         _b64url(json.dumps(claims).encode()))
        signature = hmac.new((self.client_secret or "twin").encode(), signing_input.encode(), hashlib.sha256)
        return signing_input + "." + _b64url(signature.digest())

    def _new_access_token(self, grant: _Grant) -> str:
        token = "ya29.twin-" + secrets.token_urlsafe(32)
        self._access[token] = (grant, time.time() + ACCESS_TOKEN_LIFETIME_S)
        return token

    def _revoke(self, token: str) -> dict[str, Any]:
        grant = self._refresh.get(token) or (self._access.get(token) or (None, 0.0))[0]
        if grant is None or grant.revoked:
            raise _oauth_error(400, "invalid_token", "Token expired or revoked")
        grant.revoked = True
        return {}

    def _caller(self, request: _Request) -> str:
        """The e-mail of the account whose valid access token calls, with the calendar scope."""
        auth = request.headers.get("authorization", "")
        entry = self._access.get(auth[7:]) if auth.startswith("Bearer ") else None
        if entry is None or entry[0].revoked or entry[1] <= time.time():
            raise api_error(401, "Request had invalid authentication credentials. Expected OAuth 2 access "
                                 "token, login cookie or other valid authentication credential.", "authError")
        grant = entry[0]
        if not CALENDAR_SCOPES & set(grant.scopes):
            raise api_error(403, "Request had insufficient authentication scopes.", "insufficientPermissions",
                            details=[{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                      "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "domain": "googleapis.com",
                                      "metadata": {"service": "calendar-json.googleapis.com"}}])
        return grant.email

    # Calendars and events.

    def _calendar(self, email: str) -> _Calendar:
        calendar = self._calendars.get(email)
        if calendar is None:
            resource_id = _b64url(hashlib.sha256(("resource:" + email).encode()).digest()[:18])
            calendar = self._calendars[email] = _Calendar(email, resource_id)
        return calendar

    def _own_calendar(self, email: str, calendar_id: str) -> _Calendar:
        # Only the caller's own calendar is shared with them.
        if calendar_id not in ("primary", email):
            raise _not_found()
        return self._calendar(email)

    def _touch(self, calendar: _Calendar, event: dict[str, Any], pushes: list[dict[str, Any]]) -> None:
        """Record a change to ``event`` (stored already): bump its sequence number, notify channels."""
        calendar.seq += 1
        calendar.changed[event["id"]] = calendar.seq
        event["updated"] = _rfc3339(_now())
        event["etag"] = f'"{calendar.seq}"'
        now_ms = int(time.time() * 1000)
        for channel in list(self.channels.values()):
            if channel["resourceId"] != calendar.resource_id:
                continue
            if int(channel["expiration"]) <= now_ms:
                self.channels.pop(channel["id"], None)
                continue
            pushes.append(self._push(channel, "exists"))

    def _push(self, channel: dict[str, Any], state: str) -> dict[str, Any]:
        number = self._messages.get(channel["id"], 0) + 1
        self._messages[channel["id"]] = number
        headers = {"X-Goog-Channel-ID": channel["id"], "X-Goog-Resource-ID": channel["resourceId"],
                   "X-Goog-Resource-URI": channel["resourceUri"], "X-Goog-Resource-State": state,
                   "X-Goog-Message-Number": str(number),
                   "X-Goog-Channel-Expiration": datetime.fromtimestamp(int(channel["expiration"]) / 1000, _UTC)
                   .strftime("%a, %d %b %Y %H:%M:%S GMT")}
        if channel.get("token"):
            headers["X-Goog-Channel-Token"] = channel["token"]
        push = {"address": channel["address"], "headers": headers}
        self.pushes.append(push)
        return push

    def _deliver(self, pushes: list[dict[str, Any]]) -> None:
        if self.on_push is not None:
            for push in pushes:
                self.on_push(push)

    def push_headers(self, channel_id: str, state: str = "exists") -> dict[str, str]:
        """The headers Google's next notification on this channel would carry (its number taken)."""
        with self._lock:
            return dict(self._push(self.channels[channel_id], state)["headers"])

    def _validated(self, calendar: _Calendar, event: dict[str, Any]) -> None:
        start, end = _bounds(event)
        if end < start or (end == start and "date" in event["start"]):
            raise api_error(400, "The specified time range is empty.", "timeRangeEmpty")
        if event.get("recurrence"):
            if not isinstance(event["recurrence"], list) or not all(isinstance(r, str) for r in event["recurrence"]):
                raise api_error(400, "Invalid recurrence rule.", "invalid")
            if "dateTime" in event["start"] and not event["start"].get("timeZone"):
                raise api_error(400, "Missing time zone definition for start time.", "required")
            self._instances(calendar, event, (None, None), limit=1)  # a rule dateutil cannot read: 400
        for point in (event["start"], event["end"]):
            if point.get("timeZone"):
                _zone(point["timeZone"])

    def _insert(self, calendar: _Calendar, body: dict[str, Any], pushes: list[dict[str, Any]]) -> dict[str, Any]:
        event_id = body.get("id") or base64.b32hexencode(secrets.token_bytes(15)).decode().lower()
        if not isinstance(event_id, str) or not _EVENT_ID.fullmatch(event_id):
            raise api_error(400, "Invalid resource id value.", "invalid")
        if event_id in calendar.events:
            raise api_error(409, "The requested identifier already exists.", "duplicate")
        now = _rfc3339(_now())
        event = {"kind": "calendar#event", **copy.deepcopy(body), "id": event_id,
                 "status": body.get("status") if body.get("status") in ("confirmed", "tentative") else "confirmed",
                 "created": now, "htmlLink": f"https://www.google.com/calendar/event?eid={event_id}",
                 "iCalUID": f"{event_id}@google.com", "sequence": 0,
                 "creator": {"email": calendar.email, "self": True},
                 "organizer": {"email": calendar.email, "self": True},
                 "eventType": body.get("eventType", "default")}
        self._validated(calendar, event)
        calendar.events[event_id] = event
        self._touch(calendar, event, pushes)
        return copy.deepcopy(event)

    def _stored_or_exception(self, calendar: _Calendar, event_id: str) -> dict[str, Any] | None:
        """The stored event, or for an instance id of a series a new stored exception (not yet saved)."""
        if event_id in calendar.events:
            return calendar.events[event_id]
        instance = self._instance(calendar, event_id)
        return copy.deepcopy(instance) if instance else None

    def _get(self, calendar: _Calendar, event_id: str) -> dict[str, Any]:
        # A deleted event is still answered, with status "cancelled", as Google does.
        event = self._stored_or_exception(calendar, event_id)
        if event is None:
            raise _not_found()
        return copy.deepcopy(event)

    def _patch(self, calendar: _Calendar, event_id: str, body: dict[str, Any], pushes: list[dict[str, Any]],
               *, replace: bool = False) -> dict[str, Any]:
        event = self._stored_or_exception(calendar, event_id)
        if event is None:
            raise _not_found()
        if event["status"] == "cancelled":
            raise api_error(410, "Resource has been deleted", "deleted")
        if body.get("id", event_id) != event_id:
            raise api_error(400, "Invalid resource id value.", "invalid")
        changed = copy.deepcopy(event)
        if replace:
            kept = {k: changed[k] for k in ("kind", "id", "created", "htmlLink", "iCalUID", "creator",
                                            "organizer", "sequence", "recurringEventId", "originalStartTime")
                    if k in changed}
            changed = {**kept, **copy.deepcopy(body), "status": body.get("status", "confirmed")}
        else:
            _merge(changed, body)
        if changed.get("status") not in ("confirmed", "tentative", "cancelled"):
            raise api_error(400, "Invalid value for status", "invalid")
        self._validated(calendar, changed)
        if (changed.get("start"), changed.get("end")) != (event.get("start"), event.get("end")):
            changed["sequence"] = event.get("sequence", 0) + 1
        calendar.events[event_id] = changed
        self._touch(calendar, changed, pushes)
        return copy.deepcopy(changed)

    def _delete(self, calendar: _Calendar, event_id: str, pushes: list[dict[str, Any]]) -> None:
        event = self._stored_or_exception(calendar, event_id)
        if event is None:
            raise _not_found()
        if event["status"] == "cancelled":
            raise api_error(410, "Resource has been deleted", "deleted")
        event["status"] = "cancelled"
        calendar.events[event_id] = event
        self._touch(calendar, event, pushes)

    # Listing.

    def _list(self, calendar: _Calendar, query: dict[str, str]) -> dict[str, Any]:
        token = query.get("pageToken")
        if token:
            pages = self._pages.pop(token, None)
            if pages is None or pages.email != calendar.email:
                raise api_error(400, "Invalid page token value.", "invalid")
            return self._page(calendar, pages)
        try:
            max_results = min(int(query.get("maxResults", _DEFAULT_MAX_RESULTS)), _MAX_MAX_RESULTS)
        except ValueError:
            raise api_error(400, "Invalid value for maxResults", "invalid") from None
        if max_results < 1:
            raise api_error(400, "Invalid value for maxResults", "invalid")
        single = query.get("singleEvents") == "true"
        sync_token = query.get("syncToken")
        if sync_token:
            refused = {"timeMin", "timeMax", "updatedMin", "q", "orderBy", "iCalUID"} & set(query)
            if refused or query.get("showDeleted") == "false":
                raise api_error(400, f"Sync token cannot be used with {sorted(refused) or ['showDeleted']}.",
                                "invalid")
            state = self._sync_tokens.get(sync_token)
            if state is None or state.email != calendar.email or state.generation != calendar.generation:
                raise api_error(410, "Sync token is no longer valid, a full sync is required.", "fullSyncRequired")
            window = state.window
            items = self._changes(calendar, state, single)
        else:
            window = (_parse_time(query["timeMin"], "timeMin") if "timeMin" in query else None,
                      _parse_time(query["timeMax"], "timeMax") if "timeMax" in query else None)
            items = self._full(calendar, window, single, show_deleted=query.get("showDeleted") == "true")
        new_token = "twin-sync-" + secrets.token_urlsafe(18)
        self._sync_tokens[new_token] = _SyncState(calendar.email, calendar.seq, calendar.generation, window)
        return self._page(calendar, _Pages(calendar.email, items, new_token, max_results))

    def _page(self, calendar: _Calendar, pages: _Pages) -> dict[str, Any]:
        answer: dict[str, Any] = {"kind": "calendar#events", "summary": calendar.email,
                                  "timeZone": calendar.time_zone, "updated": _rfc3339(_now()),
                                  "items": pages.items[:pages.max_results]}
        rest = pages.items[pages.max_results:]
        if rest:
            token = "twin-page-" + secrets.token_urlsafe(18)
            self._pages[token] = _Pages(pages.email, rest, pages.sync_token, pages.max_results)
            answer["nextPageToken"] = token
        else:
            answer["nextSyncToken"] = pages.sync_token
        return answer

    def _full(self, calendar: _Calendar, window: tuple[datetime | None, datetime | None], single: bool, *,
              show_deleted: bool) -> list[dict[str, Any]]:
        items = []
        for event in calendar.events.values():
            if event["status"] == "cancelled" and not show_deleted:
                continue
            if event.get("recurrence") and single:
                items.extend(i for i in self._instances(calendar, event, window)
                             if show_deleted or i["status"] != "cancelled")
            elif event.get("recurrence"):
                if self._instances(calendar, event, window, limit=1):
                    items.append(_listed(event))
            elif _overlaps(event, window):
                items.append(_listed(event))
        return items

    def _changes(self, calendar: _Calendar, state: _SyncState, single: bool) -> list[dict[str, Any]]:
        items = []
        for event_id, seq in sorted(calendar.changed.items(), key=lambda item: item[1]):
            if seq <= state.seq:
                continue
            event = calendar.events[event_id]
            if event.get("recurrence") and single:
                items.extend(self._instances(calendar, event, state.window))
            else:
                items.append(_listed(event))
        return items

    def _instances(self, calendar: _Calendar, master: dict[str, Any],
                   window: tuple[datetime | None, datetime | None], *, limit: int = _MAX_INSTANCES
                   ) -> list[dict[str, Any]]:
        """The series' instances overlapping ``window`` that no stored exception replaces, in the
        event's own zone (wall-clock times kept across DST changes)."""
        from dateutil.rrule import rrulestr

        start, end = _bounds(master)
        all_day = "date" in master["start"]
        zone = _UTC if all_day else _zone(master["start"].get("timeZone"))
        local_start = start.astimezone(zone).replace(tzinfo=None)
        duration = end - start
        try:
            rules = rrulestr("\n".join(master["recurrence"]), dtstart=local_start, forceset=True, ignoretz=True)
        except (ValueError, TypeError):
            raise api_error(400, "Invalid recurrence rule.", "invalid") from None
        low, high = window
        horizon = (high or _now() + _HORIZON)
        found: list[dict[str, Any]] = []
        for count, occurrence in enumerate(rules):
            begins = occurrence.replace(tzinfo=zone)
            if begins >= horizon or count >= _MAX_INSTANCES or len(found) >= limit:
                break
            ends = (begins.astimezone(_UTC) + duration).astimezone(zone)
            if low is not None and ends <= low:
                continue
            stamp = begins.strftime("%Y%m%d") if all_day else begins.astimezone(_UTC).strftime("%Y%m%dT%H%M%SZ")
            instance_id = f"{master['id']}_{stamp}"
            if instance_id in calendar.events:  # an exception (moved, edited or cancelled) stands for it
                continue
            found.append(_listed(self._instance_of(master, instance_id, begins, ends, all_day)))
        return found

    @staticmethod
    def _instance_of(master: dict[str, Any], instance_id: str, begins: datetime, ends: datetime,
                     all_day: bool) -> dict[str, Any]:
        instance = {k: copy.deepcopy(v) for k, v in master.items() if k != "recurrence"}
        if all_day:
            start, end = {"date": begins.date().isoformat()}, {"date": ends.date().isoformat()}
        else:
            zone_name = master["start"]["timeZone"]
            start = {"dateTime": begins.isoformat(), "timeZone": zone_name}
            end = {"dateTime": ends.isoformat(), "timeZone": master["end"].get("timeZone", zone_name)}
        instance.update(id=instance_id, recurringEventId=master["id"], start=start, end=end,
                        originalStartTime=dict(start))
        return instance

    def _instance(self, calendar: _Calendar, instance_id: str) -> dict[str, Any] | None:
        """The (unstored) instance of a series this id names, if the series has one there."""
        master_id, _, stamp = instance_id.rpartition("_")
        master = calendar.events.get(master_id)
        if not master or not master.get("recurrence"):
            return None
        try:
            at = (datetime.strptime(stamp, "%Y%m%dT%H%M%SZ") if "T" in stamp
                  else datetime.strptime(stamp, "%Y%m%d")).replace(tzinfo=_UTC)
        except ValueError:
            return None
        for instance in self._instances(calendar, master, (at, at + timedelta(seconds=1))):
            if instance["id"] == instance_id:
                return self._instance_of(master, instance_id, *_bounds(instance), "date" in master["start"])
        return None

    # Push channels.

    def _watch(self, calendar: _Calendar, body: dict[str, Any], pushes: list[dict[str, Any]]) -> dict[str, Any]:
        channel_id, address = body.get("id"), body.get("address")
        if not channel_id or not address or body.get("type") not in ("web_hook", "webhook"):
            raise api_error(400, "Required: id, type web_hook and address.", "required")
        parts = urlsplit(address)
        if parts.scheme != "https" and parts.hostname not in ("127.0.0.1", "localhost"):
            raise api_error(400, f"WebHook callback must be HTTPS: {address}", "push.webhookUrlNotHttps")
        if channel_id in self.channels:
            raise api_error(400, f"Channel id {channel_id} not unique", "channelIdNotUnique")
        try:
            ttl = int((body.get("params") or {}).get("ttl", _DEFAULT_CHANNEL_TTL_S))
        except ValueError:
            raise api_error(400, "Invalid ttl", "invalid") from None
        expiration = int((time.time() + max(1, min(ttl, _MAX_CHANNEL_TTL_S))) * 1000)
        channel = {"kind": "api#channel", "id": channel_id, "resourceId": calendar.resource_id,
                   "resourceUri": f"https://www.googleapis.com/calendar/v3/calendars/{calendar.email}/events"
                                  "?alt=json",
                   "expiration": str(expiration), "type": "web_hook", "address": address,
                   "params": {"ttl": str(ttl)}}
        if body.get("token"):
            channel["token"] = body["token"]
        self.channels[channel_id] = channel
        pushes.append(self._push(channel, "sync"))
        # The answer leaves out what the caller sent (type, address, params), as Google's does.
        return {k: v for k, v in channel.items() if k not in ("type", "address", "params")}

    def _stop(self, body: dict[str, Any]) -> tuple[int, None]:
        channel = self.channels.get(body.get("id") or "")
        if channel is None or channel["resourceId"] != body.get("resourceId"):
            raise api_error(404, f"Channel '{body.get('id')}' not found for project", "notFound")
        del self.channels[channel["id"]]
        return 204, None

    # What a person does in their Google Calendar, and what the test sees.

    def add_event(self, email: str, body: dict[str, Any]) -> dict[str, Any]:
        """The person adds an event (Google's event resource; an id is made when none is given)."""
        pushes: list[dict[str, Any]] = []
        with self._lock:
            event = self._knob(lambda: self._insert(self._calendar(email), body, pushes))
        self._deliver(pushes)
        return event

    def update_event(self, email: str, event_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """The person edits an event (patch semantics), or one instance of a series."""
        pushes: list[dict[str, Any]] = []
        with self._lock:
            event = self._knob(lambda: self._patch(self._calendar(email), event_id, changes, pushes))
        self._deliver(pushes)
        return event

    def delete_event(self, email: str, event_id: str) -> None:
        """The person deletes an event, or one instance of a series."""
        pushes: list[dict[str, Any]] = []
        with self._lock:
            self._knob(lambda: self._delete(self._calendar(email), event_id, pushes))
        self._deliver(pushes)

    def events(self, email: str, *, include_deleted: bool = False) -> list[dict[str, Any]]:
        """The account's stored events (series unexpanded, exceptions as their own events)."""
        with self._lock:
            calendar = self._calendars.get(email)
            return [copy.deepcopy(e) for e in (calendar.events.values() if calendar else ())
                    if include_deleted or e["status"] != "cancelled"]

    def accounts(self) -> list[str]:
        """The e-mails of the accounts the twin knows (signed in, or given an event)."""
        with self._lock:
            return list(self._calendars)

    def channels_of(self, email: str) -> list[dict[str, Any]]:
        """The live watch channels on the account's calendar."""
        with self._lock:
            calendar = self._calendars.get(email)
            now_ms = time.time() * 1000
            return [dict(c) for c in self.channels.values()
                    if calendar and c["resourceId"] == calendar.resource_id and int(c["expiration"]) > now_ms]

    def fail_next(self, count: int, status: int, reason: str = "rateLimitExceeded") -> None:
        """The next ``count`` Calendar API requests answer ``status`` with ``reason`` (``TIMEOUT``: they
        time out instead)."""
        with self._lock:
            self._failures.extend([(status, reason)] * count)

    def invalidate_sync_tokens(self, email: str) -> None:
        """Google drops the account's sync tokens: the next list with one answers 410."""
        with self._lock:
            self._calendar(email).generation += 1

    @staticmethod
    def _knob(action: Callable[[], Any]) -> Any:
        try:
            return action()
        except Answer as e:
            raise ValueError(f"twin: {e}") from None


def _listed(event: dict[str, Any]) -> dict[str, Any]:
    """An event as a list shows it: a cancelled one keeps only what Google promises (its id, and for
    an instance its series and original start)."""
    if event["status"] != "cancelled":
        return copy.deepcopy(event)
    return {k: copy.deepcopy(event[k]) for k in ("kind", "etag", "id", "status", "recurringEventId",
                                                  "originalStartTime") if k in event}


def _overlaps(event: dict[str, Any], window: tuple[datetime | None, datetime | None]) -> bool:
    # timeMin bounds the end (exclusive), timeMax the start (exclusive).
    start, end = _bounds(event)
    low, high = window
    return (low is None or end > low) and (high is None or start < high)


class TwinHttp:
    """httplib2.Http's interface (what googleapiclient and google_auth_httplib2 use), answered in memory."""

    timeout: float | None = None
    follow_redirects = True
    redirect_codes = frozenset({300, 301, 302, 303, 307, 308})

    def __init__(self, twin: Twin) -> None:
        self.twin = twin
        self.connections: dict[str, Any] = {}

    def request(self, uri: str, method: str = "GET", body: bytes | str | None = None,
                headers: Mapping[str, str] | None = None, redirections: int = 5,
                connection_type: Any = None, **_: Any) -> tuple[Any, bytes]:
        import httplib2

        status, out, content = self.twin.handle(method, uri, body, headers)
        return httplib2.Response({"status": str(status), **out}), content

    def close(self) -> None:
        """Nothing to release."""


@functools.cache
def _requests_adapter_class() -> type:
    """A requests.adapters.BaseAdapter subclass (built on first use: requests is imported only then)."""
    import requests
    from requests.adapters import BaseAdapter
    from requests.structures import CaseInsensitiveDict

    class TwinAdapter(BaseAdapter):
        def __init__(self, twin: Twin) -> None:
            super().__init__()
            self.twin = twin

        def send(self, request: Any, stream: bool = False, timeout: Any = None, verify: Any = True,
                 cert: Any = None, proxies: Any = None) -> Any:
            try:
                status, out, content = self.twin.handle(request.method, request.url, request.body,
                                                        dict(request.headers))
            except TimeoutError as e:
                raise requests.exceptions.ReadTimeout(str(e), request=request) from e
            response = requests.Response()
            response.status_code = status
            response.reason = HTTPStatus(status).phrase
            response.headers = CaseInsensitiveDict(out)
            response._content = content
            response.encoding = "utf-8"
            response.url = request.url
            response.request = request
            return response

        def close(self) -> None:
            """Nothing to release."""

    return TwinAdapter


# The active twin: the one GOOGLE_BACKEND=twin answers from (each test starts a fresh one).
_active = twin_instance.Active(Twin.from_settings)


def current() -> Twin:
    return _active.get()


def reset() -> Twin:
    """A fresh twin from the settings, now the active one."""
    return _active.reset()

