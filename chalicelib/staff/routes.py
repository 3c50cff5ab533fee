from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from chalice import Blueprint

from chalicelib.core.answer import Answer, Timestamp, UploadForm
from chalicelib.core.endpoint import endpoint
from chalicelib.core.pagination import PageQuery
from chalicelib.core.security import Caller
from chalicelib.core.validate import Email, Name, Struct, TimeZone, present
from chalicelib.staff import service

bp = Blueprint(__name__)

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType
Phone = Annotated[str, msgspec.Meta(pattern=r"^\+?[0-9 ()./-]{5,32}$")]
Bio = Annotated[str, msgspec.Meta(max_length=2000)]
Note = Annotated[str, msgspec.Meta(max_length=500)]
LocationIds = Annotated[list[UUID], msgspec.Meta(max_length=100)]
# Local wall-clock time; 24:00 is not a time, so a shift cannot run past midnight.
Clock = Annotated[str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["09:30"])]
Instant = Annotated[datetime, msgspec.Meta(tz=True)]


class StaffNew(Struct):
    name: Name
    email: Email | None = None
    phone: Phone | None = None
    bio: Bio | None = None
    time_zone: TimeZone | None = None
    location_ids: LocationIds = []
    user_id: UUID | None = None
    bookable: bool = True


class StaffUpdate(Struct):
    name: Name | Unset = UNSET
    email: Email | None | Unset = UNSET
    phone: Phone | None | Unset = UNSET
    bio: Bio | None | Unset = UNSET
    time_zone: TimeZone | None | Unset = UNSET
    location_ids: LocationIds | Unset = UNSET
    user_id: UUID | None | Unset = UNSET
    bookable: bool | Unset = UNSET
    active: bool | Unset = UNSET
    version: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)] | None = None


class StaffQuery(PageQuery):
    location_id: UUID | None = None
    include_inactive: bool = False


class StaffInterval(Struct):
    start: Clock
    end: Clock


class StaffHoursBlock(Struct):
    location_id: UUID
    weekday: Annotated[int, msgspec.Meta(ge=1, le=7, description="ISO weekday, Monday 1")]
    start: Clock
    end: Clock
    breaks: Annotated[list[StaffInterval], msgspec.Meta(max_length=20)] = []


class StaffOverride(Struct):
    date: date
    intervals: Annotated[list[StaffInterval], msgspec.Meta(max_length=20,
                                                           description="no intervals: not working that day")]
    location_id: UUID | None = None


class StaffSchedule(Struct):
    weekly: Annotated[list[StaffHoursBlock], msgspec.Meta(max_length=200)]
    overrides: Annotated[list[StaffOverride], msgspec.Meta(max_length=800)]


class StaffScheduleQuery(Struct):
    since: date | None = msgspec.field(default=None, name="from")


class TimeOffNew(Struct):
    all_day: bool
    start_date: date | None = None
    end_date: date | None = None
    starts_at: Instant | None = None
    ends_at: Instant | None = None
    kind: Literal["holiday", "sickness", "training", "other"] = "other"
    note: Note | None = None


class TimeOffQuery(PageQuery):
    since: date | None = msgspec.field(default=None, name="from")
    until: date | None = msgspec.field(default=None, name="to")


class StaffPhotoUpload(Struct):
    content_type: Literal["image/png", "image/jpeg", "image/webp"]


def _changes(body: StaffUpdate) -> dict[str, Any]:
    changes = present(body)
    changes.pop("version", None)
    return changes


def _plain(items: list[msgspec.Struct]) -> list[dict[str, Any]]:
    """Structs as dicts for the service (dates and ids kept as such)."""
    return msgspec.to_builtins(items, builtin_types=(date, UUID))


class StaffMember(Answer):
    id: UUID
    name: str
    email: str | None
    phone: str | None
    bio: str | None
    time_zone: str | None  # null: the business's
    user_id: UUID | None
    location_ids: list[UUID]
    bookable: bool
    active: bool
    photo_key: str | None
    version: int
    created_at: Timestamp
    updated_at: Timestamp


class StaffPage(Answer):
    items: list[StaffMember]
    next_cursor: str | None


class Span(Answer):
    start: str  # HH:MM
    end: str


class WeeklyHours(Answer):
    location_id: UUID
    weekday: int  # ISO weekday, Monday 1
    start: str  # HH:MM
    end: str
    breaks: list[Span]


class Override(Answer):
    date: date
    location_id: UUID | None
    intervals: list[Span]  # none: not working that day


class Schedule(Answer):
    weekly: list[WeeklyHours]
    overrides: list[Override]


class TimeOff(Answer):
    id: UUID
    staff_id: UUID
    all_day: bool
    starts_at: Timestamp  # in the staff member's time zone
    ends_at: Timestamp
    start_date: date | None  # the local days an all-day entry covers, end inclusive
    end_date: date | None
    kind: Literal["holiday", "sickness", "training", "other"]
    note: str | None
    created_at: Timestamp


