-- Google Calendar two-way sync (chalicelib/calendar/): a staff member's connection with its tokens
-- and sync state, the single-use OAuth states of connects under way, the push channels Google calls
-- back on, and which Google event stands for which appointment. Busy times land in external_busy
-- (0012) with source 'google'.

-- One connection per staff profile, made by the member whose login the profile is linked to.
CREATE TABLE calendar_connections (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    business_id          uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    staff_id             uuid NOT NULL,
    user_id              uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- the Google account's address, as its ID token says (shown, never used to sign anyone in)
    google_email         text,
    calendar_id          text NOT NULL DEFAULT 'primary',
    state                text NOT NULL DEFAULT 'connected' CHECK (state IN ('connected', 'reconnect_needed')),
    -- why it needs reconnecting: invalid_grant (revoked or expired), scope (a permission taken away)
    lost_reason          text CHECK (lost_reason IN ('invalid_grant', 'scope')),
    -- AES-GCM sealed (chalicelib/calendar/token_seal.py): key id, nonce and ciphertext; never returned
    refresh_token_sealed bytea,
    access_token_sealed  bytea,
    access_expires_at    timestamptz,
    scopes               text[] NOT NULL DEFAULT '{}',
    -- incremental sync: Google's nextSyncToken, and when the window was last listed in full
    sync_token           text,
    full_sync_at         timestamptz,
    -- a push asked for a sync that has not begun yet: later pushes join it (a burst is one sync)
    sync_wanted_at       timestamptz,
    last_sync_at         timestamptz,
    last_error           text,
    last_error_at        timestamptz,
    -- quota answers: no call to Google for this connection before then
    backoff_until        timestamptz,
    failures             integer NOT NULL DEFAULT 0,
    -- edits made in Google to a booking's event, put back by a sync
    reverted_edits       integer NOT NULL DEFAULT 0,
    last_reverted_at     timestamptz,
    connected_at         timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT calendar_connections_staff_key UNIQUE (business_id, staff_id),
    CONSTRAINT calendar_connections_tenant_key UNIQUE (business_id, id),
    FOREIGN KEY (business_id, staff_id) REFERENCES staff (business_id, id) ON DELETE CASCADE
);
CREATE INDEX calendar_connections_due_idx ON calendar_connections ((greatest(last_sync_at, last_error_at)) NULLS FIRST)
    WHERE state = 'connected';

-- A connect under way: the state sent to Google (kept as its sha256), bound to the member and their
-- staff profile, with the PKCE verifier the callback needs (Lambda keeps no Flow between requests).
-- Single use (used_at), short-lived (expires_at); the retention sweep deletes old ones.
CREATE TABLE calendar_oauth_states (
    state_hash    text PRIMARY KEY,
    business_id   uuid NOT NULL REFERENCES businesses (id) ON DELETE CASCADE,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    staff_id      uuid NOT NULL,
    code_verifier text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    FOREIGN KEY (business_id, staff_id) REFERENCES staff (business_id, id) ON DELETE CASCADE
);
CREATE INDEX calendar_oauth_states_expiry_idx ON calendar_oauth_states (expires_at);
CREATE INDEX calendar_oauth_states_user_idx ON calendar_oauth_states (business_id, user_id, created_at);

-- events.watch channels: Google posts to the notifications webhook with the channel id and our token
-- (kept as its sha256). A channel is replaced before it expires, the old one kept until then.
CREATE TABLE calendar_push_channels (
    id            uuid PRIMARY KEY,
    business_id   uuid NOT NULL,
    connection_id uuid NOT NULL,
    resource_id   text NOT NULL,
    token_hash    text NOT NULL,
    expires_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (business_id, connection_id) REFERENCES calendar_connections (business_id, id) ON DELETE CASCADE
);
CREATE INDEX calendar_push_channels_connection_idx ON calendar_push_channels (business_id, connection_id, expires_at);
CREATE INDEX calendar_push_channels_expiry_idx ON calendar_push_channels (expires_at);

-- The Google event that stands for an appointment, in whose calendar, as last written: the calendar
-- reader's delivery state. The event id is derived from the appointment id and generation (a new
-- generation only when Google holds a deleted event under the old id).
CREATE TABLE calendar_event_links (
    business_id     uuid NOT NULL,
    appointment_id  uuid NOT NULL,
    staff_id        uuid NOT NULL,
    calendar_id     text NOT NULL,
    event_id        text NOT NULL,
    generation      integer NOT NULL DEFAULT 0,
    -- what the event says, as written: a sync compares Google's copy with it
    start_at        timestamptz,
    end_at          timestamptz,
    written_version integer,
    state           text NOT NULL CHECK (state IN ('present', 'deleted', 'failed')),
    last_error      text,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, appointment_id),
    FOREIGN KEY (business_id, appointment_id) REFERENCES appointments (business_id, id) ON DELETE CASCADE
);
CREATE INDEX calendar_event_links_event_idx ON calendar_event_links (business_id, staff_id, event_id);
CREATE INDEX calendar_event_links_retry_idx ON calendar_event_links (next_attempt_at) WHERE state = 'failed';

-- Tenant tables; the schedule, the OAuth callback and the push webhook find their rows across
-- tenants before they know one, in a jobs transaction (0013's pattern), then work in the tenant.
ALTER TABLE calendar_connections ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_connections FORCE ROW LEVEL SECURITY;
CREATE POLICY calendar_connections_tenant ON calendar_connections
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
           OR current_setting('app.jobs', true) = 'on')
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
                OR current_setting('app.jobs', true) = 'on');
ALTER TABLE calendar_oauth_states ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_oauth_states FORCE ROW LEVEL SECURITY;
CREATE POLICY calendar_oauth_states_tenant ON calendar_oauth_states
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
           OR current_setting('app.jobs', true) = 'on')
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
                OR current_setting('app.jobs', true) = 'on');
ALTER TABLE calendar_push_channels ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_push_channels FORCE ROW LEVEL SECURITY;
CREATE POLICY calendar_push_channels_tenant ON calendar_push_channels
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
           OR current_setting('app.jobs', true) = 'on')
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
                OR current_setting('app.jobs', true) = 'on');
ALTER TABLE calendar_event_links ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_event_links FORCE ROW LEVEL SECURITY;
CREATE POLICY calendar_event_links_tenant ON calendar_event_links
    USING (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
           OR current_setting('app.jobs', true) = 'on')
    WITH CHECK (business_id = NULLIF(current_setting('app.business_id', true), '')::uuid
                OR current_setting('app.jobs', true) = 'on');

-- The retention sweep deletes connects that were never finished, once expired.
GRANT SELECT, DELETE ON calendar_oauth_states TO booking_retention;
CREATE POLICY calendar_oauth_states_retention_reads ON calendar_oauth_states FOR SELECT TO booking_retention
    USING (true);
CREATE POLICY calendar_oauth_states_retention_deletes ON calendar_oauth_states FOR DELETE TO booking_retention
    USING (true);
