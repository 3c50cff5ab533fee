"""The notification worker: one event in (notifications as a reader of ``chalicelib.events``: see
``reader``), its messages out, each delivered at most once.

In the event's tenant, the worker writes its messages (what they say is read now, so a message
describes the appointment as it is; writing them again gives the same text and links, which are
derived from the event). Then, one message at a time, it claims the message's delivery row (outbox
id + channel + recipient) in a committed transaction, sends, and records the outcome: a message the queue delivers again finds its delivery settled and sends nothing, and a
worker dying after one send leaves the others unclaimed for the redelivery. A failure that may
pass (a provider outage) leaves its delivery ``retrying`` and raises, so the queue delivers the event
again; after the queue's retries the event is a dead letter. A failure after the provider may have
taken the message (its answer lost) is ``uncertain`` and not retried. A WhatsApp message refused
for good is not retried either: the e-mail goes instead, and the log says so.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from chalicelib.core import log
from chalicelib.core.db import Tx
from chalicelib.events import outbox
from chalicelib.integrations import email, whatsapp
from chalicelib.notifications import deliveries
from chalicelib.notifications.message import Outgoing

Composer = Callable[[Tx, dict[str, Any]], list[Outgoing]]


def _composers() -> dict[str, Composer]:
    from chalicelib.auth import messages as auth_messages
    from chalicelib.billing import messages as billing_messages
    from chalicelib.calendar import messages as calendar_messages
    from chalicelib.customers import messages as customer_messages
    from chalicelib.notifications import appointment_messages

    return {"appointment.": appointment_messages.compose, "auth.": auth_messages.compose,
            "billing.": billing_messages.compose, "calendar.reconnect_needed": calendar_messages.compose,
            "customer.": customer_messages.compose, "notification.fallback": _compose_fallback}


def _compose(tx: Tx, row: dict[str, Any]) -> list[Outgoing]:
    for prefix, composer in _composers().items():
        if row["topic"].startswith(prefix):
            return composer(tx, row)
    return []


def _compose_fallback(tx: Tx, row: dict[str, Any]) -> list[Outgoing]:
    """The e-mail for a WhatsApp message the provider reported failed after accepting it, logged
    under the original row's key, so it goes once whether this row or the original sends it."""
    payload = row["payload"]
    original = outbox.get(tx, UUID(payload["outbox_id"]))
    if original is None:
        return []
    failed = UUID(payload["delivery_id"])
    return [instead for out in _compose(tx, original)
            if out.whatsapp is not None and out.recipient == payload["recipient"]
            and (instead := out.instead(failed, original["id"])) is not None]


def handle(event: dict[str, Any]) -> None:
    """Deliver what an event calls for. Raises when a send failed and may work later."""
    business_id, outbox_id = event["business_id"], event["id"]
    with outbox.transaction(business_id) as tx:
        messages = _compose(tx, event)
    failures = [error for out in messages if (error := _claim_and_send(out, business_id, outbox_id)) is not None]
    if failures:
        raise failures[0]


def _claim_and_send(out: Outgoing, business_id: UUID | None, outbox_id: UUID) -> Exception | None:
    with outbox.transaction(business_id) as tx:
        claimed = _claim(tx, out, business_id, outbox_id)
    return _deliver(*claimed, business_id, outbox_id) if claimed is not None else None


def _claim(tx: Tx, out: Outgoing, business_id: UUID | None, outbox_id: UUID) -> tuple[UUID, Outgoing] | None:
    """The delivery row to send ``out`` under, or None when there is nothing (more) to send. A
    WhatsApp message that failed for good on an earlier try hands over to its e-mail."""
    key = out.key_outbox_id or outbox_id
    common = {"business_id": business_id, "outbox_id": key, "message": out.message,
              "customer_id": out.customer_id, "appointment_id": out.appointment_id}
    if out.skip_reason is not None:
        deliveries.skipped(tx, channel=out.channel, reason=out.skip_reason, **common)
        return None
    delivery_id = deliveries.claim(tx, channel=out.channel, recipient=out.recipient, fallback_of=out.fallback_of,
                                   **common)
    if delivery_id is not None:
        return delivery_id, out
    failed = deliveries.failed_for_good(tx, outbox_id=key, channel=out.channel, recipient=out.recipient) \
        if out.whatsapp is not None else None
    instead = out.instead(failed, key) if failed is not None else None
    return _claim(tx, instead, business_id, outbox_id) if instead is not None else None


def _deliver(delivery_id: UUID, out: Outgoing, business_id: UUID | None, outbox_id: UUID) -> Exception | None:
    """Send one claimed message; answer the error to retry on, if any."""
    try:
        provider_id = _send_whatsapp(out, business_id) if out.whatsapp is not None else _send_email(out)
    except whatsapp.Rejected as e:
        _not_sent(delivery_id, out, "failed", f"WhatsApp refused it: {e.code} {e.detail}")
        return _fall_back(delivery_id, out, business_id, outbox_id)
    except Exception as e:  # noqa: BLE001 - sorted below: an unknown outcome, or a failure that may pass
        if _may_have_gone_out(e):
            _not_sent(delivery_id, out, "uncertain", f"{type(e).__name__}: {e}")
            return None
        _not_sent(delivery_id, out, "retrying", f"{type(e).__name__}: {e}")
        return e
    deliveries.settle(delivery_id, "sent", provider_id=provider_id)
    return None


def _not_sent(delivery_id: UUID, out: Outgoing, status: str, error: str) -> None:
    """Record a send that did not go (or may not have), and log it by channel. A final outcome's line is the
    MessagesFailed metric (chalicelib/core/metrics.py), whichever provider or cause; a send SQS will try
    again is not a failure yet (if every try fails, the event is dead-lettered: NotificationsDead)."""
    deliveries.settle(delivery_id, status, error=error)
    event = "message.retrying" if status == "retrying" else "message.failed"
    log.emit(event, delivery_id=str(delivery_id), channel=out.channel, status=status)


def _may_have_gone_out(error: Exception) -> bool:
    """The request reached the provider and its answer was lost (a read timeout, a dropped
    connection): sending again could deliver twice, since neither SES nor the Cloud API takes an
    idempotency key."""
    return isinstance(error, (whatsapp.Uncertain, email.Uncertain))


def _fall_back(failed_id: UUID, out: Outgoing, business_id: UUID | None, outbox_id: UUID) -> Exception | None:
    instead = out.instead(failed_id, out.key_outbox_id or outbox_id)
    if instead is None:
        log.emit("notification.no_fallback", delivery_id=str(failed_id))
        return None
    with outbox.transaction(business_id) as tx:
        claimed = _claim(tx, instead, business_id, outbox_id)
    return _deliver(*claimed, business_id, outbox_id) if claimed is not None else None


def _send_email(out: Outgoing) -> str:
    mail = out.email
    assert mail is not None
    return email.send(mail.to, mail.subject, mail.text, mail.html, sender_name=mail.sender_name,
                      reply_to=mail.reply_to, attachments=mail.attachments, link=mail.link)


def _send_whatsapp(out: Outgoing, business_id: UUID | None) -> str:
    message = out.whatsapp
    assert message is not None and business_id is not None
    return whatsapp.send_template(business_id=business_id, phone_number_id=message.phone_number_id, to=message.to,
                                  template=message.template, language=message.language,
                                  parameters=list(message.parameters))
