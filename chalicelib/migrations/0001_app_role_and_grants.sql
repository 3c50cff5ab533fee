-- The application logs in as booking_app: it owns no table and cannot bypass row-level security.
-- In production the role is created (with LOGIN and a password) by infra/; this only makes sure it exists.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_app') THEN
        CREATE ROLE booking_app NOLOGIN NOBYPASSRLS;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO booking_app;
GRANT SELECT ON schema_migrations TO booking_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO booking_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO booking_app;
