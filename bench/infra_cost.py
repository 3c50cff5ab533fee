"""What one stage costs on AWS a month, for a small tenant base (10 businesses, 5,000 bookings a month) and
a large one (5,000 businesses, 2 M bookings a month), line by line, so the claim that cost scales with use
can be checked: each line is fixed (there with no traffic), per business or per booking.

- What exists and how big comes from the synthesised templates (infra/cdk.out/<stage>/, read through
  bench/infra_resources.py; STAGE, default prod): NAT gateways and their public IPv4 addresses, interface
  endpoints and their AZs, the RDS instance (class, multi-AZ, storage), RDS Proxy, secrets, alarms,
  dashboards, KMS keys, the CloudFront distribution, buckets, log retention, flow logs, API Gateway's
  logging and tracing, and each Chalice function's memory, architecture, trigger (API, queue, schedule
  and its rate) and tracing. Nothing is priced that the templates lack; a resource type this estimate
  does not know, and a property given by an intrinsic function (read as its default), are listed at the end.
- Prices: the constants below, AWS's public on-demand list prices for eu-west-1 (Ireland) in USD as of
  PRICES_AS_OF. Free tiers are left out (they are per account, and small next to the large base).
- Usage: the constants below, each with where its number comes from; two are read from the app's code
  (the reminder offsets, the schedules' time budgets). No production traffic exists yet, so the per-booking
  traffic figures are reasoned guesses from the web app's and the workers' code, not measurements.

Left out as not AWS: Meta's WhatsApp conversation fees, Stripe's fees; Google's Calendar API is free.

Run from the project root after `make synth STAGE=prod`: ``.venv/bin/python bench/infra_cost.py``.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

from infra_resources import ROOT, Templates, assembly, literal, load_templates, resources, stage_name

sys.path.insert(0, str(ROOT))

from chalicelib.billing.jobs import BUDGET_S as BILLING_BUDGET_S  # noqa: E402 - after the path is set
from chalicelib.calendar.jobs import BUDGET_S as CALENDAR_BUDGET_S  # noqa: E402
from chalicelib.notifications.reminders import DEFAULT_OFFSETS_MIN  # noqa: E402

# --- prices: AWS list prices, eu-west-1, on-demand, USD -------------------------------------------------

PRICES_AS_OF = "2026-12"
HOURS = 730  # a month, as AWS's price pages count it
SECONDS = HOURS * 3600

NAT_PER_HOUR = 0.048
NAT_PER_GB = 0.048  # data processed
PUBLIC_IPV4_PER_HOUR = 0.005  # each in-use public IPv4 address (the NAT gateways' Elastic IPs)
ENDPOINT_PER_AZ_HOUR = 0.011  # interface endpoint, per AZ it has a network interface in
ENDPOINT_PER_GB = 0.01  # data processed, first PB
# RDS for PostgreSQL, Single-AZ, per hour (Multi-AZ instance: twice). Another class: add its price.
RDS_PER_HOUR = {"db.t4g.micro": 0.018, "db.t4g.small": 0.036, "db.t4g.medium": 0.072, "db.t4g.large": 0.144,
                "db.t4g.xlarge": 0.288, "db.t4g.2xlarge": 0.576}
RDS_VCPUS = {"db.t4g.micro": 2, "db.t4g.small": 2, "db.t4g.medium": 2, "db.t4g.large": 2, "db.t4g.xlarge": 4,
             "db.t4g.2xlarge": 8}
RDS_STORAGE_PER_GB_MONTH = {"gp2": 0.127, "gp3": 0.127}  # Single-AZ (Multi-AZ: twice); gp3 includes 3,000 IOPS
PROXY_PER_VCPU_HOUR = 0.015  # RDS Proxy, per vCPU of the instance behind it
PROXY_MIN_VCPUS = 2  # billed for at least two
SECRET_PER_MONTH = 0.40
SECRET_PER_CALL = 0.05 / 10_000
LAMBDA_PER_REQUEST = 0.20 / 1e6
LAMBDA_PER_GB_SECOND = {"x86_64": 0.0000166667, "arm64": 0.0000133334}  # first 6 B GB-s a month
REST_API_PER_REQUEST = 3.50 / 1e6  # API Gateway REST API, first 333 M a month
SQS_PER_REQUEST = {True: 0.50 / 1e6, False: 0.40 / 1e6}  # FIFO, standard; per 64 KB chunk
SES_PER_EMAIL = 0.10 / 1000
ALARM_PER_METRIC_MONTH = {True: 0.30, False: 0.10}  # high resolution (period < 60 s), standard
COMPOSITE_ALARM_PER_MONTH = 0.50
DASHBOARD_PER_MONTH = 3.00
CUSTOM_METRIC_PER_MONTH = 0.30  # first 10,000 metrics
LOGS_PER_GB_INGESTED = 0.57  # standard class; vended logs (VPC flow logs) cost the same in their first 10 TB
LOGS_PER_GB_MONTH_STORED = 0.03
XRAY_PER_TRACE = 5.00 / 1e6  # traces recorded
CLOUDFRONT_PER_GB = 0.085  # data out to the internet from European edges, first 10 TB
CLOUDFRONT_PER_REQUEST = 0.012 / 10_000  # HTTPS, European edges
CLOUDFRONT_FUNCTION_PER_INVOCATION = 0.10 / 1e6
S3_PER_GB_MONTH = 0.023  # Standard, first 50 TB
KMS_KEY_PER_MONTH = 1.00

# --- usage: where each number comes from ---------------------------------------------------------------

# Half the bookings are made online, half by staff: as bench/fixtures.py draws them.
ONLINE_SHARE = 0.5
# An online booking: the page (GET /public/{slug}), ~4 availability reads as the customer looks at days
# (the slot picker keeps a read 30 s), the POST, one look at the manage link later = 7; plus about one
# visitor who leaves without booking (page + 2 reads) = 10 (web/src/features/customer-pages/api/public.ts).
PUBLIC_REQUESTS_PER_ONLINE_BOOKING = 10
# The staff calendar per booking: a staff booking's availability read, customer search and POST (half of
# bookings), and the week views that show each booking, refetched on focus and after every change (queries
# stay fresh 15 s, web/src/app/provider.tsx), its confirm/complete and /auth/me: a guess, ~12.
STAFF_REQUESTS_PER_BOOKING = 12
# The authorizer's answer is cached 60 s per token (chalicelib/core/security.py, ttl_seconds=60): about
# every other staff request misses it. Public routes have no authorizer.
AUTHORIZER_MISS_SHARE = 0.5
API_FUNCTION = "api_handler"  # Chalice's name for the REST API's function (handler app.app)
# Bookings later cancelled (5 %, bench/fixtures.py) or moved (~5 %): one more event and message each.
CHANGED_SHARE = 0.10
# Messages about a booking: its confirmation, one reminder per default offset (chalicelib/notifications/
# reminders.py: 24 h and 2 h), and the change's; the staff member gets an e-mail for an online booking
# (chalicelib/notifications/appointment_messages.py).
CUSTOMER_MESSAGES_PER_BOOKING = 1 + len(DEFAULT_OFFSETS_MIN) + CHANGED_SHARE
STAFF_EMAILS_PER_BOOKING = ONLINE_SHARE
# WhatsApp and Google Calendar are Pro features (chalicelib/billing/plans.py): a guess at who turns them on,
# and, of a WhatsApp business's customers, who opted in to it (the rest get e-mail).
WHATSAPP_BUSINESS_SHARE = 0.25
WHATSAPP_OPT_IN_SHARE = 0.8
GOOGLE_STAFF_SHARE = 0.30
STAFF_PER_BUSINESS = 4
# Meta posts a status (sent, delivered, read) for each WhatsApp message to our webhook.
WHATSAPP_STATUSES_PER_MESSAGE = 3
# A booking on a connected calendar: one calendar.write_requested message, and Google's push about our own
# write comes back (a request, then a calendar.sync_requested message) (chalicelib/calendar/reader.py).
GOOGLE_MESSAGES_PER_WRITE = 2
GOOGLE_PUSHES_PER_WRITE = 1
# Stripe webhooks per business a month (invoice created, finalized, paid; subscription updated; ...).
STRIPE_WEBHOOKS_PER_BUSINESS = 5
# SQS requests per message: SendMessageBatch after the commit, the poller's ReceiveMessage, its DeleteMessage.
SQS_REQUESTS_PER_MESSAGE = 3
# Lambda's SQS poller long-polls with 5 pollers at 20 s each, traffic or not: 15 ReceiveMessage a minute.
SQS_IDLE_POLLS_PER_MONTH = 15 * 60 * HOURS
# outbox_sweep empties the DLQ into dead_letters each run (chalicelib/events/jobs.py): one receive a run.
SQS_REQUESTS_PER_SWEEP = 1

# Average billed duration of one warm invocation (ms), by function: guesses, as no bench measures them in
# Lambda. On the bench machine a route is a few ms of Python and SQL (bench/calendar_busy.py: a month's
# availability, 7.5 ms) in 4-9 round trips (bench/booking.py's goals); at 1 GB (~0.6 vCPU), ~1 ms a round
# trip through RDS Proxy and Lambda's own overhead: ~80 ms. The worker waits on SES or Meta (~300 ms).
# A function missing here that runs on a schedule is priced at DEFAULT_DURATION_MS.
DURATION_MS = {"api_handler": 80, "jwt_auth": 15, "notification_worker": 400, "outbox_sweep": 150,
               "reminder_sweep": 200, "calendar_sync": 400, "billing_sweep": 3000, "retention_sweep": 5000}
DEFAULT_DURATION_MS = 1000
# What grows a schedule's run (ms per item), up to its own time budget (the app's code) or its timeout.
REMINDER_SWEEP_MS_PER_REMINDER = 3  # claimed 500 a transaction, sent 10 a SendMessageBatch
CALENDAR_SYNC_MS_PER_CONNECTION = 250  # one incremental events.list to Google per connection
BILLING_SWEEP_MS_PER_BUSINESS = 5  # set-based checks in pages of 100; Stripe only for overage
# Cold starts: Lambda bills the INIT phase (since August 2025). Import with bytecode took 0.19-0.24 s
# (issue 13) and the runtime's own start ~0.1 s. A schedule whose runs are further apart than an idle
# container lives (not documented; ~5-15 min is what people observe) starts cold each time.
INIT_S = 0.35
WARM_FOR_S = 600

# CloudWatch Logs, bytes ingested: Lambda's START, END and REPORT lines (~400 B, X-Ray's segment id
# included); the request's JSON line (chalicelib/core/log.py request_line: ids, route, status, ~260 B); the
# worker's lines per message (delivery claimed, mail.sent or whatsapp.sent with its EMF block, ~700 B);
# a schedule's summary line (~250 B).
LOG_BYTES_PLATFORM = 400
LOG_BYTES_REQUEST = 260
LOG_BYTES_PER_MESSAGE = 700
LOG_BYTES_SCHEDULE = 250
# API Gateway: an access-log line (~300 B) when the stage has AccessLogSetting; execution logging at INFO
# writes ~20 lines a request (~3 KB), at ERROR only for failures (~1 % of requests, ~2 KB each).
LOG_BYTES_API_ACCESS = 300
LOG_BYTES_API_EXECUTION = {"INFO": 3000, "ERROR": 20}
# VPC flow logs: a record is ~125 B (default format); an in-VPC invocation opens or uses ~2 flows (proxy,
# an endpoint or the NAT), each seen in both directions: ~4 records. A rough figure.
FLOW_LOG_BYTES_PER_INVOCATION = 4 * 125
# CloudWatch stores logs gzipped, as CloudFront writes its log files: ~15 % of the text. Logs that never
# expire: counted a year in.
GZIPPED_SHARE = 0.15
# The business metrics in EMF (chalicelib/core/metrics.py): BookingsMade by Stage; MessagesSent and
# MessagesFailed by Stage and by Stage+Channel (email, whatsapp); NotificationsDead; WebhookFailures by
# Stage and by Stage+Webhook (stripe, whatsapp): 1 + 3 + 3 + 1 + 3 metrics.
CUSTOM_METRICS = 11
# X-Ray's default sampling rule: the first request each second, then 5 %; traffic taken as evenly spread.
XRAY_RESERVOIR_PER_S = 1
XRAY_RATE = 0.05

# Through the NAT (TLS handshake and a small JSON exchange, ~8-10 KB): each WhatsApp send, each Google call
# (a booking's write; each connection's sync every 15 minutes), each Stripe call (a webhook's re-fetch).
NAT_KB_PER_CALL = 10
# Through the interface endpoints: an e-mail with its .ics invite (~30 KB to SES), an SQS request (~2 KB),
# a secret read (~4 KB).
ENDPOINT_KB_PER_EMAIL = 30
ENDPOINT_KB_PER_SQS_REQUEST = 2
ENDPOINT_KB_PER_SECRET_READ = 4
# A container reads its secrets (the DB login, the JWT keys) when it starts and every SECRETS_TTL_S = 300 s
# (chalicelib/integrations/secrets.py): ~2 reads per 300 invocations of a busy container; and the worker
# reads a business's WhatsApp token for nearly every WhatsApp send (a container seldom sends for the same
# business twice in 5 minutes).
SECRETS_PER_CONTAINER = 2
SECRET_READS_PER_INVOCATION = SECRETS_PER_CONTAINER / 300

# CloudFront: all API requests come through it (/api/*, webhooks included: they use the app's domain). An
# online booking's visitors (about two) load index.html, config.json, CSS and ~5 JS chunks, ~150 KB gzipped
# (bench/web_bundle.py's goal for the booking page); staff browsers keep the hashed chunks cached.
ASSET_REQUESTS_PER_BOOKING = ONLINE_SHARE * 2 * 9
ASSET_KB_PER_BOOKING = ONLINE_SHARE * 2 * 160
API_RESPONSE_KB = 3  # a JSON answer, gzipped (a week of a staff calendar is the largest, ~10 KB)
# CloudFront's standard logs (to S3, delivered free): a line of 33 fields (~450 B) a request, gzipped files.
LOG_BYTES_CLOUDFRONT = 450
# S3: each business's logo and staff photos in the uploads bucket (presigned POSTs, images).
UPLOAD_MB_PER_BUSINESS = 5
# The database: an appointment row with its indexes (~1.5 KB), its outbox rows, deliveries, reminders and
# history (~4.5 KB): ~6 KB a booking, held: the estimate is of the end of a first year at that volume.
DB_KB_PER_BOOKING = 6
DB_MONTHS_HELD = 12

FIXED, PER_BUSINESS, PER_BOOKING = "fixed", "per business", "per booking"
GROUP_TITLES = {FIXED: "fixed: there with no traffic", PER_BUSINESS: "per business: grows with the tenants",
                PER_BOOKING: "per booking: grows with use"}
GB = 1024 ** 3


@dataclass(frozen=True)
class TenantBase:
    name: str
    businesses: int
    bookings: int  # a month
    # Share of request-driven invocations that start a container: at ~2 requests a minute (small) most
    # requests after a quiet spell start cold; at ~15 a second (large) only scale-ups and recycling do.
    cold_share: float


TENANT_BASES = (TenantBase("small", 10, 5_000, 0.20), TenantBase("large", 5_000, 2_000_000, 0.01))


# --- what the templates create -------------------------------------------------------------------------

# What runs a function: API Gateway, its authorizer, the queue, a schedule, or only the deploy (migrate).
TRIGGERS = ("api", "authorizer", "queue", "schedule", "deploy")


@dataclass(frozen=True)
class Function:
    name: str  # Chalice's name for it
    memory_gb: float
    timeout_s: int
    architecture: str
    trigger: str  # one of TRIGGERS
    runs: float  # a month, for a schedule
    every_s: float  # a schedule's interval
    traced: bool
    in_vpc: bool


@dataclass(frozen=True)
class Database:
    instance_class: str
    multi_az: bool
    storage_gb: int
    max_storage_gb: int | None
    storage_type: str


@dataclass(frozen=True)
class Infra:
    nat_gateways: int
    public_ips: int
    endpoint_azs: list[int]  # one entry per interface endpoint: the AZs it is in
    databases: list[Database]
    proxies: int
    secrets: int
    alarm_metrics: Counter[bool]  # metrics the alarms read, by high resolution
    composite_alarms: int
    dashboards: int
    kms_keys: int
    distributions: int
    edge_function_paths: set[str]  # the behaviours ("default", "/api/*", ...) that run a CloudFront Function
    edge_logs_days: int  # how long CloudFront's standard logs are kept in S3; 0: not written
    buckets: int
    log_retention_days: int | None  # the longest literal retention; None: some group never expires
    flow_logs: int
    rest_apis: int
    api_traced: bool
    api_access_logs: bool
    api_execution_logging: str | None
    fifo_queues: int
    functions: list[Function]
    other_functions: int  # CDK's own, for its custom resources: they run at deploy
    types: Counter[str]
    intrinsic: Counter[str]  # properties read as their defaults (see PROPERTIES_READ)


def _true(value: Any) -> bool:
    """A template's boolean, written as true or "true"; an intrinsic counts as false."""
    return str(literal(value, False)).lower() == "true"


