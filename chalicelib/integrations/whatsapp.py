"""WhatsApp Cloud API: template messages out, signed delivery-status webhooks in.

Backends, chosen by ``WHATSAPP_BACKEND``:

- ``cloud``: the Graph API (``WHATSAPP_API_BASE``), with each business's own access token, kept in
  Secrets Manager as ``booking/{stage}/whatsapp/{business_id}`` ``{"access_token": ...}``;
- ``file``: the offline twin; writes each request body as a ``.json`` file under
  ``.local/whatsapp/`` and logs where, so a developer (or a test) reads what would have been sent.

A send ends in a message id, ``Rejected`` (refused for good: the caller falls back to e-mail) or
``Unavailable`` (try again later). The webhook's app secret and verify token are the product's, not a
business's: from the ``WHATSAPP_SECRET_ARN`` secret, or the plain settings when there is none.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import string
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from uuid import UUID

from chalicelib.core import log
from chalicelib.core.settings import settings
from chalicelib.integrations import aws, secrets

TIMEOUT_S = 10
# Graph error codes that mean "not now" whatever the HTTP status they come with: throttling (app,
# account, throughput, pair rate) and Meta's own transient failures. Anything else 4xx is for good.
_TRANSIENT_CODES = frozenset({4, 80007, 130429, 131056, 131000, 131016})
_STATUSES = frozenset({"sent", "delivered", "read", "failed"})
_DETAIL_MAX = 300


class Rejected(Exception):
    """The API refused the message and will again (bad number, template not approved, no token)."""

    def __init__(self, code: int | None, detail: str) -> None:
        super().__init__(f"{code}: {detail}" if code is not None else detail)
        self.code = code
        self.detail = detail


class Uncertain(Exception):
    """The request reached the Cloud API and its answer was lost (a read timeout, a dropped or
    garbled answer): it may have been sent, so sending again could deliver it twice."""


class Unavailable(Exception):
    """A transient failure (5xx, throttled, timeout, connection): the same send may work later."""


@dataclass(frozen=True)
class Status:
    message_id: str
    status: str  # sent | delivered | read | failed
    at: datetime  # UTC
    error: str | None


def _secret_name(business_id: UUID) -> str:
    return f"booking/{settings().stage}/whatsapp/{business_id}"


def _access_token(business_id: UUID) -> str:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        token = secrets.json_secret(_secret_name(business_id)).get("access_token")
    except ClientError as e:
        # Never stored, or deleted (a secret pending deletion answers InvalidRequestException).
        if e.response["Error"]["Code"] in ("ResourceNotFoundException", "InvalidRequestException"):
            raise Rejected(None, "no WhatsApp access token stored for this business") from e
        raise Unavailable(f"Secrets Manager: {e}") from e
    except BotoCoreError as e:
        raise Unavailable(f"Secrets Manager: {e}") from e
    if not token:
        raise Rejected(None, "the stored WhatsApp access token is empty")
    return token


def store_access_token(business_id: UUID, access_token: str) -> None:
    """Create or replace the business's access token (a system-user token from Meta Business)."""
    from botocore.exceptions import ClientError

    sm = aws.client("secretsmanager")
    name = _secret_name(business_id)
    value = json.dumps({"access_token": access_token})
    try:
        sm.create_secret(Name=name, SecretString=value)
    except ClientError as e:
        if e.response["Error"]["Code"] != "ResourceExistsException":
            raise
        sm.put_secret_value(SecretId=name, SecretString=value)
    # functools.cache forgets all or nothing; the other secrets are simply read again once.
    secrets.json_secret.cache_clear()


def has_access_token(business_id: UUID) -> bool:
    try:
        _access_token(business_id)
    except Rejected:
        return False
    return True


def _digits(phone: str) -> str:
    # The Cloud API wants the international number as digits only: "+34 600-11-22-33" -> "34600112233".
    return "".join(c for c in phone if c in string.digits)


def _body(to: str, template: str, language: str, parameters: list[str]) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": template, "language": {"code": language}}
    if parameters:
        spec["components"] = [
            {"type": "body", "parameters": [{"type": "text", "text": p} for p in parameters]}]
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": _digits(to),
            "type": "template", "template": spec}


def _graph_error(status: int, raw: bytes) -> tuple[int | None, str, str | None]:
    """(code, short message, fbtrace_id) of a Graph error body; anything else is just its status."""
    try:
        error = json.loads(raw)["error"]
        code = error.get("code")
        message = error.get("message") or (error.get("error_data") or {}).get("details")
        trace = error.get("fbtrace_id")
    except (ValueError, TypeError, KeyError, AttributeError):
        return None, f"HTTP {status}", None
    code = code if isinstance(code, int) and not isinstance(code, bool) else None
    return code, str(message or f"HTTP {status}")[:_DETAIL_MAX], trace


