"""The daily billing schedule (app.py's ``billing_sweep`` → chalicelib/billing/jobs.py): the trial-ending
e-mail once, to the owners; a trial that ends without a subscription leaves the business expired (its
booking page takes no new bookings, its owner still logs in); a trial with a subscription is left be;
the past-due safety net suspends only when Stripe, asked again, does not say the subscription is paid.
Running it twice, or late, does nothing twice.

Each test makes its own business and moves its dates as the schema owner; the sweep runs over every
tenant, so assertions look at the test's own business only."""
from __future__ import annotations

from contextlib import closing
from typing import Any

import pytest

from chalicelib.billing import jobs
from chalicelib.core.migrations import owner_connection
from chalicelib.system import local_schedules
from tests.api import add_member, body, call, login, new_business
from tests.appointments.helpers import book, calendar
from tests.billing.subscribing import delivered, subscribe
from tests.booking.helpers import book_online, booking_body, slug_of
from tests.checks import error_of, rows

BILLING_PAGE = "http://127.0.0.1:5173/settings/billing"


def as_owner(business_id: str, sql: str, **params: Any) -> None:
    """The test's own set-up, as the schema owner in the business's scope."""
    with closing(owner_connection()) as conn:
        conn.run("SELECT set_config('app.business_id', :bid, false)", bid=business_id)
        conn.run(sql, bid=business_id, **params)


def trial_ends_in(business_id: str, interval: str) -> None:
    """The trial ends ``interval`` from now (negative: it has ended)."""
    as_owner(business_id, "UPDATE subscriptions SET trial_ends_at = now() + CAST(:i AS interval) "
                          "WHERE business_id = CAST(:bid AS uuid)", i=interval)
    as_owner(business_id, "UPDATE businesses SET trial_ends_at = now() + CAST(:i AS interval) "
                          "WHERE id = CAST(:bid AS uuid)", i=interval)


def subscription(business_id: str) -> dict[str, Any]:
    (row,) = rows(business_id, "SELECT state, plan, trial_warned_at, suspended_by FROM subscriptions")
    return row


def serving(business_id: str) -> dict[str, Any]:
    (row,) = rows(business_id, "SELECT plan, status FROM businesses")
    return row


def trial_mail(mail: Any, address: str) -> list[Any]:
    return [m for m in mail.sent_to(address) if m["Subject"].startswith("Your trial for ")]


def sweep(client: Any) -> None:
    """The schedule's handler, invoked as EventBridge would."""
    client.lambda_.invoke("billing_sweep", local_schedules.scheduled_event())


# --- the trial ------------------------------------------------------------------------------------

def test_the_trial_ending_e_mail_goes_once_to_the_owners_only(client, mail):
    owner = new_business(client)
    admin, staff = add_member(client, owner, mail, "admin"), add_member(client, owner, mail, "staff")
    trial_ends_in(owner.business_id, "2 days 23 hours")

    sweep(client)
    sweep(client)

    (message,) = trial_mail(mail, owner.email)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert BILLING_PAGE in text
    assert trial_mail(mail, admin.email) == [] and trial_mail(mail, staff.email) == []
    assert subscription(owner.business_id)["trial_warned_at"] is not None
    assert [r["topic"] for r in rows(owner.business_id, "SELECT topic FROM outbox WHERE topic LIKE 'billing.%'")] \
        == ["billing.trial_ending"]


def test_no_trial_e_mail_before_three_days_from_its_end(client, mail):
    owner = new_business(client)
    trial_ends_in(owner.business_id, "3 days 1 hour")

    jobs.daily()

    assert trial_mail(mail, owner.email) == []
    assert subscription(owner.business_id)["trial_warned_at"] is None


def test_a_run_too_late_for_the_warning_sends_none_and_ends_the_trial(client, mail):
    owner = new_business(client)
    trial_ends_in(owner.business_id, "-1 hour")

    jobs.daily()

    assert trial_mail(mail, owner.email) == []
    assert subscription(owner.business_id)["state"] == "expired"


def test_a_trial_without_a_card_ends_expired_and_its_booking_page_stops_taking_bookings(client, mail):
    cal = calendar(client)
    slug = slug_of(client, cal)
    assert call(client, "GET", f"/public/{slug}").status_code == 200
    trial_ends_in(cal.business_id, "-1 minute")

    run = jobs.daily()

    assert run.expired >= 1
    assert subscription(cal.business_id)["state"] == "expired"
    assert serving(cal.business_id) == {"plan": "trial", "status": "expired"}
    assert call(client, "GET", f"/public/{slug}").status_code == 404
    assert book_online(client, slug, booking_body(cal, cal.at(3, 10))).status_code == 404
    refused = book(client, cal, cal.at(3, 12))
    assert error_of(refused, 403, "bookings_closed")["details"] == {"status": "expired"}
    # the owner still logs in and reads
    answer = login(client, cal.owner.email, cal.owner.password)
    assert answer.status_code == 200, answer.body
    assert call(client, "GET", "/business", session=cal.owner).status_code == 200


