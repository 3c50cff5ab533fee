-- Marketing consent asked for on the public booking page counts only once the address it would be
-- sent to confirms it (double opt-in): anyone can type anyone's e-mail address into a booking form.
-- One row per request: open until confirmed or expired; the e-mail carrying its single-use link is
-- written by the notification worker, which stores only the hash of the link's secret.
CREATE TABLE consent_requests (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id  uuid NOT NULL,
    customer_id  uuid NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('marketing')),
    source       text NOT NULL CHECK (source IN ('booking_page')),
    requested_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    -- set when the e-mail is written: the hash of the link's secret, and of the address it went to (a
    -- confirmation counts only while the customer still has that address)
    token_hash   text UNIQUE,
    address_hash text,
    confirmed_at timestamptz,
    FOREIGN KEY (business_id, customer_id) REFERENCES customers (business_id, id) ON DELETE CASCADE
);
-- one open request per customer and kind: asking again renews it (a new e-mail) at most once a day
CREATE UNIQUE INDEX consent_requests_open_key ON consent_requests (business_id, customer_id, kind)
    WHERE confirmed_at IS NULL;
CREATE INDEX consent_requests_customer_idx ON consent_requests (business_id, customer_id, requested_at);
ALTER TABLE consent_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE consent_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY consent_requests_tenant ON consent_requests
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid)
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid);

-- A request that expired unconfirmed serves nothing once its period is over: the daily retention sweep
-- (its own role, 0016) deletes those, oldest expiry first. A confirmed one stays with its customer: it
-- is the proof that the address opted in.
CREATE INDEX consent_requests_expired_idx ON consent_requests (expires_at) WHERE confirmed_at IS NULL;
