"""Structured JSON log lines (one per request), safe to ship: ids and numbers, never secrets.

Bodies, headers and query strings are never logged, so passwords, tokens and
e-mail addresses cannot leak through here; ``mask_email`` is for the few
places that must name a recipient.
"""
from __future__ import annotations

import json
import logging
import sys
from typing import Any

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


def emit(event: str, **fields: Any) -> None:
    _ensure_handler()
    _logger.info(json.dumps({"event": event, **fields}, default=str, separators=(",", ":")))


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
