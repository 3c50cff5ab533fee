"""The daily retention sweep (app.py's ``retention_sweep``): rows past their period go, in every tenant;
what is still needed stays (a live token, a recent answer, an event not dispatched, a dead letter
waiting for its redrive, a link to an appointment not long over); each statement deletes one bounded
batch; the sweep's role reads and deletes the tables it prunes and writes nothing, while the
application's own queries see and plan exactly as before (no other tenant's rows, the same indexes).

Rows are made the way the product makes them (sign-up, bookings, log-ins, invitations) and then made
old by moving their times back as the schema owner."""
from __future__ import annotations

import json
import uuid
from contextlib import closing
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pg8000.exceptions import DatabaseError

from chalicelib.appointments import service as appointments
from chalicelib.auth import service as auth
from chalicelib.core import db, idempotency
from chalicelib.core.migrations import owner_connection
from chalicelib.core.settings import settings
from chalicelib.system import local_schedules, retention
from tests.api import Session, body, call, from_address, invite, login, new_business, unique_address, unique_email
from tests.appointments.helpers import Calendar, add_customer, booked, calendar
from tests.checks import rows

DAY = 3


def sweep(client: Any) -> None:
    """The schedule's handler, invoked as EventBridge would."""
    client.lambda_.invoke("retention_sweep", local_schedules.scheduled_event())


def as_owner(sql: str, business_id: str | None = None, **params: Any) -> list[list[Any]]:
    """A statement of the test's own (making rows old), as the schema owner in a tenant's scope and
    the jobs' (every table forces row-level security, the owner included)."""
    with closing(owner_connection()) as conn:
        conn.run("SELECT set_config('app.business_id', :bid, false), set_config('app.jobs', 'on', false)",
                 bid=business_id or "")
        return conn.run(sql, **params)


def booked_with_key(client: Any, cal: Calendar, hour: int, key: str) -> dict[str, Any]:
    response = call(client, "POST", "/appointments",
                    {"service_id": cal.service_id, "customer_id": cal.customer_id,
                     "start_at": cal.at(DAY, hour).isoformat()},
                    session=cal.owner, headers={"Idempotency-Key": key})
    assert response.status_code == 201, response.body
    return body(response)


def keys_of(business_id: str) -> set[str]:
    return {r["key"].partition(":")[2] for r in rows(business_id, "SELECT key FROM idempotency_keys")}


def move_back(cal: Calendar, appointment_id: str, interval: str) -> None:
    """The appointment (and its buffers) as if booked that much earlier: ``interval`` ago is now."""
    as_owner("UPDATE appointments SET start_at = start_at - CAST(:d AS interval), "
             "end_at = end_at - CAST(:d AS interval), "
             "occupied = tstzrange(lower(occupied) - CAST(:d AS interval), upper(occupied) - CAST(:d AS interval)) "
             "WHERE id = CAST(:id AS uuid)", cal.business_id, d=interval, id=appointment_id)


def links_of(cal: Calendar, appointment_id: str) -> int:
    return len(rows(cal.business_id, "SELECT token_hash FROM booking_links WHERE appointment_id = CAST(:id AS uuid)",
                    id=appointment_id))


# --- what goes and what stays, kind by kind ----------------------------------------------------------

def test_idempotency_answers_go_two_days_on_in_every_tenant_and_younger_ones_stay(client):
    tenants = [calendar(client), calendar(client)]
    made = {}
    for cal in tenants:
        old, younger, fresh = (str(uuid.uuid4()) for _ in range(3))
        for hour, key in ((10, old), (12, younger), (14, fresh)):
            booked_with_key(client, cal, hour, key)
        as_owner("UPDATE idempotency_keys SET created_at = now() - interval '2 days 1 hour' WHERE key LIKE :k",
                 cal.business_id, k=f"%:{old}")
        as_owner("UPDATE idempotency_keys SET created_at = now() - interval '1 day 23 hours' WHERE key LIKE :k",
                 cal.business_id, k=f"%:{younger}")
        made[cal.business_id] = (old, younger, fresh)

    sweep(client)

    for business_id, (_, younger, fresh) in made.items():
        assert keys_of(business_id) == {younger, fresh}


