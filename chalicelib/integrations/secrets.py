"""Secrets Manager: JSON secrets (the RDS credentials, the JWT keys, WhatsApp tokens), each kept for
``SECRETS_TTL_S`` (at most 5 minutes), so a rotated password or a revoked key reaches warm containers
within that time.

A caller whose copy was just refused (a login failed, a token names a key we do not hold) asks for a
fresh read; that is granted once per ``FRESH_READ_INTERVAL_S`` per secret, so a flood of refusals (forged
key ids cost an attacker nothing) reads Secrets Manager no more often than that.
"""
from __future__ import annotations

import json
import threading
import time
from typing import Any

from chalicelib.core.settings import settings
from chalicelib.integrations import aws

FRESH_READ_INTERVAL_S = 5.0


class _Secrets:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[float, dict[str, Any]]] = {}  # secret id -> (read at, value)
        self._fresh_read_at: dict[str, float] = {}

    def __call__(self, secret_id: str, *, fresh: bool = False) -> dict[str, Any]:
        """The secret's JSON, read at most ``SECRETS_TTL_S`` ago; with ``fresh``, read now unless a fresh
        read of it was made in the last ``FRESH_READ_INTERVAL_S``."""
        now = time.monotonic()
        with self._lock:
            kept = self._kept.get(secret_id)
            if fresh and now - self._fresh_read_at.get(secret_id, -FRESH_READ_INTERVAL_S) >= FRESH_READ_INTERVAL_S:
                self._fresh_read_at[secret_id] = now
                kept = None
            if kept is not None and now - kept[0] < settings().secrets_ttl_s:
                return kept[1]
        value = json.loads(aws.client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"])
        with self._lock:
            self._kept[secret_id] = (now, value)
        return value

    def cache_clear(self) -> None:
        """Forget every copy (a secret was just written here): the next use reads it again."""
        with self._lock:
            self._kept.clear()
            self._fresh_read_at.clear()


json_secret = _Secrets()
