"""The one tree of errors a request can end in, each with its HTTP status and code.

They subclass ``ChaliceUnhandledError`` because Chalice re-raises only that
family to http middleware; ``core.http`` turns them into the JSON error shape.
"""
from __future__ import annotations

from typing import Any

from chalice import ChaliceUnhandledError


class AppError(ChaliceUnhandledError):
    status = 500
    code = "internal_error"
    message = "An internal error occurred."

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        self.message = message or self.message
        self.details = details or {}
        self.headers = headers or {}
        super().__init__(self.message)


class BadRequest(AppError):
    status, code, message = 400, "bad_request", "The request could not be read."


class Unauthorized(AppError):
    status, code, message = 401, "unauthorized", "Authentication is required."


class Forbidden(AppError):
    status, code, message = 403, "forbidden", "You are not allowed to do this."


class NotFound(AppError):
    status, code = 404, "not_found"

    def __init__(self, what: str = "resource", **kwargs: Any) -> None:
        super().__init__(f"The {what} was not found.", **kwargs)


class Conflict(AppError):
    status, code, message = 409, "conflict", "The request conflicts with the current state."

    def __init__(self, message: str | None = None, *, code: str | None = None, **kwargs: Any) -> None:
        if code:
            self.code = code
        super().__init__(message, **kwargs)


class StaleVersion(Conflict):
    """An optimistic-locking ``version`` that is no longer the row's: someone changed it meanwhile."""
    code = "stale_version"

    def __init__(self, what: str, **kwargs: Any) -> None:
        super().__init__(f"The {what} was changed by someone else; reload and try again.", **kwargs)


class PayloadTooLarge(AppError):
    status, code, message = 413, "payload_too_large", "The request body is larger than 1 MiB."


class ValidationFailed(AppError):
    status, code, message = 422, "validation_failed", "Some fields are not valid."

    def __init__(self, fields: dict[str, str], message: str | None = None) -> None:
        super().__init__(message, details={"fields": fields})


class RateLimited(AppError):
    status, code, message = 429, "rate_limited", "Too many attempts; try again later."

    def __init__(self, retry_after_s: int, message: str | None = None) -> None:
        super().__init__(message, details={"retry_after": retry_after_s},
                         headers={"Retry-After": str(retry_after_s)})


class ServiceUnavailable(AppError):
    status, code, message = 503, "unavailable", "The service is temporarily unavailable."
