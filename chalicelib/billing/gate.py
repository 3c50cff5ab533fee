"""The one gate: what a business may use now, and the refusals when it may not.

Effective entitlements are the plan's (``businesses.plan``, what billing put in force), then gradual
rollouts (a flag in ``plans.ROLLOUTS`` stays on only for the tenants a stable hash lets in), then the
platform's per-tenant overrides (``feature_overrides``, ignored once past their end), which win over
both. Every gated route asks here, so a refusal always names the feature or limit, where the business
stands, and the cheapest plan that would lift it.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from uuid import UUID

from chalicelib.billing import plans
from chalicelib.billing.plans import Plan
from chalicelib.core import db
from chalicelib.core.db import Tx
from chalicelib.core.errors import Forbidden, NotFound

# How a refusal names what it refuses.
FEATURE_NAMES = MappingProxyType({
    "whatsapp": "WhatsApp messages", "custom_templates": "custom message templates",
    "google_calendar": "Google Calendar sync", "intake_forms": "intake forms", "reviews": "reviews",
    "waitlist": "the waitlist", "campaigns": "campaigns", "analytics": "analytics", "api_access": "API access",
    "data_export": "data export",
})
LIMIT_NAMES = MappingProxyType({
    "staff": "active team members", "locations": "locations", "bookings_per_month": "bookings a month",
    "messages_per_month": "WhatsApp messages a month",
})

# A scalar subquery: the live overrides of :business_id as one JSON object {feature: value}, to fold
# into a statement that already runs (the availability read, the entitlements read below).
OVERRIDES_JSON = """(SELECT coalesce(jsonb_object_agg(o.feature, o.value), '{}'::jsonb)
   FROM feature_overrides o
  WHERE o.business_id = :business_id AND (o.ends_at IS NULL OR o.ends_at > now()))"""

_ENTITLEMENTS = f"""-- the plan in force and the platform's live overrides for it
SELECT b.plan, {OVERRIDES_JSON} AS overrides
  FROM businesses b WHERE b.id = :business_id"""


@dataclass(frozen=True)
class Entitlements:
    plan: str                                  # businesses.plan
    features: Mapping[str, bool]               # every name in plans.FEATURES
    limits: Mapping[str, int | None]           # every name in plans.LIMITS (None: unlimited)
    overage: Mapping[str, Mapping[str, int]]   # meter -> currency -> minor units (plans with overage)
    # Set by an override: no plan change lifts these.
    overridden: frozenset[str] = frozenset()
    # Flags in rollout this tenant is not in yet: no plan change lifts these either.
    held_back: frozenset[str] = frozenset()


class PlanRequired(Forbidden):
    code, message = "plan_required", "Your plan does not include this feature."

    def __init__(self, feature: str, *, plan: str, upgrade_to: str | None) -> None:
        super().__init__(f"Your plan does not include {FEATURE_NAMES.get(feature, feature)}; upgrade to use it.",
                         details={"feature": feature, "current": False, "plan": plan, "upgrade_to": upgrade_to})


class PlanLimit(Forbidden):
    code, message = "plan_limit", "Your plan's limit is reached."

    def __init__(self, limit: str, *, current: int, allowed: int | None, plan: str, upgrade_to: str | None) -> None:
        super().__init__(f"Your plan allows {allowed} {LIMIT_NAMES.get(limit, limit)}; upgrade for more.",
                         details={"limit": limit, "current": current, "allowed": allowed, "plan": plan,
                                  "upgrade_to": upgrade_to})


class BookingsClosed(Forbidden):
    code, message = "bookings_closed", "This business takes no new bookings."

    def __init__(self, status: str) -> None:
        super().__init__(f"This business takes no new bookings while its account is {status}; "
                         "existing appointments can still be moved, cancelled and completed.",
                         details={"status": status})


def in_rollout(flag: str, business_id: UUID) -> bool:
    """Whether the tenant is among the ``ROLLOUTS[flag]`` percent a flag in rollout is on for (a flag
    not in rollout: every tenant). The hash is stable, so a tenant stays in as the percentage grows."""
    percent = plans.ROLLOUTS.get(flag)
    if percent is None:
        return True
    return int(hashlib.sha256(f"{flag}:{business_id}".encode()).hexdigest(), 16) % 100 < percent


def _is_limit(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def resolve(plan_key: str, overrides: Mapping[str, Any], business_id: UUID) -> Entitlements:
    """The effective entitlements of a business on ``plan_key`` with these overrides (pure). An
    override of the wrong type for its name (it cannot be stored through the console) is ignored."""
    plan = plans.plan(plan_key)
    held_back = frozenset(f for f in plans.ROLLOUTS if not in_rollout(f, business_id))
    features = {f: f in plan.features and f not in held_back for f in plans.FEATURES}
    limits = dict(plan.limits)
    overridden: set[str] = set()
    for name, value in overrides.items():
        if name in features and isinstance(value, bool):
            features[name] = value
        elif name in limits and _is_limit(value):
            limits[name] = value
        else:
            continue
        overridden.add(name)
    return Entitlements(
        plan=plan_key, features=MappingProxyType(features), limits=MappingProxyType(limits),
        overage=MappingProxyType({meter: MappingProxyType(dict(prices)) for meter, prices in plan.overage.items()}),
        overridden=frozenset(overridden), held_back=held_back)


def entitlements(tx: Tx, business_id: UUID) -> Entitlements:
    """The business's effective entitlements now (one statement)."""
    row = tx.one(_ENTITLEMENTS, business_id=business_id)
    if row is None:
        raise NotFound("business")
    return resolve(row["plan"], row["overrides"], business_id)


