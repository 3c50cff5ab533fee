"""Storage and web: the uploads bucket, the web app's bucket, and the CloudFront distribution that serves
both and routes ``/api/*`` to API Gateway, so the app, its API and uploaded images share one origin.

Deployed after the App stack: CloudFront needs the REST API's id. The App stack needs the uploads bucket's
name before this stack exists, so that name is derived from the stage (``uploads_bucket_name``) rather than
exported from here."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_cdk import (Acknowledgment, Aws, CfnOutput, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token,
                     Validations)
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from booking_infra.stage import Stage

# Uploaded files live under these keys (chalicelib: business/service.py, staff/service.py); the web app
# reads them back as `mediaBaseUrl + "/" + key`, with mediaBaseUrl the app's own origin.
UPLOADS_PREFIX = "businesses"

# A path whose last segment has no dot is one of the app's routes (/book/some-salon,
# /account/google-callback), not a file: serve index.html and let the router read the path. Done at the
# viewer request of the web app's behaviour alone: a distribution-wide error response would also turn the
# API's 404s and the uploads' 403s into index.html with a 200.
SPA_ROUTES = """\
function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf("/") + 1);
  if (last.indexOf(".") === -1) {
    request.uri = "/index.html";
  }
  return request;
}
"""


# On the API's behaviour: the viewer's address as CloudFront saw it, which API Gateway cannot tell (its
# source address is CloudFront's). It replaces any header of that name the viewer sent.
VIEWER_ADDRESS = """\
function handler(event) {
  var request = event.request;
  request.headers["x-viewer-address"] = { value: event.viewer.ip };
  return request;
}
"""
# The origin header that proves a request came through the distribution (chalicelib/core/rate_limit.py);
# CloudFront replaces a viewer's header of the same name with it.
EDGE_SECRET_HEADER = "x-origin-verify"


def uploads_bucket_name(stage: Stage) -> str:
    """The uploads bucket's name, known before the bucket exists: the App stack, deployed first, grants
    on it and hands it to the functions. Bucket names are global, hence the account."""
    return f"{stage.name_of('uploads')}-{Aws.ACCOUNT_ID}"


def _csp(uploads: s3.IBucket, stage: Stage) -> str:
    """What index.html and Vite's output need, and no more: no inline script or style (React's style
    props go through the CSSOM, which CSP does not govern), images from the app's origin plus data: (the
    stylesheet's icons) and blob: (the QR code drawn to PNG). Uploads POST straight to the bucket at the
    address boto3 presigns (the global endpoint) or the regional one S3 may redirect a new bucket to."""
    bucket = uploads.bucket_name
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        f"connect-src 'self' https://{bucket}.s3.amazonaws.com https://{bucket}.s3.{stage.region}.amazonaws.com",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class StorageStack(Stack):
    """``.uploads`` (logos and photos), ``.site`` (the built web app), ``.distribution`` (what the
    stage's domain points at), ``.access_logs`` (CloudFront's and S3's access logs)."""

    def __init__(self, scope: Construct, construct_id: str, *, stage: Stage, rest_api_id: str, web_dist: Path,
                 edge_secret: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # S3 delivers access logs under a bucket policy here, not the log-delivery ACL CDK would otherwise
        # have CloudFormation set: that canned ACL, applied again, would drop CloudFront's own grant.
        self.node.set_context("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", True)
        self.access_logs = self._log_bucket(stage)
        self.uploads = self._uploads_bucket(stage)
        self.site = s3.Bucket(
            self, "Site",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="s3/site/",
            # Nothing here but the build's output, which the next deploy writes again.
            removal_policy=RemovalPolicy.DESTROY,
            auto_delete_objects=True,
        )
        self.distribution = self._distribution(stage, rest_api_id, edge_secret)
        self._deploy_web_app(stage, web_dist)

        CfnOutput(self, "DistributionDomainName", value=self.distribution.distribution_domain_name,
                  description=f"Point {stage.domain} at this (CNAME, or a Route 53 alias).")
        CfnOutput(self, "DistributionId", value=self.distribution.distribution_id)

    def _log_bucket(self, stage: Stage) -> s3.Bucket:
        """CloudFront's and S3's access logs: who fetched or uploaded what, for an incident's questions."""
        return s3.Bucket(
            self, "AccessLogs",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            # CloudFront's standard logging writes through an ACL grant to its log-delivery account,
            # which a bucket whose owner enforces ownership refuses.
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            lifecycle_rules=[s3.LifecycleRule(expiration=Duration.days(stage.log_retention_days))],
            removal_policy=RemovalPolicy.RETAIN if stage.production else RemovalPolicy.DESTROY,
            auto_delete_objects=not stage.production,
        )

    def _uploads_bucket(self, stage: Stage) -> s3.Bucket:
        """Logos and staff photos, written only by presigned POSTs from the browser and read only
        through CloudFront."""
        return s3.Bucket(
            self, "Uploads",
            bucket_name=uploads_bucket_name(stage),
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            # The browser POSTs the form to the bucket's own address, cross-origin, and reads the
            # answer's status. Reads go through CloudFront on the app's origin and need no CORS.
            cors=[s3.CorsRule(allowed_methods=[s3.HttpMethods.POST], allowed_origins=[stage.app_url])],
            lifecycle_rules=[s3.LifecycleRule(abort_incomplete_multipart_upload_after=Duration.days(1))],
            # Not versioned: every upload gets a new key, so there is no overwrite to undo. (Nothing deletes
            # a replaced logo or photo yet: the README's "Deploying" says so.)
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix="s3/uploads/",
            # Prod keeps customers' files even if the stack goes. Another stage can be torn down and made
            # again: the name is fixed, so a retained bucket would block the next create.
            removal_policy=RemovalPolicy.RETAIN if stage.production else RemovalPolicy.DESTROY,
            auto_delete_objects=not stage.production,
        )

    def _distribution(self, stage: Stage, rest_api_id: str, edge_secret: str) -> cloudfront.Distribution:
        """The stage's one origin: the web app by default, ``/api/*`` to API Gateway, ``/businesses/*``
        to the uploads; every answer with the same security headers."""
        headers = cloudfront.ResponseHeadersPolicy(
            self, "SecurityHeaders",
            comment=f"{stage.name_of('web')} security headers",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(365), override=True),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True),
                # Pages carry one-time tokens in their query (reset, verify, invite): other sites see
                # our origin at most.
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                    override=True),
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=_csp(self.uploads, stage), override=True),
            ),
        )
        spa_routes = cloudfront.Function(
            self, "SpaRoutes",
            comment="App routes (no file extension) are served index.html",
            runtime=cloudfront.FunctionRuntime.JS_2_0,
            code=cloudfront.FunctionCode.from_inline(SPA_ROUTES),
        )
        viewer_address = cloudfront.Function(
            self, "ViewerAddress",
            comment="The viewer's address, for the API's per-address limits",
            runtime=cloudfront.FunctionRuntime.JS_2_0,
            code=cloudfront.FunctionCode.from_inline(VIEWER_ADDRESS),
        )
        api = origins.HttpOrigin(
            # Chalice names its API Gateway stage `api`: /api/... is the stage's path as it is.
            f"{rest_api_id}.execute-api.{stage.region}.{Aws.URL_SUFFIX}",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            custom_headers={EDGE_SECRET_HEADER: edge_secret},
        )
        distribution = cloudfront.Distribution(
            self, "Distribution",
            comment=stage.name_of("web"),
            domain_names=[stage.domain],
            certificate=acm.Certificate.from_certificate_arn(self, "Certificate", stage.certificate_arn),
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            default_root_object="index.html",
            enable_logging=True,
            log_bucket=self.access_logs,
            log_file_prefix="cloudfront/",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.site),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=headers,
                function_associations=[cloudfront.FunctionAssociation(
                    function=spa_routes, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST)],
            ),
            additional_behaviors={
                "/api/*": cloudfront.BehaviorOptions(
                    origin=api,
                    # A redirect would turn a POST into a GET.
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                    allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                    cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                    # Authorization, Idempotency-Key and the query reach the API; the Host header would
                    # not match API Gateway's own name.
                    origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                    response_headers_policy=headers,
                    function_associations=[cloudfront.FunctionAssociation(
                        function=viewer_address, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST)],
                ),
                f"/{UPLOADS_PREFIX}/*": cloudfront.BehaviorOptions(
                    origin=origins.S3BucketOrigin.with_origin_access_control(self.uploads),
                    viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                    # Every upload has a new key, so a cached copy is never stale.
                    cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                    response_headers_policy=headers,
                ),
            },
        )
        Validations.of(distribution).acknowledge(
            Acknowledgment(id="AwsSolutions-CFR1", reason="No geo restriction: businesses anywhere take "
                           "bookings from customers wherever they are."),
            Acknowledgment(id="AwsSolutions-CFR2", reason="No WAF: a web ACL for CloudFront must live in "
                           "us-east-1 (this stack is in the stage's region) and costs a fixed monthly fee; "
                           "the API limits rates per caller itself (chalicelib/core/rate_limit.py)."),
        )
        return distribution

    def _deploy_web_app(self, stage: Stage, web_dist: Path) -> None:
        """The built app into the site bucket: hashed assets first, kept for a year in caches, then the
        files whose names never change (index.html, config.json), revalidated on every load."""
        log_group = logs.LogGroup(self, "WebDeployLogs", retention=stage.log_retention,
                                  removal_policy=RemovalPolicy.DESTROY)
        assets = s3deploy.BucketDeployment(
            self, "WebAssets",
            destination_bucket=self.site,
            destination_key_prefix="assets/",
            # Source maps are for the build's own checks; nothing in production reads them.
            sources=[s3deploy.Source.asset(str(web_dist / "assets"), exclude=["*.map"])],
            cache_control=[s3deploy.CacheControl.set_public(), s3deploy.CacheControl.max_age(Duration.days(365)),
                           s3deploy.CacheControl.immutable()],
            # Never pruned: a tab opened before a deploy still lazy-loads the chunks its index.html named.
            prune=False,
            # Otherwise the handler answers CloudFormation with every key it wrote, and a custom resource's
            # answer holds 4 KB: the build has over a hundred files already. Nothing here reads them.
            output_object_keys=False,
            log_group=log_group,
        )
        shell = s3deploy.BucketDeployment(
            self, "WebShell",
            destination_bucket=self.site,
            sources=[
                # web/dist's config.json is web/public's local one (127.0.0.1); .vite holds the manifest.
                s3deploy.Source.asset(str(web_dist), exclude=["assets", ".vite", "config.json"]),
                s3deploy.Source.json_data("config.json", {"apiBaseUrl": stage.api_url,
                                                          "mediaBaseUrl": stage.app_url}),
            ],
            # No invalidation needed: CloudFront keeps a no-cache answer for the cache policy's minimum TTL
            # (1 s) and browsers revalidate it. (CDK's invalidation would grant cloudfront:CreateInvalidation
            # on every distribution, where this one would do.)
            cache_control=[s3deploy.CacheControl.no_cache()],
            # Not pruned either: pruning at the bucket's root would delete assets/.
            prune=False,
            output_object_keys=False,
            log_group=log_group,
        )
        # index.html names the new assets: it goes live only once they are there.
        shell.node.add_dependency(assets)
        # Both deployments share one handler (a singleton function, parent of their role).
        self._acknowledge_deploy_handler(assets.handler_role.node.scope)

    def _acknowledge_deploy_handler(self, handler: Construct) -> None:
        """CDK's own BucketDeployment handler: its runtime, managed policy and grants are CDK's to choose
        (it takes no narrower ones); it runs only while CloudFormation deploys this stack."""
        region = "<AWS::Region>" if Token.is_unresolved(self.region) else self.region
        staging = f"cdk-{DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-{region}"
        why_s3 = ("CDK's BucketDeployment grants: read the build's zips in the CDK staging bucket, and "
                  "sync them into the site bucket (get, list, put, delete objects; abort uploads).")
        Validations.of(handler).acknowledge(
            Acknowledgment(id="AwsSolutions-L1", reason="CDK pins the runtime of its BucketDeployment "
                           "handler; it moves with aws-cdk-lib upgrades."),
            Acknowledgment(id="AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                           "AWSLambdaBasicExecutionRole]",
                           reason="CDK's BucketDeployment handler: the basic execution policy grants "
                           "CloudWatch Logs writes and nothing else."),
            *(Acknowledgment(id=f"AwsSolutions-IAM5[{finding}]", reason=why_s3) for finding in (
                "Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*",
                "Action::s3:DeleteObject*", "Action::s3:Abort*",
                f"Resource::arn:<AWS::Partition>:s3:::{staging}/*",
                f"Resource::<{self.get_logical_id(self.site.node.default_child)}.Arn>/*")),
        )
