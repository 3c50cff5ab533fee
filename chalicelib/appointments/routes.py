from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from chalice import Blueprint

from chalicelib.appointments import service
from chalicelib.appointments.service import Booking
from chalicelib.core.answer import Answer, Json, Money, Timestamp
from chalicelib.core.endpoint import endpoint
from chalicelib.core.pagination import MAX_LIMIT, PageQuery
from chalicelib.core.security import Caller
from chalicelib.core.validate import Struct, TimeZone, convert, present

bp = Blueprint(__name__)

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType
Instant = Annotated[datetime, msgspec.Meta(tz=True)]
Notes = Annotated[str, msgspec.Meta(max_length=2000)]
Reason = Annotated[str, msgspec.Meta(max_length=500)]
Version = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Status = Literal["pending", "confirmed", "completed", "no_show", "cancelled"]


class NewAppointment(Struct, kw_only=True):
    service_id: UUID
    customer_id: UUID
    start_at: Instant
    staff_id: UUID | None = None
    location_id: UUID | None = None
    notes: Notes | None = None
    internal_notes: Notes | None = None


class NewSeries(NewAppointment, kw_only=True):
    every_weeks: Annotated[int, msgspec.Meta(ge=1, le=12)] = 1
    count: Annotated[int, msgspec.Meta(ge=2, le=service.MAX_SERIES)]


class AppointmentEdit(Struct, kw_only=True):
    notes: Notes | None | Unset = UNSET
    internal_notes: Notes | None | Unset = UNSET
    version: Version


class Move(Struct, kw_only=True):
    start_at: Instant
    staff_id: UUID | None = None
    location_id: UUID | None = None
    version: Version | None = None


class Cancellation(Struct, kw_only=True):
    reason: Reason | None = None
    scope: Literal["this", "following"] = "this"
    version: Version | None = None


class StatusChange(Struct, kw_only=True):
    version: Version | None = None


class ListQuery(Struct, kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date
    tz: TimeZone | None = None
    staff_id: UUID | None = None
    location_id: UUID | None = None
    customer_id: UUID | None = None
    status: Annotated[str, msgspec.Meta(pattern=r"^[a-z_]+(,[a-z_]+)*$")] | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_LIMIT)] = 50
    cursor: str | None = None


class _OneStatus(Struct, kw_only=True):
    status: Status


class PublicAppointment(Answer):
    """An appointment as its customer may see it."""
    id: UUID
    status: Status
    start_at: Timestamp
    end_at: Timestamp
    service_id: UUID
    staff_id: UUID
    location_id: UUID
    customer_id: UUID
    series_id: UUID | None
    price: Money
    notes: str | None
    source: Literal["staff", "online"]
    cancel_reason: str | None
    cancelled_by: Literal["business", "customer"] | None
    cancelled_at: Timestamp | None
    version: int
    created_at: Timestamp
    updated_at: Timestamp


class Appointment(PublicAppointment):
    """An appointment as the business's members see it."""
    internal_notes: str | None


class CustomerBrief(Answer):
    id: UUID
    name: str
    email: str | None
    phone: str | None


class NamedAppointment(Appointment):
    customer: CustomerBrief | None


class Cancelled(Appointment):
    # With `scope: following` in a series: every appointment this cancelled, this one included.
    cancelled: list[UUID] | Unset = UNSET


class AppointmentPage(Answer):
    items: list[NamedAppointment]
    next_cursor: str | None


class CustomerAppointmentPage(Answer):
    items: list[Appointment]
    next_cursor: str | None


class Skipped(Answer):
    start_at: Timestamp
    reason: str
    message: str


class Series(Answer):
    series_id: UUID
    booked: list[Appointment]
    skipped: list[Skipped]


class Actor(Answer):
    type: Literal["user", "customer", "system"]
    id: UUID | None


class Change(Answer):
    action: str
    actor: Actor
    at: Timestamp
    before: Json | None  # the changed fields' values before and after (null: the appointment was created)
    after: Json | None


class History(Answer):
    items: list[Change]


def _status_list(value: str | None) -> list[str] | None:
    """``?status=pending,confirmed``: each one checked like a field of its own."""
    return None if value is None else [convert({"status": s}, _OneStatus).status for s in value.split(",")]


def _booking(body: NewAppointment) -> Booking:
    return Booking(service_id=body.service_id, start_at=body.start_at, staff_id=body.staff_id,
                   location_id=body.location_id, notes=body.notes, internal_notes=body.internal_notes)


@endpoint(bp, "/appointments", "GET", query=ListQuery, tag="appointments", response=AppointmentPage,
          summary="Appointments starting between two local dates, by staff, location, status or customer")
