"""The subscription lifecycle: one explicit state machine, and the one place that writes its outcome.

``next_state(state, event)`` is pure: ``TRANSITIONS`` lists every (state, event) allowed and where it
leads; anything else is refused. ``apply`` runs it in the caller's tenant transaction and writes the
outcome: the ``subscriptions`` row (through ``subscriptions.write``) and the plan and serving status
the rest of the system reads (``business.set_billing_state``).

The machine's states are the stored ones, except that a suspension is two states: ``suspended``
(Stripe gave up, or the safety net did; a payment lifts it at once) and ``held`` (an operator's; only
an operator lifts it), stored as ``suspended`` with ``suspended_by`` 'billing' or 'operator'.

Stripe's side enters as events named after the status of the subscription re-fetched from Stripe
(``stripe_event``), never after the webhook that made us look: applying the newest truth again
changes nothing, so events in any order, or twice, end in the same state.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any
from uuid import UUID

from chalicelib.billing import subscriptions
from chalicelib.business import service as business
from chalicelib.core.db import Tx
from chalicelib.core.errors import Conflict
from chalicelib.events import outbox

TRIALING, ACTIVE, PAST_DUE, SUSPENDED, HELD, EXPIRED, CANCELLED = (
    "trialing", "active", "past_due", "suspended", "held", "expired", "cancelled")
STATES = (TRIALING, ACTIVE, PAST_DUE, SUSPENDED, HELD, EXPIRED, CANCELLED)

# What the subscription re-fetched from Stripe says (see ``stripe_event``).
STRIPE_TRIALING = "stripe_trialing"
STRIPE_ACTIVE = "stripe_active"
STRIPE_PAST_DUE = "stripe_past_due"
STRIPE_UNPAID = "stripe_unpaid"        # Smart Retries gave up
STRIPE_CANCELED = "stripe_canceled"    # ended without the owner asking (unpaid, or cancelled in the dashboard)
STRIPE_ENDED = "stripe_ended"          # ended at the end of its period, as the owner asked
STRIPE_PAUSED = "stripe_paused"        # a Stripe trial ended without a payment method
STRIPE_INCOMPLETE = "stripe_incomplete"  # the first payment is not through (yet): nothing to change
# Ours.
TRIAL_EXPIRED = "trial_expired"        # the daily job: the trial's end passed without a subscription
GRACE_EXPIRED = "grace_expired"        # the daily safety net: past due too long, Stripe still not paid
OPERATOR_SUSPEND = "operator_suspend"
OPERATOR_REACTIVATE = "operator_reactivate"
STRIPE_EVENTS = (STRIPE_TRIALING, STRIPE_ACTIVE, STRIPE_PAST_DUE, STRIPE_UNPAID, STRIPE_CANCELED, STRIPE_ENDED,
                 STRIPE_PAUSED, STRIPE_INCOMPLETE)
EVENTS = (*STRIPE_EVENTS, TRIAL_EXPIRED, GRACE_EXPIRED, OPERATOR_SUSPEND, OPERATOR_REACTIVATE)

# The target of an operator's reactivation: the state the Stripe mirror gives (``mirrored_state``).
MIRRORED = "(the state the Stripe mirror gives)"

_STRIPE_EVENTS = MappingProxyType({
    "trialing": STRIPE_TRIALING, "active": STRIPE_ACTIVE, "past_due": STRIPE_PAST_DUE, "unpaid": STRIPE_UNPAID,
    "paused": STRIPE_PAUSED, "incomplete": STRIPE_INCOMPLETE, "incomplete_expired": STRIPE_INCOMPLETE,
})


def _after_stripe(state: str, *, trialing: str, canceled: str, past_due: str = PAST_DUE) -> dict[tuple[str, str], str]:
    """Where each Stripe status leads from ``state``: the status is the truth, except where the
    arguments say otherwise."""
    return {(state, STRIPE_TRIALING): trialing, (state, STRIPE_ACTIVE): ACTIVE, (state, STRIPE_PAST_DUE): past_due,
            (state, STRIPE_UNPAID): SUSPENDED, (state, STRIPE_CANCELED): canceled, (state, STRIPE_ENDED): CANCELLED,
            (state, STRIPE_PAUSED): EXPIRED, (state, STRIPE_INCOMPLETE): state}


TRANSITIONS: Mapping[tuple[str, str], str] = MappingProxyType({
    # Our no-card trial. A Stripe trial taken from it (a card on file) is still a trial; a cancelled one
    # is over.
    **_after_stripe(TRIALING, trialing=TRIALING, canceled=CANCELLED),
    (TRIALING, TRIAL_EXPIRED): EXPIRED,
    (TRIALING, OPERATOR_SUSPEND): HELD,
    # Paying. Cancelled in the dashboard while paid up: over, like at the end of the period.
    **_after_stripe(ACTIVE, trialing=ACTIVE, canceled=CANCELLED),
    (ACTIVE, OPERATOR_SUSPEND): HELD,
    # A payment failed; Smart Retries go on. Paid: active again. Cancelled while unpaid: suspended.
    **_after_stripe(PAST_DUE, trialing=ACTIVE, canceled=SUSPENDED),
    (PAST_DUE, GRACE_EXPIRED): SUSPENDED,
    (PAST_DUE, OPERATOR_SUSPEND): HELD,
    # Stripe gave up (or the safety net did while Stripe still said past due): a payment lifts it at
    # once; Stripe saying past due again does not.
    **_after_stripe(SUSPENDED, trialing=ACTIVE, canceled=SUSPENDED, past_due=SUSPENDED),
    (SUSPENDED, OPERATOR_SUSPEND): HELD,
    # An operator may look again at a suspension for non-payment: it stays unless the mirror is paid.
    (SUSPENDED, OPERATOR_REACTIVATE): MIRRORED,
    # An operator's suspension: nothing Stripe says lifts it (the mirror still follows Stripe, for
    # the reactivation); only the operator does, to whatever the mirror says by then.
    **{(HELD, event): HELD for event in STRIPE_EVENTS},
    (HELD, OPERATOR_REACTIVATE): MIRRORED,
    # Over (a trial that ended, a subscription cancelled): a new checkout paid starts again.
    **_after_stripe(EXPIRED, trialing=ACTIVE, canceled=CANCELLED),
    (EXPIRED, OPERATOR_SUSPEND): HELD,
    **_after_stripe(CANCELLED, trialing=ACTIVE, canceled=CANCELLED),
    (CANCELLED, OPERATOR_SUSPEND): HELD,
})

# What the rest of the system serves for each state (``businesses.status``).
SERVING: Mapping[str, str] = MappingProxyType({
    TRIALING: "active", ACTIVE: "active", PAST_DUE: "active", SUSPENDED: "suspended", HELD: "suspended",
    EXPIRED: "expired", CANCELLED: "expired"})

# Stripe statuses of a subscription that is still going (it is billed, or will be).
LIVE = ("trialing", "active", "past_due")

NONPAYMENT = "nonpayment"
BY_OPERATOR = "operator"


class Refused(Exception):
    """The machine has no such transition from this state."""

    def __init__(self, state: str, event: str) -> None:
        super().__init__(f"{event} is not a transition from {state}")
        self.state = state
        self.event = event


class NotSuspended(Conflict):
    code, message = "not_suspended", "The business is not suspended."


def next_state(state: str, event: str, *, mirrored: str | None = None) -> str:
    """Where ``event`` leads from ``state``, or ``Refused``. ``mirrored``: the state the Stripe mirror
    gives, where an operator's reactivation leads."""
    target = TRANSITIONS.get((state, event))
    if target is None:
        raise Refused(state, event)
    if target == MIRRORED:
        if mirrored is None:
            raise ValueError("a reactivation needs the state the mirror gives")
        return mirrored
    return target


