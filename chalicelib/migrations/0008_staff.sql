-- The people customers book: profile, where they work, an optional linked login, their weekly hours
-- per location (with breaks), dated overrides and time off.
CREATE TABLE staff (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    email       text CHECK (email = lower(email)),
    phone       text,
    bio         text,
    -- NULL: the business's zone (all-day time off is local midnight to midnight in it)
    time_zone   text,
    user_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    bookable    boolean NOT NULL DEFAULT true,
    active      boolean NOT NULL DEFAULT true,
    photo_key   text,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT staff_tenant_key UNIQUE (business_id, id),
    -- one staff profile per login and business
    CONSTRAINT staff_user_key UNIQUE (business_id, user_id)
);
CREATE INDEX staff_list_idx ON staff (business_id, created_at, id);

CREATE TABLE staff_locations (
    business_id uuid NOT NULL,
    staff_id    uuid NOT NULL,
    location_id uuid NOT NULL,
    PRIMARY KEY (business_id, staff_id, location_id),
    FOREIGN KEY (business_id, staff_id) REFERENCES staff (business_id, id) ON DELETE CASCADE,
    FOREIGN KEY (business_id, location_id) REFERENCES locations (business_id, id) ON DELETE CASCADE
);

-- Weekly hours: one row per staff member, location and working block of a weekday; breaks inside it.
CREATE TABLE staff_hours (
    business_id uuid NOT NULL,
    staff_id    uuid NOT NULL,
    location_id uuid NOT NULL,
    weekday     smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    starts      time NOT NULL,
    ends        time NOT NULL,
    -- [{"start": "HH:MM", "end": "HH:MM"}, ...] inside starts..ends
    breaks      jsonb NOT NULL DEFAULT '[]',
    CHECK (ends > starts),
    FOREIGN KEY (business_id, staff_id) REFERENCES staff (business_id, id) ON DELETE CASCADE,
    FOREIGN KEY (business_id, location_id) REFERENCES locations (business_id, id) ON DELETE CASCADE
);
CREATE INDEX staff_hours_staff_idx ON staff_hours (business_id, staff_id);

-- A dated override replaces the weekly hours of that local date: other hours, or closed (no intervals).
CREATE TABLE staff_overrides (
    business_id uuid NOT NULL,
    staff_id    uuid NOT NULL,
    on_date     date NOT NULL,
    location_id uuid,
    -- [{"start": "HH:MM", "end": "HH:MM"}, ...]; [] = not working that day
    intervals   jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (business_id, staff_id, on_date),
    FOREIGN KEY (business_id, staff_id) REFERENCES staff (business_id, id) ON DELETE CASCADE,
    FOREIGN KEY (business_id, location_id) REFERENCES locations (business_id, id) ON DELETE CASCADE
);

-- Time off as instants (an all-day range is stored from local midnight to local midnight).
CREATE TABLE time_off (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id uuid NOT NULL,
    staff_id    uuid NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    all_day     boolean NOT NULL DEFAULT false,
    kind        text NOT NULL DEFAULT 'other' CHECK (kind IN ('holiday', 'sickness', 'training', 'other')),
    note        text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    FOREIGN KEY (business_id, staff_id) REFERENCES staff (business_id, id) ON DELETE CASCADE
);
CREATE INDEX time_off_staff_idx ON time_off (business_id, staff_id, ends_at);

ALTER TABLE staff ENABLE ROW LEVEL SECURITY;
ALTER TABLE staff FORCE ROW LEVEL SECURITY;
CREATE POLICY staff_tenant ON staff
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
ALTER TABLE staff_locations ENABLE ROW LEVEL SECURITY;
ALTER TABLE staff_locations FORCE ROW LEVEL SECURITY;
CREATE POLICY staff_locations_tenant ON staff_locations
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
ALTER TABLE staff_hours ENABLE ROW LEVEL SECURITY;
ALTER TABLE staff_hours FORCE ROW LEVEL SECURITY;
CREATE POLICY staff_hours_tenant ON staff_hours
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
ALTER TABLE staff_overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE staff_overrides FORCE ROW LEVEL SECURITY;
CREATE POLICY staff_overrides_tenant ON staff_overrides
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
ALTER TABLE time_off ENABLE ROW LEVEL SECURITY;
ALTER TABLE time_off FORCE ROW LEVEL SECURITY;
CREATE POLICY time_off_tenant ON time_off
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
