"""Google tokens sealed at rest with AES-256-GCM: a copy of the table (a backup, a replica, a dump
handed to support) holds nothing that works at Google without the key, which lives in Secrets Manager.

A sealed value is one ``bytea``: the key id's length (one byte), the key id, the 12-byte nonce, and the
ciphertext with its tag. The key id is kept so that keys can rotate: new values are sealed with the
active key (``token_key_id``), old ones still open with any key the secret lists.

The associated data binds each value to its connection and its column: a sealed refresh token copied
into another row (another tenant's connection) or into the access-token column fails to open, so
whoever can write the table still cannot move a grant from one person to another.

Keys: the ``google_secret_arn`` secret ``{"token_keys": {key id: base64 of 32 bytes}, "token_key_id"}``
(read through the secrets TTL cache, so a rotation reaches warm containers within minutes), or,
outside prod, the plain settings ``google_token_keys`` and ``google_token_key_id``.
"""
from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from typing import Any, Literal
from uuid import UUID

from chalicelib.core.errors import ServiceUnavailable
from chalicelib.core.settings import settings

Column = Literal["refresh", "access"]

_NONCE_BYTES = 12
_KEY_BYTES = 32


class Unreadable(Exception):
    """A sealed value that no key we hold opens (its key was retired, or the bytes were tampered with
    or moved to another row): the token is lost to us, as if Google had revoked it."""


def _secret(fresh: bool) -> Mapping[str, Any]:
    arn = settings().google_secret_arn
    if arn:
        from botocore.exceptions import BotoCoreError, ClientError

        from chalicelib.integrations import secrets

        try:
            return secrets.json_secret(arn, fresh=fresh)
        except (BotoCoreError, ClientError) as e:
            raise ServiceUnavailable("The calendar token keys cannot be read.") from e
    if settings().stage == "prod":
        raise RuntimeError("prod reads the calendar token keys from GOOGLE_SECRET_ARN")
    return {"token_keys": settings().google_token_keys, "token_key_id": settings().google_token_key_id}


def _keys(*, fresh: bool = False) -> tuple[str, dict[str, bytes]]:
    """(active key id, {key id: 32-byte key}). A key of the wrong length is a configuration error:
    sealing with it must fail loudly, not weaken."""
    doc = _secret(fresh)
    active, listed = doc.get("token_key_id"), dict(doc.get("token_keys") or {})
    if not active or active not in listed:
        raise RuntimeError("No active calendar token key: set token_key_id to one of token_keys")
    keys: dict[str, bytes] = {}
    for kid, encoded in listed.items():
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, TypeError) as e:
            raise RuntimeError(f"calendar token key {kid!r} is not base64") from e
        if len(key) != _KEY_BYTES or not 0 < len(kid.encode()) < 256:
            raise RuntimeError(f"calendar token key {kid!r} must be 32 bytes, its id 1-255 bytes")
        keys[kid] = key
    return active, keys


def _associated(connection_id: UUID, column: Column) -> bytes:
    return f"calendar_connections:{connection_id}:{column}".encode()


def seal(token: str, *, connection_id: UUID, column: Column) -> bytes:
    """``token`` encrypted under the active key, bound to ``connection_id`` and ``column``."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kid, keys = _keys()
    nonce = os.urandom(_NONCE_BYTES)  # random 96-bit nonces: safe far beyond the tokens one key seals
    sealed = AESGCM(keys[kid]).encrypt(nonce, token.encode(), _associated(connection_id, column))
    name = kid.encode()
    return bytes([len(name)]) + name + nonce + sealed


def unseal(sealed: bytes, *, connection_id: UUID, column: Column) -> str:
    """The token ``seal`` sealed for this connection and column; ``Unreadable`` otherwise. A key id
    we do not hold may have been added to the secret since we read it: read it again (rate-limited
    per secret by the secrets cache) before giving up."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    data = bytes(sealed)
    if not data:
        raise Unreadable("empty sealed value")
    size = data[0]
    kid = data[1:1 + size].decode(errors="replace")
    nonce, body = data[1 + size:1 + size + _NONCE_BYTES], data[1 + size + _NONCE_BYTES:]
    if len(nonce) != _NONCE_BYTES or not body:
        raise Unreadable("truncated sealed value")
    key = _keys()[1].get(kid) or _keys(fresh=True)[1].get(kid)
    if key is None:
        raise Unreadable(f"no key {kid!r}")
    try:
        return AESGCM(key).decrypt(nonce, body, _associated(connection_id, column)).decode()
    except InvalidTag:
        raise Unreadable("the sealed value does not open with its key here") from None
