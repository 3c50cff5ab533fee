"""A staff member's Google events as busy times in ``external_busy``, which the availability engine
reads like appointments: a synced busy time removes its slots on the next read, public page and
staff screens alike.

Google's incremental sync: the first listing of the window (now - 1 day .. now + the business's
maximum advance, at most a year) ends with a ``nextSyncToken``; later listings with that token answer
only what changed since, cancelled events included. A full listing replaces the staff member's
Google rows, in one transaction; an incremental one applies each change. The window is listed in
full again when there is no token, when Google says the token is gone (410), and at least every
``FULL_SYNC_EVERY``: a recurring event's instances entering the window did not change, so no
incremental listing reports them.

Our own bookings' events are not busy (``busy_events``); when one comes back changed, the writer puts
it back as the appointment says (the product is the source of truth) and the connection counts it.

Failures are recorded on the connection (``connections.record_error``; a quota answer also backs the
connection off) and raised: the push reader and the schedule log them and go on, the sync route
answers them. The sync token is stored last, so a sync that failed half-way is listed again.

Owns the ``source = 'google'`` rows of ``external_busy``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from chalicelib.business import service as business
from chalicelib.calendar import busy_events, connections, writer
from chalicelib.calendar.connections import Connection
from chalicelib.core import db, log
from chalicelib.core.db import Tx
from chalicelib.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.core.security import Caller
from chalicelib.integrations.google_calendar import (Calendar, GoogleRateLimited, GoogleRejected, GoogleSyncTokenGone,
                                                     GoogleUnavailable)
from chalicelib.staff import service as staff

SOURCE = "google"
# Recurring instances entering the window show up only in a full listing.
FULL_SYNC_EVERY = timedelta(hours=24)
# The window reaches back a day (an event under way still blocks the rest of it) and ahead as far as
# the business takes bookings (at most 730 days: a daily series is then 731 rows, not unbounded).
WINDOW_BEHIND = timedelta(days=1)
WINDOW_AHEAD_MAX_DAYS = 731
# 250 events a page (the client's maxResults): 10,000 events, a few seconds at most with a healthy
# Google; a calendar with more in the window is refused rather than listed for minutes.
MAX_PAGES = 40
# GET /calendar/busy: local dates from..to, both included.
MAX_RANGE_DAYS = 42

_FORGET = """-- a staff member's Google busy times, all of them (disconnected)
DELETE FROM external_busy WHERE staff_id = :staff_id AND source = 'google'"""

_UPSERT = """-- busy times as Google says now, one row per event (an instance of a series has its own id); a
-- row whose time did not change is left alone, so the count is what changed
INSERT INTO external_busy (business_id, staff_id, source, external_id, busy)
SELECT :bid, :staff_id, 'google', e.id, tstzrange(e.starts_at, e.ends_at)
  FROM unnest(CAST(:ids AS text[]), CAST(:starts AS timestamptz[]), CAST(:ends AS timestamptz[]))
       AS e(id, starts_at, ends_at)
    ON CONFLICT (business_id, staff_id, source, external_id)
    DO UPDATE SET busy = EXCLUDED.busy, updated_at = now()
 WHERE external_busy.busy IS DISTINCT FROM EXCLUDED.busy"""

_KEEP_ONLY = """-- a full listing: every Google row of the staff member it did not find busy goes (deleted or moved
-- out of the window, marked free, declined, or past)
DELETE FROM external_busy
 WHERE staff_id = :staff_id AND source = 'google' AND NOT (external_id = ANY(CAST(:keep AS text[])))"""

_REMOVE = """-- an incremental listing: events no longer busy (cancelled, free, declined, out of the window); a
-- whole series cancelled takes its instances (ids "{series}_{start}") with it
DELETE FROM external_busy
 WHERE staff_id = :staff_id AND source = 'google'
   AND (external_id = ANY(CAST(:ids AS text[]))
        OR split_part(external_id, '_', 1) = ANY(CAST(:series AS text[])))"""

_BLOCKS = """-- Google busy blocks overlapping a window, of one staff member or of all, earliest first
SELECT staff_id, lower(busy) AS starts_at, upper(busy) AS ends_at FROM external_busy
 WHERE source = 'google' AND busy && tstzrange(CAST(:since AS timestamptz), CAST(:until AS timestamptz))
   AND (CAST(:staff_id AS uuid) IS NULL OR staff_id = CAST(:staff_id AS uuid))
 ORDER BY lower(busy), staff_id"""

class CalendarTooLarge(Conflict):
    code = "calendar_too_large"
    message = f"The Google calendar holds more than {MAX_PAGES * 250} events in the sync window."


# What a sync may end in that needs no one's attention beyond what it recorded: the connection's
# Google trouble, or a calendar too large to list. The push reader and the schedule log these and go on.
GOOGLE_TROUBLE = (*connections.GOOGLE_TROUBLE, CalendarTooLarge)


@dataclass(frozen=True)
class SyncResult:
    calls: int  # requests to the Calendar API for the listing
    changed: int  # busy rows written or moved
    removed: int  # busy rows deleted
    full: bool  # the window was listed in full
    reverted: int  # our bookings' events edited in Google, put back


@dataclass(frozen=True)
class _Listing:
    items: list[dict[str, Any]]
    sync_token: str | None
    full: bool
    calls: int


@dataclass(frozen=True)
class _Scope:
    """What a sync of one connection works with: whose rows, in which zone, over which window."""
    connection: Connection
    zone: ZoneInfo
    since: datetime
    until: datetime


_TAKE_BUSY_LOCK = """-- the staff member's Google busy rows: one writer at a time (a sync's listing, a disconnect)
SELECT true FROM pg_advisory_xact_lock(hashtextextended(:lock, 0))"""


def _busy_lock(staff_id: UUID) -> str:
    return f"calendar_busy:{staff_id}"


def forget(tx: Tx, staff_id: UUID) -> None:
    """Inside a disconnect's transaction: the staff member's Google busy times go with the connection.
    A sync writing its listing meanwhile finishes first; one after finds the connection gone."""
    tx.execute(_TAKE_BUSY_LOCK, lock=_busy_lock(staff_id))
    tx.execute(_FORGET, staff_id=staff_id)


def sync(business_id: UUID, connection_id: UUID, *, full: bool = False) -> SyncResult:
    """Bring the connection's staff member's busy times up to date with Google: incremental unless
    ``full`` is asked, there is no token, or the last full listing is older than ``FULL_SYNC_EVERY``
    (a 410 turns an incremental one into a full one). Raises ``connections.NotConnected`` (unknown,
    or waiting for a reconnect), ``connections.BackingOff`` (quota), and Google's failures once
    recorded on the connection (``GoogleAuthLost`` by ``connections.calendar``: reconnect_needed, the
    reason as its error, one e-mail)."""
    started, now = time.monotonic(), datetime.now(timezone.utc)
    scope = _scope(business_id, connection_id, now)
    connection = scope.connection
    full = full or connection.sync_token is None or connection.full_sync_at is None \
        or now - connection.full_sync_at > FULL_SYNC_EVERY
    try:
        listing = _list(scope, full=full)
        applied = _apply(business_id, scope, listing)
        if applied is None:
            log.emit("calendar.sync_superseded", connection_id=str(connection_id))
            return SyncResult(calls=listing.calls, changed=0, removed=0, full=listing.full, reverted=0)
        changed, removed, ours = applied
        # After the token is stored: a put-back Google refuses is recorded on its link and retried.
        reverted = writer.restore(connection, ours) if ours else 0
    except GoogleRateLimited:
        connections.record_error(connection, "Google's quota was exceeded; syncing again later.", rate_limited=True)
        raise
    except GoogleUnavailable:
        connections.record_error(connection, "Google did not answer; syncing again later.")
        raise
    except GoogleRejected:
        connections.record_error(connection, "Google refused the listing of events.")
        raise
    except CalendarTooLarge as e:
        connections.record_error(connection, e.message)
        raise
    if reverted:
        connections.record_reverted(connection, reverted)
    result = SyncResult(calls=listing.calls, changed=changed, removed=removed, full=listing.full, reverted=reverted)
    log.emit("calendar.synced", connection_id=str(connection_id), full=result.full, calls=result.calls,
             changed=changed, removed=removed, reverted=reverted, ms=round((time.monotonic() - started) * 1000))
    return result


def _scope(business_id: UUID, connection_id: UUID, now: datetime) -> _Scope:
    with db.tenant_tx(business_id) as tx:
        connection = connections.get(tx, connection_id)
        if connection is None:
            raise connections.NotConnected()
        connections.sync_begins(tx, connection_id)
        profile = business.get(tx, business_id)
        member = staff.get(tx, connection.staff_id)
    assert profile is not None and member is not None  # the connection's: its foreign keys hold them
    zone = ZoneInfo(member["time_zone"] or profile["time_zone"])
    ahead = min(profile["booking_policy"]["max_advance_days"], WINDOW_AHEAD_MAX_DAYS) + 1
    return _Scope(connection, zone, now - WINDOW_BEHIND, now + timedelta(days=ahead))


def _list(scope: _Scope, *, full: bool) -> _Listing:
    """Every event Google reports: all of the window (``full``), or what changed since the stored
    token (a token Google no longer knows: all of the window)."""
    connection = scope.connection
    with connections.calendar(connection) as calendar:
        if not full:
            try:
                items, token = _pages(calendar, connection.calendar_id, sync_token=connection.sync_token)
                return _Listing(items, token, False, calendar.calls)
            except GoogleSyncTokenGone:
                log.emit("calendar.sync_token_gone", connection_id=str(connection.id))
        items, token = _pages(calendar, connection.calendar_id, time_min=scope.since, time_max=scope.until)
        return _Listing(items, token, True, calendar.calls)


def _pages(calendar: Calendar, calendar_id: str, **query: Any) -> tuple[list[dict[str, Any]], str | None]:
    """Page through one listing to its end (the page that carries the next sync token)."""
    items: list[dict[str, Any]] = []
    page_token: str | None = None
    for _ in range(MAX_PAGES):
        page = calendar.list_events(calendar_id, page_token=page_token, **query)
        items.extend(page.items)
        if page.next_page_token is None:
            return items, page.next_sync_token
        page_token = page.next_page_token
    raise CalendarTooLarge()


def _clamped(interval: tuple[datetime, datetime] | None, scope: _Scope) -> tuple[datetime, datetime] | None:
    """The part of a busy interval inside the window (None: none of it). Nothing is stored beyond the
    window, so the table holds at most the window's instances of an endless series."""
    if interval is None:
        return None
    start, end = max(interval[0], scope.since), min(interval[1], scope.until)
    return (start, end) if start < end else None


