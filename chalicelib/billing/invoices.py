"""The business's Stripe invoices, mirrored from the invoice events (each re-fetched from Stripe) and
listed for the owner. Owns ``invoices``.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from chalicelib.core import db
from chalicelib.core.db import Tx
from chalicelib.core.pagination import decode_cursor, page

_COLUMNS = """stripe_invoice_id, number, status, currency, total_minor, amount_due_minor, amount_paid_minor,
       hosted_invoice_url, invoice_pdf, period_start, period_end, issued_at"""

_MIRROR = f"""-- an invoice as Stripe holds it now (re-fetched), stored over any older copy
INSERT INTO invoices (stripe_invoice_id, business_id, number, status, currency, total_minor, amount_due_minor,
                      amount_paid_minor, hosted_invoice_url, invoice_pdf, period_start, period_end, issued_at)
VALUES (:id, :bid, :number, :status, :currency, :total, :amount_due, :amount_paid, :hosted_invoice_url,
        :invoice_pdf, :period_start, :period_end, :issued_at)
ON CONFLICT (stripe_invoice_id) DO UPDATE
   SET number = EXCLUDED.number, status = EXCLUDED.status, currency = EXCLUDED.currency,
       total_minor = EXCLUDED.total_minor, amount_due_minor = EXCLUDED.amount_due_minor,
       amount_paid_minor = EXCLUDED.amount_paid_minor, hosted_invoice_url = EXCLUDED.hosted_invoice_url,
       invoice_pdf = EXCLUDED.invoice_pdf, period_start = EXCLUDED.period_start,
       period_end = EXCLUDED.period_end, issued_at = EXCLUDED.issued_at, updated_at = now()
RETURNING {_COLUMNS}"""

_LIST = f"""-- a page of the business's invoices, newest first
SELECT {_COLUMNS} FROM invoices
 WHERE business_id = :bid
   AND (CAST(:after_at AS timestamptz) IS NULL
        OR (issued_at, stripe_invoice_id) < (CAST(:after_at AS timestamptz), CAST(:after_id AS text)))
 ORDER BY issued_at DESC, stripe_invoice_id DESC
 LIMIT :limit"""

# Invoice statuses Stripe has; an unknown one (a new API version) is not mirrored.
STATUSES = ("draft", "open", "paid", "uncollectible", "void")


def instant(epoch: int | None) -> datetime | None:
    """A Stripe timestamp (seconds since the epoch) as an instant."""
    return datetime.fromtimestamp(epoch, timezone.utc) if epoch else None


def mirror(tx: Tx, business_id: UUID, invoice: dict[str, Any]) -> dict[str, Any] | None:
    """Write ``invoice`` (a Stripe invoice re-fetched, as a dict) to the business's mirror; None when
    its status is one we do not know."""
    if invoice.get("status") not in STATUSES:
        return None
    transitions = invoice.get("status_transitions") or {}
    return tx.one(_MIRROR, id=invoice["id"], bid=business_id, number=invoice.get("number"),
                  status=invoice["status"], currency=str(invoice["currency"]).upper(),
                  total=invoice.get("total") or 0, amount_due=invoice.get("amount_due") or 0,
                  amount_paid=invoice.get("amount_paid") or 0,
                  hosted_invoice_url=invoice.get("hosted_invoice_url"), invoice_pdf=invoice.get("invoice_pdf"),
                  period_start=instant(invoice.get("period_start")), period_end=instant(invoice.get("period_end")),
                  issued_at=instant(transitions.get("finalized_at") or invoice.get("created")))


def _money(amount: int, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


def invoice_json(row: dict[str, Any]) -> dict[str, Any]:
    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    currency = row["currency"]
    return {"id": row["stripe_invoice_id"], "number": row["number"], "status": row["status"],
            "total": _money(row["total_minor"], currency), "amount_due": _money(row["amount_due_minor"], currency),
            "amount_paid": _money(row["amount_paid_minor"], currency),
            "hosted_invoice_url": row["hosted_invoice_url"], "invoice_pdf": row["invoice_pdf"],
            "period_start": when(row["period_start"]), "period_end": when(row["period_end"]),
            "issued_at": when(row["issued_at"])}


def list_page(business_id: UUID, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """A page of the business's invoices, newest first."""
    after = decode_cursor(cursor, 2)
    with db.tenant_tx(business_id) as tx:
        rows = tx.all(_LIST, bid=business_id, after_at=after[0] if after else None,
                      after_id=after[1] if after else None, limit=limit + 1)
    return page(rows, limit, lambda r: (r["issued_at"].isoformat(), r["stripe_invoice_id"]), invoice_json)
