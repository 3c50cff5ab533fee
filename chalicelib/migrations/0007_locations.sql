-- Where appointments happen: address, phone, the location's own IANA zone (slot maths run in it)
-- and its opening hours (NULL: no limit beyond the staff's hours).
CREATE TABLE locations (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id   uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    address       text,
    phone         text,
    time_zone     text NOT NULL,
    -- [{"weekday": 1..7 (ISO, Monday 1), "opens": "HH:MM", "closes": "HH:MM"}, ...]
    opening_hours jsonb,
    archived_at   timestamptz,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    -- the target of composite foreign keys: a row can only point at a location of its own tenant
    CONSTRAINT locations_tenant_key UNIQUE (business_id, id)
);
CREATE INDEX locations_list_idx ON locations (business_id, created_at, id);
ALTER TABLE locations ENABLE ROW LEVEL SECURITY;
ALTER TABLE locations FORCE ROW LEVEL SECURITY;
CREATE POLICY locations_tenant ON locations
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
