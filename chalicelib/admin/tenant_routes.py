"""The platform console's routes (``/admin/tenants``, ``/admin/metrics``): every tenant, suspension, feature overrides.

Platform operators only, checked on every request (``role=platform.ROLE``: a revocation takes effect at once).
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from chalice import Blueprint

from chalicelib.admin import metrics, tenants
from chalicelib.billing import plans
from chalicelib.billing.routes import EffectiveFeatures, Usage
from chalicelib.core import platform
from chalicelib.core.answer import Answer, Json, Money, Timestamp
from chalicelib.core.endpoint import endpoint
from chalicelib.core.pagination import PageQuery
from chalicelib.core.security import Caller
from chalicelib.core.validate import Struct

bp = Blueprint(__name__)

PlanKey = Literal["trial", "basic", "pro", "enterprise"]
Status = Literal["active", "suspended", "expired"]
State = Literal["trialing", "active", "past_due", "suspended", "expired", "cancelled"]
Instant = Annotated[datetime, msgspec.Meta(tz=True)]
# Why an operator acts: kept with what they did (at least one character that is not a space).
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=r"\S")]


class TenantQuery(PageQuery):
    # A part of the name, the slug or an owner's e-mail address (case-insensitive).
    q: Annotated[str, msgspec.Meta(min_length=1, max_length=120)] | None = None
    plan: PlanKey | None = None
    status: Status | None = None
    state: State | None = None


class OperatorReason(Struct):
    reason: Reason


class FeatureOverride(Struct):
    # A feature (true/false) or a limit (a whole number from 0, or null for no limit): plans.FEATURES, plans.LIMITS.
    feature: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    value: bool | int | None
    reason: Reason
    # null: until changed; otherwise ignored from then on (and kept)
    ends_at: Instant | None = None


class FeatureOverrides(Struct):
    # The whole set: a feature or limit not listed loses its override.
    overrides: Annotated[list[FeatureOverride], msgspec.Meta(max_length=len(plans.FEATURES) + len(plans.LIMITS))]
    reason: Reason


class TenantOwner(Answer):
    user_id: UUID
    email: str
    name: str


class TenantUsage(Answer):
    """Used so far in the tenant's current usage period."""
    bookings: int
    messages_email: int
    messages_whatsapp: int


class Tenant(Answer):
    id: UUID
    name: str
    slug: str
    plan: PlanKey
    status: Status  # what is served: active (trialing, active, past due), suspended, expired
    state: State | None  # the subscription's lifecycle state
    created_at: Timestamp
    owner: TenantOwner | None
    usage: TenantUsage


class Tenants(Answer):
    items: list[Tenant]
    next_cursor: str | None


class Period(Answer):
    start: Timestamp
    end: Timestamp


class TenantSubscription(Answer):
    """The subscription as billing mirrors it from Stripe."""
    state: State
    billing_interval: Literal["month", "year"] | None
    amount: Money | None
    mrr: Money | None  # its monthly share (a yearly price / 12)
    stripe_customer_id: str | None
    stripe_subscription_id: str | None
    stripe_status: str | None
    trial_ends_at: Timestamp | None
    current_period: Period | None
    cancel_at_period_end: bool
    past_due_since: Timestamp | None
    suspended_by: Literal["billing", "operator"] | None
    suspended_reason: str | None
    synced_at: Timestamp | None  # last re-fetched from Stripe


class Operator(Answer):
    user_id: UUID
    email: str


class Override(Answer):
    feature: str
    value: bool | int | None
    reason: str
    ends_at: Timestamp | None  # past: ended (kept, no longer applied)
    set_by: Operator | None
    set_at: Timestamp


class TenantCounts(Answer):
    staff: int  # active
    locations: int  # not archived
    members: int  # logins


class TenantAction(Answer):
    id: UUID
    action: Literal["suspend", "reactivate", "features"]
    reason: str
    details: Json
    actor: Operator | None
    at: Timestamp


class TenantDetail(Tenant):
    subscription: TenantSubscription | None
    entitlements: EffectiveFeatures  # in force now: the plan, rollouts, then the live overrides
    overrides: list[Override]
    counts: TenantCounts
    period_usage: Usage
    recent_actions: list[TenantAction]  # the latest 20, newest first


class TenantCount(Answer):
    total: int
    by_status: dict[str, int]  # every serving status
    by_plan: dict[str, int]  # every plan
    by_state: dict[str, int]  # every lifecycle state


class TodayAndMonth(Answer):
    today: int
    month: int


class Messages(TodayAndMonth):
    by_channel: dict[str, TodayAndMonth]  # email, whatsapp


class Errors(Answer):
    deliveries_failed_today: int
    stripe_events_failed: int  # kept events whose handling recorded an error (kept for the retention period)


class Metrics(Answer):
    at: Timestamp  # today and this month are the UTC day and month holding it
    tenants: TenantCount
    mrr: list[Money]  # per currency: active and past-due subscriptions
    bookings: TodayAndMonth  # created (cancelled ones too)
    messages: Messages  # sent
    dead_letters: int  # waiting for a redrive
    errors: Errors


@endpoint(bp, "/admin/tenants", "GET", role=platform.ROLE, tag="admin", query=TenantQuery, response=Tenants,
          summary="Every tenant, newest first: search over name, slug and owner e-mail; filter by plan, status, state")
def list_tenants(caller: Caller, query: TenantQuery) -> Any:
    return tenants.search(q=query.q, plan=query.plan, status=query.status, state=query.state, limit=query.limit,
                          cursor=query.cursor)


@endpoint(bp, "/admin/tenants/{business_id}", "GET", role=platform.ROLE, tag="admin", response=TenantDetail,
          summary="One tenant: subscription, effective features and overrides, counts, usage, recent operator actions")
def get_tenant(caller: Caller, business_id: UUID) -> Any:
    return tenants.detail(business_id)


@endpoint(bp, "/admin/tenants/{business_id}/suspend", "POST", role=platform.ROLE, tag="admin", body=OperatorReason,
          response=TenantDetail,
          summary="Suspend a tenant (no new bookings, public pages gone) until an operator reactivates it; recorded")
def suspend_tenant(caller: Caller, business_id: UUID, body: OperatorReason) -> Any:
    return tenants.suspend(business_id, reason=body.reason, actor_id=caller.user_id)


@endpoint(bp, "/admin/tenants/{business_id}/reactivate", "POST", role=platform.ROLE, tag="admin",
          body=OperatorReason, response=TenantDetail, errors=(409,),
          summary="Lift a suspension: the tenant takes the state its subscription gives; recorded")
def reactivate_tenant(caller: Caller, business_id: UUID, body: OperatorReason) -> Any:
    return tenants.reactivate(business_id, reason=body.reason, actor_id=caller.user_id)


@endpoint(bp, "/admin/tenants/{business_id}/features", "PUT", role=platform.ROLE, tag="admin",
          body=FeatureOverrides, response=TenantDetail,
          summary="Replace a tenant's feature and limit overrides (each with a reason, maybe an end); recorded")
def put_tenant_features(caller: Caller, business_id: UUID, body: FeatureOverrides) -> Any:
    return tenants.set_overrides(business_id, body.overrides, reason=body.reason, actor_id=caller.user_id)


@endpoint(bp, "/admin/metrics", "GET", role=platform.ROLE, tag="admin", response=Metrics,
          summary="The platform now: tenants by status, plan, state; MRR; bookings, messages; dead letters, errors")
def get_metrics(caller: Caller) -> Any:
    return metrics.read()
