"""The outbox: domain events written in the same transaction as the change they describe, so an
event exists exactly when its change committed; and their dispatch to the events' readers
(``readers``: notifications today).

Right after the commit, the transaction's rows are sent to the SQS FIFO queue (one message group
per appointment or person, so events about one keep their order; the row id deduplicates), and
the queue's consumer marks a row dispatched when it takes it, then hands it to each reader of its
topic. Without a queue (the local stage) they are handed to the readers in-process. Either way the
request does not depend on it: the sweep (every minute) sends again any row nobody took (a crash
after commit, a queue outage), the queue's deduplication and each reader's own delivery state
keeping that from doing anything twice; in the local stage it also retries failed deliveries until
they count as dead letters.

Below every domain module: it imports none (``tests/events/test_layering.py``).

Owns ``outbox``.
"""
from __future__ import annotations

import json
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from chalicelib.core import db, log
from chalicelib.core.db import Tx
from chalicelib.core.settings import settings
from chalicelib.events import dead_letters, readers

# Local-stage deliveries tried this many times before they become dead letters (the SQS queue's
# maxReceiveCount plays this part in AWS: infra/booking_infra/messaging.py reads it from here).
MAX_ATTEMPTS = 5
# The notification worker's Lambda timeout (the App stack sets it from here) and the queue's visibility
# timeout (infra/booking_infra/messaging.py): AWS advises six times the function's timeout for an SQS
# event source, so a message the poller still holds (its retries of a throttled invoke) or a worker
# still runs is not received again by a second worker meanwhile.
WORKER_TIMEOUT_S = 60
VISIBILITY_TIMEOUT_S = 6 * WORKER_TIMEOUT_S
# A row younger than this may still be on its way to the worker; the sweep leaves it alone.
SWEEP_GRACE_S = 120
# How long a sweep holds the rows it sent on: a row queued behind a failing message of its group waits
# in SQS for up to its retries, and the sweep, which cannot tell queued from lost, sends it again at
# most this often (harmless: the deliveries are keyed; only wasted). Locally: the retry interval.
SWEEP_LEASE_S = 300
SWEEP_BATCH = 200

_ADD = """-- an event about an appointment or a person, for its readers
INSERT INTO outbox (business_id, topic, aggregate_id, payload)
VALUES (:bid, :topic, :aggregate_id, CAST(:payload AS jsonb))
RETURNING id"""

_TAKE_PENDING = """-- rows no request dispatched (a crash after commit, a queue outage, a local delivery that failed
-- and may try again), oldest first, leased to this sweep so an overlapping one takes others
UPDATE outbox SET lease_until = now() + make_interval(secs => :lease)
 WHERE id IN (SELECT id FROM outbox
               WHERE dispatched_at IS NULL AND created_at < now() - make_interval(secs => :grace)
                 AND attempts < :max_attempts AND (lease_until IS NULL OR lease_until < now())
               ORDER BY created_at
               LIMIT :batch
                 FOR UPDATE SKIP LOCKED)
RETURNING id, business_id, aggregate_id"""

_ADD_MANY = """-- several events in one statement (a sweep's batch)
INSERT INTO outbox (business_id, topic, aggregate_id, payload)
SELECT * FROM unnest(CAST(:bids AS uuid[]), CAST(:topics AS text[]), CAST(:aggregates AS uuid[]),
                     CAST(:payloads AS jsonb[]))
RETURNING id, business_id, aggregate_id"""

_REDRIVEN = """-- a redriven row starts its retries afresh (the local stage counts them on the row); the sweep
-- leaves it to the redrive for a lease
UPDATE outbox SET attempts = 0, dispatched_at = NULL, lease_until = now() + make_interval(secs => :lease)
 WHERE id = ANY(CAST(:ids AS uuid[]))"""

_RECENT = """-- how many events of a kind about one person or thing this transaction's scope holds lately
SELECT count(*) FROM outbox
 WHERE topic = :topic AND aggregate_id = :aggregate_id AND created_at > now() - make_interval(secs => :within)"""

_TAKE = """-- a consumer has the event: the sweep leaves it alone from now on (the queue retries it if need be)
UPDATE outbox SET dispatched_at = coalesce(dispatched_at, now()) WHERE id = :id
RETURNING id, business_id, topic, aggregate_id, payload, created_at, attempts"""

_GET = """-- one event, as it is
SELECT id, business_id, topic, aggregate_id, payload, created_at, attempts FROM outbox WHERE id = :id"""

