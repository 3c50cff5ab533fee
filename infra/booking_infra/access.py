"""What each Lambda function may call, on which of its stage's resources: the statements of the one role
each function gets. Read from the code, as `tests/core/test_iam_policies.py` states it (its ``USES``),
which checks the synthesised roles against that statement: these grants may not exceed it."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import aws_iam as iam

_LOGS = ("logs:CreateLogStream", "logs:PutLogEvents")
# What Lambda does with the role of a function in a VPC (AWSLambdaVPCAccessExecutionRole's actions): the
# interfaces do not exist before Lambda makes them, so there is no narrower resource to name.
VPC_ACTIONS = ("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
               "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses")
# X-Ray takes no resource-level permissions.
XRAY_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords")

_READ = "secretsmanager:GetSecretValue"
# Per function: action -> the kinds of resource (fields of Resources) it is called on.
GRANTS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "api_handler": {
        _READ: ("db_secret", "jwt_secret", "whatsapp_secret", "whatsapp_tokens", "stripe_secret", "google_secret"),
        "secretsmanager:CreateSecret": ("whatsapp_tokens",),
        "secretsmanager:PutSecretValue": ("whatsapp_tokens",),
        "s3:PutObject": ("uploads",),
        "sqs:GetQueueUrl": ("queue", "dlq"),
        "sqs:SendMessage": ("queue",),
        "sqs:ReceiveMessage": ("dlq",),
        "sqs:DeleteMessage": ("dlq",),
    },
    "jwt_auth": {_READ: ("jwt_secret",)},
    "notification_worker": {
        _READ: ("db_secret", "jwt_secret", "whatsapp_tokens", "google_secret"),
        "ses:SendEmail": ("mail_identity",),
        "ses:SendRawEmail": ("mail_identity",),
        "sqs:ReceiveMessage": ("queue",),
        "sqs:DeleteMessage": ("queue",),
        "sqs:GetQueueAttributes": ("queue",),
    },
    "outbox_sweep": {
        _READ: ("db_secret",),
        "sqs:GetQueueUrl": ("queue", "dlq"),
        "sqs:SendMessage": ("queue",),
        "sqs:ReceiveMessage": ("dlq",),
        "sqs:DeleteMessage": ("dlq",),
    },
    "reminder_sweep": {_READ: ("db_secret",), "sqs:GetQueueUrl": ("queue",), "sqs:SendMessage": ("queue",)},
    "retention_sweep": {_READ: ("db_secret",)},
    "billing_sweep": {_READ: ("db_secret", "stripe_secret"), "sqs:GetQueueUrl": ("queue",),
                      "sqs:SendMessage": ("queue",)},
    "calendar_sync": {_READ: ("db_secret", "google_secret"), "sqs:GetQueueUrl": ("queue",),
                      "sqs:SendMessage": ("queue",)},
    # The deploy's migrations: the owner's credentials, and the application's to create its login.
    "migrate": {_READ: ("db_owner_secret", "db_secret")},
}


@dataclass(frozen=True)
class Resources:
    """A stage's resources as IAM names them (ARNs, tokens until deploy)."""
    db_secret: str
    db_owner_secret: str
    jwt_secret: str
    whatsapp_secret: str
    whatsapp_tokens: str
    stripe_secret: str
    google_secret: str
    uploads: str
    queue: str
    dlq: str
    mail_identity: str


def policy(function: str, resources: Resources, *, log_group_arn: str, in_vpc: bool,
           traced: bool) -> iam.PolicyDocument:
    """The one policy of ``function``'s role: its calls, its own log group, and what Lambda needs for a
    function in a VPC or traced by X-Ray."""
    statements = [iam.PolicyStatement(actions=[action], resources=[getattr(resources, kind) for kind in kinds])
                  for action, kinds in GRANTS[function].items()]
    # A log group's ARN, as CloudFormation gives it, ends in ":*": its streams.
    statements.append(iam.PolicyStatement(actions=list(_LOGS), resources=[log_group_arn]))
    if in_vpc:
        statements.append(iam.PolicyStatement(actions=list(VPC_ACTIONS), resources=["*"]))
    if traced:
        statements.append(iam.PolicyStatement(actions=list(XRAY_ACTIONS), resources=["*"]))
    return iam.PolicyDocument(statements=statements)
