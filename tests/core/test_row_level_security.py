"""Tenant isolation at the SQL level, as the application's database role sees it: a query that
forgets ``WHERE business_id`` still cannot read or write another tenant's rows."""
from __future__ import annotations

import uuid

import pytest
from pg8000.exceptions import DatabaseError

from chalicelib.core import db, embedded_pg, migrations
from chalicelib.core.settings import settings
from tests.api import call, new_business

TENANT_TABLES = ("businesses", "memberships", "refresh_tokens", "invitations", "idempotency_keys", "subscriptions",
                 "invoices", "usage_counters", "usage_reports", "feature_overrides", "tenant_admin_actions")
# Billing's rows the daily schedule and the notification worker reach across tenants (0013's pattern).
BILLING_JOB_TABLES = ("subscriptions", "usage_counters", "usage_reports")
_RLS_VIOLATION = "42501"


# Billing's rows no route writes yet for a new business (sign-up writes its subscription).
_BILLING_ROWS = """-- an invoice, this month's usage and its report, an override and an operator's action
WITH invoice AS (
    INSERT INTO invoices (stripe_invoice_id, business_id, status, currency, total_minor, amount_due_minor,
                          amount_paid_minor, issued_at)
    VALUES ('in_' || md5(random()::text), CAST(:b AS uuid), 'paid', 'EUR', 1900, 0, 1900, now())
), counter AS (
    INSERT INTO usage_counters (business_id, meter, period_start, used)
    VALUES (CAST(:b AS uuid), 'bookings', date_trunc('month', now()), 1)
), report AS (
    INSERT INTO usage_reports (identifier, business_id, meter, period_start, value)
    VALUES (md5(random()::text), CAST(:b AS uuid), 'bookings', date_trunc('month', now()), 1)
), override AS (
    INSERT INTO feature_overrides (business_id, feature, value, reason)
    VALUES (CAST(:b AS uuid), 'analytics', 'true', 'a pilot')
)
INSERT INTO tenant_admin_actions (business_id, action, reason) VALUES (CAST(:b AS uuid), 'features', 'a pilot')"""


@pytest.fixture(scope="module")
def tenants(client):
    """Two businesses, each with rows in every tenant table (an idempotent invitation adds two more;
    billing's are written as the schema owner, in the tenant's scope)."""
    made = []
    for _ in range(2):
        owner = new_business(client)
        response = call(client, "POST", "/business/users/invitations",
                        {"email": f"staff-{uuid.uuid4().hex[:8]}@example.com", "role": "staff"},
                        session=owner, headers={"Idempotency-Key": uuid.uuid4().hex})
        assert response.status_code == 201, response.body
        conn = migrations.owner_connection()
        try:
            conn.run("SELECT set_config('app.business_id', :b, false)", b=owner.business_id)
            conn.run(_BILLING_ROWS, b=owner.business_id)
        finally:
            conn.close()
        made.append(owner)
    return made


def _count(tx: db.Tx, table: str) -> int:
    return tx.value(f"SELECT count(*) FROM {table}")


def _tenant_ids(tx: db.Tx, table: str) -> set[str]:
    column = "id" if table == "businesses" else "business_id"
    return {str(r[column]) for r in tx.all(f"SELECT {column} FROM {table}")}


def _app_role() -> str:
    conn = db.open_connection()
    try:
        return conn.run("SELECT current_user")[0][0]
    finally:
        conn.close()


def test_the_application_connects_as_the_app_role():
    if not settings().embedded_db:
        pytest.skip("the role is named by DATABASE_URL")
    assert _app_role() == embedded_pg.APP_ROLE


@pytest.mark.parametrize("table", TENANT_TABLES)
def test_without_a_tenant_a_query_sees_no_rows_although_rows_exist(tenants, table):
    for owner in tenants:
        with db.tenant_tx(owner.business_id) as tx:
            assert _count(tx, table) >= 1
    with db.transaction() as tx:
        assert _count(tx, table) == 0


@pytest.mark.parametrize("table", TENANT_TABLES)
def test_with_a_tenant_set_a_query_sees_only_that_tenants_rows(tenants, table):
    a, b = tenants
    with db.tenant_tx(a.business_id) as tx:
        assert _tenant_ids(tx, table) == {a.business_id}
    with db.tenant_tx(b.business_id) as tx:
        assert _tenant_ids(tx, table) == {b.business_id}