_FAILED = """-- a delivery attempt failed: what went wrong, for the dead-letter view; without a queue the row
-- goes back to the sweep, which is the local stage's retry
UPDATE outbox SET attempts = attempts + 1, last_error = :error,
                  dispatched_at = CASE WHEN :retry_from_sweep THEN NULL ELSE dispatched_at END
 WHERE id = :id RETURNING attempts"""


@dataclass(frozen=True)
class Ref:
    """What the queue message carries: enough to find the row and its group."""
    id: UUID
    business_id: UUID | None
    aggregate_id: UUID

    def body(self) -> str:
        return json.dumps({"outbox_id": str(self.id),
                           "business_id": str(self.business_id) if self.business_id else None})


def add(tx: Tx, business_id: UUID | None, topic: str, *, aggregate_id: UUID, payload: dict[str, Any]) -> UUID:
    """Write an event (``payload`` is plain JSON: ids and times as the API writes them); it is
    dispatched once ``tx`` commits. ``business_id`` None: a message of the product's own (auth)."""
    row_id = tx.value(_ADD, bid=business_id, topic=topic, aggregate_id=aggregate_id, payload=json.dumps(payload))
    dispatch_after_commit(tx, [Ref(row_id, business_id, aggregate_id)])
    return row_id


def insert_cte(source: str) -> str:
    """``add`` as a CTE named ``outboxed`` of the statement that makes the change (one round trip
    less): an event about each row of the CTE ``source`` (its ``id`` the aggregate), answering the
    outbox row's ``id``. Parameters ``:bid``, ``:outbox_topic``, ``:outbox_payload`` (JSON text);
    pass each answered id to ``added``."""
    return f"""outboxed AS (
  INSERT INTO outbox (business_id, topic, aggregate_id, payload)
  SELECT :bid, :outbox_topic, id, CAST(:outbox_payload AS jsonb) FROM {source}
  RETURNING id
)"""


def added(tx: Tx, business_id: UUID | None, outbox_id: UUID, *, aggregate_id: UUID) -> None:
    """A row written by ``insert_cte``: dispatched once ``tx`` commits, as ``add``'s are."""
    dispatch_after_commit(tx, [Ref(outbox_id, business_id, aggregate_id)])


@dataclass(frozen=True)
class Event:
    business_id: UUID | None
    topic: str
    aggregate_id: UUID
    payload: dict[str, Any]


def add_many(tx: Tx, events: list[Event]) -> None:
    """``add`` for a batch, in one statement."""
    if not events:
        return
    rows = tx.all(_ADD_MANY, bids=[str(e.business_id) if e.business_id else None for e in events],
                  topics=[e.topic for e in events], aggregates=[str(e.aggregate_id) for e in events],
                  payloads=[json.dumps(e.payload) for e in events])
    dispatch_after_commit(tx, [Ref(r["id"], r["business_id"], r["aggregate_id"]) for r in rows])


def dispatch_after_commit(tx: Tx, refs: list[Ref]) -> None:
    for ref in refs:
        tx.after_commit(dispatch, ref)


def redriven(tx: Tx, outbox_ids: list[UUID]) -> None:
    """Rows an operator sends again (dead letters): as if new, and not the sweep's for a lease."""
    tx.execute(_REDRIVEN, ids=[str(i) for i in outbox_ids], lease=SWEEP_LEASE_S)


def count_recent(tx: Tx, topic: str, *, aggregate_id: UUID, within: timedelta) -> int:
    return tx.value(_RECENT, topic=topic, aggregate_id=aggregate_id, within=within.total_seconds())


def take(tx: Tx, outbox_id: UUID) -> dict[str, Any] | None:
    """The event, marked as in a consumer's hands (so the sweep does not send it again)."""
    return tx.one(_TAKE, id=outbox_id)


def get(tx: Tx, outbox_id: UUID) -> dict[str, Any] | None:
    return tx.one(_GET, id=outbox_id)


def dispatch(refs: list[Ref]) -> None:
    """Send committed rows on: to the queue, or (no queue) straight to the readers. After a request's
    commit (``Tx.after_commit``) a failure is logged and left to the sweep, and a queue that does not
    answer costs the request one short attempt (``integrations.aws``: about 3 s at most)."""
    if not refs:
        return
    if settings().notifications_queue:
        enqueue(refs)
        return
    for ref in refs:
        deliver_inline(ref)


