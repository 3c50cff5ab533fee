"""IAM for a stage `chalice deploy` deploys (dev; prod is deployed by the CDK stacks, whose roles
tests/infra/test_least_privilege.py checks against the same ``USES``): each Lambda function has its own
role, granting only the calls that function's code makes, on resources named for that stage alone; and
the template `chalice package --stage dev` writes passes cfn-lint.

The policies are `.chalice/policies/<stage>/<function>.json`, named per function in
`.chalice/config.json` (`lambda_functions.<name>.iam_policy_file`, `autogen_policy: false`). What
each function calls was read from the code: `integrations/` (Secrets Manager, S3, SQS, SES),
`notifications/` (worker, outbox, dead letters, reminders), `core/db.py` and `core/security.py`
(the database and JWT secrets), and the services that presign uploads and store WhatsApp tokens.
"""
from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
import sys
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import pytest
from chalice.config import Config
from chalice.deploy import models
from chalice.deploy.appgraph import ApplicationGraphBuilder, DependencyBuilder

from chalicelib.core.settings import PROJECT_ROOT

_CHALICE_DIR = PROJECT_ROOT / ".chalice"
DEPLOYED_STAGES = ("dev",)
# Every Lambda function of app.py, named as `lambda_functions` names them: Chalice calls the REST API's
# function `api_handler` and the built-in authorizer by its function's name; the others are app.py's
# handlers. Listed, not only read from app.py, so that a function's policy is written before its handler.
FUNCTIONS = ("api_handler", "jwt_auth", "notification_worker", "outbox_sweep", "reminder_sweep", "retention_sweep",
             "billing_sweep", "calendar_sync", "migrate")

# What each function's code calls: per action, the kinds of resource it calls it on (see _resources).
USES: dict[str, dict[str, set[str]]] = {
    # Every route: the database, signing in (JWT keys), the WhatsApp webhook's app secret, a business's
    # WhatsApp token (stored and checked), Stripe (checkout, portal, the webhook's signing secret and its
    # re-fetch), Google (the OAuth client, the keys sealing calendar tokens: connect, sync now, disconnect), presigned logo and photo uploads, dispatching the outbox after a commit, and the
    # dead-letter view and redrive.
    "api_handler": {
        "secretsmanager:GetSecretValue": {"db_secret", "jwt_secret", "whatsapp_secret", "whatsapp_tokens",
                                          "stripe_secret", "google_secret"},
        "secretsmanager:CreateSecret": {"whatsapp_tokens"},
        "secretsmanager:PutSecretValue": {"whatsapp_tokens"},
        "s3:PutObject": {"uploads"},
        "sqs:GetQueueUrl": {"queue", "dlq"},
        "sqs:SendMessage": {"queue"},
        "sqs:ReceiveMessage": {"dlq"},
        "sqs:DeleteMessage": {"dlq"},
    },
    # Checks a bearer token: the JWT keys and nothing else.
    "jwt_auth": {"secretsmanager:GetSecretValue": {"jwt_secret"}},
    # One queue message: the database, the JWT keys (a message's manage, verify and reset links are derived
    # from them), a business's WhatsApp token, SES, Google (the calendar reader writes booking events). Lambda's event source mapping polls the queue and
    # deletes what the function handled with the function's own role.
    "notification_worker": {
        "secretsmanager:GetSecretValue": {"db_secret", "jwt_secret", "whatsapp_tokens", "google_secret"},
        "ses:SendEmail": {"mail_identity"},
        "ses:SendRawEmail": {"mail_identity"},  # what SES checks for SendEmail with raw MIME content
        "sqs:ReceiveMessage": {"queue"},
        "sqs:DeleteMessage": {"queue"},
        "sqs:GetQueueAttributes": {"queue"},
    },
    # Every minute: moves what the dead-letter queue holds into its table, and sends outbox rows no request sent.
    "outbox_sweep": {
        "secretsmanager:GetSecretValue": {"db_secret"},
        "sqs:GetQueueUrl": {"queue", "dlq"},
        "sqs:SendMessage": {"queue"},
        "sqs:ReceiveMessage": {"dlq"},
        "sqs:DeleteMessage": {"dlq"},
    },
    # Every 5 minutes: due reminders become outbox rows, sent to the queue after the commit.
    "reminder_sweep": {"secretsmanager:GetSecretValue": {"db_secret"}, "sqs:GetQueueUrl": {"queue"},
                       "sqs:SendMessage": {"queue"}},
    # Daily: deletes what has outlived its retention period, in the database alone.
    "retention_sweep": {"secretsmanager:GetSecretValue": {"db_secret"}},
    # Daily: trial and suspension e-mails become outbox rows, sent to the queue after the commit; Stripe
    # (a past-due subscription re-fetched, meter events sent) with the Stripe secret's API key.
    "billing_sweep": {"secretsmanager:GetSecretValue": {"db_secret", "stripe_secret"},
                      "sqs:GetQueueUrl": {"queue"}, "sqs:SendMessage": {"queue"}},
    # Every 15 minutes: each Google Calendar connection synced, push channels renewed, failed event writes
    # retried (the Google secret); a connection that lost its grant writes its e-mail to the outbox.
    "calendar_sync": {"secretsmanager:GetSecretValue": {"db_secret", "google_secret"},
                      "sqs:GetQueueUrl": {"queue"}, "sqs:SendMessage": {"queue"}},
    # At deploy (chalicelib/system/deploy_migrations.py): the schema owner's credentials, and the
    # application's, whose login it creates.
    "migrate": {"secretsmanager:GetSecretValue": {"db_owner_secret", "db_secret"}},
}
_LOGS = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")
# What Lambda calls with the role of a function in a VPC (AWSLambdaVPCAccessExecutionRole's actions).
# The only grants on "*": the interfaces do not exist before Lambda makes them, and describing takes no
# resource; nothing in them is a stage's.
_VPC = ("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
        "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses")


