"""The messages the product sends, their wording per channel, and how a wording is filled in.

Every message has a product default per channel; a business on a plan with ``custom_templates`` can
store its own wording (``notification_templates``, key ``"<message>.<channel>"``), and go back to the
default by deleting it. A stored wording is kept but not used while the plan does not include the
feature (a trial that ended, a downgrade), so what is sent always matches what the plan allows.

The template language is Python's format syntax cut down to names: ``{customer_name}`` is a
placeholder, ``{{`` and ``}}`` are literal braces; nothing else (positional ``{}``, ``{a.b}``,
``{a[0]}``, ``{a!r}``, ``{a:>10}``) is accepted when a wording is saved. ``{manage_link}`` is the
link that fits the message: the customer's own manage page, the booking page to book again
(cancelled), or the calendar (the staff member's message). Rendering never raises:
the worker must be able to send whatever is stored, so a missing value is empty and anything
unreadable is sent as it is written.

Values typed by the public (the customer's name, from the booking page) are text, never a link nor
markup: see ``unlinkable``.

E-mail content is ``{"subject", "body"}`` (plain text; the HTML part is made from it). WhatsApp
content names a template approved in the business's Meta account, ``{"name", "language",
"parameters"}``: the placeholders filling its body variables ``{{1}}``, ``{{2}}``... in order.

Owns ``notification_templates``.
"""
from __future__ import annotations

import copy
import html
import json
import re
import string
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from chalicelib.billing import gate
from chalicelib.core import db
from chalicelib.core.db import Tx
from chalicelib.core.errors import NotFound, StaleVersion, ValidationFailed
from chalicelib.core.security import Caller

PLACEHOLDERS = ("customer_name", "service", "staff", "location", "start_time", "manage_link", "business_name")
# The placeholders whose values anyone on the internet can type (the booking page's name field): the
# others are the business's own words (its services, staff, places, name) or ours (the time, the link).
PUBLIC_PLACEHOLDERS = frozenset({"customer_name"})
CHANNELS = ("email", "whatsapp")

SUBJECT_MAX = 200
BODY_MAX = 5000
PARAMETERS_MAX = 10
_WHATSAPP_NAME = re.compile(r"^[a-z0-9_]{1,512}$")
_WHATSAPP_LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
_CONTENT_FIELDS = {"email": ("subject", "body"), "whatsapp": ("name", "language", "parameters")}


@dataclass(frozen=True)
class Message:
    audience: str  # "customer" or "staff" (the staff member the appointment is with)
    channels: tuple[str, ...]


_CUSTOMER = ("email", "whatsapp")

MESSAGES: dict[str, Message] = {
    "booking_confirmed": Message("customer", _CUSTOMER),
    "booking_pending": Message("customer", _CUSTOMER),
    "booking_rescheduled": Message("customer", _CUSTOMER),
    "booking_cancelled": Message("customer", _CUSTOMER),
    "reminder": Message("customer", _CUSTOMER),
    "staff_new_booking": Message("staff", ("email",)),
}

_WHAT = "{service} with {staff}\n{start_time}\n{location}"

