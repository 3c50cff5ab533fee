"""Stripe: customers, Checkout and Customer Portal sessions, subscription and invoice reads, meter
events, and the webhook's signature. The only module that imports the Stripe SDK, and only when a
call is made (the API's cold start and the authorizer never load it).

Backends, chosen by ``STRIPE_BACKEND``:

- ``api``: ``STRIPE_API_BASE`` (Stripe, or the ``make run`` twin server) through our own urllib HTTP
  client, because the SDK's urllib client (the one Lambda would get: ``requests`` is not packaged)
  waits for ever; each connect and each read waits at most ``STRIPE_TIMEOUT_S``, and a failed call is
  retried once (every POST carries an Idempotency-Key, so a retry never acts twice);
- ``twin``: the in-process twin of ``stripe_twin.py`` (tests), never on a deployed stage.

The secret key and the webhook secret come from the ``STRIPE_SECRET_ARN`` secret
``{"api_key", "webhook_secret"}`` (read through the TTL cache of ``secrets.py``), or, outside prod
and with no secret named, from ``STRIPE_API_KEY`` and ``STRIPE_WEBHOOK_SECRET``.

Every function answers plain dicts and strings, never SDK objects. A transient failure (timeout,
connection, 429, 5xx, a refused key) is ``StripeUnavailable`` (503, safe to retry); a request Stripe
refuses for good is ``StripeRejected`` (500: our request or our configuration is wrong).
"""
from __future__ import annotations

import functools
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any
from uuid import UUID

from chalicelib.core import log
from chalicelib.core.errors import AppError, BadRequest, ServiceUnavailable
from chalicelib.core.settings import settings
from chalicelib.integrations import secrets

# Stripe's own default: a signature older than this is refused (a replayed capture). We refuse one as
# far in the future too, which the SDK lets through.
TOLERANCE_S = 300
# One retry after 0.5-1 s: with the 5 s timeout a call gives up within about 11 s.
MAX_NETWORK_RETRIES = 1
# A Stripe-Signature header is "t=...,v1=..." with one or two signatures (during a secret roll).
_MAX_SIGNATURE_HEADER = 1024


class StripeUnavailable(ServiceUnavailable):
    code = "stripe_unavailable"
    message = "The payment provider cannot be reached; try again shortly."


class StripeRejected(AppError):
    """Stripe refused the request and would again: a bug or a configuration error of ours (logged)."""


class InvalidSignature(BadRequest):
    code = "invalid_signature"
    message = "The Stripe-Signature header does not sign this body."


# Credentials.

def _credential(key: str, plain: str | None, *, fresh: bool = False) -> str:
    """``api_key`` or ``webhook_secret``: from the stage's secret, or (outside prod) the plain setting."""
    arn = settings().stripe_secret_arn
    if arn:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            value = secrets.json_secret(arn, fresh=fresh).get(key)
        except (BotoCoreError, ClientError) as e:
            raise StripeUnavailable("The payment provider's credentials cannot be read.") from e
    elif settings().stage == "prod":
        raise RuntimeError("prod reads the Stripe keys from STRIPE_SECRET_ARN")
    else:
        value = plain
    if not value:
        raise StripeUnavailable(f"No Stripe {key} is configured.")
    return value


# The client.

@functools.cache
def _urllib_client_class() -> type:
    """The SDK's HTTPClient over urllib with a timeout (a class built on first use: it subclasses the
    SDK's, which is imported only then)."""
    import http.client
    import urllib.error
    import urllib.request

    import stripe

    class TimeoutUrllibClient(stripe.HTTPClient):
        name = "urllib.request"

        def __init__(self, timeout_s: float) -> None:
            super().__init__()
            self._timeout_s = timeout_s

        def request(self, method: str, url: str, headers: Any, post_data: Any = None, *,
                    _usage: Any = None) -> tuple[bytes, int, dict[str, str]]:
            data = post_data.encode() if isinstance(post_data, str) else post_data
            request = urllib.request.Request(url, data=data, headers=dict(headers or {}),
                                             method=method.upper())
            try:
                with urllib.request.urlopen(request, timeout=self._timeout_s) as response:
                    return response.read(), response.status, _lower(response.headers)
            except urllib.error.HTTPError as e:  # an answer: the SDK maps 4xx/5xx to its errors
                try:
                    raw = e.read()
                except (OSError, http.client.HTTPException):
                    raw = b""
                return raw, e.code, _lower(e.headers)
            except urllib.error.URLError as e:  # never connected
                raise stripe.APIConnectionError(f"connect failed: {e.reason}", should_retry=True) from e
            except (OSError, http.client.HTTPException) as e:  # a read timeout, a dropped answer
                raise stripe.APIConnectionError(f"{type(e).__name__}: {e}", should_retry=True) from e

        def close(self) -> None:
            """Nothing to release: each request opens and closes its own connection: nothing is held between them (the SDK's base class has no default). No streaming endpoint
            is used, so the base class's ``request_stream``, which refuses, stays."""

    return TimeoutUrllibClient


