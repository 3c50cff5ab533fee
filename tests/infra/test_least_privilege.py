"""Least privilege in the synthesised stacks (infra/cdk.out/<stage>/, what `make synth` writes and
`make deploy` deploys): each function of the App stack has its own role, granting exactly the calls its
code makes (``USES``, read from the code: tests/core/test_iam_policies.py) on its own stage's resources;
no role of any stack grants ``*`` where a narrower action or resource exists.

The templates name resources through intrinsics (Ref, GetAtt, Join, ImportValue across stacks); they
are evaluated here to the ARNs they become in an account, so a grant is compared by name.
"""
from __future__ import annotations

import fcntl
import fnmatch
import json
import os
import re
import subprocess
import sys
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

from tests.core.test_iam_policies import _VPC, FUNCTIONS, USES

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"
STAGES = ("prod", "staging")
# Lambda writes to the group CDK creates (with its retention): streams and events, never a new group.
_LOGS = ("logs:CreateLogStream", "logs:PutLogEvents")
_XRAY = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")
# Actions that take no resource-level permission (the service's authorization reference): "*" is the only
# resource they can be granted on.
NO_RESOURCE_LEVEL = {*_VPC, *_XRAY, "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs",
                     "secretsmanager:GetRandomPassword", "logs:DescribeLogGroups"}


def _sources() -> list[Path]:
    """What a synthesis is made from: the stacks, the stages, the app and its settings."""
    infra = ROOT / "infra"
    return [ROOT / "app.py", ROOT / ".chalice" / "config.json", infra / "stages.json",
            *infra.glob("*.py"), *(infra / "booking_infra").glob("*.py"), *(ROOT / "chalicelib").rglob("*.py")]