def _on_disk() -> dict[str, Any]:
    return json.loads((_CHALICE_DIR / "config.json").read_text())


def _config(stage: str, function: str) -> Config:
    return Config(chalice_stage=stage, function_name=function, config_from_disk=_on_disk(),
                  default_params={"project_dir": str(PROJECT_ROOT)})


def _function_name(stage: str, function: str) -> str:
    """The Lambda function's name as `chalice deploy` gives it (appgraph: the API's is <app>-<stage>)."""
    app_name = _on_disk()["app_name"]
    return f"{app_name}-{stage}" if function == "api_handler" else f"{app_name}-{stage}-{function}"


def _policy(stage: str, function: str) -> dict[str, Any]:
    return json.loads((_CHALICE_DIR / _config(stage, function).iam_policy_file).read_text())


def _resources(stage: str, function: str) -> dict[str, set[str]]:
    """The resources a function of ``stage`` may be granted, by kind, from the stage's settings."""
    env = _config(stage, function).environment_variables
    region, account = env["DB_SECRET_ARN"].split(":")[3:5]
    sm = f"arn:aws:secretsmanager:{region}:{account}:secret:"

    def secret(arn: str) -> str:
        # The settings name a secret by partial ARN; Secrets Manager adds "-" and 6 characters to its ARN.
        return f"{arn}-??????"

    def queue(name: str) -> str:
        return f"arn:aws:sqs:{region}:{account}:{name}"

    log_group = f"arn:aws:logs:{region}:{account}:log-group:/aws/lambda/{_function_name(stage, function)}"
    return {
        "own_logs": {log_group, f"{log_group}:*"},
        "db_secret": {secret(env["DB_SECRET_ARN"])},
        "db_owner_secret": {secret(env.get("DB_OWNER_SECRET_ARN", f"{sm}booking-{stage}-db-owner"))},
        "jwt_secret": {secret(env["JWT_SECRET_ARN"])},
        "whatsapp_secret": {secret(env["WHATSAPP_SECRET_ARN"])},
        "whatsapp_tokens": {f"{sm}booking/{stage}/whatsapp/*"},  # integrations.whatsapp._secret_name
        "stripe_secret": {secret(env["STRIPE_SECRET_ARN"])},
        "google_secret": {secret(env["GOOGLE_SECRET_ARN"])},
        "uploads": {f"arn:aws:s3:::{env['UPLOADS_BUCKET']}/businesses/*"},  # every upload key's prefix
        "queue": {queue(env["NOTIFICATIONS_QUEUE"])},
        "dlq": {queue(env["NOTIFICATIONS_DLQ"])},
        "mail_identity": {f"arn:aws:ses:{region}:{account}:identity/{parseaddr(env['EMAIL_FROM'])[1].split('@')[1]}"},
        "any": {"*"},
    }


