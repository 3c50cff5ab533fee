"""The billing e-mails (chalicelib/billing/messages.py): each ``billing.*`` outbox row becomes one
plain-text e-mail per owner of the business, with a link to the billing page (and to Stripe's hosted
invoice for a payment), sent through the notification pipeline; nobody else in the team gets it, and
one no longer true when it is written is dropped."""
from __future__ import annotations

import uuid
from contextlib import closing
from typing import Any
from uuid import UUID

from chalicelib.core import db
from chalicelib.core.migrations import owner_connection
from chalicelib.events import outbox
from tests.api import Session, add_member, new_business
from tests.checks import rows

BILLING_PAGE = "http://127.0.0.1:5173/settings/billing"
INVOICE_URL = "https://invoice.stripe.com/i/acct_test/inv_test"


def as_owner(business_id: str, sql: str, **params: Any) -> None:
    """The test's own set-up, as the schema owner in the business's scope."""
    with closing(owner_connection()) as conn:
        conn.run("SELECT set_config('app.business_id', :bid, false)", bid=business_id)
        conn.run(sql, bid=business_id, **params)


def event(owner: Session, topic: str, payload: dict[str, Any]) -> None:
    """A ``billing.*`` row, as lifecycle and the daily job write them; delivered once committed (the
    local stage hands it to the worker at once)."""
    bid = UUID(owner.business_id)
    with db.tenant_tx(bid) as tx:
        outbox.add(tx, bid, topic, aggregate_id=bid, payload=payload)


def text_of(message: Any) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def billing_mail(mail: Any, address: str) -> list[Any]:
    """What ``address`` got from billing (not the sign-up's or an invitation's e-mail)."""
    return [m for m in mail.sent_to(address) if BILLING_PAGE in text_of(m)]


def team(client: Any, mail: Any) -> tuple[Session, Session, Session]:
    owner = new_business(client)
    return owner, add_member(client, owner, mail, "admin"), add_member(client, owner, mail, "staff")


def payment(invoice_id: str, amount: int = 4900) -> dict[str, Any]:
    return {"invoice_id": invoice_id, "hosted_invoice_url": INVOICE_URL,
            "amount_due": {"amount": amount, "currency": "EUR"}}


def test_a_failed_payment_is_told_to_the_owners_with_the_amount_and_the_links_and_to_nobody_else(client, mail):
    owner, admin, staff = team(client, mail)
    second_owner = add_member(client, owner, mail, "owner")

    event(owner, "billing.payment_failed", payment(f"in_{uuid.uuid4().hex[:12]}", 4950))

    for person in (owner, second_owner):
        (message,) = billing_mail(mail, person.email)
        assert message["Subject"].startswith("Payment failed for Studio ")
        text = text_of(message)
        assert "EUR 49.50" in text and INVOICE_URL in text and BILLING_PAGE in text
    assert billing_mail(mail, admin.email) == [] and billing_mail(mail, staff.email) == []
    logged = rows(owner.business_id, "SELECT message, channel, recipient, status FROM notification_deliveries "
                                     "WHERE message = 'payment_failed' ORDER BY recipient")
    assert logged == sorted(({"message": "payment_failed", "channel": "email", "recipient": p.email, "status": "sent"}
                             for p in (owner, second_owner)), key=lambda r: r["recipient"])


def test_a_payment_waiting_for_the_owners_confirmation_links_to_the_invoice(client, mail):
    owner = new_business(client)

    event(owner, "billing.payment_action_required", payment(f"in_{uuid.uuid4().hex[:12]}"))

    (message,) = billing_mail(mail, owner.email)
    assert message["Subject"].startswith("Confirm the payment for Studio ")
    assert "EUR 49.00" in text_of(message) and INVOICE_URL in text_of(message)


def test_no_payment_e_mail_for_an_invoice_paid_since(client, mail):
    owner = new_business(client)
    invoice_id = f"in_{uuid.uuid4().hex[:12]}"
    as_owner(owner.business_id,
             "INSERT INTO invoices (stripe_invoice_id, business_id, status, currency, total_minor, amount_due_minor, "
             "amount_paid_minor, issued_at) VALUES (:id, CAST(:bid AS uuid), 'paid', 'EUR', 4900, 0, 4900, now())",
             id=invoice_id)

    event(owner, "billing.payment_failed", payment(invoice_id))

    assert billing_mail(mail, owner.email) == []


def test_a_suspension_for_non_payment_says_paying_lifts_it(client, mail):
    owner = new_business(client)
    as_owner(owner.business_id, "UPDATE subscriptions SET state = 'suspended', suspended_by = 'billing' "
                                "WHERE business_id = CAST(:bid AS uuid)")

    event(owner, "billing.suspended", {"reason": "nonpayment"})

    (message,) = billing_mail(mail, owner.email)
    assert message["Subject"].endswith(" is suspended")
    text = text_of(message)
    assert "Paying the open invoice lifts it at once" in text and BILLING_PAGE in text
    assert "export" in text


def test_an_operators_suspension_says_to_contact_support(client, mail):
    owner = new_business(client)
    as_owner(owner.business_id, "UPDATE subscriptions SET state = 'suspended', suspended_by = 'operator', "
                                "suspended_reason = 'abuse report' WHERE business_id = CAST(:bid AS uuid)")

    event(owner, "billing.suspended", {"reason": "operator"})

    text = text_of(billing_mail(mail, owner.email)[0])
    assert "Contact support" in text and "abuse report" not in text


def test_no_suspension_e_mail_once_the_suspension_is_lifted(client, mail):
    owner = new_business(client)  # still trialing: not suspended

    event(owner, "billing.suspended", {"reason": "nonpayment"})

    assert billing_mail(mail, owner.email) == []


def test_the_trial_e_mail_names_its_end_in_the_business_zone_and_links_to_the_billing_page(client, mail):
    owner = new_business(client)  # Europe/London
    as_owner(owner.business_id, "UPDATE subscriptions SET trial_ends_at = '2031-07-04T09:30:00Z' "
                                "WHERE business_id = CAST(:bid AS uuid)")

    event(owner, "billing.trial_ending", {"trial_ends_at": "2031-07-04T09:30:00+00:00"})

    (message,) = billing_mail(mail, owner.email)
    assert "Friday 4 July 2031, 10:30" in message["Subject"]
    assert BILLING_PAGE in text_of(message) and "stops taking new bookings" in text_of(message)


def test_no_trial_e_mail_once_subscribed(client, mail):
    owner = new_business(client)
    as_owner(owner.business_id, "UPDATE subscriptions SET state = 'active', plan = 'pro' "
                                "WHERE business_id = CAST(:bid AS uuid)")

    event(owner, "billing.trial_ending", {"trial_ends_at": "2031-07-04T09:30:00+00:00"})

    assert billing_mail(mail, owner.email) == []


def test_a_trial_taken_with_a_card_says_the_subscription_starts_by_itself(client, mail):
    owner = new_business(client)
    as_owner(owner.business_id, "UPDATE subscriptions SET stripe_customer_id = 'cus_' || left(md5(random()::text), 14), "
                                "stripe_subscription_id = 'sub_' || left(md5(random()::text), 14), "
                                "stripe_status = 'trialing', trial_ends_at = '2031-07-04T09:30:00Z' "
                                "WHERE business_id = CAST(:bid AS uuid)")

    event(owner, "billing.trial_ending", {"trial_ends_at": "2031-07-04T09:30:00+00:00"})

    text = text_of(billing_mail(mail, owner.email)[0])
    assert "Your subscription then starts" in text and "stops taking new bookings" not in text