_RATE = re.compile(r"rate\((\d+) (minute|hour|day)s?\)")
_UNIT_S = {"minute": 60, "hour": 3600, "day": 86400}


def _interval_s(expression: str) -> int:
    """The seconds between runs of a ``rate(...)`` schedule (what Chalice's Rate writes)."""
    match = _RATE.fullmatch(expression.strip())
    if match is None:
        raise SystemExit(f"schedule {expression!r}: only rate(...) expressions are understood here; add it")
    return int(match.group(1)) * _UNIT_S[match.group(2)]


_ARN_OF = re.compile(r"\$\{(\w+)\.Arn\}")


def _api_triggers(templates: Templates) -> dict[str, str]:
    """Logical id -> "api" or "authorizer": the functions the REST API's OpenAPI definition integrates with
    or authorizes through (Chalice writes each as a Fn::Sub naming ``${<function>.Arn}``)."""
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, uri, trigger in (("x-amazon-apigateway-integration", "uri", "api"),
                                      ("x-amazon-apigateway-authorizer", "authorizerUri", "authorizer")):
                if isinstance(node.get(key), dict):
                    found.update(dict.fromkeys(_ARN_OF.findall(json.dumps(node[key].get(uri))), trigger))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for _stack, _id, api in resources(templates, "AWS::Serverless::Api"):
        walk((api.get("Properties") or {}).get("DefinitionBody"))
    return found


