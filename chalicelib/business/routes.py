from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from chalice import Blueprint

from chalicelib.business import service
from chalicelib.core.answer import Answer, Timestamp, UploadForm
from chalicelib.core.endpoint import endpoint
from chalicelib.core.pagination import PageQuery
from chalicelib.core.security import Caller
from chalicelib.core.validate import Currency, Email, Name, Slug, Struct, TimeZone, present

bp = Blueprint(__name__)

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType
Minutes = Annotated[int, msgspec.Meta(ge=0, le=60 * 24 * 90)]
Text = Annotated[str, msgspec.Meta(max_length=300)]


class Contact(Struct):
    email: Email | None | Unset = UNSET
    phone: Annotated[str, msgspec.Meta(pattern=r"^\+?[0-9 ()./-]{5,32}$")] | None | Unset = UNSET
    website: Annotated[str, msgspec.Meta(pattern=r"^https?://\S{3,200}$")] | None | Unset = UNSET
    address: Text | None | Unset = UNSET


class BookingPolicy(Struct):
    slot_interval_min: Annotated[int, msgspec.Meta(ge=5, le=240)] | Unset = UNSET
    min_notice_min: Minutes | Unset = UNSET
    max_advance_days: Annotated[int, msgspec.Meta(ge=1, le=730)] | Unset = UNSET
    cancel_cutoff_min: Minutes | Unset = UNSET
    reschedule_cutoff_min: Minutes | Unset = UNSET
    buffer_before_min: Annotated[int, msgspec.Meta(ge=0, le=240)] | Unset = UNSET
    buffer_after_min: Annotated[int, msgspec.Meta(ge=0, le=240)] | Unset = UNSET
    auto_confirm: bool | Unset = UNSET


class BusinessUpdate(Struct):
    name: Name | Unset = UNSET
    slug: Slug | Unset = UNSET
    time_zone: TimeZone | Unset = UNSET
    currency: Currency | Unset = UNSET
    locale: Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] | Unset = UNSET
    contact: Contact | Unset = UNSET
    booking_policy: BookingPolicy | Unset = UNSET
    version: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)] | None = None


class LogoUpload(Struct):
    content_type: Literal["image/png", "image/jpeg", "image/webp"]


class Invitation(Struct):
    email: Email
    role: Literal["owner", "admin", "staff"]


class RoleChange(Struct):
    role: Literal["owner", "admin", "staff"]


Role = Literal["owner", "admin", "staff"]


class ContactAnswer(Answer):
    email: str | None
    phone: str | None
    website: str | None
    address: str | None


class PublicPolicy(Answer):
    """The booking policy as a customer's page shows it."""
    slot_interval_min: int
    min_notice_min: int
    max_advance_days: int
    cancel_cutoff_min: int
    reschedule_cutoff_min: int
    auto_confirm: bool


class BookingPolicyAnswer(PublicPolicy):
    buffer_before_min: int
    buffer_after_min: int


class PublicBusiness(Answer):
    """A business as its public page shows it."""
    id: UUID
    name: str
    slug: str
    time_zone: str
    currency: str
    locale: str
    contact: ContactAnswer
    logo_key: str | None
    booking_policy: PublicPolicy


class Business(PublicBusiness):
    booking_policy: BookingPolicyAnswer
    plan: Literal["trial", "basic", "pro", "enterprise"]
    status: Literal["active", "suspended", "expired"]
    trial_ends_at: Timestamp | None
    version: int
    created_at: Timestamp
    updated_at: Timestamp


class Member(Answer):
    user_id: UUID
    email: str
    name: str
    role: Role
    email_verified: bool
    joined_at: Timestamp


class OpenInvitation(Answer):
    id: UUID
    email: str
    role: Role
    created_at: Timestamp
    expires_at: Timestamp


class Team(Answer):
    items: list[Member]
    next_cursor: str | None
    invitations: list[OpenInvitation]


def _changes(body: BusinessUpdate) -> dict[str, Any]:
    changes = present(body)
    changes.pop("version", None)
    for nested in ("contact", "booking_policy"):
        if nested in changes:
            changes[nested] = present(changes[nested])
    return changes


@endpoint(bp, "/business", "GET", tag="business", errors=(404,), response=Business,
          summary="The tenant's profile and booking policy")
def get_business(caller: Caller) -> Any:
    return service.read(caller.business_id)


@endpoint(bp, "/business", "PATCH", body=BusinessUpdate, role="admin", tag="business", errors=(409,),
          response=Business,
          summary="Update name, slug, time zone, currency, contact and booking policy (optional `version`)")
def update_business(caller: Caller, body: BusinessUpdate) -> Any:
    return service.update(caller.business_id, _changes(body), expected_version=body.version)


@endpoint(bp, "/business/logo", "POST", body=LogoUpload, role="admin", status=201, tag="business",
          response=UploadForm,
          summary="A presigned S3 POST to upload the logo (PNG, JPEG or WebP, up to 2 MiB)")
def upload_logo(caller: Caller, body: LogoUpload) -> Any:
    return service.logo_upload(caller.business_id, body.content_type)


@endpoint(bp, "/business/users", "GET", query=PageQuery, role="admin", tag="business", response=Team,
          summary="Team members (paginated) and pending invitations")
def list_team(caller: Caller, query: PageQuery) -> Any:
    return service.team(caller.business_id, limit=query.limit, cursor=query.cursor)


@endpoint(bp, "/business/users/invitations", "POST", body=Invitation, role="admin", status=201, idempotent=True,
          tag="business", errors=(409,), response=OpenInvitation,
          summary="Invite someone with a role (e-mail with a link)")
def invite_member(caller: Caller, body: Invitation) -> Any:
    return service.invite(caller, body.email, body.role)


@endpoint(bp, "/business/users/{user_id}", "PATCH", body=RoleChange, role="admin", tag="business", errors=(409,),
          response=Member,
          summary="Change a member's role (owners alone touch owners; the last owner stays)")
def change_member_role(caller: Caller, user_id: UUID, body: RoleChange) -> Any:
    return service.change_role(caller, user_id, body.role)


@endpoint(bp, "/business/users/{user_id}", "DELETE", role="admin", status=204, tag="business", errors=(409,),
          summary="Remove a member (not the last owner)")
def remove_member(caller: Caller, user_id: UUID) -> None:
    service.remove_member(caller, user_id)
