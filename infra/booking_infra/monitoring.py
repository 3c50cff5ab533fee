"""Alarms on everything that can fail quietly, all to one SNS topic (e-mailed to the stage's
``alarm_email``), and one CloudWatch dashboard, ``booking-<stage>``.

The stack takes names, not constructs (functions, the API, the database, the proxy, the queues), so it
refers to no other stack's resources beyond the tokens it is handed, and alarms can be read straight
off the template. Alarms, each with its OK action too, so the inbox says when a problem is over:

- per function: ``Errors`` >= 1 in 5 minutes (the worker, which raises on a retry by design: a burst,
  ``ROUTINE_ERRORS``), ``Throttles`` >= 1, p99 ``Duration`` above 80% of its timeout (the step before
  timeouts). The API function is held to an absolute count like the others:
  the http middleware turns every exception into a 500 (chalicelib/core/http.py), so its Lambda
  ``Errors`` are only what escapes it (a timeout, memory, a failed import), never routine; the rate
  of failed requests is the API's 5XX alarm;
- the API: the ``Average`` of ``5XXError`` (the share of answers that were 5xx) above 1% over
  5 minutes, counted only with ``MIN_REQUESTS`` in the period, so one failure among three requests at
  night pages nobody (the function alarms still catch a crash);
- the notifications DLQ holding a message, and the business metrics (chalicelib/core/metrics.py):
  messages failed, events dead-lettered, webhook calls refused, in 15 minutes. The DLQ is emptied into
  the ``dead_letters`` table every minute by ``outbox_sweep``, so its depth shows only a message that
  sweep has not taken yet (or a sweep that stopped); ``NotificationsDead`` counts every one;
- RDS: CPU above 80% for 15 minutes, connections and the proxy's client connections high (see
  ``max_connections``).

Data missing is not breaching throughout: an idle function or a quiet night sends no datapoints.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from booking_infra.stage import Stage
from chalicelib.core import metrics

PERIOD = cdk.Duration.minutes(5)
BUSINESS_PERIOD = cdk.Duration.minutes(15)
DURATION_SHARE = 0.8  # of a function's timeout
API_5XX_RATE = 0.01
MIN_REQUESTS = 10  # per PERIOD, before the 5xx rate counts
CPU_PERCENT = 80
CPU_PERIODS = 3  # of PERIOD: 15 minutes
CONNECTIONS_SHARE = 0.7  # of max_connections, which overstates the real limit (see there)
# The channels of chalicelib/core/metrics.py's breakdowns (the app writes them; CloudWatch Logs extracts them).
CHANNELS = ("email", "whatsapp")
WEBHOOKS = tuple(metrics.WEBHOOKS.values())
NAMESPACE = metrics.NAMESPACE
# Nominal memory (GiB) of the classes a stage may name (infra/stages.json's db_instance_class).
_MEMORY_GIB = {"t4g.micro": 1, "t4g.small": 2, "t4g.medium": 4, "t4g.large": 8, "t4g.xlarge": 16,
               "m7g.large": 8, "m7g.xlarge": 16, "m7g.2xlarge": 32, "r7g.large": 16, "r7g.xlarge": 32}


def max_connections(instance_class: str) -> int:
    """RDS PostgreSQL's default ``max_connections``, LEAST(DBInstanceClassMemory/9531392, 5000), from the
    class's nominal memory. DBInstanceClassMemory is what is left after the OS and RDS's own processes,
    so the real value is lower, by most on the smallest classes: hence the alarms' share of it."""
    if instance_class not in _MEMORY_GIB:
        raise ValueError(f"no memory size known for {instance_class!r}: add it to _MEMORY_GIB "
                         f"({', '.join(_MEMORY_GIB)})")
    return min(_MEMORY_GIB[instance_class] * 2**30 // 9531392, 5000)


@dataclass(frozen=True)
class FunctionFacts:
    name: str  # the deployed Lambda function's name
    timeout_s: int


# Errors a function raises on purpose in normal running, per 5 minutes: the worker re-raises a send that
# may pass later (SES or Meta briefly down) so that SQS delivers it again; a message that never goes out
# ends as a dead letter (notifications-dead, dlq-depth). A burst above this is an outage.
ROUTINE_ERRORS = {"notification_worker": 9}


class MonitoringStack(cdk.Stack):
    """``.topic`` (where every alarm goes), ``.alarms`` (by name: ``<function>-errors``, ``api-5xx``, ...)
    and ``.dashboard``."""

    def __init__(self, scope: Construct, construct_id: str, *, stage: Stage, functions: Mapping[str, FunctionFacts],
                 api_name: str, api_stage: str, db_instance_id: str, proxy_name: str, queue_name: str, dlq_name: str,
                 **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.stage = stage
        self.topic = self._topic()
        self._action = cw_actions.SnsAction(self.topic)
        self.alarms: dict[str, cw.Alarm] = {}

        for function, facts in functions.items():
            self._function_alarms(function, facts)
        api = _Api(api_name, api_stage)
        self._api_alarm(api)
        queues = _Queues(queue_name, dlq_name)
        self._alarm("dlq-depth", queues.dlq_visible, above=0,
                    why="a notification event was dead-lettered and outbox_sweep has not moved it to the table yet")
        database = _Database(db_instance_id, proxy_name)
        self._database_alarms(database)
        business = _Business(stage.name)
        self._alarm("messages-failed", business.total("MessagesFailed"), above=0,
                    why="a message did not go out (refused, failed, or its outcome unknown): see the delivery log")
        self._alarm("notifications-dead", business.total("NotificationsDead"), above=0,
                    why="an event was given up after the queue's retries: GET /admin/dead-letters, then redrive")
        self._alarm("webhook-failures", business.total("WebhookFailures"), above=0,
                    why="Stripe or Meta got an error from a webhook: a payment or delivery status may be missing")
        self.dashboard = self._dashboard(functions, api, queues, database, business)

    # --- the topic ---------------------------------------------------------------------------------

    def _topic(self) -> sns.Topic:
        # A key of our own: CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key,
        # whose policy cannot be changed to let it in.
        key = kms.Key(self, "AlarmsKey", alias=f"alias/{self.stage.name_of('alarms')}", enable_key_rotation=True,
                      description=f"{self.stage.name_of('alarms')}: the alarm topic's messages",
                      # It encrypts notifications in flight only: nothing outlives the topic.
                      removal_policy=cdk.RemovalPolicy.DESTROY)
        key.add_to_resource_policy(iam.PolicyStatement(
            sid="CloudWatchAlarmsPublish",
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            actions=["kms:Decrypt", "kms:GenerateDataKey*"],
            resources=["*"],  # in a key policy, "*" is this key
            conditions={"StringEquals": {"aws:SourceAccount": self.account}}))
        topic = sns.Topic(self, "Alarms", topic_name=self.stage.name_of("alarms"),
                          display_name=f"Booking {self.stage.name} alarms", master_key=key, enforce_ssl=True)
        # The topic's policy replaces SNS's default one, so the alarms' publisher is let in by name: this
        # account's alarms of this stage only.
        topic.add_to_resource_policy(iam.PolicyStatement(
            sid="CloudWatchAlarmsPublish",
            principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
            actions=["sns:Publish"],
            resources=[topic.topic_arn],
            conditions={"StringEquals": {"aws:SourceAccount": self.account},
                        "ArnLike": {"aws:SourceArn": self.format_arn(
                            service="cloudwatch", resource="alarm", resource_name=self.stage.name_of("*"),
                            arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME)}}))
        topic.add_subscription(subscriptions.EmailSubscription(self.stage.alarm_email))
        return topic

    # --- alarms ------------------------------------------------------------------------------------

    def _alarm(self, name: str, metric: cw.IMetric, *, why: str, above: float | None = None,
               at_least: float | None = None, periods: int = 1) -> None:
        """``metric`` above (or at least) a threshold in each of ``periods`` periods running; to the topic."""
        if (above is None) == (at_least is None):
            raise ValueError("an alarm has one threshold: above= or at_least=")
        alarm = cw.Alarm(
            self, f"Alarm-{name}", alarm_name=self.stage.name_of(name), alarm_description=why, metric=metric,
            threshold=above if above is not None else at_least, evaluation_periods=periods,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_THRESHOLD if above is not None
            else cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING)
        alarm.add_alarm_action(self._action)
        alarm.add_ok_action(self._action)
        self.alarms[name] = alarm

    def _function_alarms(self, function: str, facts: FunctionFacts) -> None:
        self._alarm(f"{function}-errors", _lambda(facts.name, "Errors", "Sum"),
                    at_least=ROUTINE_ERRORS.get(function, 0) + 1,
                    why=f"{function} failed (an exception, a timeout or out of memory): see its log group")
        self._alarm(f"{function}-throttles", _lambda(facts.name, "Throttles", "Sum"), at_least=1,
                    why=f"{function} was throttled: the account's or its own concurrency limit was reached")
        limit_ms = DURATION_SHARE * facts.timeout_s * 1000
        self._alarm(f"{function}-duration", _lambda(facts.name, "Duration", "p99"), above=limit_ms,
                    why=f"{function}'s p99 duration passed {DURATION_SHARE:.0%} of its {facts.timeout_s} s timeout")

    def _api_alarm(self, api: _Api) -> None:
        rate = cw.MathExpression(
            expression=f"IF(requests >= {MIN_REQUESTS}, rate, 0)", period=PERIOD, label="5xx share",
            using_metrics={"rate": api.metric("5XXError", "Average"), "requests": api.metric("Count", "Sum")})
        self._alarm("api-5xx", rate, above=API_5XX_RATE,
                    why=f"more than {API_5XX_RATE:.0%} of the API's answers were 5xx over 5 minutes")

    def _database_alarms(self, database: _Database) -> None:
        self._alarm("db-cpu", database.instance("CPUUtilization", "Average"), above=CPU_PERCENT,
                    periods=CPU_PERIODS, why=f"the database's CPU stayed above {CPU_PERCENT}% for 15 minutes")
        limit = max_connections(self.stage.db_instance_class)
        self._alarm("db-connections", database.instance("DatabaseConnections", "Maximum"),
                    above=round(CONNECTIONS_SHARE * limit),
                    why=f"connections near the database's limit (about {limit} on {self.stage.db_instance_class})")
        # The app never pins a proxied connection (tests/core/test_no_pinning.py), so clients may outnumber
        # the database's connections; more clients than it has at all means Lambda concurrency running away.
        self._alarm("proxy-client-connections", database.proxy("ClientConnections", "Maximum"), above=limit,
                    why=f"more clients on the proxy than the database's {limit} connections")

    # --- the dashboard -------------------------------------------------------------------------------

    def _dashboard(self, functions: Mapping[str, FunctionFacts], api: _Api, queues: _Queues, database: _Database,
                   business: _Business) -> cw.Dashboard:
        def per_function(metric: str, statistic: str) -> list[cw.IMetric]:
            return [_lambda(f.name, metric, statistic, label=name) for name, f in functions.items()]

        def graph(title: str, left: list[cw.IMetric], width: int = 8, right: list[cw.IMetric] | None = None
                  ) -> cw.GraphWidget:
            return cw.GraphWidget(title=title, left=left, right=right or [], width=width, height=6)

        dashboard = cw.Dashboard(self, "Dashboard", dashboard_name=f"booking-{self.stage.name}")
        dashboard.add_widgets(cw.AlarmStatusWidget(title="Alarms", alarms=list(self.alarms.values()), width=24,
                                                   height=4))
        dashboard.add_widgets(
            graph("API requests", [api.metric("Count", "Sum")]),
            graph("API latency (ms)", [api.metric("Latency", "p50"), api.metric("Latency", "p99"),
                                       api.metric("IntegrationLatency", "p99")]),
            graph("API 4xx / 5xx", [api.metric("4XXError", "Sum"), api.metric("5XXError", "Sum")]))
        dashboard.add_widgets(
            graph("Invocations", per_function("Invocations", "Sum")),
            graph("Errors", per_function("Errors", "Sum"), right=per_function("Throttles", "Sum")),
            graph("Duration p99 (ms)", per_function("Duration", "p99")))
        dashboard.add_widgets(
            graph("Notifications queue", [queues.queue("ApproximateNumberOfMessagesVisible"),
                                          queues.queue("ApproximateNumberOfMessagesNotVisible")],
                  width=12, right=[queues.queue("ApproximateAgeOfOldestMessage")]),
            graph("Notifications DLQ", [queues.dlq_visible], width=12))
        dashboard.add_widgets(
            graph("Database CPU (%)", [database.instance("CPUUtilization", "Average")]),
            graph("Database connections", [database.instance("DatabaseConnections", "Maximum")],
                  right=[database.instance("FreeableMemory", "Minimum")]),
            graph("Proxy connections", [database.proxy("ClientConnections", "Maximum"),
                                        database.proxy("DatabaseConnections", "Maximum")]))
        dashboard.add_widgets(
            graph("Bookings made", [business.total("BookingsMade")], width=6),
            graph("Messages sent", [business.by("MessagesSent", "Channel", c) for c in CHANNELS], width=6),
            graph("Messages failed", [business.by("MessagesFailed", "Channel", c) for c in CHANNELS], width=6,
                  right=[business.total("NotificationsDead")]),
            graph("Webhook failures", [business.by("WebhookFailures", "Webhook", w) for w in WEBHOOKS], width=6))
        return dashboard


def _lambda(name: str, metric: str, statistic: str, *, label: str | None = None) -> cw.Metric:
    return cw.Metric(namespace="AWS/Lambda", metric_name=metric, dimensions_map={"FunctionName": name},
                     statistic=statistic, period=PERIOD, label=label)


@dataclass(frozen=True)
class _Api:
    name: str
    stage: str

    def metric(self, metric: str, statistic: str) -> cw.Metric:
        return cw.Metric(namespace="AWS/ApiGateway", metric_name=metric, statistic=statistic, period=PERIOD,
                         dimensions_map={"ApiName": self.name, "Stage": self.stage})


@dataclass(frozen=True)
class _Queues:
    queue_name: str
    dlq_name: str

    def queue(self, metric: str) -> cw.Metric:
        return cw.Metric(namespace="AWS/SQS", metric_name=metric, statistic="Maximum", period=PERIOD,
                         dimensions_map={"QueueName": self.queue_name})

    @property
    def dlq_visible(self) -> cw.Metric:
        # One minute (SQS's own resolution): the sweep empties the DLQ every minute.
        return cw.Metric(namespace="AWS/SQS", metric_name="ApproximateNumberOfMessagesVisible", statistic="Maximum",
                         period=cdk.Duration.minutes(1), dimensions_map={"QueueName": self.dlq_name})


@dataclass(frozen=True)
class _Database:
    instance_id: str
    proxy_name: str

    def instance(self, metric: str, statistic: str) -> cw.Metric:
        return cw.Metric(namespace="AWS/RDS", metric_name=metric, statistic=statistic, period=PERIOD,
                         dimensions_map={"DBInstanceIdentifier": self.instance_id})

    def proxy(self, metric: str, statistic: str) -> cw.Metric:
        return cw.Metric(namespace="AWS/RDS", metric_name=metric, statistic=statistic, period=PERIOD,
                         dimensions_map={"ProxyName": self.proxy_name})


@dataclass(frozen=True)
class _Business:
    """The app's EMF metrics: each published by Stage alone and, when it has one, by its breakdown too."""
    stage: str

    def total(self, metric: str) -> cw.Metric:
        return cw.Metric(namespace=NAMESPACE, metric_name=metric, statistic="Sum", period=BUSINESS_PERIOD,
                         dimensions_map={"Stage": self.stage})

    def by(self, metric: str, dimension: str, value: str) -> cw.Metric:
        return cw.Metric(namespace=NAMESPACE, metric_name=metric, statistic="Sum", period=BUSINESS_PERIOD,
                         dimensions_map={"Stage": self.stage, dimension: value}, label=value)
