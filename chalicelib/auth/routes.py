from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from chalice import Blueprint

from chalicelib.auth import service
from chalicelib.business.routes import Business, Role
from chalicelib.core import rate_limit
from chalicelib.core.answer import Answer
from chalicelib.core.endpoint import endpoint
from chalicelib.core.security import Caller, MAX_PASSWORD_LENGTH
from chalicelib.core.validate import Currency, Email, Name, Slug, Struct, TimeZone

bp = Blueprint(__name__)

Password = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_PASSWORD_LENGTH)]
Token = Annotated[str, msgspec.Meta(min_length=10, max_length=200)]


class Signup(Struct):
    business_name: Name
    owner_name: Name
    email: Email
    password: Password
    time_zone: TimeZone
    currency: Currency
    slug: Slug | None = None
    locale: Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] = "en"


class Login(Struct):
    email: Email
    password: Password
    business_id: UUID | None = None
    # The device token an earlier log-in from this client answered (a body field, not a cookie: the
    # browser app is on another origin).
    device_token: Token | None = None


class Refresh(Struct):
    refresh_token: Token


class Logout(Struct):
    refresh_token: Token | None = None


class ForgotPassword(Struct):
    email: Email


class ResetPassword(Struct):
    token: Token
    password: Password


class VerifyEmail(Struct):
    token: Token


class AcceptInvitation(Struct):
    token: Token
    password: Password
    name: Name = "New member"


class Tokens(Answer):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    refresh_token: str


class User(Answer):
    id: UUID
    email: str
    name: str
    email_verified: bool


class Session(Tokens):
    user: User
    role: Role
    business_id: UUID


class LoginSession(Session):
    device_token: str  # to present at this client's next log-in (OWASP's device cookie)


class NewBusiness(Session):
    business: Business


class Features(Answer):
    """What the business may use now: its plan, then the platform's overrides and rollouts, as
    ``GET /features`` answers them (``null``: no limit; messages are WhatsApp messages)."""
    max_staff: int | None
    max_locations: int | None
    max_bookings_per_month: int | None
    max_messages_per_month: int | None
    whatsapp: bool
    google_calendar: bool
    campaigns: bool
    intake_forms: bool
    analytics: bool
    custom_templates: bool
    reviews: bool
    waitlist: bool
    api_access: bool
    data_export: bool


class Me(Answer):
    user: User
    role: Role
    business: Business
    plan: str
    features: Features
    # shows the platform console's link; every /admin request is checked again
    platform_operator: bool


class ResetRequested(Answer):
    status: Literal["sent_if_registered"]


@endpoint(bp, "/auth/signup", "POST", body=Signup, public=True, status=201, tag="auth", errors=(409, 429),
          response=NewBusiness,
          summary="Create a business (tenant) and its owner; answer a session (10 an hour per client address)")
def signup(body: Signup) -> Any:
    return service.signup(business_name=body.business_name, owner_name=body.owner_name, email_address=body.email,
                          password=body.password, time_zone=body.time_zone, currency=body.currency,
                          client=rate_limit.client_address(bp.current_request), slug=body.slug, locale=body.locale)


@endpoint(bp, "/auth/login", "POST", body=Login, public=True, tag="auth", errors=(401, 429),
          response=LoginSession,
          summary="E-mail and password to access and refresh tokens and a device token (throttled after 5 "
                  "failures; with this account's device token, after 10 of that device)")
def login(body: Login) -> Any:
    return service.login(body.email, body.password, client_ip=rate_limit.client_address(bp.current_request),
                         device_token=body.device_token, business_id=body.business_id)


@endpoint(bp, "/auth/refresh", "POST", body=Refresh, public=True, tag="auth", errors=(401,), response=Tokens,
          summary="Rotate a refresh token into a new pair (reusing a spent one revokes its family)")
def refresh(body: Refresh) -> Any:
    return service.refresh(body.refresh_token)


@endpoint(bp, "/auth/logout", "POST", body=Logout, status=204, tag="auth",
          summary="Revoke the refresh token's family (without one: every session here)")
def logout(caller: Caller, body: Logout) -> None:
    service.logout(caller.business_id, caller.user_id, body.refresh_token)


@endpoint(bp, "/auth/password/forgot", "POST", body=ForgotPassword, public=True, status=202, tag="auth",
          errors=(429,), response=ResetRequested,
          summary="E-mail a reset link (the same answer whether or not the address exists; 30 an hour per "
                  "client address)")
def forgot_password(body: ForgotPassword) -> Any:
    service.forgot_password(body.email, client=rate_limit.client_address(bp.current_request))
    return {"status": "sent_if_registered"}


@endpoint(bp, "/auth/password/reset", "POST", body=ResetPassword, public=True, status=204, tag="auth",
          errors=(401,), summary="Set a new password with the e-mailed token; ends every session")
def reset_password(body: ResetPassword) -> None:
    service.reset_password(body.token, body.password)


@endpoint(bp, "/auth/email/verify", "POST", body=VerifyEmail, public=True, status=204, tag="auth",
          errors=(401,), summary="Confirm the e-mail address with the e-mailed token")
def verify_email(body: VerifyEmail) -> None:
    service.verify_email(body.token)


@endpoint(bp, "/auth/invitations/accept", "POST", body=AcceptInvitation, public=True, tag="auth",
          errors=(401, 409), response=Session,
          summary="Accept a team invitation (setting a password); answer a session")
def accept_invitation(body: AcceptInvitation) -> Any:
    return service.accept_invitation(body.token, name=body.name, password=body.password)


@endpoint(bp, "/auth/me", "GET", tag="auth", errors=(404,), response=Me,
          summary="The current user, role, business and effective plan features")
def get_me(caller: Caller) -> Any:
    return service.me(caller.business_id, caller.user_id)
