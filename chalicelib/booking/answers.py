"""What the public booking pages answer (see ``core.answer``): only what a customer may see."""
from __future__ import annotations

from uuid import UUID

from chalicelib.appointments.routes import PublicAppointment
from chalicelib.business.routes import ContactAnswer
from chalicelib.core.answer import Answer, Timestamp
from chalicelib.locations.routes import Opening
from chalicelib.services.routes import PublicService


class PublicPolicy(Answer):
    slot_interval_min: int
    min_notice_min: int
    max_advance_days: int
    cancel_cutoff_min: int
    reschedule_cutoff_min: int
    auto_confirm: bool


class PublicBusiness(Answer):
    id: UUID
    name: str
    slug: str
    time_zone: str
    currency: str
    locale: str
    logo_key: str | None
    contact: ContactAnswer
    booking_policy: PublicPolicy


class PublicStaff(Answer):
    id: UUID
    name: str
    bio: str | None
    photo_key: str | None
    location_ids: list[UUID]


class PublicLocation(Answer):
    id: UUID
    name: str
    address: str | None
    phone: str | None
    time_zone: str
    opening_hours: list[Opening] | None  # null: no limit


class Profile(Answer):
    business: PublicBusiness
    services: list[PublicService]
    staff: list[PublicStaff]
    locations: list[PublicLocation]


class Booked(Answer):
    appointment: PublicAppointment
    manage_token: str
    manage_url: str


class Changed(Answer):
    appointment: PublicAppointment


class LinkBusiness(Answer):
    name: str
    slug: str
    time_zone: str
    contact: ContactAnswer


class Named(Answer):
    id: UUID
    name: str | None  # null: no longer there


class LinkLocation(Answer):
    id: UUID
    name: str | None  # null: no longer there
    address: str | None
    time_zone: str | None


class Managed(Answer):
    """A booking behind its manage link, and what its customer may still do."""
    appointment: PublicAppointment
    can_cancel: bool
    can_reschedule: bool
    cancel_until: Timestamp
    reschedule_until: Timestamp
    business_id: UUID
    business: LinkBusiness
    service: Named
    staff: Named
    location: LinkLocation