DEFAULTS: dict[str, dict[str, Any]] = {
    "booking_confirmed.email": {
        "subject": "Your {service} on {start_time} is confirmed",
        "body": "Hi {customer_name},\n\nYour booking with {business_name} is confirmed:\n\n" + _WHAT + "\n\n"
                "Need to change or cancel it? Manage your booking here:\n{manage_link}\n\n"
                "See you soon,\n{business_name}",
    },
    "booking_pending.email": {
        "subject": "We have your booking request for {service} on {start_time}",
        "body": "Hi {customer_name},\n\nThank you for your booking request with {business_name}. It is waiting "
                "for confirmation, and we will let you know as soon as it is confirmed.\n\n" + _WHAT + "\n\n"
                "You can check or cancel your request here:\n{manage_link}\n\n{business_name}",
    },
    "booking_rescheduled.email": {
        "subject": "Your {service} has moved to {start_time}",
        "body": "Hi {customer_name},\n\nYour booking with {business_name} has a new time:\n\n" + _WHAT + "\n\n"
                "If the new time does not suit you, change or cancel it here:\n{manage_link}\n\n"
                "See you then,\n{business_name}",
    },
    "booking_cancelled.email": {
        "subject": "Your {service} on {start_time} is cancelled",
        "body": "Hi {customer_name},\n\nYour booking with {business_name} has been cancelled:\n\n" + _WHAT + "\n\n"
                "We would love to see you another time. You are welcome to book again whenever it suits "
                "you:\n{manage_link}\n\n{business_name}",
    },
    "reminder.email": {
        "subject": "Reminder: {service} on {start_time}",
        "body": "Hi {customer_name},\n\nA friendly reminder of your upcoming booking with {business_name}:\n\n"
                + _WHAT + "\n\nCan't make it? Please change or cancel it here, so someone else can have the "
                "time:\n{manage_link}\n\nSee you soon,\n{business_name}",
    },
    "staff_new_booking.email": {
        "subject": "New booking: {customer_name}, {service} on {start_time}",
        "body": "Hi {staff},\n\n{customer_name} has booked {service} with you:\n\n{start_time}\n{location}\n\n"
                "It is in your calendar at {business_name}:\n{manage_link}",
    },
    # The WhatsApp defaults name templates the business creates in its Meta account (category
    # utility, language "en"); the body each expects is written next to it.
    # "Hi {{1}}, your {{2}} with {{3}} on {{4}} at {{5}} is confirmed. Manage your booking: {{6}}"
    "booking_confirmed.whatsapp": {
        "name": "booking_confirmed_v1", "language": "en",
        "parameters": ["customer_name", "service", "staff", "start_time", "location", "manage_link"],
    },
    # "Hi {{1}}, we have your request for {{2}} on {{3}} with {{4}}. We will confirm it soon. Check or
    # cancel it: {{5}}"
    "booking_pending.whatsapp": {
        "name": "booking_pending_v1", "language": "en",
        "parameters": ["customer_name", "service", "start_time", "business_name", "manage_link"],
    },
    # "Hi {{1}}, your {{2}} with {{3}} has moved to {{4}} at {{5}}. Change or cancel it: {{6}}"
    "booking_rescheduled.whatsapp": {
        "name": "booking_rescheduled_v1", "language": "en",
        "parameters": ["customer_name", "service", "staff", "start_time", "location", "manage_link"],
    },
    # "Hi {{1}}, your {{2}} on {{3}} with {{4}} has been cancelled. You are welcome to book again
    # whenever it suits you: {{5}}"
    "booking_cancelled.whatsapp": {
        "name": "booking_cancelled_v1", "language": "en",
        "parameters": ["customer_name", "service", "start_time", "business_name", "manage_link"],
    },
    # "Hi {{1}}, a reminder of your {{2}} with {{3}} on {{4}} at {{5}}. Can't make it? Change or cancel
    # it: {{6}}"
    "reminder.whatsapp": {
        "name": "reminder_v1", "language": "en",
        "parameters": ["customer_name", "service", "staff", "start_time", "location", "manage_link"],
    },
}

_FIND = """-- a business's own wording of one message on one channel
SELECT template_key, content, version, updated_at FROM notification_templates
 WHERE business_id = :bid AND template_key = :key"""

_ALL = """-- every wording the business has stored
SELECT template_key, content, version, updated_at FROM notification_templates WHERE business_id = :bid"""

_UPSERT = """-- store a wording (a new one starts at version 1; a replaced one bumps it)
INSERT INTO notification_templates AS t (business_id, template_key, content)
VALUES (:bid, :key, CAST(:content AS jsonb))
ON CONFLICT (business_id, template_key) DO UPDATE
   SET content = EXCLUDED.content, version = t.version + 1, updated_at = now()
RETURNING template_key, content, version, updated_at"""

