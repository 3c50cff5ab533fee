-- Billing: each business's subscription (our lifecycle state and the Stripe mirror), the Stripe
-- events seen, the invoices mirrored from them, usage per billing period and what was reported of it
-- to Stripe, the platform's per-tenant feature overrides, and what operators did to a tenant.
--
-- businesses.plan and businesses.status stay what the rest of the system reads (the public pages, the
-- availability policy); only billing's state machine (chalicelib/billing/lifecycle.py) writes them.
-- status is now the serving status: 'expired' is a trial that ended, or a subscription cancelled at
-- the end of its period.
ALTER TABLE businesses DROP CONSTRAINT businesses_status_check;
ALTER TABLE businesses ADD CONSTRAINT businesses_status_check CHECK (status IN ('active', 'suspended', 'expired'));
ALTER TABLE businesses ADD CONSTRAINT businesses_plan_check CHECK (plan IN ('trial', 'basic', 'pro', 'enterprise'));

-- The start of the monthly usage period that holds ``at``: the anchor plus a whole number of months,
-- counted in UTC and clamped at a month's end the way Stripe bills (an anchor on the 31st gives
-- Feb 28, then Mar 31). Limits are per month on yearly plans too. chalicelib/billing/usage.py's
-- period_start is the same rule in Python; a test holds the two together.
CREATE FUNCTION billing_period_start(anchor timestamptz, at timestamptz) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE WHEN (a + make_interval(months => n)) AT TIME ZONE 'UTC' <= at
            THEN (a + make_interval(months => n)) AT TIME ZONE 'UTC'
            ELSE (a + make_interval(months => n - 1)) AT TIME ZONE 'UTC' END
  FROM (SELECT anchor AT TIME ZONE 'UTC' AS a,
               CAST((extract(year FROM at AT TIME ZONE 'UTC') - extract(year FROM anchor AT TIME ZONE 'UTC')) * 12
                    + extract(month FROM at AT TIME ZONE 'UTC') - extract(month FROM anchor AT TIME ZONE 'UTC')
                    AS integer) AS n) AS months
$$;

-- One per business: billing's own state, and the Stripe subscription it mirrors (re-fetched from
-- Stripe on every event, never taken from an event's body or its order of arrival).
CREATE TABLE subscriptions (
    business_id            uuid PRIMARY KEY REFERENCES businesses (id) ON DELETE CASCADE,
    state                  text NOT NULL DEFAULT 'trialing'
                           CHECK (state IN ('trialing', 'active', 'past_due', 'suspended', 'expired', 'cancelled')),
    plan                   text NOT NULL DEFAULT 'trial' CHECK (plan IN ('trial', 'basic', 'pro', 'enterprise')),
    billing_interval       text CHECK (billing_interval IN ('month', 'year')),
    currency               char(3),
    -- the recurring price, and its monthly share (a yearly price / 12) for the platform's MRR
    amount_minor           integer,
    mrr_minor              integer,
    stripe_customer_id     text UNIQUE,
    stripe_subscription_id text UNIQUE,
    stripe_status          text,
    stripe_price_id        text,
    trial_ends_at          timestamptz,
    period_start           timestamptz,
    period_end             timestamptz,
    -- usage periods are whole months from here (billing_period_start)
    usage_anchor           timestamptz NOT NULL DEFAULT now(),
    cancel_at_period_end   boolean NOT NULL DEFAULT false,
    past_due_since         timestamptz,
    -- who suspended: Stripe gave up ('billing', lifted by a payment) or an operator ('operator',
    -- lifted only by an operator)
    suspended_by           text CHECK (suspended_by IN ('billing', 'operator')),
    suspended_reason       text,
    -- the trial-ending e-mail was written (the daily schedule sends it once)
    trial_warned_at        timestamptz,
    stripe_synced_at       timestamptz,
    version                integer NOT NULL DEFAULT 1,
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_trial_idx ON subscriptions (trial_ends_at) WHERE state = 'trialing';
CREATE INDEX subscriptions_past_due_idx ON subscriptions (past_due_since) WHERE state = 'past_due';

-- Each Stripe event once: a replay finds its id here and does nothing. Written in the transaction
-- that applies the event, so an event whose handling failed is not recorded and Stripe's retry is
-- handled. Belongs to no tenant (the event names a Stripe customer, resolved to a business after).
CREATE TABLE stripe_events (
    id             text PRIMARY KEY,
    type           text NOT NULL,
    object_id      text,
    stripe_created timestamptz NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now(),
    error          text
);
CREATE INDEX stripe_events_received_idx ON stripe_events (received_at);

-- A mirror of the business's Stripe invoices (re-fetched on each invoice event): the accounting
-- record the owner reads, kept for as long as the business.
CREATE TABLE invoices (
    stripe_invoice_id  text PRIMARY KEY,
    business_id        uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    number             text,
    status             text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'uncollectible', 'void')),
    currency           char(3) NOT NULL,
    total_minor        integer NOT NULL,
    amount_due_minor   integer NOT NULL,
    amount_paid_minor  integer NOT NULL,
    hosted_invoice_url text,
    invoice_pdf        text,
    period_start       timestamptz,
    period_end         timestamptz,
    issued_at          timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoices_list_idx ON invoices (business_id, issued_at DESC, stripe_invoice_id);

