"""The console's role, booking_platform (migration 0019): its transactions read what the console shows
in every tenant and write nothing, see no customer, password or recipient, and end with the
transaction; the application's own queries never take its policies on."""
from __future__ import annotations

import uuid

import pytest
from pg8000.exceptions import DatabaseError

from chalicelib.admin import tenants
from chalicelib.core import db
from tests.admin.helpers import operator, put_features
from tests.appointments.helpers import booked, calendar
from tests.checks import rows

REFUSED = "42501"  # insufficient_privilege
# each table the console reads, and its tenant column
READ_TABLES = {"businesses": "id", **dict.fromkeys(
    ("memberships", "subscriptions", "usage_counters", "feature_overrides", "tenant_admin_actions", "staff",
     "locations", "appointments", "notification_deliveries"), "business_id")}


def _refused(sql: str, **params: object) -> str:
    """The SQLSTATE with which the console's transaction refuses ``sql`` (each in a transaction of its own)."""
    with pytest.raises(DatabaseError) as failed, tenants.platform_tx() as tx:
        tx.execute(sql, **params)
    return failed.value.args[0]["C"]


def _tenant_with_rows(client):
    """A tenant with a row in every table the console reads."""
    admin, cal = operator(client), calendar(client)
    booked(client, cal, cal.at(2, 10))
    assert put_features(client, admin, cal.business_id,
                        [{"feature": "whatsapp", "value": True, "reason": "Pilot"}]).status_code == 200
    rows(cal.business_id, "INSERT INTO usage_counters (business_id, meter, period_start, used) "
         "VALUES (CAST(:bid AS uuid), 'bookings', now(), 1) RETURNING used", bid=cal.business_id)
    rows(cal.business_id, "INSERT INTO notification_deliveries (business_id, outbox_id, message, channel, recipient, "
         "status) VALUES (CAST(:bid AS uuid), gen_random_uuid(), 'test', 'email', 'x@example.com', 'sent') "
         "RETURNING id", bid=cal.business_id)
    return cal


def test_the_consoles_role_reads_every_tenant_and_writes_nothing(client):
    mine, theirs = _tenant_with_rows(client), _tenant_with_rows(client)
    bid = uuid.UUID(mine.business_id)

    with tenants.platform_tx() as tx:
        assert tx.value("SELECT current_user") == "booking_platform"
        for table, tenant in READ_TABLES.items():
            seen = {str(r["t"]) for r in tx.all(f"SELECT DISTINCT {tenant} AS t FROM {table}")}
            assert {mine.business_id, theirs.business_id} <= seen, table
        assert tx.value("SELECT count(*) FROM users WHERE email = :e", e=mine.owner.email) == 1
    for sql in ("UPDATE businesses SET status = 'suspended' WHERE id = :bid",
                "UPDATE subscriptions SET state = 'suspended' WHERE business_id = :bid",
                "DELETE FROM feature_overrides WHERE business_id = :bid",
                "INSERT INTO tenant_admin_actions (business_id, action, reason) VALUES (:bid, 'suspend', 'x')",
                "UPDATE usage_counters SET used = 0 WHERE business_id = :bid",
                "DELETE FROM appointments WHERE business_id = :bid",
                "UPDATE users SET name = 'x' WHERE id IN (SELECT user_id FROM memberships WHERE business_id = :bid)",
                "DELETE FROM platform_operators",
                # and none of what it has no use for: customers, a password, where a message went, notes
                "SELECT count(*) FROM customers WHERE business_id = :bid",
                "SELECT password_hash FROM users",
                "SELECT recipient FROM notification_deliveries WHERE business_id = :bid",
                "SELECT notes FROM appointments WHERE business_id = :bid",
                "SELECT email FROM staff WHERE business_id = :bid",
                "SELECT count(*) FROM invoices WHERE business_id = :bid",
                "SELECT count(*) FROM outbox WHERE business_id = :bid",
                "SELECT count(*) FROM platform_operators"):
        assert _refused(sql, bid=bid) == REFUSED, sql
    assert rows(mine.business_id, "SELECT status FROM businesses") == [{"status": "active"}]
    assert rows(mine.business_id, "SELECT count(*) AS n FROM feature_overrides") == [{"n": 1}]


def test_the_role_ends_with_the_consoles_transaction_on_the_connection_it_leaves(client):
    with tenants.platform_tx() as tx:
        reading = tx.value("SELECT pg_backend_pid()")
    with pytest.raises(DatabaseError), tenants.platform_tx() as tx:
        tx.value("SELECT count(*) FROM customers")  # refused: rolled back

    with db.transaction() as tx:  # the connection kept is the one the console used
        assert tx.value("SELECT pg_backend_pid()") == reading
        assert tx.value("SELECT current_user") == "booking_app"


def test_the_applications_queries_never_take_on_the_consoles_policies(client):
    mine, theirs = _tenant_with_rows(client), _tenant_with_rows(client)

    with db.tenant_tx(mine.business_id) as tx:
        assert tx.value("SELECT pg_has_role('booking_platform', 'SET')") is True
        assert tx.value("SELECT pg_has_role('booking_platform', 'USAGE')") is False
        for table, tenant in READ_TABLES.items():
            seen = {str(r["t"]) for r in tx.all(f"SELECT DISTINCT {tenant} AS t FROM {table}")}
            assert seen == {mine.business_id}, table
    with db.transaction() as tx:  # no tenant at all: nothing
        for table in READ_TABLES:
            assert tx.value(f"SELECT count(*) FROM {table}") == 0, table
    assert theirs.business_id != mine.business_id