def _chalice_functions(templates: Templates) -> list[Function]:
    """The functions of Chalice's SAM template (CDK's own are plain AWS::Lambda::Function), each with its
    trigger: the API's definition, an SQS event, a schedule, or none (the deploy runs it)."""
    api = _api_triggers(templates)
    found = []
    for _stack, logical_id, resource in resources(templates, "AWS::Serverless::Function"):
        properties = resource.get("Properties") or {}
        handler = str(literal(properties.get("Handler"), logical_id)).rsplit(".", 1)[-1]
        events = [e for e in (literal(properties.get("Events"), {}) or {}).values() if isinstance(e, dict)]
        schedules = [_interval_s(e["Properties"]["Schedule"]) for e in events if e.get("Type") == "Schedule"]
        trigger = api.get(logical_id) or ("queue" if any(e.get("Type") == "SQS" for e in events)
                                          else "schedule" if schedules else "deploy")
        tracing = literal(properties.get("Tracing"))
        found.append(Function(
            name=API_FUNCTION if handler == "app" else handler,
            memory_gb=int(literal(properties.get("MemorySize"), 128)) / 1024,
            timeout_s=int(literal(properties.get("Timeout"), 3)),
            architecture=(literal(properties.get("Architectures"), ["x86_64"]) or ["x86_64"])[0],
            trigger=trigger, runs=sum(SECONDS / s for s in schedules), every_s=min(schedules, default=0),
            traced=tracing == "Active", in_vpc="VpcConfig" in properties))
    if resources(templates, "AWS::Serverless::Api") and "api" not in {f.trigger for f in found}:
        raise SystemExit("no function found behind the REST API's definition (x-amazon-apigateway-integration)")
    return sorted(found, key=lambda f: (TRIGGERS.index(f.trigger), f.every_s))


def _edge(templates: Templates) -> tuple[set[str], int]:
    """The distributions' behaviours that run a CloudFront Function, and the days their standard logs stay
    in S3 (the log bucket's expiration; a year when it has none; 0 when they write none)."""
    paths: set[str] = set()
    kept = 0
    buckets = {logical_id: r for _s, logical_id, r in resources(templates, "AWS::S3::Bucket")}
    for _stack, _id, resource in resources(templates, "AWS::CloudFront::Distribution"):
        config = literal((resource.get("Properties") or {}).get("DistributionConfig"), {}) or {}
        behaviours = [("default", config.get("DefaultCacheBehavior") or {})]
        behaviours += [(b.get("PathPattern", "?"), b) for b in literal(config.get("CacheBehaviors"), []) or []]
        paths |= {path for path, behaviour in behaviours if behaviour.get("FunctionAssociations")}
        target = (config.get("Logging") or {}).get("Bucket")
        if target is not None:
            bucket = buckets.get((target.get("Fn::GetAtt") or [None])[0] if isinstance(target, dict) else None, {})
            rules = ((bucket.get("Properties") or {}).get("LifecycleConfiguration") or {}).get("Rules") or []
            days = [int(r["ExpirationInDays"]) for r in rules
                    if r.get("Status") == "Enabled" and "ExpirationInDays" in r]
            kept = max(kept, min(days, default=365))
    return paths, kept


