"""The WhatsApp Cloud API webhook: Meta's subscription check, and delivery statuses that update the
log. A message reported failed after it was accepted gets its e-mail instead (through the outbox,
so the worker sends it like any other message)."""
from __future__ import annotations

import json

from chalicelib.core import db, log
from chalicelib.core.errors import Forbidden, Unauthorized
from chalicelib.events import outbox
from chalicelib.integrations import whatsapp
from chalicelib.notifications import deliveries


class BadSignature(Unauthorized):
    code, message = "invalid_signature", "The X-Hub-Signature-256 header does not match the body."


def challenge(mode: str | None, token: str | None, answer: str | None) -> str:
    """The subscription check: echo Meta's challenge when the verify token is ours."""
    expected = whatsapp.verify_token()
    if mode != "subscribe" or not expected or token != expected or answer is None:
        raise Forbidden("The verify token does not match.")
    return answer


def receive(raw_body: bytes, signature: str | None) -> int:
    """Apply the statuses in a signed webhook body; answer how many changed a delivery."""
    if not whatsapp.signature_valid(raw_body, signature):
        raise BadSignature()
    try:
        payload = json.loads(raw_body)
    except ValueError:
        payload = {}
    changed = 0
    with db.jobs_tx() as tx:
        for status in whatsapp.statuses(payload if isinstance(payload, dict) else {}):
            row = deliveries.provider_status(tx, channel="whatsapp", provider_id=status.message_id,
                                             status=status.status, at=status.at, error=status.error)
            if row is None:
                continue
            changed += 1
            if row["status"] == "failed":
                outbox.add(tx, row["business_id"], "notification.fallback",
                           aggregate_id=row["appointment_id"] or row["customer_id"] or row["id"],
                           payload={"outbox_id": str(row["outbox_id"]), "delivery_id": str(row["id"]),
                                    "recipient": row["recipient"]})
    log.emit("whatsapp.statuses", changed=changed)
    return changed
