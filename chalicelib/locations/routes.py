from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from chalice import Blueprint

from chalicelib.core.answer import Answer, Timestamp
from chalicelib.core.endpoint import endpoint
from chalicelib.core.pagination import PageQuery
from chalicelib.core.security import Caller
from chalicelib.core.validate import Name, Struct, TimeZone
from chalicelib.locations import service

bp = Blueprint(__name__)

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType
Address = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
Phone = Annotated[str, msgspec.Meta(pattern=r"^\+?[0-9 ()./-]{5,32}$")]
ClockTime = Annotated[str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="HH:MM")]


class OpeningHours(Struct):
    weekday: Annotated[int, msgspec.Meta(ge=1, le=7, description="ISO weekday, Monday 1")]
    opens: ClockTime
    closes: ClockTime


# Seven days of a few openings each is plenty; the cap keeps one body from storing a novel.
Hours = Annotated[list[OpeningHours], msgspec.Meta(max_length=70)]


class NewLocation(Struct):
    name: Name
    address: Address | None = None
    phone: Phone | None = None
    time_zone: TimeZone | None = None
    opening_hours: Hours | None = None


class LocationUpdate(Struct):
    name: Name | Unset = UNSET
    address: Address | None | Unset = UNSET
    phone: Phone | None | Unset = UNSET
    time_zone: TimeZone | Unset = UNSET
    opening_hours: Hours | None | Unset = UNSET
    version: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)] | None = None


class LocationListQuery(PageQuery):
    include_archived: bool = False


class Opening(Answer):
    weekday: int  # ISO weekday, Monday 1
    opens: str  # HH:MM
    closes: str


class PublicLocation(Answer):
    """A location as a customer sees it."""
    id: UUID
    name: str
    address: str | None
    phone: str | None
    time_zone: str
    opening_hours: list[Opening] | None  # null: no limit


class Location(PublicLocation):
    archived: bool
    archived_at: Timestamp | None
    version: int
    created_at: Timestamp
    updated_at: Timestamp


class LocationPage(Answer):
    items: list[Location]
    next_cursor: str | None


def _fields(body: msgspec.Struct) -> dict[str, Any]:
    """The fields the body carried, nested structs as dicts (``UNSET`` ones left out)."""
    fields = msgspec.to_builtins(body, enc_hook=str)  # enc_hook: the domain str types (Name, TimeZone)
    fields.pop("version", None)
    return fields


@endpoint(bp, "/locations", "GET", query=LocationListQuery, tag="locations", response=LocationPage,
          summary="Locations, oldest first (paginated); archived ones with `include_archived=true`")
def list_locations(caller: Caller, query: LocationListQuery) -> Any:
    return service.listing(caller.business_id, limit=query.limit, cursor=query.cursor,
                           include_archived=query.include_archived)


@endpoint(bp, "/locations", "POST", body=NewLocation, role="admin", status=201, tag="locations", response=Location,
          summary="Create a location (time zone defaults to the business's; opening hours null = no limit)")
def create_location(caller: Caller, body: NewLocation) -> Any:
    return service.create(caller.business_id, _fields(body))


@endpoint(bp, "/locations/{location_id}", "GET", tag="locations", response=Location,
          summary="One location, archived or not")
def get_location(caller: Caller, location_id: UUID) -> Any:
    return service.read(caller.business_id, location_id)


@endpoint(bp, "/locations/{location_id}", "PATCH", body=LocationUpdate, role="admin", tag="locations",
          errors=(409,), response=Location,
          summary="Update a location (optional `version`; an archived one is read-only)")
def update_location(caller: Caller, location_id: UUID, body: LocationUpdate) -> Any:
    return service.update(caller.business_id, location_id, _fields(body), expected_version=body.version)


@endpoint(bp, "/locations/{location_id}", "DELETE", role="admin", status=204, tag="locations",
          summary="Archive a location (it stays readable; archiving again changes nothing)")
def archive_location(caller: Caller, location_id: UUID) -> None:
    service.archive(caller.business_id, location_id)
