"""Messages that failed for good, for an operator to see and send again.

In AWS the queue moves a message to its dead-letter queue after its retries; ``collect`` moves
those into ``dead_letters`` (a queue cannot be listed or paged, a table can) and deletes them from
the queue. In the local stage the outbox buries a row itself after its retries. A redrive
(``outbox.redrive``) sends a dead letter through the pipeline again: each reader keeps its own
delivery state, so what it already did is not repeated (a notification's log row says sent) and only
what failed goes out.

Owns ``dead_letters``.
"""
from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from chalicelib.core import db, log
from chalicelib.core.db import Tx
from chalicelib.core.pagination import decode_cursor, page
from chalicelib.core.settings import settings

_BURY = """-- a message that failed for good (again, if it was redriven before)
INSERT INTO dead_letters (outbox_id, business_id, receive_count)
VALUES (:outbox_id, :bid, :receive_count)
ON CONFLICT (outbox_id) DO UPDATE
   SET receive_count = EXCLUDED.receive_count, dead_at = now(), redriven_at = NULL"""

_WAITING = """-- the dead letters not sent again yet, oldest first, with their event and last error
SELECT d.outbox_id, d.business_id, d.receive_count, d.dead_at, d.redrives, o.topic, o.aggregate_id,
       o.attempts, o.last_error, o.created_at
  FROM dead_letters d
  JOIN outbox o ON o.id = d.outbox_id
 WHERE d.redriven_at IS NULL
   AND (CAST(:after_at AS timestamptz) IS NULL
        OR (d.dead_at, d.outbox_id) > (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid)))
 ORDER BY d.dead_at, d.outbox_id
 LIMIT :limit"""

_TAKE = """-- the dead letters to send again (all, or those named), marked so a second redrive skips them
UPDATE dead_letters d
   SET redriven_at = now(), redrives = d.redrives + 1
  FROM outbox o
 WHERE o.id = d.outbox_id AND d.redriven_at IS NULL
   AND (CAST(:ids AS uuid[]) IS NULL OR d.outbox_id = ANY(CAST(:ids AS uuid[])))
RETURNING d.outbox_id, d.business_id, d.redrives, o.aggregate_id"""


def bury(outbox_id: UUID, business_id: UUID | None, *, receive_count: int) -> None:
    with db.jobs_tx() as tx:
        _bury(tx, outbox_id, business_id, receive_count)


def _bury(tx: Tx, outbox_id: UUID, business_id: UUID | None, receive_count: int) -> None:
    tx.execute(_BURY, outbox_id=outbox_id, bid=business_id, receive_count=receive_count)
    log.emit("notification.dead", outbox_id=str(outbox_id), receive_count=receive_count)


def collect() -> int:
    """Move what the dead-letter queue holds into the table; answer how many."""
    name = settings().notifications_dlq
    if not name:
        return 0
    from chalicelib.integrations import queue

    moved = 0
    while received := queue.receive(name):
        for message in received:
            body = json.loads(message.body)
            business_id = UUID(body["business_id"]) if body.get("business_id") else None
            with db.jobs_tx() as tx:
                _bury(tx, UUID(body["outbox_id"]), business_id, message.receive_count)
            queue.delete(name, message.receipt)
            moved += 1
    return moved


def _json(row: dict[str, Any]) -> dict[str, Any]:
    return {"outbox_id": str(row["outbox_id"]),
            "business_id": str(row["business_id"]) if row["business_id"] else None,
            "topic": row["topic"], "aggregate_id": str(row["aggregate_id"]),
            "receive_count": row["receive_count"], "last_error": row["last_error"], "redrives": row["redrives"],
            "created_at": row["created_at"].isoformat(), "dead_at": row["dead_at"].isoformat()}


def waiting(*, limit: int, cursor: str | None) -> dict[str, Any]:
    """A page of the dead letters waiting for a redrive (the queue's newest collected first)."""
    collect()
    after = decode_cursor(cursor, 2)
    with db.jobs_tx() as tx:
        rows = tx.all(_WAITING, after_at=after[0] if after else None, after_id=after[1] if after else None,
                      limit=limit + 1)
    return page(rows, limit, lambda r: (r["dead_at"].isoformat(), str(r["outbox_id"])), _json)


def take(tx: Tx, outbox_ids: list[UUID] | None) -> list[dict[str, Any]]:
    """The dead letters to send again (all waiting ones, or those named), marked as redriven."""
    return tx.all(_TAKE, ids=[str(i) for i in outbox_ids] if outbox_ids is not None else None)


# A dead letter's event stays in the outbox while it is here, and goes with the outbox's own rule after.
_PRUNE = """-- retention: dead letters redriven (or, never redriven, dead) the period ago, one batch
DELETE FROM dead_letters WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM dead_letters
     WHERE coalesce(redriven_at, dead_at) < now() - make_interval(secs => :older_than_s)
     ORDER BY coalesce(redriven_at, dead_at) LIMIT :batch))"""


def prune(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """The retention sweep's: delete up to ``batch`` dead letters redriven (or, never redriven, dead)
    more than ``older_than_s`` seconds ago; answer how many."""
    return tx.execute(_PRUNE, older_than_s=older_than_s, batch=batch)
