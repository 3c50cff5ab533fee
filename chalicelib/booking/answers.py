"""What the public booking pages answer (see ``core.answer``): only what a customer may see."""
from __future__ import annotations

from uuid import UUID

from chalicelib.appointments.routes import PublicAppointment
from chalicelib.business.routes import ContactAnswer, PublicBusiness
from chalicelib.core.answer import Answer, Timestamp
from chalicelib.locations.routes import PublicLocation
from chalicelib.services.routes import PublicService


class PublicStaff(Answer):
    id: UUID
    name: str
    bio: str | None
    photo_key: str | None
    location_ids: list[UUID]


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
