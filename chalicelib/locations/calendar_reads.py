"""Locations (zone and opening hours) as a fragment of the availability read (see
``chalicelib/availability/reads.py``)."""

LOCATIONS = """(SELECT json_agg(l) FROM (
   SELECT id, time_zone, opening_hours FROM locations
    WHERE archived_at IS NULL
      AND (CAST(:location_id AS uuid) IS NULL OR id = CAST(:location_id AS uuid))) l)"""
