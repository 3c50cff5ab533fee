"""A payment fails, Stripe gives up, the owner pays: past_due → suspended → active, and at each step
what the business can and cannot do (public booking, staff booking, logging in, reading, moving and
cancelling what it has, reminders, paying)."""
from __future__ import annotations

from uuid import UUID

from chalicelib.billing import lifecycle
from chalicelib.core import db
from tests.api import body, call, from_address, login, unique_address
from tests.appointments.helpers import book, booked, calendar, customer_address
from tests.billing.subscribing import delivered, subscribe, subscription
from tests.booking.helpers import book_online, booking_body, slug_of
from tests.checks import error_of, rows


def _public_booking(client, slug, cal, start):
    with from_address(unique_address()):  # the page's per-address limit is not what is tested here
        return book_online(client, slug, booking_body(cal, start))


def _public_page(client, slug):
    with from_address(unique_address()):
        return call(client, "GET", f"/public/{slug}")


def _reminder_comes(client, cal, mail, appointment_id: str) -> bool:
    """Time reaches the appointment's 24-hour reminder and the 5-minute schedule runs: was it e-mailed?"""
    due = rows(cal.business_id, "UPDATE reminders SET due_at = now() - interval '1 minute' "
               "WHERE appointment_id = CAST(:id AS uuid) AND offset_min = 1440 AND state = 'scheduled' RETURNING id",
               id=appointment_id)
    assert due
    client.lambda_.invoke("reminder_sweep", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))
    return any("reminder" in m["Subject"].lower() for m in mail.sent_to(customer_address(cal)))


def _subjects(mail, address: str) -> list[str]:
    return [m["Subject"] for m in mail.sent_to(address)]


def _can_still_work_with_what_it_has(client, cal, appointment: dict, start) -> None:
    """Logging in, reading, moving and cancelling go on in every state."""
    owner = cal.owner
    assert login(client, owner.email, owner.password).status_code == 200
    assert call(client, "GET", "/business", session=owner).status_code == 200
    listed = call(client, "GET", f"/appointments?from={start.date()}&to={start.date()}", session=owner)
    assert appointment["id"] in [a["id"] for a in body(listed)["items"]]
    moved = call(client, "POST", f"/appointments/{appointment['id']}/reschedule",
                 {"start_at": start.replace(hour=start.hour + 1).isoformat()}, session=owner)
    assert moved.status_code == 200, moved.body
    back = call(client, "POST", f"/appointments/{appointment['id']}/reschedule", {"start_at": start.isoformat()},
                session=owner)
    assert back.status_code == 200, back.body
    assert call(client, "GET", "/billing/invoices", session=owner).status_code == 200


def test_failure_past_due_suspended_paid_active(client, stripe_twin, mail):
    cal = calendar(client)
    owner, slug = cal.owner, slug_of(client, cal)
    sub_id = subscribe(client, owner, stripe_twin)
    kept = booked(client, cal, cal.at(3, 10))  # an appointment from before, with its reminders

    # Past due: everything works, a banner shows, the owner is e-mailed with the invoice to pay.
    delivered(client, stripe_twin.fail_payment(sub_id))
    assert subscription(client, owner)["status"] == "past_due"
    assert any(s.startswith("Payment failed") for s in _subjects(mail, owner.email))
    assert book(client, cal, cal.at(4, 9)).status_code == 201
    assert _public_booking(client, slug, cal, cal.at(4, 11)).status_code == 201
    _can_still_work_with_what_it_has(client, cal, kept, cal.at(3, 10))

    # Stripe gives up: suspended. No new bookings, public or staff; the rest goes on.
    delivered(client, stripe_twin.give_up(sub_id))
    assert subscription(client, owner)["status"] == "suspended"
    assert any(s.endswith("is suspended") for s in _subjects(mail, owner.email))
    closed = error_of(book(client, cal, cal.at(4, 13)), 403, "bookings_closed")
    assert closed["details"] == {"status": "suspended"}
    error_of(_public_booking(client, slug, cal, cal.at(4, 14)), 404, "not_found")
    error_of(_public_page(client, slug), 404, "not_found")
    _can_still_work_with_what_it_has(client, cal, kept, cal.at(3, 10))
    assert _reminder_comes(client, cal, mail, kept["id"])
    assert call(client, "POST", "/billing/portal-session", session=owner).status_code == 200  # to pay

    # The owner pays the open invoice: active again at once.
    delivered(client, stripe_twin.pay(sub_id))
    state = subscription(client, owner)
    assert (state["status"], state["suspended_by"]) == ("active", None)
    assert book(client, cal, cal.at(4, 13)).status_code == 201
    assert _public_booking(client, slug, cal, cal.at(4, 14)).status_code == 201
    assert _public_page(client, slug).status_code == 200


def test_a_suspended_business_cancels_what_it_has(client, stripe_twin):
    cal = calendar(client)
    sub_id = subscribe(client, cal.owner, stripe_twin)
    appointment = booked(client, cal, cal.at(3, 10))
    delivered(client, stripe_twin.fail_payment(sub_id))
    delivered(client, stripe_twin.give_up(sub_id))
    response = call(client, "POST", f"/appointments/{appointment['id']}/cancel", {}, session=cal.owner)
    assert response.status_code == 200, response.body
    assert rows(cal.business_id, "SELECT status FROM appointments WHERE id = CAST(:id AS uuid)",
                id=appointment["id"]) == [{"status": "cancelled"}]


def test_an_operator_suspension_is_not_lifted_by_paying(client, stripe_twin):
    cal = calendar(client)
    sub_id = subscribe(client, cal.owner, stripe_twin)
    delivered(client, stripe_twin.fail_payment(sub_id))
    with db.tenant_tx(UUID(cal.business_id)) as tx:
        assert lifecycle.suspend_by_operator(tx, UUID(cal.business_id), "abuse report")
    delivered(client, stripe_twin.pay(sub_id))
    state = subscription(client, cal.owner)
    assert (state["status"], state["suspended_by"]) == ("suspended", "operator")
    error_of(book(client, cal, cal.at(4, 13)), 403, "bookings_closed")
    with db.tenant_tx(UUID(cal.business_id)) as tx:
        assert lifecycle.reactivate_by_operator(tx, UUID(cal.business_id)) == "active"  # paid meanwhile
    assert book(client, cal, cal.at(4, 13)).status_code == 201
