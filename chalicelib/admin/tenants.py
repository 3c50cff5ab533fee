"""The platform console's view of every tenant, and what an operator does to one.

Reads run as ``booking_platform`` (migration 0019), taken on for one transaction (``platform_tx``):
it reads the tenants, their subscriptions, usage and overrides, and counts their staff, locations,
bookings and messages, in every tenant, and can write nothing. An operator's suspend, reactivate or
feature change runs in the target tenant's own scope, as the application (billing's lifecycle
functions do the suspending), queued behind any other operator action on that tenant, and is
recorded in ``tenant_admin_actions`` with its reason, in the same transaction.

Owns ``tenant_admin_actions`` and the writes of ``feature_overrides`` (``billing.gate`` reads them).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from chalicelib.billing import gate, lifecycle, plans, usage
from chalicelib.core import db
from chalicelib.core.db import Tx
from chalicelib.core.errors import NotFound, ValidationFailed
from chalicelib.core.pagination import decode_cursor, page

# How many of the latest operator actions the tenant's page shows.
RECENT_ACTIONS = 20

_ROLE = """-- the platform console's transaction: as booking_platform, which may read the tenants and what
-- the console shows of them, in every tenant, and write nothing (migration 0019)
SELECT set_config('role', 'booking_platform', true)"""

# The owner shown for a tenant: its first owner (a business may have several).
_OWNER = """LEFT JOIN LATERAL (
       SELECT m.user_id, u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.business_id = b.id AND m.role = 'owner'
        ORDER BY m.created_at, m.user_id LIMIT 1) o ON true"""

# This usage period's counters of each tenant, {meter: used}.
_USED = """(SELECT coalesce(jsonb_object_agg(c.meter, c.used), '{}'::jsonb) FROM usage_counters c
     WHERE c.business_id = b.id
       AND c.period_start = billing_period_start(coalesce(s.usage_anchor, b.created_at), now()))"""

_LIST = f"""-- a page of tenants, newest first, with their first owner and this usage period's counts; found by a
-- search over name, slug and the owners' e-mails, and by plan, serving status and lifecycle state
SELECT b.id, b.name, b.slug, b.plan, b.status, s.state, b.created_at,
       o.user_id AS owner_id, o.email AS owner_email, o.name AS owner_name, {_USED} AS used
  FROM businesses b
  LEFT JOIN subscriptions s ON s.business_id = b.id
  {_OWNER}
 WHERE (CAST(:plan AS text) IS NULL OR b.plan = :plan)
   AND (CAST(:status AS text) IS NULL OR b.status = :status)
   AND (CAST(:state AS text) IS NULL OR s.state = :state)
   AND (CAST(:pattern AS text) IS NULL OR b.name ILIKE :pattern OR b.slug ILIKE :pattern
        OR EXISTS (SELECT FROM memberships m JOIN users u ON u.id = m.user_id
                    WHERE m.business_id = b.id AND m.role = 'owner' AND u.email ILIKE :pattern))
   AND (CAST(:after_at AS timestamptz) IS NULL
        OR (b.created_at, b.id) < (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid)))
 ORDER BY b.created_at DESC, b.id DESC
 LIMIT :limit"""

_DETAIL = f"""-- one tenant: the list's fields, its subscription mirror, the live overrides in force (the gate's
-- fragment), and how many active staff, locations in use and members it has
SELECT b.id, b.name, b.slug, b.plan, b.status, s.state, b.created_at,
       o.user_id AS owner_id, o.email AS owner_email, o.name AS owner_name, {_USED} AS used,
       s.billing_interval, s.currency, s.amount_minor, s.mrr_minor, s.stripe_customer_id,
       s.stripe_subscription_id, s.stripe_status, s.trial_ends_at, s.period_start, s.period_end,
       s.cancel_at_period_end, s.past_due_since, s.suspended_by, s.suspended_reason, s.stripe_synced_at,
       {gate.OVERRIDES_JSON} AS live_overrides,
       (SELECT count(*) FROM staff t WHERE t.business_id = b.id AND t.active) AS staff,
       (SELECT count(*) FROM locations l WHERE l.business_id = b.id AND l.archived_at IS NULL) AS locations,
       (SELECT count(*) FROM memberships m WHERE m.business_id = b.id) AS members
  FROM businesses b
  LEFT JOIN subscriptions s ON s.business_id = b.id
  {_OWNER}
 WHERE b.id = :business_id"""

_OVERRIDES = """-- every override of one tenant (those past their end too: kept, and shown as ended), by name
SELECT f.feature, f.value, f.reason, f.ends_at, f.set_by, u.email AS set_by_email, f.set_at
  FROM feature_overrides f LEFT JOIN users u ON u.id = f.set_by
 WHERE f.business_id = :business_id
 ORDER BY f.feature"""

_ACTIONS = """-- the latest operator actions on one tenant, newest first
SELECT a.id, a.action, a.reason, a.details, a.actor_id, u.email AS actor_email, a.at
  FROM tenant_admin_actions a LEFT JOIN users u ON u.id = a.actor_id
 WHERE a.business_id = :business_id
 ORDER BY a.at DESC, a.id DESC
 LIMIT :limit"""

_CURRENT_OVERRIDES = """-- the tenant (none: no such business) and its override set now
SELECT b.id, (SELECT coalesce(jsonb_object_agg(f.feature, jsonb_build_object(
                  'value', f.value, 'reason', f.reason, 'ends_at', f.ends_at)), '{}'::jsonb)
                FROM feature_overrides f WHERE f.business_id = b.id) AS overrides
  FROM businesses b WHERE b.id = :business_id"""

_CLEAR_OVERRIDES = """-- the overrides no longer in the set
DELETE FROM feature_overrides WHERE business_id = :business_id AND feature = ANY(CAST(:features AS text[]))"""

_SET_OVERRIDES = """-- the overrides added or changed, set by this operator now
INSERT INTO feature_overrides (business_id, feature, value, reason, ends_at, set_by)
SELECT :business_id, w->>'feature', w->'value', w->>'reason', CAST(w->>'ends_at' AS timestamptz), :actor_id
  FROM jsonb_array_elements(CAST(:overrides AS jsonb)) AS w  -- w->'value' keeps a JSON null (no limit) as one
