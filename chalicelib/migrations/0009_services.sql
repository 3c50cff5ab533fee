-- What can be booked, and who performs it (with optional per-staff duration and price).
CREATE TABLE services (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id           uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description           text,
    category              text,
    color                 text CHECK (color ~ '^#[0-9a-f]{6}$'),
    duration_min          integer NOT NULL CHECK (duration_min BETWEEN 5 AND 1440),
    price_minor           integer NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
    currency              char(3) NOT NULL,
    -- NULL: the business's default buffer
    buffer_before_min     integer CHECK (buffer_before_min BETWEEN 0 AND 240),
    buffer_after_min      integer CHECK (buffer_after_min BETWEEN 0 AND 240),
    -- seats: more than one makes it a group session
    capacity              integer NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 1 AND 500),
    active                boolean NOT NULL DEFAULT true,
    bookable_online       boolean NOT NULL DEFAULT true,
    requires_confirmation boolean NOT NULL DEFAULT false,
    intake_form_id        uuid,
    archived_at           timestamptz,
    version               integer NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT services_tenant_key UNIQUE (business_id, id)
);
CREATE INDEX services_list_idx ON services (business_id, created_at, id);

CREATE TABLE service_staff (
    business_id  uuid NOT NULL,
    service_id   uuid NOT NULL,
    staff_id     uuid NOT NULL,
    -- NULL: the service's own
    duration_min integer CHECK (duration_min BETWEEN 5 AND 1440),
    price_minor  integer CHECK (price_minor >= 0),
    PRIMARY KEY (business_id, service_id, staff_id),
    FOREIGN KEY (business_id, service_id) REFERENCES services (business_id, id) ON DELETE CASCADE,
    FOREIGN KEY (business_id, staff_id) REFERENCES staff (business_id, id) ON DELETE CASCADE
);
CREATE INDEX service_staff_staff_idx ON service_staff (business_id, staff_id);

ALTER TABLE services ENABLE ROW LEVEL SECURITY;
ALTER TABLE services FORCE ROW LEVEL SECURITY;
CREATE POLICY services_tenant ON services
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
ALTER TABLE service_staff ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_staff FORCE ROW LEVEL SECURITY;
CREATE POLICY service_staff_tenant ON service_staff
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
