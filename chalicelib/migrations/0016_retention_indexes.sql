-- Retention: the daily sweep (chalicelib/system/retention.py) deletes rows past their period in small
-- batches, oldest first, across tenants.
--
-- 1. Each batch finds its rows through an index on the time they expire by (a range scan from the
--    oldest), never by reading the table. idempotency_keys (created_at), rate_limit_hits
--    (window_start), consent_requests (expires_at, 0015) and booking_links (its key: the sweep pages
--    through it) have theirs already.
--    These are built inside the migration runner's transaction, which locks each table against
--    writes while its index builds: quick on today's tables. CREATE INDEX CONCURRENTLY cannot run
--    inside a transaction; where a table has grown large, build its index by hand first with
--    CONCURRENTLY under the same name, and IF NOT EXISTS makes this file skip it.
CREATE INDEX IF NOT EXISTS login_failures_failed_idx ON login_failures (failed_at);
CREATE INDEX IF NOT EXISTS refresh_tokens_expires_idx ON refresh_tokens (expires_at);
CREATE INDEX IF NOT EXISTS user_tokens_expires_idx ON user_tokens (expires_at);
CREATE INDEX IF NOT EXISTS invitations_expires_idx ON invitations (expires_at);
CREATE INDEX IF NOT EXISTS outbox_created_idx ON outbox (created_at);
CREATE INDEX IF NOT EXISTS notification_deliveries_created_idx ON notification_deliveries (created_at);
-- Deleting a delivery sets fallback_of to NULL on the e-mail sent in its place: without this index
-- each deleted row would read the whole table to find it.
CREATE INDEX IF NOT EXISTS notification_deliveries_fallback_idx ON notification_deliveries (fallback_of)
    WHERE fallback_of IS NOT NULL;
CREATE INDEX IF NOT EXISTS reminders_done_idx ON reminders (starts_at) WHERE state <> 'scheduled';
-- A dead letter is settled from its redrive, or from its death while none came.
CREATE INDEX IF NOT EXISTS dead_letters_settled_idx ON dead_letters ((coalesce(redriven_at, dead_at)));

-- 2. The sweep's role. Its transactions take on booking_retention (set_config('role', ...,
--    true): for that transaction only), which may read and delete exactly the tables the sweep prunes,
--    in every tenant, read appointments (when a manage link's appointment ended), and nothing else:
--    no insert or update anywhere, no other table at all.
--
--    Why a role and not a setting: a policy for everyone gated on a setting (USING
--    (current_setting(...) = 'on')) is OR'd into every query of the application on its table, so
--    the tenant's condition could no longer drive the (business_id, ...) indexes: the calendar,
--    availability and booking reads of appointments would degrade. A policy TO a role applies only
--    to queries run as that role (or a role inheriting its privileges), so booking_app's queries keep
--    their single tenant policy and their plans; and in the sweep's queries (tenant condition OR
--    true) folds to true, so the planner estimates them like any unfiltered query.
--
--    booking_app may switch to the role (SET) but must not inherit it (INHERIT FALSE): inheriting
--    would apply these policies to every query of booking_app, opening every tenant's rows. Like
--    booking_app (0001), infra/ creates the role where the schema owner may not create roles; this
--    makes sure it exists, and refuses to go on if booking_app would inherit it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_retention') THEN
        CREATE ROLE booking_retention NOLOGIN NOBYPASSRLS;
    END IF;
    IF NOT pg_has_role('booking_app', 'booking_retention', 'SET') THEN
        GRANT booking_retention TO booking_app WITH INHERIT FALSE, SET TRUE;
    END IF;
    IF pg_has_role('booking_app', 'booking_retention', 'USAGE') THEN
        RAISE EXCEPTION 'booking_app inherits booking_retention: grant it WITH INHERIT FALSE';
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO booking_retention;
-- What it prunes: reading has to be allowed too (the batch's SELECT finds the rows, and PostgreSQL
-- applies a table's SELECT policies to a DELETE whose WHERE reads the row).
GRANT SELECT, DELETE ON idempotency_keys, refresh_tokens, invitations, booking_links, consent_requests,
    outbox, notification_deliveries, reminders, dead_letters,
    login_failures, login_devices, user_tokens, rate_limit_hits TO booking_retention;
GRANT SELECT ON appointments TO booking_retention;

-- The tables above that force row-level security: every row, to the role alone. (The job tables'
-- policies are for everyone and open to app.jobs; the sweep does not set it, so it needs these too.)
CREATE POLICY idempotency_keys_retention_reads ON idempotency_keys FOR SELECT TO booking_retention USING (true);
CREATE POLICY idempotency_keys_retention_deletes ON idempotency_keys FOR DELETE TO booking_retention USING (true);
CREATE POLICY refresh_tokens_retention_reads ON refresh_tokens FOR SELECT TO booking_retention USING (true);
CREATE POLICY refresh_tokens_retention_deletes ON refresh_tokens FOR DELETE TO booking_retention USING (true);
CREATE POLICY invitations_retention_reads ON invitations FOR SELECT TO booking_retention USING (true);
CREATE POLICY invitations_retention_deletes ON invitations FOR DELETE TO booking_retention USING (true);
CREATE POLICY booking_links_retention_reads ON booking_links FOR SELECT TO booking_retention USING (true);
CREATE POLICY booking_links_retention_deletes ON booking_links FOR DELETE TO booking_retention USING (true);
CREATE POLICY outbox_retention_reads ON outbox FOR SELECT TO booking_retention USING (true);
CREATE POLICY outbox_retention_deletes ON outbox FOR DELETE TO booking_retention USING (true);
CREATE POLICY notification_deliveries_retention_reads ON notification_deliveries FOR SELECT TO booking_retention
    USING (true);
CREATE POLICY notification_deliveries_retention_deletes ON notification_deliveries FOR DELETE TO booking_retention
    USING (true);
CREATE POLICY reminders_retention_reads ON reminders FOR SELECT TO booking_retention USING (true);
CREATE POLICY reminders_retention_deletes ON reminders FOR DELETE TO booking_retention USING (true);
CREATE POLICY dead_letters_retention_reads ON dead_letters FOR SELECT TO booking_retention USING (true);
CREATE POLICY dead_letters_retention_deletes ON dead_letters FOR DELETE TO booking_retention USING (true);
CREATE POLICY appointments_retention_reads ON appointments FOR SELECT TO booking_retention USING (true);
CREATE POLICY consent_requests_retention_reads ON consent_requests FOR SELECT TO booking_retention USING (true);
CREATE POLICY consent_requests_retention_deletes ON consent_requests FOR DELETE TO booking_retention USING (true);
