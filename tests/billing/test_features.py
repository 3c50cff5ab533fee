"""GET /features: what a business may use now, from its plan, then gradual rollouts, then the
platform's per-tenant overrides; and /auth/me naming the same."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from uuid import UUID

from chalicelib.billing import gate, plans
from chalicelib.business import service as business_service
from chalicelib.core import db
from tests.api import add_member, body, call, new_business
from tests.billing.plan_helpers import override, set_plan
from tests.checks import rows


def features(client, session):
    response = call(client, "GET", "/features", session=session)
    assert response.status_code == 200, response.body
    return body(response)


def _ids(n: int) -> list[UUID]:
    return [uuid.uuid5(uuid.NAMESPACE_URL, f"tenant-{i}") for i in range(n)]


def _in_and_out(flag: str) -> tuple[UUID, UUID]:
    """A tenant the rollout of ``flag`` lets in, and one it does not."""
    ids = _ids(100)
    return (next(i for i in ids if gate.in_rollout(flag, i)), next(i for i in ids if not gate.in_rollout(flag, i)))


def test_each_plan_gives_its_defaults(client):
    owner = new_business(client)
    reviews = gate.in_rollout("reviews", UUID(owner.business_id))

    for key in ("basic", "pro", "enterprise", "trial"):
        set_plan(owner.business_id, key)
        answer = features(client, owner)
        plan = plans.PLANS[key]
        assert answer["plan"] == key
        assert answer["limits"] == dict(plan.limits)
        expected = {f: f in plan.features for f in plans.FEATURES} | {"reviews": "reviews" in plan.features and reviews}
        assert answer["features"] == expected, key


def test_a_new_business_is_on_a_trial_with_pros_features(client):
    owner = new_business(client)

    answer = features(client, owner)

    assert answer["plan"] == "trial"
    assert answer["features"]["whatsapp"] and answer["features"]["custom_templates"]
    assert not answer["features"]["analytics"] and not answer["features"]["api_access"]
    assert answer["limits"] == {"staff": 10, "locations": 3, "bookings_per_month": 2000, "messages_per_month": 500}


def test_an_override_turns_a_feature_on_or_off_whatever_the_plan(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")
    override(owner.business_id, "whatsapp", True)
    override(owner.business_id, "data_export", False)

    answer = features(client, owner)["features"]

    assert answer["whatsapp"] is True and answer["data_export"] is False
    assert answer["custom_templates"] is False  # the rest stays the plan's


def test_an_override_sets_a_limit_or_lifts_it(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")
    override(owner.business_id, "staff", 5)
    override(owner.business_id, "bookings_per_month", None)

    assert features(client, owner)["limits"] == {"staff": 5, "locations": 1, "bookings_per_month": None,
                                                 "messages_per_month": 0}


def test_an_override_past_its_end_date_is_ignored_and_one_not_yet_past_applies(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")
    now = datetime.now(timezone.utc)
    override(owner.business_id, "whatsapp", True, ends_at=now - timedelta(seconds=1))
    override(owner.business_id, "campaigns", True, ends_at=now + timedelta(days=1))
    override(owner.business_id, "locations", 4, ends_at=now - timedelta(days=1))

    answer = features(client, owner)

    assert answer["features"]["whatsapp"] is False
    assert answer["features"]["campaigns"] is True
    assert answer["limits"]["locations"] == 1


def test_a_rollout_is_deterministic_and_lets_in_about_its_percentage():
    ids = _ids(1000)

    first = [gate.in_rollout("reviews", i) for i in ids]

    assert first == [gate.in_rollout("reviews", i) for i in ids]
    assert plans.ROLLOUTS["reviews"] == 50
    assert 430 <= sum(first) <= 570
    # A flag not in rollout is every tenant's.
    assert all(gate.in_rollout("whatsapp", i) for i in ids)


def test_a_rollout_gives_the_plans_default_to_those_in_and_off_to_the_rest():
    inside, outside = _in_and_out("reviews")

    assert gate.resolve("pro", {}, inside).features["reviews"] is True
    assert gate.resolve("pro", {}, outside).features["reviews"] is False
    # Being in the rollout does not give a plan what it does not have.
    assert gate.resolve("basic", {}, inside).features["reviews"] is False
    # An override wins over the rollout both ways.
    assert gate.resolve("pro", {"reviews": True}, outside).features["reviews"] is True
    assert gate.resolve("pro", {"reviews": False}, inside).features["reviews"] is False


def test_an_override_of_the_wrong_kind_or_an_unknown_name_is_ignored():
    ent = gate.resolve("basic", {"whatsapp": 1, "staff": True, "locations": -1, "teleport": True}, uuid.uuid4())

    assert ent.features["whatsapp"] is False
    assert ent.limits["staff"] == 2 and ent.limits["locations"] == 1
    assert set(ent.features) == set(plans.FEATURES) and set(ent.limits) == set(plans.LIMITS)
    assert ent.overridden == frozenset()


def test_auth_me_names_the_same_features_and_limits(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    set_plan(owner.business_id, "basic")
    override(owner.business_id, "analytics", True)
    override(owner.business_id, "messages_per_month", 50)

    answer = features(client, staff)
    me = body(call(client, "GET", "/auth/me", session=staff))

    assert me["plan"] == answer["plan"] == "basic"
    limits = {"max_staff": "staff", "max_locations": "locations", "max_bookings_per_month": "bookings_per_month",
              "max_messages_per_month": "messages_per_month"}
    assert me["features"] == {**{name: answer["limits"][limit] for name, limit in limits.items()},
                              **answer["features"]}
    assert me["features"]["analytics"] is True and me["features"]["max_messages_per_month"] == 50


def test_another_business_overrides_never_show(client):
    a, b = new_business(client), new_business(client)
    for owner in (a, b):
        set_plan(owner.business_id, "basic")
    override(b.business_id, "whatsapp", True)
    override(b.business_id, "staff", 40)

    answer = features(client, a)

    assert answer["features"]["whatsapp"] is False and answer["limits"]["staff"] == 2
    assert features(client, b)["features"]["whatsapp"] is True


def test_sign_up_starts_a_trial_with_no_card(client):
    owner = new_business(client)

    business = rows(owner.business_id, "SELECT plan, status, trial_ends_at, created_at FROM businesses")[0]
    subscription = rows(owner.business_id, "SELECT * FROM subscriptions")[0]

    assert (business["plan"], business["status"]) == ("trial", "active")
    assert (subscription["state"], subscription["plan"]) == ("trialing", "trial")
    assert subscription["trial_ends_at"] == business["trial_ends_at"] == business["created_at"] + timedelta(days=14)
    assert subscription["stripe_customer_id"] is None and subscription["stripe_subscription_id"] is None


def test_billing_puts_a_plan_in_force_without_touching_the_profiles_version(client):
    owner = new_business(client)
    version = body(call(client, "GET", "/business", session=owner))["version"]

    with db.tenant_tx(owner.business_id) as tx:
        business_service.set_billing_state(tx, UUID(owner.business_id), plan="basic", status="expired")

    profile = body(call(client, "GET", "/business", session=owner))
    assert (profile["plan"], profile["status"], profile["version"]) == ("basic", "expired", version)
    assert features(client, owner)["plan"] == "basic"