def stripe_event(status: str, *, cancel_at_period_end: bool = False, cancellation_reason: str | None = None) -> str:
    """The event a Stripe subscription in ``status`` is. A cancelled one the owner asked to end (at the
    end of its period) ended; any other cancelled one was cancelled. An unknown status changes nothing."""
    if status == "canceled":
        asked = cancel_at_period_end or cancellation_reason == "cancellation_requested"
        return STRIPE_ENDED if asked else STRIPE_CANCELED
    return _STRIPE_EVENTS.get(status, STRIPE_INCOMPLETE)


def mirrored_state(stripe_status: str | None, *, cancel_at_period_end: bool, trial_ends_at: datetime | None,
                   now: datetime) -> str:
    """The state the Stripe mirror gives without any history: our trial (going, or over by its date)
    when there is no subscription, and from there where the subscription's status leads."""
    base = TRIALING if trial_ends_at is not None and trial_ends_at > now else EXPIRED
    if stripe_status is None:
        return base
    return next_state(base, stripe_event(stripe_status, cancel_at_period_end=cancel_at_period_end))


def machine_state(row: Mapping[str, Any]) -> str:
    """The machine's state of a ``subscriptions`` row."""
    if row["state"] == SUSPENDED and row["suspended_by"] == BY_OPERATOR:
        return HELD
    return row["state"]


@dataclass(frozen=True)
class Change:
    before: str
    after: str
    row: dict[str, Any]

    @property
    def changed(self) -> bool:
        return self.before != self.after


