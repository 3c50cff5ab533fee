"""The deployment settings in .chalice/config.json, read the way `chalice deploy` reads them."""
from __future__ import annotations

import json

from chalice.config import Config

from chalicelib.core.settings import PROJECT_ROOT


def _config(stage: str, function: str) -> Config:
    on_disk = json.loads((PROJECT_ROOT / ".chalice" / "config.json").read_text())
    return Config(chalice_stage=stage, function_name=function, config_from_disk=on_disk)


def test_there_are_local_dev_and_prod_stages():
    on_disk = json.loads((PROJECT_ROOT / ".chalice" / "config.json").read_text())
    assert {"local", "dev", "prod"} <= set(on_disk["stages"])


def test_prod_api_runs_in_the_vpc_and_the_authorizer_outside_it():
    api = _config("prod", "api_handler")
    authorizer = _config("prod", "jwt_auth")

    assert api.subnet_ids and api.security_group_ids
    assert api.lambda_memory_size >= 512 and api.lambda_timeout >= 10
    assert authorizer.subnet_ids == [] and authorizer.security_group_ids == []


def test_prod_reads_secrets_from_secrets_manager_and_sends_through_ses():
    env = _config("prod", "api_handler").environment_variables

    assert env["STAGE"] == "prod"
    assert env["DB_SECRET_ARN"].startswith("arn:aws:secretsmanager:")
    assert env["JWT_SECRET_ARN"].startswith("arn:aws:secretsmanager:")
    assert "proxy" in env["DB_HOST"]
    assert env["EMAIL_BACKEND"] == "ses"
    assert env["NOTIFICATIONS_QUEUE"].endswith(".fifo")
    assert "DATABASE_URL" not in env


def test_local_stage_uses_the_offline_twins():
    env = _config("local", "api_handler").environment_variables

    assert env["STAGE"] == "local" and env["EMAIL_BACKEND"] == "file"
    assert "DB_SECRET_ARN" not in env and "JWT_SECRET_ARN" not in env
