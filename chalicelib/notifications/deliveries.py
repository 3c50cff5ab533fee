"""The delivery log: one row per outbox row, channel and recipient.

The worker claims the row (status ``sending``, committed) before it sends and records the outcome
after, so a message redelivered by the queue (a crash after the send and before the acknowledge)
finds it sent and sends nothing more. A row left ``sending`` longer than a worker can run means
the worker died mid-send: whether it went out is unknown, so it is marked ``uncertain`` and not
sent again (a doubled message is what this log exists to prevent; the log shows it for a human).

Owns ``notification_deliveries``.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from chalicelib.core import db, log
from chalicelib.core.db import Tx
from chalicelib.core.errors import ServiceUnavailable
from chalicelib.core.pagination import decode_cursor, page

# What an erased customer's address becomes in the log (plus the row's id).
_ERASED = "erased:"
# Longer than the worker Lambda's timeout: a claim older than this has no live worker behind it.
SEND_LEASE_S = 120

_CLAIM = """-- claim one send: a new row, or one whose last try failed and may be retried
INSERT INTO notification_deliveries (business_id, outbox_id, message, channel, recipient, customer_id, appointment_id,
                                     status, fallback_of)
VALUES (:bid, :outbox_id, :message, :channel, :recipient, :customer_id, :appointment_id, 'sending', :fallback_of)
ON CONFLICT ON CONSTRAINT notification_deliveries_once_key DO UPDATE
   SET status = 'sending', attempts = notification_deliveries.attempts + 1, error = NULL, updated_at = now()
 WHERE notification_deliveries.status = 'retrying'
RETURNING id"""

_SETTLE_ABANDONED = """-- the row already there: done (any state but sending), being sent right now, or abandoned by a
-- worker that died mid-send (then it becomes uncertain, never sent twice)
UPDATE notification_deliveries
   SET status = CASE WHEN status = 'sending' AND updated_at < now() - make_interval(secs => :lease)
                     THEN 'uncertain' ELSE status END,
       error = CASE WHEN status = 'sending' AND updated_at < now() - make_interval(secs => :lease)
                    THEN 'the worker stopped while sending; it may have been delivered' ELSE error END,
       updated_at = CASE WHEN status = 'sending' AND updated_at < now() - make_interval(secs => :lease)
                         THEN now() ELSE updated_at END
 WHERE outbox_id = :outbox_id AND channel = :channel AND recipient = :recipient
RETURNING status"""

_SKIPPED = """-- nothing could be sent (no address on any enabled channel): the log says so
INSERT INTO notification_deliveries (business_id, outbox_id, message, channel, recipient, customer_id, appointment_id,
                                     status, error)
VALUES (:bid, :outbox_id, :message, :channel, '', :customer_id, :appointment_id, 'skipped', :reason)
ON CONFLICT ON CONSTRAINT notification_deliveries_once_key DO NOTHING"""

_OUTCOME = """-- how a send ended; a business's message about its appointments (to a customer or its staff), sent,
-- is counted in its usage of the period on its channel's meter (messages_email, messages_whatsapp; the
-- period from its usage anchor). Once: a claim never takes a sent row again, so no row is settled sent
-- twice. Our own mail to its members (sign-up, invitations, billing) is not its usage.
WITH settled AS (
  UPDATE notification_deliveries
     SET status = :status, provider_message_id = coalesce(:provider_id, provider_message_id), error = :error,
         updated_at = now()
   WHERE id = :id
  RETURNING business_id, channel, appointment_id
)
INSERT INTO usage_counters AS u (business_id, meter, period_start, used)
SELECT d.business_id, 'messages_' || d.channel, billing_period_start(s.usage_anchor, now()), 1
  FROM settled d JOIN subscriptions s ON s.business_id = d.business_id
 WHERE :status = 'sent' AND d.appointment_id IS NOT NULL
