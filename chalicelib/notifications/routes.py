from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from chalice import Blueprint

from chalicelib.core.answer import Answer, Timestamp
from chalicelib.core.endpoint import endpoint
from chalicelib.core.security import Caller
from chalicelib.core.validate import Email, Struct, present
from chalicelib.notifications import preferences, templates

bp = Blueprint(__name__)

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType
Version = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
# Minutes before the start: from 15 minutes to 14 days.
Offset = Annotated[int, msgspec.Meta(ge=15, le=60 * 24 * 14)]
OneLine = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")]


class NotificationSettingsUpdate(Struct):
    email_enabled: bool | Unset = UNSET
    whatsapp_enabled: bool | Unset = UNSET
    whatsapp_phone_number_id: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{5,32}$")] | None | Unset = UNSET
    # Write-only: stored in Secrets Manager, never returned.
    whatsapp_access_token: Annotated[str, msgspec.Meta(pattern=r"^[!-~]{20,2048}$")] | Unset = UNSET
    reminder_offsets_min: Annotated[list[Offset], msgspec.Meta(max_length=5)] | Unset = UNSET
    sender_name: OneLine | None | Unset = UNSET
    reply_to: Email | None | Unset = UNSET
    version: Version | None = None


class NotificationTemplateUpdate(Struct):
    # E-mail templates take subject and body; WhatsApp ones name, language and parameters.
    subject: Annotated[str, msgspec.Meta(max_length=templates.SUBJECT_MAX)] | Unset = UNSET
    body: Annotated[str, msgspec.Meta(max_length=templates.BODY_MAX)] | Unset = UNSET
    name: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9_]{1,512}$")] | Unset = UNSET
    language: Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")] | Unset = UNSET
    parameters: Annotated[list[str], msgspec.Meta(max_length=templates.PARAMETERS_MAX)] | Unset = UNSET
    version: Version | None = None


class NotificationSettings(Answer):
    email_enabled: bool
    whatsapp_enabled: bool
    whatsapp_phone_number_id: str | None
    whatsapp_access_token_set: bool  # the token itself is write-only
    reminder_offsets_min: list[int]
    sender_name: str | None
    reply_to: str | None
    version: int
    updated_at: Timestamp | None  # null: never changed


class TemplateContent(Answer):
    """An e-mail template's subject and body, or a WhatsApp template's name, language and parameters."""
    subject: str | Unset = UNSET
    body: str | Unset = UNSET
    name: str | Unset = UNSET
    language: str | Unset = UNSET
    parameters: list[str] | Unset = UNSET


class NotificationTemplate(Answer):
    key: str  # "<message>.<channel>"
    message: str
    channel: Literal["email", "whatsapp"]
    audience: Literal["customer", "staff"]
    custom: bool  # false: the default wording
    content: TemplateContent
    placeholders: list[str]
    version: int | None  # null: the default wording
    updated_at: Timestamp | None


class NotificationTemplates(Answer):
    items: list[NotificationTemplate]
    next_cursor: str | None


def _without_version(body: Struct) -> dict[str, Any]:
    changes = present(body)
    changes.pop("version", None)
    return changes


@endpoint(bp, "/notifications/settings", "GET", tag="notifications", response=NotificationSettings,
          summary="Channels (e-mail, WhatsApp), reminder offsets and sender details")
def get_notification_settings(caller: Caller) -> Any:
    return preferences.read(caller.business_id)


@endpoint(bp, "/notifications/settings", "PUT", body=NotificationSettingsUpdate, role="admin", tag="notifications",
          errors=(409, 503), response=NotificationSettings,
          summary="Change notification settings (absent fields stay; the WhatsApp access token is write-only)")
def update_notification_settings(caller: Caller, body: NotificationSettingsUpdate) -> Any:
    return preferences.update(caller, _without_version(body), version=body.version)


@endpoint(bp, "/notifications/templates", "GET", tag="notifications", response=NotificationTemplates,
          summary="Every message on every channel: the business's own wording or the default")
def list_notification_templates(caller: Caller) -> Any:
    return templates.list_templates(caller.business_id)


@endpoint(bp, "/notifications/templates/{template_key}", "PUT", body=NotificationTemplateUpdate, role="admin",
          tag="notifications", errors=(409,), response=NotificationTemplate,
          summary="Customise one template, e.g. booking_confirmed.email (placeholders checked; optional `version`)")
def put_notification_template(caller: Caller, template_key: str, body: NotificationTemplateUpdate) -> Any:
    return templates.put_template(caller, template_key, _without_version(body), version=body.version)


@endpoint(bp, "/notifications/templates/{template_key}", "DELETE", role="admin", status=204, tag="notifications",
          summary="Go back to the default wording of one template")
def reset_notification_template(caller: Caller, template_key: str) -> None:
    templates.reset_template(caller, template_key)
