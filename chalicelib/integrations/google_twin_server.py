"""``make run``'s Google: the offline twin (``google_twin.Twin``) served over HTTP on 127.0.0.1.

``python -m chalicelib.integrations.google_twin_server`` listens on the port of the local stage's
Google bases and answers the ``api`` backend: the consent page (``/o/oauth2/auth``: an e-mail to sign
in as, Allow or Deny, back to the redirect URI with a code or ``error=access_denied``), the token and
revoke endpoints and Calendar v3. ``/`` lists each account's events, with a form to add a busy event
and a button to delete one, as a person would in Google Calendar. After any change to a watched
calendar it POSTs Google's push headers to each live channel's address, from one background thread
(in order, each POST bounded), so a slow API never holds a page.
"""
from __future__ import annotations

import argparse
import html
import os
import queue
import threading
import urllib.error
import urllib.request
from datetime import datetime
from http.server import ThreadingHTTPServer
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.core.settings import settings
from chalicelib.integrations.google_twin import Twin
from chalicelib.integrations.twin_http import TwinHandler, TwinServer, serve

MAX_BODY = 256 * 1024
_PUSH_TIMEOUT_S = 5
_PUSH_QUEUE = 1000


class _Pusher:
    """Delivers push notifications in order from one daemon thread; drops them when far behind."""

    def __init__(self) -> None:
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=_PUSH_QUEUE)
        threading.Thread(target=self._run, name="google-twin-push", daemon=True).start()

    def __call__(self, push: dict[str, Any]) -> None:
        try:
            self._queue.put_nowait(push)
        except queue.Full:
            print("google twin: push queue full, notification dropped", flush=True)

    def _run(self) -> None:
        while True:
            push = self._queue.get()
            headers = push["headers"]
            request = urllib.request.Request(push["address"], data=b"", method="POST",
                                             headers={**headers, "User-Agent": "APIs-Google",
                                                      "Content-Type": "application/json; utf-8"})
            try:
                with urllib.request.urlopen(request, timeout=_PUSH_TIMEOUT_S) as response:
                    result: int | str = response.status
            except urllib.error.HTTPError as e:
                result = e.code
            except (urllib.error.URLError, OSError) as e:
                result = f"{type(e).__name__}: {getattr(e, 'reason', e)}"
            print(f"google twin: push {headers['X-Goog-Resource-State']} #{headers['X-Goog-Message-Number']} "
                  f"channel {headers['X-Goog-Channel-ID']} -> {result}", flush=True)


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} · Google twin</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#202124}}
.note{{color:#5f6368;font-size:.9rem}} button{{font-size:1rem;padding:.5rem 1.2rem;margin:.2rem 0;cursor:pointer}}
.allow{{background:#1a73e8;color:#fff;border:0;border-radius:4px}} form{{margin:.3rem 0}} .inline{{display:inline}}
input,select{{font-size:1rem;padding:.3rem;margin:.2rem 0}} table{{border-collapse:collapse;margin:.5rem 0}}
td,th{{padding:.2rem .8rem .2rem 0;text-align:left}}</style></head>
<body><p class="note">Google twin (offline): no real Google account is involved.</p>{body}</body></html>"""


def _page(title: str, body: str) -> bytes:
    return _PAGE.format(title=html.escape(title), body=body).encode()


def _when(point: Mapping[str, Any]) -> str:
    return html.escape(str(point.get("dateTime") or point.get("date") or "?"))


class _Server(TwinServer):
    def __init__(self, port: int, twin: Twin) -> None:
        self.twin = twin
        super().__init__(port, _Handler)


class _Handler(TwinHandler):
    server: _Server
    max_body = MAX_BODY
    too_large = b'{"error":{"code":413,"message":"Body too large."}}'

    def _html(self, status: int, title: str, body: str) -> None:
        self._send(status, _page(title, body), "text/html; charset=utf-8")

    def _api(self) -> None:
        body = self._read_body()
        if body is None:
            return
        try:
            status, headers, content = self.server.twin.handle(self.command, self.path, body,
                                                               dict(self.headers.items()))
        except TimeoutError:  # an injected timeout: the connection closes unanswered
            self.close_connection = True
            return
        self._send(status, content, headers.get("content-type", "application/json"))

    do_PATCH = do_PUT = do_DELETE = _api

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/o/oauth2/auth":
            return self._consent_page()
        if path == "/":
            return self._overview()
        self._api()

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path not in ("/o/oauth2/auth/decide", "/events/add", "/events/delete"):
            return self._api()
        body = self._read_body()
        if body is None:
            return
        form = dict(parse_qsl(body.decode("utf-8", "replace")))
        try:
            if path == "/o/oauth2/auth/decide":
                return self._decide(form)
            if path == "/events/add":
                self._add_event(form)
            else:
                self.server.twin.delete_event(form.get("email", ""), form.get("id", ""))
        except ValueError as e:
            return self._html(400, "Not possible", f"<h1>Not possible</h1><p>{html.escape(str(e))}</p>"
                                                   '<p><a href="/">Back</a></p>')
        self._redirect("/")

    # The consent.

    def _consent_page(self) -> None:
        query = dict(parse_qsl(urlsplit(self.path).query))
        scopes = "".join(f"<li>{html.escape(s)}</li>" for s in query.get("scope", "").split())
        hidden = f'<input type="hidden" name="consent" value="{html.escape(self.path)}">'
        body = (f"<h1>Sign in with Google</h1><p>The app <strong>{html.escape(query.get('client_id', '?'))}"
                f"</strong> asks to:</p><ul>{scopes}</ul>"
                f'<form method="post" action="/o/oauth2/auth/decide">{hidden}'
                '<label>Account e-mail <input type="email" name="email" value="staff@gmail.test" required></label><br>'
                '<button type="submit" name="decision" value="allow" class="allow">Allow</button> '
                '<button type="submit" name="decision" value="deny">Deny</button></form>')
        self._html(200, "Sign in", body)

    def _decide(self, form: dict[str, str]) -> None:
        consent = form.get("consent", "")
        query = dict(parse_qsl(urlsplit(consent).query))
        redirect_uri, state = query.get("redirect_uri", ""), query.get("state")
        if form.get("decision") == "allow":
            # Raises ValueError (a 400 page, as Google shows) for a wrong client or redirect URI.
            code = self.server.twin.authorize(consent, email=form.get("email") or "staff@gmail.test")
            answer = {"code": code, "scope": query.get("scope", "")}
        else:
            if redirect_uri not in self.server.twin.redirect_uris:
                raise ValueError("redirect_uri_mismatch")
            answer = {"error": "access_denied"}
        if state is not None:
            answer["state"] = state
        self._redirect(f"{redirect_uri}{'&' if '?' in redirect_uri else '?'}{urlencode(answer)}")

    # The calendars.

    def _overview(self) -> None:
        twin = self.server.twin
        sections = []
        for email in twin.accounts():
            rows = "".join(
                f"<tr><td>{html.escape(e.get('summary') or '(no title)')}</td><td>{_when(e['start'])}</td>"
                f"<td>{_when(e['end'])}</td><td>{'free' if e.get('transparency') == 'transparent' else 'busy'}"
                f"{' · booking' if (e.get('extendedProperties') or {}).get('private', {}).get('bookingApp') else ''}"
                f"{' · repeats' if e.get('recurrence') else ''}</td>"
                f'<td><form method="post" action="/events/delete" class="inline">'
                f'<input type="hidden" name="email" value="{html.escape(email)}">'
                f'<input type="hidden" name="id" value="{html.escape(e["id"])}">'
                f"<button type=\"submit\">Delete</button></form></td></tr>"
                for e in twin.events(email))
            channels = len(twin.channels_of(email))
            sections.append(f"<h2>{html.escape(email)}</h2><p class=\"note\">{channels} push channel(s)</p>"
                            f"<table><tr><th>Title</th><th>Start</th><th>End</th><th></th><th></th></tr>{rows}"
                            f"</table>")
        # The account that signed in last, and the demo business's zone: what a developer adds to first.
        account = html.escape(twin.accounts()[-1] if twin.accounts() else "staff@gmail.test")
        form = ('<h2>Add a busy event</h2><form method="post" action="/events/add">'
                f'<label>Account <input type="email" name="email" value="{account}" required></label><br>'
                '<label>Title <input name="title" value="Busy"></label><br>'
                '<label>Start <input type="datetime-local" name="start" required></label> '
                '<label>End <input type="datetime-local" name="end" required></label><br>'
                '<label>Time zone <input name="timezone" value="Europe/London" required></label><br>'
                '<button type="submit" class="allow">Add</button></form>')
        body = "<h1>Google Calendar twin</h1>" + ("".join(sections) or "<p>No account has signed in yet.</p>") + form
        self._html(200, "Calendars", body)

    def _add_event(self, form: dict[str, str]) -> None:
        try:
            zone = ZoneInfo(form.get("timezone") or "UTC")
            start, end = (datetime.fromisoformat(form.get(k, "")).replace(tzinfo=zone) for k in ("start", "end"))
        except (ValueError, ZoneInfoNotFoundError) as e:
            raise ValueError(f"Start, end and time zone are needed: {e}") from None
        self.server.twin.add_event(form.get("email") or "staff@gmail.test", {
            "summary": form.get("title") or "Busy",
            "start": {"dateTime": start.isoformat(), "timeZone": zone.key},
            "end": {"dateTime": end.isoformat(), "timeZone": zone.key}})


def make_server(twin: Twin, port: int) -> ThreadingHTTPServer:
    """The twin's HTTP server on 127.0.0.1 only (``port`` 0: a free one), pushing from a background
    thread; serve it with serve_forever."""
    twin.on_push = _Pusher()
    return _Server(port, twin)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m chalicelib.integrations.google_twin_server")
    parser.parse_args(argv)
    from chalicelib.system.local_schedules import stage_environment

    # The same OAuth client as the API that `chalice local` runs with the local stage, and the redirect
    # URI its environment names (GOOGLE_REDIRECT_URI: the Makefile and the journeys set it per port).
    os.environ.update(stage_environment("local"))
    settings.cache_clear()
    port = urlsplit(settings().google_api_base).port or 9300
    server = make_server(Twin.from_settings(), port)
    serve(server, f"google twin: http://127.0.0.1:{port} (consent page, calendars at /)")


if __name__ == "__main__":
    main()
