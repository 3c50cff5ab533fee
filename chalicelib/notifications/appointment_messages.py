"""The messages an appointment event calls for: the customer's (on their channel) and, for a new
booking, the staff member's. What they say is read when they are written, so a message describes
the appointment as it is; one that no longer fits it is dropped (a confirmation of a booking since
cancelled, a reminder for a start that has moved or passed: the move armed reminders for the new
time). Writing a message again (a redelivery) gives the same text and the same manage link."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from chalicelib.appointments import facts as appointment_facts
from chalicelib.appointments import service as appointments
from chalicelib.billing import gate
from chalicelib.core import log
from chalicelib.core.db import Tx
from chalicelib.core.settings import settings
from chalicelib.integrations.email import Attachment
from chalicelib.notifications import calendar_invite, deliveries, local_time, preferences, templates
from chalicelib.notifications.message import Email, Outgoing, WhatsApp

_ACTIVE = ("pending", "confirmed")


def _customer_message(topic: str, facts: dict[str, Any]) -> str | None:
    if topic == "appointment.created":
        return "booking_pending" if facts["status"] == "pending" else "booking_confirmed"
    return {"appointment.confirmed": "booking_confirmed", "appointment.rescheduled": "booking_rescheduled",
            "appointment.cancelled": "booking_cancelled", "appointment.reminder": "reminder"}.get(topic)


def _stale(message: str, payload: dict[str, Any], facts: dict[str, Any]) -> bool:
    """Whether the message no longer fits the appointment (it is written late: a queue backlog, a
    redrive). A booking no longer on gets no confirmation (its cancellation says what is true); a
    reminder goes only for the start it was armed for, and only before it."""
    if message == "booking_cancelled":
        return False
    if facts["status"] not in _ACTIVE:
        return True
    return message == "reminder" and (datetime.fromisoformat(payload["start_at"]) != facts["start_at"]
                                      or facts["start_at"] <= datetime.now(timezone.utc))


@dataclass(frozen=True)
class _Writing:
    """What every message about one outbox row is written from (the plan's answer read once)."""
    tx: Tx
    business_id: UUID
    outbox_id: UUID
    facts: dict[str, Any]
    prefs: preferences.Preferences
    custom_templates: bool


def _values(w: _Writing, message: str) -> dict[str, str]:
    base, facts = settings().app_base_url, w.facts
    if message == "staff_new_booking":
        link = f"{base}/calendar"
    elif message == "booking_cancelled":  # nothing left to manage: the booking page, to book again
        link = f"{base}/book/{facts['business_slug']}"
    else:  # each message carries its own manage link (only its hash is stored)
        token = appointments.add_link(w.tx, w.business_id, facts["id"], message_id=w.outbox_id)
        link = f"{base}/manage-booking?token={token}"
    location = facts["location_name"] + (f", {facts['location_address']}" if facts["location_address"] else "")
    return {"customer_name": facts["customer_name"], "service": facts["service_name"], "staff": facts["staff_name"],
            "location": location, "business_name": facts["business_name"], "manage_link": link,
            "start_time": local_time.format_start(facts["start_at"], facts["time_zone"], facts["business_locale"])}


def _invite(message: str, facts: dict[str, Any], values: dict[str, str]) -> tuple[Attachment, ...]:
    """The calendar entry to add, update or remove: booked and confirmed, moved, or cancelled."""
    if message == "booking_cancelled":
        method = "CANCEL"
    elif message in ("booking_confirmed", "booking_rescheduled") and facts["status"] == "confirmed":
        method = "REQUEST"
    else:
        return ()
    content = calendar_invite.invite(
        method=method, uid=f"{facts['id']}@booking", sequence=facts["version"], start=facts["start_at"],
        end=facts["end_at"], time_zone=facts["time_zone"],
        summary=f"{facts['service_name']} · {facts['business_name']}",
        description=f"With {facts['staff_name']}. Manage your booking: {values['manage_link']}",
        location=values["location"], organizer_name=facts["business_name"],
        organizer_email=facts["business_email"] or settings().email_from,
        attendee_name=templates.unlinkable(facts["customer_name"]), attendee_email=facts["customer_email"],
        stamp=datetime.now(timezone.utc))
    return (Attachment("invite.ics", content, "text", "calendar", {"method": method, "charset": "UTF-8"}),)


def _template(w: _Writing, message: str, channel: str) -> templates.Template:
    return templates.find(w.tx, w.business_id, message, channel, custom_allowed=w.custom_templates)


def _email(w: _Writing, message: str, to: str, values: dict[str, str],
           attachments: tuple[Attachment, ...] = ()) -> Email:
    rendered = templates.render_email(_template(w, message, "email"), values)
    return Email(to=to, subject=rendered.subject, text=rendered.text, html=rendered.html,
                 sender_name=w.prefs.sender_name or w.facts["business_name"],
                 reply_to=w.prefs.reply_to or w.facts["business_email"], attachments=attachments,
                 link=values["manage_link"])


def _for_customer(w: _Writing, message: str) -> Outgoing:
    facts, prefs = w.facts, w.prefs
    who = {"customer_id": facts["customer_id"], "appointment_id": facts["id"]}
    wants_whatsapp = prefs.whatsapp_enabled and facts["customer_channel"] == "whatsapp" and facts["customer_phone"]
    if not facts["customer_email"] and not wants_whatsapp:
        return Outgoing(message, skip_reason="the customer has no e-mail address or WhatsApp number", **who)
    if not wants_whatsapp and not prefs.email_enabled:
        return Outgoing(message, skip_reason="e-mail is turned off in the notification settings", **who)
    values = _values(w, message)
    mail = _email(w, message, facts["customer_email"], values, _invite(message, facts, values)) \
        if facts["customer_email"] else None
    if not wants_whatsapp:
        return Outgoing(message, email=mail, **who)
    rendered = templates.render_whatsapp(_template(w, message, "whatsapp"), values)
    chat = WhatsApp(to=facts["customer_phone"], phone_number_id=prefs.whatsapp_phone_number_id or "",
                    template=rendered.name, language=rendered.language, parameters=tuple(rendered.parameters))
    return Outgoing(message, email=mail, whatsapp=chat, **who)


def _for_staff(w: _Writing, payload: dict[str, Any]) -> list[Outgoing]:
    """A new booking the staff member did not make themselves."""
    facts = w.facts
    if not facts["staff_email"] or (payload.get("source") == "staff" and facts["created_by"] is not None
                                    and facts["created_by"] == facts["staff_user_id"]):
        return []
    values = _values(w, "staff_new_booking")
    return [Outgoing("staff_new_booking", appointment_id=facts["id"],
                     email=_email(w, "staff_new_booking", facts["staff_email"], values))]


def _within_allowance(tx: Tx, business_id: UUID, ent: gate.Entitlements,
                      prefs: preferences.Preferences) -> preferences.Preferences:
    """WhatsApp is off for this message once the plan's monthly WhatsApp messages are used up, on a
    plan that bills none past them (the customer gets the e-mail). Read when the message is written,
    from what was sent: messages written at once may pass the allowance by as many."""
    if not prefs.whatsapp_enabled:
        return prefs
    allowed = ent.limits["messages_per_month"]
    if allowed is None or "messages_whatsapp" in ent.overage \
            or deliveries.sent_this_period(tx, business_id, "whatsapp") < allowed:
        return prefs
    return replace(prefs, whatsapp_enabled=False)


def compose(tx: Tx, row: dict[str, Any]) -> list[Outgoing]:
    business_id, payload = row["business_id"], row["payload"]
    facts = appointment_facts.of(tx, business_id, UUID(payload["appointment_id"]))
    message = _customer_message(row["topic"], facts) if facts else None
    if facts is None or message is None:
        return []
    if _stale(message, payload, facts):
        log.emit("notification.stale", appointment_id=str(facts["id"]), message=message, status=facts["status"])
        return []
    ent = gate.entitlements(tx, business_id)  # read once: the settings, the allowance and the templates
    prefs = _within_allowance(tx, business_id, ent, preferences.get(tx, business_id, ent))
    w = _Writing(tx, business_id, row["id"], facts, prefs, ent.features["custom_templates"])
    out = [] if facts["customer_erased"] else [_for_customer(w, message)]
    if row["topic"] == "appointment.created":
        out += _for_staff(w, payload)
    return out
