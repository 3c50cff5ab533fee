"""The public routes' rate limits, counted in ``rate_limit_hits`` (no routes use them yet, so these
call the module directly against the real database).

Each test makes its own limit, with a unique name, so its buckets are its own; windows are a day
long (aligned to midnight UTC) so that no test straddles a window's end.
"""
from __future__ import annotations

import threading
import time
import uuid
from types import SimpleNamespace

import pytest

from chalicelib.core import db, rate_limit
from chalicelib.core.errors import RateLimited
from chalicelib.core.rate_limit import Limit

DAY = 24 * 3600


def new_limit(per: int, window_s: int = DAY) -> Limit:
    return Limit(f"test_{uuid.uuid4().hex[:12]}", per=per, window_s=window_s)


def counts(limit: Limit) -> dict[str, int]:
    """hits per bucket of ``limit`` in its current window."""
    with db.transaction() as tx:
        found = tx.all("SELECT bucket, hits FROM rate_limit_hits WHERE starts_with(bucket, :prefix)"
                       " AND window_start > now() - make_interval(secs => :window_s)",
                       prefix=f"{limit.name}:", window_s=limit.window_s)
    return {row["bucket"]: row["hits"] for row in found}


def store_window(limit: Limit, key: str, *, seconds_ago: int, hits: int) -> None:
    """A window of ``limit`` for ``key`` that started ``seconds_ago`` (aligned like the real ones)."""
    with db.transaction() as tx:
        tx.execute("INSERT INTO rate_limit_hits (bucket, window_start, hits) VALUES (:bucket,"
                   " to_timestamp(floor(extract(epoch FROM now() - make_interval(secs => :ago)) / :w) * :w),"
                   " :hits)",
                   bucket=rate_limit.bucket(limit, key), ago=seconds_ago, w=limit.window_s, hits=hits)


def refusal(*limits_and_keys: tuple[Limit, str]) -> RateLimited:
    with pytest.raises(RateLimited) as refused:
        rate_limit.hit(*limits_and_keys)
    return refused.value


def test_hits_up_to_the_limit_pass_and_are_counted():
    limit = new_limit(per=3)
    for _ in range(3):
        rate_limit.hit((limit, "198.51.100.1"))
    assert counts(limit) == {rate_limit.bucket(limit, "198.51.100.1"): 3}


def test_the_hit_over_the_limit_is_refused_until_the_window_ends_and_is_not_counted():
    limit = new_limit(per=2)
    rate_limit.hit((limit, "198.51.100.1"))
    rate_limit.hit((limit, "198.51.100.1"))

    refused = refusal((limit, "198.51.100.1"))

    seconds_left = DAY - time.time() % DAY
    assert refused.status == 429 and refused.code == "rate_limited"
    assert 1 <= refused.details["retry_after"] <= DAY
    assert abs(refused.details["retry_after"] - seconds_left) <= 2
    assert refused.headers == {"Retry-After": str(refused.details["retry_after"])}
    assert counts(limit) == {rate_limit.bucket(limit, "198.51.100.1"): 2}


def test_each_key_is_counted_on_its_own():
    limit = new_limit(per=1)
    rate_limit.hit((limit, "198.51.100.1"))
    rate_limit.hit((limit, "198.51.100.2"))

    refusal((limit, "198.51.100.1"))
    assert counts(limit) == {rate_limit.bucket(limit, "198.51.100.1"): 1,
                             rate_limit.bucket(limit, "198.51.100.2"): 1}


def test_one_call_counts_every_limit_and_a_refused_call_counts_against_none():
    per_address, per_business = new_limit(per=3), new_limit(per=2)
    full, second, third, untouched = (str(uuid.uuid4()) for _ in range(4))
    rate_limit.hit((per_address, "198.51.100.1"), (per_business, full))
    rate_limit.hit((per_address, "198.51.100.2"), (per_business, full))

    # The business is full: a third address, under its own limit, is refused and its attempt takes
    # nothing from its own allowance.
    refusal((per_address, "198.51.100.3"), (per_business, full))
    # An address over its limit is refused where the business has room, which it keeps.
    rate_limit.hit((per_address, "198.51.100.1"), (per_business, second))
    rate_limit.hit((per_address, "198.51.100.1"), (per_business, third))
    refusal((per_address, "198.51.100.1"), (per_business, untouched))

    assert counts(per_address) == {rate_limit.bucket(per_address, "198.51.100.1"): 3,
                                   rate_limit.bucket(per_address, "198.51.100.2"): 1}
    assert counts(per_business) == {rate_limit.bucket(per_business, full): 2,
                                    rate_limit.bucket(per_business, second): 1,
                                    rate_limit.bucket(per_business, third): 1}


def _page(*limits_and_keys: tuple[Limit, str]) -> db.Page:
    """A public page's transaction (of a slug no business has) counting ``limits_and_keys``."""
    return db.Page(f"no-such-{uuid.uuid4().hex[:12]}", rate_limit.counting(*limits_and_keys))


