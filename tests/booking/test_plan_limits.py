"""Online bookings and the plan: each counts once in the business's usage of its monthly period;
past the allowance a plan with overage (Pro) takes them on, a plan without (Basic, a trial) refuses
them with 403 ``plan_limit`` and stores nothing. A business whose account is suspended or expired
has no public pages (404), while its customers' manage links still cancel, and reminders of the
appointments it has still go."""
from __future__ import annotations

import pytest

from tests.api import call
from tests.appointments.helpers import booked, calendar, customer_address
from tests.billing.plan_helpers import set_plan
from tests.billing.usage_helpers import set_status, set_used, usage_route, used
from tests.booking.helpers import (book_online, booked_online, booking_body, manage, public_slots, slug_of,
                                   stored)
from tests.checks import error_of, rows

DAY = 3


def test_each_online_booking_counts_once_with_the_members_ones(client):
    cal = calendar(client)
    slug = slug_of(client, cal)

    booked_online(client, slug, booking_body(cal, cal.at(DAY, 10)))
    booked(client, cal, cal.at(DAY, 12))
    error_of(book_online(client, slug, booking_body(cal, cal.at(DAY, 12))), 409, "slot_taken")

    assert used(cal.business_id, "bookings") == 2
    assert usage_route(client, cal.owner)["bookings"] == 2


@pytest.mark.parametrize("plan, allowed, upgrade_to", [("basic", 300, "pro"), ("trial", 2000, "pro")])
def test_past_the_allowance_a_plan_without_overage_refuses_online_bookings_and_stores_nothing(
        client, plan, allowed, upgrade_to):
    cal = calendar(client)
    set_plan(cal.business_id, plan)
    set_used(cal.business_id, "bookings", allowed - 1)
    slug = slug_of(client, cal)
    booked_online(client, slug, booking_body(cal, cal.at(DAY, 10)))
    before = stored(cal.business_id)

    refused = book_online(client, slug, booking_body(cal, cal.at(DAY, 12)))

    error = error_of(refused, 403, "plan_limit")
    assert error["details"] == {"limit": "bookings_per_month", "current": allowed, "allowed": allowed, "plan": plan,
                                "upgrade_to": upgrade_to}
    assert stored(cal.business_id) == before  # not even the new customer
    assert used(cal.business_id, "bookings") == allowed


def test_the_allowance_is_told_before_the_hourly_budget_or_the_pending_cap(client):
    # The same customer, with three unconfirmed bookings: the plan's refusal is the one that lasts.
    cal = calendar(client, requires_confirmation=True)
    set_plan(cal.business_id, "basic")
    slug = slug_of(client, cal)
    payload = booking_body(cal, cal.at(DAY, 9))
    for hour in (9, 11, 13):
        booked_online(client, slug, {**payload, "start_at": cal.at(DAY, hour).isoformat()})
    error_of(book_online(client, slug, {**payload, "start_at": cal.at(DAY, 15).isoformat()}), 409, "too_many_pending")
    set_used(cal.business_id, "bookings", 300)

    refused = book_online(client, slug, {**payload, "start_at": cal.at(DAY, 15).isoformat()})

    assert error_of(refused, 403, "plan_limit")["details"]["current"] == 300


def test_past_the_allowance_a_pro_business_takes_online_bookings_as_overage(client):
    cal = calendar(client)
    set_plan(cal.business_id, "pro")
    set_used(cal.business_id, "bookings", 2000)
    slug = slug_of(client, cal)

    booked_online(client, slug, booking_body(cal, cal.at(DAY, 10)))
    booked_online(client, slug, booking_body(cal, cal.at(DAY, 12)))

    assert used(cal.business_id, "bookings") == 2002


@pytest.mark.parametrize("status", ["suspended", "expired"])
def test_a_business_not_active_has_no_public_pages_but_its_manage_links_still_cancel(client, status):
    cal = calendar(client)
    slug = slug_of(client, cal)
    answer = booked_online(client, slug, booking_body(cal, cal.at(DAY, 10)))
    set_status(cal.business_id, status)
    before = stored(cal.business_id)

    profile = call(client, "GET", f"/public/{slug}")
    slots = public_slots(client, slug, cal, cal.at(DAY, 0).date())
    booking = book_online(client, slug, booking_body(cal, cal.at(DAY, 12)))

    for refused in (profile, slots, booking):
        error_of(refused, 404, "not_found")
    assert stored(cal.business_id) == before
    assert used(cal.business_id, "bookings") == 1
    assert manage(client, answer["manage_token"]).status_code == 200
    cancelled = manage(client, answer["manage_token"], "cancel", {"reason": "Plans changed"})
    assert cancelled.status_code == 200, cancelled.body
    assert rows(cal.business_id, "SELECT status FROM appointments") == [{"status": "cancelled"}]


def _sweep_reminders(client) -> None:
    client.lambda_.invoke("reminder_sweep", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))


@pytest.mark.parametrize("status", ["suspended", "expired"])
def test_reminders_of_a_business_not_active_still_go(client, mail, status):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(DAY, 10))
    set_status(cal.business_id, status)
    rows(cal.business_id, "UPDATE reminders SET due_at = now() - interval '1 minute' "
         "WHERE appointment_id = CAST(:id AS uuid) AND offset_min = 1440 RETURNING id", id=appointment["id"])
    sent_before = used(cal.business_id, "messages_email")

    _sweep_reminders(client)

    reminders = [m for m in mail.sent_to(customer_address(cal)) if "reminder" in m["Subject"].lower()]
    assert len(reminders) == 1
    assert used(cal.business_id, "messages_email") == sent_before + 1  # and counted
