"""The daily retention sweep: rows that have served their purpose are deleted, so no table grows forever.

Each rule names one kind of row and its period, a setting in days (``RETENTION_*``, see
``core/settings.py``): idempotency answers, failed log-ins, expired tokens (refresh tokens, e-mailed
links, invitations, marketing-consent requests never confirmed), manage links of appointments long
over, the notification pipeline's record (events, the delivery log, reminders sent, dead letters),
and the Stripe events the billing webhook saw (its replay guard; Stripe retries for 3 days). Four
periods are the owner's, not settings: log-in devices go when their trust lapses, rate-limit windows
once long ended, usage reports 400 days after they were sent to Stripe, and Google Calendar connects
(OAuth states, 10 minutes long) a day after they expired. What is still needed never
matches a rule: an event not dispatched yet, a live idempotency claim, a token not yet expired, a
consent request confirmed (the proof of the opt-in), a link to an appointment still ahead, the event
of a dead letter still kept, a usage report not yet sent.

The sweep deletes in batches of ``RETENTION_BATCH`` rows, each in one short transaction of its own
that finds its rows through an index, oldest first (see migration 0016). Each transaction runs as the
sweep's role, ``booking_retention``, taken on for that transaction only: it may read and delete the
tables pruned, in every tenant, and read appointments; nothing else. It locks no row ahead (that
would take the right to update): a rare row another transaction holds is waited for, and one changed
meanwhile is left for the next run. Nothing is locked for long, and the app's statement timeout
bounds every statement. It takes one batch of each rule in turn, so a backlog in one table does not
starve the others, and stops after ``RETENTION_BUDGET_S`` seconds; what is left waits for the next day.

Each statement sits with the module owning its table, as a ``prune`` function; this module only
holds the periods and runs them.
"""
from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from chalicelib.appointments import service as appointments
from chalicelib.auth import service as auth
from chalicelib.billing import meter_reports, webhook
from chalicelib.business import service as business
from chalicelib.calendar import oauth as calendar_oauth
from chalicelib.core import db, idempotency, log, rate_limit
from chalicelib.core.db import Tx
from chalicelib.core.settings import Settings, settings
from chalicelib.customers import service as customers
from chalicelib.events import dead_letters, outbox
from chalicelib.notifications import deliveries, reminders

DAY_S = 24 * 3600
# Sent usage reports: a year and a month, past the invoice they were billed on (yearly plans too) and
# the time to dispute it.
USAGE_REPORTS_DAYS = 400
# Google Calendar connects: a state is good for 10 minutes; a day on, nobody is still finishing one.
CALENDAR_OAUTH_STATES_DAYS = 1

# Where a rule stands in a run: FIRST before its first batch; a paged rule then keeps an Arc.
FIRST = "first"
# One batch of a rule: (transaction, period in seconds, batch size, where it stands) -> (rows
# deleted, where it stands now; None when it has nothing left this run).
Step = Callable[[Tx, float, int, Any], tuple[int, Any]]

# The role's policies read USING (true): OR'd with a table's tenant policy they fold to true, so the
# planner sees each batch as the plain statement it is and walks the expiry index from the oldest row.
# Transaction-local, so the role ends with the transaction and nothing outlives it on a reused (or
# proxied) connection.
_ROLE = """-- the retention sweep's transaction: as booking_retention, which may read and delete the rows of
-- the tables it prunes, in every tenant, read appointments, and nothing more (migration 0016)
SELECT set_config('role', 'booking_retention', true)"""


def _oldest_first(prune: Callable[..., int]) -> Step:
    """A prune that deletes the oldest rows first has none left once a batch comes back short."""
    def step(tx: Tx, older_than_s: float, batch: int, at: Any) -> tuple[int, Any]:
        deleted = prune(tx, older_than_s=older_than_s, batch=batch)
        return deleted, at if deleted == batch else None
    return step


@dataclass(frozen=True)
class Arc:
    """A paged rule's way through the keys in one run: after ``after`` up to ``until`` (None: the
    last key). A run begins at a random key (``began``) and wraps round to it, so a table too big to
    read within one run's budget is read a different stretch each day, not the same first stretch."""
    after: str
    until: str | None
    began: str


def _paged(prune: Callable[..., tuple[int, str | None]]) -> Step:
    """A prune that reads a page of keys (random hex digests) at a time and deletes what expired in it."""
    def step(tx: Tx, older_than_s: float, batch: int, at: Any) -> tuple[int, Any]:
        if at == FIRST:
            began = secrets.token_hex(32)
            at = Arc(after=began, until=None, began=began)
        deleted, last = prune(tx, older_than_s=older_than_s, batch=batch, after=at.after, until=at.until)
        if last is not None:
            return deleted, Arc(last, at.until, at.began)
        if at.until is None:  # the last key: on from the first, up to where the run began
            return deleted, Arc("", at.began, at.began)
        return deleted, None
    return step


def _days(name: str) -> Callable[[Settings], float]:
    """A period set in days by the setting ``name``; under a day is refused (a period that short
    would delete what is still in use: a claim, a throttling window)."""
    def period(cfg: Settings) -> float:
        days = getattr(cfg, name)
        if days < 1:
            raise ValueError(f"{name.upper()} must be at least 1 (day)")
        return days * DAY_S
    return period


