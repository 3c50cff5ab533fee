"""boto3 clients, made on first use and kept for the container's life.

boto3 is imported inside ``client`` so that importing the app loads no service
models; ``AWS_ENDPOINT_URL`` (read by boto3 itself) points them at a local
moto server in the ``local`` stage.

Every call is bounded: botocore's defaults (60 s to wait for an answer, retried) would hold a
request past API Gateway's 29 s on a silent endpoint. Each client connects within
``CONNECT_TIMEOUT_S``, waits at most ``READ_TIMEOUT_S`` for an answer and makes at most
``MAX_ATTEMPTS`` attempts (botocore's standard retry mode: backoff with jitter), so a call gives up
within about ``MAX_ATTEMPTS * (CONNECT_TIMEOUT_S + READ_TIMEOUT_S)`` plus a second of backoff;
some services are tighter (``_OWN``).
"""
from __future__ import annotations

import functools
from typing import Any

from chalicelib.core.settings import settings

CONNECT_TIMEOUT_S = 2
READ_TIMEOUT_S = 5
MAX_ATTEMPTS = 2

_OWN: dict[str, dict[str, Any]] = {
    # SES: one attempt per call. botocore would otherwise retry a send whose answer timed out, which
    # may deliver it twice; the notification queue retries instead, knowing what was delivered.
    "sesv2": {"max_attempts": 1},
    # SQS answers in milliseconds, and everything we send there is sent again by its owner when a
    # send fails (the outbox sweep; the queue redelivers what a worker did not delete): one short
    # attempt, so a queue that is down costs a committed request at most 3 s (see outbox.dispatch).
    "sqs": {"connect_timeout": 1, "read_timeout": 2, "max_attempts": 1},
    # Secrets Manager answers in milliseconds and is read once per SECRETS_TTL_S: one short attempt, so
    # the authorizer (5 s timeout) answers, if only with an error, rather than being killed mid-wait;
    # the next request reads again.
    "secretsmanager": {"connect_timeout": 1, "read_timeout": 2, "max_attempts": 1},
}


def config(service: str) -> dict[str, Any]:
    """The timeouts and attempts ``service``'s client is made with."""
    return {"connect_timeout": CONNECT_TIMEOUT_S, "read_timeout": READ_TIMEOUT_S, "max_attempts": MAX_ATTEMPTS,
            **_OWN.get(service, {})}


@functools.cache
def client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    bounds = config(service)
    return boto3.session.Session().client(service, region_name=settings().aws_region, config=Config(
        connect_timeout=bounds["connect_timeout"], read_timeout=bounds["read_timeout"],
        retries={"mode": "standard", "total_max_attempts": bounds["max_attempts"]}))


def reset() -> None:
    """Forget the clients (tests switch moto on and off)."""
    client.cache_clear()