_FOREIGN_INSERTS = {
    "businesses": "INSERT INTO businesses (id, name, slug, time_zone, currency) "
                  "VALUES (:b, 'Intruder', 'intruder-' || left(md5(random()::text), 8), 'UTC', 'EUR')",
    "memberships": "INSERT INTO memberships (business_id, user_id, role) VALUES (:b, :user_id, 'owner')",
    "refresh_tokens": "INSERT INTO refresh_tokens (business_id, user_id, family_id, token_hash, expires_at) "
                      "VALUES (:b, :user_id, gen_random_uuid(), md5(random()::text), now() + interval '1 day')",
    "invitations": "INSERT INTO invitations (business_id, email, role, token_hash, expires_at) "
                   "VALUES (:b, 'x@example.com', 'staff', md5(random()::text), now() + interval '1 day')",
    "idempotency_keys": "INSERT INTO idempotency_keys (business_id, key, request_hash) "
                        "VALUES (:b, md5(random()::text), 'h')",
    "subscriptions": "INSERT INTO subscriptions (business_id) VALUES (:b)",
    "invoices": "INSERT INTO invoices (stripe_invoice_id, business_id, status, currency, total_minor, "
                "amount_due_minor, amount_paid_minor, issued_at) "
                "VALUES ('in_' || md5(random()::text), :b, 'open', 'EUR', 1, 1, 0, now())",
    "usage_counters": "INSERT INTO usage_counters (business_id, meter, period_start, used) "
                      "VALUES (:b, 'messages_email', now(), 1)",
    "usage_reports": "INSERT INTO usage_reports (identifier, business_id, meter, period_start, value) "
                     "VALUES (md5(random()::text), :b, 'bookings', now(), 1)",
    "feature_overrides": "INSERT INTO feature_overrides (business_id, feature, value, reason) "
                         "VALUES (:b, 'api_access', 'true', 'intrusion')",
    "tenant_admin_actions": "INSERT INTO tenant_admin_actions (business_id, action, reason) "
                            "VALUES (:b, 'suspend', 'intrusion')",
}


@pytest.mark.parametrize("table", TENANT_TABLES)
def test_inserting_a_row_for_another_tenant_is_refused(tenants, table):
    a, b = tenants
    params = {"b": b.business_id} | ({"user_id": a.user_id} if ":user_id" in _FOREIGN_INSERTS[table] else {})
    with pytest.raises(DatabaseError) as refused:
        with db.tenant_tx(a.business_id) as tx:
            tx.execute(_FOREIGN_INSERTS[table], **params)
    assert refused.value.args[0]["C"] == _RLS_VIOLATION
    assert "row-level security" in refused.value.args[0]["M"]


def test_moving_a_row_to_another_tenant_is_refused(tenants):
    a, b = tenants
    with pytest.raises(DatabaseError) as refused:
        with db.tenant_tx(a.business_id) as tx:
            tx.execute("UPDATE invitations SET business_id = :b", b=b.business_id)
    assert refused.value.args[0]["C"] == _RLS_VIOLATION


def test_updates_and_deletes_cannot_reach_another_tenants_rows(tenants):
    a, b = tenants
    with db.tenant_tx(a.business_id) as tx:
        assert tx.execute("UPDATE businesses SET name = 'Hijacked' WHERE id = :b", b=b.business_id) == 0
        assert tx.execute("DELETE FROM invitations WHERE business_id = :b", b=b.business_id) == 0
    with db.tenant_tx(b.business_id) as tx:
        assert tx.value("SELECT name FROM businesses WHERE id = :b", b=b.business_id) != "Hijacked"
        assert tx.value("SELECT count(*) FROM invitations") >= 1


def test_a_signed_in_user_sees_own_memberships_in_any_tenant_but_no_business_rows(tenants):
    a, _ = tenants
    with db.transaction(user_id=a.user_id) as tx:
        assert [str(r["business_id"]) for r in tx.all("SELECT business_id FROM memberships")] == [a.business_id]
        assert _count(tx, "businesses") == 0
        assert _count(tx, "invitations") == 0


@pytest.mark.parametrize("table", ["memberships", "refresh_tokens"])
def test_the_user_scope_reads_a_users_rows_but_cannot_change_or_delete_them(tenants, table):
    a, _ = tenants
    with db.transaction(user_id=a.user_id) as tx:
        assert _count(tx, table) >= 1
        assert tx.execute(f"UPDATE {table} SET created_at = created_at WHERE user_id = :u", u=a.user_id) == 0
        assert tx.execute(f"DELETE FROM {table} WHERE user_id = :u", u=a.user_id) == 0
    with db.tenant_tx(a.business_id) as tx:
        assert _count(tx, table) >= 1


