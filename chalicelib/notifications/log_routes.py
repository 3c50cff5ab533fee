"""The delivery log and the WhatsApp webhook that reports on it."""
from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

import msgspec
from chalice import Blueprint, Response

from chalicelib.core.answer import Answer, PlainText, Timestamp
from chalicelib.core.endpoint import endpoint
from chalicelib.core.pagination import PageQuery
from chalicelib.core.security import Caller
from chalicelib.notifications import deliveries, whatsapp_webhook

bp = Blueprint(__name__)


class LogQuery(PageQuery, kw_only=True):
    appointment_id: UUID | None = None
    customer_id: UUID | None = None


class Subscription(msgspec.Struct, forbid_unknown_fields=False):
    mode: str | None = msgspec.field(name="hub.mode", default=None)
    verify_token: str | None = msgspec.field(name="hub.verify_token", default=None)
    challenge: str | None = msgspec.field(name="hub.challenge", default=None)


class Delivery(Answer):
    id: UUID
    outbox_id: UUID
    message: str
    channel: Literal["email", "whatsapp"]
    recipient: str | None  # partly masked
    customer_id: UUID | None
    appointment_id: UUID | None
    status: Literal["sending", "sent", "delivered", "read", "retrying", "failed", "skipped", "uncertain"]
    provider_message_id: str | None
    error: str | None
    fallback_of: UUID | None  # the WhatsApp delivery this e-mail replaced
    attempts: int
    created_at: Timestamp
    updated_at: Timestamp


class DeliveryLog(Answer):
    items: list[Delivery]
    next_cursor: str | None


class StatusesReceived(Answer):
    changed: int  # deliveries whose state this changed


@endpoint(bp, "/notifications/log", "GET", query=LogQuery, tag="notifications", response=DeliveryLog,
          summary="What was sent to whom, when, on which channel, and its delivery state (newest first)")
def get_log(caller: Caller, query: LogQuery) -> Any:
    return deliveries.log_page(caller.business_id, limit=query.limit, cursor=query.cursor,
                               appointment_id=query.appointment_id, customer_id=query.customer_id)


@endpoint(bp, "/notifications/whatsapp/webhook", "GET", public=True, query=Subscription, tag="notifications",
          errors=(403,), response=PlainText,
          summary="WhatsApp Cloud API subscription check (echoes hub.challenge)")
def verify_whatsapp_subscription(query: Subscription) -> Response:
    answer = whatsapp_webhook.challenge(query.mode, query.verify_token, query.challenge)
    return Response(body=answer, status_code=200, headers={"Content-Type": "text/plain"})


@endpoint(bp, "/notifications/whatsapp/webhook", "POST", public=True, raw_request=True, tag="notifications",
          errors=(401,), response=StatusesReceived,
          summary="WhatsApp delivery statuses (X-Hub-Signature-256 checked on the raw body)")
def receive_whatsapp_statuses(request: Any) -> Any:
    return {"changed": whatsapp_webhook.receive(request.raw_body or b"",
                                                request.headers.get("x-hub-signature-256"))}
