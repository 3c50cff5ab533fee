"""A local HTTP server standing in for the Graph API (WhatsApp Cloud API): it records each request
and answers what the test asks. Real HTTP, offline. Fixtures: ``configure`` (environment variables,
settings re-read, both restored) and ``graph`` (the server, with the integration pointed at it)."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chalicelib.core.settings import settings

OK = {"messaging_product": "whatsapp", "contacts": [{"input": "34600112233", "wa_id": "34600112233"}],
      "messages": [{"id": "wamid.HBgLMzQ2MDAxMTIyMzMVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"}]}


def graph_error(code: int, message: str) -> dict:
    return {"error": {"message": message, "type": "OAuthException", "code": code,
                      "error_data": {"messaging_product": "whatsapp", "details": message},
                      "fbtrace_id": "AbCdEf123"}}


class Graph:
    """What the fake Graph API received, and what it answers next (status, JSON or raw bytes)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.answer: tuple[int, object] = (200, OK)
        self.delay_s = 0.0


@pytest.fixture
def configure(monkeypatch):
    """Set environment variables and re-read the settings; both restored afterwards."""
    def apply(**env: str) -> None:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings.cache_clear()

    yield apply
    monkeypatch.undo()
    settings.cache_clear()


@pytest.fixture
def graph(configure):
    state = Graph()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append({"method": self.command, "path": self.path,
                                   "headers": {k.lower(): v for k, v in self.headers.items()},
                                   "body": json.loads(raw)})
            time.sleep(state.delay_s)
            status, answer = state.answer
            payload = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    configure(WHATSAPP_BACKEND="cloud", WHATSAPP_API_BASE=f"http://127.0.0.1:{server.server_port}/v21.0")
    yield state
    server.shutdown()
    server.server_close()