def test_a_live_idempotency_claim_stays(client):
    cal = calendar(client)
    key = f"{cal.owner.user_id}:{uuid.uuid4()}"
    as_owner("INSERT INTO idempotency_keys (business_id, key, request_hash) VALUES (CAST(:bid AS uuid), :key, 'h')",
             cal.business_id, bid=cal.business_id, key=key)

    sweep(client)

    assert rows(cal.business_id, "SELECT status FROM idempotency_keys WHERE key = :key", key=key) == [{"status": None}]


def test_failed_logins_go_a_day_on_and_recent_ones_stay(client):
    owner = new_business(client)
    before = as_owner("SELECT coalesce(max(id), 0) FROM login_failures")[0][0]
    with from_address(unique_address()):
        for _ in range(2):
            assert login(client, owner.email, "not the password").status_code == 401
    first, second = (r[0] for r in as_owner("SELECT id FROM login_failures WHERE id > :before ORDER BY id",
                                            before=before))
    as_owner("UPDATE login_failures SET failed_at = now() - interval '25 hours' WHERE id = :id", id=first)

    sweep(client)

    assert [r[0] for r in as_owner("SELECT id FROM login_failures WHERE id > :before", before=before)] == [second]


def test_log_in_devices_go_once_their_trust_has_lapsed_and_trusted_ones_stay(client):
    owner = new_business(client)
    lapsed, trusted = (as_owner("INSERT INTO login_devices (id, user_id, token_hash, last_login_at) "
                                "VALUES (gen_random_uuid(), CAST(:uid AS uuid), md5(random()::text), "
                                "now() - CAST(:idle AS interval)) RETURNING id", uid=owner.user_id, idle=idle)[0][0]
                       for idle in (f"{auth.DEVICE_TTL.days} days 1 hour", f"{auth.DEVICE_TTL.days - 1} days"))

    sweep(client)

    assert [r[0] for r in as_owner("SELECT id FROM login_devices WHERE id = ANY(CAST(:ids AS uuid[]))",
                                   ids=[str(lapsed), str(trusted)])] == [trusted]


def _refreshed(client: Any, session: Session) -> str:
    response = call(client, "POST", "/auth/refresh", {"refresh_token": session.refresh_token})
    assert response.status_code == 200, response.body
    return body(response)["refresh_token"]


def test_refresh_tokens_go_a_month_after_they_expired_and_live_or_recently_expired_ones_stay(client):
    owner = new_business(client)
    second = _refreshed(client, owner)  # the sign-up's token is spent now
    third = _refreshed(client, Session(**{**owner.__dict__, "refresh_token": second}))
    tokens = [r["id"] for r in rows(owner.business_id, "SELECT id FROM refresh_tokens ORDER BY created_at, id")]
    assert len(tokens) == 3
    as_owner("UPDATE refresh_tokens SET expires_at = now() - interval '31 days' WHERE id = :id",
             owner.business_id, id=tokens[0])
    as_owner("UPDATE refresh_tokens SET expires_at = now() - interval '29 days' WHERE id = :id",
             owner.business_id, id=tokens[1])

    sweep(client)

    assert [r["id"] for r in rows(owner.business_id, "SELECT id FROM refresh_tokens ORDER BY created_at, id")] \
        == tokens[1:]
    assert _refreshed(client, Session(**{**owner.__dict__, "refresh_token": third}))


def test_email_links_go_a_month_after_they_expired_and_live_ones_stay(client):
    expired, live = new_business(client), new_business(client)
    mine = "SELECT id FROM user_tokens WHERE user_id = CAST(:uid AS uuid)"
    assert len(as_owner(mine, uid=expired.user_id)) == 1 and len(as_owner(mine, uid=live.user_id)) == 1
    as_owner("UPDATE user_tokens SET expires_at = now() - interval '31 days' WHERE user_id = CAST(:uid AS uuid)",
             uid=expired.user_id)

    sweep(client)

    assert as_owner(mine, uid=expired.user_id) == []
    assert len(as_owner(mine, uid=live.user_id)) == 1


