"""A message the worker is about to deliver: who gets it, on which channel, and what it says."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

if TYPE_CHECKING:
    from chalicelib.integrations.email import Attachment


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str | None = None
    sender_name: str | None = None
    reply_to: str | None = None
    attachments: tuple[Attachment, ...] = ()
    # the link in the message, logged by the local twin so a developer can follow it
    link: str | None = None


@dataclass(frozen=True)
class WhatsApp:
    to: str  # E.164 with the leading +
    phone_number_id: str
    template: str
    language: str
    parameters: tuple[str, ...]


@dataclass(frozen=True)
class Outgoing:
    """One delivery. A WhatsApp one may carry the e-mail to send instead if WhatsApp fails for good.
    ``skip_reason`` set: nothing can be sent (no address), and the log says why."""
    message: str
    customer_id: UUID | None = None
    appointment_id: UUID | None = None
    email: Email | None = None
    whatsapp: WhatsApp | None = None
    skip_reason: str | None = None
    # the WhatsApp delivery this e-mail stands in for
    fallback_of: UUID | None = None
    # the outbox row whose delivery key this message is logged under, when not the one being
    # processed (the fallback of another row's message): one key, so it goes once whichever sends it
    key_outbox_id: UUID | None = None

    def instead(self, failed_delivery: UUID, outbox_id: UUID) -> Outgoing | None:
        """The e-mail to send because this WhatsApp message (of ``outbox_id``) failed for good (None:
        no address)."""
        if self.email is None:
            return None
        return Outgoing(self.message, self.customer_id, self.appointment_id, email=self.email,
                        fallback_of=failed_delivery, key_outbox_id=outbox_id)

    @property
    def channel(self) -> str:
        return "whatsapp" if self.whatsapp is not None else "email"

    @property
    def recipient(self) -> str:
        if self.whatsapp is not None:
            return self.whatsapp.to
        return self.email.to if self.email is not None else ""