_REPLACE = """-- replace a stored wording the caller saw at :expected (no row: it changed meanwhile)
UPDATE notification_templates
   SET content = CAST(:content AS jsonb), version = version + 1, updated_at = now()
 WHERE business_id = :bid AND template_key = :key AND version = :expected
RETURNING template_key, content, version, updated_at"""

_DELETE = """-- back to the product's default
DELETE FROM notification_templates WHERE business_id = :bid AND template_key = :key"""


@dataclass(frozen=True)
class Template:
    key: str
    message: str
    channel: str
    content: dict[str, Any]
    custom: bool
    version: int | None
    updated_at: datetime | None


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class RenderedWhatsApp:
    name: str
    language: str
    parameters: list[str]


# --- the template language -----------------------------------------------------------------------

class _Unreadable(ValueError):
    """A wording that does not follow the template language (the reason is for the user)."""


_BRACES = "write {{ and }} for a literal brace"


def _field_text(name: str, conversion: str | None, spec: str) -> str:
    return "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"


def _parts(text: str) -> list[tuple[str, str | None, str | None, str]]:
    """(literal, field name, conversion, format spec) chunks; ``_Unreadable`` for unbalanced braces."""
    try:
        return [(literal, name, conversion, spec or "")
                for literal, name, spec, conversion in string.Formatter().parse(text)]
    except ValueError:
        raise _Unreadable(f"unbalanced braces: {_BRACES}") from None


def _check(text: str) -> None:
    """``_Unreadable`` saying what is wrong first, unless ``text`` only uses known placeholders."""
    for _, name, conversion, spec in _parts(text):
        if name is None:
            continue
        written = _field_text(name, conversion, spec)
        if name == "" or name.isdigit():
            raise _Unreadable(f"{written} needs a placeholder name such as {{customer_name}}; {_BRACES}")
        if conversion or spec:
            raise _Unreadable(f"{written}: a placeholder takes no conversion or format; write {{{name}}}")
        if name not in PLACEHOLDERS:
            if not name.isidentifier():
                raise _Unreadable(f"{written}: only plain names are allowed, such as {{customer_name}}; {_BRACES}")
            raise _Unreadable(f"unknown placeholder {written}; use one of: "
                              + ", ".join("{" + p + "}" for p in PLACEHOLDERS))


def _one_line(text: str) -> str:
    # A subject is a mail header and a WhatsApp parameter may hold no newline or tab: values filled
    # in (a customer's name, say) must not break either.
    return " ".join(text.split())


# A zero-width space: invisible, and not a character any linkifier lets into a host name, a scheme or
# the local part of an address.
_BREAK = "\u200b"
# Where an address or a link needs its pieces joined: "www.x.example", "http://", "a@b".
_JOINS = re.compile(r"[.:@]")


def unlinkable(text: str) -> str:
    """Public text made safe to show in what we send: on one line, and with a zero-width space before
    every ``.``, ``:`` and ``@``, so no mail, calendar or chat client turns a URL or an address in it
    into a link (they autolink ``http://...``, ``www....``, bare domains and addresses even in plain
    text, and a link in a message sent in the business's name is what a phisher wants). It reads the
    same; only a copy-and-paste notices. Escaping alone is not enough: it stops markup, not autolinks."""
    return _JOINS.sub(lambda m: _BREAK + m.group(), _one_line(text))


_Segment = tuple[str, bool]  # (text, typed by the public)


def _fill(text: str, values: dict[str, str]) -> list[_Segment]:
    """``text`` with its placeholders replaced, as segments that say which text the public typed;
    never raises (see the module's docstring)."""
    try:
        parts = _parts(text)
    except _Unreadable:
        return [(text, False)]
    out: list[_Segment] = []
    for literal, name, conversion, spec in parts:
        out.append((literal, False))
        if name is None:
            continue
        if name.isidentifier() and not conversion and not spec:
            value = str(values.get(name) or "")
            out.append((unlinkable(value), True) if name in PUBLIC_PLACEHOLDERS else (value, False))
        else:
            out.append((_field_text(name, conversion, spec), False))
    return out


