"""The calendar e-mail, written by the notification worker: a member's Google Calendar stopped syncing
(the grant was revoked or expired, or the calendar permission taken away), why, what that means for
their bookings, and where to reconnect.

It goes to the member whose connection it is, once per loss: ``connections`` writes the event only on
the transition to ``reconnect_needed``, and the delivery log keys the e-mail by that event. It is
read against the connection now (a queue backlog, a redrive), and dropped once no longer true: the
member reconnected, or disconnected, meanwhile.
"""
from __future__ import annotations

from typing import Any
from uuid import UUID

from chalicelib.auth import users
from chalicelib.business import service as business
from chalicelib.calendar import connections
from chalicelib.core.db import Tx
from chalicelib.core.settings import settings
from chalicelib.notifications.message import Email, Outgoing


def _account_page() -> str:
    return f"{settings().app_base_url}/account"


def _reconnect_needed(to: str, business_name: str, google_email: str | None, reason: str) -> Email:
    link = _account_page()
    account = f" ({google_email})" if google_email else ""
    return Email(to, "Your Google Calendar stopped syncing",
                 f"Your Google Calendar{account} stopped syncing with {business_name}.\n\n"
                 f"Why: {connections.LOST_MESSAGES[reason]}\n\n"
                 "Until you reconnect it, new and changed bookings do not reach your Google Calendar, and "
                 "events you add to it or change do not block the times customers can book you (those it "
                 "held when it stopped still do).\n\n"
                 f"Reconnect it on your account page:\n\n{link}",
                 link=link)


def compose(tx: Tx, row: dict[str, Any]) -> list[Outgoing]:
    """The worker's composer for ``calendar.*`` rows (in the row's tenant): the reconnect e-mail to
    the connection's member, while it is still true."""
    if row["topic"] != connections.RECONNECT_TOPIC or row["business_id"] is None:
        return []
    lost = connections.still_lost(tx, UUID(row["payload"]["connection_id"]))
    if lost is None or lost["lost_reason"] not in connections.LOST_MESSAGES:
        return []
    person = users.people(tx, [lost["user_id"]]).get(lost["user_id"])
    profile = business.get(tx, row["business_id"])
    if person is None or profile is None:
        return []
    return [Outgoing("calendar_reconnect_needed",
                     email=_reconnect_needed(person["email"], profile["name"], lost["google_email"],
                                             lost["lost_reason"]))]