def _lower(headers: Any) -> dict[str, str]:
    # The SDK reads "request-id" and "stripe-should-retry" in lower case.
    return {k.lower(): v for k, v in (headers or {}).items()}


@functools.lru_cache(maxsize=2)
def _build(backend: str, api_base: str, api_key: str, timeout_s: float) -> Any:
    import stripe

    if backend == "api":
        return stripe.StripeClient(api_key, http_client=_urllib_client_class()(timeout_s),
                                   base_addresses={"api": api_base},
                                   max_network_retries=MAX_NETWORK_RETRIES)
    if backend == "twin":
        if not settings().is_local:
            raise RuntimeError("STRIPE_BACKEND=twin is the offline twin; a deployed stage uses api")
        from chalicelib.integrations.stripe_twin import TwinHTTPClient

        return stripe.StripeClient(api_key, http_client=TwinHTTPClient(),
                                   max_network_retries=MAX_NETWORK_RETRIES)
    raise RuntimeError(f"unknown STRIPE_BACKEND {backend!r}")


def _client() -> Any:
    """One client per container and key (a rotated key, read after the secret's TTL, builds a new one)."""
    s = settings()
    return _build(s.stripe_backend, s.stripe_api_base, _credential("api_key", s.stripe_api_key),
                  s.stripe_timeout_s)


@contextmanager
def _failures(operation: str) -> Iterator[None]:
    """Stripe's errors as ours, each logged with Stripe's request id (never a body: it may name people)."""
    import stripe

    try:
        yield
    except stripe.StripeError as e:
        status = getattr(e, "http_status", None)
        log.emit("stripe.failed", operation=operation, error_type=type(e).__name__, http_status=status,
                 code=getattr(e, "code", None), request_id=getattr(e, "request_id", None))
        if isinstance(e, stripe.AuthenticationError):
            # Probably a rolled key: read the secret afresh for the next call (when one is named).
            with suppress(StripeUnavailable):
                _credential("api_key", None, fresh=True)
        if isinstance(e, (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError,
                          stripe.AuthenticationError)) or (status or 0) >= 500:
            raise StripeUnavailable() from e
        raise StripeRejected(f"Stripe refused {operation}: {type(e).__name__}") from e


def _missing(e: Exception) -> bool:
    import stripe

    return isinstance(e, stripe.InvalidRequestError) and e.http_status == 404 and e.code == "resource_missing"


def _retrieve(operation: str, service: Any, object_id: str) -> dict[str, Any] | None:
    import stripe

    if not object_id:
        return None  # an empty id would read the list endpoint
    with _failures(operation):
        try:
            return service.retrieve(object_id).to_dict(for_json=True)  # Decimals as strings
        except stripe.InvalidRequestError as e:
            if _missing(e):
                return None
            raise


# Calls.

def create_customer(*, business_id: UUID, email: str | None, name: str) -> str:
    """The Stripe customer for a business; the idempotency key makes a retry answer the same one."""
    params: dict[str, Any] = {"name": name, "metadata": {"business_id": str(business_id)}}
    if email:
        params["email"] = email
    with _failures("create_customer"):
        customer = _client().v1.customers.create(params, {"idempotency_key": f"customer-{business_id}"})
    return customer.id


def create_checkout_session(*, customer_id: str, price_id: str, metered_price_ids: list[str],
                            business_id: UUID, success_url: str, cancel_url: str,
                            idempotency_key: str, locale: str | None = None,
                            trial_end: int | None = None) -> dict[str, Any]:
    """A Checkout Session subscribing the customer to the base price and the metered overage prices
    (which take no quantity); ``client_reference_id`` and the metadata name the business.
    ``trial_end`` (epoch seconds, at least 48 hours ahead): the card is taken now and nothing is
    charged until then."""
    reference = {"business_id": str(business_id)}
    params: dict[str, Any] = {
        "mode": "subscription",
        "customer": customer_id,
        "client_reference_id": str(business_id),
        "line_items": [{"price": price_id, "quantity": 1}, *({"price": p} for p in metered_price_ids)],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "metadata": reference,
        "subscription_data": {"metadata": reference, **({"trial_end": trial_end} if trial_end else {})},
    }
    if locale:
        params["locale"] = locale
    with _failures("create_checkout_session"):
        session = _client().v1.checkout.sessions.create(params, {"idempotency_key": idempotency_key})
    return {"id": session.id, "url": session.url}


def create_portal_session(*, customer_id: str, return_url: str) -> str:
    """The URL of a Customer Portal session (it expires within minutes: made per click)."""
    with _failures("create_portal_session"):
        session = _client().v1.billing_portal.sessions.create(
            {"customer": customer_id, "return_url": return_url})
    return session.url


def retrieve_subscription(subscription_id: str) -> dict[str, Any] | None:
    """The subscription as Stripe holds it now (also once canceled); None when Stripe has no such id."""
    return _retrieve("retrieve_subscription", _client().v1.subscriptions, subscription_id)


