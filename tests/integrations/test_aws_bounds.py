"""Every AWS call gives up well inside the function that waits for it: a silent endpoint must cost a
request seconds, not the function's whole timeout (a Lambda killed mid-wait answers nothing useful)."""
from __future__ import annotations

import json

import pytest

from chalicelib.core.settings import PROJECT_ROOT
from chalicelib.integrations import aws

# Backoff between attempts (botocore's standard mode waits up to about a second before a retry).
_BACKOFF_S = 1


def _worst_case_s(service: str) -> float:
    bounds = aws.config(service)
    attempts = bounds["max_attempts"]
    return attempts * (bounds["connect_timeout"] + bounds["read_timeout"]) + (attempts - 1) * _BACKOFF_S


def _timeout_s(stage: str, function: str) -> int:
    config = json.loads((PROJECT_ROOT / ".chalice" / "config.json").read_text())
    stage_config = config["stages"][stage]
    return stage_config.get("lambda_functions", {}).get(function, {}).get("lambda_timeout",
                                                                            stage_config["lambda_timeout"])


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_authorizer_outlives_a_silent_secrets_manager(stage):
    assert _worst_case_s("secretsmanager") < _timeout_s(stage, "jwt_auth")


@pytest.mark.parametrize("service", ["sqs", "secretsmanager", "sesv2", "s3"])
def test_no_call_holds_a_request_near_api_gateways_29_seconds(service):
    assert _worst_case_s(service) <= 15


def test_ses_sends_once_per_call():
    assert aws.config("sesv2")["max_attempts"] == 1