def _apply(business_id: UUID, scope: _Scope, listing: _Listing) -> tuple[int, int, list[dict[str, Any]]] | None:
    """Write what the listing says into ``external_busy``, and its sync token, in one transaction;
    answer the rows changed, the rows removed, and the events that may be our bookings' (tagged, or
    deleted) for the writer. None: another sync was recorded since this one read the connection, or
    it was disconnected meanwhile (syncs of one connection may overlap: push, the schedule, sync now),
    so this listing writes nothing rather than undo a newer one or leave rows nobody owns."""
    busy: dict[str, tuple[datetime, datetime]] = {}
    not_busy: set[str] = set()
    series_cancelled: set[str] = set()
    ours: list[dict[str, Any]] = []
    for event in listing.items:  # a later entry for the same id wins
        event_id = event["id"]
        if busy_events.is_ours(event, business_id) or event.get("status") == "cancelled":
            ours.append(event)  # a deleted event is listed by its id alone: the writer knows ours by it
        interval = _clamped(busy_events.busy_interval(event, scope.zone, business_id), scope)
        if interval is None:
            busy.pop(event_id, None)
            not_busy.add(event_id)
            if event.get("status") == "cancelled" and not event.get("recurringEventId"):
                series_cancelled.add(event_id)
        else:
            not_busy.discard(event_id)
            busy[event_id] = interval
    ids = sorted(busy)  # one order for every writer: two syncs at once cannot deadlock
    staff_id = scope.connection.staff_id
    with db.tenant_tx(business_id, lock=_busy_lock(staff_id)) as tx:
        if not connections.still_as_read(tx, scope.connection):
            return None
        if listing.full:
            removed = tx.execute(_KEEP_ONLY, staff_id=staff_id, keep=ids)
        elif not_busy:
            removed = tx.execute(_REMOVE, staff_id=staff_id, ids=sorted(not_busy), series=sorted(series_cancelled))
        else:
            removed = 0
        changed = tx.execute(_UPSERT, bid=business_id, staff_id=staff_id, ids=ids,
                             starts=[busy[i][0].isoformat() for i in ids],
                             ends=[busy[i][1].isoformat() for i in ids]) if ids else 0
        connections.record_sync(tx, scope.connection, sync_token=listing.sync_token, full=listing.full)
    return changed, removed, ours


