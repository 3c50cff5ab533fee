"""``Idempotency-Key``: the same key with the same request answers the first response again.

Keys belong to the member who sent them (two admins' keys never meet). A
member's key is claimed in its own committed transaction before the work runs,
so two concurrent requests with one key cannot both do the work: the second gets
409 until the first has finished. The answer is written in the transaction of
the change it answers, so it commits with it (see ``run``). A claim left behind
by a request that died before its commit (a Lambda timeout) lapses after
``CLAIM_LEASE_S``. A client error (4xx) is remembered like a success, except
429, which says "later"; an unexpected failure (or a 429) rolls back the work's
held last transaction and releases the claim, so the client may retry and the
retry does the work once.

A public page's key (``run_on_page``) is claimed in the first statement of the
work's own transaction, with the page's counts, and commits only with its answer:
a second request with that key waits for the first to commit (then is answered
the same) or to roll back (then does the work itself).
"""
from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from uuid import UUID

from chalice import Response

from chalicelib.core import db
from chalicelib.core.db import Tx
from chalicelib.core.errors import AppError, Conflict, RateLimited, ValidationFailed
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

_CLAIMED = """claimed AS (  -- take the key in the page's business, as _CLAIM does
    INSERT INTO idempotency_keys (business_id, key, request_hash)
    SELECT business_id, :idempotency_key, :request_hash
      FROM (SELECT CAST(NULLIF(current_setting('app.business_id'), '') AS uuid) AS business_id) AS page
     WHERE business_id IS NOT NULL
    ON CONFLICT (business_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, created_at = now()
     WHERE idempotency_keys.status IS NULL
       AND idempotency_keys.created_at < now() - make_interval(secs => :claim_lease_s)
    RETURNING key
)"""

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


def run(business_id: UUID, user_id: UUID | str, key: str, request_hash: str, produce: Callable[[], Response], *,
        redact: Callable[[str], str] | None = None, restore: Callable[[Tx, str], str] | None = None) -> Response:
    """``user_id`` scopes the key (a member's id) in the tenant ``business_id``.

    The answer is written in the last transaction ``produce`` commits (``db.last_commit_held``), so
    a change and its answer commit together, before anything after the commit (a queue send) runs:
    a request that dies after its commit has its answer kept for the retry.

    ``redact`` turns an answer's body into what may be stored (a secret in it must not be kept in
    clear), and ``restore`` turns the stored body back into a full answer on replay (in the tenant's
    transaction that found it)."""
    key = _scoped(user_id, key)
    with db.tenant_tx(business_id) as tx:
        if not tx.value(_CLAIM, bid=business_id, key=key, hash=request_hash, lease=CLAIM_LEASE_S):
            earlier = _earlier_answer(tx, key, request_hash, restore)
            if isinstance(earlier, AppError):
                raise earlier
            return earlier
    try:
        with db.last_commit_held() as holding:
            try:
                response = produce()
            except AppError as e:
                if e.status >= 500 or e.status == 429:
                    raise
                response = from_app_error(e)
            stored = response.body or ""
            if redact and response.status_code < 300:
                stored = redact(stored)
            holding.finish(business_id, lambda tx: _record(tx, key, response.status_code, stored))
    except BaseException:
        # The work's held transaction was rolled back on the way out (nothing of it commits), or its
        # commit failed: the retry must find the key free, not in progress.
        _release(business_id, key)
        raise
    return response


def run_on_page(page: db.Page, user_id: str, key: str, request_hash: str, produce: Callable[[db.Page], Response],
                *, redact: Callable[[str], str] | None = None,
                restore: Callable[[Tx, str], str] | None = None) -> Response:
    """``run`` for a public page (``user_id`` a name such as ``public``): ``produce`` gets the page to
    open its transaction with, which claims the key in its first statement, with the page's counts.

    That transaction must be the work's last (``db.last_commit_held``): the answer is written in it,
    so the key commits only with its answer, and a failure leaves no claim behind. A key found taken
    ends the work there, its counts committed, with the earlier answer (or a 409: reused with
    another body; held by a member's request in flight, see ``run``). A client error (4xx) rolled
    the work back, counts too: they are counted again in a transaction of their own that remembers
    the answer, so the attempt counts once."""
    key = _scoped(user_id, key)
    claiming = dataclasses.replace(page, claim=db.Claim(
        _CLAIMED, {"idempotency_key": key, "request_hash": request_hash, "claim_lease_s": CLAIM_LEASE_S},
        lambda tx: _earlier_answer(tx, key, request_hash, restore)))
    try:
        with db.last_commit_held() as holding:
            response = produce(claiming)
            stored = response.body or ""
            if redact and response.status_code < 300:
                stored = redact(stored)
            held = holding.tx
            assert held is not None and held.business_id is not None  # the page's transaction, which claimed
            holding.finish(held.business_id, lambda tx: _record(tx, key, response.status_code, stored))
    except db.Settled as settled:
        return _settled(settled)
    except AppError as e:
        if e.status >= 500 or e.status == 429:
            raise  # nothing of the work committed, its claim neither: the key is free
        return _failed(claiming, key, from_app_error(e))
    return response


def _failed(claiming: db.Page, key: str, response: Response) -> Response:
    """Count a failed attempt and remember its answer (``run_on_page``)."""
    try:
        with db.transaction(page=claiming) as tx:
            if tx.business_id is not None:  # none: a 404 for the page, remembered nowhere
                _record(tx, key, response.status_code, response.body or "")
    except db.Settled as settled:  # another request with the key came first meanwhile
        return _settled(settled)
    except RateLimited:
        pass  # over the limit meanwhile: the answer stays unremembered, and the next attempt is refused
    return response


def _settled(settled: db.Settled) -> Response:
    if isinstance(settled.answer, AppError):
        raise settled.answer from None
    answer: Response = settled.answer
    return answer


def _scoped(user_id: UUID | str, key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed({"Idempotency-Key": f"use 1 to {MAX_KEY_LENGTH} characters"})
    return f"{user_id}:{key}"


def _record(tx: Tx, key: str, status: int, body: str) -> None:
    tx.execute(_RECORD, bid=tx.business_id, key=key, status=status, body=body)


def _earlier_answer(tx: Tx, key: str, request_hash: str,
                    restore: Callable[[Tx, str], str] | None) -> Response | Conflict:
    """What to answer, in ``tx``, a request whose key was claimed before: the earlier answer, or the
    refusal (returned, for the caller to raise once its counts have committed)."""
    earlier = tx.one(_EARLIER, bid=tx.business_id, key=key)
    if earlier is None:  # released between our two statements: the holder failed, retry later
        return _in_progress()
    if earlier["request_hash"] != request_hash:
        return Conflict("This Idempotency-Key was already used for a different request.",
                        code="idempotency_key_reused")
    if earlier["status"] is None:
        return _in_progress()
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
