"""The App stack as synthesised (infra/cdk.out/<stage>/): the queue and the worker agree through one
constant, API Gateway's own answers carry our error shape, and new code goes live after the migrations."""
from __future__ import annotations

import json

import pytest

from chalicelib.events.outbox import MAX_ATTEMPTS, VISIBILITY_TIMEOUT_S, WORKER_TIMEOUT_S
from chalicelib.core.settings import PROJECT_ROOT
from tests.infra.test_least_privilege import STAGES, assembly


@pytest.fixture(scope="module", params=STAGES)
def stacks(request) -> dict[str, dict]:
    outdir = assembly(request.param)
    return {p.name.removesuffix(".template.json"): json.loads(p.read_text()) for p in outdir.glob("*.template.json")}


def _one(stacks: dict[str, dict], suffix: str) -> dict:
    (template,) = [t for name, t in stacks.items() if name.endswith(suffix)]
    return template["Resources"]


def _functions(resources: dict) -> dict[str, tuple[str, dict]]:
    found = {}
    for logical_id, r in resources.items():
        if r["Type"] == "AWS::Serverless::Function":
            handler = r["Properties"]["Handler"].rsplit(".", 1)[1]
            found["api_handler" if handler == "app" else handler] = (logical_id, r)
    return found


def test_the_worker_timeout_the_visibility_timeout_and_the_receive_count_come_from_the_outbox(stacks):
    _, worker = _functions(_one(stacks, "App"))["notification_worker"]
    queues = {r["Properties"]["QueueName"]: r["Properties"] for r in _one(stacks, "Messaging").values()
              if r["Type"] == "AWS::SQS::Queue"}
    (queue,) = [q for name, q in queues.items() if not name.endswith("-dlq.fifo")]

    assert worker["Properties"]["Timeout"] == WORKER_TIMEOUT_S
    assert queue["VisibilityTimeout"] == VISIBILITY_TIMEOUT_S == 6 * WORKER_TIMEOUT_S
    assert queue["RedrivePolicy"]["maxReceiveCount"] == MAX_ATTEMPTS
    # The stage `chalice deploy` deploys (without the stacks) states the same timeout.
    config = json.loads((PROJECT_ROOT / ".chalice" / "config.json").read_text())
    assert config["stages"]["dev"]["lambda_functions"]["notification_worker"]["lambda_timeout"] == WORKER_TIMEOUT_S


def test_api_gateways_own_answers_carry_the_error_shape_and_the_cors_origin(stacks):
    # In the API's definition, which SAM deploys (a separate GatewayResponse resource would not be in the
    # stage's deployment).
    (api,) = [r["Properties"] for r in _one(stacks, "App").values() if r["Type"] == "AWS::Serverless::Api"]
    kinds = api["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]

    assert not [r for r in _one(stacks, "App").values() if r["Type"] == "AWS::ApiGateway::GatewayResponse"]
    assert {"UNAUTHORIZED", "ACCESS_DENIED", "THROTTLED", "DEFAULT_4XX", "DEFAULT_5XX"} <= kinds.keys()
    assert kinds["UNAUTHORIZED"]["statusCode"] == "401" and kinds["THROTTLED"]["statusCode"] == "429"
    for response in kinds.values():
        body = json.loads(response["responseTemplates"]["application/json"])
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
        origin = response["responseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"]
        assert origin.startswith("'https://") and origin.endswith("'")


def test_every_function_but_migrate_waits_for_the_migrations_and_migrate_alone_holds_the_owner_secret(stacks):
    resources = _one(stacks, "App")
    (migrations,) = [k for k, r in resources.items() if r["Type"] == "Custom::Migrations"]
    for function, (_, resource) in _functions(resources).items():
        variables = resource["Properties"]["Environment"]["Variables"]
        assert (migrations in resource.get("DependsOn", [])) is (function != "migrate"), function
        assert ("DB_OWNER_SECRET_ARN" in variables) is (function == "migrate"), function
        # Every resource setting comes from the stacks, none hand-copied into .chalice/config.json.
        assert "000000000000" not in json.dumps(variables), function


def test_the_deployed_functions_read_their_secrets_from_the_stacks_and_send_through_ses(stacks):
    (_, api), = [f for name, f in _functions(_one(stacks, "App")).items() if name == "api_handler"]
    env = api["Properties"]["Environment"]["Variables"]

    for name in ("DB_SECRET_ARN", "JWT_SECRET_ARN", "STRIPE_SECRET_ARN", "GOOGLE_SECRET_ARN", "WHATSAPP_SECRET_ARN",
                 "DB_HOST"):
        assert "Fn::ImportValue" in env[name], name  # made by the Secrets and Data stacks
    assert env["EMAIL_BACKEND"] == "ses" and env["STRIPE_BACKEND"] == "api"
    assert env["NOTIFICATIONS_QUEUE"].endswith("-notifications.fifo")
    assert not {"DATABASE_URL", "STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET", "JWT_KEYS"} & env.keys()
    assert env["APP_BASE_URL"].startswith("https://") and env["GOOGLE_REDIRECT_URI"].startswith(env["APP_BASE_URL"] + "/api/")


def test_only_the_functions_that_call_third_parties_may_reach_the_nat(stacks):
    """Stripe, Google and Meta have no VPC endpoint: the API, the worker, the billing sweep and the calendar
    sync go through the NAT; the other in-VPC functions may reach the endpoints (and the proxy) alone."""
    network = _one(stacks, "Network")
    exports = {o["Export"]["Name"]: o["Value"] for t in stacks.values() for o in t.get("Outputs", {}).values()
               if "Export" in o}

    def egress(group: dict) -> list[dict]:
        logical_id = exports[group["Fn::ImportValue"]]["Fn::GetAtt"][0]
        rules = network[logical_id]["Properties"].get("SecurityGroupEgress", [])
        rules += [r["Properties"] for r in network.values() if r["Type"] == "AWS::EC2::SecurityGroupEgress"
                  and r["Properties"]["GroupId"] == {"Fn::GetAtt": [logical_id, "GroupId"]}]
        return rules

    for function, (_, resource) in _functions(_one(stacks, "App")).items():
        if function == "jwt_auth":
            continue
        (group,) = resource["Properties"]["VpcConfig"]["SecurityGroupIds"]
        anywhere = [r for r in egress(group) if r.get("CidrIp") == "0.0.0.0/0"]
        through_nat = function in ("api_handler", "notification_worker", "billing_sweep", "calendar_sync")
        assert bool(anywhere) is through_nat, function
