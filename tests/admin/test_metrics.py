"""GET /admin/metrics: tenants by serving status, plan and state, MRR per currency, bookings and
messages today and this month, dead letters waiting and errors, counted on seeded rows.

The test database is shared with the tests running alongside (they sign up, book and send all the
time), so the figures of "now" are checked as the exact change a test makes between two readings,
read again when something else changed the same figures meanwhile; the bookings and messages of a
day are checked exactly on a day far ahead nobody else writes to."""
from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from chalicelib.admin import metrics
from tests.admin.helpers import operator
from tests.api import Session, body, call, new_business
from tests.appointments.helpers import booked, calendar
from tests.checks import rows

ATTEMPTS = 10


def _metrics(client: Any, admin: Session) -> dict[str, Any]:
    response = call(client, "GET", "/admin/metrics", session=admin)
    assert response.status_code == 200, response.body
    return body(response)


def _delta(before: Any, after: Any) -> Any:
    """``after - before`` of every count, keyed as the answer is (MRR by currency)."""
    if isinstance(before, dict):
        return {k: _delta(before.get(k, 0), v) for k, v in after.items() if k != "at"}
    if isinstance(before, list):  # MRR
        was = {m["currency"]: m["amount"] for m in before}
        return {m["currency"]: m["amount"] - was.get(m["currency"], 0) for m in after
                if m["amount"] != was.get(m["currency"], 0)}
    return after - before


def _zero(counts: Any) -> Any:
    if isinstance(counts, dict):
        return {k: _zero(v) for k, v in counts.items()}
    return {} if isinstance(counts, list) else 0


def _owner_sql(business_id: str, sql: str, **params: Any) -> None:
    rows(business_id, sql, bid=business_id, **params)


def test_the_figures_of_now_change_by_exactly_what_changed(client):
    admin = operator(client)
    held, paying = new_business(client), new_business(client)
    for attempt in range(ATTEMPTS):
        before = _metrics(client, admin)
        event, outbox_id = f"evt_{uuid.uuid4().hex}", uuid.uuid4()
        # held: trialing -> suspended by an operator's hand; paying: trial -> enterprise, active, 1234 JPY a month
        _owner_sql(held.business_id, "UPDATE businesses SET status = 'suspended' WHERE id = CAST(:bid AS uuid) "
                   "RETURNING id")
        _owner_sql(held.business_id, "UPDATE subscriptions SET state = 'suspended', suspended_by = 'operator' "
                   "WHERE business_id = CAST(:bid AS uuid) RETURNING state")
        _owner_sql(paying.business_id, "UPDATE businesses SET plan = 'enterprise' WHERE id = CAST(:bid AS uuid) "
                   "RETURNING id")
        _owner_sql(paying.business_id, "UPDATE subscriptions SET state = 'active', plan = 'enterprise', "
                   "currency = 'JPY', mrr_minor = 1234 WHERE business_id = CAST(:bid AS uuid) RETURNING state")
        _owner_sql(paying.business_id, "INSERT INTO outbox (id, business_id, topic, aggregate_id, dispatched_at) "
                   "VALUES (CAST(:id AS uuid), CAST(:bid AS uuid), 'test.metrics', CAST(:bid AS uuid), now()) "
                   "RETURNING id", id=str(outbox_id))
        _owner_sql(paying.business_id, "INSERT INTO dead_letters (outbox_id, business_id, receive_count) "
                   "VALUES (CAST(:id AS uuid), CAST(:bid AS uuid), 5) RETURNING outbox_id", id=str(outbox_id))
        rows(paying.business_id, "INSERT INTO stripe_events (id, type, stripe_created, error) "
             "VALUES (:id, 'invoice.paid', now(), 'no such customer') RETURNING id", id=event)
        after = _metrics(client, admin)
        # gone again before anything else may take the dead letter for a redrive
        _owner_sql(paying.business_id, "DELETE FROM outbox WHERE id = CAST(:id AS uuid) RETURNING id",
                   id=str(outbox_id))
        expected = _zero(_delta(before, before))
        expected["tenants"]["by_status"].update(active=-1, suspended=1)
        expected["tenants"]["by_plan"].update(trial=-1, enterprise=1)  # held stays on its trial
        expected["tenants"]["by_state"].update(trialing=-2, suspended=1, active=1)
        expected["mrr"] = {"JPY": 1234}
        expected["dead_letters"] = 1
        expected["errors"]["stripe_events_failed"] = 1
        if _delta(before, after) == expected:
            break
        # something else changed the figures meanwhile: put ours back and read again
        for session in (held, paying):
            _owner_sql(session.business_id, "UPDATE businesses SET status = 'active', plan = 'trial' "
                       "WHERE id = CAST(:bid AS uuid) RETURNING id")
            _owner_sql(session.business_id, "UPDATE subscriptions SET state = 'trialing', plan = 'trial', "
                       "suspended_by = NULL, currency = NULL, mrr_minor = NULL "
                       "WHERE business_id = CAST(:bid AS uuid) RETURNING state")
        rows(paying.business_id, "DELETE FROM stripe_events WHERE id = :id RETURNING id", id=event)
    else:
        raise AssertionError(f"the figures never changed by what changed: {_delta(before, after)} != {expected}")
    assert after["tenants"]["total"] == sum(after["tenants"]["by_status"].values())
    assert {"amount": 1234, "currency": "JPY"} in after["mrr"]


