-- The platform console (/admin/tenants, /admin/metrics: chalicelib/admin/) reads across tenants, as a
-- role of its own: booking_platform, taken on for one transaction at a time (set_config('role', ...,
-- true)), exactly as the retention sweep takes on booking_retention (0016 says why a role and not a
-- setting: a policy gated on a setting would be OR'd into every query of the application).
--
-- It may read what the console shows, in every tenant, and nothing else: no insert, update or delete
-- anywhere (an operator's suspend, reactivate or feature change goes through billing's functions in
-- the target tenant's own scope, as booking_app), and of the tables holding people's details only the
-- columns the console shows: a user's id, e-mail and name (never the password hash), a delivery's
-- channel and status (never its recipient), no customer at all.
--
-- booking_app may switch to the role (SET) but must not inherit it (INHERIT FALSE): inheriting would
-- apply its policies to every query of booking_app, opening every tenant's rows. Like booking_app
-- (0001) and booking_retention (0016), infra/ creates the role where the schema owner may not create
-- roles; this makes sure it exists, and refuses to go on if booking_app would inherit it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_platform') THEN
        CREATE ROLE booking_platform NOLOGIN NOBYPASSRLS;
    END IF;
    IF NOT pg_has_role('booking_app', 'booking_platform', 'SET') THEN
        GRANT booking_platform TO booking_app WITH INHERIT FALSE, SET TRUE;
    END IF;
    IF pg_has_role('booking_app', 'booking_platform', 'USAGE') THEN
        RAISE EXCEPTION 'booking_app inherits booking_platform: grant it WITH INHERIT FALSE';
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO booking_platform;
-- The tenants, their subscriptions, usage, overrides and the operators' record of them.
GRANT SELECT ON businesses, memberships, subscriptions, usage_counters, feature_overrides, tenant_admin_actions,
    stripe_events TO booking_platform;
-- Of the rest, the columns counted or shown.
GRANT SELECT (id, email, name) ON users TO booking_platform;
GRANT SELECT (id, business_id, active) ON staff TO booking_platform;
GRANT SELECT (id, business_id, archived_at) ON locations TO booking_platform;
GRANT SELECT (id, business_id, created_at) ON appointments TO booking_platform;
GRANT SELECT (id, business_id, channel, status, created_at) ON notification_deliveries TO booking_platform;
GRANT SELECT (outbox_id, business_id, redriven_at) ON dead_letters TO booking_platform;

-- The tables above that force row-level security: every row, to the role alone. OR'd with a table's
-- tenant policy (false: the console's transactions set no tenant) they fold to true, so the planner
-- sees the console's statements as the plain statements they are.
CREATE POLICY businesses_platform_reads ON businesses FOR SELECT TO booking_platform USING (true);
CREATE POLICY memberships_platform_reads ON memberships FOR SELECT TO booking_platform USING (true);
CREATE POLICY subscriptions_platform_reads ON subscriptions FOR SELECT TO booking_platform USING (true);
CREATE POLICY usage_counters_platform_reads ON usage_counters FOR SELECT TO booking_platform USING (true);
CREATE POLICY feature_overrides_platform_reads ON feature_overrides FOR SELECT TO booking_platform USING (true);
CREATE POLICY tenant_admin_actions_platform_reads ON tenant_admin_actions FOR SELECT TO booking_platform
    USING (true);
CREATE POLICY staff_platform_reads ON staff FOR SELECT TO booking_platform USING (true);
CREATE POLICY locations_platform_reads ON locations FOR SELECT TO booking_platform USING (true);
CREATE POLICY appointments_platform_reads ON appointments FOR SELECT TO booking_platform USING (true);
CREATE POLICY notification_deliveries_platform_reads ON notification_deliveries FOR SELECT TO booking_platform
    USING (true);
CREATE POLICY dead_letters_platform_reads ON dead_letters FOR SELECT TO booking_platform USING (true);

-- /admin/metrics counts the bookings made today and this month (UTC) across every tenant: with this
-- index that is one index-only range scan over that month's bookings, whatever the table holds.
-- The Stripe events whose handling recorded an error are few: a partial index finds them at once.
--
-- Built inside the migration runner's transaction, which locks appointments against writes while it
-- builds: quick where the table is small. Where it has grown large, build it by hand first with
-- CREATE INDEX CONCURRENTLY under the same name, and IF NOT EXISTS makes this file skip it.
CREATE INDEX IF NOT EXISTS appointments_created_idx ON appointments (created_at);
CREATE INDEX IF NOT EXISTS stripe_events_failed_idx ON stripe_events (received_at) WHERE error IS NOT NULL;
