"""What the platform console's tests share: operators made and revoked as the platform's CLI does
(straight into ``platform_operators``), named calls to the /admin routes, and reads of the rows an
operator's action leaves."""
from __future__ import annotations

from typing import Any

from tests.api import Session, body, call, new_business
from tests.checks import rows


def make_operator(session: Session) -> Session:
    rows(session.business_id, "INSERT INTO platform_operators (user_id) VALUES (CAST(:uid AS uuid)) "
         "ON CONFLICT DO NOTHING RETURNING user_id", uid=session.user_id)
    return session


def revoke(session: Session) -> None:
    rows(session.business_id, "DELETE FROM platform_operators WHERE user_id = CAST(:uid AS uuid) RETURNING user_id",
         uid=session.user_id)


def operator(client: Any) -> Session:
    """A member of a business of their own who also operates the platform."""
    return make_operator(new_business(client))


def tenant(client: Any, operator: Session, business_id: str) -> dict[str, Any]:
    response = call(client, "GET", f"/admin/tenants/{business_id}", session=operator)
    assert response.status_code == 200, response.body
    return body(response)


def suspend(client: Any, operator: Session, business_id: str, reason: str = "Chargeback under review") -> Any:
    return call(client, "POST", f"/admin/tenants/{business_id}/suspend", {"reason": reason}, session=operator)


def reactivate(client: Any, operator: Session, business_id: str, reason: str = "Cleared") -> Any:
    return call(client, "POST", f"/admin/tenants/{business_id}/reactivate", {"reason": reason}, session=operator)


def put_features(client: Any, operator: Session, business_id: str, overrides: list[dict[str, Any]],
                 reason: str = "Pilot customer") -> Any:
    return call(client, "PUT", f"/admin/tenants/{business_id}/features", {"overrides": overrides, "reason": reason},
                session=operator)


def actions(business_id: str) -> list[dict[str, Any]]:
    """The operator actions recorded on a tenant, oldest first."""
    return rows(business_id, "SELECT action, reason, details, actor_id FROM tenant_admin_actions "
                "WHERE business_id = CAST(:bid AS uuid) ORDER BY at, id", bid=business_id)


def serving(business_id: str) -> dict[str, Any]:
    """The tenant's serving status and its subscription's state."""
    return rows(business_id, "SELECT b.status, s.state, s.suspended_by, s.suspended_reason FROM businesses b "
                "JOIN subscriptions s ON s.business_id = b.id WHERE b.id = CAST(:bid AS uuid)", bid=business_id)[0]
