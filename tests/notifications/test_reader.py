"""Notifications as a reader of events: it subscribes to exactly the topics its worker writes messages
for, so no event with a composer is left unread (taken by no reader) and none is read for nothing."""
from __future__ import annotations

from chalicelib.notifications import reader, worker


def test_the_reader_subscribes_to_the_topics_the_worker_composes():
    assert set(reader.TOPICS) == set(worker._composers())
