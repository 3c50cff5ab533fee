"""The time the candidate staff are already taken, as a fragment of the availability read (see
``chalicelib/availability/reads.py``): active appointments at any location, with their buffers.

Row-level security lets an index serve only leakproof operators, and the range overlap ``&&`` is
not one; so the rows are found by ``start_at`` (plain comparisons, the index on staff and start)
and the overlap only filters them. An appointment lasts at most 24 hours and each buffer at most
4 (the schema's limits), so one occupying the window starts less than 28 hours before it and
less than 4 hours after its end."""

BOOKED = """(SELECT json_agg(a) FROM (
   SELECT id, staff_id, start_at, end_at, lower(occupied) AS occupied_from, upper(occupied) AS occupied_until,
          session_key
     FROM appointments
    WHERE staff_id IN (SELECT staff_id FROM candidate_staff) AND status <> 'cancelled'
      AND start_at > CAST(:since AS timestamptz) - interval '28 hours'
      AND start_at < CAST(:until AS timestamptz) + interval '4 hours'
      AND occupied && tstzrange(CAST(:since AS timestamptz), CAST(:until AS timestamptz))) a)"""