class TimeOffPage(Answer):
    items: list[TimeOff]
    next_cursor: str | None


@endpoint(bp, "/staff", "GET", query=StaffQuery, tag="staff", response=StaffPage,
          summary="Staff (paginated), optionally at one location; `include_inactive=true` lists deactivated too")
def list_staff(caller: Caller, query: StaffQuery) -> Any:
    return service.list_staff(caller.business_id, limit=query.limit, cursor=query.cursor,
                              location_id=query.location_id, include_inactive=query.include_inactive)


@endpoint(bp, "/staff", "POST", body=StaffNew, role="admin", status=201, tag="staff", errors=(409,),
          response=StaffMember,
          summary="Add a staff member: profile, locations, an optional linked login, bookable")
def create_staff(caller: Caller, body: StaffNew) -> Any:
    return service.create(caller.business_id, name=body.name, email=body.email, phone=body.phone, bio=body.bio,
                          time_zone=body.time_zone, user_id=body.user_id, bookable=body.bookable,
                          location_ids=body.location_ids)


@endpoint(bp, "/staff/{staff_id}", "GET", tag="staff", response=StaffMember, summary="One staff member")
def get_staff(caller: Caller, staff_id: UUID) -> Any:
    return service.read(caller.business_id, staff_id)


@endpoint(bp, "/staff/{staff_id}", "PATCH", body=StaffUpdate, role="admin", tag="staff", errors=(409,),
          response=StaffMember,
          summary="Update a staff member (optional `version`); `location_ids` replaces the list")
def update_staff(caller: Caller, staff_id: UUID, body: StaffUpdate) -> Any:
    return service.update(caller.business_id, staff_id, _changes(body), expected_version=body.version)


@endpoint(bp, "/staff/{staff_id}", "DELETE", role="admin", status=204, tag="staff",
          summary="Deactivate a staff member (no longer bookable; the profile and its history stay)")
def deactivate_staff(caller: Caller, staff_id: UUID) -> None:
    service.deactivate(caller.business_id, staff_id)


@endpoint(bp, "/staff/{staff_id}/schedule", "GET", query=StaffScheduleQuery, tag="staff", response=Schedule,
          summary="Weekly hours per location with breaks, and dated overrides from today (or `from`) on")
def get_schedule(caller: Caller, staff_id: UUID, query: StaffScheduleQuery) -> Any:
    return service.schedule(caller.business_id, staff_id, since=query.since)


@endpoint(bp, "/staff/{staff_id}/schedule", "PUT", body=StaffSchedule, tag="staff", errors=(403,), response=Schedule,
          summary="Replace the weekly hours and the overrides from today on (admins, or the member themself)")
def replace_schedule(caller: Caller, staff_id: UUID, body: StaffSchedule) -> Any:
    return service.replace_schedule(caller, staff_id, weekly=_plain(body.weekly), overrides=_plain(body.overrides))


@endpoint(bp, "/staff/{staff_id}/time-off", "GET", query=TimeOffQuery, tag="staff", response=TimeOffPage,
          summary="Time off (paginated): what has not ended yet, or what overlaps the local days `from`..`to`")
def list_time_off(caller: Caller, staff_id: UUID, query: TimeOffQuery) -> Any:
    return service.time_off(caller.business_id, staff_id, since=query.since, until=query.until, limit=query.limit,
                            cursor=query.cursor)


@endpoint(bp, "/staff/{staff_id}/time-off", "POST", body=TimeOffNew, status=201, tag="staff", errors=(403,),
          response=TimeOff,
          summary="Add time off: all-day local dates (end inclusive) or a partial range of instants")
def add_time_off(caller: Caller, staff_id: UUID, body: TimeOffNew) -> Any:
    return service.add_time_off(caller, staff_id, all_day=body.all_day, start_date=body.start_date,
                                end_date=body.end_date, starts_at=body.starts_at, ends_at=body.ends_at,
                                kind=body.kind, note=body.note)


@endpoint(bp, "/staff/{staff_id}/time-off/{time_off_id}", "DELETE", status=204, tag="staff", errors=(403,),
          summary="Remove time off (admins, or the member themself)")
def remove_time_off(caller: Caller, staff_id: UUID, time_off_id: UUID) -> None:
    service.remove_time_off(caller, staff_id, time_off_id)


@endpoint(bp, "/staff/{staff_id}/photo", "POST", body=StaffPhotoUpload, role="admin", status=201, tag="staff",
          response=UploadForm,
          summary="A presigned S3 POST to upload the photo (PNG, JPEG or WebP, up to 2 MiB)")
def upload_staff_photo(caller: Caller, staff_id: UUID, body: StaffPhotoUpload) -> Any:
    return service.photo_upload(caller.business_id, staff_id, body.content_type)
