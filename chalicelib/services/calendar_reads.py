"""The service and who performs it, as fragments of the availability read (see
``chalicelib/availability/reads.py``)."""

# The staff who may be booked for the service (all of them, or the one asked for), with their own
# duration and price if they have one. The other fragments narrow their reads to these staff.
CANDIDATE_STAFF = """candidate_staff AS (
  SELECT staff_id, duration_min, price_minor FROM service_staff
   WHERE service_id = CAST(:service_id AS uuid)
     AND (CAST(:staff_id AS uuid) IS NULL OR staff_id = CAST(:staff_id AS uuid)))"""

SERVICE = """(SELECT row_to_json(s) FROM (
   SELECT id, name, duration_min, price_minor, currency, buffer_before_min, buffer_after_min, capacity,
          active, bookable_online, requires_confirmation, archived_at IS NOT NULL AS archived
     FROM services WHERE id = CAST(:service_id AS uuid)) s)"""

PERFORMERS = """(SELECT json_agg(c) FROM candidate_staff c)"""
