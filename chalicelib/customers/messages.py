"""The e-mail a consent request calls for (double opt-in): "confirm you want news from <business>", with
a single-use link, to the customer's own address. Written by the notification worker like every
message, so the outbox row holds no secret: the link's is derived from the request as the e-mail is
written, and only its hash is stored. The e-mail quotes nothing typed on the public page."""
from __future__ import annotations

from typing import Any

from chalicelib.core.db import Tx
from chalicelib.core.settings import settings
from chalicelib.customers import service
from chalicelib.notifications import preferences
from chalicelib.notifications.message import Email, Outgoing

MESSAGE = "consent_request"


def _email(to: str, business_name: str, link: str, prefs: preferences.Preferences,
           business_email: str | None) -> Email:
    days = service.CONSENT_CONFIRM_TTL.days
    text = (f"Hello,\n\nWhen booking with {business_name}, someone asked to receive its news and offers by "
            f"e-mail at this address. If it was you, confirm it here:\n\n{link}\n\n"
            f"The link works once and expires in {days} days. If it was not you, ignore this message: "
            "nothing is sent to you unless you confirm.\n\n" + business_name)
    return Email(to=to, subject=f"Please confirm: news and offers from {business_name}", text=text,
                 sender_name=prefs.sender_name or business_name, reply_to=prefs.reply_to or business_email,
                 link=link)


def compose(tx: Tx, row: dict[str, Any]) -> list[Outgoing]:
    if row["topic"] != service.CONSENT_REQUESTED:
        return []
    business_id = row["business_id"]
    request = service.consent_to_send(tx, row)
    if request is None:  # confirmed, expired or asked again since; the customer erased or without an address
        return []
    prefs = preferences.get(tx, business_id)
    who = {"customer_id": request["customer_id"]}
    if not prefs.email_enabled:
        return [Outgoing(MESSAGE, skip_reason="e-mail is turned off in the notification settings", **who)]
    token = service.consent_link_token(tx, business_id, request)
    link = f"{settings().app_base_url}/confirm-consent?token={token}"
    return [Outgoing(MESSAGE, email=_email(request["email"], request["business_name"], link, prefs,
                                           request["business_email"]), **who)]