def _needed(stage: str, function: str) -> set[tuple[str, str]]:
    uses = {**USES[function], **{action: {"own_logs"} for action in _LOGS}}
    if _config(stage, function).subnet_ids:
        uses.update({action: {"any"} for action in _VPC})
    kinds = _resources(stage, function)
    return {(action, resource) for action, used in uses.items() for kind in used for resource in kinds[kind]}


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def _grants(policy: dict[str, Any]) -> set[tuple[str, str]]:
    grants = set()
    for statement in policy["Statement"]:
        # Plain allows only: a Not* element or a condition would grant more, or other, than it reads.
        assert statement["Effect"] == "Allow" and set(statement) <= {"Sid", "Effect", "Action", "Resource"}, statement
        grants |= {(a, r) for a in _as_list(statement["Action"]) for r in _as_list(statement["Resource"])}
    return grants


def _all_policies() -> list[tuple[str, str]]:
    return [(stage, function) for stage in DEPLOYED_STAGES for function in FUNCTIONS]


def test_each_function_of_each_deployed_stage_has_its_own_policy_file():
    for stage, function in _all_policies():
        config = _config(stage, function)
        assert config.autogen_policy is False, (stage, function)
        assert config.iam_policy_file == f"policies/{stage}/{function}.json", (stage, function)
        assert (_CHALICE_DIR / config.iam_policy_file).is_file(), (stage, function)
    # Nothing to fall back on: a function without its own policy fails the deployment (Chalice would
    # look for .chalice/policy-<stage>.json) instead of sharing another role's.
    assert not any(name.startswith("policy-") for name in os.listdir(_CHALICE_DIR))


@pytest.mark.parametrize("stage", DEPLOYED_STAGES)
def test_chalice_deploys_each_function_of_app_py_with_its_own_role_and_policy(stage):
    from app import app

    config = Config(chalice_stage=stage, config_from_disk=_on_disk(),
                    user_provided_params={"chalice_app": app, "project_dir": str(PROJECT_ROOT)})
    graph = DependencyBuilder().build_dependencies(ApplicationGraphBuilder().build(config, stage))
    functions = [r for r in graph if isinstance(r, models.LambdaFunction)]

    assert sorted(f.resource_name for f in functions) == sorted(FUNCTIONS)
    for function in functions:
        assert function.function_name == _function_name(stage, function.resource_name)
        role = function.role
        assert isinstance(role, models.ManagedIAMRole) and isinstance(role.policy, models.FileBasedIAMPolicy)
        assert Path(role.policy.filename) == _CHALICE_DIR / "policies" / stage / f"{function.resource_name}.json"
    assert len({id(f.role) for f in functions}) == len(functions)


@pytest.mark.parametrize(("stage", "function"), _all_policies())
def test_a_function_is_granted_exactly_the_calls_its_code_makes(stage, function):
    granted, needed = _grants(_policy(stage, function)), _needed(stage, function)

    assert sorted(granted - needed) == [], "granted but not needed"
    assert sorted(needed - granted) == [], "needed but not granted"


def test_the_authorizer_reads_the_jwt_secret_and_nothing_else():
    for stage in DEPLOYED_STAGES:
        jwt_secret = _config(stage, "jwt_auth").environment_variables["JWT_SECRET_ARN"]
        granted = _grants(_policy(stage, "jwt_auth"))

        assert {a for a, _ in granted} == {"secretsmanager:GetSecretValue", *_LOGS}
        assert {r for a, r in granted if not a.startswith("logs:")} == {f"{jwt_secret}-??????"}


