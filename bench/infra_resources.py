"""The resources the CDK app's templates declare: per stack and in all, each stack against CloudFormation's
quota of 500, and what the biggest stacks are made of.

It reads the templates `make synth STAGE=prod` writes, infra/cdk.out/<stage>/*.template.json (STAGE picks the
stage, default prod; CDK_OUT names another directory of assemblies), with the stack names of the assembly's
manifest.json. The App stack is Chalice's SAM template inside CDK: each of its AWS::Serverless::* resources is
counted once, as it appears, though CloudFormation's SAM transform expands it at deploy (a function's event
rules, permissions and event source mappings; the API's deployment and stage; an application's nested stack).
The deployed count is estimated from SAM's documented expansions, and the quota is checked against it.

Run from the project root: ``.venv/bin/python bench/infra_resources.py`` (``STAGE=staging`` for the staging stage).
``bench/infra_cost.py`` reads the templates through this module.
"""
from __future__ import annotations

import json
import os
import sys
import textwrap
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CDK_OUT = Path(os.environ.get("CDK_OUT", ROOT / "infra" / "cdk.out"))
STACK_QUOTA = 500  # CloudFormation's resources per stack
SERVERLESS = "AWS::Serverless::"
# What SAM makes of one event of a function (AWS SAM's "generated AWS CloudFormation resources" pages).
_EVENT_EXPANSION = {"Schedule": 2, "ScheduleV2": 2, "CloudWatchEvent": 2, "EventBridgeRule": 2,  # rule + permission
                    "SNS": 2,  # subscription + permission
                    "SQS": 1, "Kinesis": 1, "DynamoDB": 1,  # event source mapping
                    "Api": 1, "HttpApi": 1, "S3": 1}  # permission
# What SAM makes of the resource itself, beside its events.
_RESOURCE_EXPANSION = {"AWS::Serverless::Api": 3,  # RestApi, Deployment, Stage
                       "AWS::Serverless::HttpApi": 2,  # Api, Stage
                       "AWS::Serverless::Application": 1}  # a nested stack, whose resources are not in the template

Templates = dict[str, dict[str, Any]]


def stage_name() -> str:
    return os.environ.get("STAGE", "prod")


def assembly(stage: str) -> Path:
    return CDK_OUT / stage


def load_templates(stage: str) -> Templates:
    """Each stack's template by its stack name (the manifest's; the file's name where it has none). Exits
    with a hint when the stage was not synthesised."""
    directory = assembly(stage)
    files = sorted(directory.glob("*.template.json"))
    if not files:
        shown = directory.relative_to(ROOT) if directory.is_relative_to(ROOT) else directory
        print(f"no synthesised templates in {shown}: run `make synth STAGE={stage}` first", file=sys.stderr)
        raise SystemExit(1)
    names = _stack_names(directory)
    return {names.get(f.name, f.name.removesuffix(".template.json")): json.loads(f.read_text()) for f in files}


def _stack_names(directory: Path) -> dict[str, str]:
    """Template file -> stack name, from the cloud assembly's manifest."""
    manifest = directory / "manifest.json"
    if not manifest.exists():
        return {}
    artifacts = json.loads(manifest.read_text()).get("artifacts", {})
    return {a["properties"]["templateFile"]: a["properties"].get("stackName", artifact_id)
            for artifact_id, a in artifacts.items()
            if a.get("type") == "aws:cloudformation:stack" and "templateFile" in a.get("properties", {})}


