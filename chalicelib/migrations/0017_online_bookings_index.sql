-- The online booking budget (chalicelib/appointments/service.py, ONLINE_BOOKINGS_PER_HOUR): every online
-- booking counts this business's online bookings created in the last hour, inside its insert. This index
-- makes that count an index-only range scan over those bookings alone, whatever else the business has.
--
-- Built inside the migration runner's transaction, which locks appointments against writes while it
-- builds: quick where the table is small. Where it has grown large, build it by hand first with
-- CREATE INDEX CONCURRENTLY under the same name, and IF NOT EXISTS makes this file skip it.
CREATE INDEX IF NOT EXISTS appointments_online_created_idx ON appointments (business_id, created_at)
    WHERE source = 'online';