def test_invitations_go_a_month_after_they_expired_and_open_ones_stay(client):
    owner = new_business(client)
    old, open_ = unique_email("staff"), unique_email("staff")
    for email in (old, open_):
        assert invite(client, owner, email).status_code == 201
    as_owner("UPDATE invitations SET expires_at = now() - interval '31 days' WHERE email = :email",
             owner.business_id, email=old)

    sweep(client)

    assert [r["email"] for r in rows(owner.business_id, "SELECT email FROM invitations")] == [open_]


def _consent_request(cal: Calendar, customer_id: str, *, expired: str, confirmed: bool = False) -> str:
    """A marketing-consent request of the customer's that expired ``expired`` ago (as the booking page
    makes them, its e-mail written), confirmed in time or not."""
    return as_owner("INSERT INTO consent_requests (business_id, customer_id, kind, source, requested_at, expires_at, "
                    "                              token_hash, address_hash, confirmed_at) "
                    "VALUES (CAST(:bid AS uuid), CAST(:cid AS uuid), 'marketing', 'booking_page', "
                    "        now() - CAST(:expired AS interval) - interval '7 days', "
                    "        now() - CAST(:expired AS interval), "
                    "        md5(random()::text), md5(random()::text), "
                    "        CASE WHEN :confirmed THEN now() - CAST(:expired AS interval) - interval '6 days' END) "
                    "RETURNING id", cal.business_id, bid=cal.business_id, cid=customer_id, expired=expired,
                    confirmed=confirmed)[0][0]


def test_consent_requests_go_a_month_after_they_expired_unconfirmed_in_every_tenant_and_confirmed_ones_stay(client):
    checked = []
    for cal in (calendar(client), calendar(client)):
        lapsed = _consent_request(cal, cal.customer_id, expired="31 days")
        confirmed = _consent_request(cal, cal.customer_id, expired="31 days", confirmed=True)
        recent = _consent_request(cal, add_customer(cal.business_id), expired="29 days")
        checked.append((cal, lapsed, {confirmed, recent}))

    sweep(client)

    for cal, lapsed, kept in checked:
        assert {r["id"] for r in rows(cal.business_id, "SELECT id FROM consent_requests")} == kept


def test_manage_links_go_a_month_after_their_appointment_ended_or_was_cancelled_in_every_tenant(client):
    checked = []
    for cal in (calendar(client), calendar(client)):
        ended, cancelled, recent, upcoming = (booked(client, cal, cal.at(DAY, hour))["id"] for hour in (9, 11, 13, 15))
        response = call(client, "POST", f"/appointments/{cancelled}/cancel", {}, session=cal.owner)
        assert response.status_code == 200, response.body
        for appointment_id in (ended, cancelled, recent, upcoming):
            assert links_of(cal, appointment_id) >= 1  # the confirmation e-mail's
        move_back(cal, ended, f"{DAY + 31} days")
        move_back(cal, recent, f"{DAY + 29} days")
        as_owner("UPDATE appointments SET cancelled_at = now() - interval '31 days' WHERE id = CAST(:id AS uuid)",
                 cal.business_id, id=cancelled)
        checked.append((cal, ended, cancelled, recent, upcoming))

    sweep(client)

    for cal, ended, cancelled, recent, upcoming in checked:
        assert (links_of(cal, ended), links_of(cal, cancelled)) == (0, 0)
        assert links_of(cal, recent) >= 1 and links_of(cal, upcoming) >= 1


