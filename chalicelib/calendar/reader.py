"""Calendar sync as a reader of events (``chalicelib.events.readers``): appointment events make the
staff member's Google event match the appointment (``writer``), and ``calendar.sync_requested`` (a
push notification, a connect, a reconnect) syncs a connection's busy times.

Google failures never fail the event: they are recorded on the connection (busy times) or on the
appointment's link (bookings), and the 15-minute schedule tries again; raising would only have the
queue redeliver the event to every reader. A database failure is raised: the event is delivered again.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from chalicelib.calendar import busy_sync, channels, connections, writer
from chalicelib.core import db, log
from chalicelib.events import readers

TOPICS = ("appointment.", "calendar.sync_requested")


def handle(event: dict[str, Any]) -> None:
    if event["topic"] == "calendar.sync_requested":
        _sync_requested(event["business_id"], event["payload"])
        return
    writer.write_appointment(event["business_id"], UUID(str(event["aggregate_id"])))


def _sync_requested(business_id: UUID, payload: dict[str, Any]) -> None:
    """Sync the connection's busy times (in full when asked); on a connect, also write the staff
    member's upcoming appointments into Google (``backfill``); and open a push channel if it has none.
    Each step is tried even when the one before met Google trouble."""
    connection_id = UUID(payload["connection_id"])
    _tolerating(connection_id, "sync", lambda: busy_sync.sync(business_id, connection_id,
                                                               full=bool(payload.get("full"))))
    with db.tenant_tx(business_id) as tx:
        connection = connections.get(tx, connection_id)
    if connection is None or connection.state != "connected":  # disconnected, or waiting for a reconnect
        return
    if payload.get("backfill"):
        _tolerating(connection_id, "backfill", lambda: writer.backfill(connection))
    _tolerating(connection_id, "channel", lambda: channels.ensure_open(connection))


def _tolerating(connection_id: UUID, step: str, act: Callable[[], Any]) -> None:
    try:
        act()
    except busy_sync.GOOGLE_TROUBLE as e:
        log.emit("calendar.step_skipped", connection_id=str(connection_id), step=step, error=type(e).__name__)


READER = readers.Reader("calendar", TOPICS, handle)
