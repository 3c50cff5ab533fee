from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from chalice import Blueprint

from chalicelib.appointments.service import Booking, CustomerDetails
from chalicelib.availability.routes import Slots, SlotsQuery
from chalicelib.booking import service
from chalicelib.booking.answers import Booked, Changed, Managed, Profile
from chalicelib.core import idempotency, rate_limit
from chalicelib.core.endpoint import endpoint
from chalicelib.core.errors import ValidationFailed
from chalicelib.core.validate import Email, Name, Struct, TimeZone
from chalicelib.customers.service import Phone

bp = Blueprint(__name__)

Instant = Annotated[datetime, msgspec.Meta(tz=True)]


class Customer(Struct, kw_only=True):
    name: Name
    email: Email | None = None
    phone: Phone | None = None


class Consent(Struct, kw_only=True):
    terms: bool
    marketing: bool = False


class PublicBooking(Struct, kw_only=True):
    service_id: UUID
    start_at: Instant
    staff_id: UUID | None = None
    location_id: UUID | None = None
    customer: Customer
    consent: Consent
    notes: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class MoveSlotsQuery(Struct, kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date
    tz: TimeZone | None = None


class ManageCancel(Struct, kw_only=True):
    reason: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class ManageMove(Struct, kw_only=True):
    start_at: Instant


def _client() -> str:
    return rate_limit.client_address(bp.current_request)


def _checked(body: PublicBooking) -> tuple[Booking, CustomerDetails]:
    problems = {}
    if body.customer.email is None and body.customer.phone is None:
        problems["customer.email"] = "an e-mail address or a phone number is required"
    if not body.consent.terms:
        problems["consent.terms"] = "the terms must be accepted to book"
    if problems:
        raise ValidationFailed(problems)
    booking = Booking(service_id=body.service_id, start_at=body.start_at, staff_id=body.staff_id,
                      location_id=body.location_id, notes=body.notes)
    customer = CustomerDetails(name=body.customer.name, email=body.customer.email, phone=body.customer.phone,
                               terms_accepted=True, marketing_opt_in=body.consent.marketing)
    return booking, customer


@endpoint(bp, "/public/{slug}", "GET", public=True, tag="public", errors=(429,), response=Profile,
          summary="The business's public page: services, staff, locations and booking policy")
def public_profile(slug: str) -> Any:
    return service.profile(slug, client=_client())


@endpoint(bp, "/public/{slug}/availability", "GET", query=SlotsQuery, public=True, tag="public", errors=(429,),
          response=Slots,
          summary="Bookable slots, as /availability (online-bookable services and bookable staff only)")
def public_slots(slug: str, query: SlotsQuery) -> Any:
    return service.slots(slug, client=_client(), service_id=query.service_id, staff_id=query.staff_id,
                         location_id=query.location_id, start_date=query.from_, end_date=query.to, tz=query.tz)


@endpoint(bp, "/public/{slug}/bookings", "POST", body=PublicBooking, public=True, status=201, tag="public",
          errors=(403, 409, 429), response=Booked,
          summary="Book as a customer (accepts Idempotency-Key); returns a manage token")
def create_public_booking(slug: str, body: PublicBooking) -> Any:
    booking, customer = _checked(body)
    request = bp.current_request
    return service.book(slug, booking, customer, client=_client(),
                        idempotency_key=request.headers.get(idempotency.HEADER),
                        request_hash=idempotency.fingerprint("POST", request.path, request.raw_body))


@endpoint(bp, "/public/bookings/{token}", "GET", public=True, tag="public", errors=(429,), response=Managed,
          summary="The booking behind a manage link, and whether it may still be cancelled or moved")
def managed_booking(token: str) -> Any:
    return service.managed(token, client=_client())


@endpoint(bp, "/public/bookings/{token}/availability", "GET", query=MoveSlotsQuery, public=True, tag="public",
          errors=(429,), response=Slots,
          summary="Times this booking could move to (same service, staff member and place; its own time free)")
def managed_booking_slots(token: str, query: MoveSlotsQuery) -> Any:
    return service.move_slots(token, client=_client(), start_date=query.from_, end_date=query.to, tz=query.tz)


@endpoint(bp, "/public/bookings/{token}/cancel", "POST", body=ManageCancel, public=True, tag="public",
          errors=(409, 429), response=Changed, summary="Cancel inside the business's cut-off")
def cancel_managed_booking(token: str, body: ManageCancel) -> Any:
    return service.cancel(token, client=_client(), reason=body.reason)


@endpoint(bp, "/public/bookings/{token}/reschedule", "POST", body=ManageMove, public=True, tag="public",
          errors=(409, 429), response=Changed,
          summary="Move to another time with the same staff member, inside the cut-off")
def reschedule_managed_booking(token: str, body: ManageMove) -> Any:
    return service.reschedule(token, client=_client(), start_at=body.start_at)
