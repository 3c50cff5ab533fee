-- Appointments, their series, their history and the manage links customers hold.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE appointment_series (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    -- {"every_weeks": n, "count": n, "first_start_at": ...}
    rule        jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT appointment_series_tenant_key UNIQUE (business_id, id)
);

CREATE TABLE appointments (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id     uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    location_id     uuid NOT NULL,
    service_id      uuid NOT NULL,
    staff_id        uuid NOT NULL,
    customer_id     uuid NOT NULL,
    series_id       uuid,
    start_at        timestamptz NOT NULL,
    end_at          timestamptz NOT NULL,
    -- the time the staff member is taken: the appointment plus the service's buffers
    occupied        tstzrange NOT NULL,
    -- the bookings of one group session share a key (and may overlap each other); any other
    -- appointment has its own id here, so it overlaps nothing
    session_key     text NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'confirmed', 'completed', 'no_show', 'cancelled')),
    price_minor     integer NOT NULL CHECK (price_minor >= 0),
    currency        char(3) NOT NULL,
    notes           text,
    internal_notes  text,
    source          text NOT NULL CHECK (source IN ('staff', 'online')),
    created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    cancel_reason   text,
    cancelled_by    text CHECK (cancelled_by IN ('business', 'customer')),
    cancelled_at    timestamptz,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (end_at > start_at),
    CHECK (lower(occupied) <= start_at AND upper(occupied) >= end_at),
    CONSTRAINT appointments_tenant_key UNIQUE (business_id, id),
    FOREIGN KEY (business_id, location_id) REFERENCES locations (business_id, id),
    FOREIGN KEY (business_id, service_id) REFERENCES services (business_id, id),
    FOREIGN KEY (business_id, staff_id) REFERENCES staff (business_id, id),
    FOREIGN KEY (business_id, customer_id) REFERENCES customers (business_id, id) ON DELETE CASCADE,
    FOREIGN KEY (business_id, series_id) REFERENCES appointment_series (business_id, id),
    -- Double booking is impossible by construction: a staff member's active appointments never
    -- overlap (buffers included), except the seats of one group session.
    CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
        staff_id WITH =, occupied WITH &&, session_key WITH <>
    ) WHERE (status <> 'cancelled')
);
CREATE INDEX appointments_range_idx ON appointments (business_id, start_at, id);
CREATE INDEX appointments_staff_idx ON appointments (business_id, staff_id, start_at);
CREATE INDEX appointments_customer_idx ON appointments (business_id, customer_id, start_at);
CREATE INDEX appointments_series_idx ON appointments (business_id, series_id) WHERE series_id IS NOT NULL;

CREATE TABLE appointment_history (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    business_id    uuid NOT NULL,
    appointment_id uuid NOT NULL,
    action         text NOT NULL,
    actor_type     text NOT NULL CHECK (actor_type IN ('user', 'customer', 'system')),
    actor_id       uuid,
    before         jsonb,
    after          jsonb,
    at             timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (business_id, appointment_id) REFERENCES appointments (business_id, id) ON DELETE CASCADE
);
CREATE INDEX appointment_history_appointment_idx ON appointment_history (business_id, appointment_id, id);

-- A customer's manage link: only the hash of its secret is kept; one appointment may have several
-- (the booking answer, later e-mails).
CREATE TABLE booking_links (
    token_hash     text PRIMARY KEY,
    business_id    uuid NOT NULL,
    appointment_id uuid NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (business_id, appointment_id) REFERENCES appointments (business_id, id) ON DELETE CASCADE
);
CREATE INDEX booking_links_appointment_idx ON booking_links (business_id, appointment_id);

ALTER TABLE appointment_series ENABLE ROW LEVEL SECURITY;
ALTER TABLE appointment_series FORCE ROW LEVEL SECURITY;
CREATE POLICY appointment_series_tenant ON appointment_series
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
ALTER TABLE appointments ENABLE ROW LEVEL SECURITY;
ALTER TABLE appointments FORCE ROW LEVEL SECURITY;
CREATE POLICY appointments_tenant ON appointments
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
ALTER TABLE appointment_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE appointment_history FORCE ROW LEVEL SECURITY;
CREATE POLICY appointment_history_tenant ON appointment_history
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
ALTER TABLE booking_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking_links FORCE ROW LEVEL SECURITY;
CREATE POLICY booking_links_tenant ON booking_links
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
