"""The plan's locations limit: locations not archived count, the one past the limit is refused with
403 ``plan_limit`` and stores nothing, two creates at the limit's edge at once end in one, and a
downgrade deletes nothing: the locations over the limit stay and keep working, no new one is added."""
from __future__ import annotations

import threading
from uuid import UUID

from chalicelib.locations import service
from tests.api import body, call, new_business
from tests.billing.plan_helpers import override, set_plan
from tests.checks import error_of
from tests.locations.helpers import create_location, location_rows


def _create(client, owner, name="Second Street"):
    return call(client, "POST", "/locations", {"name": name}, session=owner)


def test_the_second_location_on_basic_is_refused_and_nothing_is_stored(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")
    create_location(client, owner)
    before = location_rows(owner.business_id)

    error = error_of(_create(client, owner), 403, "plan_limit")

    assert error["details"] == {"limit": "locations", "current": 1, "allowed": 1, "plan": "basic",
                                "upgrade_to": "pro"}
    assert location_rows(owner.business_id) == before


def test_an_archived_location_does_not_count(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")
    closed = create_location(client, owner, name="Old Street")
    assert call(client, "DELETE", f"/locations/{closed['id']}", session=owner).status_code == 204

    answer = _create(client, owner)

    assert answer.status_code == 201, answer.body
    assert len(location_rows(owner.business_id)) == 2


def test_a_trial_has_three_locations_and_enterprise_no_limit(client):
    owner = new_business(client)
    for n in range(3):
        create_location(client, owner, name=f"Branch {n}")

    error = error_of(_create(client, owner), 403, "plan_limit")
    assert error["details"] == {"limit": "locations", "current": 3, "allowed": 3, "plan": "trial",
                                "upgrade_to": "enterprise"}
    set_plan(owner.business_id, "enterprise")
    assert _create(client, owner).status_code == 201


def test_a_downgrade_deletes_no_location_and_those_over_the_limit_keep_working(client):
    owner = new_business(client)
    set_plan(owner.business_id, "pro")
    branches = [create_location(client, owner, name=f"Branch {n}") for n in range(3)]
    set_plan(owner.business_id, "basic")

    refused = _create(client, owner)
    edited = call(client, "PATCH", f"/locations/{branches[2]['id']}", {"phone": "020 7946 0000"}, session=owner)
    listed = body(call(client, "GET", "/locations", session=owner))

    assert error_of(refused, 403, "plan_limit")["details"]["current"] == 3
    assert edited.status_code == 200, edited.body
    assert [item["id"] for item in listed["items"]] == [b["id"] for b in branches]


def test_an_override_lifts_the_limit_for_that_business_only(client):
    owner, other = new_business(client), new_business(client)
    for business in (owner, other):
        set_plan(business.business_id, "basic")
        create_location(client, business)
    override(owner.business_id, "locations", 2)

    assert _create(client, owner).status_code == 201
    assert error_of(_create(client, owner), 403, "plan_limit")["details"]["upgrade_to"] is None
    error_of(_create(client, other), 403, "plan_limit")


def test_two_creates_at_the_limits_edge_at_once_end_in_one(client):
    # The test client is not thread-safe: the threads call the service the route calls.
    owner = new_business(client)
    set_plan(owner.business_id, "basic")
    threads, outcomes = 8, []
    start = threading.Barrier(threads)

    def add(n: int) -> None:
        start.wait()
        try:
            service.create(UUID(owner.business_id), {"name": f"Racer {n}"})
            outcomes.append("ok")
        except Exception as e:  # noqa: BLE001 - every outcome is counted
            outcomes.append(getattr(e, "code", repr(e)))

    workers = [threading.Thread(target=add, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(outcomes) == ["ok"] + ["plan_limit"] * (threads - 1)
    assert len(location_rows(owner.business_id)) == 1
