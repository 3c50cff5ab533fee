"""Every test-client request comes from one address (Chalice's local gateway gives them all
127.0.0.1), so the public routes' per-address limits count the whole run's requests together, both
pytest-xdist workers included. Each test here starts (and ends) with that address's counts at zero;
a test marked ``whole_address`` (one that fills a limit itself) has the address to itself: the
others hold a shared advisory lock while they run, it holds the exclusive one."""
from __future__ import annotations

from contextlib import closing

import pytest

from chalicelib.core.migrations import owner_connection
from tests.booking.helpers import clear_address_counts

# Any fixed number: the advisory lock the tests of this folder share the local address under.
_ADDRESS_LOCK = 7_230_412


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "whole_address: the test fills a per-address limit and needs the address alone")


@pytest.fixture(autouse=True)
def address_counts_cleared(request: pytest.FixtureRequest):
    alone = request.node.get_closest_marker("whole_address") is not None
    with closing(owner_connection()) as conn:
        conn.run("SELECT pg_advisory_lock(:key)" if alone else "SELECT pg_advisory_lock_shared(:key)",
                 key=_ADDRESS_LOCK)
        clear_address_counts()
        yield
        # Tests elsewhere in the run find the address as they would on their own.
        clear_address_counts()
