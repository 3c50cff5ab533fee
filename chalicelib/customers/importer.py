"""POST /customers/import: customers from a CSV file, with a report line per data row.

The header row names the columns, in any order: ``name`` (required), ``email``,
``phone``, ``tags`` (separated by ``;``) and ``marketing_opt_in``
(true/false/yes/no/1/0). A row matches an existing customer by e-mail address,
then by phone number. With ``update_existing`` the match is updated (a non-empty
cell replaces the value, an empty one keeps it); without, the row is rejected.
Within the file, a row whose e-mail address, phone number or matched customer an
earlier row already took is rejected as "duplicate of row N" (N its line). A
rejected row never stops the others.

The database work is the same few statements whatever the file's size: load
(and lock) every customer the file's addresses and numbers belong to, then one
insert, one update and one consent insert, each reading a JSON array of rows.
"""
from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any
from uuid import UUID

from chalicelib.core import db, validate
from chalicelib.core.db import ConstraintViolated
from chalicelib.core.errors import Conflict, ValidationFailed
from chalicelib.core.validate import Email, Name, Struct
from chalicelib.customers.service import Phone, Tags, normalize_phone, normalize_tags

MAX_ROWS = 5000
COLUMNS = ("name", "email", "phone", "tags", "marketing_opt_in")
_FLAGS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}

_MATCHES = """-- the customers the file's e-mail addresses and phone numbers belong to, locked until the import ends
SELECT id, email, phone_normalized, marketing_opt_in FROM customers
 WHERE business_id = :bid
   AND (email = ANY(CAST(:emails AS text[])) OR phone_normalized = ANY(CAST(:phones AS text[])))
   FOR UPDATE"""

_INSERT_MANY = """-- the file's new customers
INSERT INTO customers (id, business_id, name, email, phone, phone_normalized, tags, marketing_opt_in)
SELECT r.id, :bid, r.name, r.email, r.phone, r.phone_normalized, r.tags, r.marketing_opt_in
  FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(id uuid, name text, email text, phone text,
                                                    phone_normalized text, tags text[], marketing_opt_in boolean)"""

_UPDATE_MANY = """-- the file's changes to existing customers: a value given replaces, a missing one (null) keeps
UPDATE customers c
   SET name = r.name, email = coalesce(r.email, c.email),
       phone = CASE WHEN r.phone_normalized IS NULL THEN c.phone ELSE r.phone END,
       phone_normalized = coalesce(r.phone_normalized, c.phone_normalized),
       tags = coalesce(r.tags, c.tags), marketing_opt_in = coalesce(r.marketing_opt_in, c.marketing_opt_in),
       version = c.version + 1, updated_at = now()
  FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(id uuid, name text, email text, phone text,
                                                    phone_normalized text, tags text[], marketing_opt_in boolean)
 WHERE c.id = r.id"""

_CONSENTS_MANY = """-- marketing consent the file gave or withdrew, where it changed
INSERT INTO customer_consents (business_id, customer_id, kind, granted, source, actor_id)
SELECT :bid, r.customer_id, 'marketing', r.granted, 'import', CAST(:actor_id AS uuid)
  FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(customer_id uuid, granted boolean)"""

_UNIQUE_KEYS = ("customers_email_key", "customers_phone_key")


class ImportConflict(Conflict):
    code, message = "import_conflict", "Customers were changed while importing; run the import again."


class _Row(Struct):
    """One data row's values, checked like the API's fields (None: the cell was empty)."""
    name: Name
    email: Email | None = None
    phone: Phone | None = None
    tags: Tags | None = None
    marketing_opt_in: bool | None = None