class Failed(Exception):
    """Work that fails after its counts were taken."""


def test_hits_counted_inside_a_transaction_count_only_when_it_commits():
    limit = new_limit(per=5)
    with db.transaction(page=_page((limit, "198.51.100.1"))) as tx:
        assert tx.business_id is None  # no such page: the caller answers 404 after the commit
    with pytest.raises(Failed), db.transaction(page=_page((limit, "198.51.100.1"))):
        raise Failed()  # the work after the count failed: rolled back with it

    assert counts(limit) == {rate_limit.bucket(limit, "198.51.100.1"): 1}


def test_hits_counted_inside_a_transaction_are_refused_like_hit_and_count_nothing():
    per_address, per_business = new_limit(per=3), new_limit(per=1)
    rate_limit.hit((per_business, "a business"))

    with pytest.raises(RateLimited), db.transaction(page=_page((per_address, "198.51.100.1"),
                                                               (per_business, "a business"))):
        pytest.fail("refused in the transaction's first statement: the work never runs")

    assert counts(per_address) == {}
    assert counts(per_business) == {rate_limit.bucket(per_business, "a business"): 1}


def test_the_same_key_twice_in_one_call_counts_once():
    limit = new_limit(per=5)
    rate_limit.hit((limit, "198.51.100.1"), (limit, "198.51.100.1"))
    assert counts(limit) == {rate_limit.bucket(limit, "198.51.100.1"): 1}


def test_a_new_window_starts_from_zero_whatever_the_last_one_held():
    limit = new_limit(per=3, window_s=60)
    store_window(limit, "198.51.100.1", seconds_ago=60, hits=50)

    for _ in range(3):
        rate_limit.hit((limit, "198.51.100.1"))
    refused = refusal((limit, "198.51.100.1"))

    assert 1 <= refused.details["retry_after"] <= 60
    assert counts(limit) == {rate_limit.bucket(limit, "198.51.100.1"): 3}


def test_of_twenty_concurrent_hits_on_a_limit_of_ten_exactly_ten_pass():
    limit = new_limit(per=10)
    all_ready = threading.Barrier(20)
    outcomes: list[str] = []

    def attempt() -> None:
        all_ready.wait(timeout=5)
        try:
            rate_limit.hit((limit, "198.51.100.1"))
            outcomes.append("passed")
        except RateLimited:
            outcomes.append("refused")

    workers = [threading.Thread(target=attempt) for _ in range(20)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()

    assert sorted(outcomes) == ["passed"] * 10 + ["refused"] * 10
    assert counts(limit) == {rate_limit.bucket(limit, "198.51.100.1"): 10}


def _left(limit: Limit) -> int:
    with db.transaction() as tx:
        return tx.value("SELECT count(*) FROM rate_limit_hits WHERE starts_with(bucket, :prefix)",
                        prefix=f"{limit.name}:")


def test_windows_that_ended_over_a_day_ago_are_deleted_a_hundred_at_a_time():
    old, recent = new_limit(per=1, window_s=60), new_limit(per=1, window_s=DAY)
    for n in range(150):
        store_window(old, f"198.51.100.{n}", seconds_ago=rate_limit.PRUNE_AFTER_S + 60, hits=1)
    # Started a day ago: a day-long window that ended only just now is kept.
    store_window(recent, "198.51.100.1", seconds_ago=DAY, hits=1)
    caller = new_limit(per=5)

    rate_limit.hit((caller, "198.51.100.1"))
    assert _left(old) <= 150 - rate_limit.PRUNE_BATCH
    rate_limit.hit((caller, "198.51.100.1"))

    assert _left(old) == 0
    assert _left(recent) == 1


def test_the_table_holds_no_client_address_in_clear():
    limit = new_limit(per=5)
    rate_limit.hit((limit, "198.51.100.77"))
    with db.transaction() as tx:
        assert tx.value("SELECT count(*) FROM rate_limit_hits WHERE bucket LIKE '%198.51.100.77%'") == 0
    assert len(counts(limit)) == 1


def test_a_limit_needs_at_least_one_hit_and_a_window_of_a_second_to_a_day():
    for per, window_s in ((0, 60), (1, 0), (1, DAY + 1)):
        with pytest.raises(ValueError):
            Limit("bad", per=per, window_s=window_s)


@pytest.mark.parametrize(("context", "address"), [
    ({"identity": {"sourceIp": "203.0.113.9"}}, "203.0.113.9"),
    ({"identity": {"sourceIp": None}}, "unknown"),
    ({"identity": {}}, "unknown"),
    ({}, "unknown"),
    (None, "unknown"),
])
def test_the_client_address_is_the_one_api_gateway_saw(context, address):
    assert rate_limit.client_address(SimpleNamespace(context=context)) == address


def test_a_request_without_a_context_has_an_unknown_address():
    assert rate_limit.client_address(object()) == "unknown"
