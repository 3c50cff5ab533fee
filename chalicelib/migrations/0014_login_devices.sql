-- Devices a user has logged in from (OWASP's device cookies): a log-in that presents the device's
-- token is throttled by that device's own failures, not by the account-wide count, so strangers'
-- wrong guesses cannot lock the owner out of the devices they use. Rows are made only by a correct
-- password. The identity's, like users and login_failures: no tenant, so no row-level security (the
-- application role reaches it through the default grants of 0001).
CREATE TABLE login_devices (
    -- the random device id the token names (its routing prefix)
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- the token is an HMAC of the user and device ids under the signing key; only its hash is kept
    token_hash    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz NOT NULL DEFAULT now(),
    -- failed log-ins with this token in the window that started at failed_since
    failures      integer NOT NULL DEFAULT 0,
    failed_since  timestamptz,
    locked_until  timestamptz
);
-- a user's devices, newest first (a log-in keeps the newest few); the retention sweep, oldest first
CREATE INDEX login_devices_user_idx ON login_devices (user_id, last_login_at);
CREATE INDEX login_devices_last_login_idx ON login_devices (last_login_at);
