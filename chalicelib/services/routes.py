from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from chalice import Blueprint

from chalicelib.core.answer import Answer, Money, Timestamp
from chalicelib.core.endpoint import endpoint
from chalicelib.core.pagination import PageQuery
from chalicelib.core.security import Caller
from chalicelib.core.validate import Currency, Name, Struct
from chalicelib.services import service

bp = Blueprint(__name__)

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType
Duration = Annotated[int, msgspec.Meta(ge=5, le=1440, description="minutes")]
Buffer = Annotated[int, msgspec.Meta(ge=0, le=240, description="minutes; null: the business's default")]
Capacity = Annotated[int, msgspec.Meta(ge=1, le=500, description="seats; more than one makes a group session")]
Color = Annotated[str, msgspec.Meta(pattern=r"^#[0-9A-Fa-f]{6}$", description="#rrggbb")]
Description = Annotated[str, msgspec.Meta(max_length=2000)]


class ServicePrice(Struct):
    amount: Annotated[int, msgspec.Meta(ge=0, le=1_000_000_000, description="minor units")]
    currency: Currency | Unset = UNSET


class NewService(Struct):
    name: Name
    duration_min: Duration
    price: ServicePrice
    description: Description | None = None
    category: Name | None = None
    color: Color | None = None
    buffer_before_min: Buffer | None = None
    buffer_after_min: Buffer | None = None
    capacity: Capacity = 1
    active: bool = True
    bookable_online: bool = True
    requires_confirmation: bool = False
    intake_form_id: UUID | None = None


class ServiceUpdate(Struct):
    name: Name | Unset = UNSET
    duration_min: Duration | Unset = UNSET
    price: ServicePrice | Unset = UNSET
    description: Description | None | Unset = UNSET
    category: Name | None | Unset = UNSET
    color: Color | None | Unset = UNSET
    buffer_before_min: Buffer | None | Unset = UNSET
    buffer_after_min: Buffer | None | Unset = UNSET
    capacity: Capacity | Unset = UNSET
    active: bool | Unset = UNSET
    bookable_online: bool | Unset = UNSET
    requires_confirmation: bool | Unset = UNSET
    intake_form_id: UUID | None | Unset = UNSET
    version: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)] | None = None


class ServicePerformer(Struct):
    staff_id: UUID
    duration_min: Duration | None = None
    price: ServicePrice | None = None


class ServiceStaff(Struct):
    staff: Annotated[list[ServicePerformer], msgspec.Meta(max_length=200)]


class ServiceListQuery(PageQuery):
    active: bool | None = None
    category: Annotated[str, msgspec.Meta(max_length=120)] | None = None
    include_archived: bool = False


class Performer(Answer):
    staff_id: UUID
    duration_min: int | None  # null: the service's own
    price: Money | None  # null: the service's own


class PublicService(Answer):
    """A service as a customer sees it."""
    id: UUID
    name: str
    description: str | None
    category: str | None
    color: str | None
    duration_min: int
    price: Money
    capacity: int
    requires_confirmation: bool
    staff: list[Performer]


class Service(PublicService):
    """A service as the business sees it: what customers see, and how it is run."""
    buffer_before_min: int | None  # null: the business's default
    buffer_after_min: int | None
    active: bool
    bookable_online: bool
    intake_form_id: UUID | None
    archived: bool
    archived_at: Timestamp | None
    version: int
    created_at: Timestamp
    updated_at: Timestamp


class ServicePage(Answer):
    items: list[Service]
    next_cursor: str | None


def _fields(body: msgspec.Struct) -> dict[str, Any]:
    """The fields the body carried, nested structs as dicts (``UNSET`` ones left out)."""
    # UUIDs stay UUIDs; enc_hook turns the domain str types (Name, Currency) into plain strings.
    fields = msgspec.to_builtins(body, builtin_types=(UUID,), enc_hook=str)
    fields.pop("version", None)
    return fields


@endpoint(bp, "/services", "GET", query=ServiceListQuery, tag="services", response=ServicePage,
          summary="The catalogue, oldest first (paginated); filters `active`, `category`, `include_archived`")
def list_services(caller: Caller, query: ServiceListQuery) -> Any:
    return service.listing(caller.business_id, limit=query.limit, cursor=query.cursor, active=query.active,
                           category=query.category, include_archived=query.include_archived)


@endpoint(bp, "/services", "POST", body=NewService, role="admin", status=201, tag="services", response=Service,
          summary="Create a service (price in the business's currency)")
def create_service(caller: Caller, body: NewService) -> Any:
    return service.create(caller.business_id, _fields(body))


@endpoint(bp, "/services/{service_id}", "GET", tag="services", response=Service,
          summary="One service with its performers, archived or not")
def get_service(caller: Caller, service_id: UUID) -> Any:
    return service.read(caller.business_id, service_id)


@endpoint(bp, "/services/{service_id}", "PATCH", body=ServiceUpdate, role="admin", tag="services", errors=(409,),
          response=Service,
          summary="Update a service (optional `version`; an archived one is read-only)")
def update_service(caller: Caller, service_id: UUID, body: ServiceUpdate) -> Any:
    return service.update(caller.business_id, service_id, _fields(body), expected_version=body.version)


@endpoint(bp, "/services/{service_id}", "DELETE", role="admin", status=204, tag="services",
          summary="Archive a service: no longer bookable, its appointments keep their history")
def archive_service(caller: Caller, service_id: UUID) -> None:
    service.archive(caller.business_id, service_id)


@endpoint(bp, "/services/{service_id}/staff", "PUT", body=ServiceStaff, role="admin", tag="services",
          errors=(409,), response=Service,
          summary="Replace who performs the service (per-staff duration and price overrides)")
def set_service_staff(caller: Caller, service_id: UUID, body: ServiceStaff) -> Any:
    return service.assign_staff(caller.business_id, service_id, _fields(body)["staff"])
