"""GET /auth/me: who the bearer token says is calling, and what their business's plan allows.

Without a valid token the request never reaches us: API Gateway (chalice's
local gateway in tests) answers with its own bodies, not our error shape, and
that is what the SPA sees.
"""
from __future__ import annotations

from uuid import UUID

from chalicelib.billing import gate
from tests.api import add_member, body, call, signup
from tests.checks import rows


def test_me_shows_the_user_role_business_plan_and_features(client):
    owner = signup(client)

    response = call(client, "GET", "/auth/me", session=owner)

    assert response.status_code == 200
    me = body(response)
    assert me["user"] == {"id": owner.user_id, "email": owner.email, "name": "Olive Owner", "email_verified": False}
    assert me["role"] == "owner"
    assert me["business"]["id"] == owner.business_id and me["business"]["plan"] == "trial"
    assert me["plan"] == "trial"
    # A trial shows everything Pro has (reviews is in gradual rollout: on for the tenants the hash lets in).
    assert me["features"] == {"max_staff": 10, "max_locations": 3, "max_bookings_per_month": 2000,
                              "max_messages_per_month": 500, "whatsapp": True, "google_calendar": True,
                              "campaigns": True, "intake_forms": True, "analytics": False, "custom_templates": True,
                              "reviews": gate.in_rollout("reviews", UUID(owner.business_id)), "waitlist": True,
                              "api_access": False, "data_export": True}
    assert me["platform_operator"] is False


def test_me_says_whether_the_user_operates_the_platform_as_it_is_now(client):
    operator = signup(client)
    rows(operator.business_id, "INSERT INTO platform_operators (user_id) VALUES (CAST(:uid AS uuid)) RETURNING user_id",
         uid=operator.user_id)
    assert body(call(client, "GET", "/auth/me", session=operator))["platform_operator"] is True

    rows(operator.business_id, "DELETE FROM platform_operators WHERE user_id = CAST(:uid AS uuid) RETURNING user_id",
         uid=operator.user_id)
    assert body(call(client, "GET", "/auth/me", session=operator))["platform_operator"] is False  # revoked: at once


def test_me_shows_a_members_own_role(client, mail):
    owner = signup(client)
    staff = add_member(client, owner, mail, "staff")

    me = body(call(client, "GET", "/auth/me", session=staff))

    assert (me["user"]["id"], me["role"], me["business"]["id"]) == (staff.user_id, "staff", owner.business_id)


def test_without_a_token_the_gateway_answers_401_with_its_own_body(client):
    response = client.http.get("/auth/me")

    assert response.status_code == 401
    assert body(response) == {"message": "Unauthorized"}
    assert response.headers["x-amzn-ErrorType"] == "UnauthorizedException"


def test_with_an_invalid_token_the_authorizer_denies_with_403(client):
    response = client.http.get("/auth/me", headers={"Authorization": "Bearer not-a-jwt"})

    assert response.status_code == 403
    assert body(response) == {"Message": "User is not authorized to access this resource"}
    assert response.headers["x-amzn-ErrorType"] == "AccessDeniedException"


def test_a_valid_token_under_another_scheme_is_denied(client):
    owner = signup(client)

    for header in (owner.access_token, f"Basic {owner.access_token}", "Bearer", "Bearer "):
        response = client.http.get("/auth/me", headers={"Authorization": header})
        assert response.status_code == 403, header
        assert body(response) == {"Message": "User is not authorized to access this resource"}


def test_the_bearer_scheme_is_case_insensitive(client):
    owner = signup(client)

    response = client.http.get("/auth/me", headers={"Authorization": f"bearer {owner.access_token}"})

    assert response.status_code == 200