def _endpoint_azs(templates: Templates) -> list[int]:
    """The AZs of each interface endpoint: its subnets, one per AZ (2 where the list is an intrinsic)."""
    found = []
    for _stack, _id, resource in resources(templates, "AWS::EC2::VPCEndpoint"):
        properties = resource.get("Properties") or {}
        if literal(properties.get("VpcEndpointType")) == "Interface":
            subnets = literal(properties.get("SubnetIds"))
            found.append(len(subnets) if isinstance(subnets, list) else 2)
    return found


def _databases(templates: Templates) -> list[Database]:
    found = []
    for _stack, logical_id, resource in resources(templates, "AWS::RDS::DBInstance"):
        properties = resource.get("Properties") or {}
        instance_class = literal(properties.get("DBInstanceClass"))
        if instance_class not in RDS_PER_HOUR:
            raise SystemExit(f"{logical_id}: no price for instance class {instance_class!r}: add it to RDS_PER_HOUR")
        max_storage = literal(properties.get("MaxAllocatedStorage"))
        found.append(Database(instance_class, _true(properties.get("MultiAZ")),
                              int(literal(properties.get("AllocatedStorage"), 20)),
                              int(max_storage) if max_storage is not None else None,
                              literal(properties.get("StorageType"), "gp2")))
    return found


def _alarm_metrics(templates: Templates) -> Counter[bool]:
    """Metrics the alarms read (a metric-math alarm is billed for each metric in it), by high resolution."""
    found: Counter[bool] = Counter()
    for _stack, _id, resource in resources(templates, "AWS::CloudWatch::Alarm"):
        properties = resource.get("Properties") or {}
        queries = literal(properties.get("Metrics"))
        if isinstance(queries, list):
            for query in queries:
                stat = query.get("MetricStat") if isinstance(query, dict) else None
                if stat:
                    found[int(literal(stat.get("Period"), 60)) < 60] += 1
        else:
            found[int(literal(properties.get("Period"), 60)) < 60] += 1
    return found


def _api_settings(templates: Templates) -> tuple[bool, bool, str | None]:
    """Tracing, access logs, and execution logging's level, of the REST API's stage (SAM's Api or a Stage)."""
    traced, access, level = False, False, None
    for kind in ("AWS::Serverless::Api", "AWS::ApiGateway::Stage"):
        for _stack, _id, resource in resources(templates, kind):
            properties = resource.get("Properties") or {}
            traced |= _true(properties.get("TracingEnabled"))
            access |= "AccessLogSetting" in properties
            for setting in literal(properties.get("MethodSettings"), []) or []:
                found = literal(setting.get("LoggingLevel")) if isinstance(setting, dict) else None
                if found in LOG_BYTES_API_EXECUTION and (level is None or found == "INFO"):
                    level = found
    return traced, access, level


def _log_retention_days(templates: Templates) -> int | None:
    """The longest retention the log groups state; None when one has none (it never expires). A
    retention given by an intrinsic is not known here and not counted."""
    groups = resources(templates, "AWS::Logs::LogGroup")
    days = [(group.get("Properties") or {}).get("RetentionInDays") for _s, _i, group in groups]
    if not days or any(d is None for d in days):
        return None
    known = [int(d) for d in days if literal(d) is not None]
    return max(known) if known else None


# The properties the readers above take from each type: one given by an intrinsic function is read as its
# default, and the estimate says so.
PROPERTIES_READ = {
    "AWS::Serverless::Function": ("Handler", "MemorySize", "Timeout", "Architectures", "Tracing", "Events"),
    "AWS::RDS::DBInstance": ("DBInstanceClass", "MultiAZ", "AllocatedStorage", "MaxAllocatedStorage", "StorageType"),
    "AWS::EC2::VPCEndpoint": ("VpcEndpointType", "SubnetIds"),
    "AWS::CloudWatch::Alarm": ("Metrics", "Period"),
    "AWS::Logs::LogGroup": ("RetentionInDays",),
    "AWS::EC2::FlowLog": ("LogDestinationType",),
    "AWS::SQS::Queue": ("FifoQueue",),
    "AWS::Serverless::Api": ("DefinitionBody", "TracingEnabled", "MethodSettings"),
    "AWS::CloudFront::Distribution": ("DistributionConfig",),
}


def _intrinsic(templates: Templates) -> Counter[str]:
    """``Type.Property`` of each property read above whose value only CloudFormation knows."""
    found: Counter[str] = Counter()
    for kind, keys in PROPERTIES_READ.items():
        for _stack, _id, resource in resources(templates, kind):
            properties = resource.get("Properties") or {}
            found.update(f"{kind}.{key}" for key in keys if key in properties and literal(properties[key]) is None)
    return found


def read_infra(templates: Templates) -> Infra:
    types = Counter(r.get("Type", "?") for _s, _i, r in resources(templates))
    traced, access, level = _api_settings(templates)
    functions = _chalice_functions(templates)
    edge_paths, edge_logs_days = _edge(templates)
    return Infra(
        nat_gateways=types["AWS::EC2::NatGateway"], public_ips=types["AWS::EC2::EIP"],
        endpoint_azs=_endpoint_azs(templates), databases=_databases(templates), proxies=types["AWS::RDS::DBProxy"],
        secrets=types["AWS::SecretsManager::Secret"], alarm_metrics=_alarm_metrics(templates),
        composite_alarms=types["AWS::CloudWatch::CompositeAlarm"], dashboards=types["AWS::CloudWatch::Dashboard"],
        kms_keys=types["AWS::KMS::Key"], distributions=types["AWS::CloudFront::Distribution"],
        edge_function_paths=edge_paths, edge_logs_days=edge_logs_days,
        buckets=types["AWS::S3::Bucket"], log_retention_days=_log_retention_days(templates),
        flow_logs=sum(1 for _s, _i, r in resources(templates, "AWS::EC2::FlowLog")
                      if literal(r.get("Properties", {}).get("LogDestinationType"), "cloud-watch-logs")
                      == "cloud-watch-logs"),
        rest_apis=types["AWS::Serverless::Api"] + types["AWS::ApiGateway::RestApi"], api_traced=traced,
        api_access_logs=access, api_execution_logging=level,
        fifo_queues=sum(1 for _s, _i, r in resources(templates, "AWS::SQS::Queue")
                        if _true(r.get("Properties", {}).get("FifoQueue"))),
        functions=functions,
        other_functions=types["AWS::Lambda::Function"],
        types=types, intrinsic=_intrinsic(templates))


# --- usage a month -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Usage:
    public_requests: float
    staff_requests: float
    webhook_requests: float  # Meta's statuses, Google's pushes: per booking
    stripe_webhooks: float  # per business
    queue_messages: float
    emails: float
    whatsapp_messages: float
    google_writes: float
    google_connections: float
    whatsapp_secrets: float
    reminders: float

    @property
    def booking_requests(self) -> float:
        return self.public_requests + self.staff_requests + self.webhook_requests

    @property
    def api_requests(self) -> float:
        return self.booking_requests + self.stripe_webhooks


