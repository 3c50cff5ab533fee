"""Calendar sync as a reader of events (``chalicelib.events.readers``): appointment events make the
staff member's Google event match the appointment (``writer``), and ``calendar.sync_requested`` (a
push notification, a connect, a reconnect) syncs a connection's busy times.

An appointment event calls no Google itself: it writes a ``calendar.write_requested`` event in a
message group of its own (derived from the appointment), whose delivery makes the call. The queue
hands an appointment's events on one at a time, with the e-mails about them, so a Google call made
in the appointment's group would hold back its next e-mail by as long as Google takes; in a group of
its own it holds back only the appointment's next write. Nothing is written for an appointment
Google has no part in (its staff member has no connection and it has no event there).

Google failures never fail the event: they are recorded on the connection (busy times) or on the
appointment's link (bookings), and the 15-minute schedule tries again; raising would only have the
queue redeliver the event to every reader. A database failure is raised: the event is delivered again.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from uuid import UUID

from chalicelib.calendar import busy_sync, channels, connections, event_links, writer
from chalicelib.core import db, log
from chalicelib.events import outbox, readers

WRITE_TOPIC = "calendar.write_requested"
TOPICS = ("appointment.", connections.SYNC_TOPIC, WRITE_TOPIC)
_REMINDER = "appointment.reminder"
# The message groups of appointments' Google writes: one per appointment, apart from its e-mails'.
_WRITES = uuid.UUID("5b0c8f51-6a1e-4d7c-9a43-1f2b7c9e0d21")


def handle(event: dict[str, Any]) -> None:
    topic, business_id = event["topic"], event["business_id"]
    if topic == connections.SYNC_TOPIC:
        _sync_requested(business_id, event["payload"])
    elif topic == WRITE_TOPIC:
        writer.write_appointment(business_id, UUID(event["payload"]["appointment_id"]))
    elif topic != _REMINDER:  # a reminder changes nothing of the appointment
        staff_id = event["payload"].get("staff_id")
        _request_write(business_id, UUID(str(event["aggregate_id"])), UUID(staff_id) if staff_id else None)


def _request_write(business_id: UUID, appointment_id: UUID, staff_id: UUID | None) -> None:
    """An appointment changed: its Google write, in a message group of its own (see above). An event
    that does not say whose the appointment is asks for one whatever (the writer reads the rest)."""
    with db.tenant_tx(business_id) as tx:
        if staff_id is None or event_links.concerns_google(tx, appointment_id, staff_id):
            outbox.add(tx, business_id, WRITE_TOPIC, aggregate_id=uuid.uuid5(_WRITES, str(appointment_id)),
                       payload={"appointment_id": str(appointment_id)})


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
