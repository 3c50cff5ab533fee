"""Who reads which events: each reader subscribes to topic prefixes with a handler.

A reader keeps its own delivery state (notifications: ``notification_deliveries``), so an event the
queue delivers again, because this reader or another failed, does nothing twice; and one reader's
failure does not keep the event from the others. Readers subscribe where the app is put together
(app.py), so nothing here imports a domain module.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A committed event as the outbox holds it: id, business_id, topic, aggregate_id, payload,
# created_at, attempts.
Handler = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Reader:
    name: str
    # a topic is this reader's when it starts with one of these ("appointment." or a whole topic)
    topics: tuple[str, ...]
    # raises when it failed and may work later: the event is delivered again (to every reader)
    handle: Handler

    def reads(self, topic: str) -> bool:
        return topic.startswith(self.topics)


_readers: dict[str, Reader] = {}


def subscribe(reader: Reader) -> None:
    """Hand ``reader`` the events of its topics from now on (a name subscribed again is replaced)."""
    _readers[reader.name] = reader


def of(topic: str) -> list[Reader]:
    return [r for r in _readers.values() if r.reads(topic)]


class NoReaders(RuntimeError):
    """Nothing subscribed: this process did not put the app together (import app), so handing the
    event on would drop it; it stays in the outbox for the sweep instead."""


def hand(event: dict[str, Any]) -> None:
    """Give ``event`` to each of its readers; raise the first failure once every reader had it."""
    if not _readers:
        raise NoReaders("no reader of events is subscribed in this process")
    failures = []
    for reader in of(event["topic"]):
        try:
            reader.handle(event)
        except Exception as e:  # noqa: BLE001 - raised below, after the other readers had the event
            failures.append(e)
    if failures:
        raise failures[0]
