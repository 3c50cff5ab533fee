"""What the offline twins' HTTP servers for `make run` share (Stripe's, Google's): a threaded server on
127.0.0.1 only, a handler that bounds a client gone silent, refuses an oversized body and writes its
answers, and the serving loop."""
from __future__ import annotations

import contextlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Mapping

# A client that stops sending holds a thread this long at most.
SOCKET_TIMEOUT_S = 10


class TwinServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", port), handler)


class TwinHandler(BaseHTTPRequestHandler):
    timeout = SOCKET_TIMEOUT_S
    protocol_version = "HTTP/1.1"
    # The largest request body read, and the answer (413) to a larger one, in the twin's error shape.
    max_body = 64 * 1024
    too_large = b'{"error":{"message":"Body too large."}}'

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: each twin prints what it sends on; the API logs the calls it makes."""

    def _read_body(self) -> bytes | None:
        """The request's body (empty without one); None when it is too large (413 answered)."""
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit() or int(length) > self.max_body:
            self.close_connection = True  # the body is left unread
            self._send(413, self.too_large, "application/json")
            return None
        return self.rfile.read(int(length))

    def _send(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": content_type, "Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(303, b"", "text/plain", {"Location": location})


def serve(server: ThreadingHTTPServer, banner: str) -> None:
    """Serve until Ctrl-C, having printed ``banner``."""
    print(banner, flush=True)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    finally:
        server.server_close()
