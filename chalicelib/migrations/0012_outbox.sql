-- Domain events written in the same transaction as the change they describe; the notification
-- pipeline dispatches them (a row not yet dispatched is picked up by a sweep).
CREATE TABLE outbox (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id   uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    topic         text NOT NULL,
    -- the appointment or customer the event is about: the FIFO message group
    aggregate_id  uuid NOT NULL,
    payload       jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    dispatched_at timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (created_at) WHERE dispatched_at IS NULL;
CREATE INDEX outbox_aggregate_idx ON outbox (business_id, aggregate_id, created_at);
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY outbox_tenant ON outbox
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);

-- Busy times from staff's external calendars (filled by the Google Calendar sync), read by the
-- availability engine like appointments.
CREATE TABLE external_busy (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id uuid NOT NULL,
    staff_id    uuid NOT NULL,
    source      text NOT NULL,
    external_id text NOT NULL,
    busy        tstzrange NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT external_busy_source_key UNIQUE (business_id, staff_id, source, external_id),
    FOREIGN KEY (business_id, staff_id) REFERENCES staff (business_id, id) ON DELETE CASCADE
);
CREATE INDEX external_busy_range_idx ON external_busy USING gist (staff_id, busy);
ALTER TABLE external_busy ENABLE ROW LEVEL SECURITY;
ALTER TABLE external_busy FORCE ROW LEVEL SECURITY;
CREATE POLICY external_busy_tenant ON external_busy
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);

-- Public pages find their business by slug before a tenant is known: a transaction that declares
-- the slug it serves (app.slug) may read that one business's row, nothing else.
CREATE POLICY businesses_public_reads ON businesses FOR SELECT
    USING (slug = NULLIF(current_setting('app.slug', true), '') AND status = 'active');

-- Requests counted per client address or business and fixed window, for the public routes' limits.
CREATE TABLE rate_limit_hits (
    bucket       text NOT NULL,
    window_start timestamptz NOT NULL,
    hits         integer NOT NULL DEFAULT 1,
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limit_hits_window_idx ON rate_limit_hits (window_start);