def _example(pattern: str) -> str:
    """A real name that ``pattern`` describes (a secret's random suffix, an object key)."""
    return pattern.replace("??????", "Xy12Zw").replace("*", "3f1c9a6e-5b1d-4f3e-9a55-0c6f1b2d7e10/a-Xy12Zw")


def _names(stage: str) -> set[str]:
    """Every resource of ``stage`` its functions are granted, as real names."""
    return {_example(r) for function in FUNCTIONS for _, r in _needed(stage, function) if r != "*"}


def _lookalikes(stage: str) -> set[str]:
    """The names a stage whose name starts with this one's would have (prod2, prod-eu)."""
    names = set()
    for other in (f"{stage}2", f"{stage}-eu"):
        for name in _names(stage):
            renamed = name.replace(f"booking-{stage}", f"booking-{other}").replace(f"/{stage}/", f"/{other}/")
            if renamed != name:
                names.add(renamed)
    return names


def test_no_resource_pattern_matches_another_stages_resources():
    for stage, function in _all_policies():
        others = set().union(*(_names(s) for s in DEPLOYED_STAGES if s != stage)) | _lookalikes(stage)
        for action, pattern in _grants(_policy(stage, function)):
            if pattern == "*":
                assert action in _VPC, (stage, function, action)
                continue
            assert [n for n in others if fnmatch.fnmatchcase(n, pattern)] == [], (stage, function, pattern)
            if "*" in pattern or "?" in pattern:
                # A wildcard comes after the stage's name and a delimiter: never `booking-*`, never `booking-prod*`.
                before = re.split(r"[*?]", pattern, maxsplit=1)[0]
                assert re.search(rf"booking[-/]{stage}[-/:.]", before), (stage, function, pattern)


def test_a_policy_names_real_iam_actions():
    # cfn-lint skips its own action check (W3037) in SAM templates, which is what `chalice package` writes.
    from cfnlint.data import AdditionalSpecs
    from cfnlint.helpers import load_resource

    known = load_resource(AdditionalSpecs, "Policies.json")
    for stage, function in _all_policies():
        for action, _ in _grants(_policy(stage, function)):
            service, name = action.split(":")
            assert name.lower() in known[service]["Actions"], action


# `chalice package --stage dev`, offline: Chalice's packager as its CLI builds it (chalice.package's
# create_app_packager: a SAM template, in JSON), with the step that pip-installs requirements.txt into
# the zip (network) replaced by a small zip of app.py. The template is otherwise what `chalice package`
# writes: the functions, their roles and policies, the events, the API.
_PACKAGE = """
import os, sys, zipfile
from chalice.cli.factory import CLIFactory
from chalice.deploy import deployer
from chalice.deploy.appgraph import ApplicationGraphBuilder, DependencyBuilder
from chalice.deploy.swagger import CFNSwaggerGenerator
from chalice.package import (AppPackager, CompositePostProcessor, JSONTemplateSerializer, ResourceBuilder,
                             SAMCodeLocationPostProcessor, SAMTemplateGenerator)
from chalice.policy import AppPolicyGenerator
from chalice.utils import OSUtils

stage, outdir = sys.argv[1], sys.argv[2]
factory = CLIFactory(project_dir=os.getcwd(), environ=os.environ)
config = factory.create_config_obj(stage)  # app.py is imported with the stage's environment
zip_path = os.path.join(outdir, "code.zip")
with zipfile.ZipFile(zip_path, "w") as code:
    code.write("app.py")


class PrebuiltPackage(deployer.BaseDeployStep):
    def handle_deploymentpackage(self, config, resource):
        resource.filename = zip_path


osutils = OSUtils()
build = deployer.BuildStage(steps=[
    deployer.InjectDefaults(), PrebuiltPackage(),
    deployer.PolicyGenerator(policy_gen=AppPolicyGenerator(osutils=osutils), osutils=osutils),
    deployer.SwaggerBuilder(swagger_generator=CFNSwaggerGenerator()),
    deployer.LambdaEventSourcePolicyInjector(), deployer.WebsocketPolicyInjector()])
packager = AppPackager(SAMTemplateGenerator(config, factory.create_package_options()),
                       ResourceBuilder(ApplicationGraphBuilder(), DependencyBuilder(), build),
                       CompositePostProcessor([SAMCodeLocationPostProcessor(osutils=osutils)]),
                       JSONTemplateSerializer(), osutils)
packager.package_app(config, os.path.join(outdir, "out"), stage)
"""