def test_a_trial_with_a_subscription_is_left_be(client, mail):
    # A Stripe trial (Checkout with a card, trial days on Stripe's side): our trial's date has passed
    # and it ends within the warning too, but the subscription carries it.
    owner = new_business(client)
    as_owner(owner.business_id, "UPDATE subscriptions SET stripe_customer_id = 'cus_' || left(md5(random()::text), 14), "
                                "stripe_subscription_id = 'sub_' || left(md5(random()::text), 14), "
                                "stripe_status = 'trialing' WHERE business_id = CAST(:bid AS uuid)")
    trial_ends_in(owner.business_id, "-1 hour")

    jobs.daily()
    trial_ends_in(owner.business_id, "1 day")
    jobs.daily()

    assert subscription(owner.business_id)["state"] == "trialing"
    assert subscription(owner.business_id)["trial_warned_at"] is None
    assert serving(owner.business_id)["status"] == "active"
    assert trial_mail(mail, owner.email) == []


def test_running_twice_or_late_does_nothing_twice(client, mail):
    ending, ended = new_business(client), new_business(client)
    trial_ends_in(ending.business_id, "2 days")
    trial_ends_in(ended.business_id, "-5 days")  # a run days late

    first = jobs.daily()
    second = jobs.daily()

    assert first.warned >= 1 and first.expired >= 1
    assert second.warned == 0 and second.expired == 0
    assert len(trial_mail(mail, ending.email)) == 1
    assert subscription(ended.business_id)["state"] == "expired"
    assert rows(ended.business_id, "SELECT topic FROM outbox WHERE topic LIKE 'billing.%'") == []


def test_an_expired_business_can_still_subscribe_read_and_export(client):
    owner = new_business(client)
    trial_ends_in(owner.business_id, "-1 minute")
    jobs.daily()

    me = call(client, "GET", "/auth/me", session=owner)

    assert me.status_code == 200 and body(me)["business"]["status"] == "expired"
    assert call(client, "GET", "/billing/plans", session=owner).status_code == 200


# --- the past-due safety net ------------------------------------------------------------------------

def past_due_for(business_id: str, days: int) -> None:
    as_owner(business_id, "UPDATE subscriptions SET past_due_since = now() - make_interval(days => :d) "
                          "WHERE business_id = CAST(:bid AS uuid)", d=days)


def fallen_behind(client: Any, twin: Any, days: int) -> tuple[Any, str]:
    """A Pro subscriber whose payment failed ``days`` ago (the webhook came: past due)."""
    owner = new_business(client)
    subscription_id = subscribe(client, owner, twin)
    delivered(client, twin.fail_payment(subscription_id))
    assert subscription(owner.business_id)["state"] == "past_due"
    past_due_for(owner.business_id, days)
    return owner, subscription_id


def suspension_mail(mail: Any, address: str) -> list[Any]:
    return [m for m in mail.sent_to(address) if m["Subject"].endswith(" is suspended")]


def test_past_due_beyond_the_grace_with_stripe_still_unpaid_is_suspended_and_the_owner_told(
        client, mail, stripe_twin):
    owner, _ = fallen_behind(client, stripe_twin, 22)

    run = jobs.daily()
    jobs.daily()

    assert run.suspended >= 1
    assert subscription(owner.business_id) | {"trial_warned_at": None} == {
        "state": "suspended", "plan": "pro", "trial_warned_at": None, "suspended_by": "billing"}
    assert serving(owner.business_id) == {"plan": "pro", "status": "suspended"}
    assert len(suspension_mail(mail, owner.email)) == 1


def test_a_payment_whose_webhook_was_lost_makes_the_business_active_again_instead(client, mail, stripe_twin):
    owner, subscription_id = fallen_behind(client, stripe_twin, 30)
    stripe_twin.pay(subscription_id)  # its events never arrive

    run = jobs.daily()

    assert run.resynced >= 1
    assert subscription(owner.business_id)["state"] == "active"
    assert serving(owner.business_id) == {"plan": "pro", "status": "active"}
    assert suspension_mail(mail, owner.email) == []


def test_past_due_within_the_grace_is_left_to_stripes_retries_and_stripe_is_not_asked(client, stripe_twin):
    owner, _ = fallen_behind(client, stripe_twin, 20)
    asked = len(stripe_twin.requests)

    jobs.daily()

    assert subscription(owner.business_id)["state"] == "past_due"
    assert len(stripe_twin.requests) == asked


def test_stripe_unavailable_leaves_the_business_past_due_until_the_next_run(client, stripe_twin):
    owner, _ = fallen_behind(client, stripe_twin, 22)
    stripe_twin.fail_next(500, count=2)  # the re-fetch and its one retry

    with pytest.raises(jobs.SweepFailed) as failed:
        jobs.daily()

    assert "past_due" in failed.value.run.failed
    assert subscription(owner.business_id)["state"] == "past_due"

    jobs.daily()

    assert subscription(owner.business_id)["state"] == "suspended"