def test_the_notification_record_goes_after_90_days_but_what_still_waits_stays(client):
    cal = calendar(client)
    old = booked(client, cal, cal.at(DAY, 10))["id"]
    young = booked(client, cal, cal.at(DAY, 12))["id"]
    bid = cal.business_id
    aged = "created_at = now() - interval '91 days'"
    as_owner(f"UPDATE outbox SET {aged} WHERE aggregate_id = CAST(:id AS uuid)", bid, id=old)
    as_owner(f"UPDATE notification_deliveries SET {aged} WHERE appointment_id = CAST(:id AS uuid)", bid, id=old)
    old_events = {r["id"] for r in rows(bid, "SELECT id FROM outbox WHERE aggregate_id = CAST(:id AS uuid)", id=old)}
    assert old_events and rows(bid, "SELECT id FROM notification_deliveries WHERE appointment_id = CAST(:id AS uuid)",
                               id=old)
    # Events as old that still wait: one no worker took yet, two that died (one redriven long ago).
    new_event = "INSERT INTO outbox (business_id, topic, aggregate_id, created_at, dispatched_at) " \
                "VALUES (CAST(:bid AS uuid), 'appointment.confirmed', CAST(:id AS uuid), now() - interval '91 days', " \
                ":dispatched) RETURNING id"
    pending = as_owner(new_event, bid, bid=bid, id=old, dispatched=None)[0][0]
    waiting, redriven = (as_owner(new_event, bid, bid=bid, id=old, dispatched="2000-01-01T00:00:00Z")[0][0]
                         for _ in range(2))
    as_owner("INSERT INTO dead_letters (outbox_id, business_id, receive_count, dead_at) "
             "VALUES (:id, CAST(:bid AS uuid), 5, now() - interval '10 days')", bid, id=waiting, bid=bid)
    as_owner("INSERT INTO dead_letters (outbox_id, business_id, receive_count, dead_at, redriven_at) "
             "VALUES (:id, CAST(:bid AS uuid), 5, now() - interval '95 days', now() - interval '91 days')",
             bid, id=redriven, bid=bid)
    # The old appointment's reminders: one sent for a start 91 days ago, one never claimed.
    reminders = [r["id"] for r in rows(bid, "SELECT id FROM reminders WHERE appointment_id = CAST(:id AS uuid) "
                                       "ORDER BY offset_min", id=old)]
    assert len(reminders) == 2
    as_owner("UPDATE reminders SET starts_at = starts_at - interval '94 days', due_at = due_at - interval '94 days', "
             "state = CASE WHEN id = :sent THEN 'enqueued' ELSE state END WHERE id = ANY(CAST(:ids AS uuid[]))",
             bid, sent=reminders[0], ids=reminders)
    young_counts = [len(rows(bid, sql, id=young)) for sql in (
        "SELECT id FROM outbox WHERE aggregate_id = CAST(:id AS uuid)",
        "SELECT id FROM notification_deliveries WHERE appointment_id = CAST(:id AS uuid)",
        "SELECT id FROM reminders WHERE appointment_id = CAST(:id AS uuid)")]
    assert all(young_counts)

    sweep(client)

    left = {r["id"] for r in rows(bid, "SELECT id FROM outbox WHERE aggregate_id = CAST(:id AS uuid)", id=old)}
    assert left == {pending, waiting}
    assert [r["outbox_id"] for r in rows(bid, "SELECT outbox_id FROM dead_letters")] == [waiting]
    assert rows(bid, "SELECT id FROM notification_deliveries WHERE appointment_id = CAST(:id AS uuid)", id=old) == []
    assert [r["id"] for r in rows(bid, "SELECT id FROM reminders WHERE appointment_id = CAST(:id AS uuid)",
                                  id=old)] == reminders[1:]
    assert [len(rows(bid, sql, id=young)) for sql in (
        "SELECT id FROM outbox WHERE aggregate_id = CAST(:id AS uuid)",
        "SELECT id FROM notification_deliveries WHERE appointment_id = CAST(:id AS uuid)",
        "SELECT id FROM reminders WHERE appointment_id = CAST(:id AS uuid)")] == young_counts


def test_rate_limit_windows_that_ended_long_ago_go_where_no_hits_come_any_more(client):
    bucket = f"retention-test:{uuid.uuid4()}"
    as_owner("INSERT INTO rate_limit_hits (bucket, window_start) VALUES (:b, now() - interval '3 days'), "
             "(:b, date_trunc('hour', now()))", b=bucket)

    sweep(client)

    assert len(as_owner("SELECT window_start FROM rate_limit_hits WHERE bucket = :b", b=bucket)) == 1


def test_stripe_events_go_after_30_days_and_younger_ones_stay(client):
    old, young = (f"evt_{uuid.uuid4().hex[:16]}" for _ in range(2))
    as_owner("INSERT INTO stripe_events (id, type, stripe_created, received_at) VALUES "
             "(:old, 'invoice.paid', now() - interval '31 days', now() - interval '30 days 1 hour'), "
             "(:young, 'invoice.paid', now() - interval '30 days', now() - interval '29 days 23 hours')",
             old=old, young=young)

    sweep(client)

    assert [r[0] for r in as_owner("SELECT id FROM stripe_events WHERE id IN (:old, :young)", old=old,
                                   young=young)] == [young]


