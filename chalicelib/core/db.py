"""PostgreSQL access: connections opened lazily and kept, one transaction per unit of work.

A transaction takes an idle connection (or opens one) and gives it back when it
ends, so a Lambda container, which serves one request at a time, keeps exactly
one connection; a threaded caller keeps one per transaction in flight. A broken
connection is dropped and the next transaction opens a new one.

Tenant isolation rests on row-level security: ``transaction(business_id)`` sets
``app.business_id`` for that transaction only (``set_config(..., true)``), so a
connection reused by the next request carries no tenant over. A public page's
transaction (``transaction(page=...)``) finds its tenant by the page's slug, and
counts the page's rate-limit hits, in that same first statement.
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


_SCOPE = """-- this transaction's tenant, user and background-job scope; and the acting
-- member's role now
-- (an access token keeps the role it was issued with; a member removed or demoted since must not act);
-- and, when asked, a lock that queues transactions working on the same thing (held until the end)
SELECT set_config('app.business_id', :bid, true), set_config('app.user_id', :uid, true),
       set_config('app.jobs', :jobs, true),
       (SELECT role FROM memberships
         WHERE business_id = NULLIF(:bid, '')::uuid AND user_id = NULLIF(:member, '')::uuid) AS member_role,
       CASE WHEN :lock <> '' THEN (SELECT true FROM pg_advisory_xact_lock(hashtextextended(:lock, 0))) END"""

_LOCK = """-- queue behind any other transaction working on the same thing (held until this one ends)
SELECT true FROM pg_advisory_xact_lock(hashtextextended(:lock, 0))"""

_SERVE = """-- a public page's transaction: its hits counted (``counted``, rolled back with the transaction);
-- the active business behind the slug becomes the tenant (the slug's own row-level-security policy,
-- set first, lets this statement find it); when asked, a key claimed in that
-- tenant (``claimed``, read after the tenant is set) and then the lock (see _SCOPE)
WITH {counting}{claiming}
SELECT set_config('app.slug', :slug, true) AS slug,
       set_config('app.business_id', coalesce((SELECT CAST(id AS text) FROM businesses
                                                WHERE slug = :slug AND status = 'active'), ''), true) AS business_id,
       (SELECT json_agg(counted) FROM counted) AS counted,
       {claimed} AS claimed,
       CASE WHEN :lock <> '' THEN (SELECT true FROM pg_advisory_xact_lock(hashtextextended(:lock, 0))) END
         AS locked"""


@dataclass(frozen=True)
class Counting:
    """Hits to count in a transaction's first statement: ``cte`` is WITH-clause text ending in a
    data-modifying CTE named ``counted``, ``params`` its parameters, ``check`` what raises, given
    the rows ``counted`` returned, to refuse the request (rolling the counts back with it)."""
    cte: str
    params: dict[str, Any]
    check: Callable[[list[dict[str, Any]]], None]


@dataclass(frozen=True)
class Claim:
    """A key claimed in a page's first statement, once the page's business is the tenant: ``cte`` is
    WITH-clause text of a data-modifying CTE named ``claimed`` that returns a row when it claimed,
    ``params`` its parameters. When it claimed nothing (the key is another request's),
    ``taken(tx)`` gives what to answer instead, and the page's transaction ends there: it commits
    what it did so far (its counts) and raises ``Settled`` with that answer."""
    cte: str
    params: dict[str, Any]
    taken: Callable[[Tx], Any]


class Settled(Exception):
    """Raised by a page's transaction whose claim found its key taken, once it has committed:
    ``answer`` is what ``Claim.taken`` gave."""

    def __init__(self, answer: Any) -> None:
        super().__init__("the page's key was taken")
        self.answer = answer


@dataclass(frozen=True)
class Page:
    """A public page's transaction: the tenant is the active business with ``slug`` (``Tx.business_id``
    None when there is none), and ``counting`` is counted (and ``claim`` claimed) in the same round trip."""
    slug: str
    counting: Counting
    claim: Claim | None = None


_INTEGRITY_CLASS = "23"
_STATEMENT_TIMEOUT = "57014"
_DEADLOCK = "40P01"
_LOGIN_REFUSED = ("28P01", "28000")  # invalid_password, invalid_authorization_specification


def _disconnected(error: Exception) -> bool:
    """Whether the connection is gone: a socket error, or the server's last word before closing it
    (a FATAL, e.g. 57P01 when an administrator or failover ended the backend)."""
    if isinstance(error, (InterfaceError, OSError)):
        return True
    fields = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
    return fields.get("S") == "FATAL" or str(fields.get("C", "")).startswith(("08", "57P0"))


def _login_refused(error: BaseException | None) -> bool:
    """Whether the server refused our credentials (a wrong password, or a role that may not log in).
    pg8000 may hide the refusal behind the error of closing the socket the server already closed."""
    while error is not None:
        fields = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
        if fields.get("C") in _LOGIN_REFUSED:
            return True
        error = error.__cause__ or error.__context__
    return False


def _timed_out(error: BaseException) -> bool:
    return isinstance(error, TimeoutError) or isinstance(error.__cause__, TimeoutError)


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
        # The tenant the scope statement set (None: no tenant, or a public page's slug matched none).
        self.business_id: UUID | None = None

    def after_commit(self, action: Callable[[list[Any]], None], item: Any) -> None:
        """Once this transaction has committed, call ``action`` with every item registered for it here,
        in order (one call per action, however many items). Not called when it rolls back."""
        self._after_commit.setdefault(action, []).append(item)

    def scope(self, business_id: UUID | str | None, *, user_id: UUID | str | None = None, lock: str = "",
              jobs: bool = False) -> None:
        """Point row-level security at a tenant (and/or a user's own rows in every tenant) for the rest
        of this transaction (its statement timeout is set with BEGIN). All transaction-local, so nothing
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
                                 "member": str(member.user_id) if member else "", "lock": lock})
        if member is not None:
            member.check(row[0][3])
        self.business_id = UUID(str(business_id)) if business_id else None

    def serve(self, page: Page, *, lock: str = "") -> None:
        """Scope this transaction to a public page (see ``Page``) in one round trip: its hits counted
        (refused: the check raises, and the transaction rolls them back), its business found and made
        the tenant, its key claimed (taken: see ``Claim``), and ``lock``
        taken (see ``scope``)."""
        claim = page.claim
        sql = _SERVE.format(counting=page.counting.cte, claiming=f", {claim.cte}" if claim else "",
                            claimed="EXISTS (SELECT FROM claimed)" if claim else "NULL")
        row = self.one(sql, slug=page.slug, lock=lock, **page.counting.params, **(claim.params if claim else {}))
        assert row is not None  # a SELECT without FROM always answers one row
        self.business_id = UUID(row["business_id"]) if row["business_id"] else None
        page.counting.check(row["counted"] or [])
        if claim is not None and self.business_id is not None and not row["claimed"]:
            raise Settled(claim.taken(self))

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
    host = socket_dir if socket_dir.startswith("/") else parts.hostname or "localhost"
    return {**params, **_address(host, port, tls=query.get("sslmode") in ("require", "verify-full"))}


