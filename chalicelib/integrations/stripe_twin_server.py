"""``make run``'s Stripe: the offline twin (``stripe_twin.Twin``) served over HTTP on 127.0.0.1.

``python -m chalicelib.integrations.stripe_twin_server`` listens on the port of the local stage's
``STRIPE_API_BASE`` and answers the Stripe API for the ``api`` backend, with a Checkout page whose
"Pay" completes the session and posts the signed events to ``STRIPE_TWIN_WEBHOOK_URL``, and a portal
page (cancel at period end, resume, pay an open invoice, and the twin's scenarios).
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import urllib.error
import urllib.request
from datetime import datetime, timezone
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from chalicelib.core.settings import settings
from chalicelib.integrations.stripe_twin import Dropped, Twin, sign
from chalicelib.integrations.twin_http import TwinHandler, TwinServer, serve

MAX_BODY = 64 * 1024
_WEBHOOK_TIMEOUT_S = 10


def post_events(events: list[dict[str, Any]], url: str, secret: str) -> list[int | str]:
    """POST each event, signed, to the webhook; answer each status (or the failure)."""
    results: list[int | str] = []
    for event in events:
        payload = json.dumps(event).encode()
        request = urllib.request.Request(url, data=payload, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "Stripe-Signature": sign(payload, secret)})
        try:
            with urllib.request.urlopen(request, timeout=_WEBHOOK_TIMEOUT_S) as response:
                results.append(response.status)
        except urllib.error.HTTPError as e:
            results.append(e.code)
        except (urllib.error.URLError, OSError) as e:
            results.append(f"{type(e).__name__}: {getattr(e, 'reason', e)}")
        print(f"stripe twin: {event['type']} {event['id']} -> {results[-1]}", flush=True)
    return results


def _money(amount: int, currency: str) -> str:
    return f"{amount / 100:.2f} {currency.upper()}"


def _day(at: int | None) -> str:
    return datetime.fromtimestamp(at, timezone.utc).strftime("%Y-%m-%d") if at else "-"


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} · Stripe twin</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1f36}}
.note{{color:#697386;font-size:.9rem}} button{{font-size:1rem;padding:.6rem 1.4rem;margin:.2rem 0;cursor:pointer}}
.pay{{background:#635bff;color:#fff;border:0;border-radius:6px}} form{{display:inline-block;margin-right:.5rem}}
table{{border-collapse:collapse}} td{{padding:.2rem 1rem .2rem 0}}</style></head>
<body><p class="note">Stripe twin (offline, test mode): no card is charged.</p>{body}</body></html>"""


def _page(title: str, body: str) -> bytes:
    return _PAGE.format(title=html.escape(title), body=body).encode()


def _button(action: str, label: str, *, primary: bool = False) -> str:
    cls = ' class="pay"' if primary else ""
    return (f'<form method="post" action="{html.escape(action)}">'
            f'<button type="submit"{cls}>{html.escape(label)}</button></form>')


class _Server(TwinServer):
    def __init__(self, port: int, twin: Twin, webhook_url: str) -> None:
        self.twin = twin
        self.webhook_url = webhook_url
        super().__init__(port, _Handler)