def usage(base: TenantBase) -> Usage:
    bookings = base.bookings
    whatsapp_share = WHATSAPP_BUSINESS_SHARE * WHATSAPP_OPT_IN_SHARE
    whatsapp_messages = bookings * CUSTOMER_MESSAGES_PER_BOOKING * whatsapp_share
    google_writes = bookings * GOOGLE_STAFF_SHARE * (1 + CHANGED_SHARE)
    return Usage(
        public_requests=bookings * ONLINE_SHARE * PUBLIC_REQUESTS_PER_ONLINE_BOOKING,
        staff_requests=bookings * STAFF_REQUESTS_PER_BOOKING,
        webhook_requests=whatsapp_messages * WHATSAPP_STATUSES_PER_MESSAGE + google_writes * GOOGLE_PUSHES_PER_WRITE,
        stripe_webhooks=base.businesses * STRIPE_WEBHOOKS_PER_BUSINESS,
        queue_messages=(bookings * (1 + len(DEFAULT_OFFSETS_MIN) + CHANGED_SHARE)
                        + google_writes * GOOGLE_MESSAGES_PER_WRITE),
        emails=bookings * (CUSTOMER_MESSAGES_PER_BOOKING * (1 - whatsapp_share) + STAFF_EMAILS_PER_BOOKING),
        whatsapp_messages=whatsapp_messages,
        google_writes=google_writes,
        google_connections=base.businesses * STAFF_PER_BUSINESS * GOOGLE_STAFF_SHARE,
        whatsapp_secrets=base.businesses * WHATSAPP_BUSINESS_SHARE,
        reminders=bookings * len(DEFAULT_OFFSETS_MIN))


# --- the estimate --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    group: str
    item: str
    quantity: str
    cost: float


def _n(value: float) -> str:
    """1,234 / 12.3k / 4.5M: quantities short enough for a column."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}" if value != int(value) else f"{int(value)}"


@dataclass(frozen=True)
class Invocations:
    """One function's runs a month and what they cost in Lambda (requests, GB-s)."""
    count: float
    seconds: float  # billed, INIT included

    def cost(self, function: Function) -> float:
        return (self.count * LAMBDA_PER_REQUEST
                + self.seconds * function.memory_gb * LAMBDA_PER_GB_SECOND[function.architecture])


def _schedule_run_s(function: Function, base: TenantBase, use: Usage) -> tuple[float, float]:
    """One run's seconds of a schedule: its base duration, and what its items (reminders, connections,
    businesses) add, within the app's time budget for it and the function's timeout."""
    base_s = DURATION_MS.get(function.name, DEFAULT_DURATION_MS) / 1000
    items_s, budget = 0.0, float(function.timeout_s)
    if function.name == "reminder_sweep":
        items_s = use.reminders / function.runs * REMINDER_SWEEP_MS_PER_REMINDER / 1000
    elif function.name == "calendar_sync":
        items_s, budget = use.google_connections * CALENDAR_SYNC_MS_PER_CONNECTION / 1000, CALENDAR_BUDGET_S
    elif function.name == "billing_sweep":
        items_s, budget = base.businesses * BILLING_SWEEP_MS_PER_BUSINESS / 1000, BILLING_BUDGET_S
    return min(base_s, function.timeout_s), max(0.0, min(items_s, budget - base_s))


def _invocations(function: Function, base: TenantBase, use: Usage) -> Invocations:
    """A request-driven function's runs (API, authorizer, queue worker)."""
    count = {"api": use.api_requests, "authorizer": use.staff_requests * AUTHORIZER_MISS_SHARE,
             "queue": use.queue_messages}.get(function.trigger, 0.0)
    warm_s = DURATION_MS.get(function.name, DEFAULT_DURATION_MS) / 1000
    return Invocations(count, count * (warm_s + base.cold_share * INIT_S))


def _lambda_lines(infra: Infra, base: TenantBase, use: Usage) -> list[Line]:
    lines = []
    for function in infra.functions:
        if function.trigger in ("api", "authorizer", "queue"):
            runs = _invocations(function, base, use)
            lines.append(Line(PER_BOOKING, f"Lambda {function.name} ({function.trigger})",
                              f"{_n(runs.count)} inv, {_n(runs.seconds * function.memory_gb)} GB-s",
                              runs.cost(function)))
    schedules = [f for f in infra.functions if f.trigger == "schedule"]
    base_cost, items = 0.0, {}
    for function in schedules:
        base_s, items_s = _schedule_run_s(function, base, use)
        init_s = INIT_S if function.every_s > WARM_FOR_S else 0.0
        base_cost += Invocations(function.runs, function.runs * (base_s + init_s)).cost(function)
        items[function.name] = (function, Invocations(0, function.runs * items_s))
    if schedules:
        lines.append(Line(FIXED, f"Lambda schedules' runs ({len(schedules)} functions)",
                          f"{_n(sum(f.runs for f in schedules))} runs", base_cost))
    for name, group, what in (("calendar_sync", PER_BUSINESS, "per Google connection"),
                              ("billing_sweep", PER_BUSINESS, "per business"),
                              ("reminder_sweep", PER_BOOKING, "per reminder")):
        if name in items:
            function, runs = items[name]
            lines.append(Line(group, f"Lambda {name}, {what}", f"{_n(runs.seconds * function.memory_gb)} GB-s",
                              runs.cost(function)))
    return lines


def _calendar_syncs(infra: Infra, use: Usage) -> float:
    """Connections synced a month by calendar_sync: each run syncs what its time budget allows."""
    per_run = min(use.google_connections, CALENDAR_BUDGET_S * 1000 / CALENDAR_SYNC_MS_PER_CONNECTION)
    return sum(f.runs for f in infra.functions if f.name == "calendar_sync") * per_run


def _traces(count: float) -> float:
    """Traces X-Ray records of ``count`` entry points a month under the default sampling rule."""
    reservoir = XRAY_RESERVOIR_PER_S * SECONDS
    return min(count, reservoir) + XRAY_RATE * max(0.0, count - reservoir)


def _network_lines(infra: Infra, base: TenantBase, use: Usage) -> list[Line]:
    booked_gb = (use.whatsapp_messages + use.google_writes) * NAT_KB_PER_CALL * 1024 / GB
    tenants_gb = (_calendar_syncs(infra, use) + use.stripe_webhooks) * NAT_KB_PER_CALL * 1024 / GB
    endpoint_gb = (use.emails * ENDPOINT_KB_PER_EMAIL
                   + use.queue_messages * SQS_REQUESTS_PER_MESSAGE * ENDPOINT_KB_PER_SQS_REQUEST
                   + _secret_reads(infra, base, use) * ENDPOINT_KB_PER_SECRET_READ) * 1024 / GB
    lines = [
        Line(FIXED, "NAT gateways", f"{infra.nat_gateways} x {HOURS} h", infra.nat_gateways * HOURS * NAT_PER_HOUR),
        Line(FIXED, "public IPv4 addresses (NAT EIPs)", f"{infra.public_ips} x {HOURS} h",
             infra.public_ips * HOURS * PUBLIC_IPV4_PER_HOUR),
        Line(FIXED, "interface endpoints", f"{len(infra.endpoint_azs)} x {max(infra.endpoint_azs, default=0)} AZ",
             sum(infra.endpoint_azs) * HOURS * ENDPOINT_PER_AZ_HOUR),
    ]
    if infra.nat_gateways:
        lines += [Line(PER_BOOKING, "NAT data (WhatsApp sends, Google writes)", f"{_n(booked_gb)} GB",
                       booked_gb * NAT_PER_GB),
                  Line(PER_BUSINESS, "NAT data (calendar syncs, Stripe)", f"{_n(tenants_gb)} GB",
                       tenants_gb * NAT_PER_GB)]
    if infra.endpoint_azs:
        lines.append(Line(PER_BOOKING, "interface endpoints' data (SES, SQS, secrets)", f"{_n(endpoint_gb)} GB",
                          endpoint_gb * ENDPOINT_PER_GB))
    return lines