def _address(host: str, port: int, *, tls: bool) -> dict[str, Any]:
    """Where the server listens: a host over TCP (with verified TLS when ``tls``), or, for a host that
    is a directory (as libpq reads it), the Unix socket in it (on this machine: no TLS)."""
    if host.startswith("/"):
        return {"unix_sock": f"{host}/.s.PGSQL.{port}", "ssl_context": False}
    return {"host": host, "port": port, "ssl_context": _ssl_context() if tls else False}


def secret_connect_params(secret_arn: str, *, fresh: bool = False) -> dict[str, Any]:
    """pg8000 keyword arguments from an RDS secret (``username``, ``password``, ``host``...), through
    ``DB_HOST`` (RDS Proxy) when set, always over verified TLS."""
    from botocore.exceptions import BotoCoreError, ClientError

    from chalicelib.integrations import secrets

    cfg = settings()
    try:
        secret = secrets.json_secret(secret_arn, fresh=fresh)
    except (BotoCoreError, ClientError) as e:
        raise ServiceUnavailable("The database credentials cannot be read.") from e
    return {
        "user": secret["username"],
        "password": secret["password"],
        "database": secret.get("dbname", cfg.db_name),
        **_address(cfg.db_host or secret["host"], int(secret.get("port", 5432)), tls=True),
    }