def _joined(segments: list[_Segment]) -> str:
    return "".join(text for text, _ in segments)


_URL = re.compile(r"https?://[^\s<>\"']+")
_TRAILING = ".,;:!?)]}'\""
_PARAGRAPH = re.compile(r"\n[ \t]*\n+")


def _linked(text: str) -> str:
    """The business's or our own text as HTML: escaped, its http(s) links clickable (trailing
    punctuation left out)."""
    out, at = [], 0
    for match in _URL.finditer(text):
        url = match.group().rstrip(_TRAILING)
        if len(url) <= len("https://"):
            continue
        start = match.start()
        out.append(html.escape(text[at:start]))
        out.append(f'<a href="{html.escape(url)}" style="color:#1a56db">{html.escape(url)}</a>')
        at = start + len(url)
    out.append(html.escape(text[at:]))
    return "".join(out)


def _html(subject: str, segments: list[_Segment]) -> str:
    # Links are found in each of the business's segments alone: a URL in the wording never runs on
    # into a value the public typed, which is only escaped (one line already: no paragraph in it).
    marked = "".join(html.escape(text) if public else _linked(text) for text, public in segments)
    paragraphs = [p.strip("\n") for p in _PARAGRAPH.split(marked.replace("\r\n", "\n").strip())]
    body = "\n".join('<p style="margin:0 0 16px">' + "<br>\n".join(p.split("\n")) + "</p>"
                     for p in paragraphs if p.strip())
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(subject)}</title></head>\n"
            '<body style="margin:0;padding:24px;background:#f5f5f5">\n'
            '<div style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-radius:8px;'
            'font-family:-apple-system,\'Segoe UI\',Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;'
            f'color:#222222">\n{body}\n</div>\n</body></html>\n')


def render_email(template: Template, values: dict[str, str]) -> RenderedEmail:
    subject = _one_line(_joined(_fill(str(template.content.get("subject", "")), values)))
    body = _fill(str(template.content.get("body", "")), values)
    return RenderedEmail(subject=subject, text=_joined(body), html=_html(subject, body))


def render_whatsapp(template: Template, values: dict[str, str]) -> RenderedWhatsApp:
    parameters = template.content.get("parameters", ())

    def value(name: str) -> str:
        text = str(values.get(name) or "")
        return unlinkable(text) if name in PUBLIC_PLACEHOLDERS else _one_line(text)

    return RenderedWhatsApp(name=str(template.content.get("name", "")),
                            language=str(template.content.get("language", "")),
                            parameters=[value(p) for p in parameters])


# --- content checks ------------------------------------------------------------------------------

def _channel_of(template_key: str) -> str:
    """The channel of a known template key (404 for any other key)."""
    message, _, channel = template_key.partition(".")
    if message not in MESSAGES or channel not in MESSAGES[message].channels:
        raise NotFound("template")
    return channel


def _email_problems(content: dict[str, Any]) -> dict[str, str]:
    problems = {}
    for field, limit in (("subject", SUBJECT_MAX), ("body", BODY_MAX)):
        text = content[field]
        if not isinstance(text, str) or not text.strip():
            problems[field] = "write some text"
        elif len(text) > limit:
            problems[field] = f"use at most {limit} characters"
        elif field == "subject" and re.search(r"[\x00-\x1f\x7f]", text):
            problems[field] = "must be one line, without control characters"
        else:
            try:
                _check(text)
            except _Unreadable as e:
                problems[field] = str(e)
    return problems


def _whatsapp_problems(content: dict[str, Any]) -> dict[str, str]:
    problems = {}
    if not isinstance(content["name"], str) or not _WHATSAPP_NAME.match(content["name"]):
        problems["name"] = "the approved template's name: lower-case letters, digits and _ (up to 512)"
    if not isinstance(content["language"], str) or not _WHATSAPP_LANGUAGE.match(content["language"]):
        problems["language"] = "a WhatsApp language code such as en or en_GB"
    parameters = content["parameters"]
    if not isinstance(parameters, list) or len(parameters) > PARAMETERS_MAX:
        problems["parameters"] = f"a list of up to {PARAMETERS_MAX} placeholder names"
    else:
        unknown = [p for p in parameters if p not in PLACEHOLDERS]
        if unknown:
            problems["parameters"] = f"unknown placeholder {unknown[0]}; use one of: " + ", ".join(PLACEHOLDERS)
    return problems


