-- The business's customers, their internal notes and every consent given or withdrawn.
CREATE TABLE customers (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id       uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    -- what ?q= matches a name substring against (kept here, not computed per row at each search)
    name_lower        text GENERATED ALWAYS AS (lower(name)) STORED,
    email             text CHECK (email = lower(email)),
    -- as entered, and its digits with a leading + (what de-duplication and search compare)
    phone             text,
    phone_normalized  text,
    tags              text[] NOT NULL DEFAULT '{}',
    locale            text,
    preferred_channel text NOT NULL DEFAULT 'email' CHECK (preferred_channel IN ('email', 'whatsapp')),
    -- the current state of consent; its history is in customer_consents
    terms_accepted_at timestamptz,
    marketing_opt_in  boolean NOT NULL DEFAULT false,
    -- set by a GDPR erase: the row stays (appointments point at it) but identifies nobody
    erased_at         timestamptz,
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customers_tenant_key UNIQUE (business_id, id)
);
-- one customer per e-mail address and per phone number within a business
CREATE UNIQUE INDEX customers_email_key ON customers (business_id, email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX customers_phone_key ON customers (business_id, phone_normalized) WHERE phone_normalized IS NOT NULL;
CREATE INDEX customers_list_idx ON customers (business_id, created_at, id);
-- Search pages through live customers in (name, id) order. Forced row-level security lets no index
-- serve a non-leakproof condition (LIKE, lower(), @> on arrays): a trigram or tags GIN index would
-- never be used. So every column a search filters on is in this index, and a search is at worst an
-- index-only scan of one tenant's entries, never of its rows.
CREATE INDEX customers_search_idx ON customers (business_id, name, id)
    INCLUDE (name_lower, email, phone_normalized, tags) WHERE erased_at IS NULL;

CREATE TABLE customer_notes (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    author_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (business_id, customer_id) REFERENCES customers (business_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_notes_customer_idx ON customer_notes (business_id, customer_id, created_at);

CREATE TABLE customer_consents (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('terms', 'marketing')),
    granted     boolean NOT NULL,
    -- where it was given: the booking page, a staff member, an import, an unsubscribe link
    source      text NOT NULL CHECK (source IN ('booking_page', 'staff', 'import', 'unsubscribe', 'manage_link')),
    actor_id    uuid REFERENCES users (id) ON DELETE SET NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (business_id, customer_id) REFERENCES customers (business_id, id) ON DELETE CASCADE
);
CREATE INDEX customer_consents_customer_idx ON customer_consents (business_id, customer_id, recorded_at);

ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE customers FORCE ROW LEVEL SECURITY;
CREATE POLICY customers_tenant ON customers
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
ALTER TABLE customer_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_notes FORCE ROW LEVEL SECURITY;
CREATE POLICY customer_notes_tenant ON customer_notes
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
ALTER TABLE customer_consents ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_consents FORCE ROW LEVEL SECURITY;
CREATE POLICY customer_consents_tenant ON customer_consents
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);
