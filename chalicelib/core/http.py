"""The HTTP conventions of API.md applied in one place: the error shape, body size, CORS and the
request log line.

Views raise ``AppError``s; Chalice hands those (and only those) to this
middleware. Everything else Chalice turns into its own ``{"Code", "Message"}``
body, which is rewritten here so that every answer has our shape.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any, Callable

from chalice import Response

from chalicelib.core import log
from chalicelib.core.errors import AppError, PayloadTooLarge
from chalicelib.core.settings import settings
from chalicelib.core.validate import MAX_BODY_BYTES

_logger = logging.getLogger("booking.http")

_CHALICE_CODES = {
    400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    413: "payload_too_large", 415: "unsupported_media_type", 500: "internal_error",
}


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps({"error": {"code": code, "message": message, "details": details or {}}}, default=str),
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def from_app_error(e: AppError) -> Response:
    return error_response(e.status, e.code, e.message, e.details, e.headers)


def _rewrite_chalice_error(response: Response) -> Response:
    body = response.body
    if isinstance(body, dict) and set(body) == {"Code", "Message"}:
        status = response.status_code
        message = "An internal error occurred." if status >= 500 else str(body["Message"])
        headers = {k: v for k, v in response.headers.items() if k.lower() == "allow"}
        return error_response(status, _CHALICE_CODES.get(status, "error"), message, headers=headers)
    return response


def cors_headers() -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": settings().cors_allow_origin,
        "Access-Control-Allow-Headers": "Authorization,Content-Type,Idempotency-Key",
        "Access-Control-Allow-Methods": "GET,POST,PUT,PATCH,DELETE,OPTIONS",
        "Access-Control-Expose-Headers": "Retry-After",
        "Access-Control-Max-Age": "600",
        "Vary": "Origin",
    }


def _body_size(request: Any) -> int:
    raw = request.raw_body
    return len(raw) if raw else 0


def middleware(request: Any, get_response: Callable[[Any], Response]) -> Response:
    """Wraps every HTTP route (registered by app.py)."""
    started = time.perf_counter()
    try:
        if _body_size(request) > MAX_BODY_BYTES:
            raise PayloadTooLarge()
        response = get_response(request)
    except AppError as e:
        response = from_app_error(e)
    except Exception:
        _logger.exception("unhandled error on %s %s", request.method, request.path)
        response = error_response(500, "internal_error", "An internal error occurred.")
    response = _rewrite_chalice_error(response)
    for name, value in cors_headers().items():
        response.headers.setdefault(name, value)
    log.request_line(request, response.status_code, (time.perf_counter() - started) * 1000)
    return response


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    if body is None:
        return Response(body="", status_code=status, headers=headers or {})
    return Response(body=json.dumps(body, default=str), status_code=status,
                    headers={"Content-Type": "application/json", **(headers or {})})
