"""The CDK app: every stack of one stage, in the order they deploy.

    STAGE=prod .venv/bin/python infra/cdk_app.py      # or `make synth STAGE=prod`

synthesises offline (no AWS account, no credentials) into infra/cdk.out/<stage>/, with cdk-nag's AWS
Solutions checks: a finding not suppressed (with its reason, next to its resource) fails the synth.
`make deploy STAGE=prod` deploys that assembly with `cdk deploy --all`.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

INFRA = Path(__file__).resolve().parent
sys.path[:0] = [str(INFRA), str(INFRA.parent)]  # booking_infra, and chalicelib for the constants it shares

import aws_cdk as cdk  # noqa: E402
from aws_cdk import cx_api  # noqa: E402
from cdk_nag import AwsSolutionsChecks  # noqa: E402

from booking_infra.app_stack import AppStack  # noqa: E402
from booking_infra.data import DataStack  # noqa: E402
from booking_infra.messaging import MessagingStack  # noqa: E402
from booking_infra.monitoring import FunctionFacts, MonitoringStack  # noqa: E402
from booking_infra.network import NetworkStack  # noqa: E402
from booking_infra.secrets import SecretsStack  # noqa: E402
from booking_infra.stage import Stage  # noqa: E402
from booking_infra.storage import StorageStack  # noqa: E402

WEB_DIST = INFRA.parent / "web" / "dist"


def build(stage: Stage, outdir: Path) -> cdk.App:
    app = cdk.App(outdir=str(outdir))
    env = cdk.Environment(region=stage.region)
    title = stage.name.capitalize()

    def named(concern: str) -> dict:
        return {"stack_name": stage.name_of(concern), "env": env,
                "description": f"Booking {stage.name}: {concern}", "termination_protection": stage.production}

    network = NetworkStack(app, f"{title}Network", stage=stage, **named("network"))
    secrets = SecretsStack(app, f"{title}Secrets", stage=stage, **named("secrets"))
    messaging = MessagingStack(app, f"{title}Messaging", stage=stage, **named("messaging"))
    data = DataStack(app, f"{title}Data", stage=stage, vpc=network.vpc, functions_sg=network.functions_sg,
                     endpoint_sg=network.endpoint_sg, internal_sg=network.internal_sg,
                     **named("data"))
    application = AppStack(app, f"{title}App", stage=stage, network=network, data=data, messaging=messaging,
                           secrets=secrets, **named("app"))
    # After the app: CloudFront routes /api/* to the API it created.
    StorageStack(app, f"{title}Storage", stage=stage, rest_api_id=application.rest_api_id, web_dist=WEB_DIST,
                 edge_secret=secrets.edge.secret_value.unsafe_unwrap(), **named("storage"))
    MonitoringStack(app, f"{title}Monitoring", stage=stage,
                    functions={f: FunctionFacts(name=n, timeout_s=application.timeouts[f])
                               for f, n in application.function_names.items()},
                    api_name=application.api_name, api_stage=application.api_stage,
                    db_instance_id=data.instance.instance_identifier, proxy_name=data.proxy.db_proxy_name,
                    queue_name=messaging.queue_name, dlq_name=messaging.dlq_name, **named("monitoring"))
    for key, value in (("project", "booking"), ("stage", stage.name)):
        # A proxy's target group takes no tags (CloudFormation refuses the property).
        cdk.Tags.of(app).add(key, value, exclude_resource_types=["AWS::RDS::DBProxyTargetGroup"])
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app


def main() -> None:
    stage = Stage.load(os.environ.get("STAGE", "prod"))
    outdir = INFRA / "cdk.out" / stage.name
    # Chalice's packager asks botocore for a region (it makes no call): the stage's.
    os.environ["AWS_DEFAULT_REGION"] = stage.region
    # Chalice's construct packages into ./chalice.out; the assembly keeps its own copy of each asset.
    with tempfile.TemporaryDirectory(prefix="chalice-") as scratch:
        os.chdir(scratch)
        assembly = build(stage, outdir).synth()
    errors = [f"{message.id}: {message.entry.data}" for stack in assembly.stacks for message in stack.messages
              if message.level == cx_api.SynthesisMessageLevel.ERROR]
    if errors:
        raise SystemExit("\n".join(["cdk-nag (AwsSolutions) and synth errors:", *errors]))
    print(f"synthesised {stage.name} into {outdir.relative_to(INFRA.parent)}: {len(assembly.stacks)} stacks, "
          "cdk-nag clean")


if __name__ == "__main__":
    main()
