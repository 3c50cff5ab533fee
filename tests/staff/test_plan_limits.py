"""The plan's staff limit: active staff count (deactivated ones do not), adding the one past the limit
(a new member, or one re-activated) is refused with 403 ``plan_limit`` and stores nothing, two adds at
the limit's edge at once end in one, and a downgrade deletes nobody: those over the limit stay and
keep working, nobody new joins."""
from __future__ import annotations

import threading
import uuid
from uuid import UUID

from chalicelib.staff import service
from tests.api import body, call, new_business
from tests.billing.plan_helpers import override, set_plan
from tests.checks import error_of, rows
from tests.staff.helpers import new_staff, staff_row, staff_tables


def _create(client, owner, name="Nell New"):
    return call(client, "POST", "/staff", {"name": name}, session=owner)


def _active(business_id: str) -> int:
    return rows(business_id, "SELECT count(*) AS n FROM staff WHERE active")[0]["n"]


def test_the_third_staff_member_on_basic_is_refused_and_nothing_is_stored(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")
    new_staff(client, owner)
    new_staff(client, owner)
    before = staff_tables(owner.business_id)

    error = error_of(_create(client, owner), 403, "plan_limit")

    assert error["details"] == {"limit": "staff", "current": 2, "allowed": 2, "plan": "basic", "upgrade_to": "pro"}
    assert staff_tables(owner.business_id) == before


def test_deactivated_staff_do_not_count(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")
    leaving = new_staff(client, owner)
    new_staff(client, owner)
    assert call(client, "DELETE", f"/staff/{leaving['id']}", session=owner).status_code == 204

    answer = _create(client, owner)

    assert answer.status_code == 201, answer.body
    assert _active(owner.business_id) == 2


def test_re_activating_a_member_counts_like_adding_one(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")
    leaving = new_staff(client, owner)
    staying = new_staff(client, owner)
    assert call(client, "DELETE", f"/staff/{leaving['id']}", session=owner).status_code == 204
    new_staff(client, owner)

    refused = call(client, "PATCH", f"/staff/{leaving['id']}", {"active": True, "name": "Back"}, session=owner)
    # One already active, sent active again, is not one more.
    kept = call(client, "PATCH", f"/staff/{staying['id']}", {"active": True, "name": "Still here"}, session=owner)

    error = error_of(refused, 403, "plan_limit")
    assert error["details"] == {"limit": "staff", "current": 2, "allowed": 2, "plan": "basic", "upgrade_to": "pro"}
    row = staff_row(owner.business_id, leaving["id"])
    assert (row["active"], row["name"]) == (False, leaving["name"])
    assert kept.status_code == 200, kept.body
    assert body(kept)["name"] == "Still here"


def test_a_downgrade_deletes_nobody_and_those_over_the_limit_keep_working(client):
    owner = new_business(client)
    set_plan(owner.business_id, "pro")
    team = [new_staff(client, owner) for _ in range(4)]
    set_plan(owner.business_id, "basic")

    refused = _create(client, owner)
    edited = call(client, "PATCH", f"/staff/{team[3]['id']}", {"bio": "Still here."}, session=owner)
    listed = body(call(client, "GET", "/staff", session=owner))

    assert error_of(refused, 403, "plan_limit")["details"]["current"] == 4
    assert edited.status_code == 200, edited.body
    assert sorted(s["id"] for s in listed["items"]) == sorted(s["id"] for s in team)
    assert _active(owner.business_id) == 4


def test_an_override_lifts_the_limit_for_that_business_only(client):
    owner, other = new_business(client), new_business(client)
    for business in (owner, other):
        set_plan(business.business_id, "basic")
        new_staff(client, business)
        new_staff(client, business)
    override(owner.business_id, "staff", 3)

    assert _create(client, owner).status_code == 201
    assert error_of(_create(client, owner), 403, "plan_limit")["details"] == {
        "limit": "staff", "current": 3, "allowed": 3, "plan": "basic", "upgrade_to": None}
    error_of(_create(client, other), 403, "plan_limit")


def test_two_adds_at_the_limits_edge_at_once_end_in_one(client):
    # The test client is not thread-safe: the threads call the service the route calls.
    owner = new_business(client)
    set_plan(owner.business_id, "basic")
    new_staff(client, owner)
    threads, outcomes = 8, []
    start = threading.Barrier(threads)

    def add() -> None:
        start.wait()
        try:
            service.create(UUID(owner.business_id), name=f"Racer {uuid.uuid4().hex[:4]}", email=None, phone=None,
                           bio=None, time_zone=None, user_id=None, bookable=True, location_ids=[])
            outcomes.append("ok")
        except Exception as e:  # noqa: BLE001 - every outcome is counted
            outcomes.append(getattr(e, "code", repr(e)))

    workers = [threading.Thread(target=add) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(outcomes) == ["ok"] + ["plan_limit"] * (threads - 1)
    assert _active(owner.business_id) == 2


def test_at_the_limit_re_activating_an_unknown_or_another_businesss_member_is_not_found(client):
    owner, other = new_business(client), new_business(client)
    set_plan(owner.business_id, "basic")
    new_staff(client, owner)
    new_staff(client, owner)
    theirs = new_staff(client, other)

    for staff_id in (theirs["id"], str(uuid.uuid4())):
        answer = call(client, "PATCH", f"/staff/{staff_id}", {"active": True}, session=owner)
        error_of(answer, 404, "not_found")
    assert staff_row(other.business_id, theirs["id"])["active"] is True