def validate_content(template_key: str, content: dict[str, Any]) -> dict[str, Any]:
    """The content for ``template_key`` as it will be stored, or 404 (no such template) / 422 naming
    each field that is missing, belongs to the other channel or is not valid."""
    channel = _channel_of(template_key)
    expected = _CONTENT_FIELDS[channel]
    problems = {f: f"not a field of {channel} templates" for f in content if f not in expected}
    problems.update({f: "required" for f in expected if f not in content})
    if not problems:
        problems = _email_problems(content) if channel == "email" else _whatsapp_problems(content)
    if problems:
        raise ValidationFailed(problems)
    return {f: content[f] for f in expected}


# --- storage -------------------------------------------------------------------------------------

def _template(key: str, row: dict[str, Any] | None) -> Template:
    message, _, channel = key.partition(".")
    if row is None:
        return Template(key, message, channel, copy.deepcopy(DEFAULTS[key]), custom=False, version=None,
                        updated_at=None)
    return Template(key, message, channel, row["content"], custom=True, version=row["version"],
                    updated_at=row["updated_at"])


def find(tx: Tx, business_id: UUID, message: str, channel: str, *, custom_allowed: bool | None = None) -> Template:
    """The wording to send: the business's own if its plan lets it use one, else the default.
    ``custom_allowed``: whether the plan does, when the caller knows already (a worker writing
    several messages reads the plan once)."""
    key = f"{message}.{channel}"
    _channel_of(key)
    if custom_allowed is None:
        custom_allowed = gate.allows(tx, business_id, "custom_templates")
    return _template(key, tx.one(_FIND, bid=business_id, key=key) if custom_allowed else None)


def template_json(template: Template) -> dict[str, Any]:
    return {
        "key": template.key,
        "message": template.message,
        "channel": template.channel,
        "audience": MESSAGES[template.message].audience,
        "custom": template.custom,
        "content": template.content,
        "placeholders": list(PLACEHOLDERS),
        "version": template.version,
        "updated_at": template.updated_at.isoformat() if template.updated_at else None,
    }


def list_templates(business_id: UUID) -> dict[str, Any]:
    """Every message on every channel, as it would be sent now (custom or default)."""
    with db.tenant_tx(business_id) as tx:
        usable = gate.allows(tx, business_id, "custom_templates")
        stored = {row["template_key"]: row for row in tx.all(_ALL, bid=business_id)} if usable else {}
    keys = [f"{m}.{c}" for m, spec in MESSAGES.items() for c in spec.channels]
    return {"items": [template_json(_template(k, stored.get(k))) for k in keys], "next_cursor": None}


def put_template(caller: Caller, template_key: str, content: dict[str, Any], *,
                 version: int | None = None) -> dict[str, Any]:
    """Store the business's own wording of one template (a plan with ``custom_templates``)."""
    _channel_of(template_key)
    business_id = caller.business_id
    with db.tenant_tx(business_id) as tx:
        gate.require_feature(tx, business_id, "custom_templates")
        stored = json.dumps(validate_content(template_key, content))
        if version is None:
            row = tx.one(_UPSERT, bid=business_id, key=template_key, content=stored)
        else:
            row = tx.one(_REPLACE, bid=business_id, key=template_key, content=stored, expected=version)
            if row is None:
                raise StaleVersion("template")
    return template_json(_template(template_key, row))


def reset_template(caller: Caller, template_key: str) -> None:
    """Back to the product's default (nothing stored: nothing to do)."""
    _channel_of(template_key)
    with db.tenant_tx(caller.business_id) as tx:
        tx.execute(_DELETE, bid=caller.business_id, key=template_key)
