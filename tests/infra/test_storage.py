"""The storage and web stack, synthesised once for prod from a stand-in build of the web app: uploads
stay private and take POSTs from the app's origin only, CloudFront serves the app, its API and the uploads
on one origin without turning the API's errors into index.html, and the deployed config.json names the
stage's URLs (never the local one in web/dist). cdk-nag's AWS Solutions checks run in the same synth."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template
from cdk_nag import AwsSolutionsChecks

from booking_infra.stage import Stage
from booking_infra.storage import EDGE_SECRET_HEADER, SPA_ROUTES, VIEWER_ADDRESS, StorageStack, uploads_bucket_name

REST_API_ID = "a1b2c3d4e5"
EDGE_SECRET = "{{resolve:secretsmanager:booking-prod-edge}}"
LOCAL_CONFIG = {"apiBaseUrl": "http://127.0.0.1:8000", "mediaBaseUrl": "http://127.0.0.1:9000/booking-uploads-local"}
# CloudFront's managed policies, by the ids CloudFormation names them with.
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


class Synthesised:
    """One synthesised stack: its template (as JSON, and as an assertions Template) and its assembly's
    directory, which holds the staged copies of what the deployments upload."""

    def __init__(self, stage: Stage, stack: StorageStack, outdir: Path) -> None:
        self.stage = stage
        self.stack = stack
        self.outdir = outdir
        self.json = json.loads((outdir / f"{stack.artifact_id}.template.json").read_text())
        self.template = Template.from_json(self.json)

    def logical_id(self, type_: str, prefix: str = "") -> str:
        """The one resource of ``type_`` whose logical id starts with its construct id ``prefix``."""
        (found,) = [name for name in self.resources(type_) if name.startswith(prefix)]
        return found

    def resource(self, type_: str, prefix: str = "") -> dict:
        return self.json["Resources"][self.logical_id(type_, prefix)]

    def resources(self, type_: str) -> dict[str, dict]:
        return {name: r for name, r in self.json["Resources"].items() if r["Type"] == type_}

    def properties(self, type_: str, prefix: str = "") -> dict:
        return self.resource(type_, prefix)["Properties"]

    @property
    def distribution(self) -> dict:
        return self.properties("AWS::CloudFront::Distribution")["DistributionConfig"]

    def behaviour(self, path: str) -> dict:
        (found,) = [b for b in self.distribution["CacheBehaviors"] if b["PathPattern"] == path]
        return found

    def origin(self, behaviour: dict) -> dict:
        (found,) = [o for o in self.distribution["Origins"] if o["Id"] == behaviour["TargetOriginId"]]
        return found

    def deployed_files(self, deployment: str) -> list[tuple[str, str]]:
        """What a BucketDeployment uploads: every file of each of its sources (the staged copies of the
        zips it unpacks), as (key, content); a key twice would be two sources racing for one object."""
        assets = json.loads((self.outdir / f"{self.stack.artifact_id}.assets.json").read_text())["files"]
        staged = {destination["objectKey"]: asset["source"]["path"]
                  for asset in assets.values() for destination in asset["destinations"].values()}
        files = []
        for key in self.properties("Custom::CDKBucketDeployment", deployment)["SourceObjectKeys"]:
            root = self.outdir / staged[key]
            files += [(str(p.relative_to(root)), p.read_text()) for p in sorted(root.rglob("*")) if p.is_file()]
        return files


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> Synthesised:
    web_dist = tmp_path_factory.mktemp("dist")
    (web_dist / "assets").mkdir()
    (web_dist / "index.html").write_text('<script type="module" src="/assets/x.js"></script>')
    (web_dist / "assets" / "x.js").write_text("console.log('app')")
    (web_dist / "assets" / "x.js.map").write_text("{}")
    (web_dist / "config.json").write_text(json.dumps(LOCAL_CONFIG))
    (web_dist / ".vite").mkdir()
    (web_dist / ".vite" / "manifest.json").write_text("{}")
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(outdir=str(outdir))
    stage = Stage.load("prod")
    stack = StorageStack(app, "ProdStorage", stage=stage, rest_api_id=REST_API_ID, web_dist=web_dist,
                         edge_secret=EDGE_SECRET, env=cdk.Environment(region=stage.region))
    # A finding nobody acknowledged fails this synth, and with it every test here.
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    app.synth()
    return Synthesised(stage, stack, outdir)


def test_uploads_bucket_is_private_takes_posts_from_the_app_only_and_has_the_name_the_app_stack_grants_on(synth):
    assert synth.stack.resolve(uploads_bucket_name(synth.stage)) == {
        "Fn::Join": ["", ["booking-prod-uploads-", {"Ref": "AWS::AccountId"}]]}
    synth.template.has_resource_properties("AWS::S3::Bucket", {
        "BucketName": synth.stack.resolve(uploads_bucket_name(synth.stage)),
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                           "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
        "CorsConfiguration": {"CorsRules": Match.exact([
            {"AllowedMethods": ["POST"], "AllowedOrigins": ["https://app.booking.example"]}])},
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
        "VersioningConfiguration": Match.absent(),
    })


def test_every_bucket_refuses_plain_http(synth):
    buckets = synth.resources("AWS::S3::Bucket")
    refused = [policy["Properties"]["Bucket"]["Ref"] for policy in
               synth.resources("AWS::S3::BucketPolicy").values()
               if any(s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
                      for s in policy["Properties"]["PolicyDocument"]["Statement"])]
    assert sorted(refused) == sorted(buckets)


def test_api_paths_reach_api_gateway_uncached_with_every_method_and_the_callers_headers(synth):
    api = synth.behaviour("/api/*")
    assert set(api["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    assert api["CachePolicyId"] == CACHING_DISABLED
    assert api["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert api["ViewerProtocolPolicy"] == "https-only"
    origin = synth.origin(api)
    assert origin["DomainName"] == {
        "Fn::Join": ["", [f"{REST_API_ID}.execute-api.eu-west-1.", {"Ref": "AWS::URLSuffix"}]]}
    assert "OriginPath" not in origin  # Chalice's stage is `api`: /api/... is already the stage's path
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"


def test_no_distribution_wide_error_response_turns_the_apis_errors_into_index_html(synth):
    assert "CustomErrorResponses" not in synth.distribution


def test_app_routes_are_rewritten_to_index_html_on_the_web_apps_behaviour_only(synth):
    (association,) = synth.distribution["DefaultCacheBehavior"]["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    assert association["FunctionARN"]["Fn::GetAtt"][0].startswith("SpaRoutes")
    others = [b for b in synth.distribution["CacheBehaviors"] if b["PathPattern"] != "/api/*"]
    assert all("FunctionAssociations" not in b for b in others)


def test_the_api_is_told_the_viewers_address_beside_the_edge_secret(synth):
    (association,) = synth.behaviour("/api/*")["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    assert association["FunctionARN"]["Fn::GetAtt"][0].startswith("ViewerAddress")
    origin = synth.origin(synth.behaviour("/api/*"))
    assert origin["OriginCustomHeaders"] == [{"HeaderName": EDGE_SECRET_HEADER, "HeaderValue": EDGE_SECRET}]
    script = VIEWER_ADDRESS + ("console.log(JSON.stringify(handler({viewer: {ip: '2001:db8::7'}, request: "
                               "{uri: '/api/x', headers: {'x-viewer-address': {value: '6.6.6.6'}}}}).headers));")
    seen = subprocess.run([shutil.which("node"), "-e", script], capture_output=True, text=True, check=True).stdout
    assert json.loads(seen) == {"x-viewer-address": {"value": "2001:db8::7"}}  # the viewer's own is replaced


def test_the_rewrite_sends_paths_without_an_extension_to_index_html_and_files_through(synth):
    uris = ["/", "/book/some-salon", "/account/google-callback", "/calendar/", "/assets/x.js", "/config.json",
            "/favicon.svg"]
    script = SPA_ROUTES + f"for (const uri of {json.dumps(uris)}) console.log(handler({{request: {{uri}}}}).uri);"
    node = shutil.which("node")  # jsii, and so the CDK, runs on it
    rewritten = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout.split()
    assert dict(zip(uris, rewritten)) == {
        "/": "/index.html", "/book/some-salon": "/index.html", "/account/google-callback": "/index.html",
        "/calendar/": "/index.html", "/assets/x.js": "/assets/x.js", "/config.json": "/config.json",
        "/favicon.svg": "/favicon.svg"}


def test_uploads_are_read_through_cloudfront_from_the_uploads_bucket(synth):
    uploads = synth.behaviour("/businesses/*")
    assert "AllowedMethods" not in uploads  # GET and HEAD only
    origin = synth.origin(uploads)
    assert origin["DomainName"]["Fn::GetAtt"][0].startswith("Uploads")
    assert "OriginAccessControlId" in origin
    site = synth.origin(synth.distribution["DefaultCacheBehavior"])
    assert site["DomainName"]["Fn::GetAtt"][0].startswith("Site")
    assert "OriginAccessControlId" in site


def test_the_distribution_serves_the_stages_domain_with_its_certificate(synth):
    assert synth.distribution["Aliases"] == ["app.booking.example"]
    assert synth.distribution["ViewerCertificate"] == {
        "AcmCertificateArn": synth.stage.certificate_arn, "MinimumProtocolVersion": "TLSv1.2_2021",
        "SslSupportMethod": "sni-only"}
    assert synth.distribution["HttpVersion"] == "http2and3"
    assert set(synth.template.find_outputs("*")) == {"DistributionDomainName", "DistributionId"}


def test_every_answer_carries_the_security_headers(synth):
    headers = synth.properties("AWS::CloudFront::ResponseHeadersPolicy")["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"]
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31_536_000
    assert "ContentTypeOptions" in headers and "ReferrerPolicy" in headers
    policy = {"Ref": synth.logical_id("AWS::CloudFront::ResponseHeadersPolicy")}
    behaviours = [synth.distribution["DefaultCacheBehavior"], *synth.distribution["CacheBehaviors"]]
    assert all(b["ResponseHeadersPolicyId"] == policy for b in behaviours)


def test_the_content_security_policy_allows_no_inline_code_and_uploads_to_the_bucket_only(synth):
    csp = synth.properties("AWS::CloudFront::ResponseHeadersPolicy")["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    uploads = {"Ref": synth.logical_id("AWS::S3::Bucket", "Uploads")}
    directives = dict(d.split(" ", 1) for d in "".join(
        "UPLOADS" if part == uploads else part for part in csp["Fn::Join"][1]).split("; "))
    assert directives["script-src"] == directives["style-src"] == "'self'"
    assert directives["connect-src"] == ("'self' https://UPLOADS.s3.amazonaws.com "
                                         "https://UPLOADS.s3.eu-west-1.amazonaws.com")
    assert directives["frame-ancestors"] == "'none'"


def test_the_web_apps_page_has_no_inline_script_or_style_for_the_policy_to_block():
    page = (Path(__file__).resolve().parents[2] / "web" / "index.html").read_text()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all(" src=" in tag for tag in scripts)
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", page)


def test_the_deployed_config_json_names_the_stages_urls_not_the_local_ones(synth):
    shell = synth.deployed_files("WebShell")
    assert [json.loads(content) for name, content in shell if name == "config.json"] == [
        {"apiBaseUrl": "https://app.booking.example/api", "mediaBaseUrl": "https://app.booking.example"}]
    assert sorted(name for name, _ in shell) == ["config.json", "index.html"]
    assert synth.properties("Custom::CDKBucketDeployment", "WebShell")["SystemMetadata"] == {
        "cache-control": "no-cache"}


def test_hashed_assets_are_deployed_immutable_without_source_maps_and_never_pruned(synth):
    assert synth.deployed_files("WebAssets") == [("x.js", "console.log('app')")]
    assets = synth.properties("Custom::CDKBucketDeployment", "WebAssets")
    assert assets["DestinationBucketKeyPrefix"] == "assets/"
    assert assets["SystemMetadata"] == {"cache-control": "public, max-age=31536000, immutable"}
    # Neither deployment deletes what the other (or an earlier build, still open in a tab) wrote.
    assert all(d["Properties"]["Prune"] is False
               for d in synth.resources("Custom::CDKBucketDeployment").values())


def test_index_html_goes_live_only_after_the_assets_it_names(synth):
    shell = synth.resource("Custom::CDKBucketDeployment", "WebShell")
    assert synth.logical_id("Custom::CDKBucketDeployment", "WebAssets") in shell["DependsOn"]


def test_access_logs_and_the_deploy_handlers_logs_expire_after_the_stages_retention(synth):
    access_logs = synth.resource("AWS::S3::Bucket", "AccessLogs")
    assert access_logs["Properties"]["LifecycleConfiguration"]["Rules"] == [
        {"ExpirationInDays": synth.stage.log_retention_days, "Status": "Enabled"}]
    assert access_logs["DeletionPolicy"] == "Retain"
    assert synth.distribution["Logging"]["Bucket"] == {
        "Fn::GetAtt": [synth.logical_id("AWS::S3::Bucket", "AccessLogs"), "RegionalDomainName"]}
    assert synth.properties("AWS::Logs::LogGroup")["RetentionInDays"] == synth.stage.log_retention_days
