"""Push: Google tells us a connected calendar changed (an ``events.watch`` channel), and we sync it.

A channel is opened per connection when the stage has a push address (none: the 15-minute schedule
alone keeps busy times fresh). Google posts to the notifications webhook with the channel's id and a
token we chose: 32 random bytes, of which only the sha256 is stored, checked in constant time. A
right pair writes a ``calendar.sync_requested`` event (the calendar reader syncs, after the commit)
unless one asked for earlier has not begun listing yet (``connections.want_sync``): a burst of
edits is one sync, and a change made once a sync has begun is never folded into it (a window of
"one per 30 s" would leave such a change to the schedule, up to 15 minutes of slots that are not
free).

Channels last ``TTL`` and are renewed when within ``RENEW_BEFORE`` of their end: the new channel is
opened first, then the old one is stopped at Google; the old row stays accepted until it expires (a
notification already on its way still counts) and is deleted then, so the table holds at most two
live channels per connection plus a day of expired ones.

Owns ``calendar_push_channels``.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from chalicelib.calendar import connections
from chalicelib.calendar.connections import Connection
from chalicelib.core import db, log
from chalicelib.core.errors import Forbidden
from chalicelib.core.settings import settings
from chalicelib.events import outbox

TTL = timedelta(days=7)
RENEW_BEFORE = timedelta(hours=24)
# Channels renewed per run (each costs two calls to Google); the rest wait for the next run.
RENEW_BATCH = 50
# Expired channels deleted per statement and run.
PRUNE_BATCH = 1000

_ADD = """-- a channel Google accepted: its token kept as a hash only
INSERT INTO calendar_push_channels (id, business_id, connection_id, resource_id, token_hash, expires_at)
VALUES (:id, :bid, :connection_id, :resource_id, :token_hash, :expires_at)"""

_FIND = """-- the channel a notification names, in whichever tenant (the webhook knows none yet)
SELECT business_id, connection_id, token_hash, expires_at FROM calendar_push_channels WHERE id = :id"""

_LIVE = """-- whether a connection has a live channel (one near its end is renew_due's)
SELECT EXISTS (SELECT FROM calendar_push_channels WHERE connection_id = :connection_id AND expires_at > now())"""

_OF_CONNECTION = """-- a connection's channels, to stop them all (a disconnect)
SELECT id, resource_id FROM calendar_push_channels WHERE connection_id = :connection_id"""

_DROP = """-- a disconnected connection's channels (stopped at Google, or left to expire there)
DELETE FROM calendar_push_channels WHERE id = ANY(CAST(:ids AS uuid[]))"""

_DUE = """-- channels expiring soon whose connection is connected (one waiting for a reconnect cannot renew) and
-- has no newer one yet, soonest first
SELECT c.id, c.business_id, c.connection_id, c.resource_id FROM calendar_push_channels c
  JOIN calendar_connections k ON k.id = c.connection_id AND k.state = 'connected'
 WHERE c.expires_at > now() AND c.expires_at <= now() + make_interval(secs => :renew_s)
   AND NOT EXISTS (SELECT FROM calendar_push_channels n
                    WHERE n.connection_id = c.connection_id
                      AND n.expires_at > now() + make_interval(secs => :renew_s))
 ORDER BY c.expires_at
 LIMIT :batch"""

_PRUNE = """-- expired channels (Google sends nothing on them any more), a batch
DELETE FROM calendar_push_channels WHERE id IN (
    SELECT id FROM calendar_push_channels WHERE expires_at <= now() ORDER BY expires_at LIMIT :batch)"""


class InvalidChannel(Forbidden):
    code, message = "invalid_channel", "The notification's channel is unknown or its token is wrong."


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_channel(connection: Connection) -> bool:
    """Ask Google to notify us of changes to the connection's calendar (nothing without a push
    address). Answers whether a channel was opened. Raises Google's failures."""
    address = settings().google_push_address
    if address is None:
        return False
    channel_id, token = uuid.uuid4(), secrets.token_urlsafe(32)
    with connections.calendar(connection) as calendar:
        resource_id, expires_at = calendar.watch(connection.calendar_id, channel_id=str(channel_id), token=token,
                                                 address=address, ttl_s=int(TTL.total_seconds()))
    # A crash here leaves a channel Google posts to and we refuse (403) until it expires: harmless.
    with db.tenant_tx(connection.business_id) as tx:
        tx.execute(_ADD, id=channel_id, bid=connection.business_id, connection_id=connection.id,
                   resource_id=resource_id, token_hash=_hash(token), expires_at=expires_at)
    log.emit("calendar.channel_opened", connection_id=str(connection.id), channel_id=str(channel_id))
    return True


