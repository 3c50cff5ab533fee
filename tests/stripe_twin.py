"""Stripe's webhook deliveries in tests: the twin's events posted to ``/billing/webhook`` signed with
the test secret by Stripe's scheme (``stripe_twin.sign``), as Stripe would post them."""
from __future__ import annotations

import json
from typing import Any

from chalicelib.core.settings import settings
from chalicelib.integrations.stripe_twin import sign


def signed(event: dict[str, Any], *, secret: str | None = None, timestamp: int | None = None) -> tuple[bytes, str]:
    """The body and the Stripe-Signature header of one delivery."""
    payload = json.dumps(event).encode()
    return payload, sign(payload, secret or settings().stripe_webhook_secret or "", timestamp)


def deliver(client: Any, events: list[dict[str, Any]], *, secret: str | None = None) -> list[Any]:
    """POST each event to the webhook in the order given (reorder the list for out-of-order tests);
    answer the responses."""
    responses = []
    for event in events:
        payload, header = signed(event, secret=secret)
        responses.append(client.http.post("/billing/webhook", body=payload, headers={
            "Content-Type": "application/json; charset=utf-8", "Stripe-Signature": header}))
    return responses
