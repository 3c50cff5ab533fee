"""Each business's notification settings: which channels it sends on, when reminders go out, and
who the e-mails say they are from.

A business without a row has the defaults (e-mail on, WhatsApp off, reminders 24 h and 2 h
before); its first change writes the row. The WhatsApp access token is write-only: it goes to
Secrets Manager (``integrations.whatsapp``) and the settings only say whether one is stored.
WhatsApp is used only while the plan includes it: a business that enabled it on a trial and then
moved to Basic keeps its settings, but nothing is sent on WhatsApp until it upgrades.

Owns ``notification_settings``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from chalicelib.billing import gate
from chalicelib.core import db
from chalicelib.core.db import Tx
from chalicelib.core.errors import ServiceUnavailable, StaleVersion, ValidationFailed
from chalicelib.core.security import Caller
from chalicelib.integrations import whatsapp
from chalicelib.notifications import reminders

# The settings a change may carry (besides the write-only access token), in column order.
FIELDS = ("email_enabled", "whatsapp_enabled", "whatsapp_phone_number_id", "reminder_offsets_min", "sender_name",
          "reply_to")

_GET = """-- the business's settings (no row: the defaults)
SELECT email_enabled, whatsapp_enabled, whatsapp_phone_number_id, reminder_offsets_min, sender_name, reply_to,
       version, updated_at
  FROM notification_settings WHERE business_id = :bid"""

# The defaults count as version 1, so the first save is version 2 whether or not a row existed.
_SAVE = """-- write the settings whole, bumping the version
INSERT INTO notification_settings AS s (business_id, email_enabled, whatsapp_enabled, whatsapp_phone_number_id,
                                        reminder_offsets_min, sender_name, reply_to, version)
VALUES (:bid, :email_enabled, :whatsapp_enabled, :whatsapp_phone_number_id,
        CAST(:reminder_offsets_min AS integer[]), :sender_name, :reply_to, 2)
ON CONFLICT (business_id) DO UPDATE
   SET email_enabled = EXCLUDED.email_enabled, whatsapp_enabled = EXCLUDED.whatsapp_enabled,
       whatsapp_phone_number_id = EXCLUDED.whatsapp_phone_number_id,
       reminder_offsets_min = EXCLUDED.reminder_offsets_min, sender_name = EXCLUDED.sender_name,
       reply_to = EXCLUDED.reply_to, version = s.version + 1, updated_at = now()
RETURNING email_enabled, whatsapp_enabled, whatsapp_phone_number_id, reminder_offsets_min, sender_name, reply_to,
          version, updated_at"""

_DEFAULT_ROW: dict[str, Any] = {
    "email_enabled": True, "whatsapp_enabled": False, "whatsapp_phone_number_id": None,
    "reminder_offsets_min": list(reminders.DEFAULT_OFFSETS_MIN), "sender_name": None, "reply_to": None,
    "version": 1, "updated_at": None,
}


@dataclass(frozen=True)
class Preferences:
    email_enabled: bool
    whatsapp_enabled: bool  # and the plan includes WhatsApp
    whatsapp_phone_number_id: str | None
    reminder_offsets_min: tuple[int, ...]  # minutes before the start, largest first
    sender_name: str | None
    reply_to: str | None


def _token_set(business_id: UUID) -> bool:
    try:
        return whatsapp.has_access_token(business_id)
    except whatsapp.Unavailable as e:
        raise ServiceUnavailable("The WhatsApp credentials cannot be read right now.") from e


def _row(tx: Tx, business_id: UUID) -> dict[str, Any]:
    return tx.one(_GET, bid=business_id) or dict(_DEFAULT_ROW)


def get(tx: Tx, business_id: UUID, ent: gate.Entitlements | None = None) -> Preferences:
    """The settings that apply now (for the worker and the reminder sweep's messages); ``ent``: the
    business's entitlements when the caller has read them already."""
    row = _row(tx, business_id)
    ent = ent or gate.entitlements(tx, business_id)
    return Preferences(
        email_enabled=row["email_enabled"],
        whatsapp_enabled=row["whatsapp_enabled"] and ent.features["whatsapp"],
        whatsapp_phone_number_id=row["whatsapp_phone_number_id"],
        reminder_offsets_min=tuple(row["reminder_offsets_min"]),
        sender_name=row["sender_name"],
        reply_to=row["reply_to"],
    )


def settings_json(row: dict[str, Any], *, whatsapp_allowed: bool, token_set: bool) -> dict[str, Any]:
    return {
        "email_enabled": row["email_enabled"],
        "whatsapp_enabled": row["whatsapp_enabled"] and whatsapp_allowed,
        "whatsapp_phone_number_id": row["whatsapp_phone_number_id"],
        "whatsapp_access_token_set": token_set,
        "reminder_offsets_min": list(row["reminder_offsets_min"]),
        "sender_name": row["sender_name"],
        "reply_to": row["reply_to"],
        "version": row["version"],
        "updated_at": row["updated_at"].isoformat() if row["updated_at"] else None,
    }


def read(business_id: UUID) -> dict[str, Any]:
    with db.tenant_tx(business_id) as tx:
        row = _row(tx, business_id)
        allowed = gate.allows(tx, business_id, "whatsapp")
    return settings_json(row, whatsapp_allowed=allowed, token_set=_token_set(business_id))


def update(caller: Caller, changes: dict[str, Any], *, version: int | None) -> dict[str, Any]:
    """Apply a partial change (``changes`` in API shape: absent fields stay as they are).

    Turning WhatsApp on needs the plan feature, a phone number id and a stored access token (sent
    now or before). New reminder offsets re-arm the reminders of every upcoming appointment in the
    same transaction."""
    business_id = caller.business_id
    changes = dict(changes)
    token = changes.pop("whatsapp_access_token", None)
    if "reminder_offsets_min" in changes:
        offsets = changes["reminder_offsets_min"]
        if len(set(offsets)) != len(offsets):
            raise ValidationFailed({"reminder_offsets_min": "give each offset once"})
        changes["reminder_offsets_min"] = sorted(offsets, reverse=True)
    # One change at a time per business: each reads the row (or the defaults) the other wrote.
    with db.tenant_tx(business_id, lock=f"notification_settings:{business_id}") as tx:
        current = _row(tx, business_id)
        if version is not None and version != current["version"]:
            raise StaleVersion("notification settings")
        merged = {**current, **changes}
        turning_on = changes.get("whatsapp_enabled") is True
        ent = gate.entitlements(tx, business_id)
        allowed = ent.features["whatsapp"]
        if turning_on and not allowed:
            raise gate.feature_refusal(ent, "whatsapp")
        if merged["whatsapp_enabled"] and not merged["whatsapp_phone_number_id"]:
            raise ValidationFailed({"whatsapp_phone_number_id": "required while WhatsApp is enabled"})
        token_set = token is not None or _token_set(business_id)
        if turning_on and not token_set:
            raise ValidationFailed({"whatsapp_access_token": "required to enable WhatsApp (stored, never shown)"})
        if token is not None:
            whatsapp.store_access_token(business_id, token)
        saved = tx.one(_SAVE, bid=business_id, **{field: merged[field] for field in FIELDS})
        if "reminder_offsets_min" in changes:
            reminders.rearm_business(tx, business_id)
    return settings_json(saved, whatsapp_allowed=allowed, token_set=token_set)