ON CONFLICT (business_id, feature) DO UPDATE
   SET value = EXCLUDED.value, reason = EXCLUDED.reason, ends_at = EXCLUDED.ends_at, set_by = EXCLUDED.set_by,
       set_at = now()"""

_RECORD = """-- what an operator did to a tenant, and why
INSERT INTO tenant_admin_actions (business_id, action, reason, details, actor_id)
VALUES (:business_id, :action, :reason, CAST(:details AS jsonb), :actor_id)"""

_EXISTS = """-- whether the tenant exists (its row is visible in its own scope)
SELECT true FROM businesses WHERE id = :business_id"""


@contextmanager
def platform_tx() -> Iterator[Tx]:
    """The console's transaction: no tenant, run as ``booking_platform``, so it reads what the console
    shows of every tenant and can write nothing. Like the retention sweep's role, it ends with the
    transaction, so nothing outlives it on a reused (or proxied) connection."""
    with db.transaction() as tx:
        tx.value(_ROLE)
        yield tx


def _admin_lock(business_id: UUID) -> str:
    # Operator actions on one tenant queue behind each other: a suspend sent twice at once records once.
    return f"tenant-admin:{business_id}"


def _like(q: str) -> str:
    """``q`` as a case-insensitive substring pattern, its own wildcards taken literally."""
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _owner(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["owner_id"] is None:
        return None
    return {"user_id": row["owner_id"], "email": row["owner_email"], "name": row["owner_name"]}


def _item(row: dict[str, Any]) -> dict[str, Any]:
    used = row["used"] or {}
    return {"id": row["id"], "name": row["name"], "slug": row["slug"], "plan": row["plan"], "status": row["status"],
            "state": row["state"], "created_at": row["created_at"], "owner": _owner(row),
            "usage": {meter: used.get(meter, 0) for meter in usage.METERS}}


def search(*, q: str | None, plan: str | None, status: str | None, state: str | None, limit: int,
           cursor: str | None) -> dict[str, Any]:
    """A page of every tenant, newest first (``GET /admin/tenants``)."""
    after = decode_cursor(cursor, 2)
    with platform_tx() as tx:
        rows = tx.all(_LIST, plan=plan, status=status, state=state, pattern=_like(q) if q else None,
                      after_at=after[0] if after else None, after_id=after[1] if after else None, limit=limit + 1)
    return page(rows, limit, lambda r: (r["created_at"].isoformat(), str(r["id"])), _item)


def _money(amount: int | None, currency: str | None) -> dict[str, Any] | None:
    return {"amount": amount, "currency": currency.strip()} if amount is not None and currency else None


def _subscription(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["state"] is None:
        return None
    period = {"start": row["period_start"], "end": row["period_end"]} \
        if row["period_start"] is not None and row["period_end"] is not None else None
    return {"state": row["state"], "billing_interval": row["billing_interval"],
            "amount": _money(row["amount_minor"], row["currency"]), "mrr": _money(row["mrr_minor"], row["currency"]),
            "stripe_customer_id": row["stripe_customer_id"], "stripe_subscription_id": row["stripe_subscription_id"],
            "stripe_status": row["stripe_status"], "trial_ends_at": row["trial_ends_at"], "current_period": period,
            "cancel_at_period_end": row["cancel_at_period_end"], "past_due_since": row["past_due_since"],
            "suspended_by": row["suspended_by"], "suspended_reason": row["suspended_reason"],
            "synced_at": row["stripe_synced_at"]}


def _user(user_id: UUID | None, email: str | None) -> dict[str, Any] | None:
    return {"user_id": user_id, "email": email} if user_id is not None else None


def detail(business_id: UUID) -> dict[str, Any]:
    """One tenant as the console shows it (``GET /admin/tenants/{business_id}``): 404 when there is none."""
    with platform_tx() as tx:
        row = tx.one(_DETAIL, business_id=business_id)
        if row is None:
            raise NotFound("business")
        overrides = tx.all(_OVERRIDES, business_id=business_id)
        actions = tx.all(_ACTIONS, business_id=business_id, limit=RECENT_ACTIONS)
    ent = gate.resolve(row["plan"], row["live_overrides"], business_id)
    return {**_item(row), "subscription": _subscription(row),
            "entitlements": {"plan": ent.plan, "features": dict(ent.features), "limits": dict(ent.limits)},
            "overrides": [{"feature": o["feature"], "value": o["value"], "reason": o["reason"],
                           "ends_at": o["ends_at"], "set_by": _user(o["set_by"], o["set_by_email"]),
                           "set_at": o["set_at"]} for o in overrides],
            "counts": {"staff": row["staff"], "locations": row["locations"], "members": row["members"]},
            "period_usage": usage.read(business_id),
            "recent_actions": [{"id": a["id"], "action": a["action"], "reason": a["reason"], "details": a["details"],
                                "actor": _user(a["actor_id"], a["actor_email"]), "at": a["at"]} for a in actions]}


def _record(tx: Tx, business_id: UUID, action: str, *, reason: str, actor_id: UUID,
            details: dict[str, Any]) -> None:
    tx.execute(_RECORD, business_id=business_id, action=action, reason=reason, details=json.dumps(details),
               actor_id=actor_id)


def _require_tenant(tx: Tx, business_id: UUID) -> None:
    if not tx.value(_EXISTS, business_id=business_id):
        raise NotFound("business")


def suspend(business_id: UUID, *, reason: str, actor_id: UUID) -> dict[str, Any]:
    """Suspend a tenant for an operator's reason: no new bookings, public pages gone, until an operator
    reactivates it (a payment does not lift it). Suspending one already suspended changes and records
    nothing. Answers the tenant's detail."""
    with db.tenant_tx(business_id, lock=_admin_lock(business_id)) as tx:
        _require_tenant(tx, business_id)
        if lifecycle.suspend_by_operator(tx, business_id, reason):
            _record(tx, business_id, "suspend", reason=reason, actor_id=actor_id, details={})
    return detail(business_id)


