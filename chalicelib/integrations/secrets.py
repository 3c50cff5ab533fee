"""Secrets Manager: JSON secrets (the RDS credentials, the JWT keys), read once per container."""
from __future__ import annotations

import functools
import json
from typing import Any

from chalicelib.integrations import aws


@functools.cache
def json_secret(secret_id: str) -> dict[str, Any]:
    return json.loads(aws.client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"])
