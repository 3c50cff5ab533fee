"""Structured JSON log lines (one per request), safe to ship: ids and numbers, never secrets nor
personal data.

Bodies, headers and query strings are never logged, so passwords, tokens and
e-mail addresses cannot leak through here. A line names people and messages by
their ids (customer, appointment, delivery, provider message id), never by an
address, a phone number, a name or a subject; ``mask_email`` is for the sign-in
lines that must say which account. Free text that comes from elsewhere (an
``error``: an exception's message) is passed through ``redact`` first.
"""
from __future__ import annotations

import json
import logging
import re
import sys
from typing import Any

from chalicelib.core import metrics

_logger = logging.getLogger("booking.request")


class _Stdout(logging.StreamHandler):
    """Writes to ``sys.stdout`` as it is at each line, not as it was at the first one, so a stream
    swapped later (``contextlib.redirect_stdout``, pytest's capture) receives the lines."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout
        super().emit(record)


def _ensure_handler() -> None:
    if not _logger.handlers:
        handler = _Stdout()
        handler.setFormatter(logging.Formatter("%(message)s"))
        _logger.addHandler(handler)
        _logger.setLevel(logging.INFO)
        _logger.propagate = False


# Fields holding free text we did not write: a provider's refusal quotes the recipient ("...failed
# the check in region EU-WEST-1: jane@example.com"), a database error the key that clashed.
FREE_TEXT_FIELDS = frozenset({"error"})
_ADDRESS = re.compile(r"[^\s<>\"'(),;:\[\]]+@[^\s<>\"'(),;:\[\]]+")
_NUMBER = re.compile(r"\+?\d[\d ()./-]*\d")
# A phone number has 7 digits at least; shorter runs (an HTTP status, a count) stay readable.
_PHONE_DIGITS = 7


def redact(text: str) -> str:
    """``text`` with e-mail addresses and phone-like numbers masked: for free text about to be logged
    or stored where an erase does not look (an error message)."""
    text = _ADDRESS.sub("[address]", text)
    return _NUMBER.sub(lambda m: "[number]" if sum(c.isdigit() for c in m.group()) >= _PHONE_DIGITS
                       else m.group(), text)


class _Redacting(logging.Filter):
    """Writes a record with ``redact`` applied to its message and traceback: an exception's message may
    quote what a customer typed (a database error names the key that clashed)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def redact_records(logger: logging.Logger) -> None:
    """Have each handler of ``logger`` write its records redacted (for Chalice's application log, where
    an unhandled error's traceback goes)."""
    for handler in logger.handlers:
        if not any(isinstance(f, _Redacting) for f in handler.filters):
            handler.addFilter(_Redacting())


def emit(event: str, **fields: Any) -> None:
    """One JSON line; a line that is also a business metric carries its EMF block (``metrics``)."""
    _ensure_handler()
    for name in FREE_TEXT_FIELDS & fields.keys():
        if fields[name] is not None:
            fields[name] = redact(str(fields[name]))
    line = {"event": event, **fields}
    line.update(metrics.embedded(line))
    _logger.info(json.dumps(line, default=str, separators=(",", ":")))


def request_line(request: Any, status: int, duration_ms: float) -> None:
    context = request.context or {}
    authorizer = context.get("authorizer") or {}
    lambda_context = getattr(request, "lambda_context", None)
    emit(
        "request",
        request_id=context.get("requestId") or getattr(lambda_context, "aws_request_id", None),
        method=request.method,
        route=request.path,
        status=status,
        duration_ms=round(duration_ms, 2),
        business_id=authorizer.get("business_id"),
        user_id=authorizer.get("user_id"),
    )


def mask_email(email: str) -> str:
    """``jane.doe@example.com`` → ``j***@example.com``."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"