def _post_cloud(business_id: UUID, phone_number_id: str, body: dict[str, Any]) -> str:
    import http.client  # here, not at the top: the API's containers import this module and never send
    import urllib.error
    import urllib.request

    token = _access_token(business_id)
    request = urllib.request.Request(
        f"{settings().whatsapp_api_base}/{phone_number_id}/messages",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as e:
        try:
            raw = e.read()
        except (OSError, http.client.HTTPException):
            raw = b""
        code, detail, trace = _graph_error(e.code, raw)
        log.emit("whatsapp.failed", business_id=business_id, http_status=e.code, code=code,
                 fbtrace_id=trace)
        if e.code == 401:
            # Probably a token replaced from another container: read it afresh next time.
            secrets.json_secret.cache_clear()
        if e.code == 429 or e.code >= 500 or code in _TRANSIENT_CODES:
            raise Unavailable(f"HTTP {e.code}: {detail}") from e
        raise Rejected(code, detail) from e
    except urllib.error.URLError as e:
        # Never connected (refused, DNS, a connect timeout): nothing was sent, so a retry is safe.
        raise Unavailable(f"{type(e).__name__}: {e.reason}") from e
    except (OSError, http.client.HTTPException, ValueError) as e:
        # Connected, then a read timeout, a dropped connection or an answer that is not JSON.
        raise Uncertain(f"{type(e).__name__}: {e}") from e
    try:
        return answer["messages"][0]["id"]
    except (KeyError, IndexError, TypeError) as e:
        raise Uncertain(f"no message id in the answer: {str(answer)[:_DETAIL_MAX]}") from e


def _write_file(business_id: UUID, phone_number_id: str, body: dict[str, Any]) -> tuple[str, str]:
    folder: Path = settings().whatsapp_dir
    folder.mkdir(parents=True, exist_ok=True)
    key = uuid.uuid4().hex
    # Nanoseconds first, so the files list in the order they were written.
    path = folder / f"{time.time_ns():020d}-{key[:8]}.json"
    record = {**body, "phone_number_id": phone_number_id, "business_id": str(business_id)}
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False))
    return f"wamid.local-{key}", str(path)


def send_template(*, business_id: UUID, phone_number_id: str, to: str, template: str, language: str,
                  parameters: list[str]) -> str:
    """Send an approved template with its body parameters; answer the provider's message id."""
    body = _body(to, template, language, parameters)
    if not body["to"]:
        raise Rejected(None, "no phone number to send to")
    backend = settings().whatsapp_backend
    if backend == "cloud":
        message_id = _post_cloud(business_id, phone_number_id, body)
        log.emit("whatsapp.sent", business_id=business_id, template=template, message_id=message_id)
        return message_id
    if backend == "file":
        if not settings().is_local:
            raise RuntimeError("WHATSAPP_BACKEND=file is the local twin; a deployed stage sends with cloud")
        message_id, path = _write_file(business_id, phone_number_id, body)
        log.emit("whatsapp.written", business_id=business_id, template=template, message_id=message_id,
                 path=path)
        return message_id
    raise RuntimeError(f"unknown WHATSAPP_BACKEND {backend!r}")


def _webhook_setting(key: str, fallback: str | None) -> str | None:
    arn = settings().whatsapp_secret_arn
    return secrets.json_secret(arn).get(key) if arn else fallback


def verify_token() -> str | None:
    """The token Meta echoes when it subscribes the webhook (``hub.verify_token``)."""
    return _webhook_setting("verify_token", settings().whatsapp_verify_token)


def signature_valid(raw_body: bytes, header: str | None) -> bool:
    """Whether ``X-Hub-Signature-256`` (``sha256=<hex>``) signs these exact bytes with the app secret."""
    app_secret = _webhook_setting("app_secret", settings().whatsapp_app_secret)
    if not app_secret or not header or not header.isascii():
        return False
    scheme, _, given = header.strip().partition("=")
    if scheme.lower() != "sha256" or not given:
        return False
    expected = hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given.lower())


def _error_text(errors: Any) -> str | None:
    if not isinstance(errors, list) or not errors or not isinstance(errors[0], dict):
        return None
    first = errors[0]
    words = " ".join(str(w) for w in (first.get("code"), first.get("message") or first.get("title")) if w)
    return words[:_DETAIL_MAX] or None


def _status(raw: Any) -> Status | None:
    if not isinstance(raw, dict):
        return None
    message_id, status, stamp = raw.get("id"), raw.get("status"), raw.get("timestamp")
    if not isinstance(message_id, str) or not message_id or status not in _STATUSES:
        return None
    try:
        at = datetime.fromtimestamp(int(stamp), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return Status(message_id, status, at, _error_text(raw.get("errors")) if status == "failed" else None)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def statuses(payload: dict[str, Any]) -> list[Status]:
    """The delivery statuses in a webhook POST body, in order; incoming messages, other fields and
    shapes we do not know are skipped, never raised on (Meta would only redeliver them)."""
    found: list[Status] = []
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return found
    for entry in _list(payload.get("entry")):
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in _list(changes):
            if not isinstance(change, dict) or change.get("field") != "messages":
                continue
            value = change.get("value")
            for raw in _list(value.get("statuses") if isinstance(value, dict) else None):
                status = _status(raw)
                if status is not None:
                    found.append(status)
    return found