def resources(templates: Templates, resource_type: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    """(stack, logical id, resource) of every resource, or of those of one type."""
    return [(stack, logical_id, resource) for stack, template in templates.items()
            for logical_id, resource in template.get("Resources", {}).items()
            if resource_type is None or resource.get("Type") == resource_type]


def literal(value: Any, default: Any = None) -> Any:
    """``value`` unless it is an intrinsic function ({"Ref": ...}, {"Fn::...": ...}), whose value only
    CloudFormation knows: then ``default``."""
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith(("Ref", "Fn::")):
        return default
    return value


def deployed_count(resource: dict[str, Any]) -> int:
    """About how many resources CloudFormation creates for this one: more than one only where a transform
    expands it (SAM's, and a hosted secret rotation)."""
    kind = resource.get("Type", "")
    properties = resource.get("Properties") or {}
    if kind == "AWS::SecretsManager::RotationSchedule" and "HostedRotationLambda" in properties:
        return 2  # the AWS::SecretsManager transform adds the rotation function's nested stack
    if not kind.startswith(SERVERLESS):
        return 1
    if kind == "AWS::Serverless::Function":
        events = literal(properties.get("Events"), {}) or {}
        made = 1 + (0 if "Role" in properties else 1)  # the function; its role unless it is given one
        made += 2 if "AutoPublishAlias" in properties else 0  # version + alias
        return made + sum(_EVENT_EXPANSION.get(e.get("Type"), 1) for e in events.values() if isinstance(e, dict))
    return _RESOURCE_EXPANSION.get(kind, 1)


def _synthesised_at(stage: str) -> str:
    newest = max(f.stat().st_mtime for f in assembly(stage).glob("*.template.json"))
    return datetime.fromtimestamp(newest).strftime("%Y-%m-%d %H:%M")


def _figure(name: str, value: int, goal: int) -> None:
    """One figure against its goal (at most), in the shape the other benches print."""
    print(f"FIGURE {name:<64} {value:>9d}    goal <= {goal:<6d}{'PASS' if value <= goal else 'MISS'}")


def _by_type(template: dict[str, Any]) -> Counter[str]:
    return Counter(r.get("Type", "?") for r in template.get("Resources", {}).values())


def main() -> None:
    stage = stage_name()
    templates = load_templates(stage)
    shown = assembly(stage).relative_to(ROOT) if assembly(stage).is_relative_to(ROOT) else assembly(stage)
    print(f"stage {stage}: {len(templates)} stacks in {shown} (synthesised {_synthesised_at(stage)})\n")

    counts = {stack: (len(t.get("Resources", {})),
                      sum(1 for r in t.get("Resources", {}).values() if r.get("Type", "").startswith(SERVERLESS)),
                      sum(deployed_count(r) for r in t.get("Resources", {}).values()))
              for stack, t in templates.items()}
    columns = ("resources", f"of them {SERVERLESS}*", "at deploy (transforms expanded, ~)")
    print(f"{'stack':<34} {columns[0]:>9}  {columns[1]:>28}  {columns[2]:>34}")
    for stack, (declared, serverless, deployed) in sorted(counts.items(), key=lambda kv: -kv[1][0]):
        print(f"{stack:<34} {declared:>9}  {serverless:>28}  {deployed:>34}")
    totals = [sum(c[i] for c in counts.values()) for i in range(3)]
    print(f"{'all':<34} {totals[0]:>9}  {totals[1]:>28}  {totals[2]:>34}\n")
    if totals[2] > totals[0]:
        print(textwrap.fill(
            f"The {totals[1]} {SERVERLESS}* resources are counted once each, as the templates declare them. The SAM "
            "transform expands them at deploy (functions into their event rules, permissions and event source "
            "mappings, the API into its deployment and stage), and the AWS::SecretsManager transform adds a hosted "
            f"rotation's function, so the deployed stacks hold about {totals[2] - totals[0]} more. An "
            "AWS::Serverless::Application (and a hosted rotation) is a nested stack whose own resources are not "
            "counted.", 116) + "\n")

    for stack, (_declared, _serverless, deployed) in sorted(counts.items(), key=lambda kv: -kv[1][0]):
        _figure(f"resources at deploy, {stack} (~)", deployed, STACK_QUOTA)

    print("\nwhat the biggest stacks are made of:")
    for stack, (declared, _serverless, _deployed) in sorted(counts.items(), key=lambda kv: -kv[1][0])[:3]:
        print(f"\n  {stack} ({declared} resources)")
        kinds = _by_type(templates[stack]).most_common()
        for kind, n in kinds[:12]:
            note = "  (expands at deploy)" if kind.startswith(SERVERLESS) else ""
            print(f"    {n:>4}  {kind}{note}")
        if len(kinds) > 12:
            rest = kinds[12:]
            print(f"    {sum(n for _, n in rest):>4}  in {len(rest)} other types: {', '.join(k for k, _ in rest)}")


if __name__ == "__main__":
    main()
