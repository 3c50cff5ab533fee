"""Stripe's offline twin: the tests' and ``make run``'s Stripe, answering like API version
2026-10-28.endive from memory.

- ``Twin``: customers, Checkout and portal sessions, subscriptions (periods on their items), invoices
  (their subscription under ``parent.subscription_details``) and meter events; Idempotency-Keys replayed
  as Stripe does; 404 ``resource_missing`` for unknown ids. It also checks what we send (subscription
  mode, a ``client_reference_id``, a customer it made, prices of the stage, no quantity on a metered
  price) and refuses the rest with Stripe's 400, so a test of ours fails on a wrong request too.
  Scenario methods move a subscription on (paid, failed, action required, given up, cancelled at
  period end, renewed) and answer the events Stripe would send, each ``data.object`` the object as it
  was then. A period ends *now* (``end_period``), so dates stay near the real clock.
- ``TwinHTTPClient``: the SDK's HTTP client serving the active twin in-process (``STRIPE_BACKEND=twin``).
- ``sign``: the ``Stripe-Signature`` header, by Stripe's scheme.

``chalicelib/integrations/stripe_twin_server.py`` serves it over HTTP for ``make run``.
"""
from __future__ import annotations

import base64
import calendar
import copy
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlsplit

import stripe

from chalicelib.billing import plans
from chalicelib.core.settings import settings
from chalicelib.integrations import twin_instance

