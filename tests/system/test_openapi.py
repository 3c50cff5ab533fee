"""/system/openapi.json: a valid OpenAPI 3.1 document of every route, generated from the same
declarations that validate requests, so the contract and the checks cannot drift apart."""
from __future__ import annotations

import re

import jsonschema
import pytest
from openapi_spec_validator import validate

from chalicelib.core.endpoint import CONTRACTS
from tests.api import PASSWORD, body, call


@pytest.fixture(scope="module")
def document(client):
    response = client.http.get("/system/openapi.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    return body(response)


@pytest.fixture(scope="module")
def routes():
    from app import app

    return {(path, method) for path, methods in app.routes.items() for method in methods if method != "OPTIONS"}


def _schema(document: dict, name: str) -> dict:
    """A component schema with its references resolvable by jsonschema."""
    return {**document["components"]["schemas"][name], "components": document["components"]}


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_route_is_documented_and_nothing_else(document, routes):
    documented = {(path, method.upper()) for path, operations in document["paths"].items() for method in operations}
    assert documented == routes


def test_every_route_is_declared_with_a_contract(routes):
    declared = {(c.path, c.method) for c in CONTRACTS}
    assert routes - declared == set()
    assert len(declared) == len(CONTRACTS), "a route declared twice"


def test_operation_ids_are_unique(document):
    ids = [op["operationId"] for operations in document["paths"].values() for op in operations.values()]
    assert len(ids) == len(set(ids))


def test_public_routes_need_no_token_and_the_others_a_bearer_one(document):
    for contract in CONTRACTS:
        operation = document["paths"][contract.path][contract.method.lower()]
        if contract.public:
            assert operation["security"] == [], contract.path
        else:
            assert operation["security"] == [{"bearer": []}], contract.path
            assert "401" in operation["responses"], contract.path
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    for path in ("/system/health", "/system/version", "/system/openapi.json", "/auth/signup", "/auth/login"):
        assert document["paths"][path][("get" if path.startswith("/system") else "post")]["security"] == []


def test_a_request_body_schema_is_its_struct(document):
    operation = document["paths"]["/auth/signup"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Signup"}
    signup = document["components"]["schemas"]["Signup"]
    assert set(signup["required"]) == {"business_name", "owner_name", "email", "password", "time_zone", "currency"}
    assert set(signup["properties"]) == set(signup["required"]) | {"slug", "locale"}
    assert signup["additionalProperties"] is False
    assert signup["properties"]["email"] == {"type": "string", "format": "email", "maxLength": 254}


def test_every_request_body_refuses_unknown_fields(document):
    for contract in CONTRACTS:
        if contract.body is not None:
            assert document["components"]["schemas"][contract.body.__name__]["additionalProperties"] is False


def test_a_body_the_api_accepts_fits_the_documented_schema(client, document):
    payload = {"business_name": "Schema Studio", "owner_name": "Sam", "email": "schema-fit@example.com",
               "password": PASSWORD, "time_zone": "Europe/Paris", "currency": "EUR", "slug": "schema-studio-x"}
    jsonschema.validate(payload, _schema(document, "Signup"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**payload, "is_admin": True}, _schema(document, "Signup"))


def test_error_answers_fit_the_documented_error_schema(client, document):
    error_schema = _schema(document, "Error")
    for response in (call(client, "POST", "/auth/signup", {}), call(client, "POST", "/auth/login", raw="{"),
                     call(client, "PUT", "/system/health")):
        jsonschema.validate(body(response), error_schema)


def test_documented_statuses_include_the_conventions(document):
    signup = document["paths"]["/auth/signup"]["post"]["responses"]
    assert {"201", "400", "409", "413", "422"} <= set(signup)
    assert signup["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    team = document["paths"]["/business/users"]["get"]
    assert {p["name"] for p in team["parameters"] if p["in"] == "query"} == {"limit", "cursor"}
    limit = next(p for p in team["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 200 and limit["schema"]["minimum"] == 1
    member = document["paths"]["/business/users/{user_id}"]["patch"]
    assert {"name": "user_id", "in": "path", "required": True,
            "schema": {"type": "string", "format": "uuid"}} in member["parameters"]
    assert {"401", "403", "404", "422"} <= set(member["responses"])


def test_an_idempotent_route_documents_the_idempotency_key_header(document):
    for contract in CONTRACTS:
        parameters = document["paths"][contract.path][contract.method.lower()]["parameters"]
        has_header = any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in parameters)
        assert has_header == contract.idempotent, contract.path
    assert any(c.idempotent for c in CONTRACTS)


def _operations(document: dict):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_documents_its_success_answer_with_a_schema(document):
    for contract in CONTRACTS:
        operation = document["paths"][contract.path][contract.method.lower()]
        answer = operation["responses"][str(contract.status)]
        where = f"{contract.method} {contract.path}"
        if contract.status == 204 or 300 <= contract.status < 400:
            assert "content" not in answer, where
        else:
            (media,) = answer["content"]
            assert answer["content"][media]["schema"], where
            assert media == "application/json" or contract.path == "/notifications/whatsapp/webhook", where


def test_every_documented_answer_names_a_schema_that_exists(document):
    names = set(document["components"]["schemas"])
    text = str(document["paths"])
    for name in re.findall(r"#/components/schemas/([\w.-]+)", text):
        assert name in names, name


def test_a_required_field_publishes_no_default_and_a_default_is_a_real_one(document):
    """msgspec writes a field's default into the schema the hook hands it: a shared one carried
    AcceptInvitation's "New member" onto every Name field (Signup's required business_name...)."""
    schemas = document["components"]["schemas"]
    for name, schema in schemas.items():
        for field in schema.get("required", []):
            assert "default" not in schema["properties"][field], f"{name}.{field}"
    assert "default" not in schemas["Signup"]["properties"]["business_name"]
    assert "default" not in schemas["NewService"]["properties"]["name"]
    accept = schemas["AcceptInvitation"]
    assert accept["properties"]["name"]["default"] == "New member" and "name" not in accept["required"]


def test_member_routes_document_api_gateways_own_401_and_403_bodies(document):
    gateway = _schema(document, "GatewayError")
    ours = _schema(document, "Error")
    for body_ in ({"message": "Unauthorized"},
                  {"Message": "User is not authorized to access this resource with an explicit deny"}):
        jsonschema.validate(body_, gateway)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(body_, ours)
    either = {"oneOf": [{"$ref": "#/components/schemas/Error"}, {"$ref": "#/components/schemas/GatewayError"}]}
    for contract in CONTRACTS:
        responses = document["paths"][contract.path][contract.method.lower()]["responses"]
        for status in ("401", "403"):
            if contract.public:
                assert status not in responses or responses[status]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"}, contract.path
            else:
                assert responses[status]["content"]["application/json"]["schema"] == either, contract.path


def test_public_routes_document_404_for_an_unknown_slug_or_token_and_their_rate_limits(document):
    for path, method, operation in _operations(document):
        if "{" in path:
            assert "404" in operation["responses"], f"{method} {path}"
        if path.startswith("/public/"):
            assert "429" in operation["responses"], f"{method} {path}"
    for path, method in (("/auth/login", "post"), ("/auth/signup", "post")):
        assert "429" in document["paths"][path][method]["responses"]


def test_every_operation_documents_the_answers_any_route_can_give(document):
    for path, method, operation in _operations(document):
        assert {"413", "415", "500", "503"} <= set(operation["responses"]), f"{method} {path}"
        for status in ("502", "504"):  # API Gateway's: the function failed, or took over 29 s
            assert operation["responses"][status]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/GatewayError"}, f"{method} {path}"


def test_a_request_body_is_required_exactly_when_one_of_its_fields_is(document):
    schemas = document["components"]["schemas"]
    for contract in CONTRACTS:
        if contract.body is None:
            continue
        request = document["paths"][contract.path][contract.method.lower()]["requestBody"]
        assert request["required"] == bool(schemas[contract.body.__name__].get("required")), contract.path
    assert document["paths"]["/auth/logout"]["post"]["requestBody"]["required"] is False
    assert document["paths"]["/business"]["patch"]["requestBody"]["required"] is False
    assert document["paths"]["/notifications/settings"]["put"]["requestBody"]["required"] is False
    assert document["paths"]["/auth/signup"]["post"]["requestBody"]["required"] is True


def test_an_optional_body_may_be_left_out(client):
    from tests.api import new_business

    owner = new_business(client)
    # Without a body as with {}: the document calls these bodies optional.
    assert call(client, "PATCH", "/business", session=owner).status_code == 200
    settings_ = call(client, "PUT", "/notifications/settings", session=owner)
    assert settings_.status_code == 200, settings_.body
    assert call(client, "POST", "/auth/logout", session=owner).status_code == 204


def test_leaving_out_a_required_body_is_a_422_naming_a_field(client):
    response = call(client, "POST", "/auth/signup")
    assert response.status_code == 422
    assert set(body(response)["error"]["details"]["fields"].values()) == {"required"}