def _database_lines(infra: Infra, base: TenantBase) -> list[Line]:
    lines = []
    for db in infra.databases:
        copies = 2 if db.multi_az else 1
        if db.storage_type not in RDS_STORAGE_PER_GB_MONTH:
            raise SystemExit(f"no price for RDS storage type {db.storage_type!r}: add it to RDS_STORAGE_PER_GB_MONTH")
        per_gb = RDS_STORAGE_PER_GB_MONTH[db.storage_type] * copies
        grown_gb = max(0.0, base.bookings * DB_MONTHS_HELD * DB_KB_PER_BOOKING / 1024 ** 2 - db.storage_gb)
        az = "multi-AZ" if db.multi_az else "single-AZ"
        lines += [
            Line(FIXED, f"RDS {db.instance_class} {az}", f"{copies} x {HOURS} h",
                 RDS_PER_HOUR[db.instance_class] * copies * HOURS),
            Line(FIXED, f"RDS storage {db.storage_type} (allocated)", f"{db.storage_gb} GB x {copies}",
                 db.storage_gb * per_gb),
            Line(PER_BOOKING, "RDS storage grown (a year of bookings)", f"{_n(grown_gb)} GB x {copies}",
                 grown_gb * per_gb),
        ]
    vcpus = max((RDS_VCPUS[db.instance_class] for db in infra.databases), default=0)
    if infra.proxies:
        billed = max(vcpus, PROXY_MIN_VCPUS)
        lines.append(Line(FIXED, "RDS Proxy", f"{infra.proxies} x {billed} vCPU x {HOURS} h",
                          infra.proxies * billed * HOURS * PROXY_PER_VCPU_HOUR))
    return lines


def _secret_reads(infra: Infra, base: TenantBase, use: Usage) -> float:
    """GetSecretValue calls a month: each container's secrets at its start and every 5 minutes, and a WhatsApp
    token for each WhatsApp send."""
    requests = sum(_invocations(f, base, use).count for f in infra.functions)
    runs = sum(f.runs for f in infra.functions if f.trigger == "schedule")
    cold_runs = sum(f.runs for f in infra.functions if f.trigger == "schedule" and f.every_s > WARM_FOR_S)
    return ((requests + runs) * SECRET_READS_PER_INVOCATION
            + (requests * base.cold_share + cold_runs) * SECRETS_PER_CONTAINER + use.whatsapp_messages)


def _messaging_lines(infra: Infra, base: TenantBase, use: Usage) -> list[Line]:
    sqs_price = SQS_PER_REQUEST[infra.fifo_queues > 0]
    sweeps = sum(f.runs for f in infra.functions if f.name == "outbox_sweep")
    reads = _secret_reads(infra, base, use)
    lines = [
        Line(FIXED, f"Secrets Manager ({infra.secrets} in the templates)", f"{infra.secrets} secrets",
             infra.secrets * SECRET_PER_MONTH),
        Line(PER_BUSINESS, "Secrets Manager: WhatsApp tokens", f"{_n(use.whatsapp_secrets)} secrets",
             use.whatsapp_secrets * SECRET_PER_MONTH),
        Line(PER_BOOKING, "Secrets Manager: API calls", f"{_n(reads)} calls", reads * SECRET_PER_CALL),
    ]
    if any(f.trigger == "queue" for f in infra.functions):
        idle = SQS_IDLE_POLLS_PER_MONTH + sweeps * SQS_REQUESTS_PER_SWEEP
        busy = use.queue_messages * SQS_REQUESTS_PER_MESSAGE
        lines += [Line(FIXED, "SQS: the poller's and the sweep's receives", f"{_n(idle)} req", idle * sqs_price),
                  Line(PER_BOOKING, "SQS: messages (send, receive, delete)", f"{_n(busy)} req", busy * sqs_price)]
    lines.append(Line(PER_BOOKING, "SES e-mails", f"{_n(use.emails)} mails", use.emails * SES_PER_EMAIL))
    if infra.rest_apis:
        lines += [Line(PER_BOOKING, "API Gateway REST requests", f"{_n(use.booking_requests)} req",
                       use.booking_requests * REST_API_PER_REQUEST),
                  Line(PER_BUSINESS, "API Gateway: Stripe webhooks", f"{_n(use.stripe_webhooks)} req",
                       use.stripe_webhooks * REST_API_PER_REQUEST)]
    return lines


def _log_bytes(infra: Infra, base: TenantBase, use: Usage) -> tuple[float, float]:
    """Bytes ingested a month: (by the schedules, whatever the traffic; by requests and messages)."""
    fixed = sum(f.runs * (LOG_BYTES_PLATFORM + LOG_BYTES_SCHEDULE
                          + (FLOW_LOG_BYTES_PER_INVOCATION if f.in_vpc and infra.flow_logs else 0))
                for f in infra.functions if f.trigger == "schedule")
    busy = 0.0
    for function in infra.functions:
        count = _invocations(function, base, use).count
        own = {"api": LOG_BYTES_REQUEST, "queue": LOG_BYTES_PER_MESSAGE}.get(function.trigger, 0)
        per_run = LOG_BYTES_PLATFORM + own
        busy += count * (per_run + (FLOW_LOG_BYTES_PER_INVOCATION if function.in_vpc and infra.flow_logs else 0))
    if infra.rest_apis:
        busy += use.api_requests * ((LOG_BYTES_API_ACCESS if infra.api_access_logs else 0)
                                    + LOG_BYTES_API_EXECUTION.get(infra.api_execution_logging or "", 0))
    return fixed, busy


def _observability_lines(infra: Infra, base: TenantBase, use: Usage) -> list[Line]:
    metrics = infra.alarm_metrics
    alarms = sum(n * ALARM_PER_METRIC_MONTH[high] for high, n in metrics.items())
    fixed_bytes, busy_bytes = _log_bytes(infra, base, use)
    months_kept = min(infra.log_retention_days or 365, 365) / (365 / 12)
    stored_gb = (fixed_bytes + busy_bytes) / GB * GZIPPED_SHARE * months_kept
    lines = [
        Line(FIXED, "CloudWatch alarms", f"{sum(metrics.values())} metrics", alarms
             + infra.composite_alarms * COMPOSITE_ALARM_PER_MONTH),
        Line(FIXED, "CloudWatch dashboards", f"{infra.dashboards}", infra.dashboards * DASHBOARD_PER_MONTH),
        Line(FIXED, "CloudWatch custom metrics (EMF)", f"{CUSTOM_METRICS}", CUSTOM_METRICS * CUSTOM_METRIC_PER_MONTH),
        Line(FIXED, "CloudWatch Logs ingested: schedules", f"{_n(fixed_bytes / GB)} GB",
             fixed_bytes / GB * LOGS_PER_GB_INGESTED),
        Line(PER_BOOKING, "CloudWatch Logs ingested: requests, messages", f"{_n(busy_bytes / GB)} GB",
             busy_bytes / GB * LOGS_PER_GB_INGESTED),
        Line(PER_BOOKING, f"CloudWatch Logs stored ({months_kept:.0f} months kept)", f"{_n(stored_gb)} GB",
             stored_gb * LOGS_PER_GB_MONTH_STORED),
        Line(FIXED, "KMS keys", f"{infra.kms_keys}", infra.kms_keys * KMS_KEY_PER_MONTH),
    ]
    traced = [f for f in infra.functions if f.traced or (f.trigger == "api" and infra.api_traced)]
    if traced:
        scheduled = sum(_traces(f.runs) for f in traced if f.trigger == "schedule")
        busy = sum(_traces(_invocations(f, base, use).count) for f in traced if f.trigger in ("api", "queue"))
        lines += [Line(FIXED, "X-Ray traces: schedules", f"{_n(scheduled)} traces", scheduled * XRAY_PER_TRACE),
                  Line(PER_BOOKING, "X-Ray traces: requests, messages", f"{_n(busy)} traces", busy * XRAY_PER_TRACE)]
    return lines