def busy_blocks(caller: Caller, *, start_date: date, end_date: date, tz: str | None,
                staff_id: UUID | None) -> dict[str, Any]:
    """The Google busy blocks overlapping local dates ``start_date``..``end_date`` in ``tz`` (default:
    the business's zone), times written in that zone. Owners and admins see every staff member (or the
    one asked); a staff-role member sees their own profile's only."""
    if end_date < start_date:
        raise ValidationFailed({"to": "Must not be before from."})
    if (end_date - start_date).days >= MAX_RANGE_DAYS:
        raise ValidationFailed({"to": f"At most {MAX_RANGE_DAYS} days from from."})
    with db.tenant_tx(caller.business_id) as tx:
        if not caller.at_least("admin"):
            own = staff.for_user(tx, caller.user_id)
            if staff_id is not None and staff_id != own:
                raise Forbidden("Staff see their own busy times only.")
            if own is None:
                return {"items": []}
            staff_id = own
        elif staff_id is not None and staff.get(tx, staff_id) is None:
            raise NotFound("staff member")
        profile = business.get(tx, caller.business_id)
        assert profile is not None  # the caller's own business
        zone = ZoneInfo(tz or profile["time_zone"])
        found = tx.all(_BLOCKS, since=busy_events.day_starts(start_date, zone),
                       until=busy_events.day_starts(end_date + timedelta(days=1), zone),
                       staff_id=str(staff_id) if staff_id else None)
    return {"items": [{"staff_id": r["staff_id"], "starts_at": r["starts_at"].astimezone(zone),
                       "ends_at": r["ends_at"].astimezone(zone)} for r in found]}
