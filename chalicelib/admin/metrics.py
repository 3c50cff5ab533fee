"""The platform's figures now (``GET /admin/metrics``), read across every tenant as the console's role.

"Today" and "this month" are the UTC day and month. Bookings are appointments created (cancelled ones
stay counted, as in the usage meters), found through ``appointments_created_idx`` (migration 0019);
messages are deliveries that went out (sent, delivered or read), by channel, product messages
included. The API keeps no store of its own errors (they go to the logs), so "errors" are what the
database records as failed: deliveries that failed for good today, and the Stripe events kept whose
handling recorded an error.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from chalicelib.admin.tenants import platform_tx
from chalicelib.billing import plans
from chalicelib.events import dead_letters

STATUSES = ("active", "suspended", "expired")
STATES = ("trialing", "active", "past_due", "suspended", "expired", "cancelled")
CHANNELS = ("email", "whatsapp")

_METRICS = """-- the platform now, in one statement: tenants by serving status, plan and lifecycle state; MRR per
-- currency of the subscriptions billed (active, past due); bookings created and messages sent today
-- and this month; dead letters waiting; deliveries failed today and Stripe events that failed
SELECT (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*) AS n FROM businesses GROUP BY status) t)
         AS by_status,
       (SELECT jsonb_object_agg(plan, n) FROM (SELECT plan, count(*) AS n FROM businesses GROUP BY plan) t)
         AS by_plan,
       (SELECT jsonb_object_agg(state, n) FROM (SELECT state, count(*) AS n FROM subscriptions GROUP BY state) t)
         AS by_state,
       (SELECT jsonb_agg(jsonb_build_object('amount', amount, 'currency', currency) ORDER BY currency)
          FROM (SELECT currency, sum(mrr_minor) AS amount FROM subscriptions
                 WHERE state IN ('active', 'past_due') AND mrr_minor IS NOT NULL AND currency IS NOT NULL
                 GROUP BY currency) m) AS mrr,
       (SELECT jsonb_build_object('today', count(*) FILTER (WHERE created_at >= :day), 'month', count(*))
          FROM appointments WHERE created_at >= :month AND created_at < :until) AS bookings,
       (SELECT jsonb_object_agg(channel, jsonb_build_object('today', today, 'month', month))
          FROM (SELECT channel, count(*) FILTER (WHERE created_at >= :day) AS today, count(*) AS month
                  FROM notification_deliveries
                 WHERE created_at >= :month AND created_at < :until AND status IN ('sent', 'delivered', 'read')
                 GROUP BY channel) d) AS messages,
       (SELECT count(*) FROM dead_letters WHERE redriven_at IS NULL) AS dead_letters,
       (SELECT count(*) FROM notification_deliveries
         WHERE created_at >= :day AND created_at < :until AND status = 'failed')
         AS deliveries_failed_today,
       (SELECT count(*) FROM stripe_events WHERE error IS NOT NULL) AS stripe_events_failed"""


def _every(keys: tuple[str, ...], counted: dict[str, int] | None) -> dict[str, int]:
    """A count for each key, 0 where none was counted."""
    return {key: (counted or {}).get(key, 0) for key in keys}


def read(*, at: datetime | None = None) -> dict[str, Any]:
    """The figures at ``at`` (default: now; the bookings and messages of the day and month up to the
    end of its day, the rest as they stand now). Dead letters still in the queue's dead-letter queue are
    collected first, as the dead-letter list does, so both count the same letters."""
    at = at or datetime.now(timezone.utc)
    day = at.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    dead_letters.collect()
    with platform_tx() as tx:
        row = tx.one(_METRICS, day=day, month=day.replace(day=1), until=day + timedelta(days=1))
    assert row is not None  # a SELECT without FROM always answers one row
    by_status = _every(STATUSES, row["by_status"])
    by_channel = {channel: (row["messages"] or {}).get(channel, {"today": 0, "month": 0}) for channel in CHANNELS}
    return {"at": at,
            "tenants": {"total": sum(by_status.values()), "by_status": by_status,
                        "by_plan": _every(tuple(plans.PLANS), row["by_plan"]),
                        "by_state": _every(STATES, row["by_state"])},
            "mrr": row["mrr"] or [],
            "bookings": row["bookings"],
            "messages": {"today": sum(c["today"] for c in by_channel.values()),
                         "month": sum(c["month"] for c in by_channel.values()), "by_channel": by_channel},
            "dead_letters": row["dead_letters"],
            "errors": {"deliveries_failed_today": row["deliveries_failed_today"],
                       "stripe_events_failed": row["stripe_events_failed"]}}
