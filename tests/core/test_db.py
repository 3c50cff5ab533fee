"""Transactions that wait on each other: PostgreSQL ends one, and the app names it."""
from __future__ import annotations

import threading

from chalicelib.core import db
from chalicelib.core.db import Deadlocked


def test_two_transactions_waiting_on_each_other_end_one_as_deadlocked_a_retryable_503():
    both_hold_one = threading.Barrier(2)
    outcomes: list[str] = []

    def take(first: str, second: str) -> None:
        try:
            with db.transaction() as tx:
                tx.lock(first)
                both_hold_one.wait()
                tx.lock(second)
            outcomes.append("ok")
        except Deadlocked as e:
            outcomes.append(f"deadlocked {e.status} {e.code}")

    threads = [threading.Thread(target=take, args=pair) for pair in (("dl-a", "dl-b"), ("dl-b", "dl-a"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["deadlocked 503 deadlocked", "ok"]