def _read(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header's column names and the non-blank records, each with the line it starts on."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    records: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None)
        while True:
            line = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                break
            if any(cell.strip() for cell in cells):
                records.append((line, cells))
    except csv.Error as e:
        raise ValidationFailed({"csv": f"line {reader.line_num}: {e}"}) from None
    columns = [name.strip().lower() for name in header or []]
    if not any(columns):
        raise ValidationFailed({"csv": "a header row naming the columns is required"})
    unknown = [name or "(empty)" for name in columns if name not in COLUMNS]
    if unknown:
        raise ValidationFailed({"csv": f"unknown columns: {', '.join(unknown)}"})
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if repeated:
        raise ValidationFailed({"csv": f"repeated columns: {', '.join(repeated)}"})
    if "name" not in columns:
        raise ValidationFailed({"csv": "missing column: name"})
    if len(records) > MAX_ROWS:
        raise ValidationFailed({"csv": f"at most {MAX_ROWS} rows per import (this file has {len(records)})"})
    return columns, records


def _check(columns: list[str], cells: list[str]) -> _Row | str:
    """The row's values, or the reason it is rejected."""
    if any(cell.strip() for cell in cells[len(columns):]):
        return "more cells than columns"
    raw = {column: cell.strip() for column, cell in zip(columns, cells) if cell.strip()}
    if "name" not in raw:
        return "missing name"
    if "tags" in raw:
        raw["tags"] = normalize_tags(raw["tags"].split(";")) or None
    if "marketing_opt_in" in raw:
        raw["marketing_opt_in"] = _FLAGS.get(raw["marketing_opt_in"].lower())
        if raw["marketing_opt_in"] is None:
            return "bad marketing_opt_in (use true/false/yes/no/1/0)"
    try:
        return validate.convert(raw, _Row)
    except ValidationFailed as e:
        field = next(iter(e.details["fields"])).split(".")[0]
        return f"bad {field}"


def _report_line(line: int, status: str, customer_id: Any = None, reason: str | None = None) -> dict[str, Any]:
    return {"row": line, "status": status, "customer_id": str(customer_id) if customer_id else None,
            "reason": reason}


def import_csv(business_id: UUID, text: str, *, update_existing: bool, actor_id: UUID) -> dict[str, Any]:
    """Create or update the file's customers; answer the report (counts and a line per data row)."""
    columns, records = _read(text)
    checked = [(line, _check(columns, cells)) for line, cells in records]
    valid = [row for _, row in checked if isinstance(row, _Row)]
    phones = {row.phone: normalize_phone(row.phone) for row in valid if row.phone}
    try:
        with db.tenant_tx(business_id) as tx:
            existing = tx.all(_MATCHES, bid=business_id, emails=sorted({r.email for r in valid if r.email}),
                              phones=sorted(set(phones.values())))
            plan = _Plan(existing, update_existing)
            report = [_report_line(line, "rejected", reason=row) if isinstance(row, str)
                      else plan.take(line, row, phones.get(row.phone)) for line, row in checked]
            if plan.inserts:
                tx.execute(_INSERT_MANY, bid=business_id, rows=json.dumps(plan.inserts))
            if plan.updates:
                tx.execute(_UPDATE_MANY, rows=json.dumps(plan.updates))
            if plan.consents:
                tx.execute(_CONSENTS_MANY, bid=business_id, actor_id=actor_id, rows=json.dumps(plan.consents))
    except ConstraintViolated as e:
        # A customer with one of the file's addresses or numbers was created while it was read.
        if e.name in _UNIQUE_KEYS:
            raise ImportConflict() from e
        raise
    counts = {status: sum(1 for line in report if line["status"] == status)
              for status in ("created", "updated", "rejected")}
    return {**counts, "rows": report}


class _Plan:
    """What each row does, decided in file order against the customers found and the earlier rows."""

    def __init__(self, existing: list[dict[str, Any]], update_existing: bool) -> None:
        self.by_email = {r["email"]: r for r in existing if r["email"]}
        self.by_phone = {r["phone_normalized"]: r for r in existing if r["phone_normalized"]}
        self.update_existing = update_existing
        # e-mail address, phone number or customer id -> the line of the row that took it
        self.taken: dict[tuple[str, Any], int] = {}
        self.inserts: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.consents: list[dict[str, Any]] = []

    def take(self, line: int, row: _Row, phone_normalized: str | None) -> dict[str, Any]:
        by_email = self.by_email.get(row.email) if row.email else None
        by_phone = self.by_phone.get(phone_normalized) if phone_normalized else None
        if by_email and by_phone and by_email["id"] != by_phone["id"]:
            return _report_line(line, "rejected", reason="email and phone belong to two different customers")
        match = by_email or by_phone
        keys = [key for key in (("email", row.email), ("phone", phone_normalized),
                                ("customer", match["id"] if match else None)) if key[1]]
        earlier = [self.taken[key] for key in keys if key in self.taken]
        if earlier:
            return _report_line(line, "rejected", reason=f"duplicate of row {min(earlier)}")
        if match and not self.update_existing:
            return _report_line(line, "rejected", match["id"], "customer exists")
        self.taken.update((key, line) for key in keys)
        values = {"name": row.name, "email": row.email, "phone": row.phone, "phone_normalized": phone_normalized,
                  "tags": row.tags, "marketing_opt_in": row.marketing_opt_in}
        if match is None:
            customer_id = uuid.uuid4()
            self.inserts.append({**values, "id": str(customer_id), "tags": row.tags or [],
                                 "marketing_opt_in": bool(row.marketing_opt_in)})
            if row.marketing_opt_in:
                self.consents.append({"customer_id": str(customer_id), "granted": True})
            return _report_line(line, "created", customer_id)
        self.updates.append({**values, "id": str(match["id"])})
        if row.marketing_opt_in is not None and row.marketing_opt_in != match["marketing_opt_in"]:
            self.consents.append({"customer_id": str(match["id"]), "granted": row.marketing_opt_in})
        return _report_line(line, "updated", match["id"])
