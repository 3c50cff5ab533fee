"""The account e-mails (verify the address, reset the password, join a team), written by the
notification worker. Each link's secret is derived from its message (or invitation) under the
signing key as the e-mail is written, so the outbox row that asked for it holds nothing an attacker
reading the database could use, and an e-mail written twice (a redelivery) carries one working link."""
from __future__ import annotations

from typing import Any
from uuid import UUID

from chalicelib.auth import service as auth
from chalicelib.auth import users
from chalicelib.business import service as business
from chalicelib.core.db import Tx
from chalicelib.core.settings import settings
from chalicelib.notifications.message import Email, Outgoing


def _verify(to: str, link: str) -> Email:
    return Email(to, "Confirm your e-mail address",
                 f"Welcome! Confirm your e-mail address by opening this link:\n\n{link}\n\n"
                 "The link works once and expires in 3 days.", link=link)


def _reset(to: str, link: str) -> Email:
    return Email(to, "Reset your password",
                 "Somebody (hopefully you) asked to reset your password. Open this link to choose a new one:"
                 f"\n\n{link}\n\nThe link works once and expires in 1 hour. If it was not you, ignore this "
                 "message: your password stays as it is.", link=link)


def _invitation(to: str, link: str, business_name: str, role: str) -> Email:
    return Email(to, f"You are invited to join {business_name}",
                 f"You have been invited to join {business_name} as {role}.\n\nAccept the invitation here:\n\n"
                 f"{link}\n\nThe link works once and expires in {business.INVITATION_TTL.days} days.",
                 sender_name=business_name, link=link)


def _recipient(tx: Tx, payload: dict[str, Any]) -> dict[str, Any] | None:
    """The account an e-mail is for: a reset request names the address typed (the request does not look
    the account up, so it takes as long whether or not there is one), the others the user."""
    if "email" in payload:
        return users.by_email(tx, payload["email"])
    return users.people(tx, [UUID(payload["user_id"])]).get(UUID(payload["user_id"]))


def compose(tx: Tx, row: dict[str, Any]) -> list[Outgoing]:
    base, payload, topic = settings().app_base_url, row["payload"], row["topic"]
    if topic == "auth.invitation":
        invitation = business.invitation_message(tx, row["business_id"], UUID(payload["invitation_id"]))
        if invitation is None:  # revoked or accepted meanwhile
            return []
        link = f"{base}/accept-invitation?token={invitation['token']}"
        return [Outgoing("invitation", email=_invitation(invitation["email"], link, invitation["business_name"],
                                                        invitation["role"]))]
    user = _recipient(tx, payload)
    if user is None:  # deleted since; or a reset asked for an address with no account: nothing to send
        return []
    if topic == "auth.verify_email":
        token = auth.link_token(tx, user["id"], "verify_email", message_id=row["id"])
        return [Outgoing("verify_email", email=_verify(user["email"], f"{base}/verify-email?token={token}"))]
    if topic == "auth.reset_password":
        token = auth.link_token(tx, user["id"], "reset_password", message_id=row["id"])
        return [Outgoing("reset_password", email=_reset(user["email"], f"{base}/reset-password?token={token}"))]
    return []