def _app_connect_params(*, fresh_secret: bool = False) -> dict[str, Any]:
    """How the application logs in. ``fresh_secret``: the credentials held were refused, so read the
    RDS secret again (see ``secrets.json_secret``)."""
    cfg = settings()
    if cfg.database_url:
        return connect_params(cfg.database_url)
    if cfg.db_secret_arn:
        return secret_connect_params(cfg.db_secret_arn, fresh=fresh_secret)
    if cfg.embedded_db:
        from chalicelib.core import embedded_pg

        return connect_params(embedded_pg.app_url())
    raise ServiceUnavailable("No database is configured (set DATABASE_URL or DB_SECRET_ARN).")


def open_connection(params: dict[str, Any] | None = None, *,
                    socket_timeout_s: float | None = None) -> pg8000.native.Connection:
    """A new connection (the caller owns and closes it). Opening it (TCP, TLS, login) gives up after
    ``DB_CONNECT_TIMEOUT_S``; then ``socket_timeout_s`` bounds the wait for each answer (None: no
    limit, for the migration runner, whose statements may run long).

    No session ``SET`` here: behind RDS Proxy a session setting pins the client to
    one server connection for good. Each transaction sets what it needs, locally."""
    conn = pg8000.native.Connection(application_name="booking", timeout=settings().db_connect_timeout_s,
                                    **(params or _app_connect_params()))
    # pg8000 takes one timeout, for the socket it opens; once logged in, the answers get their own.
    conn._usock.settimeout(socket_timeout_s)
    return conn


def _open_app_connection() -> pg8000.native.Connection:
    """The application's new connection, each answer awaited at most ``DB_SOCKET_TIMEOUT_S``. A login
    refused (the password was rotated since the secret was read) reads the secret again and tries once
    more; any failure to connect is a 503."""
    timeout = settings().db_socket_timeout_s
    try:
        try:
            return open_connection(_app_connect_params(), socket_timeout_s=timeout)
        except (InterfaceError, DatabaseError) as e:
            if not (_login_refused(e) and settings().db_secret_arn):
                raise
            log.emit("db.login_refused", retry="with the secret read again")
            return open_connection(_app_connect_params(fresh_secret=True), socket_timeout_s=timeout)
    except (InterfaceError, OSError, DatabaseError) as e:
        raise ServiceUnavailable("The database cannot be reached.") from e


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
    return _open_app_connection(), False


def _begin() -> pg8000.native.Connection:
    """A connection with a transaction begun. A kept connection the server or RDS Proxy has closed
    meanwhile (idle timeout, failover) fails here, before any work was sent, so it is dropped and
    the next one tried; only a fresh connection failing means the database is out of reach."""
    while True:
        conn, kept = _checkout()
        try:
            # The timeout is set with BEGIN, in its round trip: a transaction's first statement (a public
            # page's counts, key claim and lock, which may wait on another request) runs under it too,
            # while a setting made by a statement only bounds the ones after it.
            conn.execute_simple(f"BEGIN; SET LOCAL statement_timeout = {int(settings().db_statement_timeout_ms)}")
            return conn
        except (InterfaceError, OSError, DatabaseError) as e:
            _close(conn)
            if not kept or not _disconnected(e):
                raise ServiceUnavailable("The database cannot be reached.") from e
            if _timed_out(e):
                # Silent rather than closed: the way to the server is down, and every other kept
                # connection would wait as long. A fresh one is bounded by the connect timeout.
                reset_connection()


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
                lock: str = "", jobs: bool = False, page: Page | None = None) -> Iterator[Tx]:
    """One transaction, committed on success and rolled back on any exception; then the actions
    registered with ``Tx.after_commit`` run (an action that fails is logged: the change stands).

    ``business_id`` scopes every row-level-security policy to that tenant;
    ``user_id`` additionally lets the caller see its own memberships in other
    tenants (used by login and token refresh); ``jobs``: see ``Tx.scope``; ``page``
    (instead of a tenant): see ``Tx.serve``.

    Inside ``last_commit_held`` the commit of a transaction that succeeds waits for the next
    transaction to begin or for ``Holding.finish``. A page's transaction whose key was found taken
    commits what it did and raises ``Settled`` (see ``Claim``).
    """
    holding = _holding.get()
    if holding is not None:
        holding.release()  # what the request did before must be committed before this begins
    conn = _begin()
    try:
        tx = Tx(conn)
        if page is not None:
            tx.serve(page, lock=lock)
        else:
            tx.scope(business_id, user_id=user_id, lock=lock, jobs=jobs)
        yield tx
        if holding is not None:
            holding.hold(conn, tx)
            return
        conn.run("COMMIT")
    except Settled:
        _commit(conn)  # what it did before its key was found taken (a page's counts) stands
        raise
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


