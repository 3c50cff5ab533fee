"""boto3 clients, made on first use and kept for the container's life.

boto3 is imported inside ``client`` so that importing the app loads no service
models; ``AWS_ENDPOINT_URL`` (read by boto3 itself) points them at a local
moto server in the ``local`` stage.
"""
from __future__ import annotations

import functools
from typing import Any

from chalicelib.core.settings import settings


# SES: one attempt per call. botocore would otherwise retry a send whose answer timed out, which may
# deliver it twice; the notification queue retries instead, knowing what was delivered.
_RETRIES = {"sesv2": {"total_max_attempts": 1}}


@functools.cache
def client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(retries=_RETRIES[service]) if service in _RETRIES else None
    return boto3.session.Session().client(service, region_name=settings().aws_region, config=config)


def reset() -> None:
    """Forget the clients (tests switch moto on and off)."""
    client.cache_clear()
