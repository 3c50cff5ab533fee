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
    responses = [r["Properties"] for r in _one(stacks, "App").values() if r["Type"] == "AWS::ApiGateway::GatewayResponse"]
    kinds = {r["ResponseType"]: r for r in responses}

    assert {"UNAUTHORIZED", "ACCESS_DENIED", "THROTTLED", "DEFAULT_4XX", "DEFAULT_5XX"} <= kinds.keys()
    assert kinds["UNAUTHORIZED"]["StatusCode"] == "401" and kinds["THROTTLED"]["StatusCode"] == "429"
    for response in responses:
        body = json.loads(response["ResponseTemplates"]["application/json"])
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
        origin = response["ResponseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"]
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
