"""Staff profiles, working hours, overrides, time off and external busy times, as fragments of
the availability read (see ``chalicelib/availability/reads.py``); each is narrowed to the
``candidate_staff`` of the service and to the window ``:since``..``:until``."""

STAFF = """(SELECT json_agg(s) FROM (
   SELECT st.id, st.active, st.bookable, st.time_zone,
          ARRAY(SELECT location_id FROM staff_locations sl WHERE sl.staff_id = st.id) AS location_ids
     FROM staff st WHERE st.id IN (SELECT staff_id FROM candidate_staff)) s)"""

HOURS = """(SELECT json_agg(h) FROM (
   SELECT staff_id, location_id, weekday, starts, ends, breaks FROM staff_hours
    WHERE staff_id IN (SELECT staff_id FROM candidate_staff)) h)"""

# Local dates: a day either side covers every zone's date of the window's instants.
OVERRIDES = """(SELECT json_agg(o) FROM (
   SELECT staff_id, on_date, location_id, intervals FROM staff_overrides
    WHERE staff_id IN (SELECT staff_id FROM candidate_staff)
      AND on_date BETWEEN CAST(:since AS timestamptz)::date - 1 AND CAST(:until AS timestamptz)::date + 1) o)"""

TIME_OFF = """(SELECT json_agg(t) FROM (
   SELECT staff_id, starts_at, ends_at FROM time_off
    WHERE staff_id IN (SELECT staff_id FROM candidate_staff)
      AND ends_at > CAST(:since AS timestamptz) AND starts_at < CAST(:until AS timestamptz)) t)"""

EXTERNAL_BUSY = """(SELECT json_agg(e) FROM (
   SELECT staff_id, lower(busy) AS starts_at, upper(busy) AS ends_at FROM external_busy
    WHERE staff_id IN (SELECT staff_id FROM candidate_staff)
      AND busy && tstzrange(CAST(:since AS timestamptz), CAST(:until AS timestamptz))) e)"""