def _edge_lines(infra: Infra, base: TenantBase, use: Usage) -> list[Line]:
    lines = []
    if infra.distributions:
        assets = base.bookings * ASSET_REQUESTS_PER_BOOKING
        requests = use.api_requests + assets
        gb = (use.api_requests * API_RESPONSE_KB + base.bookings * ASSET_KB_PER_BOOKING) * 1024 / GB
        lines += [Line(PER_BOOKING, "CloudFront requests", f"{_n(requests)} req", requests * CLOUDFRONT_PER_REQUEST),
                  Line(PER_BOOKING, "CloudFront data out", f"{_n(gb)} GB", gb * CLOUDFRONT_PER_GB)]
        runs = (assets if "default" in infra.edge_function_paths else 0) + \
            (use.api_requests if "/api/*" in infra.edge_function_paths else 0)
        if infra.edge_function_paths:
            lines.append(Line(PER_BOOKING, f"CloudFront Functions ({', '.join(sorted(infra.edge_function_paths))})",
                              f"{_n(runs)} runs", runs * CLOUDFRONT_FUNCTION_PER_INVOCATION))
        if infra.edge_logs_days:
            stored = requests * LOG_BYTES_CLOUDFRONT * GZIPPED_SHARE / GB * infra.edge_logs_days / (365 / 12)
            lines.append(Line(PER_BOOKING, f"CloudFront logs in S3 ({infra.edge_logs_days} days)", f"{_n(stored)} GB",
                              stored * S3_PER_GB_MONTH))
    if infra.buckets:
        gb = base.businesses * UPLOAD_MB_PER_BUSINESS / 1024
        lines.append(Line(PER_BUSINESS, "S3 uploads", f"{_n(gb)} GB", gb * S3_PER_GB_MONTH))
    return lines


def estimate(infra: Infra, base: TenantBase) -> list[Line]:
    use = usage(base)
    return (_network_lines(infra, base, use) + _database_lines(infra, base) + _lambda_lines(infra, base, use)
            + _messaging_lines(infra, base, use) + _observability_lines(infra, base, use)
            + _edge_lines(infra, base, use))


# --- printing ------------------------------------------------------------------------------------------

# Resource types the lines above price, and those that cost nothing by themselves (or only at deploy).
PRICED = {"AWS::EC2::NatGateway", "AWS::EC2::EIP", "AWS::EC2::VPCEndpoint", "AWS::RDS::DBInstance",
          "AWS::RDS::DBProxy", "AWS::SecretsManager::Secret", "AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard",
          "AWS::CloudWatch::CompositeAlarm", "AWS::KMS::Key", "AWS::CloudFront::Distribution", "AWS::S3::Bucket",
          "AWS::Logs::LogGroup", "AWS::EC2::FlowLog", "AWS::CloudFront::Function", "AWS::Serverless::Function",
          "AWS::Lambda::Function", "AWS::Serverless::Api", "AWS::ApiGateway::RestApi", "AWS::SQS::Queue"}
NO_CHARGE = {"AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::RouteTable", "AWS::EC2::Route",
             "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::InternetGateway", "AWS::EC2::VPCGatewayAttachment",
             "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress",
             "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::Lambda::Permission",
             "AWS::Lambda::EventSourceMapping", "AWS::Lambda::LayerVersion", "AWS::RDS::DBSubnetGroup",
             "AWS::RDS::DBParameterGroup", "AWS::RDS::DBProxyTargetGroup",
             "AWS::SecretsManager::SecretTargetAttachment", "AWS::SecretsManager::RotationSchedule",
             "AWS::SecretsManager::ResourcePolicy", "AWS::SQS::QueuePolicy",
             "AWS::S3::BucketPolicy", "AWS::ApiGateway::GatewayResponse", "AWS::ApiGateway::Deployment",
             "AWS::ApiGateway::Stage", "AWS::ApiGateway::Account", "AWS::CloudFront::OriginAccessControl",
             "AWS::CloudFront::CachePolicy", "AWS::CloudFront::OriginRequestPolicy",
             "AWS::CloudFront::ResponseHeadersPolicy", "AWS::Events::Rule",  # scheduled rules are free
             "AWS::SNS::Topic", "AWS::SNS::Subscription", "AWS::SNS::TopicPolicy",  # alarm e-mails: cents
             "AWS::Serverless::Application",  # the rotation's function: runs once a month
             "AWS::KMS::Alias", "AWS::CDK::Metadata"}


def _wrapped(items: list[str], first: str, indent: str, width: int = 116) -> list[str]:
    """``items`` joined by commas into lines of at most ``width``, broken between items only."""
    lines = [first]
    for i, item in enumerate(items):
        text = item + ("," if i < len(items) - 1 else "")
        if len(lines[-1]) + len(text) + 1 > width and lines[-1].strip():
            lines.append(indent)
        lines[-1] += ("" if lines[-1].endswith(" ") else " ") + text
    return lines


def _every(seconds: float) -> str:
    if seconds == 86400:
        return "daily"
    return f"every {seconds / 3600:g} h" if seconds >= 3600 else f"every {seconds / 60:g} min"


def _infra_summary(infra: Infra) -> str:
    """What the templates create that the estimate prices, in a few lines."""
    dbs = ", ".join(f"{d.instance_class} {'multi-AZ' if d.multi_az else 'single-AZ'} {d.storage_gb} GB {d.storage_type}"
                    + (f" (grows to {d.max_storage_gb} GB)" if d.max_storage_gb else "") for d in infra.databases)
    running = [f for f in infra.functions if f.trigger != "deploy"]
    named = [f"{f.name} {f.memory_gb * 1024:.0f} MB" + (f" {_every(f.every_s)}" if f.every_s else "") for f in running]
    retention = f"{infra.log_retention_days} days" if infra.log_retention_days else "a group never expires"
    api_logs = " and ".join(x for x in ("access logs" if infra.api_access_logs else "",
                                        f"execution logs at {infra.api_execution_logging}"
                                        if infra.api_execution_logging else "") if x) or "no logs"
    return "\n".join([
        f"  network: {infra.nat_gateways} NAT gateways ({infra.public_ips} public IPv4), {len(infra.endpoint_azs)} "
        f"interface endpoints in {max(infra.endpoint_azs, default=0)} AZs, {infra.flow_logs} flow log to CloudWatch",
        f"  data: {dbs or 'no database'}; {infra.proxies} RDS Proxy; {infra.secrets} secrets; "
        f"KMS keys: {infra.kms_keys}",
        *_wrapped(named, "  functions: ", "    "),
        f"    X-Ray on {sum(f.traced for f in running)} of them{' and the API' if infra.api_traced else ''}; "
        f"{sum(f.trigger == 'deploy' for f in infra.functions) + infra.other_functions} more run only at deploy "
        "(migrate, CDK's custom resources)",
        f"  API: {infra.rest_apis} REST API ({api_logs}); {infra.fifo_queues} FIFO queues",
        f"  edge: {infra.distributions} CloudFront distribution, {infra.buckets} S3 buckets; monitoring: "
        f"{sum(infra.alarm_metrics.values())} alarm metrics, {infra.dashboards} dashboard; log retention {retention}",
    ])


