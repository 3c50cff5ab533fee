"""``Idempotency-Key``: the same key with the same request answers the first response again.

Keys belong to the member who sent them (two admins' keys never meet). The key
is claimed in its own committed transaction before the work runs, so two
concurrent requests with one key cannot both do the work: the second gets 409
until the first has finished. The answer is written in the transaction of the
change it answers, so it commits with it (see ``run``). A claim left behind by
a request that died before its commit (a Lambda timeout) lapses after
``CLAIM_LEASE_S``. A client error (4xx) is remembered like a success, except
429, which says "later"; an unexpected failure releases the claim so the client
may retry.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from uuid import UUID

from chalice import Response

from chalicelib.core import db
from chalicelib.core.db import Tx
from chalicelib.core.errors import AppError, Conflict, NotFound, ValidationFailed
from chalicelib.core.http import from_app_error

HEADER = "idempotency-key"
MAX_KEY_LENGTH = 255
CLAIM_LEASE_S = 120  # well past the API's 30-second Lambda timeout

_CLAIM = """-- take the key for this request, unless a live request has it or it has an answer
INSERT INTO idempotency_keys (business_id, key, request_hash)
VALUES (:bid, :key, :hash)
ON CONFLICT (business_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, created_at = now()
 WHERE idempotency_keys.status IS NULL
   AND idempotency_keys.created_at < now() - make_interval(secs => :lease)
RETURNING key"""

_EARLIER = """-- what the first request with this key was and answered
SELECT request_hash, status, body FROM idempotency_keys WHERE business_id = :bid AND key = :key"""

_RECORD = """-- remember the answer
UPDATE idempotency_keys SET status = :status, body = :body WHERE business_id = :bid AND key = :key"""

_RELEASE = """-- give the key back unanswered, so the client may retry
DELETE FROM idempotency_keys WHERE business_id = :bid AND key = :key AND status IS NULL"""


def fingerprint(method: str, path: str, body: bytes | str | None) -> str:
    raw = body.encode() if isinstance(body, str) else (body or b"")
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + raw).hexdigest()


def _replay(status: int, body: str) -> Response:
    return Response(body=body, status_code=status,
                    headers={"Content-Type": "application/json", "Idempotent-Replayed": "true"})


def _in_progress() -> Conflict:
    return Conflict("A request with this Idempotency-Key is still being processed.", code="idempotency_in_progress")


def run(scope: UUID | db.Page, user_id: UUID | str, key: str, request_hash: str, produce: Callable[[], Response], *,
        redact: Callable[[str], str] | None = None, restore: Callable[[Tx, str], str] | None = None) -> Response:
    """``user_id`` scopes the key (a member's id, or a name such as ``public`` for customers);
    ``scope`` is the tenant, or the public page whose business it is (none: 404).

    The answer is written in the last transaction ``produce`` commits (``db.last_commit_held``), so
    a change and its answer commit together, before anything after the commit (a queue send) runs:
    a request that dies after its commit has its answer kept for the retry.

    ``redact`` turns an answer's body into what may be stored (a secret in it must not be kept in
    clear), and ``restore`` turns the stored body back into a full answer on replay (in the tenant's
    transaction that found it)."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed({"Idempotency-Key": f"use 1 to {MAX_KEY_LENGTH} characters"})
    key = f"{user_id}:{key}"
    page = scope if isinstance(scope, db.Page) else None
    with db.transaction(None if page else scope, page=page) as tx:
        if tx.business_id is None:
            raise NotFound("business")
        business_id = tx.business_id
        claimed = tx.value(_CLAIM, bid=business_id, key=key, hash=request_hash, lease=CLAIM_LEASE_S)
        earlier = None if claimed else tx.one(_EARLIER, bid=business_id, key=key)
        if not claimed:
            return _earlier_answer(tx, earlier, request_hash, restore)
    with db.last_commit_held() as holding:
        try:
            response = produce()
        except AppError as e:
            if e.status >= 500 or e.status == 429:
                _release(business_id, key)
                raise
            response = from_app_error(e)
        except BaseException:
            _release(business_id, key)
            raise
        stored = response.body or ""
        if redact and response.status_code < 300:
            stored = redact(stored)
        holding.finish(business_id, lambda tx: tx.execute(_RECORD, bid=business_id, key=key,
                                                          status=response.status_code, body=stored))
    return response


def _earlier_answer(tx: Tx, earlier: dict[str, Any] | None, request_hash: str,
                    restore: Callable[[Tx, str], str] | None) -> Response:
    if earlier is None:  # released between our two statements: the holder failed, retry later
        raise _in_progress()
    if earlier["request_hash"] != request_hash:
        raise Conflict("This Idempotency-Key was already used for a different request.",
                       code="idempotency_key_reused")
    if earlier["status"] is None:
        raise _in_progress()
    stored = earlier["body"]
    return _replay(earlier["status"], restore(tx, stored) if restore and earlier["status"] < 300 else stored)


def _release(business_id: UUID, key: str) -> None:
    with db.tenant_tx(business_id) as tx:
        tx.execute(_RELEASE, bid=business_id, key=key)


_FORGET = """-- answers that name someone (an erased customer's id is in every answer about them or their
-- appointments): the answer kept for a replay must not outlive their erase
DELETE FROM idempotency_keys WHERE strpos(body, :needle) > 0"""


def forget(tx: Tx, needle: str) -> int:
    """Delete the stored answers (this tenant's, in ``tx``) whose body contains ``needle``: a GDPR
    erase reaches the copies of a customer's answers kept for replays. A client repeating such a
    request afterwards has it done again, as for a key never sent; keys live days, not months."""
    return tx.execute(_FORGET, needle=needle)


_PRUNE = """-- retention: the oldest answers (and abandoned claims) past the period, one batch
DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM idempotency_keys WHERE created_at < now() - make_interval(secs => :older_than_s)
     ORDER BY created_at LIMIT :batch))"""


def prune(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """The retention sweep's: delete up to ``batch`` keys taken more than ``older_than_s`` seconds ago
    (every tenant's, in its retention scope); answer how many. A live claim is minutes old (its
    lease is ``CLAIM_LEASE_S``), so only a period under that could touch one."""
    return tx.execute(_PRUNE, older_than_s=older_than_s, batch=batch)
