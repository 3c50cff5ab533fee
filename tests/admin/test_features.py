"""PUT /admin/tenants/{business_id}/features: the override set of one tenant is replaced, that tenant's
effective features change at once and no other's, the change is recorded with its reason, and a bad
set is refused whole (422 naming each bad override) with nothing stored."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from tests.admin.helpers import actions, operator, put_features
from tests.api import Session, body, call, new_business
from tests.checks import error_of, invalid_fields, rows


def _features(client: Any, session: Session) -> dict[str, Any]:
    response = call(client, "GET", "/features", session=session)
    assert response.status_code == 200, response.body
    return body(response)


def _on_basic(client: Any) -> Session:
    owner = new_business(client)
    rows(owner.business_id, "UPDATE businesses SET plan = 'basic' WHERE id = CAST(:bid AS uuid) RETURNING id",
         bid=owner.business_id)
    return owner


def _stored(business_id: str) -> list[tuple[str, Any, str]]:
    return [(r["feature"], r["value"], r["reason"]) for r in rows(
        business_id, "SELECT feature, value, reason FROM feature_overrides ORDER BY feature")]


def test_overrides_change_that_tenants_features_at_once_and_no_other_tenants(client):
    admin, owner, bystander = operator(client), _on_basic(client), _on_basic(client)
    before = _features(client, bystander)
    assert _features(client, owner) == before
    ends = (datetime.now(timezone.utc) + timedelta(days=30)).isoformat()

    answer = put_features(client, admin, owner.business_id, [
        {"feature": "whatsapp", "value": True, "reason": "Pilot", "ends_at": ends},
        {"feature": "staff", "value": 5, "reason": "Seasonal staff"},
        {"feature": "bookings_per_month", "value": None, "reason": "Unlimited deal"},
        {"feature": "data_export", "value": False, "reason": "Legal hold"}])

    assert answer.status_code == 200, answer.body
    mine = _features(client, owner)
    assert mine["features"] == {**before["features"], "whatsapp": True, "data_export": False}
    assert mine["limits"] == {**before["limits"], "staff": 5, "bookings_per_month": None}
    assert body(answer)["entitlements"] == mine
    assert _features(client, bystander) == before
    assert _stored(owner.business_id) == [("bookings_per_month", None, "Unlimited deal"),
                                          ("data_export", False, "Legal hold"), ("staff", 5, "Seasonal staff"),
                                          ("whatsapp", True, "Pilot")]
    assert _stored(bystander.business_id) == []
    (recorded,) = actions(owner.business_id)
    assert (recorded["action"], recorded["reason"], recorded["actor_id"]) == (
        "features", "Pilot customer", uuid.UUID(admin.user_id))
    assert recorded["details"]["before"] == {}
    assert set(recorded["details"]["after"]) == {"whatsapp", "staff", "bookings_per_month", "data_export"}


def test_the_set_is_replaced_and_a_set_that_changes_nothing_records_nothing(client):
    admin, owner = operator(client), _on_basic(client)
    plain = _features(client, owner)
    first = [{"feature": "whatsapp", "value": True, "reason": "Pilot"},
             {"feature": "staff", "value": 5, "reason": "Seasonal staff"}]
    assert put_features(client, admin, owner.business_id, first).status_code == 200
    assert put_features(client, admin, owner.business_id, first).status_code == 200
    assert len(actions(owner.business_id)) == 1

    answer = put_features(client, admin, owner.business_id, [{"feature": "staff", "value": 4, "reason": "Fewer"}],
                          reason="Season over")

    assert answer.status_code == 200, answer.body
    assert _stored(owner.business_id) == [("staff", 4, "Fewer")]
    assert _features(client, owner) == {**plain, "limits": {**plain["limits"], "staff": 4}}
    last = actions(owner.business_id)[-1]
    assert last["reason"] == "Season over"
    assert last["details"]["before"] == {"whatsapp": {"value": True, "reason": "Pilot", "ends_at": None},
                                         "staff": {"value": 5, "reason": "Seasonal staff", "ends_at": None}}
    assert last["details"]["after"] == {"staff": {"value": 4, "reason": "Fewer", "ends_at": None}}

    assert put_features(client, admin, owner.business_id, [], reason="All back to the plan").status_code == 200
    assert _stored(owner.business_id) == []
    assert _features(client, owner) == plain
    assert len(actions(owner.business_id)) == 3


def test_a_bad_set_is_422_naming_each_bad_override_and_nothing_is_stored(client):
    admin, owner = operator(client), _on_basic(client)
    past = (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat()
    good = {"feature": "whatsapp", "value": True, "reason": "Pilot"}

    cases = [
        ([{**good, "feature": "teleport"}], "overrides.0.feature"),
        ([good, {**good, "reason": "Again"}], "overrides.1.feature"),
        ([{**good, "value": 3}], "overrides.0.value"),
        ([{**good, "value": None}], "overrides.0.value"),
        ([{"feature": "staff", "value": True, "reason": "x"}], "overrides.0.value"),
        ([{"feature": "staff", "value": -1, "reason": "x"}], "overrides.0.value"),
        ([{"feature": "staff", "value": "5", "reason": "x"}], "overrides.0.value"),
        ([{"feature": "staff", "value": 2.5, "reason": "x"}], "overrides.0.value"),
        ([{"feature": "whatsapp", "value": True}], "overrides.0.reason"),
        ([{**good, "reason": ""}], "overrides.0.reason"),
        ([{**good, "ends_at": past}], "overrides.0.ends_at"),
        ([{**good, "ends_at": "2099-01-01T00:00:00"}], "overrides.0.ends_at"),
        ([{**good, "colour": "red"}], "overrides.0.colour"),
    ]
    for overrides, field in cases:
        fields = invalid_fields(put_features(client, admin, owner.business_id, overrides))
        assert field in fields, (overrides, fields)
    assert "reason" in invalid_fields(call(client, "PUT", f"/admin/tenants/{owner.business_id}/features",
                                           {"overrides": [good]}, session=admin))
    assert "overrides" in invalid_fields(call(client, "PUT", f"/admin/tenants/{owner.business_id}/features",
                                              {"reason": "x"}, session=admin))
    assert _stored(owner.business_id) == []
    assert actions(owner.business_id) == []


def test_an_unknown_or_malformed_tenant_is_not_found(client):
    admin = operator(client)

    for business_id in (str(uuid.uuid4()), "nope"):
        error_of(put_features(client, admin, business_id, [{"feature": "whatsapp", "value": True, "reason": "x"}]),
                 404, "not_found")


def test_an_override_past_its_end_is_shown_as_kept_and_no_longer_applied(client):
    admin, owner = operator(client), _on_basic(client)
    plain = _features(client, owner)
    ends = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    answer = put_features(client, admin, owner.business_id,
                          [{"feature": "whatsapp", "value": True, "reason": "Trial week", "ends_at": ends}])
    assert answer.status_code == 200, answer.body
    assert _features(client, owner)["features"]["whatsapp"] is True

    rows(owner.business_id, "UPDATE feature_overrides SET ends_at = now() - interval '1 minute' RETURNING feature")

    assert _features(client, owner) == plain
    page = body(call(client, "GET", f"/admin/tenants/{owner.business_id}", session=admin))
    assert page["entitlements"]["features"]["whatsapp"] is False
    assert [(o["feature"], o["value"]) for o in page["overrides"]] == [("whatsapp", True)]
    assert datetime.fromisoformat(page["overrides"][0]["ends_at"]) < datetime.now(timezone.utc)
