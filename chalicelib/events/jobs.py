"""What app.py's event handlers and an operator run on the outbox: a queue message, the sweep, a
redrive of dead letters."""
from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from chalicelib.core import db, log
from chalicelib.core.settings import settings
from chalicelib.events import dead_letters, outbox


def deliver(body: str) -> None:
    """One queue message: hand its outbox row to the readers. A failure is counted on the row and
    raised, so the queue retries the message (and after its retries moves it to the dead-letter queue)."""
    message = json.loads(body)
    outbox_id = UUID(message["outbox_id"])
    try:
        outbox.process(outbox_id, UUID(message["business_id"]) if message.get("business_id") else None)
    except Exception as e:
        outbox.record_failure(outbox_id, e)
        raise


def sweep() -> None:
    """Every minute: what the dead-letter queue collected, and rows no consumer took."""
    dead_letters.collect()
    outbox.sweep()


def redrive(outbox_ids: list[UUID] | None) -> dict[str, Any]:
    """Send dead letters through the pipeline again (all waiting ones, or those named)."""
    dead_letters.collect()
    with db.jobs_tx() as tx:
        taken = dead_letters.take(tx, outbox_ids)
        outbox.redriven(tx, [r["outbox_id"] for r in taken])
    refs = [outbox.Ref(r["outbox_id"], r["business_id"], r["aggregate_id"]) for r in taken]
    if settings().notifications_queue:
        # A new deduplication id: the queue would drop the first one's if it were still in its window.
        outbox.enqueue(refs, dedup_suffix={r["outbox_id"]: f":redrive-{r['redrives']}" for r in taken})
    else:
        for ref in refs:
            outbox.deliver_inline(ref)
    log.emit("notification.redriven", count=len(refs))
    return {"redriven": [str(r.id) for r in refs]}
