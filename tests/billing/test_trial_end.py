"""A trial that ends with a card (converted by Stripe, through the webhook) and without one (expired
by the daily job: ``lifecycle.expire_trial``, which the job calls)."""
from __future__ import annotations

from uuid import UUID

from chalicelib.billing import lifecycle
from chalicelib.core import db
from tests.api import call, from_address, login, new_business, unique_address
from tests.appointments.helpers import book, booked, calendar
from tests.billing.subscribing import checkout, delivered, outbox, stored, subscribe, subscription
from tests.booking.helpers import book_online, booking_body, slug_of
from tests.checks import error_of, rows


def _expire(business_id: str) -> bool:
    with db.tenant_tx(UUID(business_id)) as tx:
        return lifecycle.expire_trial(tx, UUID(business_id))


def _trial_ended(business_id: str) -> None:
    """Time passes beyond the trial's end."""
    rows(business_id, "UPDATE subscriptions SET trial_ends_at = now() - interval '1 minute' RETURNING state")


def test_with_a_card_the_trial_converts_through_the_webhook(client, stripe_twin):
    owner = new_business(client)
    sub_id = subscribe(client, owner, stripe_twin, trial=True)
    row = stored(owner.business_id)
    assert (row["state"], row["stripe_status"], row["plan"], row["business_status"]) == (
        "trialing", "trialing", "pro", "active")

    delivered(client, stripe_twin.trial_will_end(sub_id))
    assert len(outbox(owner.business_id, "billing.trial_ending")) == 1

    # The daily job passing once the date is reached leaves a trial with a card alone.
    _trial_ended(owner.business_id)
    assert _expire(owner.business_id) is False

    delivered(client, stripe_twin.end_period(sub_id))  # Stripe charges the card when its trial ends
    row = stored(owner.business_id)
    assert (row["state"], row["stripe_status"], row["business_status"]) == ("active", "active", "active")
    item = stripe_twin.subscriptions[sub_id]["items"]["data"][0]
    assert row["usage_anchor"].timestamp() == item["current_period_start"]  # usage counts from the first paid period
    assert subscription(client, owner)["trial_days_left"] is None


def test_without_a_card_the_daily_job_expires_it(client, stripe_twin):
    cal = calendar(client)
    owner, slug = cal.owner, slug_of(client, cal)
    kept = booked(client, cal, cal.at(3, 10))
    assert _expire(owner.business_id) is False  # not over yet

    _trial_ended(owner.business_id)
    assert _expire(owner.business_id) is True
    assert _expire(owner.business_id) is False  # the job ran twice
    row = stored(owner.business_id)
    assert (row["state"], row["plan"], row["business_status"]) == ("expired", "trial", "expired")

    # No new bookings; logging in, reading and what it has go on; it may subscribe.
    assert error_of(book(client, cal, cal.at(4, 9)), 403, "bookings_closed")["details"] == {"status": "expired"}
    with from_address(unique_address()):
        error_of(book_online(client, slug, booking_body(cal, cal.at(4, 11))), 404, "not_found")
    assert login(client, owner.email, owner.password).status_code == 200
    assert call(client, "GET", f"/appointments/{kept['id']}", session=owner).status_code == 200
    assert call(client, "POST", f"/appointments/{kept['id']}/cancel", {}, session=owner).status_code == 200

    assert checkout(client, owner).status_code == 201
    subscribe(client, owner, stripe_twin, {"plan": "basic", "interval": "month"})
    row = stored(owner.business_id)
    assert (row["state"], row["plan"], row["business_status"]) == ("active", "basic", "active")
    assert book(client, cal, cal.at(4, 9)).status_code == 201
