"""boto3 clients, made on first use and kept for the container's life.

boto3 is imported inside ``client`` so that importing the app loads no service
models; ``AWS_ENDPOINT_URL`` (read by boto3 itself) points them at a local
moto server in the ``local`` stage.
"""
from __future__ import annotations

import functools
from typing import Any

from chalicelib.core.settings import settings


@functools.cache
def client(service: str) -> Any:
    import boto3

    return boto3.session.Session().client(service, region_name=settings().aws_region)


def reset() -> None:
    """Forget the clients (tests switch moto on and off)."""
    client.cache_clear()