def retrieve_invoice(invoice_id: str) -> dict[str, Any] | None:
    return _retrieve("retrieve_invoice", _client().v1.invoices, invoice_id)


def retrieve_checkout_session(session_id: str) -> dict[str, Any] | None:
    return _retrieve("retrieve_checkout_session", _client().v1.checkout.sessions, session_id)


def _duplicate_identifier(e: Exception) -> bool:
    # Stripe refuses a meter event whose identifier it saw in the last 24 hours or more with a 400; its
    # error code is not documented, its message names the identifier.
    import stripe

    message = (getattr(e, "user_message", None) or str(e)).lower()
    return (isinstance(e, stripe.InvalidRequestError) and e.http_status == 400
            and "identifier" in message and ("already" in message or "duplicate" in message))


def send_meter_event(*, event_name: str, customer_id: str, value: int, identifier: str,
                     timestamp: int) -> None:
    """Report ``value`` units to a meter. The same ``identifier`` sent again is not counted twice by
    Stripe (the idempotency key replays a retry within 24 hours, the identifier refuses a later
    resend), and that refusal counts as sent."""
    import stripe

    params = {"event_name": event_name, "identifier": identifier, "timestamp": timestamp,
              "payload": {"stripe_customer_id": customer_id, "value": str(value)}}
    with _failures("send_meter_event"):
        try:
            _client().v1.billing.meter_events.create(params, {"idempotency_key": f"meter-{identifier}"})
        except stripe.InvalidRequestError as e:
            if not _duplicate_identifier(e):
                raise
            log.emit("stripe.meter_event_duplicate", event_name=event_name, identifier=identifier)


# The webhook.

def _timestamp(header: str) -> int | None:
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        if name == "t":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _signed(text: str, header: str, secret: str) -> bool:
    import stripe

    try:
        stripe.WebhookSignature.verify_header(text, header, secret, TOLERANCE_S)
    except stripe.SignatureVerificationError:
        return False
    return True


def verify_event(payload: bytes | str, signature: str | None) -> dict[str, Any]:
    """The event a webhook POST carries, once its ``Stripe-Signature`` is checked against the exact
    body: HMAC-SHA256 with the endpoint secret, signed within ``TOLERANCE_S`` of now (either way)."""
    if not signature or len(signature) > _MAX_SIGNATURE_HEADER:
        raise InvalidSignature("The Stripe-Signature header is missing." if not signature else None)
    try:
        text = payload.decode("utf-8") if isinstance(payload, bytes) else payload
    except UnicodeDecodeError as e:
        raise InvalidSignature() from e
    s = settings()
    signed = _signed(text, signature, _credential("webhook_secret", s.stripe_webhook_secret))
    if not signed and s.stripe_secret_arn:
        # The secret may have been rolled since it was read (a fresh read is rate-limited per secret).
        signed = _signed(text, signature, _credential("webhook_secret", None, fresh=True))
    stamp = _timestamp(signature)
    if not signed or stamp is None or stamp > time.time() + TOLERANCE_S:
        raise InvalidSignature()
    try:
        event = json.loads(text)
    except ValueError as e:
        raise BadRequest("The body is not JSON.") from e
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str):
        raise BadRequest("The body is not a Stripe event.")
    return event


# The stage's prices (STRIPE_PRICES).

def _prices() -> dict[str, Any]:
    return dict(settings().stripe_prices)


def price_for(plan: str, interval: str, currency: str) -> str:
    """The Stripe Price of a plan's base fee; KeyError when the stage names none (a configuration error)."""
    key = f"{plan}.{interval}.{currency.upper()}"
    price = _prices().get(key)
    if not isinstance(price, str):
        raise KeyError(f"STRIPE_PRICES names no price for {key}")
    return price


def metered_price_for(meter: str, currency: str, plan: str | None = None) -> str | None:
    """The metered Price billing a meter's overage, the plan's own (``{plan}.overage.{meter}.{CUR}``,
    where plans bill a meter at different unit prices) before the stage's (``overage.{meter}.{CUR}``);
    None when the stage bills no such overage."""
    prices = _prices()
    currency = currency.upper()
    if plan and isinstance(prices.get(f"{plan}.overage.{meter}.{currency}"), str):
        return prices[f"{plan}.overage.{meter}.{currency}"]
    price = prices.get(f"overage.{meter}.{currency}")
    return price if isinstance(price, str) else None


def plan_of_price(price_id: str) -> tuple[str, str, str] | None:
    """(plan, interval, currency) of a base Price of the stage; None for any other price."""
    for key, value in _prices().items():
        parts = key.split(".")
        if value == price_id and len(parts) == 3 and parts[1] in ("month", "year"):
            return parts[0], parts[1], parts[2]
    return None


def meter_event_name(meter: str) -> str:
    """The ``event_name`` of the Stripe meter counting ``meter``; KeyError when the stage names none."""
    names = _prices().get("meters") or {}
    if not isinstance(names.get(meter), str):
        raise KeyError(f"STRIPE_PRICES names no meter event for {meter}")
    return names[meter]