ON CONFLICT (business_id, meter, period_start) DO UPDATE SET used = u.used + 1, updated_at = now()"""

# A status from the provider moves a row forward only (webhooks arrive out of order).
_PROVIDER_STATUS = """-- a delivery status reported by the provider: sent < delivered < read; failed ends it
UPDATE notification_deliveries
   SET status = :status, error = coalesce(:error, error), updated_at = :at
 WHERE channel = :channel AND provider_message_id = :provider_id
   AND status IN ('sending', 'sent', 'delivered', 'uncertain')
   AND (:status = 'failed'
        OR array_position(ARRAY['sending', 'uncertain', 'sent', 'delivered', 'read'], status)
           < array_position(ARRAY['sending', 'uncertain', 'sent', 'delivered', 'read'], CAST(:status AS text)))
RETURNING id, business_id, outbox_id, recipient, customer_id, appointment_id, status"""

_SENT_THIS_PERIOD = """-- the business's messages on one channel counted in its usage period now (see _OUTCOME)
SELECT coalesce(sum(c.used), 0)
  FROM subscriptions s
  JOIN usage_counters c ON c.business_id = s.business_id AND c.meter = 'messages_' || :channel
                       AND c.period_start = billing_period_start(s.usage_anchor, now())
 WHERE s.business_id = :bid"""

_FAILED_FOR_GOOD = """-- a send that failed for good (its e-mail fallback is due)
SELECT id FROM notification_deliveries
 WHERE outbox_id = :outbox_id AND channel = :channel AND recipient = :recipient AND status = 'failed'"""

_FORGET_RECIPIENT = """-- a customer erased (GDPR): the log keeps what was sent and when, not to which address
-- (nor one a provider's error quoted, from before errors were stored redacted)
UPDATE notification_deliveries
   SET recipient = :erased || id::text, error = regexp_replace(error, '\\S+@\\S+', '[address]', 'g')
 WHERE customer_id = :customer_id"""

_LOG_COLUMNS = """id, outbox_id, message, channel, recipient, customer_id, appointment_id, status, provider_message_id,
       error, fallback_of, attempts, created_at, updated_at"""

_LOG = f"""-- the business's delivery log, newest first
SELECT {_LOG_COLUMNS} FROM notification_deliveries
 WHERE business_id = :bid
   AND (CAST(:after_at AS timestamptz) IS NULL
        OR (created_at, id) < (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid)))
   AND (CAST(:appointment_id AS uuid) IS NULL OR appointment_id = CAST(:appointment_id AS uuid))
   AND (CAST(:customer_id AS uuid) IS NULL OR customer_id = CAST(:customer_id AS uuid))
 ORDER BY created_at DESC, id DESC
 LIMIT :limit"""


class InFlight(ServiceUnavailable):
    """Another worker is sending this very message now: try again after it has finished."""
    code, message = "delivery_in_flight", "This message is being sent by another worker."


def claim(tx: Tx, *, business_id: UUID | None, outbox_id: UUID, message: str, channel: str, recipient: str,
          customer_id: UUID | None, appointment_id: UUID | None, fallback_of: UUID | None = None) -> UUID | None:
    """The delivery row to send under, or None when this send is already settled (sent, failed for
    good, skipped or uncertain). Raises ``InFlight`` while another worker holds it."""
    keys = {"outbox_id": outbox_id, "channel": channel, "recipient": recipient}
    claimed = tx.value(_CLAIM, bid=business_id, message=message, customer_id=customer_id,
                       appointment_id=appointment_id, fallback_of=fallback_of, **keys)
    if claimed is not None:
        return claimed
    if tx.value(_SETTLE_ABANDONED, lease=SEND_LEASE_S, **keys) == "sending":
        raise InFlight()
    return None


def sent_this_period(tx: Tx, business_id: UUID, channel: str) -> int:
    """How many of the business's messages on ``channel`` were sent in its usage period now."""
    return int(tx.value(_SENT_THIS_PERIOD, bid=business_id, channel=channel))


