"""Named calls for the subscription tests: checkout, the twin's payment, the webhook deliveries, and
direct reads of what billing stored."""
from __future__ import annotations

from typing import Any

from tests.api import Session, body, call
from tests.checks import rows
from tests.stripe_twin import deliver

PRO_MONTH = {"plan": "pro", "interval": "month"}


def checkout(client: Any, owner: Session, payload: dict[str, Any] | None = None, *, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else None
    return call(client, "POST", "/billing/checkout-session", PRO_MONTH if payload is None else payload,
                session=owner, headers=headers)


def session_id(url: str) -> str:
    """The Checkout Session behind a Checkout URL (the twin's, like Stripe's, ends with its id)."""
    return url.rstrip("/").rsplit("/", 1)[1]


def delivered(client: Any, events: list[dict[str, Any]]) -> None:
    """Deliver ``events`` to the webhook; every one answered 200."""
    for response in deliver(client, events):
        assert response.status_code == 200, response.body
        assert body(response) == {"received": True}


def last_day_of_trial(business_id: str) -> None:
    """The app trial ends within the day: too soon to carry into Stripe, so a checkout now is billed at once."""
    rows(business_id, """UPDATE subscriptions SET trial_ends_at = now() + interval '1 day'
                          WHERE business_id = CAST(:bid AS uuid) RETURNING business_id""", bid=business_id)


def subscribe(client: Any, owner: Session, twin: Any, payload: dict[str, Any] | None = None, *,
              trial: bool = False) -> str:
    """Check out, pay on the twin's Checkout page, deliver Stripe's events; answer the subscription id.
    Without ``trial`` the business subscribes on its trial's last day, so it is charged at once; with
    it, early enough that the rest of its trial is carried into Stripe."""
    if not trial:
        last_day_of_trial(owner.business_id)
    response = checkout(client, owner, payload)
    assert response.status_code == 201, response.body
    sid = session_id(body(response)["url"])
    delivered(client, twin.complete_checkout(sid, trial=trial))
    return twin.checkout_sessions[sid]["subscription"]


def subscription(client: Any, member: Session) -> dict[str, Any]:
    """``GET /billing/subscription``."""
    response = call(client, "GET", "/billing/subscription", session=member)
    assert response.status_code == 200, response.body
    return body(response)


def stored(business_id: str) -> dict[str, Any]:
    """The business's subscription row, with the serving status and plan of the business."""
    [row] = rows(business_id, """SELECT s.*, b.status AS business_status, b.plan AS business_plan
                                   FROM subscriptions s JOIN businesses b ON b.id = s.business_id""")
    return row


def outbox(business_id: str, topic: str) -> list[dict[str, Any]]:
    """The payloads of the business's outbox events on ``topic``, oldest first."""
    return [r["payload"] for r in rows(business_id, "SELECT payload FROM outbox WHERE topic = :topic "
                                                    "ORDER BY created_at", topic=topic)]


def stripe_event(event_id: str) -> dict[str, Any] | None:
    """The stored Stripe event (the table belongs to no tenant)."""
    found = rows("00000000-0000-0000-0000-000000000000", "SELECT * FROM stripe_events WHERE id = :id", id=event_id)
    return found[0] if found else None


def customer_of(business_id: str) -> str | None:
    return stored(business_id)["stripe_customer_id"]
