"""The billing e-mails to a business's owners, written by the notification worker: the trial about to
end (ours without a card, or one taken through Checkout whose subscription then starts), a payment
that failed or waits for the owner's confirmation (3-D Secure), and the business suspended (for
non-payment, or by the platform's operators). Plain text, in the product's name, with a link to the
billing page and, for a payment, to Stripe's hosted invoice.

Each is read against the state now (the row may be written late: a queue backlog, a redrive), and
one that is no longer true is dropped: no trial warning once the trial is over or paid for, no
payment reminder for an invoice paid since, no suspension notice once lifted. Writing a message again gives the same text
(the delivery log keys it by row, channel and recipient, so nobody gets it twice).
"""
from __future__ import annotations

from typing import Any

from chalicelib.business import service as business
from chalicelib.core.db import Tx
from chalicelib.core.settings import settings
from chalicelib.notifications import local_time
from chalicelib.notifications.message import Email, Outgoing

_STATE = """-- the business's billing state now, to drop a message no longer true
SELECT state, trial_ends_at, suspended_by, stripe_status FROM subscriptions WHERE business_id = :bid"""

_INVOICE_STATUS = """-- the mirrored invoice's status now (None: not mirrored yet)
SELECT status FROM invoices WHERE stripe_invoice_id = :id"""


def _money(money: dict[str, Any]) -> str:
    """``{"amount": 4900, "currency": "EUR"}`` as ``EUR 49.00`` (our currencies have two decimals)."""
    amount = int(money["amount"])
    return f"{money['currency']} {amount // 100}.{amount % 100:02}"


def _billing_page() -> str:
    return f"{settings().app_base_url}/settings/billing"


def _trial_ending(name: str, ends: str) -> tuple[str, str]:
    """Our trial, with no card: the business stops taking bookings at its end unless it subscribes."""
    return (f"Your trial for {name} ends on {ends}",
            f"The free trial of {name} ends on {ends}.\n\n"
            "To keep taking bookings after that, choose a plan and subscribe here:\n\n"
            f"{_billing_page()}\n\n"
            "Without a subscription your booking page stops taking new bookings when the trial ends. "
            "Nothing is deleted: you can still log in, read and export everything, and subscribe at any time.")


def _subscription_starting(name: str, ends: str) -> tuple[str, str]:
    """A trial taken through Checkout (a card on file): the subscription starts by itself."""
    return (f"Your trial for {name} ends on {ends}",
            f"The free trial of {name} ends on {ends}. Your subscription then starts and the card on file "
            "is charged; nothing else needs doing.\n\n"
            f"To change the plan, the card or to cancel, go to the billing page:\n\n{_billing_page()}")


def _payment_failed(name: str, amount: str, invoice_url: str | None) -> tuple[str, str]:
    pay = f"Pay the invoice here:\n\n{invoice_url}\n\n" if invoice_url else ""
    return (f"Payment failed for {name}",
            f"We could not take the payment of {amount} for the {name} subscription. We will try again "
            "over the coming days.\n\n"
            f"{pay}"
            f"Or update your payment method on the billing page:\n\n{_billing_page()}\n\n"
            "Everything keeps working meanwhile. If the payment does not go through, new bookings will be "
            "paused until it does.")


def _action_required(name: str, amount: str, invoice_url: str | None) -> tuple[str, str]:
    confirm = f"Confirm it here:\n\n{invoice_url}\n\n" if invoice_url else ""
    return (f"Confirm the payment for {name}",
            f"Your bank asks you to confirm the payment of {amount} for the {name} subscription.\n\n"
            f"{confirm}"
            f"Your billing page:\n\n{_billing_page()}")


def _suspended(name: str, by_operator: bool) -> tuple[str, str]:
    why = ("by the platform's operators. Contact support to lift it."
           if by_operator else
           "because the subscription could not be paid. Paying the open invoice lifts it at once.")
    return (f"{name} is suspended",
            f"{name} is suspended {why}\n\n"
            "Your booking page and your team take no new bookings meanwhile. Existing appointments and "
            "their reminders go on, nothing is deleted, and you can log in, read and export everything.\n\n"
            f"Your billing page:\n\n{_billing_page()}")


def _written(tx: Tx, row: dict[str, Any], profile: dict[str, Any]) -> tuple[str, str] | None:
    """The subject and text for the row, or None when it no longer holds."""
    bid, topic, payload = row["business_id"], row["topic"], row["payload"]
    name = profile["name"]
    state = tx.one(_STATE, bid=bid)
    if state is None:
        return None
    if topic == "billing.trial_ending":
        if state["state"] != "trialing" or state["trial_ends_at"] is None:
            return None
        ends = local_time.format_start(state["trial_ends_at"], profile["time_zone"], profile["locale"])
        subscribed = state["stripe_status"] == "trialing"
        return (_subscription_starting if subscribed else _trial_ending)(name, ends)
    if topic in ("billing.payment_failed", "billing.payment_action_required"):
        if tx.value(_INVOICE_STATUS, id=payload["invoice_id"]) in ("paid", "void"):
            return None
        amount = _money(payload["amount_due"])
        compose = _payment_failed if topic == "billing.payment_failed" else _action_required
        return compose(name, amount, payload.get("hosted_invoice_url"))
    if topic == "billing.suspended":
        if state["state"] != "suspended":
            return None
        return _suspended(name, state["suspended_by"] == "operator")
    return None


def compose(tx: Tx, row: dict[str, Any]) -> list[Outgoing]:
    """The worker's composer for ``billing.*`` rows (in the row's tenant): one e-mail per owner."""
    if row["business_id"] is None:
        return []
    profile = business.get(tx, row["business_id"])
    if profile is None:
        return []
    written = _written(tx, row, profile)
    if written is None:
        return []
    subject, text = written
    message = row["topic"].removeprefix("billing.")
    return [Outgoing(message, email=Email(to, subject, text, link=_billing_page()))
            for to in business.owner_emails(tx, row["business_id"])]

