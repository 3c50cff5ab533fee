"""Only platform operators reach the console, checked on every request: a member of any role who is
not one is refused (403) and changes nothing, and an operator revoked is refused at once, with the
access token they already hold."""
from __future__ import annotations

from typing import Any

import pytest

from tests.admin.helpers import actions, make_operator, operator, revoke, serving
from tests.api import call, new_business
from tests.checks import error_of


def _routes(business_id: str) -> list[tuple[str, str, Any]]:
    return [("GET", "/admin/tenants", None),
            ("GET", f"/admin/tenants/{business_id}", None),
            ("POST", f"/admin/tenants/{business_id}/suspend", {"reason": "Fraud"}),
            ("POST", f"/admin/tenants/{business_id}/reactivate", {"reason": "Fine"}),
            ("PUT", f"/admin/tenants/{business_id}/features",
             {"overrides": [{"feature": "whatsapp", "value": True, "reason": "Pilot"}], "reason": "Pilot"}),
            ("GET", "/admin/metrics", None)]


def _unchanged(business_id: str) -> None:
    assert serving(business_id)["status"] == "active"
    assert actions(business_id) == []


def test_a_member_who_is_not_an_operator_is_refused_everywhere_and_changes_nothing(client):
    owner, target = new_business(client), new_business(client)

    for method, path, payload in _routes(target.business_id) + _routes(owner.business_id):
        error_of(call(client, method, path, payload, session=owner), 403, "forbidden")
    _unchanged(target.business_id)
    _unchanged(owner.business_id)


def test_without_a_token_every_route_is_refused_by_the_gateway(client):
    target = new_business(client)

    for method, path, payload in _routes(target.business_id):
        assert call(client, method, path, payload).status_code == 401, path


@pytest.mark.parametrize("index", range(6))
def test_an_operator_revoked_is_refused_at_once_with_the_token_they_hold(client, index):
    admin, target = operator(client), new_business(client)
    method, path, payload = _routes(target.business_id)[index]
    if method != "GET":  # the write itself, done while still an operator, must not be the one refused
        method, path, payload = "GET", f"/admin/tenants/{target.business_id}", None
    assert call(client, method, path, payload, session=admin).status_code == 200

    revoke(admin)

    method, path, payload = _routes(target.business_id)[index]
    error_of(call(client, method, path, payload, session=admin), 403, "forbidden")
    _unchanged(target.business_id)
    make_operator(admin)  # granted again: let in again at once
    assert call(client, "GET", "/admin/tenants?limit=1", session=admin).status_code == 200
