"""The subscription state machine: every (state, event) pair, allowed or refused, against a grid
written here by hand; then what ``apply`` writes, through the functions the daily job and the
platform console call."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import UUID

import pytest

from chalicelib.billing import lifecycle, subscriptions
from chalicelib.billing.lifecycle import Refused, next_state
from chalicelib.core import db
from tests.api import new_business
from tests.checks import rows

# Rows: the state before; columns: the event; cells: the state after ("-": refused; "mirror": the state
# the Stripe mirror gives). The first eight columns are the status of the subscription re-fetched from
# Stripe ("ended": canceled at the end of its period, as the owner asked; "incompl": incomplete).
_SHORT = {"tri": "trialing", "act": "active", "due": "past_due", "susp": "suspended", "held": "held",
          "exp": "expired", "canc": "cancelled", "mirror": "mirror", "-": "-"}
_GRID = """
          trialing active past_due unpaid canceled ended paused incompl trial_over grace_over op_suspend op_lift
trialing  tri      act    due      susp   canc     canc  exp    tri     exp        -          held       -
active    act      act    due      susp   canc     canc  exp    act     -          -          held       -
past_due  act      act    due      susp   susp     canc  exp    due     -          susp       held       -
suspended act      act    susp     susp   susp     canc  exp    susp    -          -          held       mirror
held      held     held   held     held   held     held  held   held    -          -          -          mirror
expired   act      act    due      susp   canc     canc  exp    exp     -          -          held       -
cancelled act      act    due      susp   canc     canc  exp    canc    -          -          held       -
"""
_HEADER, *_LINES = _GRID.strip().splitlines()
_EVENTS = {"incompl": "stripe_incomplete", "trial_over": "trial_expired", "grace_over": "grace_expired",
           "op_suspend": "operator_suspend", "op_lift": "operator_reactivate"}
_COLUMNS = [_EVENTS.get(name, f"stripe_{name}") for name in _HEADER.split()]
GRID = {(line.split()[0], event): _SHORT[cell]
        for line in _LINES for event, cell in zip(_COLUMNS, line.split()[1:], strict=True)}


def test_the_grid_covers_every_state_and_event_of_the_machine():
    assert {state for state, _ in GRID} == set(lifecycle.STATES)
    assert set(_COLUMNS) == set(lifecycle.EVENTS)
    assert len(GRID) == len(lifecycle.STATES) * len(lifecycle.EVENTS)


@pytest.mark.parametrize(("state", "event"), sorted(k for k, v in GRID.items() if v != "-"))
def test_allowed_transition(state, event):
    expected = GRID[(state, event)]
    if expected == "mirror":
        for mirrored in ("active", "past_due", "suspended", "expired"):
            assert next_state(state, event, mirrored=mirrored) == mirrored
        with pytest.raises(ValueError):
            next_state(state, event)
    else:
        assert next_state(state, event) == expected


@pytest.mark.parametrize(("state", "event"), sorted(k for k, v in GRID.items() if v == "-"))
def test_refused_transition(state, event):
    with pytest.raises(Refused) as refused:
        next_state(state, event, mirrored="active")
    assert (refused.value.state, refused.value.event) == (state, event)


def test_the_issue_s_path_trial_to_paid_to_failing_to_suspended_and_back():
    state = "trialing"
    for event, expected in [("stripe_active", "active"), ("stripe_past_due", "past_due"),
                            ("stripe_unpaid", "suspended"), ("stripe_past_due", "suspended"),
                            ("stripe_active", "active"), ("stripe_ended", "cancelled")]:
        state = next_state(state, event)
        assert state == expected, event


@pytest.mark.parametrize(("status", "kwargs", "event"), [
    ("trialing", {}, "stripe_trialing"),
    ("active", {}, "stripe_active"),
    ("past_due", {}, "stripe_past_due"),
    ("unpaid", {}, "stripe_unpaid"),
    ("canceled", {}, "stripe_canceled"),
    ("canceled", {"cancel_at_period_end": True}, "stripe_ended"),
    ("canceled", {"cancellation_reason": "cancellation_requested"}, "stripe_ended"),
    ("canceled", {"cancellation_reason": "payment_failed"}, "stripe_canceled"),
    ("paused", {}, "stripe_paused"),
    ("incomplete", {}, "stripe_incomplete"),
    ("incomplete_expired", {}, "stripe_incomplete"),
    ("some_future_status", {}, "stripe_incomplete"),
])
def test_stripe_status_as_an_event(status, kwargs, event):
    assert lifecycle.stripe_event(status, **kwargs) == event


NOW = datetime(2026, 12, 2, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize(("stripe_status", "cancel_at_period_end", "trial_ends_at", "expected"), [
    (None, False, NOW + timedelta(days=3), "trialing"),
    (None, False, NOW - timedelta(days=1), "expired"),
    (None, False, None, "expired"),
    ("incomplete", False, NOW - timedelta(days=1), "expired"),
    ("trialing", False, NOW + timedelta(days=3), "trialing"),
    ("trialing", False, NOW - timedelta(days=1), "active"),
    ("active", False, NOW - timedelta(days=30), "active"),
    ("past_due", False, None, "past_due"),
    ("unpaid", False, None, "suspended"),
    ("canceled", True, None, "cancelled"),
    ("paused", False, None, "expired"),
])
def test_the_state_the_mirror_gives(stripe_status, cancel_at_period_end, trial_ends_at, expected):
    assert lifecycle.mirrored_state(stripe_status, cancel_at_period_end=cancel_at_period_end,
                                    trial_ends_at=trial_ends_at, now=NOW) == expected


def test_serving_status_of_every_state():
    assert dict(lifecycle.SERVING) == {"trialing": "active", "active": "active", "past_due": "active",
                                       "suspended": "suspended", "held": "suspended", "expired": "expired",
                                       "cancelled": "expired"}


# --- apply, in the database -------------------------------------------------------------------

def _state(bid: str) -> dict:
    [row] = rows(bid, """SELECT s.state, s.plan, s.suspended_by, s.suspended_reason, s.past_due_since, s.version,
                                b.status, b.plan AS business_plan
                           FROM subscriptions s JOIN businesses b ON b.id = s.business_id""")
    return row


def _suspensions(bid: str) -> list[dict]:
    return [r["payload"] for r in rows(bid, "SELECT payload FROM outbox WHERE topic = 'billing.suspended'")]


def _set(bid: str, **columns) -> None:
    assignments = ", ".join(f"{name} = :{name}" for name in columns)
    rows(bid, f"UPDATE subscriptions SET {assignments} RETURNING business_id", **columns)


def _run(bid: str, action, *args):
    with db.tenant_tx(UUID(bid)) as tx:
        return action(tx, UUID(bid), *args)


def test_a_new_business_is_trialing_and_served(client):
    bid = new_business(client).business_id
    row = _state(bid)
    assert (row["state"], row["plan"], row["status"], row["business_plan"]) == ("trialing", "trial", "active", "trial")


def test_expire_trial_only_once_its_end_passed_and_only_once(client):
    bid = new_business(client).business_id
    assert _run(bid, lifecycle.expire_trial) is False  # 14 days left
    assert _state(bid)["state"] == "trialing"

    _set(bid, trial_ends_at=datetime.now(timezone.utc) - timedelta(minutes=1))
    assert _run(bid, lifecycle.expire_trial) is True
    row = _state(bid)
    assert (row["state"], row["status"], row["business_plan"]) == ("expired", "expired", "trial")
    assert _run(bid, lifecycle.expire_trial) is False  # the job ran twice
    assert _state(bid)["version"] == row["version"]


def test_expire_trial_leaves_a_trial_with_a_live_stripe_subscription(client):
    bid = new_business(client).business_id
    _set(bid, trial_ends_at=datetime.now(timezone.utc) - timedelta(minutes=1), stripe_status="trialing",
         stripe_subscription_id=f"sub_{bid}")
    assert _run(bid, lifecycle.expire_trial) is False
    assert _state(bid)["state"] == "trialing"


def test_suspend_for_nonpayment_only_from_past_due_and_writes_the_notice_once(client):
    bid = new_business(client).business_id
    assert _run(bid, lifecycle.suspend_for_nonpayment) is False  # trialing: refused
    assert _state(bid)["state"] == "trialing"

    _set(bid, state="past_due", past_due_since=datetime.now(timezone.utc) - timedelta(days=22))
    assert _run(bid, lifecycle.suspend_for_nonpayment) is True
    row = _state(bid)
    assert (row["state"], row["suspended_by"], row["suspended_reason"], row["status"]) == (
        "suspended", "billing", "nonpayment", "suspended")
    assert row["past_due_since"] is None
    assert _run(bid, lifecycle.suspend_for_nonpayment) is False
    assert _suspensions(bid) == [{"reason": "nonpayment"}]


def test_operator_suspend_is_idempotent_and_only_an_operator_lifts_it(client):
    bid = new_business(client).business_id
    assert _run(bid, lifecycle.suspend_by_operator, "fraud check") is True
    assert _run(bid, lifecycle.suspend_by_operator, "again") is False
    row = _state(bid)
    assert (row["state"], row["suspended_by"], row["suspended_reason"], row["status"]) == (
        "suspended", "operator", "fraud check", "suspended")
    assert _suspensions(bid) == [{"reason": "operator"}]

    # Stripe saying the subscription is paid does not lift it.
    with db.tenant_tx(UUID(bid)) as tx:
        change = lifecycle.apply(tx, UUID(bid), "stripe_active")
    assert (change.before, change.after) == ("held", "held")
    assert _state(bid)["status"] == "suspended"

    assert _run(bid, lifecycle.reactivate_by_operator) == "trialing"  # the trial has days left
    row = _state(bid)
    assert (row["state"], row["suspended_by"], row["suspended_reason"], row["status"]) == (
        "trialing", None, None, "active")


def test_operator_suspension_overrides_one_for_nonpayment(client):
    bid = new_business(client).business_id
    _set(bid, state="suspended", suspended_by="billing", suspended_reason="nonpayment", stripe_status="unpaid",
         stripe_subscription_id=f"sub_{bid}")
    assert _run(bid, lifecycle.suspend_by_operator, "chargebacks") is True
    assert _state(bid)["suspended_by"] == "operator"
    assert _suspensions(bid) == []  # it was suspended already: no second notice
    # Lifted by the operator while Stripe is still unpaid: suspended for non-payment again.
    assert _run(bid, lifecycle.reactivate_by_operator) == "suspended"
    row = _state(bid)
    assert (row["suspended_by"], row["suspended_reason"]) == ("billing", "nonpayment")


def test_reactivate_what_is_not_suspended_is_a_conflict(client):
    bid = new_business(client).business_id
    before = _state(bid)
    with pytest.raises(lifecycle.NotSuspended):
        _run(bid, lifecycle.reactivate_by_operator)
    assert _state(bid) == before


def test_reactivate_follows_the_mirror_to_expired_when_the_trial_ended_meanwhile(client):
    bid = new_business(client).business_id
    _run(bid, lifecycle.suspend_by_operator, "investigating")
    _set(bid, trial_ends_at=datetime.now(timezone.utc) - timedelta(days=1))
    assert _run(bid, lifecycle.reactivate_by_operator) == "expired"
    assert _state(bid)["status"] == "expired"


def _mirror(bid: str, status: str, *, plan: str = "basic", period_start: datetime | None = None):
    start = period_start or datetime(2026, 11, 20, tzinfo=timezone.utc)
    return subscriptions.Mirror(
        subscription_id=f"sub_{bid}", customer_id=f"cus_{bid}", status=status, price_id="price_basic_month_gbp",
        plan=plan, interval="year", currency="GBP", amount_minor=17000, period_start=start,
        period_end=start + timedelta(days=365), cancel_at_period_end=False, cancellation_reason=None,
        trial_end=None)


def test_apply_writes_the_mirror_the_plan_and_the_usage_anchor_when_paying_starts(client):
    bid = new_business(client).business_id
    start = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    with db.tenant_tx(UUID(bid)) as tx:
        change = lifecycle.apply(tx, UUID(bid), "stripe_active", mirror=_mirror(bid, "active", period_start=start))
    assert (change.before, change.after) == ("trialing", "active")
    [row] = rows(bid, """SELECT s.*, b.plan AS business_plan, b.status FROM subscriptions s
                          JOIN businesses b ON b.id = s.business_id""")
    assert (row["state"], row["plan"], row["business_plan"], row["status"]) == ("active", "basic", "basic", "active")
    assert (row["stripe_subscription_id"], row["stripe_status"], row["billing_interval"], row["currency"]) == (
        f"sub_{bid}", "active", "year", "GBP")
    assert (row["amount_minor"], row["mrr_minor"]) == (17000, 1417)
    assert row["usage_anchor"] == start and row["period_start"] == start
    assert row["stripe_synced_at"] is not None

    # Past due, then paid again: the anchor stays (a renewal is not a new start).
    later = start + timedelta(days=365)
    with db.tenant_tx(UUID(bid)) as tx:
        lifecycle.apply(tx, UUID(bid), "stripe_past_due", mirror=_mirror(bid, "past_due", period_start=later))
    assert _state(bid)["past_due_since"] is not None
    with db.tenant_tx(UUID(bid)) as tx:
        lifecycle.apply(tx, UUID(bid), "stripe_active", mirror=_mirror(bid, "active", period_start=later))
    [row] = rows(bid, "SELECT usage_anchor, past_due_since, state FROM subscriptions")
    assert (row["state"], row["usage_anchor"], row["past_due_since"]) == ("active", start, None)


def test_a_refused_event_writes_nothing(client):
    bid = new_business(client).business_id
    before = _state(bid)
    with pytest.raises(Refused), db.tenant_tx(UUID(bid)) as tx:
        lifecycle.apply(tx, UUID(bid), "grace_expired")
    assert _state(bid) == before
