"""Notifications as a reader of events (``chalicelib.events.readers``): the topics it writes messages
for, and the worker that writes and sends them, imported when an event comes (every container of the
API imports app.py, which subscribes this reader, and an HTTP request needs none of the worker).
Its delivery state is the delivery log (``deliveries``)."""
from __future__ import annotations

from typing import Any

from chalicelib.events import readers

# the prefixes the worker has a composer for
TOPICS = ("appointment.", "auth.", "billing.", "calendar.reconnect_needed", "customer.", "notification.fallback")


def handle(event: dict[str, Any]) -> None:
    from chalicelib.notifications import worker

    worker.handle(event)


READER = readers.Reader("notifications", TOPICS, handle)