def ensure_open(connection: Connection) -> bool:
    """A channel for the connection unless it has a live one (a first sync, a reconnect, a watch that
    failed before, channels that expired meanwhile). Answers whether one was opened."""
    if settings().google_push_address is None:
        return False
    with db.tenant_tx(connection.business_id) as tx:
        if tx.value(_LIVE, connection_id=connection.id):
            return False
    return open_channel(connection)


def stop_all(connection: Connection) -> None:
    """A disconnect: stop every channel of the connection at Google (best effort: one that fails just
    expires, and its notifications find no row) and delete them. Call before the tokens go."""
    with db.tenant_tx(connection.business_id) as tx:
        found = tx.all(_OF_CONNECTION, connection_id=connection.id)
    if not found:
        return
    try:
        with connections.calendar(connection) as calendar:
            for channel in found:
                calendar.stop_channel(channel_id=str(channel["id"]), resource_id=channel["resource_id"])
    except connections.GOOGLE_TROUBLE as e:
        log.emit("calendar.channel_stop_failed", connection_id=str(connection.id), error=type(e).__name__)
    with db.tenant_tx(connection.business_id) as tx:
        tx.execute(_DROP, ids=[str(c["id"]) for c in found])


def renew_due(*, limit: int = RENEW_BATCH, deadline: float | None = None) -> int:
    """The schedule's: delete expired channels, and give each connection whose channel expires within
    ``RENEW_BEFORE`` a new one, then stop the old one at Google (its row stays until it expires). A
    connection that cannot be reached now, or is not reached before ``deadline`` (``time.monotonic``),
    is tried at the next run (a day ahead of the channel's end, there are many). Answers how many were
    renewed."""
    with db.jobs_tx() as tx:
        pruned = tx.execute(_PRUNE, batch=PRUNE_BATCH)
        due = tx.all(_DUE, renew_s=RENEW_BEFORE.total_seconds(), batch=limit)
    renewed = 0
    for channel in due:
        if deadline is not None and time.monotonic() >= deadline:
            break
        try:
            renewed += _renew(channel)
        except connections.GOOGLE_TROUBLE as e:  # the connection is tried again at the next run
            log.emit("calendar.channel_renew_failed", connection_id=str(channel["connection_id"]),
                     error=type(e).__name__)
    if pruned or due:
        log.emit("calendar.channels_renewed", renewed=renewed, due=len(due), pruned=pruned)
    return renewed


def _renew(channel: dict[str, Any]) -> int:
    """A new channel for the old one's connection, then the old one stopped at Google (best effort:
    left running, it just expires; its row stays accepted until then either way)."""
    with db.tenant_tx(channel["business_id"]) as tx:
        connection = connections.get(tx, channel["connection_id"])
    if connection is None or not open_channel(connection):
        return 0
    try:
        with connections.calendar(connection) as calendar:
            calendar.stop_channel(channel_id=str(channel["id"]), resource_id=channel["resource_id"])
    except connections.GOOGLE_TROUBLE as e:
        log.emit("calendar.channel_stop_failed", connection_id=str(connection.id), error=type(e).__name__)
    return 1


def notified(headers: Mapping[str, str]) -> None:
    """The notifications webhook: Google says the calendar behind a channel changed. The channel id
    and token must match a live channel (``InvalidChannel`` otherwise); the first ("sync") message of
    a channel asks for nothing; anything else requests a sync of the connection, debounced."""
    given = {name.lower(): value for name, value in headers.items()}
    channel = _channel(given.get("x-goog-channel-id", ""), given.get("x-goog-channel-token", ""))
    if given.get("x-goog-resource-state") == "sync":
        return
    business_id, connection_id = channel["business_id"], channel["connection_id"]
    with db.tenant_tx(business_id) as tx:
        if not connections.want_sync(tx, connection_id):
            return
        outbox.add(tx, business_id, connections.SYNC_TOPIC, aggregate_id=connection_id,
                   payload={"connection_id": str(connection_id)})


def _channel(channel_id: str, token: str) -> dict[str, Any]:
    """The live channel ``channel_id`` names, if ``token`` is its token. The hashes are compared in
    constant time, and a comparison is made even for an unknown id."""
    try:
        key = UUID(channel_id)
    except ValueError:
        raise InvalidChannel() from None
    with db.jobs_tx() as tx:
        found = tx.one(_FIND, id=key)
    expected = found["token_hash"] if found else _hash(secrets.token_urlsafe(32))
    if not hmac.compare_digest(expected, _hash(token)) or found is None \
            or found["expires_at"] <= datetime.now(timezone.utc):
        raise InvalidChannel()
    return found
