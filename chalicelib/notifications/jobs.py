"""What the notification event handlers in app.py run: the queue worker and the schedules."""
from __future__ import annotations

import json
from uuid import UUID

from chalicelib.notifications import dead_letters, outbox, reminders, worker


def deliver(body: str) -> None:
    """One queue message: deliver its outbox row. A failure is counted on the row and raised, so the
    queue retries the message (and after its retries moves it to the dead-letter queue)."""
    message = json.loads(body)
    outbox_id = UUID(message["outbox_id"])
    try:
        worker.process(outbox_id, UUID(message["business_id"]) if message.get("business_id") else None)
    except Exception as e:
        outbox.record_failure(outbox_id, e)
        raise


def sweep_outbox() -> None:
    """Every minute: what the dead-letter queue collected, and rows no worker took."""
    dead_letters.collect()
    outbox.sweep()


def sweep_reminders() -> None:
    """Every 5 minutes: the reminders now due."""
    reminders.sweep()
