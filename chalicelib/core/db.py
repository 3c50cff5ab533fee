"""PostgreSQL access: connections opened lazily and kept, one transaction per unit of work.

A transaction takes an idle connection (or opens one) and gives it back when it
ends, so a Lambda container, which serves one request at a time, keeps exactly
one connection; a threaded caller keeps one per transaction in flight. A broken
connection is dropped and the next transaction opens a new one.

Tenant isolation rests on row-level security: ``transaction(business_id)`` sets
``app.business_id`` for that transaction only (``set_config(..., true)``), so a
connection reused by the next request carries no tenant over.
"""
from __future__ import annotations

import contextlib
import functools
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse
from uuid import UUID

import pg8000.native
from pg8000.exceptions import DatabaseError, InterfaceError

from chalicelib.core import log
from chalicelib.core.errors import ServiceUnavailable
from chalicelib.core.settings import settings


class ConstraintViolated(Exception):
    """An integrity constraint refused a write; the owning service names its meaning."""

    def __init__(self, name: str, code: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.code = code


class QueryTimeout(ServiceUnavailable):
    code, message = "query_timeout", "The database took too long to answer."


class Deadlocked(ServiceUnavailable):
    """Two transactions waited on each other and PostgreSQL ended this one (e.g. two bookings
    inserted at once, each checking the exclusion constraint against the other's row): trying again
    is safe, and a service that knows what the race was about says so (a booking: the time is taken)."""
    code, message = "deadlocked", "The request collided with another one; please try again."


_SCOPE = """-- this transaction's tenant, user, background-job scope and statement timeout; and the acting
-- member's role now
-- (an access token keeps the role it was issued with; a member removed or demoted since must not act);
-- and, when asked, a lock that queues transactions working on the same thing (held until the end)
SELECT set_config('app.business_id', :bid, true), set_config('app.user_id', :uid, true),
       set_config('app.jobs', :jobs, true), set_config('statement_timeout', :timeout, true),
       (SELECT role FROM memberships
         WHERE business_id = NULLIF(:bid, '')::uuid AND user_id = NULLIF(:member, '')::uuid) AS member_role,
       CASE WHEN :lock <> '' THEN (SELECT true FROM pg_advisory_xact_lock(hashtextextended(:lock, 0))) END"""

_LOCK = """-- queue behind any other transaction working on the same thing (held until this one ends)
SELECT true FROM pg_advisory_xact_lock(hashtextextended(:lock, 0))"""

_INTEGRITY_CLASS = "23"
_STATEMENT_TIMEOUT = "57014"
_DEADLOCK = "40P01"


def _disconnected(error: Exception) -> bool:
    """Whether the connection is gone: a socket error, or the server's last word before closing it
    (a FATAL, e.g. 57P01 when an administrator or failover ended the backend)."""
    if isinstance(error, (InterfaceError, OSError)):
        return True
    fields = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
    return fields.get("S") == "FATAL" or str(fields.get("C", "")).startswith(("08", "57P0"))


def _translate(error: DatabaseError) -> Exception:
    fields = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
    code = fields.get("C", "")
    if code.startswith(_INTEGRITY_CLASS):
        return ConstraintViolated(fields.get("n", ""), code, fields.get("M", str(error)))
    if code == _STATEMENT_TIMEOUT:
        return QueryTimeout()
    if code == _DEADLOCK:
        return Deadlocked()
    return error


@dataclass(frozen=True)
class _Acting:
    business_id: UUID | str
    user_id: UUID | str
    check: Callable[[str | None], None]


_acting: ContextVar[_Acting | None] = ContextVar("acting", default=None)


@contextmanager
def acting_for(business_id: UUID | str, user_id: UUID | str, check: Callable[[str | None], None]) -> Iterator[None]:
    """Run a request's work on behalf of a member: each of that tenant's transactions hands the
    member's current role (None when no longer a member) to ``check``, which raises to refuse."""
    token = _acting.set(_Acting(business_id, user_id, check))
    try:
        yield
    finally:
        _acting.reset(token)


@functools.lru_cache(maxsize=512)
def _statement(sql: str) -> tuple[str, Callable[[dict[str, Any]], tuple[Any, ...]]]:
    """``sql`` with ``:name`` placeholders turned into ``$n`` and the function ordering the values.
    pg8000 redoes this (a character loop in Python, up to a millisecond for a long statement) on
    every call; our statements are constants, so it is done once per statement and process."""
    return pg8000.native.to_statement(sql)


class Tx:
    """The open transaction handed to services: named-parameter SQL, rows as dicts."""

    def __init__(self, conn: pg8000.native.Connection) -> None:
        self._conn = conn
        self._last: Any = None
        self._after_commit: dict[Callable[[list[Any]], None], list[Any]] = {}

    def after_commit(self, action: Callable[[list[Any]], None], item: Any) -> None:
        """Once this transaction has committed, call ``action`` with every item registered for it here,
        in order (one call per action, however many items). Not called when it rolls back."""
        self._after_commit.setdefault(action, []).append(item)

    def scope(self, business_id: UUID | str | None, *, user_id: UUID | str | None = None, lock: str = "",
              jobs: bool = False) -> None:
        """Point row-level security at a tenant (and/or a user's own rows in every tenant) for the rest
        of this transaction; also sets its statement timeout. All transaction-local, so nothing
        outlives the transaction on a reused (or proxied) connection.

        Inside ``acting_for`` that tenant's transactions also check, in the same round trip, that
        the acting member still holds a role good enough.

        ``lock`` names a transaction-level advisory lock taken in the same round trip: the
        transaction waits for any other holding it, and every read after sees what that one
        committed.

        ``jobs`` opens the background jobs' tables (outbox, reminders, deliveries, dead letters) of
        every tenant to this transaction; nothing else."""
        acting = _acting.get()
        member = acting if acting is not None and business_id is not None \
            and str(acting.business_id) == str(business_id) else None
        row = self._run(_SCOPE, {"bid": str(business_id or ""), "uid": str(user_id or ""),
                                 "jobs": "on" if jobs else "",
                                 "timeout": f"{int(settings().db_statement_timeout_ms)}ms",
                                 "member": str(member.user_id) if member else "", "lock": lock})
        if member is not None:
            member.check(row[0][4])

    def lock(self, name: str) -> None:
        """Take the transaction-level advisory lock ``name`` now (as ``scope(lock=...)`` does in its
        round trip): for a transaction that works on several things in turn."""
        self._run(_LOCK, {"lock": name})

    def _run(self, sql: str, params: dict[str, Any]) -> list[list[Any]]:
        try:
            if params:
                statement, make_vals = _statement(sql)
                self._last = self._conn.execute_unnamed(statement, make_vals(params))
            else:
                self._last = self._conn.execute_simple(sql)
            return self._last.rows
        except DatabaseError as e:
            translated = _translate(e)
            if translated is e:
                raise
            raise translated from e

    def all(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        rows = self._run(sql, params)
        names = [c["name"] for c in self._last.columns or ()]
        return [dict(zip(names, row)) for row in rows]

    def one(self, sql: str, **params: Any) -> dict[str, Any] | None:
        rows = self.all(sql, **params)
        return rows[0] if rows else None

    def value(self, sql: str, **params: Any) -> Any:
        rows = self._run(sql, params)
        return rows[0][0] if rows else None

    def execute(self, sql: str, **params: Any) -> int:
        """Run a write; answer how many rows it touched."""
        self._run(sql, params)
        return self._last.row_count


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Built once per container: pg8000 would build (and load CA files for) a new one per connect.
    ca_file = settings().db_ssl_ca_file
    return ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()


def connect_params(url: str) -> dict[str, Any]:
    """pg8000 keyword arguments for a ``postgresql://`` URL (``?host=/dir`` means a Unix socket)."""
    parts = urlparse(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    params: dict[str, Any] = {
        "user": unquote(parts.username or "postgres"),
        "password": unquote(parts.password) if parts.password else None,
        "database": (parts.path or "/").lstrip("/") or "postgres",
    }
    socket_dir = query.get("host", "")
    port = parts.port or int(query.get("port", 5432))
    if socket_dir.startswith("/"):
        params["unix_sock"] = f"{socket_dir}/.s.PGSQL.{port}"
        params["ssl_context"] = False
    else:
        params["host"] = parts.hostname or "localhost"
        params["port"] = port
        params["ssl_context"] = _ssl_context() if query.get("sslmode") in ("require", "verify-full") else False
    return params


def _app_connect_params() -> dict[str, Any]:
    cfg = settings()
    if cfg.database_url:
        return connect_params(cfg.database_url)
    if cfg.db_secret_arn:
        from chalicelib.integrations import secrets

        secret = secrets.json_secret(cfg.db_secret_arn)
        return {
            "user": secret["username"],
            "password": secret["password"],
            "host": cfg.db_host or secret["host"],
            "port": int(secret.get("port", 5432)),
            "database": secret.get("dbname", cfg.db_name),
            "ssl_context": _ssl_context(),
        }
    if cfg.embedded_db:
        from chalicelib.core import embedded_pg

        return connect_params(embedded_pg.app_url())
    raise ServiceUnavailable("No database is configured (set DATABASE_URL or DB_SECRET_ARN).")


def open_connection(params: dict[str, Any] | None = None) -> pg8000.native.Connection:
    """A new connection (the caller owns and closes it).

    No session ``SET`` here: behind RDS Proxy a session setting pins the client to
    one server connection for good. Each transaction sets what it needs, locally."""
    return pg8000.native.Connection(application_name="booking", **(params or _app_connect_params()))


# Idle connections, newest last. A Lambda container serves one request at a time, so it only ever
# holds one; a threaded server (chalice local) or a concurrency test holds one per request in flight,
# and reuses them, instead of opening a connection per thread that nobody closes.
_idle: list[pg8000.native.Connection] = []
_idle_lock = threading.Lock()
MAX_IDLE = 8


def _checkout() -> tuple[pg8000.native.Connection, bool]:
    """A connection and whether it was kept from before (and so may have gone stale)."""
    with _idle_lock:
        if _idle:
            return _idle.pop(), True
    try:
        return open_connection(), False
    except (InterfaceError, OSError) as e:
        raise ServiceUnavailable("The database cannot be reached.") from e


def _begin() -> pg8000.native.Connection:
    """A connection with a transaction begun. A kept connection the server or RDS Proxy has closed
    meanwhile (idle timeout, failover) fails here, before any work was sent, so it is dropped and
    the next one tried; only a fresh connection failing means the database is out of reach."""
    while True:
        conn, kept = _checkout()
        try:
            conn.run("BEGIN")
            return conn
        except (InterfaceError, OSError, DatabaseError) as e:
            _close(conn)
            if not kept or not _disconnected(e):
                raise ServiceUnavailable("The database cannot be reached.") from e


def _checkin(conn: pg8000.native.Connection) -> None:
    with _idle_lock:
        if len(_idle) < MAX_IDLE:
            _idle.append(conn)
            return
    _close(conn)


def _close(conn: pg8000.native.Connection) -> None:
    with contextlib.suppress(Exception):  # a broken socket may refuse even to close
        conn.close()


def reset_connection() -> None:
    """Close the idle connections (settings changed, or the server went away); the next transaction
    opens a fresh one."""
    with _idle_lock:
        closing = list(_idle)
        _idle.clear()
    for conn in closing:
        _close(conn)


@contextmanager
def transaction(business_id: UUID | str | None = None, *, user_id: UUID | str | None = None,
                lock: str = "", jobs: bool = False) -> Iterator[Tx]:
    """One transaction, committed on success and rolled back on any exception; then the actions
    registered with ``Tx.after_commit`` run (an action that fails is logged: the change stands).

    ``business_id`` scopes every row-level-security policy to that tenant;
    ``user_id`` additionally lets the caller see its own memberships in other
    tenants (used by login and token refresh); ``jobs``: see ``Tx.scope``.
    """
    conn = _begin()
    try:
        tx = Tx(conn)
        tx.scope(business_id, user_id=user_id, lock=lock, jobs=jobs)
        yield tx
        conn.run("COMMIT")
    except BaseException as e:
        if _disconnected(e):
            _close(conn)
            if isinstance(e, (InterfaceError, OSError, DatabaseError)):
                raise ServiceUnavailable("The database connection was lost.") from e
            raise
        try:
            conn.run("ROLLBACK")
        except (InterfaceError, OSError, DatabaseError):
            _close(conn)
        else:
            _checkin(conn)
        raise
    _checkin(conn)
    if tx._after_commit:
        _run_after_commit(tx._after_commit)


def _run_after_commit(actions: dict[Callable[[list[Any]], None], list[Any]]) -> None:
    # The follow-ups act for the system, not for the member whose request committed: a member who
    # just left the business must not stop the e-mail about what they did.
    token = _acting.set(None)
    try:
        for action, items in actions.items():
            try:
                action(items)
            except Exception as e:  # noqa: BLE001 - committed already: a follow-up's failure is not the request's
                log.emit("db.after_commit_failed", action=action.__qualname__, error=f"{type(e).__name__}: {e}")
    finally:
        _acting.reset(token)


def jobs_tx(*, lock: str = "") -> contextlib.AbstractContextManager[Tx]:
    """A background job's transaction: the job tables of every tenant, no tenant's other rows."""
    return transaction(jobs=True, lock=lock)


def tenant_tx(business_id: UUID | str, *, lock: str = "") -> contextlib.AbstractContextManager[Tx]:
    """A transaction that sees only ``business_id``'s rows (``lock``: see ``Tx.scope``)."""
    return transaction(business_id, lock=lock)