def apply(tx: Tx, business_id: UUID, event: str, *, mirror: subscriptions.Mirror | None = None,
          reason: str | None = None) -> Change:
    """Run ``event`` on the business's subscription, in the caller's tenant transaction, and write the
    outcome; ``mirror``: the Stripe subscription re-fetched, written with it. Raises ``Refused``
    (nothing written). ``reason``: an operator's, for a suspension."""
    return _apply(tx, business_id, subscriptions.read(tx, business_id, for_update=True), event,
                  mirror=mirror, reason=reason)


def apply_stripe(tx: Tx, business_id: UUID, mirror: subscriptions.Mirror) -> Change | None:
    """Apply the Stripe subscription re-fetched (the event its status is, written with its mirror).
    None: it is not the business's subscription now (news of one that ended and was replaced by a new
    checkout); a going subscription replaces one that ended."""
    row = subscriptions.read(tx, business_id, for_update=True)
    current = row["stripe_subscription_id"]
    if current not in (None, mirror.subscription_id) and not (
            mirror.status in LIVE and row["stripe_status"] not in LIVE):
        return None
    event = stripe_event(mirror.status, cancel_at_period_end=mirror.cancel_at_period_end,
                         cancellation_reason=mirror.cancellation_reason)
    return _apply(tx, business_id, row, event, mirror=mirror)


def _apply(tx: Tx, business_id: UUID, row: dict[str, Any], event: str, *, mirror: subscriptions.Mirror | None = None,
           reason: str | None = None) -> Change:
    """``apply`` with the business's subscription ``row`` read (for update) in this transaction."""
    before = machine_state(row)
    mirrored = None
    if event == OPERATOR_REACTIVATE:
        mirrored = mirrored_state(row["stripe_status"], cancel_at_period_end=row["cancel_at_period_end"],
                                  trial_ends_at=row["trial_ends_at"], now=row["read_at"])
    after = next_state(before, event, mirrored=mirrored)
    suspended_by, suspended_reason = None, None
    if after == HELD:
        suspended_by = BY_OPERATOR
        suspended_reason = reason if before != HELD else row["suspended_reason"]
    elif after == SUSPENDED:
        suspended_by = "billing"
        suspended_reason = row["suspended_reason"] if before == SUSPENDED else NONPAYMENT
    # A paid subscription starting: usage periods run from its billing period from now on.
    starts_paying = after == ACTIVE and before in (TRIALING, EXPIRED, CANCELLED)
    written = subscriptions.write(tx, business_id, state=SUSPENDED if after == HELD else after,
                                  suspended_by=suspended_by, suspended_reason=suspended_reason,
                                  mirror=mirror, anchor_usage=starts_paying)
    business.set_billing_state(tx, business_id, plan=written["plan"], status=SERVING[after])
    if after in (SUSPENDED, HELD) and before not in (SUSPENDED, HELD):
        outbox.add(tx, business_id, "billing.suspended", aggregate_id=business_id,
                   payload={"reason": BY_OPERATOR if after == HELD else NONPAYMENT})
    return Change(before, after, written)


def _try(tx: Tx, business_id: UUID, event: str, **kwargs: Any) -> bool:
    """``apply``, answering whether the state changed; a refused event changes nothing."""
    try:
        return apply(tx, business_id, event, **kwargs).changed
    except Refused:
        return False


def expire_trial(tx: Tx, business_id: UUID) -> bool:
    """The daily job: a trial whose end passed without a live subscription is over. False: nothing to
    do (already over, subscribed, or not yet ended): the job may run twice or late."""
    row = subscriptions.read(tx, business_id, for_update=True)
    over = row["trial_ends_at"] is not None and row["trial_ends_at"] <= row["read_at"]
    if row["stripe_status"] in LIVE or not over or machine_state(row) != TRIALING:
        return False
    return _apply(tx, business_id, row, TRIAL_EXPIRED).changed


def suspend_for_nonpayment(tx: Tx, business_id: UUID) -> bool:
    """The daily safety net (a webhook may have been lost): past due beyond the grace period, with
    Stripe still not paid on re-fetch (the caller re-fetches first: ``webhook.sync_subscription``).
    False: not past due (any more)."""
    return _try(tx, business_id, GRACE_EXPIRED)


def suspend_by_operator(tx: Tx, business_id: UUID, reason: str) -> bool:
    """An operator suspends the business, whatever its state; only an operator lifts it. False:
    already suspended by an operator (nothing written)."""
    return _try(tx, business_id, OPERATOR_SUSPEND, reason=reason)


def reactivate_by_operator(tx: Tx, business_id: UUID) -> str:
    """An operator lifts a suspension: the business takes the state the Stripe mirror gives (answered,
    as GET /billing/subscription names it; still 'suspended' when Stripe is still unpaid). 409
    ``not_suspended`` when it is not suspended."""
    try:
        change = apply(tx, business_id, OPERATOR_REACTIVATE)
    except Refused:
        raise NotSuspended() from None
    return change.row["state"]
