"""Readers subscribe to topics (``chalicelib/events/readers.py``): a committed event goes to each
reader of its topic and no other; one reader failing neither keeps it from another nor is lost (it
is retried, to every reader, until it is a dead letter an operator can send again)."""
from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from chalicelib.core import db
from chalicelib.events import outbox, readers
from tests.api import Session, body, call, new_business
from tests.checks import rows


class Recorder:
    """A reader that keeps what it was handed; fails while ``failing``."""

    def __init__(self, topics: tuple[str, ...]) -> None:
        self.seen: list[dict[str, Any]] = []
        self.failing = False
        readers.subscribe(readers.Reader(f"test-{uuid.uuid4().hex}", topics, self.handle))

    def handle(self, event: dict[str, Any]) -> None:
        self.seen.append(event)
        if self.failing:
            raise RuntimeError("the reader's service is down")


def _topic_prefix() -> str:
    # this test's own topics: the readers it subscribes see nothing of any other test
    return f"test{uuid.uuid4().hex[:12]}."


def _add(owner: Session, topic: str) -> UUID:
    bid = UUID(owner.business_id)
    with db.tenant_tx(bid) as tx:
        return outbox.add(tx, bid, topic, aggregate_id=bid, payload={"n": 1})


def _row(owner: Session, outbox_id: UUID) -> dict[str, Any]:
    return rows(owner.business_id, "SELECT dispatched_at, attempts, last_error FROM outbox WHERE id = :id",
                id=outbox_id)[0]


def test_an_event_goes_to_each_reader_of_its_topic_and_to_no_other(client):
    owner, prefix = new_business(client), _topic_prefix()
    every, booked, moved = Recorder((prefix,)), Recorder((f"{prefix}booked",)), Recorder((f"{prefix}moved",))

    outbox_id = _add(owner, f"{prefix}booked")

    assert [e["id"] for e in every.seen] == [outbox_id]
    assert [(e["topic"], e["payload"]) for e in booked.seen] == [(f"{prefix}booked", {"n": 1})]
    assert moved.seen == []
    row = _row(owner, outbox_id)
    assert row["dispatched_at"] is not None and row["attempts"] == 0


def test_an_event_nobody_reads_is_taken_and_nothing_fails(client):
    owner = new_business(client)

    outbox_id = _add(owner, f"{_topic_prefix()}unread")

    row = _row(owner, outbox_id)
    assert row["dispatched_at"] is not None and row["attempts"] == 0 and row["last_error"] is None


def test_a_failing_reader_keeps_nothing_from_another_and_its_event_is_retried_then_a_dead_letter(client):
    owner, prefix = new_business(client), _topic_prefix()
    rows(owner.business_id, "INSERT INTO platform_operators (user_id) VALUES (CAST(:uid AS uuid)) "
         "ON CONFLICT DO NOTHING RETURNING user_id", uid=owner.user_id)
    failing, working = Recorder((prefix,)), Recorder((prefix,))
    failing.failing = True

    outbox_id = _add(owner, f"{prefix}booked")

    assert len(working.seen) == 1
    row = _row(owner, outbox_id)
    # the local stage: back to the sweep, which is its retry
    assert row["dispatched_at"] is None and row["attempts"] == 1
    assert row["last_error"] == "RuntimeError: the reader's service is down"

    ref = outbox.Ref(outbox_id, UUID(owner.business_id), UUID(owner.business_id))
    for _ in range(outbox.MAX_ATTEMPTS - 1):  # the local stage's sweep retrying it
        assert outbox.deliver_inline(ref) is False
    # every retry goes to every reader: each keeps its own delivery state to do nothing twice
    assert len(working.seen) == len(failing.seen) == outbox.MAX_ATTEMPTS
    dead = rows(owner.business_id, "SELECT receive_count, redriven_at FROM dead_letters WHERE outbox_id = :id",
                id=outbox_id)
    assert dead == [{"receive_count": outbox.MAX_ATTEMPTS, "redriven_at": None}]

    failing.failing = False
    answer = call(client, "POST", "/admin/dead-letters/redrive", {"outbox_ids": [str(outbox_id)]}, session=owner)

    assert body(answer) == {"redriven": [str(outbox_id)]}
    assert len(failing.seen) == len(working.seen) == outbox.MAX_ATTEMPTS + 1
    assert _row(owner, outbox_id)["dispatched_at"] is not None


def test_a_process_with_no_reader_subscribed_leaves_the_event_for_the_sweep(client, monkeypatch):
    owner = new_business(client)
    monkeypatch.setattr(readers, "_readers", {})  # a script that did not import app

    outbox_id = _add(owner, "appointment.created")

    row = _row(owner, outbox_id)
    assert row["dispatched_at"] is None and row["attempts"] == 1 and "no reader" in row["last_error"]
