"""Outgoing e-mail. Backends, chosen by ``EMAIL_BACKEND``:

- ``ses``: Amazon SES v2, raw MIME (plain text, HTML and attachments such as calendar invites);
- ``file``: the offline twin; writes each message as an ``.eml`` file under
  ``.local/mail/`` and logs where, so a developer (or a test) reads what would have been sent.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from pathlib import Path

from chalicelib.core import log
from chalicelib.core.settings import settings
from chalicelib.integrations import aws


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str
    params: dict[str, str] = field(default_factory=dict)


def compose(to: str, subject: str, text: str, html: str | None = None, *, sender_name: str | None = None,
            reply_to: str | None = None, attachments: tuple[Attachment, ...] = ()) -> EmailMessage:
    message = EmailMessage()
    address = parseaddr(settings().email_from)[1]
    message["From"] = formataddr((sender_name, address)) if sender_name else settings().email_from
    message["To"] = to
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = " ".join(subject.split())  # a header holds one line
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="booking.local")
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for item in attachments:
        message.add_attachment(item.content, maintype=item.maintype, subtype=item.subtype, filename=item.filename,
                               params=item.params)
    return message


class Uncertain(Exception):
    """SES got the request and its answer was lost (a read timeout, a dropped connection): the
    message may have been sent, so sending again could deliver it twice."""


def _send_ses(message: EmailMessage) -> str:
    from botocore.exceptions import ConnectionClosedError, ReadTimeoutError

    try:
        answer = aws.client("sesv2").send_email(
            FromEmailAddress=message["From"],
            Destination={"ToAddresses": [message["To"]]},
            Content={"Raw": {"Data": message.as_bytes()}},
        )
    except (ReadTimeoutError, ConnectionClosedError) as e:
        raise Uncertain(str(e)) from e
    return answer["MessageId"]


def _write_file(message: EmailMessage) -> str:
    folder: Path = settings().mail_dir
    folder.mkdir(parents=True, exist_ok=True)
    # Nanoseconds first, so the files list in the order they were written.
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.eml"
    (folder / name).write_bytes(message.as_bytes())
    return str(folder / name)


def send(to: str, subject: str, text: str, html: str | None = None, *, sender_name: str | None = None,
         reply_to: str | None = None, attachments: tuple[Attachment, ...] = (), link: str | None = None) -> str:
    """Send one message; answer the provider's message id (the file path for the twin). Any
    provider failure raises: the notification worker retries it."""
    message = compose(to, subject, text, html, sender_name=sender_name, reply_to=reply_to, attachments=attachments)
    backend = settings().email_backend
    # Neither the address nor the subject is logged: a subject names the customer ("New booking: Jane
    # Doe, ..."), and the delivery log (notification_deliveries, which an erase scrubs) already says
    # who got what; the provider's message id joins the two.
    if backend == "ses":
        sent_id = _send_ses(message)
        log.emit("mail.sent", message_id=sent_id)
        return sent_id
    if backend == "file":
        if not settings().is_local:
            raise RuntimeError("EMAIL_BACKEND=file is the local twin; a deployed stage sends with ses")
        path = _write_file(message)
        # Local only: the link is what a developer needs to click through the flow (the file holds the rest).
        log.emit("mail.written", path=path, link=link)
        return path
    raise RuntimeError(f"unknown EMAIL_BACKEND {backend!r}")
