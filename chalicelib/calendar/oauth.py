"""Connecting and disconnecting a member's Google Calendar: Google's web-server OAuth flow with offline
access and PKCE.

``connect`` makes a state (32 random bytes) and a PKCE verifier and keeps them server-side, since a
Lambda keeps no Flow object between the two requests: the state only as its sha256 (a copy of the
table gives nobody a state to replay), bound to the member and their staff profile, usable once,
for ``STATE_TTL``.

Google sends the browser back to a public route (its redirect carries no token of ours), so that
route only forwards Google's query to the web app (``finish_page``); the web app, where the member
is signed in, posts it to ``finish``. The state alone must not say whose calendar this is: a consent
URL one member started and sent to someone else would otherwise store that person's Google account
on the first member's profile (their busy times, their e-mail, and the right to write into their
calendar). ``finish`` claims only a state the caller started themselves, so the grant always goes to
the person who both asked for the consent URL and clicked Allow; another person's state stays as it
was, for its owner.

``finish`` claims the state in one statement (two racing posts cannot both win), trades the code for
tokens with the verifier, and stores them sealed; a reconnect replaces the tokens and clears the
lost state. It then asks for the first sync (full, with a backfill of the upcoming appointments)
through the outbox, so the member does not wait on Google.

``disconnect`` stops the push channels, revokes the grant at Google (best effort: a failure there is
logged, the member's wish to be disconnected is not refused for it), and deletes the busy times,
the event links and the connection with its tokens.

Owns ``calendar_oauth_states``.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import Any, Literal
from urllib.parse import urlencode
from uuid import UUID

from chalicelib.billing import gate
from chalicelib.business import service as business
from chalicelib.calendar import connections, token_seal
from chalicelib.calendar.connections import Connection
from chalicelib.core import db, log
from chalicelib.core.db import Tx
from chalicelib.core.errors import Conflict
from chalicelib.core.security import Caller
from chalicelib.core.settings import settings
from chalicelib.events import outbox
from chalicelib.integrations import google_calendar
from chalicelib.staff import service as staff

STATE_TTL = timedelta(minutes=10)
# Open connects a member may have at once (tabs, retries); the oldest go first.
MAX_OPEN_STATES = 3

Refusal = Literal["invalid_state", "access_denied", "scope", "failed"]

_DROP_OLD_STATES = """-- make room for one more connect of this member: their expired or used states, and the oldest
-- open ones beyond the few allowed
DELETE FROM calendar_oauth_states
 WHERE business_id = :bid AND user_id = :uid
   AND (expires_at <= now() OR used_at IS NOT NULL
        OR state_hash IN (SELECT state_hash FROM calendar_oauth_states
                           WHERE business_id = :bid AND user_id = :uid AND used_at IS NULL AND expires_at > now()
                           ORDER BY created_at DESC OFFSET :keep))"""

_ADD_STATE = """-- a connect under way: the state's hash, whose it is, and the PKCE verifier the callback needs
INSERT INTO calendar_oauth_states (state_hash, business_id, user_id, staff_id, code_verifier, expires_at)
VALUES (:hash, :bid, :uid, :sid, :verifier, now() + make_interval(secs => :ttl_s))
RETURNING expires_at"""

_CLAIM_STATE = """-- the member finishing a connect takes its state: once, before it expires, and only one they started
-- themselves (another member's state finds nothing and stays usable by them); a second post finds nothing
UPDATE calendar_oauth_states SET used_at = now()
 WHERE state_hash = :hash AND business_id = :bid AND user_id = :uid AND used_at IS NULL AND expires_at > now()
RETURNING business_id, user_id, staff_id, code_verifier"""

_UPSERT = """-- the member's grant for the staff profile: a new connection, or a reconnect that replaces the
-- tokens and starts its sync afresh (any lost state, error, backoff and sync token cleared)
INSERT INTO calendar_connections (id, business_id, staff_id, user_id, google_email, refresh_token_sealed,
                                  access_token_sealed, access_expires_at, scopes)
VALUES (:id, :bid, :sid, :uid, :email, :refresh, :access, :expires_at, CAST(:scopes AS text[]))
ON CONFLICT (business_id, staff_id) DO UPDATE
   SET user_id = EXCLUDED.user_id, google_email = EXCLUDED.google_email, state = 'connected',
       lost_reason = NULL, refresh_token_sealed = EXCLUDED.refresh_token_sealed,
       access_token_sealed = EXCLUDED.access_token_sealed, access_expires_at = EXCLUDED.access_expires_at,
       scopes = EXCLUDED.scopes, sync_token = NULL, full_sync_at = NULL, last_error = NULL,
       last_error_at = NULL, backoff_until = NULL, failures = 0, connected_at = now(), updated_at = now()
RETURNING id"""

_EXISTING = """-- the staff profile's connection, if any (its id seals the tokens) and whose Google account it holds
SELECT id, google_email FROM calendar_connections WHERE staff_id = :sid"""

_SEALED_REFRESH = """-- the grant to revoke at Google on disconnect
SELECT refresh_token_sealed FROM calendar_connections WHERE id = :id"""

_DELETE = """-- the connection and its tokens (its push channels go with it: ON DELETE CASCADE)
DELETE FROM calendar_connections WHERE id = :id"""

_PRUNE = """-- retention: connects never finished (or finished), the period after they expired, one batch
DELETE FROM calendar_oauth_states WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM calendar_oauth_states WHERE expires_at < now() - make_interval(secs => :older_than_s)
     ORDER BY expires_at LIMIT :batch))"""


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


# --- connect ------------------------------------------------------------------------------------

def connect(caller: Caller) -> dict[str, Any]:
    """``GET /calendar/google/connect``: the consent URL for the caller's own staff profile. 403
    ``plan_required`` without Google Calendar sync; 409 ``no_staff_profile`` when their login is
    linked to none."""
    state = secrets.token_urlsafe(32)
    verifier = google_calendar.new_code_verifier()
    with db.tenant_tx(caller.business_id, lock=f"calendar_connect:{caller.user_id}") as tx:
        gate.require_feature(tx, caller.business_id, connections.FEATURE)
        staff_id = staff.for_user(tx, caller.user_id)
        if staff_id is None:
            raise connections.NoStaffProfile()
        tx.execute(_DROP_OLD_STATES, bid=caller.business_id, uid=caller.user_id, keep=MAX_OPEN_STATES - 1)
        expires_at = tx.value(_ADD_STATE, hash=_hash(state), bid=caller.business_id, uid=caller.user_id,
                              sid=staff_id, verifier=verifier, ttl_s=STATE_TTL.total_seconds())
    return {"url": google_calendar.consent_url(state=state, code_verifier=verifier), "expires_at": expires_at}


# --- Google's redirect back, and the member finishing the connect ------------------------------

_REFUSALS: dict[Refusal, str] = {
    "invalid_state": "This link to Google expired, was already used, or was not started by you. Connect again.",
    "access_denied": "Access was declined on Google's page, so nothing was connected.",
    "scope": "Google did not grant the permission to see and edit calendar events. Connect again and allow it.",
    "failed": "Google did not complete the connection. Please try again.",
}


class ConnectFailed(Conflict):
    """The connect was not finished, and nothing was stored; ``details.reason`` says why."""
    code = "calendar_connect_failed"

    def __init__(self, reason: Refusal) -> None:
        super().__init__(_REFUSALS[reason], details={"reason": reason})


# The web app's page that finishes a connect in the member's signed-in browser.
FINISH_PATH = "/account/google-callback"


def finish_page(*, state: str | None, code: str | None, error: str | None) -> str:
    """``GET /calendar/google/callback``: where to send the browser Google redirected, the web app's
    page with Google's state, code and error (only those: Google's other parameters are no use
    there). Nothing is looked up or stored: the page posts them to ``finish`` as the signed-in member."""
    query = {name: value for name, value in (("state", state), ("code", code), ("error", error)) if value is not None}
    return f"{settings().app_base_url}{FINISH_PATH}" + (f"?{urlencode(query)}" if query else "")


def _refused(reason: Refusal, **fields: Any) -> ConnectFailed:
    log.emit("calendar.connect_refused", reason=reason, **{k: str(v) for k, v in fields.items()})
    return ConnectFailed(reason)


def _claim(caller: Caller, state: str) -> dict[str, Any] | None:
    with db.tenant_tx(caller.business_id) as tx:
        return tx.one(_CLAIM_STATE, hash=_hash(state), bid=caller.business_id, uid=caller.user_id)


def _exchange(code: str, verifier: str) -> google_calendar.Tokens | Refusal:
    """Google's tokens for the code, or why not."""
    try:
        tokens = google_calendar.exchange_code(code=code, code_verifier=verifier)
    except google_calendar.GoogleAuthLost as e:
        return "scope" if e.reason == "scope" else "failed"
    except (google_calendar.GoogleUnavailable, google_calendar.GoogleRejected) as e:
        log.emit("calendar.exchange_failed", error=f"{type(e).__name__}: {e}")
        return "failed"
    if not tokens.refresh_token:  # without one nothing can sync once the hour-long access token ends
        return "failed"
    return tokens