def test_bookings_and_messages_of_a_day_and_its_month_are_counted_exactly(client):
    cal = calendar(client)
    # a day nobody else writes to: far ahead (the retention sweeps other tests run delete old rows), and
    # not a month's first ("earlier that month" must be another day)
    day = datetime(2998, random.randrange(2, 13), random.randrange(2, 28), tzinfo=timezone.utc)
    made = [booked(client, cal, cal.at(2 + n, 10))["id"] for n in range(5)]
    created = [day + timedelta(hours=1), day + timedelta(hours=23, minutes=59),  # that day
               day.replace(day=1),  # earlier that month
               day.replace(day=1) - timedelta(seconds=1),  # the month before
               day + timedelta(days=1)]  # the day after (still "this month" only up to the reading's day)
    for appointment_id, at in zip(made, created):
        rows(cal.business_id, "UPDATE appointments SET created_at = :at WHERE id = CAST(:id AS uuid) RETURNING id",
             at=at, id=appointment_id)
    deliveries = [("email", "sent", day), ("email", "delivered", day.replace(day=1)), ("whatsapp", "read", day),
                  ("whatsapp", "failed", day), ("email", "failed", day + timedelta(hours=2)),
                  ("email", "sending", day), ("email", "failed", day - timedelta(days=1)),
                  ("whatsapp", "sent", day.replace(day=1) - timedelta(days=1))]
    for channel, status, at in deliveries:
        rows(cal.business_id, "INSERT INTO notification_deliveries (business_id, outbox_id, message, channel, "
             "recipient, status, created_at) VALUES (CAST(:bid AS uuid), gen_random_uuid(), 'test', :channel, "
             "'someone', :status, :at) RETURNING id", bid=cal.business_id, channel=channel, status=status, at=at)

    figures = metrics.read(at=day + timedelta(hours=12))

    assert figures["bookings"] == {"today": 2, "month": 3}
    assert figures["messages"] == {"today": 2, "month": 3, "by_channel": {"email": {"today": 1, "month": 2},
                                                                          "whatsapp": {"today": 1, "month": 1}}}
    assert figures["errors"]["deliveries_failed_today"] == 2


def test_every_status_plan_and_state_is_named_even_when_none_has_it(client):
    admin = operator(client)

    figures = _metrics(client, admin)

    assert set(figures["tenants"]["by_status"]) == {"active", "suspended", "expired"}
    assert set(figures["tenants"]["by_plan"]) == {"trial", "basic", "pro", "enterprise"}
    assert set(figures["tenants"]["by_state"]) == {"trialing", "active", "past_due", "suspended", "expired",
                                                   "cancelled"}
    assert set(figures["messages"]["by_channel"]) == {"email", "whatsapp"}
    assert figures["tenants"]["total"] >= 1 and figures["tenants"]["by_status"]["active"] >= 1
