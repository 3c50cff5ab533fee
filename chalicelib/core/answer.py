"""What a route answers, declared as ``msgspec`` structs: ``@endpoint(..., response=Kind)``.

The declaration is used twice: the endpoint converts the view's result into it and encodes that (so
only declared fields go out, each of its declared type), and the OpenAPI document describes it. What
is sent and what is published therefore cannot drift apart.

An answer's fields have no defaults: each is always sent (``X | None`` is sent as ``null``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class Answer(msgspec.Struct, kw_only=True):
    """Base for answer declarations. Fields a service returns beyond the declared ones are not sent."""


class Timestamp(str):
    """An instant: ISO 8601 with its UTC offset, as the service wrote it (a ``datetime`` is written
    with ``isoformat``)."""


class Money(Answer):
    amount: int  # minor units (cents)
    currency: str  # ISO 4217


class UploadForm(Answer):
    """A presigned S3 POST: send ``fields`` and then the file as form fields to ``url``."""
    url: str
    fields: dict[str, str]
    key: str
    expires_in: int
    max_bytes: int


class PlainText(str):
    """A ``text/plain`` answer (a view that returns its own ``Response``), not JSON."""


# Free-form JSON whose keys are the caller's or another module's (settings, snapshots, context).
Json = dict[str, Any]

SCHEMAS: dict[type, dict[str, Any]] = {
    Timestamp: {"type": "string", "format": "date-time"},
}


def _dec_hook(kind: type, obj: Any) -> Any:
    if kind is Timestamp:
        if isinstance(obj, datetime):
            if obj.tzinfo is None:
                raise ValueError("an instant needs its UTC offset")
            return Timestamp(obj.isoformat())
        if isinstance(obj, str):
            if datetime.fromisoformat(obj).tzinfo is None:
                raise ValueError("an instant needs its UTC offset")
            return Timestamp(obj)
        raise TypeError("Expected an instant")
    raise NotImplementedError(kind)


def _enc_hook(obj: Any) -> Any:
    if isinstance(obj, str):  # the domain string types
        return str(obj)
    raise NotImplementedError(type(obj))


_encoder = msgspec.json.Encoder(enc_hook=_enc_hook)


def encode(result: Any, kind: Any) -> str:
    """``result`` (what a view returned) as the JSON text of ``kind``; a result that does not fit its
    declaration is a bug of ours, raised as ``msgspec.ValidationError`` (500)."""
    return _encoder.encode(msgspec.convert(result, kind, dec_hook=_dec_hook)).decode()
