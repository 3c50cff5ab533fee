"""Which Google event stands for which appointment, in whose calendar, as last written: the calendar
reader's delivery state (``writer``).

A link says where an event of the appointment may be (``staff_id``, ``calendar_id``, ``event_id``)
and what it was last written with (``start_at``, ``end_at``, ``written_version``), so a message
delivered again finds nothing to do, and a sync can tell an edit made in Google from our own write.
``state``: ``present`` (the event is there, as written), ``deleted`` (we removed it, or never made
one), ``failed`` (the last write failed: what Google holds is unknown, and the writer makes sure
of it when it tries again at ``next_attempt_at``; NULL: not before something changes).

One row per appointment, deleted with it; the rows of a staff member go when their calendar is
disconnected.

Owns ``calendar_event_links``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from chalicelib.core.db import Tx

_COLUMNS = """business_id, appointment_id, staff_id, calendar_id, event_id, generation, start_at, end_at,
       written_version, state, last_error, attempts, next_attempt_at"""

_GET = f"""-- the link of one appointment
SELECT {_COLUMNS} FROM calendar_event_links WHERE appointment_id = :appointment_id"""

_SAVE = """-- what a write left in Google (or, failed, where an event may be), replacing what the link said
INSERT INTO calendar_event_links (business_id, appointment_id, staff_id, calendar_id, event_id, generation,
                                  start_at, end_at, written_version, state, last_error, attempts, next_attempt_at)
VALUES (:bid, :appointment_id, :staff_id, :calendar_id, :event_id, :generation, :start_at, :end_at,
        :written_version, :state, :last_error, :attempts, :next_attempt_at)
ON CONFLICT (business_id, appointment_id) DO UPDATE
   SET staff_id = EXCLUDED.staff_id, calendar_id = EXCLUDED.calendar_id, event_id = EXCLUDED.event_id,
       generation = EXCLUDED.generation, start_at = EXCLUDED.start_at, end_at = EXCLUDED.end_at,
       written_version = EXCLUDED.written_version, state = EXCLUDED.state, last_error = EXCLUDED.last_error,
       attempts = EXCLUDED.attempts, next_attempt_at = EXCLUDED.next_attempt_at, updated_at = now()"""

_TAKE_DUE = """-- failed writes whose retry is due, every tenant's, soonest first; leased (next_attempt_at moved on)
-- so an overlapping run takes others, and a run that dies leaves them due again once the lease ends
UPDATE calendar_event_links l
   SET next_attempt_at = now() + make_interval(secs => :lease_s)
  FROM (SELECT business_id, appointment_id FROM calendar_event_links
         WHERE state = 'failed' AND next_attempt_at <= now()
         ORDER BY next_attempt_at
         LIMIT :limit
           FOR UPDATE SKIP LOCKED) due
 WHERE l.business_id = due.business_id AND l.appointment_id = due.appointment_id
RETURNING l.business_id, l.appointment_id"""

_FAILED_OF_STAFF = """-- a staff member's failed writes, retried or not (those waiting for them to reconnect among them)
SELECT appointment_id FROM calendar_event_links
 WHERE business_id = :bid AND staff_id = :staff_id AND state = 'failed'
 ORDER BY appointment_id
 LIMIT :limit"""

_CONCERNS_GOOGLE = """-- whether Google has a part in an appointment: its staff member has a connection (any state), or an
-- event of it is (or may be) in a calendar
SELECT EXISTS (SELECT FROM calendar_connections WHERE staff_id = :staff_id)
    OR EXISTS (SELECT FROM calendar_event_links WHERE appointment_id = :appointment_id AND state <> 'deleted')"""

_FORGET_STAFF = """-- a calendar disconnected: its events stay in Google, we no longer keep them
DELETE FROM calendar_event_links WHERE staff_id = :staff_id"""


@dataclass(frozen=True)
class Link:
    business_id: UUID
    appointment_id: UUID
    staff_id: UUID
    calendar_id: str
    event_id: str
    generation: int
    start_at: datetime | None
    end_at: datetime | None
    written_version: int | None
    state: str
    last_error: str | None
    attempts: int
    next_attempt_at: datetime | None


def get(tx: Tx, appointment_id: UUID) -> Link | None:
    row = tx.one(_GET, appointment_id=appointment_id)
    return Link(**row) if row else None


def save(tx: Tx, link: Link) -> None:
    """Record ``link`` as the appointment's, whatever it said before."""
    values: dict[str, Any] = asdict(link)
    tx.execute(_SAVE, bid=values.pop("business_id"), **values)


def take_due(tx: Tx, *, limit: int, lease_s: float) -> list[tuple[UUID, UUID]]:
    """(business id, appointment id) of up to ``limit`` failed writes due again (a jobs transaction),
    held from other runs for ``lease_s`` seconds."""
    return [(r["business_id"], r["appointment_id"]) for r in tx.all(_TAKE_DUE, limit=limit, lease_s=lease_s)]


def failed_of_staff(tx: Tx, business_id: UUID, staff_id: UUID, *, limit: int) -> list[UUID]:
    """The appointments whose last write to the staff member's calendar failed (at most ``limit``)."""
    return [r["appointment_id"] for r in tx.all(_FAILED_OF_STAFF, bid=business_id, staff_id=staff_id, limit=limit)]


def forget_staff(tx: Tx, staff_id: UUID) -> None:
    """Inside a disconnect's transaction (the tenant's): drop the staff member's links."""
    tx.execute(_FORGET_STAFF, staff_id=staff_id)


def concerns_google(tx: Tx, appointment_id: UUID, staff_id: UUID) -> bool:
    return bool(tx.value(_CONCERNS_GOOGLE, appointment_id=appointment_id, staff_id=staff_id))