API_VERSION = "2026-10-28.endive"
TRIAL_DAYS = 14
_DAY = 86400
# Stripe: a meter event's timestamp within the past 35 days or up to 5 minutes ahead.
_METER_PAST_S, _METER_FUTURE_S = 35 * _DAY, 300
# Checkout's subscription_data.trial_end must be at least 48 hours ahead.
_MIN_TRIAL_S = 48 * 3600


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header for ``payload``: ``t=<unix time>,v1=<HMAC-SHA256 of "t.payload">``."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def decode_form(body: str | None) -> dict[str, Any]:
    """Stripe's form encoding (``line_items[0][price]=p``) as nested dicts and lists of strings."""
    out: dict[str, Any] = {}
    for key, value in parse_qsl(body or "", keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if parts:
            node[parts[-1]] = value

    def listify(node: Any) -> Any:
        if isinstance(node, dict):
            node = {k: listify(v) for k, v in node.items()}
            if node and all(k.isdigit() for k in node):
                return [node[k] for k in sorted(node, key=int)]
        return node

    return listify(out)


def _new_id(prefix: str) -> str:
    return f"{prefix}_twin{uuid.uuid4().hex[:20]}"


def _add_months(at: int, months: int) -> int:
    day = datetime.fromtimestamp(at, timezone.utc)
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return int(day.replace(year=year, month=month,
                           day=min(day.day, calendar.monthrange(year, month)[1])).timestamp())


def _period_end(start: int, interval: str) -> int:
    return _add_months(start, 12 if interval == "year" else 1)


class StripeAnswer(Exception):
    """An error answer, in Stripe's shape."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": type, "message": message,
                               **({"code": code} if code else {}), **({"param": param} if param else {})}}


class Dropped(Exception):
    """An injected transport failure: the connection closes without an answer."""


def _missing(kind: str, object_id: str, param: str = "id") -> StripeAnswer:
    return StripeAnswer(404, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


def _invalid(param: str, message: str) -> StripeAnswer:
    return StripeAnswer(400, message, code="parameter_invalid", param=param)


@dataclass(frozen=True)
class TwinRequest:
    method: str
    path: str
    params: dict[str, Any]
    idempotency_key: str | None


class Twin:
    """Stripe's state for one account in test mode. Thread-safe (the server answers on threads)."""

    def __init__(self, *, api_key: str, webhook_secret: str, prices: Mapping[str, Any],
                 public_base: str | None = None) -> None:
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        # Where the pages of the `serve` server are; None: Stripe's own hosts (tests in-process).
        self.public_base = public_base
        self.customers: dict[str, dict[str, Any]] = {}
        self.checkout_sessions: dict[str, dict[str, Any]] = {}
        self.portal_sessions: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.meter_events: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.requests: list[TwinRequest] = []
        self.prices = self._price_objects(prices)
        self.meter_event_names = dict(prices.get("meters") or {})
        self._lines: dict[str, list[dict[str, Any]]] = {}  # checkout session -> its line items
        self._trial_ends: dict[str, int] = {}  # checkout session -> subscription_data.trial_end
        self._idempotent: dict[str, tuple[dict[str, Any], int, dict[str, Any]]] = {}
        self._identifiers: set[str] = set()
        self._faults: list[int | None] = []
        self._numbers: dict[str, int] = {}
        self._clock = 0
        self._lock = threading.RLock()

    @classmethod
    def from_settings(cls) -> Twin:
        s = settings()
        return cls(api_key=s.stripe_api_key or "", webhook_secret=s.stripe_webhook_secret or "",
                   prices=s.stripe_prices)

    # The stage's prices as Stripe Price objects, amounts from the catalogue.

    @staticmethod
    def _price_objects(prices: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for key, price_id in prices.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[1] in plans.INTERVALS:
                plan_key, interval, currency = parts
                amount = plans.PLANS[plan_key].prices[(interval, currency)]
                recurring = {"interval": interval, "interval_count": 1, "usage_type": "licensed",
                             "meter": None, "trial_period_days": None}
                product = f"prod_twin_{plan_key}"
            elif len(parts) in (3, 4) and parts[-3] == "overage":
                meter, currency = parts[-2], parts[-1]
                plan_key = parts[0] if len(parts) == 4 else next(
                    p for p in plans.LADDER if meter in plans.PLANS[p].overage)
                amount = plans.PLANS[plan_key].overage[meter][currency]
                recurring = {"interval": "month", "interval_count": 1, "usage_type": "metered",
                             "meter": f"mtr_twin_{meter}", "trial_period_days": None}
                product = f"prod_twin_{meter}_overage"
            else:
                continue
            found[price_id] = {
                "id": price_id, "object": "price", "active": True, "billing_scheme": "per_unit",
                "created": 1767225600, "currency": currency.lower(), "livemode": False,
                "lookup_key": key, "metadata": {}, "nickname": None, "product": product,
                "recurring": recurring, "tax_behavior": "unspecified", "type": "recurring",
                "unit_amount": amount, "unit_amount_decimal": str(amount)}
        return found

    # Faults.

    def fail_next(self, status: int = 500, count: int = 1) -> None:
        """The next ``count`` API calls answer ``status`` (500: Stripe's api_error; 429: rate limited)."""
        with self._lock:
            self._faults.extend([status] * count)

    def drop_next(self, count: int = 1) -> None:
        """The next ``count`` API calls get no answer (the connection closes)."""
        with self._lock:
            self._faults.extend([None] * count)

    def expire_idempotency_keys(self) -> None:
        """A day has passed: Stripe no longer remembers the Idempotency-Keys it was sent (a meter
        event's identifier it still refuses)."""
        with self._lock:
            self._idempotent.clear()

    # The API.

    def api(self, method: str, path: str, query: str, body: str | None,
            headers: Mapping[str, str]) -> tuple[int, dict[str, Any], dict[str, str]]:
        """One API call: (status, JSON body, headers) as Stripe would answer it."""
        method = method.lower()
        given = {k.lower(): v for k, v in headers.items()}
        out = {"request-id": _new_id("req"), "content-type": "application/json", "stripe-version": API_VERSION}
        with self._lock:
            if self._faults:
                status = self._faults.pop(0)
                if status is None:
                    raise Dropped()
                kind = "rate_limit_error" if status == 429 else "api_error"
                return status, StripeAnswer(status, "twin: an injected failure", type=kind).body, out
            if not self.api_key or given.get("authorization") not in (
                    f"Bearer {self.api_key}", "Basic " + base64.b64encode(f"{self.api_key}:".encode()).decode()):
                return 401, StripeAnswer(401, "Invalid API Key provided.").body, out
            params = decode_form(body if method == "post" else query)
            key = given.get("idempotency-key") if method == "post" else None
            self.requests.append(TwinRequest(method, path, params, key))
            if key and key in self._idempotent:
                first_params, status, answer = self._idempotent[key]
                if first_params != params:
                    return 400, StripeAnswer(
                        400, "Keys for idempotent requests can only be used with the same parameters "
                             "they were first used with.", type="idempotency_error").body, out
                return status, copy.deepcopy(answer), {**out, "idempotent-replayed": "true"}
            try:
                status, answer = 200, self._route(method, path, params)
            except StripeAnswer as e:
                status, answer = e.status, e.body
            if key:
                self._idempotent[key] = (params, status, copy.deepcopy(answer))
            return status, answer, out

    def _route(self, method: str, path: str, p: dict[str, Any]) -> dict[str, Any]:
        routes = (
            ("post", r"/v1/customers", self._create_customer),
            ("get", r"/v1/customers/([^/]+)", lambda i: self._get(self.customers, "customer", i)),
            ("post", r"/v1/checkout/sessions", self._create_checkout_session),
            ("get", r"/v1/checkout/sessions/([^/]+)", lambda i: self._get(self.checkout_sessions,
                                                                           "checkout.session", i)),
            ("post", r"/v1/billing_portal/sessions", self._create_portal_session),
            ("get", r"/v1/subscriptions/([^/]+)", lambda i: self._get(self.subscriptions, "subscription", i)),
            ("get", r"/v1/invoices/([^/]+)", lambda i: self._get(self.invoices, "invoice", i)),
            ("post", r"/v1/billing/meter_events", self._create_meter_event),
        )
        for verb, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return handler(*match.groups()) if match.groups() else handler(p)
        raise StripeAnswer(404, f"Unrecognized request URL ({method.upper()}: {path}).")

    @staticmethod
    def _get(store: dict[str, dict[str, Any]], kind: str, object_id: str) -> dict[str, Any]:
        if object_id not in store:
            raise _missing(kind, object_id)
        return copy.deepcopy(store[object_id])

    def _create_customer(self, p: dict[str, Any]) -> dict[str, Any]:
        customer = {
            "id": _new_id("cus"), "object": "customer", "created": int(time.time()), "livemode": False,
            "email": p.get("email"), "name": p.get("name"), "description": None, "currency": None,
            "balance": 0, "delinquent": False, "metadata": p.get("metadata") or {},
            "invoice_settings": {"default_payment_method": None, "custom_fields": None, "footer": None},
            "preferred_locales": []}
        self.customers[customer["id"]] = customer
        return copy.deepcopy(customer)

    def _customer(self, p: dict[str, Any]) -> str:
        customer = p.get("customer")
        if not customer:
            raise _invalid("customer", "twin: a customer is required (we create one per business first)")
        if customer not in self.customers:
            raise _missing("customer", customer, "customer")
        return customer

    def _create_checkout_session(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("mode") != "subscription":
            raise _invalid("mode", "twin: Checkout is used in subscription mode only")
        customer = self._customer(p)
        if not p.get("client_reference_id"):
            raise _invalid("client_reference_id", "twin: client_reference_id (the business id) is required")
        for param in ("success_url", "cancel_url"):
            if not str(p.get(param) or "").startswith(("http://", "https://")):
                raise _invalid(param, f"twin: {param} must be an absolute URL")
        lines = p.get("line_items")
        if not isinstance(lines, list) or not lines:
            raise _invalid("line_items", "twin: line_items are required")
        for n, line in enumerate(lines):
            price = self.prices.get(line.get("price")) if isinstance(line, dict) else None
            if price is None:
                raise _missing("price", str(line.get("price") if isinstance(line, dict) else line),
                               f"line_items[{n}][price]")
            metered = price["recurring"]["usage_type"] == "metered"
            if metered and "quantity" in line:
                raise _invalid(f"line_items[{n}][quantity]",
                               "Quantity should not be specified where usage_type is `metered`.")
            if not metered and line.get("quantity") != "1":
                raise _invalid(f"line_items[{n}][quantity]", "twin: the base price is bought once")
        currencies = {self.prices[line["price"]]["currency"] for line in lines}
        if len(currencies) != 1:
            raise _invalid("line_items", "All prices on a subscription must have the same currency.")
        subscription_data = p.get("subscription_data") or {}
        trial_end = subscription_data.get("trial_end")
        now = int(time.time())
        if trial_end is not None and int(trial_end) < now + _MIN_TRIAL_S:
            raise _invalid("subscription_data[trial_end]", "trial_end must be at least 48 hours in the future.")
        session_id = _new_id("cs")
        base = next(self.prices[line["price"]] for line in lines
                    if self.prices[line["price"]]["recurring"]["usage_type"] == "licensed")
        session = {
            "id": session_id, "object": "checkout.session", "mode": "subscription", "status": "open",
            "payment_status": "unpaid", "customer": customer, "customer_email": None,
            "client_reference_id": p["client_reference_id"], "subscription": None, "invoice": None,
            "metadata": p.get("metadata") or {}, "success_url": p["success_url"],
            "cancel_url": p["cancel_url"], "locale": p.get("locale"), "currency": currencies.pop(),
            "amount_subtotal": base["unit_amount"], "amount_total": base["unit_amount"],
            "created": now, "expires_at": now + _DAY, "livemode": False,
            "url": (f"{self.public_base}/checkout/{session_id}" if self.public_base
                    else f"https://checkout.stripe.com/c/pay/{session_id}")}
        self.checkout_sessions[session_id] = session
        self._lines[session_id] = [{**line, "_metadata": subscription_data.get("metadata") or {}}
                                   for line in lines]
        if trial_end is not None:
            self._trial_ends[session_id] = int(trial_end)
        return copy.deepcopy(session)

    def _create_portal_session(self, p: dict[str, Any]) -> dict[str, Any]:
        customer = self._customer(p)
        if not str(p.get("return_url") or "").startswith(("http://", "https://")):
            raise _invalid("return_url", "twin: return_url must be an absolute URL")
        session_id = _new_id("bps")
        session = {"id": session_id, "object": "billing_portal.session", "customer": customer,
                   "return_url": p["return_url"], "created": int(time.time()), "livemode": False,
                   "locale": p.get("locale"), "configuration": "bpc_twin",
                   "url": (f"{self.public_base}/portal/{session_id}" if self.public_base
                           else f"https://billing.stripe.com/p/session/{session_id}")}
        self.portal_sessions[session_id] = session
        return copy.deepcopy(session)

    def _create_meter_event(self, p: dict[str, Any]) -> dict[str, Any]:
        name = p.get("event_name")
        if name not in self.meter_event_names.values():
            raise _invalid("event_name", f"No active meter was found for event_name '{name}'.")
        payload = p.get("payload") or {}
        if payload.get("stripe_customer_id") not in self.customers:
            raise _missing("customer", str(payload.get("stripe_customer_id")), "payload[stripe_customer_id]")
        if not re.fullmatch(r"-?\d+", str(payload.get("value", ""))):
            raise _invalid("payload[value]", "twin: the value is a whole number")
        now = int(time.time())
        timestamp = int(p.get("timestamp") or now)
        if not now - _METER_PAST_S <= timestamp <= now + _METER_FUTURE_S:
            raise _invalid("timestamp", "The timestamp must be within the past 35 calendar days or up to "
                                        "5 minutes in the future.")
        identifier = p.get("identifier") or _new_id("mev")
        if identifier in self._identifiers:
            raise StripeAnswer(400, f"An event already exists with identifier {identifier}.",
                               param="identifier")
        self._identifiers.add(identifier)
        event = {"object": "billing.meter_event", "created": now, "event_name": name,
                 "identifier": identifier, "livemode": False, "payload": payload, "timestamp": timestamp}
        self.meter_events.append(event)
        return copy.deepcopy(event)

    # Objects behind the scenarios.

    def _tick(self) -> int:
        """Event times: the clock, never equal to or before the previous event's."""
        self._clock = max(int(time.time()), self._clock + 1)
        return self._clock

    def _event(self, type: str, obj: dict[str, Any],
               previous: dict[str, Any] | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {"object": copy.deepcopy(obj)}
        if previous is not None:
            data["previous_attributes"] = copy.deepcopy(previous)
        event = {"id": _new_id("evt"), "object": "event", "api_version": API_VERSION,
                 "created": self._tick(), "livemode": False, "pending_webhooks": 1, "type": type,
                 "data": data, "request": {"id": None, "idempotency_key": None}}
        self.events.append(event)
        return copy.deepcopy(event)

    def _subscription(self, subscription_id: str) -> dict[str, Any]:
        if subscription_id not in self.subscriptions:
            raise KeyError(f"twin: no subscription {subscription_id}")
        return self.subscriptions[subscription_id]

    def _open_invoice(self, sub: dict[str, Any]) -> dict[str, Any] | None:
        invoice = self.invoices.get(sub["latest_invoice"] or "")
        return invoice if invoice and invoice["status"] == "open" else None

    def _invoice(self, sub: dict[str, Any], reason: str, *, free: bool = False) -> dict[str, Any]:
        """A finalized (open) invoice for the subscription's current period, its latest."""
        now = int(time.time())
        lines = []
        for item in sub["items"]["data"]:
            price = item["price"]
            amount = 0 if free or price["recurring"]["usage_type"] == "metered" else price["unit_amount"]
            lines.append({"id": _new_id("il"), "object": "line_item", "amount": amount,
                          "currency": price["currency"], "quantity": item.get("quantity"),
                          "period": {"start": item["current_period_start"], "end": item["current_period_end"]},
                          "pricing": {"type": "price_details",
                                      "price_details": {"price": price["id"], "product": price["product"]}}})
        total = sum(line["amount"] for line in lines)
        invoice_id = _new_id("in")
        number = self._numbers[sub["customer"]] = self._numbers.get(sub["customer"], 0) + 1
        prefix = sub["customer"][-8:].upper()
        pages = f"{self.public_base}/invoice/{invoice_id}" if self.public_base else None
        first = sub["items"]["data"][0]
        invoice = {
            "id": invoice_id, "object": "invoice", "customer": sub["customer"], "status": "open",
            "number": f"{prefix}-{number:04d}", "currency": sub["currency"], "amount_due": total,
            "amount_paid": 0, "amount_remaining": total, "subtotal": total, "total": total,
            "created": now, "period_start": first["current_period_start"],
            "period_end": first["current_period_end"], "attempt_count": 0, "attempted": False,
            "next_payment_attempt": now + 3600, "billing_reason": reason,
            "collection_method": "charge_automatically", "due_date": None, "livemode": False,
            "hosted_invoice_url": pages or f"https://invoice.stripe.com/i/acct_twin/{invoice_id}",
            "invoice_pdf": f"{pages}/pdf" if pages else f"https://pay.stripe.com/invoice/acct_twin/{invoice_id}/pdf",
            "status_transitions": {"finalized_at": now, "paid_at": None, "voided_at": None,
                                   "marked_uncollectible_at": None},
            "parent": {"type": "subscription_details", "quote_details": None,
                       "subscription_details": {"subscription": sub["id"], "metadata": sub["metadata"]}},
            "lines": {"object": "list", "data": lines, "has_more": False,
                      "url": f"/v1/invoices/{invoice_id}/lines", "total_count": len(lines)}}
        self.invoices[invoice_id] = invoice
        sub["latest_invoice"] = invoice_id
        return invoice

    def _mark_paid(self, invoice: dict[str, Any]) -> None:
        now = int(time.time())
        invoice.update(status="paid", amount_paid=invoice["amount_due"], amount_remaining=0,
                       attempted=True, attempt_count=invoice["attempt_count"] + 1, next_payment_attempt=None)
        invoice["status_transitions"]["paid_at"] = now

    def _set(self, sub: dict[str, Any], **changes: Any) -> dict[str, Any]:
        """Apply ``changes``; answer the attributes as they were (``previous_attributes``)."""
        previous = {k: copy.deepcopy(sub[k]) for k in changes if sub[k] != changes[k]}
        sub.update(changes)
        return previous

    def _renew(self, sub: dict[str, Any]) -> list[dict[str, Any]]:
        """The current period (a trial's too) ends now and the next begins: the subscription's update
        and the next period's invoice, finalized."""
        now = int(time.time())
        old_items = copy.deepcopy(sub["items"])
        for item in sub["items"]["data"]:
            item["current_period_start"] = now
            item["current_period_end"] = _period_end(now, item["price"]["recurring"]["interval"])
        previous = self._set(sub, status="active") if sub["status"] == "trialing" else {}
        events = [self._event("customer.subscription.updated", sub, {**previous, "items": old_items})]
        invoice = self._invoice(sub, "subscription_cycle")
        events.append(self._event("invoice.finalized", invoice))
        return events

    # Scenarios: each changes the state as Stripe would and answers the events it would send.

    def complete_checkout(self, session_id: str, *, trial: bool = False) -> list[dict[str, Any]]:
        """The customer paid on the Checkout page (with ``trial``, or a session asking for one: a card
        taken, nothing charged until the trial ends)."""
        with self._lock:
            session = self.checkout_sessions.get(session_id)
            if session is None or session["status"] != "open":
                raise KeyError(f"twin: no open checkout session {session_id}")
            now = int(time.time())
            trial_end = self._trial_ends.get(session_id) or (now + TRIAL_DAYS * _DAY if trial else None)
            subscription_id = _new_id("sub")
            payment_method = _new_id("pm")
            items = []
            for line in self._lines[session_id]:
                price = copy.deepcopy(self.prices[line["price"]])
                item = {"id": _new_id("si"), "object": "subscription_item", "subscription": subscription_id,
                        "created": now, "metadata": {}, "discounts": [], "tax_rates": [], "price": price,
                        "current_period_start": now,
                        "current_period_end": trial_end or _period_end(now, price["recurring"]["interval"])}
                if price["recurring"]["usage_type"] == "licensed":
                    item["quantity"] = int(line["quantity"])
                items.append(item)
            sub = {
                "id": subscription_id, "object": "subscription", "customer": session["customer"],
                "status": "trialing" if trial_end else "incomplete", "created": now, "start_date": now,
                "billing_cycle_anchor": trial_end or now, "currency": session["currency"],
                "livemode": False, "cancel_at_period_end": False, "cancel_at": None, "canceled_at": None,
                "cancellation_details": {"comment": None, "feedback": None, "reason": None},
                "ended_at": None, "trial_start": now if trial_end else None, "trial_end": trial_end,
                "collection_method": "charge_automatically", "default_payment_method": payment_method,
                "latest_invoice": None, "metadata": self._lines[session_id][0]["_metadata"],
                "pause_collection": None,
                "items": {"object": "list", "data": items, "has_more": False, "total_count": len(items),
                          "url": f"/v1/subscription_items?subscription={subscription_id}"}}
            self.subscriptions[subscription_id] = sub
            self.customers[session["customer"]]["invoice_settings"]["default_payment_method"] = payment_method
            events = [self._event("customer.subscription.created", sub)]
            invoice = self._invoice(sub, "subscription_create", free=bool(trial_end))
            events.append(self._event("invoice.finalized", invoice))
            self._mark_paid(invoice)
            events.append(self._event("invoice.paid", invoice))
            if not trial_end:
                events.append(self._event("customer.subscription.updated", sub, self._set(sub, status="active")))
            session.update(status="complete", subscription=subscription_id, invoice=invoice["id"],
                           payment_status="no_payment_required" if trial_end else "paid")
            events.append(self._event("checkout.session.completed", session))
            return events

    def _unpaid_invoice(self, sub: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The open invoice, or (all paid) the next period's, its renewal having begun now."""
        if sub["status"] not in ("trialing", "active", "past_due", "unpaid"):
            raise ValueError(f"twin: subscription {sub['id']} is {sub['status']}")
        invoice = self._open_invoice(sub)
        if invoice is not None:
            return invoice, []
        events = self._renew(sub)
        return self.invoices[sub["latest_invoice"]], events

    def _past_due(self, sub: dict[str, Any]) -> list[dict[str, Any]]:
        if sub["status"] in ("past_due", "unpaid"):
            return []
        return [self._event("customer.subscription.updated", sub, self._set(sub, status="past_due"))]

    def fail_payment(self, subscription_id: str) -> list[dict[str, Any]]:
        """A charge fails (at renewal when nothing is open; Smart Retries will try again in 3 days)."""
        with self._lock:
            sub = self._subscription(subscription_id)
            invoice, events = self._unpaid_invoice(sub)
            invoice.update(attempted=True, attempt_count=invoice["attempt_count"] + 1,
                           next_payment_attempt=int(time.time()) + 3 * _DAY)
            events.append(self._event("invoice.payment_failed", invoice))
            return events + self._past_due(sub)

    def require_action(self, subscription_id: str) -> list[dict[str, Any]]:
        """The bank asks the customer to authenticate the charge (3-D Secure) on the hosted invoice page."""
        with self._lock:
            sub = self._subscription(subscription_id)
            invoice, events = self._unpaid_invoice(sub)
            invoice.update(attempted=True, attempt_count=invoice["attempt_count"] + 1)
            events.append(self._event("invoice.payment_action_required", invoice))
            return events + self._past_due(sub)

    def give_up(self, subscription_id: str, *, cancel: bool = False) -> list[dict[str, Any]]:
        """Smart Retries ran out: the subscription becomes ``unpaid`` (the invoice stays open to pay),
        or with ``cancel`` (the account's other setting) it is canceled."""
        with self._lock:
            sub = self._subscription(subscription_id)
            if sub["status"] not in ("past_due", "unpaid"):
                raise ValueError(f"twin: subscription {subscription_id} is {sub['status']}, not past due")
            invoice = self._open_invoice(sub)
            if invoice is not None:
                invoice["next_payment_attempt"] = None
            if cancel:
                now = int(time.time())
                self._set(sub, status="canceled", canceled_at=now, ended_at=now,
                          cancellation_details={"comment": None, "feedback": None, "reason": "payment_failed"})
                return [self._event("customer.subscription.deleted", sub)]
            return [self._event("customer.subscription.updated", sub, self._set(sub, status="unpaid"))]

    def pay(self, subscription_id: str) -> list[dict[str, Any]]:
        """The open invoice is paid (the owner paid on the hosted page, or a retry went through): the
        subscription is active again at once."""
        with self._lock:
            sub = self._subscription(subscription_id)
            invoice = self._open_invoice(sub)
            if invoice is None:
                raise ValueError(f"twin: subscription {subscription_id} has no open invoice")
            self._mark_paid(invoice)
            events = [self._event("invoice.paid", invoice)]
            if sub["status"] != "active":
                events.append(self._event("customer.subscription.updated", sub, self._set(sub, status="active")))
            return events

    def cancel_at_period_end(self, subscription_id: str) -> list[dict[str, Any]]:
        """The owner cancels in the portal: it runs to the end of the period (and is not renewed)."""
        with self._lock:
            sub = self._subscription(subscription_id)
            if sub["status"] in ("canceled", "incomplete", "incomplete_expired"):
                raise ValueError(f"twin: subscription {subscription_id} is {sub['status']}")
            end = max(item["current_period_end"] for item in sub["items"]["data"])
            previous = self._set(sub, cancel_at_period_end=True, cancel_at=end, canceled_at=int(time.time()),
                                 cancellation_details={"comment": None, "feedback": None,
                                                       "reason": "cancellation_requested"})
            return [self._event("customer.subscription.updated", sub, previous)]

    def resume(self, subscription_id: str) -> list[dict[str, Any]]:
        """The owner takes the cancellation back before the period ends."""
        with self._lock:
            sub = self._subscription(subscription_id)
            if not sub["cancel_at_period_end"] or sub["status"] == "canceled":
                raise ValueError(f"twin: subscription {subscription_id} is not set to cancel")
            previous = self._set(sub, cancel_at_period_end=False, cancel_at=None, canceled_at=None,
                                 cancellation_details={"comment": None, "feedback": None, "reason": None})
            return [self._event("customer.subscription.updated", sub, previous)]

    def end_period(self, subscription_id: str) -> list[dict[str, Any]]:
        """The current period (or trial) ends now: a subscription set to cancel is deleted; any other
        renews, its next invoice charged and paid."""
        with self._lock:
            sub = self._subscription(subscription_id)
            if sub["cancel_at_period_end"] and sub["status"] != "canceled":
                now = int(time.time())
                self._set(sub, status="canceled", ended_at=now, cancel_at=now)
                return [self._event("customer.subscription.deleted", sub)]
            if sub["status"] not in ("trialing", "active"):
                raise ValueError(f"twin: subscription {subscription_id} is {sub['status']}")
            events = self._renew(sub)
            invoice = self.invoices[sub["latest_invoice"]]
            self._mark_paid(invoice)
            return events + [self._event("invoice.paid", invoice)]

    def trial_will_end(self, subscription_id: str) -> list[dict[str, Any]]:
        """Stripe's notice three days before a (Stripe-side) trial ends."""
        with self._lock:
            sub = self._subscription(subscription_id)
            if sub["status"] != "trialing":
                raise ValueError(f"twin: subscription {subscription_id} is not trialing")
            return [self._event("customer.subscription.trial_will_end", sub)]

    def subscriptions_of(self, customer_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(s) for s in self.subscriptions.values() if s["customer"] == customer_id]


# The active twin: the one the in-process client serves (each test starts a fresh one).
_active = twin_instance.Active(Twin.from_settings)


def active() -> Twin:
    return _active.get()


def reset() -> Twin:
    """A fresh twin from the settings, now the active one."""
    return _active.reset()


class TwinHTTPClient(stripe.HTTPClient):
    """The SDK's transport, answered by a twin in this process (the active one unless given)."""

    name = "stripe-twin"

    def __init__(self, twin: Twin | None = None) -> None:
        super().__init__()
        self._twin = twin

    def request(self, method: str, url: str, headers: Any, post_data: Any = None, *,
                _usage: Any = None) -> tuple[str, int, dict[str, str]]:
        parts = urlsplit(url)
        body = post_data.decode() if isinstance(post_data, bytes) else post_data
        try:
            status, answer, out = (self._twin or active()).api(method, parts.path, parts.query, body,
                                                               headers or {})
        except Dropped as e:
            raise stripe.APIConnectionError("twin: the connection closed", should_retry=True) from e
        return json.dumps(answer), status, out

    def close(self) -> None:
        """Nothing to release: in-process: no connection is held (the SDK's base class has no default). No streaming endpoint
        is used, so the base class's ``request_stream``, which refuses, stays."""

    def _sleep_time_seconds(self, num_retries: int) -> float:
        return 0.0  # the SDK's back-off between retries, pointless against memory