@dataclass(frozen=True)
class Rule:
    name: str
    older_than_s: Callable[[Settings], float]
    step: Step


RULES: tuple[Rule, ...] = (
    Rule("idempotency_keys", _days("retention_idempotency_days"), _oldest_first(idempotency.prune)),
    Rule("login_failures", _days("retention_login_failures_days"), _oldest_first(auth.prune_login_failures)),
    # a device is trusted for DEVICE_TTL after its last log-in: it goes when that lapses
    Rule("login_devices", lambda _: auth.DEVICE_TTL.total_seconds(), _oldest_first(auth.prune_login_devices)),
    Rule("rate_limit_hits", lambda _: rate_limit.PRUNE_AFTER_S, _oldest_first(rate_limit.prune)),
    Rule("refresh_tokens", _days("retention_tokens_days"), _oldest_first(auth.prune_refresh_tokens)),
    Rule("user_tokens", _days("retention_tokens_days"), _oldest_first(auth.prune_user_tokens)),
    Rule("invitations", _days("retention_tokens_days"), _oldest_first(business.prune_invitations)),
    # e-mailed links too: a marketing-consent request kept that long after it expired unconfirmed
    Rule("consent_requests", _days("retention_tokens_days"), _oldest_first(customers.prune_consent_requests)),
    Rule("booking_links", _days("retention_booking_links_days"), _paged(appointments.prune_links)),
    Rule("dead_letters", _days("retention_notifications_days"), _oldest_first(dead_letters.prune)),
    Rule("outbox", _days("retention_notifications_days"), _oldest_first(outbox.prune)),
    Rule("notification_deliveries", _days("retention_notifications_days"), _oldest_first(deliveries.prune)),
    Rule("reminders", _days("retention_notifications_days"), _oldest_first(reminders.prune)),
    Rule("stripe_events", _days("retention_stripe_events_days"), _oldest_first(webhook.prune_events)),
    # usage reported to Stripe: kept past the invoice it was billed on and any dispute of it
    Rule("usage_reports", lambda _: USAGE_REPORTS_DAYS * DAY_S, _oldest_first(meter_reports.prune)),
    Rule("calendar_oauth_states", lambda _: CALENDAR_OAUTH_STATES_DAYS * DAY_S,
         _oldest_first(calendar_oauth.prune_states)),
)


@contextmanager
def transaction() -> Iterator[Tx]:
    """The retention sweep's transaction: no tenant, run as ``booking_retention``, so it may read and
    delete the rows of every table the rules prune, in every tenant, and read appointments; it can
    write nothing and read nothing else."""
    with db.transaction() as tx:
        tx.value(_ROLE)
        yield tx


@dataclass
class Report:
    """What one sweep did: rows deleted per rule, its batches, the longest one (its transaction, from
    begin to commit), whether every rule got to its end within the budget, and the rules that failed."""
    deleted: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    slowest_batch_s: float = 0.0
    finished: bool = False
    failed: list[str] = field(default_factory=list)


class SweepFailed(Exception):
    """Some rules failed (each is logged); the others ran to their end. The invocation fails, so the
    schedule's error metric shows it."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"retention rules failed: {', '.join(report.failed)}")
        self.report = report


def sweep(*, batch: int | None = None, budget_s: float | None = None) -> Report:
    """Delete what every rule's period has passed, a batch of each rule in turn, until nothing is left
    or the time budget is spent (defaults: the ``RETENTION_BATCH`` and ``RETENTION_BUDGET_S`` settings).
    A rule whose batch fails (a row held past the statement timeout, say) is left until the next run
    and the others go on; ``SweepFailed`` then says so at the end."""
    cfg = settings()
    batch = batch or cfg.retention_batch
    if batch < 1:
        raise ValueError("RETENTION_BATCH must be at least 1")
    budget_s = cfg.retention_budget_s if budget_s is None else budget_s
    periods = {rule.name: rule.older_than_s(cfg) for rule in RULES}
    report = Report(deleted=dict.fromkeys(periods, 0))
    # the rules not done yet, and where each stands
    going: dict[str, Any] = {rule.name: FIRST for rule in RULES}
    started = time.monotonic()
    while going and time.monotonic() - started < budget_s:
        for rule in RULES:
            if rule.name not in going or time.monotonic() - started >= budget_s:
                continue
            began = time.monotonic()
            try:
                with transaction() as tx:
                    deleted, after = rule.step(tx, periods[rule.name], batch, going[rule.name])
            except Exception as e:  # noqa: BLE001 - one table's trouble must not keep the others growing
                log.emit("retention.failed", rule=rule.name, error=f"{type(e).__name__}: {e}")
                report.failed.append(rule.name)
                del going[rule.name]
                continue
            report.slowest_batch_s = max(report.slowest_batch_s, time.monotonic() - began)
            report.batches += 1
            report.deleted[rule.name] += deleted
            if after is None:
                del going[rule.name]
            else:
                going[rule.name] = after
    report.finished = not going and not report.failed
    log.emit("retention.swept", deleted={k: v for k, v in report.deleted.items() if v}, batches=report.batches,
             slowest_batch_ms=round(report.slowest_batch_s * 1000, 1), finished=report.finished,
             left=sorted(going), failed=report.failed)
    if report.failed:
        raise SweepFailed(report)
    return report
