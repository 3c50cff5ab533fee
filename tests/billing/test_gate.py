"""The one gate: ``require_feature`` and ``require_capacity`` refuse with 403 ``plan_required`` and
``plan_limit``, naming the feature or limit, where the business stands and the plan that lifts it."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from uuid import UUID

import pytest

from chalicelib.billing import gate
from chalicelib.core import db
from chalicelib.core.errors import NotFound
from tests.api import call, new_business
from tests.billing.plan_helpers import override, set_plan
from tests.checks import error_of, rows

ANYONE = uuid.uuid4()


def refused_feature(business_id: str, feature: str) -> dict:
    with pytest.raises(gate.PlanRequired) as refused:
        with db.tenant_tx(business_id) as tx:
            gate.require_feature(tx, UUID(business_id), feature)
    assert (refused.value.status, refused.value.code) == (403, "plan_required")
    return refused.value.details


def refused_capacity(business_id: str, limit: str, current: int) -> dict:
    with pytest.raises(gate.PlanLimit) as refused:
        with db.tenant_tx(business_id) as tx:
            gate.require_capacity(tx, UUID(business_id), limit, current)
    assert (refused.value.status, refused.value.code) == (403, "plan_limit")
    return refused.value.details


def has_capacity(business_id: str, limit: str, current: int) -> None:
    with db.tenant_tx(business_id) as tx:
        gate.require_capacity(tx, UUID(business_id), limit, current)


def test_a_feature_the_plan_lacks_names_the_cheapest_plan_that_has_it(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")

    assert refused_feature(owner.business_id, "whatsapp") == {
        "feature": "whatsapp", "current": False, "plan": "basic", "upgrade_to": "pro"}
    assert refused_feature(owner.business_id, "api_access")["upgrade_to"] == "enterprise"
    with db.tenant_tx(owner.business_id) as tx:
        gate.require_feature(tx, UUID(owner.business_id), "data_export")
        assert gate.allows(tx, UUID(owner.business_id), "data_export") is True
        assert gate.allows(tx, UUID(owner.business_id), "whatsapp") is False


def test_a_trial_is_on_no_rung_of_the_ladder_so_the_whole_ladder_is_looked_at(client):
    owner = new_business(client)

    assert refused_feature(owner.business_id, "analytics") == {
        "feature": "analytics", "current": False, "plan": "trial", "upgrade_to": "enterprise"}
    assert refused_capacity(owner.business_id, "staff", 10)["upgrade_to"] == "enterprise"
    # Pro bills bookings past its allowance: it lifts the trial's monthly limit.
    assert refused_capacity(owner.business_id, "bookings_per_month", 2000)["upgrade_to"] == "pro"


def test_a_feature_turned_off_by_the_platform_names_no_plan(client):
    owner = new_business(client)
    set_plan(owner.business_id, "pro")
    override(owner.business_id, "custom_templates", False)

    response = call(client, "PUT", "/notifications/templates/reminder.email",
                    {"subject": "Soon", "body": "See you {start_time}"}, session=owner)

    assert error_of(response, 403, "plan_required")["details"] == {
        "feature": "custom_templates", "current": False, "plan": "pro", "upgrade_to": None}
    assert rows(owner.business_id, "SELECT * FROM notification_templates") == []


def test_a_feature_held_back_by_its_rollout_names_no_plan():
    outside = next(i for i in (uuid.uuid5(uuid.NAMESPACE_URL, f"t-{n}") for n in range(100))
                   if not gate.in_rollout("reviews", i))

    refusal = gate.feature_refusal(gate.resolve("basic", {}, outside), "reviews")

    assert refusal.details["upgrade_to"] is None


def test_the_limit_is_reached_at_the_allowance_not_before(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")

    has_capacity(owner.business_id, "staff", 1)

    assert refused_capacity(owner.business_id, "staff", 2) == {
        "limit": "staff", "current": 2, "allowed": 2, "plan": "basic", "upgrade_to": "pro"}
    # Over it after a downgrade: still refused, and the count is named as it is.
    assert refused_capacity(owner.business_id, "staff", 7) == {
        "limit": "staff", "current": 7, "allowed": 2, "plan": "basic", "upgrade_to": "pro"}
    # More than Pro allows: Enterprise lifts it.
    assert refused_capacity(owner.business_id, "staff", 12)["upgrade_to"] == "enterprise"
    assert refused_capacity(owner.business_id, "locations", 1)["upgrade_to"] == "pro"


def test_no_limit_is_never_reached(client):
    owner = new_business(client)
    set_plan(owner.business_id, "enterprise")

    has_capacity(owner.business_id, "staff", 10_000)
    has_capacity(owner.business_id, "bookings_per_month", 10**9)


def test_a_limit_set_by_the_platform_is_what_is_checked_and_no_plan_lifts_it(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")
    override(owner.business_id, "staff", 4)

    has_capacity(owner.business_id, "staff", 3)

    assert refused_capacity(owner.business_id, "staff", 4) == {
        "limit": "staff", "current": 4, "allowed": 4, "plan": "basic", "upgrade_to": None}


def test_an_expired_override_is_not_what_is_checked(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")
    override(owner.business_id, "staff", 4, ends_at=datetime.now(timezone.utc) - timedelta(minutes=1))

    assert refused_capacity(owner.business_id, "staff", 2)["allowed"] == 2


def test_the_top_plan_has_nothing_to_upgrade_to():
    ent = gate.resolve("enterprise", {"messages_per_month": 10}, ANYONE)

    assert gate.limit_refusal(ent, "messages_per_month", 10).details["upgrade_to"] is None
    ent = gate.resolve("pro", {}, ANYONE)
    assert gate.limit_refusal(ent, "messages_per_month", 500).details["upgrade_to"] == "enterprise"


def test_the_refusals_carry_their_status_code_and_a_message_naming_what_is_refused():
    limit = gate.limit_refusal(gate.resolve("basic", {}, ANYONE), "locations", 1)
    feature = gate.feature_refusal(gate.resolve("basic", {}, ANYONE), "whatsapp")
    closed = gate.BookingsClosed("suspended")

    assert (limit.status, limit.code) == (403, "plan_limit") and "1 locations" in limit.message
    assert (feature.status, feature.code) == (403, "plan_required") and "WhatsApp" in feature.message
    assert (closed.status, closed.code, closed.details) == (403, "bookings_closed", {"status": "suspended"})


def test_the_gate_reads_only_the_callers_business(client):
    a, b = new_business(client), new_business(client)
    set_plan(a.business_id, "basic")
    override(b.business_id, "whatsapp", True)

    with db.tenant_tx(a.business_id) as tx:
        # Another tenant's business is not there to read, let alone its overrides.
        with pytest.raises(NotFound):
            gate.entitlements(tx, UUID(b.business_id))
