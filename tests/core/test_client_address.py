"""What a client's address counts as for the limits: an IPv6 subscriber holds a whole /64 and can
change its source address per request, so the /64 is the unit; IPv4 is the address itself."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from chalicelib.core.rate_limit import client_address, limit_key


def _request(source_ip: str | None) -> SimpleNamespace:
    return SimpleNamespace(context={"identity": {"sourceIp": source_ip}})


@pytest.mark.parametrize("address, key", [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
    ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
    ("2001:DB8:1:2:0:0:0:ffff", "2001:db8:1:2::/64"),
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("not an address", "not an address"),
])
def test_an_address_counts_as_itself_or_its_ipv6_64(address, key):
    assert limit_key(address) == key


def test_two_addresses_of_one_ipv6_64_share_a_key_and_the_next_64_does_not():
    one = client_address(_request("2001:db8:0:7::1"))
    assert client_address(_request("2001:db8:0:7:ffff:ffff:ffff:fffe")) == one
    assert client_address(_request("2001:db8:0:8::1")) != one


def test_no_address_counts_as_unknown():
    assert client_address(SimpleNamespace(context={})) == "unknown"
    assert client_address(_request(None)) == "unknown"
