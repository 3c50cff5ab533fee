"""Client-side database timeouts: a server or proxy that accepts the connection and then says nothing
(a failover, a half-open connection) costs the request seconds and answers 503, instead of holding it
past API Gateway's 29 s."""
from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from chalicelib.core import db, embedded_pg
from chalicelib.core.errors import ServiceUnavailable
from chalicelib.core.settings import settings
from tests.api import body

# Without the timeouts a test would wait for ever; the fakes below give up after this long instead,
# so such a run fails on its elapsed time rather than hanging.
_GIVE_UP_S = 20.0


class _Silent:
    """A TCP listener on 127.0.0.1 that accepts every connection and never answers (closing them only
    after ``_GIVE_UP_S``)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        until = time.monotonic() + _GIVE_UP_S
        while not self._stop.is_set() and time.monotonic() < until:
            try:
                self.accepted.append(self.listener.accept()[0])
            except OSError:  # the wait timed out, or the listener was closed
                continue
        self.close()

    def close(self) -> None:
        self._stop.set()
        for conn in [*self.accepted, self.listener]:
            conn.close()


class _Proxy:
    """Forwards 127.0.0.1:port to the test database (the embedded server's socket, or the server
    DATABASE_URL names) until ``freeze()``; from then on it still accepts connections but passes nothing
    either way (for at most ``_GIVE_UP_S``). ``url`` is the test database's, through the proxy."""

    def __init__(self, database_url: str) -> None:
        target = db.connect_params(database_url)
        self.target: str | tuple[str, int] = target.get("unix_sock") or (target["host"], target["port"])
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        parts = urlsplit(database_url)
        credentials = parts.netloc.rpartition("@")[0]
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k not in ("host", "port")])
        self.url = urlunsplit((parts.scheme, f"{credentials}@127.0.0.1:{self.port}", parts.path, query, ""))
        self._frozen_until = 0.0
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = [self.listener]
        threading.Thread(target=self._serve, daemon=True).start()

    def freeze(self) -> None:
        self._frozen_until = time.monotonic() + _GIVE_UP_S

    def thaw(self) -> None:
        self._frozen_until = 0.0

    def _frozen(self) -> bool:
        return time.monotonic() < self._frozen_until

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client = self.listener.accept()[0]
            except OSError:  # the wait timed out, or the listener was closed
                continue
            server = socket.socket(socket.AF_UNIX if isinstance(self.target, str) else socket.AF_INET)
            server.connect(self.target)
            self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        peer = {a: b, b: a}
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select([a, b], [], [], 0.05)
                if self._frozen():
                    time.sleep(0.05)  # hold whatever arrives: neither side hears anything
                    continue
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peer[sock].sendall(data)
        except OSError:
            return
        finally:
            a.close()
            b.close()

    def close(self) -> None:
        self._stop.set()
        for sock in self._sockets:
            sock.close()


@pytest.fixture
def silent_server() -> Iterator[_Silent]:
    server = _Silent()
    yield server
    server.close()


@pytest.fixture
def proxy() -> Iterator[_Proxy]:
    proxied = _Proxy(settings().database_url or embedded_pg.app_url())
    yield proxied
    proxied.close()


def _timed(call: Callable[[], object]) -> tuple[object, float]:
    started = time.monotonic()
    answer = call()
    return answer, time.monotonic() - started


def _assert_unavailable(response) -> None:
    assert response.status_code == 503, response.body
    assert body(response) == {"error": {"code": "unavailable", "message": "The database cannot be reached.",
                                        "details": {}}}


def test_a_server_that_accepts_and_never_answers_gives_503_within_the_connect_timeout(client, configure,
                                                                                      silent_server):
    configure(DATABASE_URL=f"postgresql://{embedded_pg.APP_ROLE}@127.0.0.1:{silent_server.port}/"
                           f"{settings().db_name}")

    response, elapsed = _timed(lambda: client.http.get("/system/health"))

    _assert_unavailable(response)
    assert silent_server.accepted, "the application never reached the listener"
    # The default connect timeout: a few seconds, far inside the API's 29 s.
    assert settings().db_connect_timeout_s == 3.0
    assert 3.0 <= elapsed < 5.0


def test_a_kept_connection_gone_silent_gives_503_within_the_socket_and_connect_timeouts(client, configure,
                                                                                        proxy):
    configure(DATABASE_URL=proxy.url, DB_SOCKET_TIMEOUT_S="1", DB_CONNECT_TIMEOUT_S="1")
    assert client.http.get("/system/health").status_code == 200  # the container's connection, kept

    proxy.freeze()
    response, elapsed = _timed(lambda: client.http.get("/system/health"))

    # The kept connection waits one socket timeout and is dropped; the new one, one connect timeout.
    _assert_unavailable(response)
    assert 2.0 <= elapsed < 4.0

    proxy.thaw()
    assert client.http.get("/system/health").status_code == 200


def test_when_one_kept_connection_has_gone_silent_the_others_are_not_waited_on_in_turn(configure, proxy):
    configure(DATABASE_URL=proxy.url, DB_SOCKET_TIMEOUT_S="1", DB_CONNECT_TIMEOUT_S="1")
    all_open = threading.Barrier(3)

    def hold() -> None:
        with db.transaction() as tx:
            tx.value("SELECT 1")
            all_open.wait(timeout=5)

    workers = [threading.Thread(target=hold) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    proxy.freeze()

    started = time.monotonic()
    with pytest.raises(ServiceUnavailable):
        with db.transaction():
            pass
    # One kept connection's socket timeout and one connect timeout, not three socket timeouts.
    assert time.monotonic() - started < 2.8


def test_a_query_waits_for_the_server_longer_than_the_statement_timeout_by_default():
    # Otherwise a slow query would be cut off by the socket, not by PostgreSQL's statement timeout,
    # which ends it cleanly (503 query_timeout) and keeps the connection.
    cfg = settings()
    assert cfg.db_socket_timeout_s * 1000 > cfg.db_statement_timeout_ms
    assert cfg.db_socket_timeout_s + cfg.db_connect_timeout_s < 15



def test_a_transactions_first_statement_waiting_on_a_lock_ends_at_the_statement_timeout(configure, owner):
    """A public page's first statement takes locks (its counts, an Idempotency-Key another request holds,
    the booking's slot): it must be bounded like every other statement, not wait for the holder."""
    configure(DB_STATEMENT_TIMEOUT_MS="300")
    owner.run("BEGIN")
    owner.run("SELECT pg_advisory_xact_lock(hashtextextended('first-statement-test', 0))")
    release = threading.Timer(5, lambda: owner.run("ROLLBACK"))
    release.start()
    try:
        started = time.monotonic()
        with pytest.raises(db.QueryTimeout), db.transaction(lock="first-statement-test"):
            pass
        elapsed = time.monotonic() - started
    finally:
        release.cancel()
        owner.run("ROLLBACK")
    assert elapsed < 2