def test_the_dev_template_passes_cfn_lint_with_one_role_per_function(tmp_path):
    from cfnlint.api import lint

    env = _config("dev", "api_handler").environment_variables
    region = env["DB_SECRET_ARN"].split(":")[3]
    # A developer's shell: no credentials, no endpoints; the region the stage's resources are in.
    shell = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "AWS_DEFAULT_REGION": region,
             "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
    packaged = subprocess.run([sys.executable, "-c", _PACKAGE, "dev", str(tmp_path)], cwd=PROJECT_ROOT, env=shell,
                              capture_output=True, text=True, timeout=120)
    assert packaged.returncode == 0, packaged.stderr
    text = (tmp_path / "out" / "sam.json").read_text()
    template = json.loads(text)

    assert [str(m) for m in lint(text, regions=[region])] == []

    resources = template["Resources"]
    functions = {name: r["Properties"] for name, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    assert len({p["Role"]["Fn::GetAtt"][0] for p in functions.values()}) == len(functions)
    by_handler = {p["Handler"].rsplit(".", 1)[1]: p for p in functions.values()}
    by_handler["api_handler"] = by_handler.pop("app")  # app.app: the REST API
    assert sorted(by_handler) == sorted(FUNCTIONS)
    for function, properties in by_handler.items():
        policies = resources[properties["Role"]["Fn::GetAtt"][0]]["Properties"]["Policies"]
        assert [p["PolicyDocument"] for p in policies] == [_policy("dev", function)], function
    # The queue the worker's role may poll is the one its event source polls.
    (event,) = by_handler["notification_worker"]["Events"].values()
    assert event["Properties"]["Queue"]["Fn::Sub"].endswith(f":{env['NOTIFICATIONS_QUEUE']}")


# How a boto3 method is authorised, where IAM's action is not the method's name in CamelCase.
_AUTHORISED_AS = {("s3", "generate_presigned_post"): "s3:PutObject",  # the browser's POST is checked as PutObject
                  ("sqs", "send_message_batch"): "sqs:SendMessage"}
_IAM_SERVICE = {"sesv2": "ses"}
# Modules that run only on a developer's machine (the local stage's moto bucket).
_LOCAL_ONLY = {"local_bucket.py"}


def _aws_calls() -> set[tuple[str, str]]:
    """Every (service, method) the code calls through ``aws.client("service")``: directly, or on a name
    such a client was assigned to."""
    import ast

    calls = set()
    for path in (PROJECT_ROOT / "chalicelib").rglob("*.py"):
        if path.name in _LOCAL_ONLY:
            continue
        tree = ast.parse(path.read_text())

        def service(node: ast.AST) -> str | None:
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "client"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                return node.args[0].value
            return None

        named = {target.id: service(node.value) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                 for target in node.targets if isinstance(target, ast.Name) and service(node.value)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                found = service(owner) or (named.get(owner.id) if isinstance(owner, ast.Name) else None)
                if found:
                    calls.add((found, node.func.attr))
    return calls


def test_every_aws_call_in_the_code_is_granted_to_some_function():
    """``USES`` is read from the code by hand; this reads the code itself, so a new call (a delete, another
    service) fails here until a function is granted it."""
    granted = {action for uses in USES.values() for action in uses}
    calls = _aws_calls()

    assert {("secretsmanager", "get_secret_value"), ("sesv2", "send_email")} <= calls  # the scan sees them
    for service, method in sorted(calls):
        action = _AUTHORISED_AS.get((service, method)) or (
            f"{_IAM_SERVICE.get(service, service)}:{''.join(w.capitalize() for w in method.split('_'))}")
        assert action in granted, (service, method, action)
