"""Everything a slot decision needs, read in one statement.

Availability is a read model over other modules' tables (policy, service, staff, hours, time off,
appointments, external busy times). Each owner writes the SQL for its tables as a fragment (a
scalar subquery answering JSON) in its ``calendar_reads.py``; this module only composes them, so
the booking path reads all of its inputs in a single round trip.

The plan's overrides ride along for the booking path (its monthly allowance of bookings), so the
limit check costs no statement of its own.

Parameters every fragment may use: ``:business_id``, ``:service_id``, ``:staff_id`` and
``:location_id`` (either may be NULL), and the window ``:since``..``:until`` (timestamptz); and the
CTE ``candidate_staff(staff_id, duration_min, price_minor)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from chalicelib.appointments import calendar_reads as appointments
from chalicelib.billing import gate
from chalicelib.business import calendar_reads as business
from chalicelib.core.db import Tx
from chalicelib.locations import calendar_reads as locations
from chalicelib.services import calendar_reads as services
from chalicelib.staff import calendar_reads as staff

_INPUTS = f"""-- every input of the availability rule for one service, in one round trip
WITH {services.CANDIDATE_STAFF}
SELECT {business.POLICY} AS policy,
       {services.SERVICE} AS service,
       {services.PERFORMERS} AS performers,
       {staff.STAFF} AS staff,
       {locations.LOCATIONS} AS locations,
       {staff.HOURS} AS hours,
       {staff.OVERRIDES} AS overrides,
       {staff.TIME_OFF} AS time_off,
       {staff.EXTERNAL_BUSY} AS external_busy,
       {appointments.BOOKED} AS booked,
       {gate.OVERRIDES_JSON} AS plan_overrides"""


@dataclass(frozen=True)
class Inputs:
    policy: dict[str, Any] | None
    service: dict[str, Any] | None
    performers: list[dict[str, Any]]
    staff: list[dict[str, Any]]
    locations: list[dict[str, Any]]
    hours: list[dict[str, Any]]
    overrides: list[dict[str, Any]]
    time_off: list[dict[str, Any]]
    external_busy: list[dict[str, Any]]
    booked: list[dict[str, Any]]
    # the platform's live overrides of the business's plan (with ``policy["plan"]``: its allowance)
    plan_overrides: dict[str, Any]


def inputs(tx: Tx, business_id: UUID, *, service_id: UUID, staff_id: UUID | None, location_id: UUID | None,
           since: datetime, until: datetime) -> Inputs:
    row = tx.one(_INPUTS, business_id=str(business_id), service_id=str(service_id),
                 staff_id=str(staff_id) if staff_id else None,
                 location_id=str(location_id) if location_id else None, since=since, until=until)
    assert row is not None  # a SELECT without FROM always answers one row
    return Inputs(**{name: value if value is not None or name in ("policy", "service") else []
                     for name, value in row.items()})