-- What a business used in one monthly period (billing_period_start), per meter: one row, added to in
-- the statement that books or sends, so the count is exact under concurrency.
CREATE TABLE usage_counters (
    business_id  uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    meter        text NOT NULL CHECK (meter IN ('bookings', 'messages_email', 'messages_whatsapp')),
    period_start timestamptz NOT NULL,
    used         integer NOT NULL DEFAULT 0 CHECK (used >= 0),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, meter, period_start)
);
CREATE INDEX usage_counters_period_idx ON usage_counters (period_start);

-- Overage reported to Stripe Billing Meters: a row is committed before its meter event is sent, and
-- a row not yet sent is sent again with the same identifier and value (Stripe drops a duplicate
-- identifier within 24 hours; this table is the guard beyond that).
CREATE TABLE usage_reports (
    identifier   text PRIMARY KEY,
    business_id  uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    meter        text NOT NULL CHECK (meter IN ('bookings', 'messages_email', 'messages_whatsapp')),
    period_start timestamptz NOT NULL,
    value        integer NOT NULL CHECK (value > 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz
);
CREATE INDEX usage_reports_business_idx ON usage_reports (business_id, meter, period_start);
CREATE INDEX usage_reports_unsent_idx ON usage_reports (created_at) WHERE sent_at IS NULL;
CREATE INDEX usage_reports_sent_idx ON usage_reports (sent_at) WHERE sent_at IS NOT NULL;

-- The platform's per-tenant exceptions to the plan: a feature on or off, or a limit (an integer, or
-- null for none), with why and until when. One past its end is ignored where it is read, and kept.
CREATE TABLE feature_overrides (
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    feature     text NOT NULL,
    value       jsonb NOT NULL,
    reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    ends_at     timestamptz,
    set_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    set_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, feature)
);

-- What platform operators did to a tenant, and why: kept (the audit trail).
CREATE TABLE tenant_admin_actions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    action      text NOT NULL CHECK (action IN ('suspend', 'reactivate', 'features')),
    reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    details     jsonb NOT NULL DEFAULT '{}',
    actor_id    uuid REFERENCES users (id) ON DELETE SET NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenant_admin_actions_idx ON tenant_admin_actions (business_id, at DESC, id);

-- Tenant tables: a request sees its own business's rows only.
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY invoices_tenant ON invoices
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
ALTER TABLE feature_overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE feature_overrides FORCE ROW LEVEL SECURITY;
CREATE POLICY feature_overrides_tenant ON feature_overrides
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
ALTER TABLE tenant_admin_actions ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_admin_actions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_admin_actions_tenant ON tenant_admin_actions
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);

-- Job tables as well (0013's pattern): the daily schedule finds trials ending and businesses past
-- due across tenants, the Stripe webhook finds the business behind a Stripe customer before it
-- knows the tenant, and the notification worker counts messages in its jobs transaction.
ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY subscriptions_tenant ON subscriptions
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
           OR current_setting('app.jobs', true) = 'on')
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
                OR current_setting('app.jobs', true) = 'on');
ALTER TABLE usage_counters ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_counters FORCE ROW LEVEL SECURITY;
CREATE POLICY usage_counters_tenant ON usage_counters
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
           OR current_setting('app.jobs', true) = 'on')
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
                OR current_setting('app.jobs', true) = 'on');
ALTER TABLE usage_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_reports FORCE ROW LEVEL SECURITY;
CREATE POLICY usage_reports_tenant ON usage_reports
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
           OR current_setting('app.jobs', true) = 'on')
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
                OR current_setting('app.jobs', true) = 'on');

-- Every existing business gets its subscription row: a trial goes on as one, a business on a paid
-- plan before billing existed is active on it. The migration runs as the tables' owner, which row
-- security binds only while it is forced.
ALTER TABLE businesses NO FORCE ROW LEVEL SECURITY;
INSERT INTO subscriptions (business_id, state, plan, trial_ends_at, usage_anchor)
SELECT id, CASE WHEN plan = 'trial' THEN 'trialing' ELSE 'active' END, plan, trial_ends_at, created_at
  FROM businesses;
ALTER TABLE businesses FORCE ROW LEVEL SECURITY;

-- The retention sweep's role (0016) prunes Stripe events after their window and usage reports once
-- long sent.
GRANT SELECT, DELETE ON stripe_events, usage_reports TO booking_retention;
CREATE POLICY usage_reports_retention_reads ON usage_reports FOR SELECT TO booking_retention USING (true);
CREATE POLICY usage_reports_retention_deletes ON usage_reports FOR DELETE TO booking_retention USING (true);
