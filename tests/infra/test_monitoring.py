"""The Monitoring stack, synthesised alone from plain names: every function has its three alarms, every
alarm (and its return to OK) goes to the one encrypted, SSL-only topic, the DLQ alarm fires on its first
message, the business alarms read the metrics the app writes (chalicelib/core/metrics.py), and cdk-nag's
AWS Solutions checks pass."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")

import aws_cdk as cdk  # noqa: E402 - after the warning is silenced
from aws_cdk.assertions import Match, Template  # noqa: E402
from booking_infra.monitoring import FunctionFacts, MonitoringStack, max_connections  # noqa: E402
from booking_infra.stage import Stage  # noqa: E402
from cdk_nag import AwsSolutionsChecks  # noqa: E402

from chalicelib.core import metrics  # noqa: E402

TIMEOUTS = {"api_handler": 30, "jwt_auth": 10, "notification_worker": 60, "outbox_sweep": 60, "migrate": 600}
KINDS = {"Errors": "Sum", "Throttles": "Sum", "Duration": "p99"}
ALARM = "AWS::CloudWatch::Alarm"
# Besides the functions': the API, the queues, the database, the business metrics.
OTHERS = ("api-5xx", "dlq-depth", "db-cpu", "db-connections", "proxy-client-connections", "messages-failed",
          "notifications-dead", "webhook-failures")


def build(stage: Stage, *, nag: bool = False) -> cdk.Stack:
    app = cdk.App()
    stack = MonitoringStack(
        app, "Monitoring", stage=stage, env=cdk.Environment(region=stage.region),
        functions={f: FunctionFacts(name=stage.name_of(f), timeout_s=t) for f, t in TIMEOUTS.items()},
        api_name="booking", api_stage="api", db_instance_id=stage.name_of("db"), proxy_name=stage.name_of("db"),
        queue_name=f"{stage.name_of('notifications')}.fifo", dlq_name=f"{stage.name_of('notifications-dlq')}.fifo")
    if nag:
        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
        app.synth()  # raises on a finding not suppressed
    return stack


@pytest.fixture(scope="module", params=["prod", "staging"])
def stage(request) -> Stage:
    return Stage.load(request.param)


@pytest.fixture(scope="module")
def template(stage) -> Template:
    return Template.from_stack(build(stage))


def alarms(template: Template) -> dict:
    return template.find_resources(ALARM)


def topic_ref(template: Template) -> dict:
    [logical_id] = template.find_resources("AWS::SNS::Topic")
    return {"Ref": logical_id}


@pytest.mark.parametrize("kind", KINDS)
def test_each_function_has_one_alarm_of_each_kind(template, stage, kind):
    for function in TIMEOUTS:
        template.resource_properties_count_is(ALARM, {
            "Namespace": "AWS/Lambda", "MetricName": kind,
            "Dimensions": [{"Name": "FunctionName", "Value": stage.name_of(function)}]}, 1)
    lambda_alarms = [a for a in alarms(template).values() if a["Properties"].get("Namespace") == "AWS/Lambda"]
    assert len(lambda_alarms) == len(KINDS) * len(TIMEOUTS)


def test_errors_and_throttles_fire_on_the_first_and_duration_at_80_percent_of_the_timeout(template, stage):
    for function, timeout_s in TIMEOUTS.items():
        dimensions = [{"Name": "FunctionName", "Value": stage.name_of(function)}]
        # The worker's retries are errors by design: a burst of them is the alarm, not one.
        thresholds = {"Errors": 10 if function == "notification_worker" else 1, "Throttles": 1}
        for kind, threshold in thresholds.items():
            template.has_resource_properties(ALARM, {
                "MetricName": kind, "Dimensions": dimensions, "Statistic": "Sum", "Period": 300,
                "Threshold": threshold, "ComparisonOperator": "GreaterThanOrEqualToThreshold"})
        template.has_resource_properties(ALARM, {
            "MetricName": "Duration", "Dimensions": dimensions, "ExtendedStatistic": "p99",
            "Threshold": 0.8 * timeout_s * 1000, "ComparisonOperator": "GreaterThanThreshold"})


def test_every_alarm_and_its_ok_go_to_the_topic(template, stage):
    found = alarms(template)
    assert sorted(a["Properties"]["AlarmName"] for a in found.values()) == sorted(
        stage.name_of(name) for name in (*(f"{f}-{k}" for f in TIMEOUTS for k in ("errors", "throttles", "duration")),
                                         *OTHERS))
    for alarm in found.values():
        props = alarm["Properties"]
        assert props["AlarmActions"] == [topic_ref(template)] and props["OKActions"] == [topic_ref(template)]
        assert props["TreatMissingData"] == "notBreaching"


def test_the_topic_is_encrypted_ssl_only_and_mails_the_stage_alarm_address(template, stage):
    template.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    template.has_resource_properties("AWS::SNS::TopicPolicy", {"PolicyDocument": {"Statement": Match.array_with([
        Match.object_like({"Effect": "Deny", "Action": "sns:Publish",
                           "Condition": {"Bool": {"aws:SecureTransport": "false"}}})])}})
    template.has_resource_properties("AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": stage.alarm_email})
    # CloudWatch may use the key (an AWS-managed key would not let it).
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True, "KeyPolicy": {
        "Statement": Match.array_with([Match.object_like({"Principal": {"Service": "cloudwatch.amazonaws.com"}})])}})


def test_the_dlq_alarm_fires_on_its_first_message(template, stage):
    template.has_resource_properties(ALARM, {
        "Namespace": "AWS/SQS", "MetricName": "ApproximateNumberOfMessagesVisible",
        "Dimensions": [{"Name": "QueueName", "Value": f"{stage.name_of('notifications-dlq')}.fifo"}],
        "Threshold": 0, "ComparisonOperator": "GreaterThanThreshold", "Period": 60})


def test_the_api_alarm_is_the_5xx_share_over_enough_requests(template):
    rate = {"Metric": {"Namespace": "AWS/ApiGateway", "MetricName": "5XXError",
                       "Dimensions": [{"Name": "ApiName", "Value": "booking"}, {"Name": "Stage", "Value": "api"}]},
            "Stat": "Average", "Period": 300}
    template.has_resource_properties(ALARM, {
        "Threshold": 0.01, "ComparisonOperator": "GreaterThanThreshold",
        "Metrics": Match.array_with([Match.object_like({"Expression": Match.string_like_regexp("IF\\(requests >=")}),
                                     Match.object_like({"MetricStat": rate})])})


def test_the_database_alarms_read_the_instance_and_the_proxy(template, stage):
    limit = max_connections(stage.db_instance_class)
    instance = [{"Name": "DBInstanceIdentifier", "Value": stage.name_of("db")}]
    template.has_resource_properties(ALARM, {"MetricName": "CPUUtilization", "Dimensions": instance, "Threshold": 80,
                                             "EvaluationPeriods": 3, "Period": 300})
    template.has_resource_properties(ALARM, {"MetricName": "DatabaseConnections", "Dimensions": instance,
                                             "Threshold": round(0.7 * limit)})
    template.has_resource_properties(ALARM, {"MetricName": "ClientConnections", "Threshold": limit,
                                             "Dimensions": [{"Name": "ProxyName", "Value": stage.name_of("db")}]})


def test_the_business_alarms_read_metrics_the_app_writes_by_stage_alone(template, stage):
    written = {metric.name for metric in metrics.METRICS.values()}
    business = [a["Properties"] for a in alarms(template).values() if a["Properties"].get("Namespace") == "Booking"]
    assert sorted(p["MetricName"] for p in business) == ["MessagesFailed", "NotificationsDead", "WebhookFailures"]
    for props in business:
        assert props["MetricName"] in written and props["Namespace"] == metrics.NAMESPACE
        assert props["Dimensions"] == [{"Name": "Stage", "Value": stage.name}]
        assert (props["Threshold"], props["ComparisonOperator"], props["Period"]) == (0, "GreaterThanThreshold", 900)


def test_one_dashboard_named_for_the_stage(template, stage):
    template.resource_count_is("AWS::CloudWatch::Dashboard", 1)
    template.has_resource_properties("AWS::CloudWatch::Dashboard", {"DashboardName": f"booking-{stage.name}"})


def test_max_connections_follows_the_instance_class_and_refuses_an_unknown_one():
    assert (max_connections("t4g.micro"), max_connections("t4g.medium")) == (112, 450)
    with pytest.raises(ValueError, match="db.x9.huge"):
        max_connections("db.x9.huge")


def test_cdk_nag_finds_nothing(stage):
    build(stage, nag=True)
