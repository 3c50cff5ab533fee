"""The 15-minute calendar schedule (app.py's ``calendar_sync``): push is not fully reliable, so every
connection is synced here as well (and given a push channel if it has none: its first watch failed,
or the stage has a push address only since); channels near their end are renewed; bookings whose
Google write failed are written again.

Connections are synced stalest first until ``BUDGET_S`` has passed (the function's timeout, 300 s,
leaves room for the sync under way and the two steps after it); the rest come first next time.
``connections.due`` leaves out connections backing off a quota or waiting for a reconnect, so a
Google in trouble costs one call per connection and backoff period, never a storm. One connection's
failure, of any kind, is logged and the others go on.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from uuid import UUID

from chalicelib.calendar import busy_sync, channels, connections, writer
from chalicelib.core import db, log

BUDGET_S = 45.0
# Renewing channels, then retrying bookings' writes: each at most this long (a call to a Google that
# does not answer takes about 21 s with its retries, so one more may run past it).
STEP_BUDGET_S = 20.0


def every_15_minutes(*, budget_s: float = BUDGET_S) -> dict[str, int]:
    """Sync the due connections within ``budget_s``, renew channels, retry failed bookings' writes.
    Answers what it did: ``synced``; ``failed`` (Google trouble, recorded on the connection);
    ``errors`` (anything else, logged); ``left`` (due, but out of time); ``channels_opened``,
    ``channels_renewed``, ``bookings_retried``."""
    deadline = time.monotonic() + budget_s
    counts = dict.fromkeys(("synced", "failed", "errors", "left", "channels_opened", "channels_renewed",
                            "bookings_retried"), 0)
    due = connections.due()
    for done, (business_id, connection_id) in enumerate(due):
        if time.monotonic() >= deadline:
            counts["left"] = len(due) - done
            break
        outcome = _sync(business_id, connection_id)
        counts[outcome] += 1
        if outcome == "synced":
            counts["channels_opened"] += _step("open_channel", lambda: _ensure_channel(business_id, connection_id))
    # Each step stops at its own deadline: the function's timeout (300 s) holds a slow Google's worst
    # (the sync's budget and each step's, and one call of about 21 s past each).
    steps_until = time.monotonic() + STEP_BUDGET_S
    counts["channels_renewed"] = _step("renew_channels", lambda: channels.renew_due(deadline=steps_until))
    steps_until = time.monotonic() + STEP_BUDGET_S
    counts["bookings_retried"] = _step("retry_bookings", lambda: writer.retry_due(deadline=steps_until))
    log.emit("calendar.swept", **counts)
    return counts


def _sync(business_id: UUID, connection_id: UUID) -> str:
    """Sync one connection; the outcome's name (a count of ``every_15_minutes``)."""
    try:
        busy_sync.sync(business_id, connection_id)
    except busy_sync.GOOGLE_TROUBLE:  # recorded on the connection
        return "failed"
    except Exception as e:  # noqa: BLE001 - one connection's trouble must not hold up the others
        log.emit("calendar.sync_failed", connection_id=str(connection_id), error=f"{type(e).__name__}: {e}")
        return "errors"
    return "synced"


def _ensure_channel(business_id: UUID, connection_id: UUID) -> int:
    with db.tenant_tx(business_id) as tx:
        connection = connections.get(tx, connection_id)
    return int(connection is not None and channels.ensure_open(connection))


def _step(name: str, act: Callable[[], int]) -> int:
    try:
        return act()
    except Exception as e:  # noqa: BLE001 - one step's trouble must not keep the others from running
        log.emit("calendar.sweep_step_failed", step=name, error=f"{type(e).__name__}: {e}")
        return 0