def reactivate(business_id: UUID, *, reason: str, actor_id: UUID) -> dict[str, Any]:
    """Lift an operator's suspension: the tenant goes back to the state its Stripe subscription (or its
    trial) gives. 409 ``not_suspended`` when it is not suspended. Answers the tenant's detail."""
    with db.tenant_tx(business_id, lock=_admin_lock(business_id)) as tx:
        _require_tenant(tx, business_id)
        state = lifecycle.reactivate_by_operator(tx, business_id)
        _record(tx, business_id, "reactivate", reason=reason, actor_id=actor_id, details={"state": state})
    return detail(business_id)


def _check_override(index: int, override: Any, now: datetime) -> dict[str, str]:
    """What is wrong with one override of the set (nothing: empty): its name, the type of its value
    (a flag is true or false; a limit a whole number from 0, or null for none), an end not ahead."""
    where = f"overrides.{index}"
    if override.feature in plans.FEATURES:
        if not isinstance(override.value, bool):
            return {f"{where}.value": "a feature is turned on or off: true or false"}
    elif override.feature in plans.LIMITS:
        value = override.value
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            return {f"{where}.value": "a limit is a whole number from 0, or null for no limit"}
    else:
        return {f"{where}.feature": "not a feature or limit: one of " + ", ".join(plans.FEATURES + plans.LIMITS)}
    if override.ends_at is not None and override.ends_at <= now:
        return {f"{where}.ends_at": "must be in the future"}
    return {}


