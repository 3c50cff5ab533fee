"""A staff member's Google Calendar connection: its sealed tokens, its sync state, and the one way to
call Google for it (``calendar``).

A token Google stops honouring (revoked, expired, a permission taken away) moves the connection to
``reconnect_needed`` with the reason, in the same transaction as the outbox event that e-mails its
member: the state the status shows and the e-mail cannot disagree, and only the transition writes
the event, so a member whose every sync now fails gets one e-mail, not one per sync. Nothing calls
Google for that connection again until its member reconnects (``oauth.callback``).

Calls to Google never run inside a database transaction: the tokens are read in one, the block
talks to Google, and what Google gave back (a refreshed access token) is stored in another, guarded
by the refresh token read, so a reconnect made meanwhile is never overwritten with the old grant's.

Owns ``calendar_connections``.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from chalicelib.billing import gate
from chalicelib.calendar import token_seal
from chalicelib.core import db, log, rate_limit
from chalicelib.core.db import Tx
from chalicelib.core.errors import Conflict, Forbidden, NotFound, ServiceUnavailable
from chalicelib.core.security import Caller
from chalicelib.events import outbox
from chalicelib.integrations import google_calendar
from chalicelib.staff import service as staff

RECONNECT_TOPIC = "calendar.reconnect_needed"
SYNC_TOPIC = "calendar.sync_requested"
# Quota answers back a connection off for 2**failures minutes, at most an hour: a storm of retries
# against a 429 only makes Google refuse longer.
MAX_BACKOFF_MIN = 60
# What a stored error may hold: enough to read, never a page of Google's HTML.
MAX_ERROR_CHARS = 500

# Why the member must reconnect, as the status and the e-mail say it.
# The plan feature calendar sync is (Pro, Enterprise, the trial).
FEATURE = "google_calendar"
LOST_MESSAGES = {
    "invalid_grant": "Google no longer accepts this connection: access was revoked, or the grant expired.",
    "scope": "The permission to change the calendar was taken away in Google.",
}

_COLUMNS = """id, business_id, staff_id, user_id, calendar_id, state, google_email, sync_token, full_sync_at,
       backoff_until"""

_OF_STAFF = f"""-- the connection of one staff profile (this tenant's)
SELECT {_COLUMNS} FROM calendar_connections WHERE staff_id = :staff_id"""

_GET = f"""-- one connection (this tenant's)
SELECT {_COLUMNS} FROM calendar_connections WHERE id = :id"""

_TOKENS = """-- a connection's sealed tokens, and whether it may call Google now (the database's clock)
SELECT state, refresh_token_sealed, access_token_sealed, access_expires_at,
       coalesce(backoff_until > now(), false) AS backing_off,
       greatest(ceil(extract(epoch FROM backoff_until - now())), 1)::int AS backoff_s
  FROM calendar_connections WHERE id = :id"""

_STORE_REFRESHED = """-- an access token Google refreshed (and a refresh token, if it rolled one), only while the grant
-- read is still the row's: a reconnect made meanwhile keeps its own tokens
UPDATE calendar_connections
   SET access_token_sealed = :access, access_expires_at = :expires_at, scopes = CAST(:scopes AS text[]),
       refresh_token_sealed = coalesce(CAST(:refresh AS bytea), refresh_token_sealed), updated_at = now()
 WHERE id = :id AND refresh_token_sealed = :was"""

_LOSE = """-- Google no longer honours the grant read: the connection waits for its member to reconnect. Only
-- the transition answers a row (one e-mail per loss), and never for a grant made since
UPDATE calendar_connections
   SET state = 'reconnect_needed', lost_reason = :reason, last_error = :message, last_error_at = now(),
       backoff_until = NULL, updated_at = now()
 WHERE id = :id AND state = 'connected' AND refresh_token_sealed = :was
RETURNING id, staff_id, user_id"""

_STILL_LOST = """-- a connection waiting for its member to reconnect, and why
SELECT user_id, google_email, lost_reason FROM calendar_connections
 WHERE id = :id AND state = 'reconnect_needed'"""

_SYNCED = """-- a sync went through: its token for the next incremental one; the trouble before it is over
UPDATE calendar_connections
   SET sync_token = :sync_token, last_sync_at = now(),
       full_sync_at = CASE WHEN CAST(:full AS boolean) THEN now() ELSE full_sync_at END,
       last_error = NULL, last_error_at = NULL, failures = 0, backoff_until = NULL, updated_at = now()
 WHERE id = :id AND state = 'connected'"""

_FAILED = """-- a sync or write failed; a quota answer also keeps the connection away from Google for
-- 2**failures minutes (failures before this one), at most :max_backoff minutes
UPDATE calendar_connections
   SET last_error = :message, last_error_at = now(), failures = failures + 1,
       backoff_until = CASE WHEN CAST(:rate_limited AS boolean)
                            THEN now() + make_interval(mins => least(power(2, least(failures, 10))::int, :max_backoff))
                            ELSE backoff_until END,
       updated_at = now()
 WHERE id = :id"""

_REVERTED = """-- edits made in Google to bookings' events, put back
UPDATE calendar_connections
   SET reverted_edits = reverted_edits + :count, last_reverted_at = now(), updated_at = now()
 WHERE id = :id"""

_DUE = """-- connections a schedule may sync now, the longest untried first (every tenant's: a jobs transaction);
-- one whose syncs keep failing goes behind the others instead of first in every run
SELECT business_id, id FROM calendar_connections
 WHERE state = 'connected' AND (backoff_until IS NULL OR backoff_until <= now())
 ORDER BY greatest(last_sync_at, last_error_at) NULLS FIRST
 LIMIT :limit"""

_STATUS = """-- each staff member's connection state: every active one, or the one asked for (even inactive);
-- busy blocks are the Google events stored as busy times
SELECT s.id AS staff_id, s.name AS staff_name, coalesce(s.user_id = CAST(:me AS uuid), false) AS is_me,
       coalesce(c.state, 'not_connected') AS state,
       CASE WHEN c.state = 'reconnect_needed' THEN c.lost_reason END AS reason,
       c.google_email, c.connected_at, c.last_sync_at, c.last_error, c.last_error_at,
       coalesce(c.reverted_edits, 0) AS reverted_edits, c.last_reverted_at,
       (SELECT count(*) FROM external_busy b
         WHERE b.business_id = s.business_id AND b.staff_id = s.id AND b.source = 'google') AS busy_blocks
  FROM staff s
  LEFT JOIN calendar_connections c ON c.business_id = s.business_id AND c.staff_id = s.id
 WHERE CASE WHEN CAST(:staff_id AS uuid) IS NULL THEN s.active ELSE s.id = CAST(:staff_id AS uuid) END
 ORDER BY s.name, s.id"""


@dataclass(frozen=True)
class Connection:
    id: UUID
    business_id: UUID
    staff_id: UUID
    user_id: UUID
    calendar_id: str
    state: str
    google_email: str | None
    sync_token: str | None
    full_sync_at: datetime | None
    backoff_until: datetime | None


class NotConnected(Conflict):
    code, message = "calendar_not_connected", "This staff member's Google Calendar is not connected."


class NoStaffProfile(Conflict):
    code = "no_staff_profile"
    message = "Your login is linked to no staff profile; ask an owner to link one before connecting a calendar."


class BackingOff(ServiceUnavailable):
    """Google asked us to slow down for this connection; nothing calls it before ``backoff_until``."""
    code, message = "calendar_backing_off", "Google asked us to slow down; the calendar syncs again shortly."

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(details={"retry_after": retry_after_s}, headers={"Retry-After": str(retry_after_s)})


# What a call to Google for a connection may end in that needs no one's attention beyond what was
# recorded: the connection waits for its member to reconnect or backs off a quota, the business's plan
# no longer has calendar sync, or Google's trouble is recorded (on the connection, or on a booking's
# link). Callers log these and go on; the schedule tries again.
GOOGLE_TROUBLE = (NotConnected, BackingOff, gate.PlanRequired, google_calendar.GoogleAuthLost,
                  google_calendar.GoogleUnavailable, google_calendar.GoogleRejected)


def _connection(row: dict[str, Any] | None) -> Connection | None:
    return Connection(**row) if row else None


def of_staff(tx: Tx, staff_id: UUID) -> Connection | None:
    return _connection(tx.one(_OF_STAFF, staff_id=staff_id))


def get(tx: Tx, connection_id: UUID) -> Connection | None:
    return _connection(tx.one(_GET, id=connection_id))


def target(tx: Tx, caller: Caller, staff_id: UUID | None) -> UUID:
    """The staff profile a member's request is about: their own when ``staff_id`` is None (409 when
    their login is linked to none); another's only for owners and admins. Another tenant's id is as
    unknown as a made-up one (404), before any role is looked at."""
    own = staff.for_user(tx, caller.user_id)
    if staff_id is None:
        if own is None:
            raise NoStaffProfile()
        return own
    if staff.get(tx, staff_id) is None:
        raise NotFound("staff member")
    if staff_id != own and not caller.at_least("admin"):
        raise Forbidden("Only owners and admins act on another staff member's calendar.")
    return staff_id


# --- calling Google ------------------------------------------------------------------------------

def _error_text(message: str) -> str:
    return log.redact(message)[:MAX_ERROR_CHARS]


def _lose(connection: Connection, reason: str, was: bytes) -> None:
    """Move the connection to ``reconnect_needed`` (and e-mail its member) unless it already is."""
    with db.tenant_tx(connection.business_id) as tx:
        row = tx.one(_LOSE, id=connection.id, reason=reason, message=LOST_MESSAGES[reason], was=was)
        if row is not None:
            outbox.add(tx, connection.business_id, RECONNECT_TOPIC, aggregate_id=connection.id,
                       payload={"connection_id": str(connection.id), "staff_id": str(row["staff_id"]),
                                "user_id": str(row["user_id"]), "reason": reason})
    if row is not None:
        log.emit("calendar.reconnect_needed", business_id=str(connection.business_id),
                 connection_id=str(connection.id), reason=reason)


def _store_refreshed(connection: Connection, refreshed: google_calendar.Tokens, was: bytes) -> None:
    seal = token_seal.seal
    with db.tenant_tx(connection.business_id) as tx:
        tx.execute(_STORE_REFRESHED, id=connection.id, was=was,
                   access=seal(refreshed.access_token, connection_id=connection.id, column="access"),
                   refresh=seal(refreshed.refresh_token, connection_id=connection.id, column="refresh")
                   if refreshed.refresh_token else None,
                   expires_at=refreshed.expires_at, scopes=list(refreshed.scopes))


def _access_token(connection: Connection, sealed: bytes | None) -> str | None:
    """The stored access token; None when there is none or it no longer opens (the client then
    refreshes it: only the refresh token's loss needs the member)."""
    if sealed is None:
        return None
    try:
        return token_seal.unseal(bytes(sealed), connection_id=connection.id, column="access")
    except token_seal.Unreadable:
        return None


@contextmanager
def calendar(connection: Connection) -> Iterator[google_calendar.Calendar]:
    """The connection's authorized Google Calendar API for the block.

    Refused: a connection no longer there or not ``connected`` (``NotConnected``), one Google asked
    to leave alone for now (``BackingOff``), one of a business whose plan no longer has calendar sync
    (``gate.PlanRequired``: a lapsed trial or a downgrade stops the calls; reconnecting is not needed
    after an upgrade). After the block, an access token the client refreshed
    is stored (sealed), whatever the block then did. ``GoogleAuthLost`` from the block or the
    refresh marks the connection ``reconnect_needed`` (one e-mail, on the transition) and is raised
    again. Tokens no key opens any more count as lost too: only a reconnect can mend them."""
    with db.tenant_tx(connection.business_id) as tx:
        gate.require_feature(tx, connection.business_id, FEATURE)
        row = tx.one(_TOKENS, id=connection.id)
    if row is None or row["state"] != "connected" or row["refresh_token_sealed"] is None:
        raise NotConnected()
    if row["backing_off"]:
        raise BackingOff(row["backoff_s"])
    was = bytes(row["refresh_token_sealed"])
    try:
        refresh_token = token_seal.unseal(was, connection_id=connection.id, column="refresh")
    except token_seal.Unreadable as e:
        log.emit("calendar.token_unreadable", business_id=str(connection.business_id),
                 connection_id=str(connection.id), error=str(e))
        _lose(connection, "invalid_grant", was)
        raise NotConnected() from None
    access_token = _access_token(connection, row["access_token_sealed"])
    api = google_calendar.Calendar(refresh_token=refresh_token, access_token=access_token,
                                   expires_at=row["access_expires_at"] if access_token else None)
    lost = False
    try:
        yield api
    except google_calendar.GoogleAuthLost as e:
        lost = True
        _lose(connection, e.reason, was)
        raise
    finally:
        # Stored whatever the block did after the refresh (a later call may have failed): the next
        # session then needs no refresh of its own. Not once the grant is lost.
        if api.refreshed is not None and not lost:
            _store_refreshed(connection, api.refreshed, was)


# --- what a sync records ------------------------------------------------------------------------------

def still_lost(tx: Tx, connection_id: UUID) -> dict[str, Any] | None:
    """``{"user_id", "google_email", "lost_reason"}`` while the connection waits for a reconnect (the
    e-mail about it is dropped once it no longer does)."""
    return tx.one(_STILL_LOST, id=connection_id)


_WANT_SYNC = """-- a push asks for a sync of the connection: taken unless one asked for has not begun yet (it will
-- list this change too); an ask no sync took within :stale seconds (its message lost) counts for nothing
UPDATE calendar_connections SET sync_wanted_at = now()
 WHERE id = :id AND (sync_wanted_at IS NULL OR sync_wanted_at < now() - make_interval(secs => :stale))
RETURNING id"""

_SYNC_BEGINS = """-- a sync begins listing: a change Google reports from now on asks for another
UPDATE calendar_connections SET sync_wanted_at = NULL WHERE id = :id AND sync_wanted_at IS NOT NULL"""

# An ask for a sync that no sync began within this long was lost (the 15-minute schedule synced anyway).
WANTED_SYNC_STALE_S = 120


def want_sync(tx: Tx, connection_id: UUID) -> bool:
    """Whether a push's ask for a sync is new (the caller then requests one): False while an earlier
    ask waits for its sync to begin, so a burst of notifications is one sync, and a change made once
    a sync has begun listing is never folded into it."""
    return tx.one(_WANT_SYNC, id=connection_id, stale=WANTED_SYNC_STALE_S) is not None


def sync_begins(tx: Tx, connection_id: UUID) -> None:
    """A sync of the connection is about to list: what pushes asked for until now it will see."""
    tx.execute(_SYNC_BEGINS, id=connection_id)


_STILL_AS_READ = """-- a sync's listing is about to be written: the connection is still connected and no other sync was
-- recorded since this one read it (held until the writing commits, so a disconnect waits for it)
SELECT id FROM calendar_connections
 WHERE id = :id AND state = 'connected' AND sync_token IS NOT DISTINCT FROM :sync_token
   FOR UPDATE"""


def still_as_read(tx: Tx, connection: Connection) -> bool:
    """Inside the transaction writing a sync's busy times: whether the connection is as the sync read
    it (still connected, its sync token not moved on by another sync). A listing older than one
    already written, or one finished after a disconnect, must write nothing."""
    return tx.one(_STILL_AS_READ, id=connection.id, sync_token=connection.sync_token) is not None


def record_sync(tx: Tx, connection: Connection, *, sync_token: str | None, full: bool) -> None:
    """Inside the transaction writing the sync's busy times: ``sync_token`` for the next incremental
    one (``full``: the window was listed whole); the failure count and any backoff are cleared."""
    tx.execute(_SYNCED, id=connection.id, sync_token=sync_token, full=full)


def record_error(connection: Connection, message: str, *, rate_limited: bool = False) -> None:
    """A sync or a write failed with ``message`` (shown in the status: redacted, cut short). A quota
    answer (``rate_limited``) also backs the connection off for min(2**failures, 60) minutes."""
    with db.tenant_tx(connection.business_id) as tx:
        tx.execute(_FAILED, id=connection.id, message=_error_text(message), rate_limited=rate_limited,
                   max_backoff=MAX_BACKOFF_MIN)


def record_reverted(connection: Connection, count: int) -> None:
    """``count`` edits made in Google to bookings' events were put back (shown in the status)."""
    if count <= 0:
        return
    with db.tenant_tx(connection.business_id) as tx:
        tx.execute(_REVERTED, id=connection.id, count=count)


def due(*, limit: int = 1000) -> list[tuple[UUID, UUID]]:
    """(business_id, connection_id) of the connections a schedule may sync now (connected, not
    backing off), the longest unsynced first, at most ``limit`` (the schedule's time budget ends a
    run long before; the rest come first next time)."""
    with db.jobs_tx() as tx:
        return [(row["business_id"], row["id"]) for row in tx.all(_DUE, limit=limit)]


# --- the status -------------------------------------------------------------------------------------

def status_items(tx: Tx, caller: Caller, *, staff_id: UUID | None = None) -> list[dict[str, Any]]:
    """The connection state of ``staff_id``, or (None) of every active staff member, as the status
    route answers it (never a token)."""
    return tx.all(_STATUS, staff_id=staff_id, me=caller.user_id)


def status(caller: Caller) -> dict[str, Any]:
    """``GET /calendar/status``: owners and admins see every active staff member; the staff role its
    own profile only (nothing when their login is linked to none)."""
    with db.tenant_tx(caller.business_id) as tx:
        if caller.at_least("admin"):
            return {"items": status_items(tx, caller)}
        own = staff.for_user(tx, caller.user_id)
        return {"items": status_items(tx, caller, staff_id=own) if own is not None else []}


def item(caller: Caller, staff_id: UUID) -> dict[str, Any]:
    with db.tenant_tx(caller.business_id) as tx:
        found = status_items(tx, caller, staff_id=staff_id)
    if not found:
        raise NotFound("staff member")
    return found[0]


# --- sync now, and Google's pushes ---------------------------------------------------------------------

# A person's "sync now": a sync lists at least one page at Google, so a button held down must not turn
# into a storm of calls against the connection's quota.
SYNC_NOW_PER_CONNECTION = rate_limit.Limit("calendar_sync_now_per_connection", per=1, window_s=30)
# Google posts every push from a few addresses of its own, for every connection of every tenant: far
# above what it sends, only there to stop a script hammering the public webhook. A push refused is no
# loss: the 15-minute schedule syncs every connection anyway.
PUSHES_PER_ADDRESS = rate_limit.Limit("calendar_pushes_per_address", per=6000, window_s=60)


def sync_now(caller: Caller, staff_id: UUID | None) -> dict[str, Any]:
    """``POST /calendar/google/sync``: sync the staff member's calendar now (inline), then answer their
    status. 409 when not connected (or waiting for a reconnect); 429 asked again within 30 s."""
    with db.tenant_tx(caller.business_id) as tx:
        target_id = target(tx, caller, staff_id)
        connection = of_staff(tx, target_id)
    if connection is None or connection.state != "connected":
        raise NotConnected()
    rate_limit.hit((SYNC_NOW_PER_CONNECTION, str(connection.id)))
    from chalicelib.calendar import busy_sync

    busy_sync.sync(caller.business_id, connection.id)
    return item(caller, target_id)


def pushed(headers: Mapping[str, str], *, client: str) -> None:
    """``POST /calendar/google/notifications``: a push from Google, counted per client address, then
    checked and acted on by the push channels (403 ``invalid_channel`` for a channel or token we did not
    make)."""
    rate_limit.hit((PUSHES_PER_ADDRESS, client))
    from chalicelib.calendar import channels

    channels.notified(headers)
