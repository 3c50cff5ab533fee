"""Appointment reminders: armed with the appointment, sent by a sweep when due.

The transaction that books, moves or cancels an appointment re-arms its reminders (``arm``): one
row per offset of the business's settings, due exactly that long before the start in real time
(an interval of minutes, so a DST change in between moves nothing). The sweep (every 5 minutes)
claims the due rows and writes an outbox row for each in one transaction. The row's key
(appointment, offset, start) and its state make each reminder happen once: a late run catches
up, a doubled or overlapping run finds the rows claimed (or locked, and skips them).

Owns ``reminders``.
"""
from __future__ import annotations

import time
from collections.abc import Iterable
from uuid import UUID

from chalicelib.core import db, log
from chalicelib.core.db import Tx
from chalicelib.events import outbox

DEFAULT_OFFSETS_MIN = (1440, 120)
# Rows claimed per transaction, and how long one sweep keeps claiming before leaving the rest to the
# next run (a Lambda invocation has a time limit; the next run is 5 minutes away).
SWEEP_BATCH = 500
SWEEP_BUDGET_S = 60.0

_WANTED = """-- the reminders an appointment should have now: one per offset of the business's settings, for its
-- current start, while it is pending or confirmed
wanted AS (
    SELECT a.business_id, a.id AS appointment_id, o.offset_min, a.start_at AS starts_at,
           a.start_at - make_interval(mins => o.offset_min) AS due_at
      FROM appointments a
     CROSS JOIN unnest(coalesce((SELECT reminder_offsets_min FROM notification_settings WHERE business_id = :bid),
                                CAST(:default_offsets AS integer[]))) AS o(offset_min)
     WHERE a.business_id = :bid AND a.status IN ('pending', 'confirmed') AND {which}
)"""

_ARM = """-- re-arm reminders: drop the unsent ones that no longer fit, add the missing ones whose moment is
-- still ahead (a moment already passed when the booking was made is skipped). The two sets never
-- share a key, so one statement does both.
WITH {wanted}, dropped AS (
    DELETE FROM reminders r
     WHERE r.business_id = :bid AND r.state = 'scheduled' AND {dropping}
       AND NOT EXISTS (SELECT 1 FROM wanted w
                        WHERE w.appointment_id = r.appointment_id AND w.offset_min = r.offset_min
                          AND w.starts_at = r.starts_at)
)
INSERT INTO reminders (business_id, appointment_id, offset_min, starts_at, due_at)
SELECT business_id, appointment_id, offset_min, starts_at, due_at FROM wanted WHERE due_at > now()
ON CONFLICT ON CONSTRAINT reminders_once_key DO NOTHING"""

_ARM_APPOINTMENTS = _ARM.format(
    wanted=_WANTED.format(which="a.id = ANY(CAST(:ids AS uuid[]))"),
    dropping="r.appointment_id = ANY(CAST(:ids AS uuid[]))")

_ARM_BUSINESS = _ARM.format(
    wanted=_WANTED.format(which="a.start_at > now()"),
    dropping="r.starts_at > now()")

_CLAIM = """-- claim the due reminders (rows another run holds are left to it). One whose appointment has begun
-- is skipped, and so is one overtaken by a nearer reminder of the same start that is due too (after
-- an outage the 2 h reminder goes, not the 24 h one as well).
WITH due AS (
    SELECT id FROM reminders
     WHERE state = 'scheduled' AND due_at <= now()
     ORDER BY due_at
     LIMIT :batch
       FOR UPDATE SKIP LOCKED
)
UPDATE reminders r
   SET claimed_at = now(),
       state = CASE WHEN r.starts_at <= now() OR EXISTS (
                         SELECT 1 FROM reminders nearer
                          WHERE nearer.appointment_id = r.appointment_id AND nearer.starts_at = r.starts_at
                            AND nearer.offset_min < r.offset_min AND nearer.due_at <= now())
                    THEN 'skipped' ELSE 'enqueued' END
  FROM due
 WHERE r.id = due.id
RETURNING r.id, r.business_id, r.appointment_id, r.offset_min, r.starts_at, r.state"""


def arm(tx: Tx, business_id: UUID, appointment_ids: Iterable[UUID]) -> None:
    """Bring these appointments' reminders in line with their status and start, in the caller's
    transaction (the one that changed them)."""
    tx.execute(_ARM_APPOINTMENTS, bid=business_id, ids=[str(i) for i in appointment_ids],
               default_offsets=list(DEFAULT_OFFSETS_MIN))


def arm_cte(source: str) -> str:
    """``arm`` for appointments of business ``:bid`` that the same statement inserts (the rows of its
    CTE ``source``, with ``id``, ``status`` and ``start_at``), as a CTE named ``armed``: a new
    appointment has no reminders to drop, only ones to add. Parameters ``:bid`` and
    ``:default_offsets`` (``DEFAULT_OFFSETS_MIN``)."""
    return f"""armed AS (
  INSERT INTO reminders (business_id, appointment_id, offset_min, starts_at, due_at)
  SELECT :bid, a.id, o.offset_min, a.start_at, a.start_at - make_interval(mins => o.offset_min)
    FROM {source} a
   CROSS JOIN unnest(coalesce((SELECT reminder_offsets_min FROM notification_settings WHERE business_id = :bid),
                              CAST(:default_offsets AS integer[]))) AS o(offset_min)
   WHERE a.status IN ('pending', 'confirmed') AND a.start_at - make_interval(mins => o.offset_min) > now()
  ON CONFLICT ON CONSTRAINT reminders_once_key DO NOTHING
)"""


def rearm_business(tx: Tx, business_id: UUID) -> None:
    """Every upcoming appointment of the business, after its reminder offsets changed."""
    tx.execute(_ARM_BUSINESS, bid=business_id, default_offsets=list(DEFAULT_OFFSETS_MIN))


def sweep(*, batch: int = SWEEP_BATCH, budget_s: float = SWEEP_BUDGET_S) -> int:
    """Enqueue every due reminder (the schedule's work); answer how many were sent to the outbox."""
    started = time.monotonic()
    sent = 0
    while True:
        with db.jobs_tx() as tx:
            claimed = tx.all(_CLAIM, batch=batch)
            due = [r for r in claimed if r["state"] == "enqueued"]
            # Each becomes an outbox row in the claim's transaction: claimed and enqueued, or neither.
            outbox.add_many(tx, [outbox.Event(
                r["business_id"], "appointment.reminder", r["appointment_id"],
                {"appointment_id": str(r["appointment_id"]), "offset_min": r["offset_min"],
                 "start_at": r["starts_at"].isoformat(), "reminder_id": str(r["id"])}) for r in due])
        sent += len(due)
        if len(claimed) < batch or time.monotonic() - started > budget_s:
            break
    if sent:
        log.emit("reminders.enqueued", count=sent)
    return sent


# A reminder's key stops a move back to a start already reminded about from arming it again; for a
# start the period ago nothing is armed any more (its moment passed).
_PRUNE = """-- retention: reminders sent or skipped for starts the period ago, one batch
DELETE FROM reminders WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM reminders
     WHERE state <> 'scheduled' AND starts_at < now() - make_interval(secs => :older_than_s)
     ORDER BY starts_at LIMIT :batch))"""


def prune(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """The retention sweep's: delete up to ``batch`` reminders sent or skipped for starts more than
    ``older_than_s`` seconds ago; answer how many."""
    return tx.execute(_PRUNE, older_than_s=older_than_s, batch=batch)