def validate_overrides(overrides: list[Any], *, now: datetime) -> None:
    """422 naming every bad override of a set, before anything is stored."""
    problems: dict[str, str] = {}
    seen: set[str] = set()
    for index, override in enumerate(overrides):
        problems.update(_check_override(index, override, now))
        if override.feature in seen:
            problems[f"overrides.{index}.feature"] = "named twice"
        seen.add(override.feature)
    if problems:
        raise ValidationFailed(problems)


def set_overrides(business_id: UUID, overrides: list[Any], *, reason: str, actor_id: UUID) -> dict[str, Any]:
    """Replace a tenant's override set (``PUT /admin/tenants/{business_id}/features``): those listed are
    set, the others cleared; the change (before and after of each one changed) is recorded with the
    operator's reason. A set that changes nothing records nothing. Answers the tenant's detail."""
    validate_overrides(overrides, now=datetime.now(timezone.utc))
    wanted = {o.feature: {"value": o.value, "reason": o.reason,
                          "ends_at": o.ends_at.isoformat() if o.ends_at is not None else None} for o in overrides}
    with db.tenant_tx(business_id, lock=_admin_lock(business_id)) as tx:
        row = tx.one(_CURRENT_OVERRIDES, business_id=business_id)
        if row is None:
            raise NotFound("business")
        before = row["overrides"]
        cleared = sorted(set(before) - set(wanted))
        changed = {name: o for name, o in wanted.items() if _differs(before.get(name), o)}
        if cleared:
            tx.execute(_CLEAR_OVERRIDES, business_id=business_id, features=cleared)
        if changed:
            tx.execute(_SET_OVERRIDES, business_id=business_id, actor_id=actor_id,
                       overrides=json.dumps([{"feature": name, **o} for name, o in changed.items()]))
        if cleared or changed:
            _record(tx, business_id, "features", reason=reason, actor_id=actor_id,
                    details={"before": {name: before[name] for name in [*cleared, *changed] if name in before},
                             "after": changed})
    return detail(business_id)


def _end(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _differs(before: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    """Whether an override as asked is not the one stored (a value of another JSON type differs: a
    limit of 1 is not the flag true)."""
    if before is None:
        return True
    return (before["value"] != after["value"] or type(before["value"]) is not type(after["value"])
            or before["reason"] != after["reason"] or _end(before["ends_at"]) != _end(after["ends_at"]))