def _commit(conn: pg8000.native.Connection) -> None:
    """COMMIT, and give the connection back. A failure closes it (the server rolls back what a closed
    connection left open, unless the COMMIT reached it before the connection broke: then all of it
    committed); a lost connection is our 503, as in ``transaction``: the driver's own error is a 500."""
    try:
        conn.run("COMMIT")
    except BaseException as e:
        _close(conn)
        if _disconnected(e) and isinstance(e, (InterfaceError, OSError, DatabaseError)):
            raise ServiceUnavailable("The database connection was lost.") from e
        raise
    _checkin(conn)


class Holding:
    """The last transaction of a unit of work, held open (its commit, and the actions after it, wait)
    so that what the work answered can be written in it: see ``last_commit_held``."""

    def __init__(self) -> None:
        self._held: tuple[pg8000.native.Connection, Tx] | None = None

    @property
    def tx(self) -> Tx | None:
        """The transaction held, if any."""
        return self._held[1] if self._held else None

    def hold(self, conn: pg8000.native.Connection, tx: Tx) -> None:
        self.release()  # one begun inside this one ended first
        self._held = (conn, tx)

    def release(self) -> None:
        """Commit the transaction held, if any (then its actions run)."""
        self.finish(None, None)

    def abandon(self) -> None:
        """Roll back the transaction held, if any (its actions never run): the work failed after it."""
        held, self._held = self._held, None
        if held is None:
            return
        conn, _ = held
        try:
            conn.run("ROLLBACK")
        except (InterfaceError, OSError, DatabaseError):
            _close(conn)  # the server rolls back what a closed connection left open
        else:
            _checkin(conn)

    def finish(self, business_id: UUID | str | None, write: Callable[[Tx], None] | None) -> None:
        """Run ``write`` in the transaction held, when it is ``business_id``'s, and commit it; otherwise
        commit it and run ``write`` in a transaction of its own."""
        held, self._held = self._held, None
        if held is not None:
            conn, tx = held
            try:
                if write is not None and tx.business_id is not None and str(tx.business_id) == str(business_id):
                    write(tx)
                    write = None
            except BaseException:
                _close(conn)  # the server rolls back what a closed connection left open
                raise
            _commit(conn)
            if tx._after_commit:
                _run_after_commit(tx._after_commit)
        if write is not None:
            token = _holding.set(None)
            try:
                with transaction(business_id) as tx:
                    write(tx)
            finally:
                _holding.reset(token)


_holding: ContextVar[Holding | None] = ContextVar("holding", default=None)


@contextmanager
def last_commit_held() -> Iterator[Holding]:
    """Run a unit of work whose last transaction stays open until ``Holding.finish`` writes its answer
    in it (an idempotent request's answer commits with its change, before anything is sent after the
    commit). Each transaction the work begins first commits the one held, so the work runs as it
    would without this; on the way out, whatever is still held is committed, or rolled back when the
    work raised (a failed request's last change must not commit once its key is given back)."""
    holding = Holding()
    token = _holding.set(holding)
    try:
        yield holding
    except BaseException:
        _holding.reset(token)
        holding.abandon()
        raise
    _holding.reset(token)
    holding.release()


def _run_after_commit(actions: dict[Callable[[list[Any]], None], list[Any]]) -> None:
    # The follow-ups act for the system, not for the member whose request committed: a member who
    # just left the business must not stop the e-mail about what they did. Nor are their own
    # transactions part of a unit of work whose last commit is held.
    token, holding = _acting.set(None), _holding.set(None)
    try:
        for action, items in actions.items():
            try:
                action(items)
            except Exception as e:  # noqa: BLE001 - committed already: a follow-up's failure is not the request's
                log.emit("db.after_commit_failed", action=action.__qualname__, error=f"{type(e).__name__}: {e}")
    finally:
        _holding.reset(holding)
        _acting.reset(token)


def jobs_tx(*, lock: str = "") -> contextlib.AbstractContextManager[Tx]:
    """A background job's transaction: the job tables of every tenant, no tenant's other rows."""
    return transaction(jobs=True, lock=lock)


def tenant_tx(business_id: UUID | str, *, lock: str = "") -> contextlib.AbstractContextManager[Tx]:
    """A transaction that sees only ``business_id``'s rows (``lock``: see ``Tx.scope``)."""
    return transaction(business_id, lock=lock)

