from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from chalice import Blueprint

from chalicelib.availability import service
from chalicelib.core.answer import Answer, Timestamp
from chalicelib.core.endpoint import endpoint
from chalicelib.core.security import Caller
from chalicelib.core.validate import Struct, TimeZone

bp = Blueprint(__name__)

Instant = Annotated[datetime, msgspec.Meta(tz=True)]


class SlotsQuery(Struct, kw_only=True):
    service_id: UUID
    staff_id: UUID | None = None
    location_id: UUID | None = None
    from_: date = msgspec.field(name="from")
    to: date
    tz: TimeZone | None = None


class StaffSlotsQuery(SlotsQuery, kw_only=True):
    # Slots for moving this appointment: its own time does not stand in its way.
    exclude_appointment_id: UUID | None = None


class NextQuery(Struct, kw_only=True):
    service_id: UUID
    staff_id: UUID | None = None
    location_id: UUID | None = None
    tz: TimeZone | None = None


class CheckBody(Struct, kw_only=True):
    service_id: UUID
    staff_id: UUID | None = None
    location_id: UUID | None = None
    start_at: Instant


Reason = Literal["too_soon", "too_far", "off_grid", "outside_hours", "time_off", "taken", "full",
                 "service_unavailable", "staff_unavailable"]


class Slot(Answer):
    start_at: Timestamp  # in the answer's time zone
    end_at: Timestamp
    staff_id: UUID
    location_id: UUID
    seats_left: int


class Slots(Answer):
    service_id: UUID
    staff_id: UUID | None
    location_id: UUID | None
    tz: str
    from_: date = msgspec.field(name="from")
    to: date
    slots: list[Slot]


class NextSlot(Answer):
    service_id: UUID
    tz: str
    slot: Slot | None  # null: nothing bookable up to the maximum advance


class Check(Answer):
    bookable: bool
    reason: Reason | None
    message: str | None
    staff_id: UUID | None
    location_id: UUID | None
    start_at: Timestamp | msgspec.UnsetType = msgspec.UNSET  # only when bookable
    end_at: Timestamp | msgspec.UnsetType = msgspec.UNSET


@endpoint(bp, "/availability", "GET", query=StaffSlotsQuery, tag="availability", response=Slots,
          summary="Bookable slots between two local dates (any staff: one fair pick per start time)")
def list_slots(caller: Caller, query: StaffSlotsQuery) -> Any:
    return service.find(caller.business_id, service_id=query.service_id, staff_id=query.staff_id,
                        location_id=query.location_id, start_date=query.from_, end_date=query.to, tz=query.tz,
                        public=False, exclude_appointment=query.exclude_appointment_id)


@endpoint(bp, "/availability/next", "GET", query=NextQuery, tag="availability", response=NextSlot,
          summary="The earliest bookable slot for a service (optionally a staff member)")
def next_slot(caller: Caller, query: NextQuery) -> Any:
    return service.earliest(caller.business_id, service_id=query.service_id, staff_id=query.staff_id,
                            location_id=query.location_id, tz=query.tz, public=False)


@endpoint(bp, "/availability/check", "POST", body=CheckBody, tag="availability", response=Check,
          summary="Whether this exact start time is bookable, and if not, why")
def check_slot(caller: Caller, body: CheckBody) -> Any:
    return service.check(caller.business_id, service_id=body.service_id, staff_id=body.staff_id,
                         location_id=body.location_id, start_at=body.start_at, public=False)