def _linked(tx: Tx, business_id: UUID, staff_id: UUID, user_id: UUID) -> bool:
    """The staff profile is still linked to the member's login, and the member still on the team
    (either may have changed in the minutes the person spent at Google)."""
    profile = staff.get(tx, staff_id)
    return profile is not None and profile["user_id"] == user_id \
        and business.member_role(tx, business_id, user_id) is not None


def _store(claimed: dict[str, Any], tokens: google_calendar.Tokens) -> UUID | None:
    """Seal and store the tokens as the staff profile's connection, and ask for its first sync (full,
    with the upcoming appointments written in); None when the profile is no longer the member's."""
    bid, sid, uid = claimed["business_id"], claimed["staff_id"], claimed["user_id"]
    with db.tenant_tx(bid) as tx:
        if not _linked(tx, bid, sid, uid):
            return None
        previous = connections.of_staff(tx, sid)
    if previous is not None:
        # A reconnect: the old grant's push channels stop (best effort; their rows go), so the first
        # sync opens one under the new grant, for the account connected now.
        from chalicelib.calendar import channels

        channels.stop_all(previous)
    # Locked per staff profile: two callbacks for one profile (two tabs) take turns, and the second
    # replaces the first's tokens under the same connection id, which the seals are bound to.
    with db.tenant_tx(bid, lock=f"calendar_connection:{sid}") as tx:
        if not _linked(tx, bid, sid, uid):  # relinked meanwhile
            return None
        existing = tx.one(_EXISTING, sid=sid)
        connection_id = existing["id"] if existing else uuid.uuid4()
        if existing and existing["google_email"] != tokens.email:
            _forget_calendar_data(tx, sid)  # another Google account: the old one's busy times and links go
        seal = token_seal.seal
        tx.execute(_UPSERT, id=connection_id, bid=bid, sid=sid, uid=uid, email=tokens.email,
                   refresh=seal(tokens.refresh_token or "", connection_id=connection_id, column="refresh"),
                   access=seal(tokens.access_token, connection_id=connection_id, column="access"),
                   expires_at=tokens.expires_at, scopes=list(tokens.scopes))
        outbox.add(tx, bid, connections.SYNC_TOPIC, aggregate_id=connection_id,
                   payload={"connection_id": str(connection_id), "full": True, "backfill": True})
    log.emit("calendar.connected", business_id=str(bid), staff_id=str(sid), connection_id=str(connection_id),
             reconnect=existing is not None)
    return connection_id


