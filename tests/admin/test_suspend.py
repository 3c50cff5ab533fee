"""POST /admin/tenants/{business_id}/suspend and .../reactivate: an operator's suspension takes the
tenant's public pages and new bookings away at once, is recorded with its reason, is not repeated when
sent twice, and only an operator lifts it; reactivating what is not suspended is a conflict."""
from __future__ import annotations

import threading
import uuid
from typing import Any

from chalicelib.admin import tenants

from tests.admin.helpers import actions, operator, reactivate, serving, suspend, tenant
from tests.api import body, call, from_address, login, unique_address
from tests.appointments.helpers import Calendar, book, calendar
from tests.booking.helpers import booking_body, slug_of
from tests.checks import error_of, invalid_fields

THREADS = 8


def _public(client: Any, cal: Calendar, slug: str) -> tuple[int, int]:
    """The public page's status and a public booking's, from an address of their own."""
    with from_address(unique_address()):
        page = call(client, "GET", f"/public/{slug}")
        booking = call(client, "POST", f"/public/{slug}/bookings", booking_body(cal, cal.at(2, 10)))
    return page.status_code, booking.status_code


def test_a_suspension_is_recorded_and_closes_the_public_pages_and_new_bookings_at_once(client):
    admin, cal = operator(client), calendar(client)
    bid, slug = cal.business_id, slug_of(client, cal)
    assert _public(client, cal, slug)[0] == 200

    answer = suspend(client, admin, bid, "Chargeback under review")

    assert answer.status_code == 200, answer.body
    page = body(answer)
    assert (page["id"], page["status"], page["state"]) == (bid, "suspended", "suspended")
    assert (page["subscription"]["suspended_by"], page["subscription"]["suspended_reason"]) == (
        "operator", "Chargeback under review")
    assert [(a["action"], a["reason"]) for a in page["recent_actions"]] == [("suspend", "Chargeback under review")]
    assert actions(bid) == [{"action": "suspend", "reason": "Chargeback under review", "details": {},
                             "actor_id": uuid.UUID(admin.user_id)}]
    assert serving(bid) == {"status": "suspended", "state": "suspended", "suspended_by": "operator",
                            "suspended_reason": "Chargeback under review"}
    assert _public(client, cal, slug) == (404, 404)
    error_of(book(client, cal, cal.at(3, 10)), 403, "bookings_closed")
    # its members still log in and read
    assert login(client, cal.owner.email).status_code == 200
    assert call(client, "GET", "/business", session=cal.owner).status_code == 200


def test_suspending_twice_answers_200_and_records_once(client):
    admin, cal = operator(client), calendar(client)

    first = suspend(client, admin, cal.business_id, "First")
    second = suspend(client, admin, cal.business_id, "Second")

    assert (first.status_code, second.status_code) == (200, 200)
    assert [a["reason"] for a in actions(cal.business_id)] == ["First"]
    assert serving(cal.business_id)["suspended_reason"] == "First"
    assert body(second)["subscription"]["suspended_reason"] == "First"


def test_reactivating_restores_the_tenant_and_is_recorded(client):
    admin, cal = operator(client), calendar(client)
    slug = slug_of(client, cal)
    assert suspend(client, admin, cal.business_id).status_code == 200

    answer = reactivate(client, admin, cal.business_id, "Dispute won")

    assert answer.status_code == 200, answer.body
    page = body(answer)
    assert (page["status"], page["state"], page["subscription"]["suspended_by"]) == ("active", "trialing", None)
    assert [(a["action"], a["reason"], a["details"]) for a in actions(cal.business_id)] == [
        ("suspend", "Chargeback under review", {}), ("reactivate", "Dispute won", {"state": "trialing"})]
    assert [a["action"] for a in page["recent_actions"]] == ["reactivate", "suspend"]
    assert _public(client, cal, slug) == (200, 201)
    assert book(client, cal, cal.at(3, 10)).status_code == 201


def test_reactivating_a_tenant_not_suspended_is_409_and_records_nothing(client):
    admin, cal = operator(client), calendar(client)

    error_of(reactivate(client, admin, cal.business_id), 409, "not_suspended")

    assert actions(cal.business_id) == []
    assert serving(cal.business_id)["status"] == "active"


def test_a_reason_is_required_and_nothing_is_stored_without_one(client):
    admin, cal = operator(client), calendar(client)
    bid = cal.business_id

    for payload in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}, {"reason": 5},
                    {"reason": "ok", "extra": 1}):
        for path in (f"/admin/tenants/{bid}/suspend", f"/admin/tenants/{bid}/reactivate"):
            fields = invalid_fields(call(client, "POST", path, payload, session=admin))
            assert set(fields) <= {"reason", "extra"}, fields
    assert actions(bid) == []
    assert serving(bid)["status"] == "active"


def test_an_unknown_or_malformed_tenant_is_not_found_and_nothing_is_recorded(client):
    admin = operator(client)

    for business_id in (str(uuid.uuid4()), "nope"):
        error_of(suspend(client, admin, business_id), 404, "not_found")
        error_of(reactivate(client, admin, business_id), 404, "not_found")
    assert tenant(client, admin, admin.business_id)["recent_actions"] == []


def test_suspensions_sent_at_once_record_one_action(client):
    """Operators (or a double click) suspending at the same moment, each in its own thread and
    connection: the test client is not thread-safe, so the threads call the service the route calls."""
    admin, cal = operator(client), calendar(client)
    start, outcomes = threading.Barrier(THREADS), []

    def run(n: int) -> None:
        start.wait()
        try:
            tenants.suspend(uuid.UUID(cal.business_id), reason=f"Reason {n}", actor_id=uuid.UUID(admin.user_id))
            outcomes.append("ok")
        except Exception as e:  # noqa: BLE001 - any other outcome fails the test
            outcomes.append(repr(e))

    workers = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert outcomes == ["ok"] * THREADS
    (recorded,) = actions(cal.business_id)
    assert serving(cal.business_id)["suspended_reason"] == recorded["reason"]