def failed_for_good(tx: Tx, *, outbox_id: UUID, channel: str, recipient: str) -> UUID | None:
    return tx.value(_FAILED_FOR_GOOD, outbox_id=outbox_id, channel=channel, recipient=recipient)


def forget_recipient(tx: Tx, customer_id: UUID) -> None:
    # Unique per row, so the delivery key (outbox, channel, recipient) still holds.
    tx.execute(_FORGET_RECIPIENT, customer_id=customer_id, erased=_ERASED)


def skipped(tx: Tx, *, business_id: UUID | None, outbox_id: UUID, message: str, channel: str,
            customer_id: UUID | None, appointment_id: UUID | None, reason: str) -> None:
    tx.execute(_SKIPPED, bid=business_id, outbox_id=outbox_id, message=message, channel=channel,
               customer_id=customer_id, appointment_id=appointment_id, reason=reason)


def settle(delivery_id: UUID, status: str, *, provider_id: str | None = None, error: str | None = None) -> None:
    """Record how a send ended: sent, retrying (the queue tries again) or failed (for good). A
    provider's error may quote the address it refused: it is kept without it (the row's recipient
    says who, until an erase). A business's message about an appointment, sent, is counted in its
    usage in the same statement (product messages are not; nor, since no usage period can be told,
    are a business's without a subscription row: sign-up and migration 0018 give every business one)."""
    with db.jobs_tx() as tx:
        tx.execute(_OUTCOME, id=delivery_id, status=status, provider_id=provider_id,
                   error=log.redact(error)[:1000] if error else None)


def provider_status(tx: Tx, *, channel: str, provider_id: str, status: str, at: datetime,
                    error: str | None) -> dict[str, Any] | None:
    """Apply a provider's status report (in a jobs transaction; ``at``: when the provider saw it);
    answer the row when it changed."""
    return tx.one(_PROVIDER_STATUS, channel=channel, provider_id=provider_id, status=status, at=at, error=error)


def _shown_recipient(recipient: str) -> str | None:
    """None for a message sent to nobody (skipped) or to a customer since erased."""
    return None if not recipient or recipient.startswith(_ERASED) else recipient


def _log_json(row: dict[str, Any]) -> dict[str, Any]:
    def text(value: Any) -> str | None:
        return None if value is None else str(value)

    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {"id": str(row["id"]), "outbox_id": str(row["outbox_id"]), "message": row["message"],
            "channel": row["channel"], "recipient": _shown_recipient(row["recipient"]),
            "customer_id": text(row["customer_id"]), "appointment_id": text(row["appointment_id"]),
            "status": row["status"], "provider_message_id": row["provider_message_id"], "error": row["error"],
            "fallback_of": text(row["fallback_of"]), "attempts": row["attempts"],
            "created_at": when(row["created_at"]), "updated_at": when(row["updated_at"])}


def log_page(business_id: UUID, *, limit: int, cursor: str | None, appointment_id: UUID | None = None,
             customer_id: UUID | None = None) -> dict[str, Any]:
    after = decode_cursor(cursor, 2)
    with db.tenant_tx(business_id) as tx:
        rows = tx.all(_LOG, bid=business_id, after_at=after[0] if after else None,
                      after_id=after[1] if after else None, appointment_id=appointment_id,
                      customer_id=customer_id, limit=limit + 1)
    return page(rows, limit, lambda r: (r["created_at"].isoformat(), str(r["id"])), _log_json)


_PRUNE = """-- retention: the oldest log rows past the period (long after any redelivery of their message), one batch
DELETE FROM notification_deliveries WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM notification_deliveries WHERE created_at < now() - make_interval(secs => :older_than_s)
     ORDER BY created_at LIMIT :batch))"""


def prune(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """The retention sweep's (every tenant's): delete up to ``batch`` delivery rows older than
    ``older_than_s``; answer how many."""
    return tx.execute(_PRUNE, older_than_s=older_than_s, batch=batch)
