"""The business's booking policy as a fragment of the availability read (see
``chalicelib/availability/reads.py``): a scalar subquery answering JSON, so the booking path reads
every input in one round trip while each table's SQL stays with its owner. ``status`` and ``plan``
are read here for the booking path: a business not active takes no new bookings, and its plan sets
its monthly allowance of bookings."""

POLICY = """(SELECT json_build_object(
        'time_zone', time_zone, 'currency', currency, 'slot_interval_min', slot_interval_min,
        'min_notice_min', min_notice_min, 'max_advance_days', max_advance_days,
        'cancel_cutoff_min', cancel_cutoff_min, 'reschedule_cutoff_min', reschedule_cutoff_min,
        'buffer_before_min', buffer_before_min, 'buffer_after_min', buffer_after_min,
        'auto_confirm', auto_confirm, 'status', status, 'plan', plan)
   FROM businesses WHERE id = CAST(:business_id AS uuid))"""