def finish(caller: Caller, *, state: str, code: str | None, error: str | None) -> dict[str, Any]:
    """``POST /calendar/google/callback``: finish the caller's own connect with what Google's redirect
    carried; answer their connection's status. Refused (409 ``calendar_connect_failed``, nothing
    stored) with ``details.reason``: ``invalid_state`` for a state unknown, used, expired or started by
    someone else (checked before anything else, and another person's state is left as it was),
    ``access_denied`` for a refusal at Google, ``scope`` for a grant without the calendar permission,
    ``failed`` for a code Google does not trade. A state claimed is spent, whatever follows."""
    claimed = _claim(caller, state) if state else None
    if claimed is None:
        raise _refused("invalid_state", business_id=caller.business_id, user_id=caller.user_id)
    who = {"business_id": claimed["business_id"], "staff_id": claimed["staff_id"]}
    if error:
        raise _refused("access_denied" if error == "access_denied" else "failed", **who)
    if not code:
        raise _refused("failed", **who)
    tokens = _exchange(code, claimed["code_verifier"])
    if isinstance(tokens, str):
        raise _refused(tokens, **who)
    if _store(claimed, tokens) is None:
        raise _refused("invalid_state", **who)
    return connections.item(caller, claimed["staff_id"])


# --- disconnect ---------------------------------------------------------------------------------

def _forget_calendar_data(tx: Tx, staff_id: UUID) -> None:
    """The busy times synced from the staff member's Google account, and which Google event stands
    for which booking (the events stay in Google: they are the member's calendar now)."""
    from chalicelib.calendar import busy_sync, writer

    busy_sync.forget(tx, staff_id)
    writer.forget_staff(tx, staff_id)


def _revoke(connection: Connection) -> None:
    """Best effort: the grant revoked at Google, so the copy we delete next is worthless anywhere."""
    with db.tenant_tx(connection.business_id) as tx:
        sealed = tx.value(_SEALED_REFRESH, id=connection.id)
    if sealed is None:
        return
    try:
        google_calendar.revoke(token_seal.unseal(bytes(sealed), connection_id=connection.id, column="refresh"))
    except (google_calendar.GoogleUnavailable, google_calendar.GoogleRejected, token_seal.Unreadable) as e:
        # logged; the tokens are deleted all the same
        log.emit("calendar.revoke_failed", business_id=str(connection.business_id),
                 connection_id=str(connection.id), error=f"{type(e).__name__}: {e}")


def disconnect(caller: Caller, staff_id: UUID | None) -> None:
    """``DELETE /calendar/google``: the caller's own calendar, or (owners and admins) another staff
    member's. Nothing connected: nothing to do."""
    with db.tenant_tx(caller.business_id) as tx:
        target = connections.target(tx, caller, staff_id)
        connection = connections.of_staff(tx, target)
    if connection is None:
        return
    from chalicelib.calendar import channels

    channels.stop_all(connection)  # best effort, and before the revoke: stopping takes the grant
    _revoke(connection)
    with db.tenant_tx(caller.business_id, lock=f"calendar_connection:{target}") as tx:
        _forget_calendar_data(tx, target)
        tx.execute(_DELETE, id=connection.id)
    log.emit("calendar.disconnected", business_id=str(caller.business_id), staff_id=str(target),
             connection_id=str(connection.id))


# --- retention -----------------------------------------------------------------------------------

def prune_states(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """The retention sweep's (every tenant's, in its role): delete up to ``batch`` states that expired
    more than ``older_than_s`` seconds ago, used or not; answer how many."""
    return tx.execute(_PRUNE, older_than_s=older_than_s, batch=batch)

