"""The Chalice application inside CDK: Chalice's own construct packages app.py (`chalice package`, SAM)
and this stack feeds it the other stacks' resources, gives each function its own role and log group,
answers API Gateway's own refusals in our error shape, and migrates the database on every deploy."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import custom_resources as cr
from chalice import api
from chalice.cdk import Chalice
from constructs import Construct

from booking_infra import access
from booking_infra.bytecode import add_bytecode
from booking_infra.data import DataStack
from booking_infra.messaging import MessagingStack
from booking_infra.network import NetworkStack
from booking_infra.secrets import SecretsStack
from booking_infra.stage import Stage
from booking_infra.storage import uploads_bucket_name
from chalicelib.core.migrations import available as migration_files
from chalicelib.events.outbox import WORKER_TIMEOUT_S

PROJECT_ROOT = Path(__file__).resolve().parents[2]
APP_NAME = "booking"
API_STAGE = "api"
# Chalice asks for a role when it does not manage them; each function's Role is replaced with its own below.
_NO_ROLE = "arn:aws:iam::000000000000:role/replaced-per-function"
# The authorizer answers within its 5 s and keeps no connection: it runs outside the VPC (no ENI, no NAT).
_OUTSIDE_VPC = ("jwt_auth",)
# Timeouts the stacks set, over .chalice/config.json's: the worker's, which the queue's visibility timeout is
# derived from (messaging.py); the migrations', which hold a transaction for as long as they take and so
# bound a deploy.
_TIMEOUTS_S = {"notification_worker": WORKER_TIMEOUT_S, "migrate": 600}
# In the VPC, the functions that call a third party with no VPC endpoint (Stripe, Google, Meta) through the
# NAT; the others reach the endpoints and the proxy alone (README, "Who reaches the internet").
_THROUGH_NAT = ("api_handler", "notification_worker", "billing_sweep", "calendar_sync")


class ChaliceApp(Chalice):
    """Chalice's construct with two changes: the Chalice stage is ours (the construct would take its
    scope's path), and the package ships bytecode compiled for the runtime, so a cold start does not
    compile what it imports on Lambda's read-only file system."""

    def __init__(self, scope: Construct, construct_id: str, *, stage: str, stage_config: dict[str, Any]) -> None:
        self._chalice_stage = stage
        super().__init__(scope, construct_id, source_dir=str(PROJECT_ROOT), stage_config=stage_config)

    def _package_app(self) -> None:
        api.package_app(project_dir=self.source_dir, output_dir=self._sam_package_dir, stage=self._chalice_stage,
                        chalice_config=self.stage_config)
        add_bytecode(Path(self._sam_package_dir) / "deployment.zip")

    def functions(self) -> dict[str, tuple[str, int]]:
        """Each function's Chalice name -> its logical id in the template and its timeout (``app.app`` is
        the REST API's handler)."""
        template = json.loads((Path(self._sam_package_dir) / "sam.json").read_text())
        found = {}
        for logical_id, resource in template["Resources"].items():
            if resource["Type"] == "AWS::Serverless::Function":
                handler = resource["Properties"]["Handler"].rsplit(".", 1)[1]
                found["api_handler" if handler == "app" else handler] = (logical_id, resource["Properties"]["Timeout"])
        return found


def function_name(stage: Stage, function: str) -> str:
    """The name `chalice deploy` gives it too, so a stage reads the same whichever tool deployed it."""
    return f"{APP_NAME}-{stage.name}" if function == "api_handler" else f"{APP_NAME}-{stage.name}-{function}"


def _migrations_digest() -> str:
    """Changes with the migration files, so a deploy that adds one updates (and so runs) the migrations."""
    return hashlib.sha256("".join(m.checksum for m in migration_files()).encode()).hexdigest()


class AppStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, *, stage: Stage, network: NetworkStack, data: DataStack,
                 messaging: MessagingStack, secrets: SecretsStack, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.stage = stage
        self.api_stage = API_STAGE
        self._internal_sg = network.internal_sg
        subnets = network.vpc.select_subnets(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS).subnet_ids
        self.chalice = ChaliceApp(self, "Chalice", stage=stage.name, stage_config={
            "manage_iam_role": False,
            "iam_role_arn": _NO_ROLE,
            "subnet_ids": subnets,
            "security_group_ids": [network.functions_sg.security_group_id],
            "xray": stage.production,
            "environment_variables": self._environment(stage, data, messaging, secrets),
        })
        resources = self._resources(stage, data, messaging, secrets)
        self.function_names: dict[str, str] = {}
        self.timeouts: dict[str, int] = {}
        packaged = self.chalice.functions()
        functions = {function: self._wire(function, self.chalice.get_resource(logical_id), timeout_s, resources)
                     for function, (logical_id, timeout_s) in packaged.items()}
        # Resolved by CloudFormation at deploy (a dynamic reference), as CloudFront's copy is: the API trusts
        # the viewer address CloudFront adds only beside it.
        functions["api_handler"].add_property_override("Environment.Variables.EDGE_SECRET",
                                                       secrets.edge.secret_value.unsafe_unwrap())
        self.rest_api = self.chalice.get_resource("RestAPI")
        self.rest_api_id = self.rest_api.ref
        # Its own name per stage: API Gateway's metrics are keyed by name, and two stages may share an account.
        self.api_name = function_name(stage, "api_handler")
        self.rest_api.add_property_override("Name", self.api_name)
        self._throttle()
        self._gateway_responses()
        migrations = self._migrations(functions["migrate"], self.chalice.get_function(packaged["migrate"][0]), data)
        for function, cfn in functions.items():
            if function != "migrate":
                cfn.node.add_dependency(migrations)  # new code goes live on a migrated schema
        data.rotate_app_secret(self, after=migrations)
        cdk.CfnOutput(self, "ApiUrl", value=f"https://{self.rest_api_id}.execute-api.{self.region}.{self.url_suffix}/"
                                            f"{API_STAGE}/")

    @staticmethod
    def _environment(stage: Stage, data: DataStack, messaging: MessagingStack,
                     secrets: SecretsStack) -> dict[str, str]:
        """What the other stacks made, as settings (chalicelib/core/settings.py) name it; the rest of a
        stage's settings (backends, prices) stay in .chalice/config.json."""
        return {
            "DB_SECRET_ARN": data.app_secret.secret_arn,
            "DB_HOST": data.proxy_endpoint,
            "DB_NAME": data.db_name,
            "JWT_SECRET_ARN": secrets.jwt.secret_arn,
            "WHATSAPP_SECRET_ARN": secrets.whatsapp.secret_arn,
            "STRIPE_SECRET_ARN": secrets.stripe.secret_arn,
            "GOOGLE_SECRET_ARN": secrets.google.secret_arn,
            # Literal names: app.py reads the queue's name when Chalice packages it (its event source).
            "NOTIFICATIONS_QUEUE": messaging.queue_name,
            "NOTIFICATIONS_DLQ": messaging.dlq_name,
            "UPLOADS_BUCKET": uploads_bucket_name(stage),
            "EMAIL_FROM": stage.email_from,
            "APP_BASE_URL": stage.app_url,
            "CORS_ALLOW_ORIGIN": stage.app_url,
            "GOOGLE_REDIRECT_URI": f"{stage.api_url}/calendar/google/callback",
            "GOOGLE_PUSH_ADDRESS": f"{stage.api_url}/calendar/google/notifications",
        }

    def _resources(self, stage: Stage, data: DataStack, messaging: MessagingStack,
                   secrets: SecretsStack) -> access.Resources:
        arn = f"arn:{self.partition}"
        return access.Resources(
            db_secret=data.app_secret.secret_arn,
            db_owner_secret=data.owner_secret.secret_arn,
            jwt_secret=secrets.jwt.secret_arn,
            whatsapp_secret=secrets.whatsapp.secret_arn,
            # Each business's token, written by the API (chalicelib/integrations/whatsapp.py names them).
            whatsapp_tokens=f"{arn}:secretsmanager:{self.region}:{self.account}:secret:booking/{stage.name}/whatsapp/*",
            stripe_secret=secrets.stripe.secret_arn,
            google_secret=secrets.google.secret_arn,
            uploads=f"{arn}:s3:::{uploads_bucket_name(stage)}/businesses/*",
            queue=messaging.queue.queue_arn,
            dlq=messaging.dlq.queue_arn,
            mail_identity=f"{arn}:ses:{self.region}:{self.account}:identity/{stage.mail_domain}",
        )

    def _wire(self, function: str, cfn: cdk.CfnResource, timeout_s: int,
              resources: access.Resources) -> cdk.CfnResource:
        """``function``'s own name, log group (with the stage's retention), role and timeout."""
        name = function_name(self.stage, function)
        group = logs.LogGroup(self, f"{function}-logs", log_group_name=f"/aws/lambda/{name}",
                              retention=self.stage.log_retention,
                              removal_policy=cdk.RemovalPolicy.RETAIN if self.stage.production
                              else cdk.RemovalPolicy.DESTROY)
        role = iam.Role(self, f"{function}-role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                        description=f"{name}: only what its code calls",
                        inline_policies={"calls": access.policy(
                            function, resources, log_group_arn=group.log_group_arn,
                            in_vpc=function not in _OUTSIDE_VPC, traced=self.stage.production)})
        self._acknowledge_wildcards(role, function)
        cfn.add_property_override("FunctionName", name)
        cfn.add_property_override("Role", role.role_arn)
        if function in _OUTSIDE_VPC:
            cfn.add_property_deletion_override("VpcConfig")
        elif function not in _THROUGH_NAT:
            cfn.add_property_override("VpcConfig.SecurityGroupIds", [self._internal_sg.security_group_id])
        if function in _TIMEOUTS_S:
            cfn.add_property_override("Timeout", _TIMEOUTS_S[function])
        cfn.node.add_dependency(group)
        self.function_names[function] = name
        self.timeouts[function] = _TIMEOUTS_S.get(function, timeout_s)
        return cfn

    def _acknowledge_wildcards(self, role: iam.Role, function: str) -> None:
        """cdk-nag's IAM5 findings on a function's role, each with why no narrower resource exists."""
        prefix = f"arn:<AWS::Partition>:{{}}:{self.stage.region}:<AWS::AccountId>:"
        reasons = {
            "*": "Only actions with no resource-level permissions: the network interfaces Lambda creates for "
                 "a function in the VPC (they do not exist before), and X-Ray's trace segments.",
            prefix.format("secretsmanager") + f"secret:booking/{self.stage.name}/whatsapp/*":
                "Each business's WhatsApp token is its own secret, created by the API when the business "
                "connects, under this stage's prefix.",
        }
        if function == "api_handler":
            bucket = uploads_bucket_name(self.stage).replace(cdk.Aws.ACCOUNT_ID, "<AWS::AccountId>")
            reasons[f"arn:<AWS::Partition>:s3:::{bucket}/businesses/*"] = (
                "Uploads are presigned per key under businesses/<id>/ when the business uploads them.")
        for resource, reason in reasons.items():
            cdk.Validations.of(role).acknowledge(cdk.Acknowledgment(id=f"AwsSolutions-IAM5[Resource::{resource}]",
                                                                    reason=reason))

    def _throttle(self) -> None:
        """A ceiling per stage (API Gateway answers 429 past it, in our error shape): the app's own limits
        are per caller; this one keeps a flood from reaching Lambda's concurrency and the database."""
        self.rest_api.add_property_override("MethodSettings", [{
            "ResourcePath": "/*", "HttpMethod": "*",
            "ThrottlingRateLimit": 500 if self.stage.production else 50,
            "ThrottlingBurstLimit": 1000 if self.stage.production else 100,
        }])
        if self.stage.production:
            self.rest_api.add_property_override("TracingEnabled", True)

    def _gateway_responses(self) -> None:
        """API Gateway's own answers (no token, a refused token, throttling, a route it does not know, its
        timeouts) in the one error shape the app writes (chalicelib/core/http.py), with the CORS header so
        the browser can read them. Written into the API's definition (its OpenAPI extension), not as
        separate resources: a gateway response is live only in a deployment, and SAM redeploys the stage
        when the definition changes."""
        answers = {
            "UNAUTHORIZED": ("401", "unauthorized", "Authentication is required."),
            "ACCESS_DENIED": ("403", "forbidden", "You are not allowed to do this."),
            "AUTHORIZER_FAILURE": ("503", "unavailable", "The service is temporarily unavailable."),
            "AUTHORIZER_CONFIGURATION_ERROR": ("503", "unavailable", "The service is temporarily unavailable."),
            "THROTTLED": ("429", "rate_limited", "Too many requests; try again later."),
            "QUOTA_EXCEEDED": ("429", "rate_limited", "Too many requests; try again later."),
            "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found", "Not found."),
            "RESOURCE_NOT_FOUND": ("404", "not_found", "Not found."),
            "REQUEST_TOO_LARGE": ("413", "payload_too_large", "The request body is too large."),
            "INTEGRATION_TIMEOUT": ("504", "unavailable", "The service took too long to answer; try again."),
            "DEFAULT_4XX": (None, "bad_request", "The request could not be read."),
            "DEFAULT_5XX": (None, "internal_error", "An internal error occurred."),
        }
        headers = {"gatewayresponse.header.Access-Control-Allow-Origin": f"'{self.stage.app_url}'",
                   "gatewayresponse.header.Content-Type": "'application/json'"}
        responses = {}
        for kind, (status, code, message) in answers.items():
            body = json.dumps({"error": {"code": code, "message": message, "details": {}}})
            responses[kind] = {"responseParameters": headers, "responseTemplates": {"application/json": body},
                               **({"statusCode": status} if status else {})}
        self.rest_api.add_property_override("DefinitionBody.x-amazon-apigateway-gateway-responses", responses)

    def _migrations(self, migrate: cdk.CfnResource, handler: lambda_.IFunction,
                    data: DataStack) -> cdk.CustomResource:
        """The migrations, run by the ``migrate`` function through CDK's provider (which answers
        CloudFormation), on every deploy whose migration files changed."""
        migrate.add_property_override("Environment.Variables.DB_OWNER_SECRET_ARN", data.owner_secret.secret_arn)
        provider_logs = logs.LogGroup(self, "MigrationsProviderLogs", retention=self.stage.log_retention,
                                      removal_policy=cdk.RemovalPolicy.DESTROY)
        provider = cr.Provider(self, "MigrationsProvider", on_event_handler=handler, log_group=provider_logs)
        for rule, reason in (
                ("AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                 "AWSLambdaBasicExecutionRole]", "CDK's custom-resource provider: its framework function's role "
                                                 "uses AWSLambdaBasicExecutionRole for its own logs."),
                ("AwsSolutions-IAM5[Resource::<Migrate.Arn>:*]", "CDK's provider may invoke the migrate "
                                                                  "function's versions (<arn>:*); nothing else."),
                ("AwsSolutions-L1", "The provider framework's runtime is chosen by CDK's release.")):
            cdk.Validations.of(provider).acknowledge(cdk.Acknowledgment(id=rule, reason=reason))
        return cdk.CustomResource(self, "Migrations", service_token=provider.service_token,
                                  resource_type="Custom::Migrations", properties={"Files": _migrations_digest()})
