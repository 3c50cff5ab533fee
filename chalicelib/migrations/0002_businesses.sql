-- The tenant: profile and booking policy. Its row is visible only inside its own tenant scope.
CREATE TABLE businesses (
    id                    uuid PRIMARY KEY,
    name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    slug                  text NOT NULL,
    time_zone             text NOT NULL,
    currency              char(3) NOT NULL,
    locale                text NOT NULL DEFAULT 'en',
    contact_email         text,
    contact_phone         text,
    website               text,
    address               text,
    logo_key              text,
    slot_interval_min     integer NOT NULL DEFAULT 15 CHECK (slot_interval_min BETWEEN 5 AND 240),
    min_notice_min        integer NOT NULL DEFAULT 60 CHECK (min_notice_min >= 0),
    max_advance_days      integer NOT NULL DEFAULT 90 CHECK (max_advance_days BETWEEN 1 AND 730),
    cancel_cutoff_min     integer NOT NULL DEFAULT 1440 CHECK (cancel_cutoff_min >= 0),
    reschedule_cutoff_min integer NOT NULL DEFAULT 1440 CHECK (reschedule_cutoff_min >= 0),
    buffer_before_min     integer NOT NULL DEFAULT 0 CHECK (buffer_before_min BETWEEN 0 AND 240),
    buffer_after_min      integer NOT NULL DEFAULT 0 CHECK (buffer_after_min BETWEEN 0 AND 240),
    auto_confirm          boolean NOT NULL DEFAULT true,
    plan                  text NOT NULL DEFAULT 'trial',
    status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    trial_ends_at         timestamptz,
    version               integer NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT businesses_slug_key UNIQUE (slug)
);

ALTER TABLE businesses ENABLE ROW LEVEL SECURITY;
ALTER TABLE businesses FORCE ROW LEVEL SECURITY;
CREATE POLICY businesses_tenant ON businesses
    USING (id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (id = NULLIF(current_setting('app.business_id', true), '')::uuid);