class _Handler(TwinHandler):
    server: _Server
    max_body = MAX_BODY
    too_large = b'{"error":{"type":"invalid_request_error","message":"Body too large."}}'

    def _body(self) -> str | None:
        raw = self._read_body()
        return None if raw is None else raw.decode("utf-8", "replace")

    def _not_found(self) -> None:
        self._send(404, _page("Not found", "<h1>Not found</h1>"), "text/html; charset=utf-8")

    def _api(self, body: str | None) -> None:
        parts = urlsplit(self.path)
        try:
            status, answer, out = self.server.twin.api(self.command, parts.path, parts.query, body,
                                                       dict(self.headers.items()))
        except Dropped:
            self.close_connection = True
            return
        payload = json.dumps(answer).encode()
        self._send(status, payload, "application/json", {k: v for k, v in out.items() if k != "content-type"})

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path.startswith("/v1/"):
            return self._api(None)
        match = re.fullmatch(r"/(checkout|portal|invoice)/([A-Za-z0-9_]+)(/pdf)?", path)
        if not match:
            return self._not_found()
        kind, object_id, pdf = match.groups()
        page = {"checkout": self._checkout_page, "portal": self._portal_page,
                "invoice": self._invoice_page}[kind](object_id, bool(pdf))
        if page is None:
            return self._not_found()
        self._send(200, page, "text/plain; charset=utf-8" if pdf else "text/html; charset=utf-8")

    def do_DELETE(self) -> None:
        if self._body() is not None:
            self._api(None)

    def do_POST(self) -> None:
        body = self._body()
        if body is None:
            return
        path = urlsplit(self.path).path
        if path.startswith("/v1/"):
            return self._api(body)
        twin = self.server.twin
        match = re.fullmatch(r"/(checkout|portal|invoice)/([A-Za-z0-9_]+)/([a-z_]+)", path)
        if not match:
            return self._not_found()
        kind, object_id, action = match.groups()
        try:
            if kind == "checkout" and action == "pay":
                session = twin.checkout_sessions.get(object_id)
                if session is None:
                    return self._not_found()
                self._deliver(twin.complete_checkout(object_id))
                return self._redirect(session["success_url"].replace("{CHECKOUT_SESSION_ID}", object_id))
            if kind == "invoice" and action == "pay":
                invoice = twin.invoices.get(object_id)
                if invoice is None:
                    return self._not_found()
                self._deliver(twin.pay(invoice["parent"]["subscription_details"]["subscription"]))
                return self._redirect(f"/invoice/{object_id}")
            if kind == "portal":
                return self._portal_action(object_id, action)
        except (KeyError, ValueError) as e:
            return self._send(409, _page("Not possible", f"<h1>Not possible</h1><p>{html.escape(str(e))}</p>"),
                              "text/html; charset=utf-8")
        self._not_found()

    def _deliver(self, events: list[dict[str, Any]]) -> None:
        post_events(events, self.server.webhook_url, self.server.twin.webhook_secret)

    # Pages.

    def _checkout_page(self, session_id: str, _: bool) -> bytes | None:
        twin = self.server.twin
        session = twin.checkout_sessions.get(session_id)
        if session is None:
            return None
        if session["status"] != "open":
            return _page("Checkout", "<h1>This checkout is complete</h1>"
                         f'<p><a href="{html.escape(session["success_url"])}">Back to the app</a></p>')
        rows = []
        for line in twin._lines[session_id]:
            price = twin.prices[line["price"]]
            unit = "per unit past the allowance" if price["recurring"]["usage_type"] == "metered" else ""
            rows.append(f"<tr><td>{html.escape(price['lookup_key'])}</td>"
                        f"<td>{html.escape(_money(price['unit_amount'], price['currency']))} "
                        f"/ {html.escape(price['recurring']['interval'])} {unit}</td></tr>")
        trial = (f"<p>Trial until {_day(twin._trial_ends[session_id])}: nothing is charged today.</p>"
                 if session_id in twin._trial_ends else "")
        body = (f"<h1>Subscribe</h1><table>{''.join(rows)}</table>{trial}"
                f"<p>Total due today: <strong>{html.escape(_money(session['amount_total'], session['currency']))}"
                f"</strong></p>{_button(f'/checkout/{session_id}/pay', 'Pay', primary=True)}"
                f'<p><a href="{html.escape(session["cancel_url"])}">Cancel and go back</a></p>')
        return _page("Checkout", body)

    def _portal_page(self, session_id: str, _: bool) -> bytes | None:
        twin = self.server.twin
        session = twin.portal_sessions.get(session_id)
        if session is None:
            return None
        sections = []
        for sub in twin.subscriptions_of(session["customer"]):
            base = sub["items"]["data"][0]
            sid = html.escape(sub["id"])
            state = html.escape(sub["status"]) + (" (cancels at the period end)" if sub["cancel_at_period_end"] else "")
            actions = []
            if sub["status"] != "canceled":
                actions.append(_button(f"/portal/{session_id}/resume?subscription={sid}", "Resume subscription")
                               if sub["cancel_at_period_end"] else
                               _button(f"/portal/{session_id}/cancel?subscription={sid}", "Cancel at period end"))
            invoice = twin.invoices.get(sub["latest_invoice"] or "")
            if invoice and invoice["status"] == "open":
                actions.append(_button(f"/invoice/{html.escape(invoice['id'])}/pay",
                                       f"Pay {_money(invoice['amount_due'], invoice['currency'])}", primary=True))
            simulate = "".join(_button(f"/portal/{session_id}/{name}?subscription={sid}", label) for name, label in (
                ("fail_payment", "Fail a payment"), ("require_action", "Require authentication"),
                ("give_up", "Retries run out"), ("end_period", "End the period now"),
                ("trial_will_end", "Trial ends in 3 days")))
            sections.append(
                f"<h2>{html.escape(base['price']['lookup_key'])}</h2><table>"
                f"<tr><td>Status</td><td>{state}</td></tr>"
                f"<tr><td>Period</td><td>{_day(base['current_period_start'])} to "
                f"{_day(base['current_period_end'])}</td></tr>"
                f"</table>{''.join(actions)}<p class=\"note\">Simulate (twin only):</p>{simulate}")
        body = (f"<h1>Your subscription</h1>{''.join(sections) or '<p>No subscription.</p>'}"
                f'<p><a href="{html.escape(session["return_url"])}">Back to the app</a></p>')
        return _page("Billing portal", body)

    def _portal_action(self, session_id: str, action: str) -> None:
        twin = self.server.twin
        session = twin.portal_sessions.get(session_id)
        subscription_id = dict(parse_qsl(urlsplit(self.path).query)).get("subscription", "")
        sub = twin.subscriptions.get(subscription_id)
        scenarios = {"cancel": twin.cancel_at_period_end, "resume": twin.resume, "fail_payment": twin.fail_payment,
                     "require_action": twin.require_action, "give_up": twin.give_up,
                     "end_period": twin.end_period, "trial_will_end": twin.trial_will_end}
        if session is None or sub is None or sub["customer"] != session["customer"] or action not in scenarios:
            return self._not_found()
        self._deliver(scenarios[action](subscription_id))
        self._redirect(f"/portal/{session_id}")

    def _invoice_page(self, invoice_id: str, pdf: bool) -> bytes | None:
        invoice = self.server.twin.invoices.get(invoice_id)
        if invoice is None:
            return None
        total = _money(invoice["total"], invoice["currency"])
        if pdf:
            return (f"Invoice {invoice['number']}\nStatus: {invoice['status']}\nTotal: {total}\n"
                    f"Period: {_day(invoice['period_start'])} to {_day(invoice['period_end'])}\n").encode()
        pay = (_button(f"/invoice/{invoice_id}/pay", f"Pay {total}", primary=True)
               if invoice["status"] == "open" else "")
        body = (f"<h1>Invoice {html.escape(invoice['number'])}</h1><table>"
                f"<tr><td>Status</td><td>{html.escape(invoice['status'])}</td></tr>"
                f"<tr><td>Total</td><td>{html.escape(total)}</td></tr>"
                f"<tr><td>Period</td><td>{_day(invoice['period_start'])} to {_day(invoice['period_end'])}</td></tr>"
                f"</table>{pay}")
        return _page(f"Invoice {invoice['number']}", body)


def make_server(twin: Twin, port: int, webhook_url: str) -> ThreadingHTTPServer:
    """The twin's HTTP server on 127.0.0.1 only (``port`` 0: a free one), its pages the URLs the twin
    answers from now on; serve it with serve_forever."""
    server = _Server(port, twin, webhook_url)
    twin.public_base = f"http://127.0.0.1:{server.server_port}"
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.integrations.stripe_twin_server")
    parser.parse_args(argv)
    from chalicelib.system.local_schedules import stage_environment

    # The same keys and prices as the API that `chalice local` runs with the local stage.
    os.environ.update(stage_environment("local"))
    settings.cache_clear()
    port = urlsplit(settings().stripe_api_base).port or 9200
    server = make_server(Twin.from_settings(), port, settings().stripe_twin_webhook_url)
    serve(server, f"stripe twin: http://127.0.0.1:{port} (webhooks to {settings().stripe_twin_webhook_url})")


if __name__ == "__main__":
    main()
