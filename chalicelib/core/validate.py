"""Request bodies and query strings decoded into typed structs, or a 422 naming each bad field.

Declarations are ``msgspec.Struct`` classes (cheap to import, strict by default);
the same classes produce the OpenAPI schemas, so the contract and the checks
cannot drift apart. Domain string types (time zone, currency, e-mail, slug)
are ``str`` subclasses validated here by ``dec_hook``.
"""
from __future__ import annotations

import copy
import functools
import re
import zoneinfo
from typing import Any, TypeVar

import msgspec

from chalicelib.core.errors import BadRequest, ValidationFailed

T = TypeVar("T")

MAX_BODY_BYTES = 1024 * 1024


class Struct(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base for request declarations: unknown fields are refused."""




class TimeZone(str):
    """An IANA time zone name such as ``Europe/London``."""


class Currency(str):
    """An ISO 4217 currency code such as ``EUR``."""


class Email(str):
    """An e-mail address, stored lower-cased."""


class Name(str):
    """A name shown on one line, 1 to 120 characters (it also goes into e-mail headers, where a line
    break would break the message)."""


class Slug(str):
    """A URL-safe name: lower-case letters, digits and inner hyphens, 3 to 63 characters."""


# Active ISO 4217 codes (funds, metals and testing codes left out).
CURRENCIES = frozenset("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD
CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ
GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR
LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN
PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB
TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWG
""".split())

_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
RESERVED_SLUGS = frozenset({"admin", "api", "app", "auth", "billing", "bookings", "consent", "public", "system", "www"})


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _expect_str(obj: Any, what: str) -> str:
    if not isinstance(obj, str):
        raise TypeError(f"Expected {what}")
    return obj


def _dec_hook(kind: type, obj: Any) -> Any:
    if kind is TimeZone:
        if _expect_str(obj, "an IANA time zone name") not in _time_zones():
            raise ValueError("not an IANA time zone name")
        return TimeZone(obj)
    if kind is Currency:
        if _expect_str(obj, "an ISO 4217 currency code") not in CURRENCIES:
            raise ValueError("not an ISO 4217 currency code")
        return Currency(obj)
    if kind is Email:
        value = _expect_str(obj, "an e-mail address").strip()
        if len(value) > 254 or not _EMAIL.match(value):
            raise ValueError("not a valid e-mail address")
        return Email(value.lower())
    if kind is Name:
        value = _expect_str(obj, "a name")
        if not 1 <= len(value) <= 120:
            raise ValueError("use 1 to 120 characters")
        if _CONTROL.search(value):
            raise ValueError("must not contain newlines or control characters")
        return Name(value)
    if kind is Slug:
        value = _expect_str(obj, "a slug")
        if not _SLUG.match(value):
            raise ValueError("use 3-63 lower-case letters, digits and inner hyphens")
        if value in RESERVED_SLUGS:
            raise ValueError("this name is reserved")
        return Slug(value)
    raise NotImplementedError(kind)


_SCHEMAS: dict[type, dict[str, Any]] = {
    TimeZone: {"type": "string", "description": "IANA time zone name", "examples": ["Europe/London"]},
    Currency: {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 currency code"},
    Email: {"type": "string", "format": "email", "maxLength": 254},
    Slug: {"type": "string", "pattern": _SLUG.pattern},
    Name: {"type": "string", "minLength": 1, "maxLength": 120},
}


def schema_hook(kind: type) -> dict[str, Any]:
    """JSON Schema for the domain string types (used by the OpenAPI generator). A copy: msgspec
    writes a field's default into the schema it is handed, and a shared one would carry that default
    to every other field of the type."""
    try:
        return copy.deepcopy(_SCHEMAS[kind])
    except KeyError:
        raise NotImplementedError(kind) from None


_AT = re.compile(r"^(?P<reason>.*?) - at `\$(?P<path>[^`]*)`$")
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<name>[^`]+)`(?: - at `\$(?P<path>[^`]*)`)?$")
_MISSING = re.compile(r"^Object missing required field `(?P<name>[^`]+)`(?: - at `\$(?P<path>[^`]*)`)?$")


def _field(path: str) -> str:
    return re.sub(r"\[(\d+)\]", r".\1", path).lstrip(".") or "body"


def _fields_of(error: msgspec.ValidationError) -> dict[str, str]:
    message = str(error)
    for pattern, reason in ((_UNKNOWN, "unknown field"), (_MISSING, "required")):
        m = pattern.match(message)
        if m:
            prefix = _field(m["path"] or "")
            name = m["name"] if prefix == "body" else f"{prefix}.{m['name']}"
            return {name: reason}
    m = _AT.match(message)
    if m:
        return {_field(m["path"]): m["reason"]}
    return {"body": message}


def _nul_at(value: Any, path: str = "") -> str | None:
    """Where the first NUL character sits in decoded JSON: PostgreSQL text cannot hold one, so it is
    refused here (422) rather than by the database (500)."""
    if isinstance(value, str):
        return (path or "body") if "\x00" in value else None
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for name, child in children:
        if "\x00" in str(name):
            return path or "body"
        found = _nul_at(child, f"{path}.{name}" if path else str(name))
        if found:
            return found
    return None


def _refuse_nul(data: Any) -> None:
    where = _nul_at(data)
    if where is not None:
        raise ValidationFailed({where: "must not contain NUL characters"})


def decode(raw: bytes | str, schema: type[T]) -> T:
    """Decode JSON text into ``schema``: 400 if it is not JSON, 422 if it does not fit. An absent body
    reads as ``{}``: one none of whose fields is required may be left out (the OpenAPI document says
    so, ``requestBody.required: false``); leaving out one with a required field is a 422 naming it."""
    try:
        decoded = msgspec.json.decode(raw or b"{}", type=schema, dec_hook=_dec_hook)
    except msgspec.ValidationError as e:
        raise ValidationFailed(_fields_of(e)) from None
    except msgspec.DecodeError:
        raise BadRequest("The request body is not valid JSON.") from None
    # JSON carries NUL only as the escape \u0000 (a raw one is malformed), so most bodies skip the walk.
    if raw and (b"\\u0000" if isinstance(raw, bytes) else "\\u0000") in raw:
        _refuse_nul(msgspec.json.decode(raw))
    return decoded


def body(request: Any, schema: type[T]) -> T:
    return decode(request.raw_body, schema)


def query(request: Any, schema: type[T]) -> T:
    """Decode the query string (strings converted to the declared types)."""
    params = {k: v for k, v in (request.query_params or {}).items()}
    return convert(params, schema)


def convert(data: dict[str, Any], schema: type[T]) -> T:
    try:
        converted = msgspec.convert(data, type=schema, strict=False, dec_hook=_dec_hook)
    except msgspec.ValidationError as e:
        raise ValidationFailed(_fields_of(e)) from None
    _refuse_nul(data)
    return converted


def present(struct: msgspec.Struct) -> dict[str, Any]:
    """The fields a PATCH body actually carried (``UNSET`` ones left out)."""
    return {f: getattr(struct, f) for f in struct.__struct_fields__ if getattr(struct, f) is not msgspec.UNSET}
