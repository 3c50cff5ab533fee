"""What the notification event handlers in app.py run: the queue worker and the schedules. The
worker's modules (e-mail, WhatsApp, templates) are imported when a handler runs: every container of
the API imports app.py, and an HTTP request needs none of them."""
from __future__ import annotations

import json
from uuid import UUID

from chalicelib.notifications import outbox, reminders


def deliver(body: str) -> None:
    """One queue message: deliver its outbox row. A failure is counted on the row and raised, so the
    queue retries the message (and after its retries moves it to the dead-letter queue)."""
    from chalicelib.notifications import worker

    message = json.loads(body)
    outbox_id = UUID(message["outbox_id"])
    try:
        worker.process(outbox_id, UUID(message["business_id"]) if message.get("business_id") else None)
    except Exception as e:
        outbox.record_failure(outbox_id, e)
        raise


def sweep_outbox() -> None:
    """Every minute: what the dead-letter queue collected, and rows no worker took."""
    from chalicelib.notifications import dead_letters

    dead_letters.collect()
    outbox.sweep()


def sweep_reminders() -> None:
    """Every 5 minutes: the reminders now due."""
    reminders.sweep()