def test_stripe_events_are_kept_at_least_as_long_as_stripe_retries(monkeypatch):
    monkeypatch.setenv("RETENTION_STRIPE_EVENTS_DAYS", "2")
    settings.cache_clear()
    try:
        with pytest.raises(retention.SweepFailed) as failed:
            retention.sweep()
    finally:
        monkeypatch.undo()
        settings.cache_clear()

    assert failed.value.report.failed == ["stripe_events"]


def _usage_report(business_id: str, day: int, *, sent: str | None, created: str = "0 days") -> str:
    identifier = f"{business_id}:bookings:20250101:202501{day:02}"
    as_owner("INSERT INTO usage_reports (identifier, business_id, meter, period_start, value, created_at, sent_at) "
             "VALUES (:identifier, CAST(:bid AS uuid), 'bookings', '2025-01-01T00:00:00Z', 3, "
             "now() - CAST(:created AS interval), now() - CAST(:sent AS interval))",
             business_id, identifier=identifier, bid=business_id, created=created, sent=sent)
    return identifier


def test_usage_reports_go_400_days_after_they_were_sent_in_every_tenant_and_unsent_ones_stay(client):
    made = {}
    for owner in (new_business(client), new_business(client)):
        bid = owner.business_id
        _usage_report(bid, 1, sent="400 days 1 hour", created="401 days")
        kept = {_usage_report(bid, 2, sent="399 days 23 hours", created="400 days"),
                _usage_report(bid, 3, sent=None, created="500 days")}  # never sent: the evidence stays
        made[bid] = kept

    sweep(client)

    for bid, kept in made.items():
        assert {r["identifier"] for r in rows(bid, "SELECT identifier FROM usage_reports")} == kept


# --- how it deletes ---------------------------------------------------------------------------------

def _expired_keys(cal: Calendar, count: int) -> list[str]:
    """``count`` answered keys 10 days old, a minute apart, oldest first."""
    found = as_owner("INSERT INTO idempotency_keys (business_id, key, request_hash, status, body, created_at) "
                     "SELECT CAST(:bid AS uuid), 'k-' || lpad(i::text, 3, '0'), 'h', 201, '{}', "
                     "       now() - interval '10 days' + make_interval(mins => i) "
                     "  FROM generate_series(1, :count) i RETURNING key", cal.business_id, bid=cal.business_id,
                     count=count)
    return sorted(r[0] for r in found)


def test_one_statement_deletes_one_batch_the_oldest_first(client):
    cal = calendar(client)
    keys = _expired_keys(cal, 7)

    with retention.transaction() as tx:
        assert idempotency.prune(tx, older_than_s=2 * retention.DAY_S, batch=3) == 3

    assert sorted(r["key"] for r in rows(cal.business_id, "SELECT key FROM idempotency_keys")) == keys[3:]


def test_the_sweep_goes_on_batch_after_batch_until_nothing_is_left(client, sql_statements):
    cal = calendar(client)
    _expired_keys(cal, 7)

    report = retention.sweep(batch=3)

    assert rows(cal.business_id, "SELECT key FROM idempotency_keys") == []
    assert report.finished and report.deleted["idempotency_keys"] >= 7
    deletes = [s for s in sql_statements if "DELETE FROM idempotency_keys" in s]
    assert len(deletes) >= 3  # 3 + 3 + 1 at least; each batch its own transaction
    assert report.batches >= len(deletes) + len(retention.RULES) - 1


def test_a_spent_time_budget_leaves_the_rest_for_the_next_run(client):
    cal = calendar(client)
    _expired_keys(cal, 3)

    report = retention.sweep(batch=1, budget_s=0)

    assert not report.finished and report.batches == 0
    assert len(rows(cal.business_id, "SELECT key FROM idempotency_keys")) == 3


