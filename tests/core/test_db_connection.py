"""The database connections: one per transaction in flight (so one per Lambda container), kept across transactions,
replaced after the server drops it, always with a statement timeout; transactions commit or roll
back as a whole and constraint failures carry the constraint's name."""
from __future__ import annotations

import threading
import uuid

import pytest

from chalicelib.core import db
from chalicelib.core.errors import ServiceUnavailable
from chalicelib.core.settings import settings
from tests.api import call, new_business


def _pid() -> int:
    with db.transaction() as tx:
        return tx.value("SELECT pg_backend_pid()")


def test_one_connection_serves_every_transaction_of_a_thread():
    assert _pid() == _pid() == _pid()


def _pids_of_concurrent_transactions(count: int) -> list[int]:
    """Backend pids of ``count`` transactions all open at the same moment, from as many threads."""
    all_open = threading.Barrier(count)
    pids: list[int] = []

    def hold() -> None:
        with db.transaction() as tx:
            pids.append(tx.value("SELECT pg_backend_pid()"))
            all_open.wait(timeout=5)

    workers = [threading.Thread(target=hold) for _ in range(count)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return pids


def test_concurrent_transactions_each_have_a_connection_and_give_it_back():
    seen = _pids_of_concurrent_transactions(2)
    assert len(set(seen)) == 2
    # The threads are gone but their connections are kept for the next transactions.
    assert _pid() in seen


def test_many_threads_one_after_another_reuse_one_connection():
    seen: list[int] = []
    for _ in range(5):
        worker = threading.Thread(target=lambda: seen.append(_pid()))
        worker.start()
        worker.join()
    assert len(set(seen)) == 1


def test_every_transaction_runs_under_the_statement_timeout_and_none_outlives_it():
    with db.transaction() as tx:
        assert tx.value("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'") == str(
            settings().db_statement_timeout_ms)
        assert tx.value("SHOW application_name") == "booking"
    conn, _ = db._checkout()
    try:
        # Nothing set for the session: behind RDS Proxy a session SET would pin the connection.
        assert conn.run("SHOW statement_timeout") == [["0"]]
    finally:
        db._checkin(conn)


def _terminate(superuser, pid: int) -> None:
    assert superuser.run("SELECT pg_terminate_backend(:pid, 5000)", pid=pid) == [[True]]


def test_a_kept_connection_the_server_dropped_is_replaced_before_any_work(superuser):
    old = _pid()
    _terminate(superuser, old)

    with db.transaction() as tx:
        assert tx.value("SELECT 1") == 1

    assert _pid() != old
    assert _pid() == _pid()


def test_every_kept_connection_dropped_at_once_still_gives_a_working_transaction(superuser):
    pids = _pids_of_concurrent_transactions(3)
    for pid in pids:
        _terminate(superuser, pid)

    assert _pid() not in pids


def test_a_connection_dropped_mid_query_gives_503_and_is_replaced(superuser):
    old = _pid()
    timer = threading.Timer(0.2, _terminate, args=(superuser, old))
    timer.start()
    with pytest.raises(ServiceUnavailable):
        with db.transaction() as tx:
            tx.value("SELECT pg_sleep(3)")
    timer.join()
    assert _pid() != old


def test_after_a_dropped_connection_the_api_answers_at_once(client, superuser):
    owner = new_business(client)
    _terminate(superuser, _pid())

    assert call(client, "GET", "/business", session=owner).status_code == 200


def test_a_slow_statement_is_cut_off_as_a_query_timeout():
    with pytest.raises(db.QueryTimeout) as timed_out:
        with db.transaction() as tx:
            tx.execute("SET LOCAL statement_timeout = 50")
            tx.value("SELECT pg_sleep(2)")
    assert timed_out.value.status == 503 and timed_out.value.code == "query_timeout"
    assert _pid() == _pid()


def test_a_transaction_is_rolled_back_when_its_work_fails(client):
    owner = new_business(client)
    with pytest.raises(RuntimeError):
        with db.tenant_tx(owner.business_id) as tx:
            tx.execute("UPDATE businesses SET name = 'Half done' WHERE id = :id", id=owner.business_id)
            raise RuntimeError("the rest of the work failed")
    with db.tenant_tx(owner.business_id) as tx:
        assert tx.value("SELECT name FROM businesses WHERE id = :id", id=owner.business_id) != "Half done"


def test_a_transaction_commits_when_its_work_succeeds(client):
    owner = new_business(client)
    with db.tenant_tx(owner.business_id) as tx:
        assert tx.execute("UPDATE businesses SET name = 'Renamed' WHERE id = :id", id=owner.business_id) == 1
    with db.tenant_tx(owner.business_id) as tx:
        assert tx.one("SELECT name FROM businesses WHERE id = :id", id=owner.business_id) == {"name": "Renamed"}


def test_a_unique_violation_is_a_constraint_violated_named_by_the_constraint(client):
    a, b = new_business(client), new_business(client)
    with db.tenant_tx(b.business_id) as tx:
        taken = tx.value("SELECT slug FROM businesses WHERE id = :id", id=b.business_id)
    with pytest.raises(db.ConstraintViolated) as violated:
        with db.tenant_tx(a.business_id) as tx:
            tx.execute("UPDATE businesses SET slug = :slug WHERE id = :id", slug=taken, id=a.business_id)
    assert violated.value.name == "businesses_slug_key"
    assert violated.value.code == "23505"


def test_a_check_violation_is_named_too(client):
    owner = new_business(client)
    with pytest.raises(db.ConstraintViolated) as violated:
        with db.tenant_tx(owner.business_id) as tx:
            tx.execute("UPDATE businesses SET slot_interval_min = 1 WHERE id = :id", id=owner.business_id)
    assert violated.value.name == "businesses_slot_interval_min_check"
    assert violated.value.code == "23514"


def test_rows_come_back_as_dicts_by_column_name():
    with db.transaction() as tx:
        assert tx.all("SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y' ORDER BY 1") == [
            {"a": 1, "b": "x"}, {"a": 2, "b": "y"}]
        assert tx.one("SELECT 1 AS a WHERE false") is None
        assert tx.value("SELECT :v::uuid", v=str(uuid.UUID(int=7))) == uuid.UUID(int=7)


def test_a_postgres_url_becomes_connect_parameters():
    socket = db.connect_params("postgresql://app@/booking?host=/tmp/pg&port=5433")
    assert socket == {"user": "app", "password": None, "database": "booking",
                      "unix_sock": "/tmp/pg/.s.PGSQL.5433", "ssl_context": False}
    tcp = db.connect_params("postgresql://u%40x:p%2Fw@db.example:6543/prod")
    assert tcp == {"user": "u@x", "password": "p/w", "database": "prod", "host": "db.example", "port": 6543,
                   "ssl_context": False}
    assert db.connect_params("postgresql://u@db.example/prod?sslmode=require")["ssl_context"] is not False