def test_the_app_role_owns_no_table_and_cannot_bypass_row_level_security(owner):
    app_role = _app_role()
    assert owner.run("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :r", r=app_role) == [[False, False]]
    assert owner.run("SELECT tablename FROM pg_tables WHERE tableowner = :r", r=app_role) == []
    assert owner.run("SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                     "WHERE r.rolname = :r", r=app_role) == []


_TENANT_TABLES_IN_SCHEMA = """-- every table with a business_id column, and the tenants themselves
SELECT DISTINCT c.table_name AS name FROM information_schema.columns c
  JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
 WHERE c.table_schema = 'public' AND c.column_name = 'business_id' AND t.table_type = 'BASE TABLE'
UNION SELECT 'businesses'"""

_PROTECTION = """-- row-level security switched on and forced, and the policies that read the tenant setting
SELECT c.relrowsecurity, c.relforcerowsecurity,
       (SELECT count(*) FROM pg_policies p
         WHERE p.schemaname = 'public' AND p.tablename = c.relname
           AND p.qual LIKE '%app.business_id%' AND p.with_check LIKE '%app.business_id%') AS policies
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relname = :name"""


def test_every_tenant_table_forces_row_level_security_with_a_tenant_policy(owner):
    tables = [r[0] for r in owner.run(_TENANT_TABLES_IN_SCHEMA)]
    assert set(TENANT_TABLES) <= set(tables)
    unprotected = {}
    for table in tables:
        enabled, forced, policies = owner.run(_PROTECTION, name=table)[0]
        if not (enabled and forced and policies >= 1):
            unprotected[table] = {"enabled": enabled, "forced": forced, "tenant_policies": policies}
    assert unprotected == {}


# The notification pipeline also carries the product's own messages (reset password), which belong to
# no business: their rows have no tenant, and only a jobs transaction sees them.
PRODUCT_MESSAGE_TABLES = {"outbox", "notification_deliveries", "dead_letters"}


def test_every_business_id_column_is_not_null_but_the_product_messages(owner):
    nullable = owner.run("SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
                         "AND column_name = 'business_id' AND is_nullable = 'YES'")
    assert {r[0] for r in nullable} == PRODUCT_MESSAGE_TABLES


def test_a_tenant_does_not_see_the_product_messages_and_the_jobs_see_every_tenants(tenants):
    a, b = tenants
    with db.tenant_tx(a.business_id) as tx:
        assert {r["business_id"] for r in tx.all("SELECT business_id FROM outbox")} == {uuid.UUID(a.business_id)}
    with db.jobs_tx() as tx:
        seen = {str(r["business_id"]) for r in tx.all("SELECT business_id FROM outbox")}
        assert {a.business_id, b.business_id} <= seen
        assert _count(tx, "appointments") == 0 and _count(tx, "customers") == 0
    with db.transaction() as tx:  # unscoped (login, sign-up): none of the pipeline's rows
        assert _count(tx, "outbox") == 0 and _count(tx, "notification_deliveries") == 0


def test_the_jobs_see_billings_job_tables_of_every_tenant_and_no_other_billing_rows(tenants):
    a, b = tenants
    with db.jobs_tx() as tx:
        for table in BILLING_JOB_TABLES:
            assert {a.business_id, b.business_id} <= _tenant_ids(tx, table), table
        for table in ("invoices", "feature_overrides", "tenant_admin_actions"):
            assert _count(tx, table) == 0, table


def test_a_tenant_setting_does_not_leak_into_the_next_transaction_on_the_connection(tenants):
    a, _ = tenants
    with db.tenant_tx(a.business_id) as tx:
        pid = tx.value("SELECT pg_backend_pid()")
        assert tx.value("SELECT current_setting('app.business_id', true)") == a.business_id
    with db.transaction() as tx:
        assert tx.value("SELECT pg_backend_pid()") == pid
        assert tx.value("SELECT current_setting('app.business_id', true)") in ("", None)
        assert _count(tx, "businesses") == 0


def test_the_jobs_see_billings_job_tables_of_every_tenant_and_no_other_billing_rows(tenants):
    a, b = tenants
    with db.jobs_tx() as tx:
        for table in BILLING_JOB_TABLES:
            assert {a.business_id, b.business_id} <= _tenant_ids(tx, table), table
        for table in ("invoices", "feature_overrides", "tenant_admin_actions"):
            assert _count(tx, table) == 0, table


def test_a_tenant_setting_does_not_leak_after_a_rolled_back_transaction(tenants):
    a, _ = tenants
    with pytest.raises(RuntimeError):
        with db.tenant_tx(a.business_id):
            raise RuntimeError("the unit of work failed")
    with db.transaction() as tx:
        assert tx.value("SELECT current_setting('app.business_id', true)") in ("", None)
        assert _count(tx, "memberships") == 0