def assembly(stage: str) -> Path:
    """The stage's synthesised assembly, as `make synth` leaves it; synthesised here when it is missing or
    older than what it is made from, so a test never reads a stale one."""
    outdir = ROOT / "infra" / "cdk.out" / stage
    manifest = outdir / "manifest.json"
    outdir.parent.mkdir(exist_ok=True)
    with open(outdir.parent / f".{stage}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other test worker may be synthesising it right now
        if not manifest.exists() or manifest.stat().st_mtime < max(p.stat().st_mtime for p in _sources()):
            env = {**os.environ, "STAGE": stage, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
            subprocess.run([sys.executable, str(ROOT / "infra" / "cdk_app.py")], env=env, check=True, timeout=600,
                           capture_output=True)
    return outdir


class Templates:
    """A stage's stacks, with the intrinsics their IAM policies use evaluated."""

    def __init__(self, outdir: Path, region: str) -> None:
        self.region = region
        self.stacks = {p.name.removesuffix(".template.json"): json.loads(p.read_text())
                       for p in outdir.glob("*.template.json")}

    @cached_property
    def exports(self) -> dict[str, tuple[str, Any]]:
        return {output["Export"]["Name"]: (stack, output["Value"])
                for stack, template in self.stacks.items()
                for output in template.get("Outputs", {}).values() if "Export" in output}

    def resources(self, stack: str) -> dict[str, Any]:
        return self.stacks[stack]["Resources"]

    def value(self, stack: str, expr: Any) -> Any:
        if isinstance(expr, (str, int, bool)):
            return expr
        if isinstance(expr, list):
            return [self.value(stack, e) for e in expr]
        ((fn, arg),) = expr.items()
        if fn == "Ref":
            return self._ref(stack, arg)
        if fn == "Fn::GetAtt":
            return self._attribute(stack, *arg)
        if fn == "Fn::Join":
            return arg[0].join(str(self.value(stack, part)) for part in arg[1])
        if fn == "Fn::ImportValue":
            return self.value(*self.exports[self.value(stack, arg)])
        if fn == "Fn::Select":
            return self.value(stack, arg[1])[int(arg[0])]
        if fn == "Fn::Split":
            return str(self.value(stack, arg[1])).split(arg[0])
        if fn == "Fn::Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else arg
            return re.sub(r"\$\{([^}]+)\}", lambda m: str(
                self.value(stack, variables[m[1]]) if m[1] in variables
                else self._attribute(stack, *m[1].split(".", 1)) if "." in m[1] else self._ref(stack, m[1])), text)
        raise AssertionError(f"cannot evaluate {fn} in {stack}")

    def _ref(self, stack: str, name: str) -> str:
        pseudo = {"AWS::AccountId": ACCOUNT, "AWS::Region": self.region, "AWS::Partition": "aws",
                  "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": stack}
        if name in pseudo:
            return pseudo[name]
        resource = self.resources(stack)[name]
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::SecretsManager::Secret":
            # Secrets Manager appends "-" and 6 random characters to a secret's name in its ARN.
            return f"arn:aws:secretsmanager:{self.region}:{ACCOUNT}:secret:{self.value(stack, properties['Name'])}-??????"
        if resource["Type"] == "AWS::SecretsManager::SecretTargetAttachment":
            return self.value(stack, properties["SecretId"])
        if resource["Type"] == "AWS::IAM::Role":
            return f"role:{stack}/{name}"
        return f"ref:{stack}/{name}"

    def _attribute(self, stack: str, name: str, attribute: str) -> str:
        resource = self.resources(stack)[name]
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::SQS::Queue" and attribute == "Arn":
            return f"arn:aws:sqs:{self.region}:{ACCOUNT}:{self.value(stack, properties['QueueName'])}"
        if resource["Type"] == "AWS::Logs::LogGroup" and attribute == "Arn":
            return f"arn:aws:logs:{self.region}:{ACCOUNT}:log-group:{self.value(stack, properties['LogGroupName'])}:*"
        if resource["Type"] == "AWS::IAM::Role" and attribute == "Arn":
            return f"role:{stack}/{name}"
        return f"attribute:{stack}/{name}.{attribute}"

    def grants(self, stack: str, role: str) -> set[tuple[str, str]]:
        """Every (action, resource) the role's policies allow: its inline policies and any AWS::IAM::Policy
        attached to it, evaluated."""
        documents = [p["PolicyDocument"] for p in self.resources(stack)[role]["Properties"].get("Policies", [])]
        documents += [r["Properties"]["PolicyDocument"] for r in self.resources(stack).values()
                      if r["Type"] == "AWS::IAM::Policy" and {"Ref": role} in r["Properties"].get("Roles", [])]
        found = set()
        for document in documents:
            for statement in document["Statement"]:
                assert statement["Effect"] == "Allow" and not {"NotAction", "NotResource"} & statement.keys()
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                resources = self.value(stack, statement["Resource"])
                for resource in resources if isinstance(resources, list) else [resources]:
                    found |= {(action, resource) for action in actions}
        return found


@pytest.fixture(scope="module", params=STAGES)
def stage(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def templates(stage) -> Templates:
    region = json.loads((ROOT / "infra" / "stages.json").read_text())[stage]["region"]
    return Templates(assembly(stage), region)


def _app_stack(templates: Templates) -> str:
    (name,) = [s for s in templates.stacks if s.endswith("App")]
    return name


def _functions(templates: Templates) -> dict[str, dict[str, Any]]:
    """The App stack's functions by Chalice name (app.app is the REST API's)."""
    found = {}
    for resource in templates.resources(_app_stack(templates)).values():
        if resource["Type"] == "AWS::Serverless::Function":
            handler = resource["Properties"]["Handler"].rsplit(".", 1)[1]
            found["api_handler" if handler == "app" else handler] = resource["Properties"]
    return found


def _stage_resources(stage: str, region: str) -> dict[str, set[str]]:
    arn = f"arn:aws:{{}}:{region}:{ACCOUNT}"
    secret = arn.format("secretsmanager") + f":secret:booking-{stage}-{{}}-??????"
    queue = arn.format("sqs") + f":booking-{stage}-{{}}.fifo"
    mail_domain = json.loads((ROOT / "infra" / "stages.json").read_text())[stage]["email_from"].split("@")[1].rstrip(">")
    return {
        "db_secret": {secret.format("db")},
        "db_owner_secret": {secret.format("db-owner")},
        "jwt_secret": {secret.format("jwt")},
        "whatsapp_secret": {secret.format("whatsapp")},
        "stripe_secret": {secret.format("stripe")},
        "google_secret": {secret.format("google")},
        "whatsapp_tokens": {arn.format("secretsmanager") + f":secret:booking/{stage}/whatsapp/*"},
        "uploads": {f"arn:aws:s3:::booking-{stage}-uploads-{ACCOUNT}/businesses/*"},
        "queue": {queue.format("notifications")},
        "dlq": {queue.format("notifications-dlq")},
        "mail_identity": {arn.format("ses") + f":identity/{mail_domain}"},
    }


def _needed(stage: str, region: str, function: str, properties: dict[str, Any]) -> set[tuple[str, str]]:
    kinds = _stage_resources(stage, region)
    needed = {(action, resource) for action, used in USES[function].items() for kind in used
              for resource in kinds[kind]}
    log_group = f"arn:aws:logs:{region}:{ACCOUNT}:log-group:/aws/lambda/{properties['FunctionName']}:*"
    needed |= {(action, log_group) for action in _LOGS}
    if "VpcConfig" in properties:
        needed |= {(action, "*") for action in _VPC}
    if properties.get("Tracing") == "Active":
        needed |= {(action, "*") for action in _XRAY}
    return needed


def test_every_function_of_app_py_is_in_the_app_stack_with_its_own_role(templates):
    functions = _functions(templates)

    assert sorted(functions) == sorted(FUNCTIONS)
    roles = [p["Role"]["Fn::GetAtt"][0] for p in functions.values()]
    assert len(set(roles)) == len(roles)


def test_a_function_is_granted_exactly_the_calls_its_code_makes(templates, stage):
    app = _app_stack(templates)
    for function, properties in _functions(templates).items():
        granted = templates.grants(app, properties["Role"]["Fn::GetAtt"][0])
        needed = _needed(stage, templates.region, function, properties)

        assert sorted(granted - needed) == [], f"{function}: granted but not needed"
        assert sorted(needed - granted) == [], f"{function}: needed but not granted"


def test_only_the_authorizer_runs_outside_the_vpc_and_prod_is_traced(templates, stage):
    for function, properties in _functions(templates).items():
        assert ("VpcConfig" in properties) is (function != "jwt_auth"), function
        assert properties.get("Tracing") == ("Active" if stage == "prod" else "PassThrough"), function


def test_no_role_in_any_stack_grants_a_wildcard_where_a_narrower_one_exists(templates):
    for stack in templates.stacks:
        for name, resource in templates.resources(stack).items():
            if resource["Type"] != "AWS::IAM::Role":
                continue
            for action, target in templates.grants(stack, name):
                assert action != "*", (stack, name)
                if target == "*":
                    assert action in NO_RESOURCE_LEVEL, (stack, name, action)


def test_no_grant_names_another_stages_resources(templates, stage):
    others = [s for s in STAGES if s != stage] + [f"{stage}2", f"{stage}-eu"]
    for stack in templates.stacks:
        for name, resource in templates.resources(stack).items():
            if resource["Type"] != "AWS::IAM::Role":
                continue
            for action, target in templates.grants(stack, name):
                if target == "*":
                    continue  # actions with no resource-level permission (the test above)
                if target.startswith("arn:aws:") and ("*" in target or "?" in target) and "booking" in target:
                    # A wildcard comes after the stage's name and a delimiter: never `booking-*`, `booking-prod*`.
                    before = re.split(r"[*?]", target, maxsplit=1)[0]
                    assert re.search(rf"booking[-/]{stage}[-/:.]", before), (stack, name, target)
                for other in others:
                    ours = [n for kind in _stage_resources(stage, templates.region).values() for n in kind]
                    lookalikes = [n.replace(f"booking-{stage}", f"booking-{other}").replace(f"/{stage}/", f"/{other}/")
                                  for n in ours]
                    lookalikes = [n for n in lookalikes if n not in ours]  # a name without the stage in it
                    examples = [n.replace("??????", "Xy12Zw").replace("*", "x") for n in lookalikes]
                    assert [e for e in examples if fnmatch.fnmatchcase(e, target)] == [], (stack, name, target)
