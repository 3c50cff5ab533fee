"""The outbox: domain events written in the same transaction as the change they describe, so an
event exists exactly when its change committed. The notification pipeline dispatches them.

Owns ``outbox``.
"""
from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from chalicelib.core.db import Tx

_ADD = """-- an event about an appointment or customer, for the notification pipeline
INSERT INTO outbox (business_id, topic, aggregate_id, payload)
VALUES (:bid, :topic, :aggregate_id, CAST(:payload AS jsonb))"""


def add(tx: Tx, business_id: UUID, topic: str, *, aggregate_id: UUID, payload: dict[str, Any]) -> None:
    """``payload`` is plain JSON already (ids and times as the API writes them)."""
    tx.execute(_ADD, bid=business_id, topic=topic, aggregate_id=aggregate_id,
               payload=json.dumps(payload))