def list_appointments(caller: Caller, query: ListQuery) -> Any:
    return service.list_range(caller, start_date=query.from_, end_date=query.to, tz=query.tz, staff_id=query.staff_id,
                              location_id=query.location_id, customer_id=query.customer_id,
                              statuses=_status_list(query.status), limit=query.limit, cursor=query.cursor)


@endpoint(bp, "/appointments", "POST", body=NewAppointment, status=201, idempotent=True, tag="appointments",
          errors=(409,), response=Appointment,
          summary="Book on behalf of a customer (the whole availability rule applies)")
def create_appointment(caller: Caller, body: NewAppointment) -> Any:
    return service.book(caller, _booking(body), customer_id=body.customer_id)


@endpoint(bp, "/appointments/recurring", "POST", body=NewSeries, status=201, idempotent=True, tag="appointments",
          response=Series,
          summary="A weekly (or every N weeks) series: books what fits, reports what did not and why")
def create_series(caller: Caller, body: NewSeries) -> Any:
    return service.book_series(caller, _booking(body), customer_id=body.customer_id, every_weeks=body.every_weeks,
                               count=body.count)


@endpoint(bp, "/appointments/{appointment_id}", "GET", tag="appointments", response=NamedAppointment,
          summary="One appointment")
def get_appointment(caller: Caller, appointment_id: UUID) -> Any:
    return service.get(caller, appointment_id)


@endpoint(bp, "/appointments/{appointment_id}", "PATCH", body=AppointmentEdit, tag="appointments", errors=(409,),
          response=Appointment,
          summary="Edit notes (optimistic `version`: a stale one is 409)")
def edit_appointment(caller: Caller, appointment_id: UUID, body: AppointmentEdit) -> Any:
    changes = present(body)
    changes.pop("version")
    return service.edit(caller, appointment_id, changes, version=body.version)


@endpoint(bp, "/appointments/{appointment_id}/reschedule", "POST", body=Move, tag="appointments", errors=(409,),
          response=Appointment,
          summary="Move to a new time or staff member (same id; availability re-checked)")
def reschedule_appointment(caller: Caller, appointment_id: UUID, body: Move) -> Any:
    return service.reschedule(caller, appointment_id, start_at=body.start_at, staff_id=body.staff_id,
                              location_id=body.location_id, version=body.version)


@endpoint(bp, "/appointments/{appointment_id}/cancel", "POST", body=Cancellation, tag="appointments",
          errors=(409,), response=Cancelled,
          summary="Cancel (`scope: following` also cancels the later occurrences of its series)")
def cancel_appointment(caller: Caller, appointment_id: UUID, body: Cancellation) -> Any:
    return service.change_status(caller, appointment_id, "cancel", version=body.version, reason=body.reason,
                                 following=body.scope == "following")


@endpoint(bp, "/appointments/{appointment_id}/confirm", "POST", body=StatusChange, tag="appointments",
          errors=(409,), response=Appointment, summary="Confirm a pending booking")
def confirm_appointment(caller: Caller, appointment_id: UUID, body: StatusChange) -> Any:
    return service.change_status(caller, appointment_id, "confirm", version=body.version)


@endpoint(bp, "/appointments/{appointment_id}/complete", "POST", body=StatusChange, tag="appointments",
          errors=(409,), response=Appointment, summary="Mark a confirmed appointment done")
def complete_appointment(caller: Caller, appointment_id: UUID, body: StatusChange) -> Any:
    return service.change_status(caller, appointment_id, "complete", version=body.version)


@endpoint(bp, "/appointments/{appointment_id}/no-show", "POST", body=StatusChange, tag="appointments",
          errors=(409,), response=Appointment, summary="Mark a confirmed appointment a no-show")
def mark_no_show(caller: Caller, appointment_id: UUID, body: StatusChange) -> Any:
    return service.change_status(caller, appointment_id, "no_show", version=body.version)


@endpoint(bp, "/appointments/{appointment_id}/history", "GET", tag="appointments", response=History,
          summary="Every change of an appointment: who, when, before and after")
def appointment_history(caller: Caller, appointment_id: UUID) -> Any:
    return service.history(caller, appointment_id)


@endpoint(bp, "/customers/{customer_id}/appointments", "GET", query=PageQuery, tag="customers",
          response=CustomerAppointmentPage,
          summary="A customer's appointments, latest first (upcoming, then history)")
def customer_appointments(caller: Caller, customer_id: UUID, query: PageQuery) -> Any:
    return service.of_customer(caller, customer_id, limit=query.limit, cursor=query.cursor)