def _print_table(bases: tuple[TenantBase, ...], estimates: list[list[Line]]) -> dict[str, list[float]]:
    """The line items side by side, by group; answers each group's subtotal per tenant base."""
    item, quantity, cost = 46, 25, 10
    print(f"{'USD a month':<{item}}" + "".join(f"{b.name + ' tenant base':>{quantity + cost + 1}}" for b in bases))
    sizes = [f"{b.businesses:,} businesses, {_n(b.bookings)} bookings" for b in bases]
    print(f"{'':<{item}}" + "".join(f"{size:>{quantity + cost + 1}}" for size in sizes))
    totals: dict[str, list[float]] = {}
    for group, title in GROUP_TITLES.items():
        print(f"\n{title}")
        rows = [[line for line in lines if line.group == group] for lines in estimates]
        for same in zip(*rows, strict=True):
            print(f"  {same[0].item:<{item - 2}}" + "".join(f"{line.quantity:>{quantity}} {line.cost:>{cost},.2f}"
                                                           for line in same))
        totals[group] = [sum(line.cost for line in row) for row in rows]
        print(f"  {'subtotal':<{item - 2}}" + "".join(f"{'':>{quantity}} {t:>{cost},.2f}" for t in totals[group]))
    grand = [sum(t[i] for t in totals.values()) for i in range(len(bases))]
    print(f"\n{'total':<{item}}" + "".join(f"{'':>{quantity}} {t:>{cost},.2f}" for t in grand))
    print(f"{'per booking':<{item}}" + "".join(f"{'':>{quantity}} {t / b.bookings:>{cost}.4f}"
                                               for t, b in zip(grand, bases, strict=True)))
    print(f"{'per business':<{item}}" + "".join(f"{'':>{quantity}} {t / b.businesses:>{cost},.2f}"
                                                for t, b in zip(grand, bases, strict=True)))
    return totals


def _print_summary(bases: tuple[TenantBase, ...], estimates: list[list[Line]], totals: dict[str, list[float]]) -> None:
    """Each group's share, the lines that dominate, and how each group grew from the small base to the large."""
    print()
    for i, base in enumerate(bases):
        total = sum(t[i] for t in totals.values())
        shares = ", ".join(f"{group} {t[i] / total:.0%}" for group, t in totals.items())
        top = sorted(estimates[i], key=lambda line: -line.cost)[:4]
        print(f"{base.name}: {shares}")
        print("\n".join(_wrapped([f"{line.item} {line.cost / total:.0%}" for line in top], "  dominant:", "    ")))
    ratio = bases[-1].bookings / bases[0].bookings
    grew = ", ".join(f"{group} x{t[-1] / t[0]:,.1f}" for group, t in totals.items() if t[0])
    print(f"from {bases[0].name} to {bases[-1].name} ({ratio:,.0f}x the bookings, "
          f"{bases[-1].businesses / bases[0].businesses:,.0f}x the businesses): {grew}")


def _print_notes(infra: Infra, bases: tuple[TenantBase, ...]) -> None:
    """The assumed traffic per booking, where the large base strains what the templates size, and what is
    left out."""
    one = usage(TenantBase("one", 1, 1, 0))
    print(f"\nper booking, as assumed: {one.public_requests:g} public + {one.staff_requests:g} staff + "
          f"{one.webhook_requests:.2f} webhook API requests, {one.staff_requests * AUTHORIZER_MISS_SHARE:g} authorizer "
          f"runs, {one.queue_messages:.2f} queue messages,\n  {one.emails:.2f} e-mails, {one.whatsapp_messages:.2f} "
          f"WhatsApp messages, {one.google_writes:.2f} Google Calendar writes")
    for base in bases:
        use = usage(base)
        line = f"{base.name}: {use.api_requests / SECONDS:.2f} API requests a second on average"
        if any(f.name == "calendar_sync" for f in infra.functions) and \
                use.google_connections * CALENDAR_SYNC_MS_PER_CONNECTION / 1000 > CALENDAR_BUDGET_S:
            line += (f"; calendar_sync gets through ~{CALENDAR_BUDGET_S * 1000 / CALENDAR_SYNC_MS_PER_CONNECTION:.0f} "
                     f"of {use.google_connections:,.0f} connections a run ({CALENDAR_BUDGET_S:.0f} s budget)")
        held = base.bookings * DB_MONTHS_HELD * DB_KB_PER_BOOKING / 1024 ** 2
        for db in infra.databases:
            if db.max_storage_gb and held > db.max_storage_gb:
                line += f"; a year of bookings ({held:,.0f} GB) outgrows the DB's {db.max_storage_gb} GB cap"
        print(line)
    print("The database is priced as the templates size it: the large base's load would likely need a bigger "
          "instance class\n(infra/stages.json), which this estimate does not assume.")
    unknown = sorted(t for t in infra.types if t not in PRICED | NO_CHARGE and not t.startswith("Custom::"))
    if infra.intrinsic:
        print("\n".join(_wrapped([f"{key} x{n}" for key, n in sorted(infra.intrinsic.items())],
                                "given by intrinsic functions, so read as their defaults (check them):", "  ")))
    if unknown:
        print("\n".join(_wrapped([f"{t} x{infra.types[t]}" for t in unknown],
                                "resource types not priced here (check them):", "  ")))
    print("Left out: WhatsApp (Meta) and Stripe fees, not AWS; free tiers; RDS backups beyond the DB's size; t4g CPU "
          "credits past\nthe baseline; data between AZs; KMS, S3 and SNS requests; dashboards' GetMetricData: "
          "cents at these sizes.")


def main() -> None:
    stage = stage_name()
    templates = load_templates(stage)
    infra = read_infra(templates)
    shown = assembly(stage).relative_to(ROOT) if assembly(stage).is_relative_to(ROOT) else assembly(stage)
    print(f"AWS cost a month of stage {stage}, from the {len(templates)} templates in {shown}:\n"
          f"eu-west-1 list prices as of {PRICES_AS_OF}, USD, free tiers left out\n")
    print(_infra_summary(infra) + "\n")
    estimates = [estimate(infra, base) for base in TENANT_BASES]
    totals = _print_table(TENANT_BASES, estimates)
    _print_summary(TENANT_BASES, estimates, totals)
    _print_notes(infra, TENANT_BASES)


if __name__ == "__main__":
    main()