def read(business_id: UUID) -> dict[str, Any]:
    """``GET /features``: the plan in force and what the business may use now."""
    with db.tenant_tx(business_id) as tx:
        ent = entitlements(tx, business_id)
    return {"plan": ent.plan, "features": dict(ent.features), "limits": dict(ent.limits)}


def allows(tx: Tx, business_id: UUID, feature: str) -> bool:
    return entitlements(tx, business_id).features[feature]


def _upgrade_to(current: str, lifts: Callable[[Plan], bool]) -> str | None:
    """The first plan up the ladder from ``current`` that lifts the refusal (a trial is on no rung:
    the whole ladder is looked at)."""
    rungs = plans.LADDER[plans.LADDER.index(current) + 1:] if current in plans.LADDER else plans.LADDER
    return next((key for key in rungs if lifts(plans.PLANS[key])), None)


def feature_refusal(ent: Entitlements, feature: str) -> PlanRequired:
    """The refusal for a feature ``ent`` does not include."""
    pinned = feature in ent.overridden or feature in ent.held_back
    return PlanRequired(feature, plan=ent.plan,
                        upgrade_to=None if pinned else _upgrade_to(ent.plan, lambda p: feature in p.features))


def limit_refusal(ent: Entitlements, limit: str, current: int) -> PlanLimit:
    """The refusal for one more of ``limit`` when ``current`` already uses the allowance. A plan lifts
    it when it allows more than ``current``, or bills the meter behind the limit as overage."""
    meter = next((m for m, name in plans.METER_LIMITS.items() if name == limit), None)

    def lifts(plan: Plan) -> bool:
        allowed = plan.limits[limit]
        return allowed is None or allowed > current or meter in plan.overage

    upgrade_to = None if limit in ent.overridden else _upgrade_to(ent.plan, lifts)
    return PlanLimit(limit, current=current, allowed=ent.limits[limit], plan=ent.plan, upgrade_to=upgrade_to)


def require_feature(tx: Tx, business_id: UUID, feature: str) -> None:
    """403 ``plan_required`` unless the business may use ``feature`` now."""
    ent = entitlements(tx, business_id)
    if not ent.features[feature]:
        raise feature_refusal(ent, feature)


def require_capacity(tx: Tx, business_id: UUID, limit: str, current: int) -> None:
    """403 ``plan_limit`` unless the business may add one more to the ``current`` it has of ``limit``
    (a downgrade deletes nothing: what is over the limit stays, nothing new is added)."""
    ent = entitlements(tx, business_id)
    allowed = ent.limits[limit]
    if allowed is not None and current >= allowed:
        raise limit_refusal(ent, limit, current)
