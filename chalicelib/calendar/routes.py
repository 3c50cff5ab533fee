"""The Google Calendar routes: connect, Google's redirect back (forwarded to the web app) and the
member finishing the connect there, the connection states, sync now, disconnect, and Google's push
notifications."""
from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from chalice import Blueprint, Response

from chalicelib.calendar import connections, oauth
from chalicelib.core import rate_limit
from chalicelib.core.answer import Answer, Timestamp
from chalicelib.core.endpoint import endpoint
from chalicelib.core.security import Caller
from chalicelib.core.validate import Struct

bp = Blueprint(__name__)


class ConnectUrl(Answer):
    url: str  # Google's consent page; send the browser there
    expires_at: Timestamp  # the connect must be finished by then


class CalendarStatusItem(Answer):
    staff_id: UUID
    staff_name: str
    state: Literal["not_connected", "connected", "reconnect_needed"]
    reason: Literal["invalid_grant", "scope"] | None  # why a reconnect is needed
    google_email: str | None
    connected_at: Timestamp | None
    last_sync_at: Timestamp | None
    last_error: str | None
    last_error_at: Timestamp | None
    busy_blocks: int  # busy times synced from the Google calendar
    reverted_edits: int  # edits made in Google to bookings' events, put back
    last_reverted_at: Timestamp | None
    is_me: bool  # the caller's own staff profile


class CalendarStatus(Answer):
    items: list[CalendarStatusItem]


class CalendarSync(Struct):
    staff_id: UUID | None = None  # None: the caller's own; another's: owners and admins


class CalendarStaffQuery(Struct):
    staff_id: UUID | None = None  # None: the caller's own; another's: owners and admins


class GoogleCallbackQuery(msgspec.Struct, kw_only=True):
    """What Google's redirect carries. Not a ``Struct``: Google adds parameters of its own (scope,
    authuser, prompt, hd, iss), which must not turn a person's connect into a 422."""
    state: str | None = None
    code: str | None = None
    error: str | None = None


# Google's states and codes are a few dozen characters; far more is not one of them.
GoogleParam = Annotated[str, msgspec.Meta(max_length=4096)]


class GoogleCallback(Struct):
    """What Google's redirect carried, posted by the web app in the signed-in member's browser."""
    state: GoogleParam
    code: GoogleParam | None = None
    error: GoogleParam | None = None


@endpoint(bp, "/calendar/google/connect", "GET", tag="calendar", errors=(409,), response=ConnectUrl,
          summary="Start connecting the caller's Google Calendar: Google's consent URL (403 plan_required, "
                  "409 no_staff_profile)")
def connect_google_calendar(caller: Caller) -> Any:
    return oauth.connect(caller)


@endpoint(bp, "/calendar/google/callback", "GET", public=True, query=GoogleCallbackQuery, status=302,
          tag="calendar", summary="Google's OAuth redirect: forwards its state, code and error to the web app's "
                                  "/account/google-callback, which finishes the connect as the signed-in member")
def google_calendar_callback(query: GoogleCallbackQuery) -> Any:
    location = oauth.finish_page(state=query.state, code=query.code, error=query.error)
    return Response(body="", status_code=302, headers={"Location": location, "Cache-Control": "no-store"})


@endpoint(bp, "/calendar/google/callback", "POST", body=GoogleCallback, tag="calendar", errors=(409,),
          response=CalendarStatusItem,
          summary="Finish connecting the caller's own Google Calendar with what Google's redirect carried: "
                  "their status (409 calendar_connect_failed, details.reason invalid_state, access_denied, "
                  "scope or failed, nothing stored)")
def finish_google_connect(caller: Caller, body: GoogleCallback) -> Any:
    return oauth.finish(caller, state=body.state, code=body.code, error=body.error)


@endpoint(bp, "/calendar/status", "GET", tag="calendar", response=CalendarStatus,
          summary="Google Calendar connection per staff member (owners and admins: everyone; staff: their own)")
def get_calendar_status(caller: Caller) -> Any:
    return connections.status(caller)


@endpoint(bp, "/calendar/google/sync", "POST", body=CalendarSync, tag="calendar", errors=(409, 429),
          response=CalendarStatusItem,
          summary="Sync a staff member's Google Calendar now (at most every 30 s; 409 calendar_not_connected)")
def sync_google_calendar(caller: Caller, body: CalendarSync) -> Any:
    return connections.sync_now(caller, body.staff_id)


@endpoint(bp, "/calendar/google", "DELETE", query=CalendarStaffQuery, status=204, tag="calendar", errors=(409,),
          summary="Disconnect a staff member's Google Calendar: revoke the grant, stop push, delete busy times "
                  "and tokens")
def disconnect_google_calendar(caller: Caller, query: CalendarStaffQuery) -> Any:
    oauth.disconnect(caller, query.staff_id)


# Google's notification has an empty body: only its headers count, whatever Content-Type it names
# (Chalice would answer 415 to anything but JSON).
@endpoint(bp, "/calendar/google/notifications", "POST", public=True, raw_request=True, status=204,
          errors=(403, 429), tag="calendar", content_types=("*/*",),
          summary="Google's push notifications for a watched calendar (channel id and token checked)")
def receive_google_notification(request: Any) -> Any:
    connections.pushed(request.headers, client=rate_limit.client_address(request))