def enqueue(refs: list[Ref], *, dedup_suffix: dict[UUID, str] | None = None) -> None:
    """Hand rows to the queue (one call; no SQL: the consumer marks a row when it takes it, and a row
    the queue refused waits for the sweep). ``dedup_suffix``: per row, what to add to its id as the
    deduplication id (a redrive's)."""
    from chalicelib.integrations import queue

    suffix = dedup_suffix or {}
    queue.send(settings().notifications_queue, [
        queue.Entry(body=r.body(), group=str(r.aggregate_id), dedup=f"{r.id}{suffix.get(r.id, '')}") for r in refs])


def deliver_inline(ref: Ref) -> bool:
    """The local stage's queue: hand the row to its readers now; a failure is counted on the row (the
    sweep tries again) and after ``MAX_ATTEMPTS`` the row is a dead letter. Answer whether it was
    delivered."""
    try:
        process(ref.id, ref.business_id)
    except Exception as e:  # noqa: BLE001 - any failure is this message's, recorded for a retry
        attempts = record_failure(ref.id, e)
        if attempts >= MAX_ATTEMPTS:
            dead_letters.bury(ref.id, ref.business_id, receive_count=attempts)
        return False
    return True


def transaction(business_id: UUID | None) -> AbstractContextManager[Tx]:
    """An event's tenant; an event of the product's own (no business) is seen by the jobs only."""
    return db.tenant_tx(business_id) if business_id is not None else db.jobs_tx()


def process(outbox_id: UUID, business_id: UUID | None) -> None:
    """One committed event to each of its readers (the queue's message, or the local stage's inline
    delivery). Raises a reader's failure, once every reader had the event."""
    with transaction(business_id) as tx:
        event = take(tx, outbox_id)
    if event is None:  # its business was deleted since
        log.emit("notification.gone", outbox_id=str(outbox_id))
        return
    readers.hand(event)


def record_failure(outbox_id: UUID, error: Exception) -> int:
    """Count a failed delivery on its row; answer the attempts so far."""
    text = f"{type(error).__name__}: {error}"[:1000]
    log.emit("notification.failed", outbox_id=str(outbox_id), error=text)
    with db.jobs_tx() as tx:
        return tx.value(_FAILED, id=outbox_id, error=text,
                        retry_from_sweep=not settings().notifications_queue) or 0


def sweep(*, budget_s: float = 50.0) -> int:
    """Dispatch what no request did (the schedule's work); answer how many rows it took."""
    started = time.monotonic()
    taken = 0
    while time.monotonic() - started < budget_s:
        with db.jobs_tx() as tx:
            rows = tx.all(_TAKE_PENDING, lease=SWEEP_LEASE_S, grace=SWEEP_GRACE_S, max_attempts=MAX_ATTEMPTS,
                          batch=SWEEP_BATCH)
        dispatch([Ref(r["id"], r["business_id"], r["aggregate_id"]) for r in rows])
        taken += len(rows)
        if len(rows) < SWEEP_BATCH:
            break
    if taken:
        log.emit("outbox.swept", count=taken)
    return taken


_PRUNE = """-- retention: the oldest events past the period that wait for nothing more (a worker took them, or
-- the local stage's retries ran out) and hold no dead letter (the redrive reads its event), one batch
DELETE FROM outbox WHERE ctid = ANY(ARRAY(
    SELECT o.ctid FROM outbox o
     WHERE o.created_at < now() - make_interval(secs => :older_than_s)
       AND (o.dispatched_at IS NOT NULL OR o.attempts >= :max_attempts)
       AND NOT EXISTS (SELECT FROM dead_letters d WHERE d.outbox_id = o.id)
     ORDER BY o.created_at LIMIT :batch))"""


def prune(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """The retention sweep's (every tenant's): delete up to ``batch`` events older than
    ``older_than_s``; one not dispatched yet stays whatever its age. Answer how many."""
    return tx.execute(_PRUNE, older_than_s=older_than_s, batch=batch, max_attempts=MAX_ATTEMPTS)


_FORGET = """-- a customer erased (GDPR): the events about their appointments keep what happened, not the text or
-- the address they carried (a cancellation's reason, a fallback's recipient) nor a failure's message
UPDATE outbox SET payload = payload - CAST(:keys AS text[]), last_error = NULL
 WHERE aggregate_id = ANY(CAST(:ids AS uuid[]))
   AND (payload ?| CAST(:keys AS text[]) OR last_error IS NOT NULL)"""


def forget(tx: Tx, aggregate_ids: list[UUID], *, keys: list[str]) -> None:
    """Inside an erase's transaction (the tenant's scope): drop ``keys`` from the payloads of the events
    about ``aggregate_ids``, and their last errors."""
    if aggregate_ids:
        tx.execute(_FORGET, ids=[str(i) for i in aggregate_ids], keys=keys)