def test_a_rule_that_fails_is_left_for_the_next_run_and_the_others_go_on(client, monkeypatch):
    cal = calendar(client)
    keys = _expired_keys(cal, 2)
    bucket = f"retention-test:{uuid.uuid4()}"
    as_owner("INSERT INTO rate_limit_hits (bucket, window_start) VALUES (:b, now() - interval '3 days')", b=bucket)
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", "300")
    settings.cache_clear()
    with closing(owner_connection()) as holder:  # a request holding the oldest key, past the timeout
        holder.run("SELECT set_config('app.business_id', :bid, false)", bid=cal.business_id)
        holder.run("BEGIN")
        holder.run("SELECT key FROM idempotency_keys WHERE key = :key FOR UPDATE", key=keys[0])
        try:
            with pytest.raises(retention.SweepFailed) as failed:
                retention.sweep()
        finally:
            holder.run("ROLLBACK")
            monkeypatch.undo()
            settings.cache_clear()

    assert failed.value.report.failed == ["idempotency_keys"] and not failed.value.report.finished
    assert as_owner("SELECT window_start FROM rate_limit_hits WHERE bucket = :b", b=bucket) == []
    assert sorted(r["key"] for r in rows(cal.business_id, "SELECT key FROM idempotency_keys")) == keys

    retention.sweep()

    assert rows(cal.business_id, "SELECT key FROM idempotency_keys") == []


def test_a_period_under_a_day_is_refused(monkeypatch):
    monkeypatch.setenv("RETENTION_IDEMPOTENCY_DAYS", "0")
    settings.cache_clear()
    try:
        with pytest.raises(ValueError, match="RETENTION_IDEMPOTENCY_DAYS"):
            retention.sweep()
    finally:
        monkeypatch.undo()
        settings.cache_clear()


# --- its role, and the application's queries --------------------------------------------------------

PRUNED_TENANT_TABLES = ("idempotency_keys", "refresh_tokens", "invitations", "booking_links", "consent_requests")
JOB_TABLES = ("outbox", "notification_deliveries", "reminders", "dead_letters", "usage_reports")
REFUSED = "42501"


def _rows_everywhere(client: Any) -> Calendar:
    """A business with rows in every table the sweep reads: a booking with an Idempotency-Key (its
    appointment, manage link, reminders, event, delivery), an invitation, a consent request, a dead
    letter and a usage report; its owner's refresh token."""
    cal = calendar(client)
    booked_with_key(client, cal, 10, str(uuid.uuid4()))
    assert invite(client, cal.owner, unique_email("staff")).status_code == 201
    _consent_request(cal, cal.customer_id, expired="1 day")
    bid = cal.business_id
    as_owner("INSERT INTO dead_letters (outbox_id, business_id, receive_count) "
             "SELECT id, business_id, 5 FROM outbox WHERE business_id = CAST(:bid AS uuid) LIMIT 1", bid, bid=bid)
    _usage_report(bid, 1, sent=None)
    return cal


def refused(sql: str, **params: Any) -> str:
    """The SQLSTATE with which the sweep's transaction refuses ``sql`` (each in a transaction of its own:
    a refusal ends it)."""
    with pytest.raises(DatabaseError) as failed, retention.transaction() as tx:
        tx.execute(sql, **params)
    return failed.value.args[0]["C"]


def test_the_sweeps_role_reads_and_deletes_the_tables_it_prunes_in_every_tenant_and_nothing_else(client):
    cal = _rows_everywhere(client)
    bid = uuid.UUID(cal.business_id)

    with db.jobs_tx() as tx:  # the other jobs: none of the tenant tables' rows
        for table in (*PRUNED_TENANT_TABLES, "appointments", "customers"):
            assert tx.value(f"SELECT count(*) FROM {table}") == 0, table
    with retention.transaction() as tx:
        assert tx.value("SELECT current_user") == "booking_retention"
        for table in (*PRUNED_TENANT_TABLES, *JOB_TABLES, "appointments"):
            assert tx.value(f"SELECT count(*) FROM {table} WHERE business_id = :bid", bid=bid) >= 1, table
    for sql in ("SELECT count(*) FROM customers", "SELECT count(*) FROM staff", "SELECT count(*) FROM businesses",
                "UPDATE invitations SET role = 'owner' WHERE business_id = :bid",
                "UPDATE appointments SET notes = 'x' WHERE business_id = :bid",
                "UPDATE outbox SET dispatched_at = NULL WHERE business_id = :bid",
                "UPDATE usage_reports SET sent_at = NULL WHERE business_id = :bid",
                "INSERT INTO stripe_events (id, type, stripe_created) VALUES ('evt_x', 'x', now())",
                "DELETE FROM appointments WHERE business_id = :bid",
                "INSERT INTO idempotency_keys (business_id, key, request_hash) VALUES (:bid, 'k', 'h')"):
        assert refused(sql, bid=bid) == REFUSED, sql
    assert rows(cal.business_id, "SELECT role FROM invitations") == [{"role": "staff"}]


