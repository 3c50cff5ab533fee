-- Notifications: each business's settings and templates, the reminders armed for its appointments,
-- what was delivered to whom, and the messages that failed for good.
--
-- The background jobs (outbox sweep, reminder sweep, worker, WhatsApp webhook) work across tenants.
-- A transaction of theirs declares it with app.jobs = 'on', and the job tables below let it see every
-- tenant's rows; no tenant table (appointments, customers, ...) grants anything to that setting, so
-- the jobs read those inside the tenant's own scope like any request.

-- The product's own messages (reset password) belong to no business: only a jobs transaction sees them.
ALTER TABLE outbox ALTER COLUMN business_id DROP NOT NULL;
-- Inline delivery (local stage) retries from the sweep: how often it failed, and why last.
ALTER TABLE outbox ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error text;
-- a sweep that took the row for dispatch: others leave it alone until then (a crashed sweep's rows
-- come back when the lease runs out)
ALTER TABLE outbox ADD COLUMN lease_until timestamptz;
DROP POLICY outbox_tenant ON outbox;
CREATE POLICY outbox_tenant ON outbox
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
           OR current_setting('app.jobs', true) = 'on')
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
                OR current_setting('app.jobs', true) = 'on');

CREATE TABLE notification_settings (
    business_id              uuid PRIMARY KEY REFERENCES businesses (id) ON DELETE CASCADE,
    email_enabled            boolean NOT NULL DEFAULT true,
    whatsapp_enabled         boolean NOT NULL DEFAULT false,
    -- the business's WhatsApp Cloud API sender; its access token lives in Secrets Manager
    whatsapp_phone_number_id text,
    reminder_offsets_min     integer[] NOT NULL DEFAULT '{1440,120}',
    sender_name              text,
    reply_to                 text,
    version                  integer NOT NULL DEFAULT 1,
    updated_at               timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT whatsapp_enabled OR whatsapp_phone_number_id IS NOT NULL)
);
ALTER TABLE notification_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY notification_settings_tenant ON notification_settings
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);

-- A business's own wording of one message on one channel (key "booking_confirmed.email"); a
-- message without a row here uses the product's default.
CREATE TABLE notification_templates (
    business_id  uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    template_key text NOT NULL,
    content      jsonb NOT NULL,
    version      integer NOT NULL DEFAULT 1,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, template_key)
);
ALTER TABLE notification_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY notification_templates_tenant ON notification_templates
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);

-- One row per reminder an appointment will get: armed in the transaction that books, moves or
-- cancels it, claimed by the reminder sweep when due. The key (appointment, offset, start) is what
-- makes a reminder exactly-once: a late, doubled or overlapping sweep finds it claimed, and a move
-- back to a time already reminded about arms nothing new.
CREATE TABLE reminders (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id    uuid NOT NULL,
    appointment_id uuid NOT NULL,
    offset_min     integer NOT NULL CHECK (offset_min > 0),
    starts_at      timestamptz NOT NULL,
    due_at         timestamptz NOT NULL,
    state          text NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'enqueued', 'skipped')),
    claimed_at     timestamptz,
    CONSTRAINT reminders_once_key UNIQUE (appointment_id, offset_min, starts_at),
    FOREIGN KEY (business_id, appointment_id) REFERENCES appointments (business_id, id) ON DELETE CASCADE
);
CREATE INDEX reminders_due_idx ON reminders (due_at) WHERE state = 'scheduled';
CREATE INDEX reminders_appointment_idx ON reminders (business_id, appointment_id);
ALTER TABLE reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE reminders FORCE ROW LEVEL SECURITY;
CREATE POLICY reminders_tenant ON reminders
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
           OR current_setting('app.jobs', true) = 'on')
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
                OR current_setting('app.jobs', true) = 'on');

-- What the worker sent (or tried to) for an outbox row: one row per channel and recipient, claimed
-- before the send, so a redelivered message finds what was already sent and sends nothing more.
CREATE TABLE notification_deliveries (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id         uuid REFERENCES businesses (id) ON DELETE CASCADE,
    outbox_id           uuid NOT NULL,
    message             text NOT NULL,
    channel             text NOT NULL CHECK (channel IN ('email', 'whatsapp')),
    recipient           text NOT NULL,
    customer_id         uuid,
    appointment_id      uuid,
    -- sending: claimed, the send under way; retrying: it failed and the queue will try again;
    -- failed: for good; uncertain: a worker died mid-send, so it may or may not have gone out
    status              text NOT NULL CHECK (status IN ('sending', 'sent', 'delivered', 'read', 'retrying', 'failed',
                                                        'skipped', 'uncertain')),
    provider_message_id text,
    error               text,
    -- set on an e-mail sent because this WhatsApp message failed for good
    fallback_of         uuid REFERENCES notification_deliveries (id) ON DELETE SET NULL,
    attempts            integer NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notification_deliveries_once_key UNIQUE (outbox_id, channel, recipient)
);
CREATE INDEX notification_deliveries_log_idx ON notification_deliveries (business_id, created_at, id);
CREATE UNIQUE INDEX notification_deliveries_provider_idx ON notification_deliveries (channel, provider_message_id)
    WHERE provider_message_id IS NOT NULL;
ALTER TABLE notification_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY notification_deliveries_tenant ON notification_deliveries
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
           OR current_setting('app.jobs', true) = 'on')
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
                OR current_setting('app.jobs', true) = 'on');

-- Messages that failed for good (moved here from the SQS dead-letter queue, or after the local
-- stage's retries), until an operator sends them again.
CREATE TABLE dead_letters (
    outbox_id     uuid PRIMARY KEY REFERENCES outbox (id) ON DELETE CASCADE,
    business_id   uuid REFERENCES businesses (id) ON DELETE CASCADE,
    receive_count integer NOT NULL,
    dead_at       timestamptz NOT NULL DEFAULT now(),
    redriven_at   timestamptz,
    redrives      integer NOT NULL DEFAULT 0
);
CREATE INDEX dead_letters_waiting_idx ON dead_letters (dead_at, outbox_id) WHERE redriven_at IS NULL;
ALTER TABLE dead_letters ENABLE ROW LEVEL SECURITY;
ALTER TABLE dead_letters FORCE ROW LEVEL SECURITY;
CREATE POLICY dead_letters_tenant ON dead_letters
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
           OR current_setting('app.jobs', true) = 'on')
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
                OR current_setting('app.jobs', true) = 'on');

-- The platform's operators (they alone reach /admin/*). Not tenant-owned.
CREATE TABLE platform_operators (
    user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    granted_at timestamptz NOT NULL DEFAULT now()
);