def test_the_role_ends_with_the_sweeps_transaction_on_the_connection_it_leaves(client):
    with retention.transaction() as tx:
        sweeping = tx.value("SELECT pg_backend_pid()")
    with pytest.raises(DatabaseError), retention.transaction() as tx:
        tx.value("SELECT count(*) FROM customers")  # refused: rolled back

    with db.transaction() as tx:  # the connection kept is the one the sweep used
        assert tx.value("SELECT pg_backend_pid()") == sweeping
        assert tx.value("SELECT current_user") == "booking_app"


def test_the_application_role_sees_no_other_tenants_rows_whatever_setting_it_declares(client):
    mine, theirs = _rows_everywhere(client), _rows_everywhere(client)

    with db.tenant_tx(mine.business_id) as tx:
        # the setting that opened these tables to the sweep before it had a role of its own
        tx.value("SELECT set_config('app.retention', 'on', true)")
        for table in (*PRUNED_TENANT_TABLES, *JOB_TABLES, "appointments"):
            seen = {str(r["business_id"]) for r in tx.all(f"SELECT DISTINCT business_id FROM {table}")}
            assert seen == {mine.business_id}, table
        # its queries never take on the sweep's policies: it may switch to the role, not inherit it
        assert tx.value("SELECT pg_has_role('booking_retention', 'SET')") is True
        assert tx.value("SELECT pg_has_role('booking_retention', 'USAGE')") is False
        # nor the platform console's read-only role (migration 0019)
        assert tx.value("SELECT pg_has_role('booking_platform', 'SET')") is True
        assert tx.value("SELECT pg_has_role('booking_platform', 'USAGE')") is False
        # and every policy opening every row is the sweep's role's or the console's; none is gated on a setting
        assert tx.all("SELECT tablename, policyname, roles::text AS roles FROM pg_policies "
                      "WHERE qual = 'true' AND roles NOT IN ('{booking_retention}', '{booking_platform}')") == []
        assert tx.all("SELECT policyname FROM pg_policies WHERE qual LIKE '%app.retention%'") == []
    with db.tenant_tx(theirs.business_id) as tx:  # which has rows in every one of those tables
        for table in (*PRUNED_TENANT_TABLES, *JOB_TABLES, "appointments"):
            assert tx.value(f"SELECT count(*) FROM {table}") >= 1, table


def _plan_nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(node for child in plan.get("Plans", ()) for node in _plan_nodes(child))]


def test_the_calendar_read_still_finds_the_tenants_appointments_through_its_index(client):
    cal = _rows_everywhere(client)
    _rows_everywhere(client)
    since = datetime.now(timezone.utc)

    with db.tenant_tx(cal.business_id) as tx:
        # The test's table is small enough to read whole: the question is only whether the tenant's
        # condition can still drive the index, as it must on a large table.
        tx.value("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), "
                 "set_config('app.retention', 'on', true)")
        plan = tx.value("EXPLAIN (FORMAT JSON) " + appointments._LIST, since=since, until=since + timedelta(days=7),
                        staff_id=None, location_id=None, customer_id=None, statuses=None, after_at=None,
                        after_id=None, limit=101)
    nodes = _plan_nodes((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"])

    scans = [n for n in nodes if n.get("Relation Name") == "appointments"]
    assert [(n["Node Type"], n.get("Index Name")) for n in scans] == [("Index Scan", "appointments_range_idx")]
    assert "business_id =" in scans[0]["Index Cond"] and "start_at >=" in scans[0]["Index Cond"]
    assert "Filter" not in scans[0] or "current_setting" not in scans[0]["Filter"]
