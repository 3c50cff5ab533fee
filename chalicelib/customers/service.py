"""The business's customers: search, records, internal notes, consent history and the GDPR erase
(the CSV import is in ``importer.py``, the e-mail confirming a consent in ``messages.py``).

Owns ``customers``, ``customer_notes``, ``customer_consents`` and ``consent_requests``. A customer is
unique within the business by e-mail address and by phone number (compared in
the normalised form: digits with a leading +). Consent is kept twice: the
current state on the customer, and every grant or withdrawal, with its source,
in ``customer_consents``, written in the same transaction. Marketing consent
asked for on the public booking page is only a request (``consent_requests``)
until the customer's address confirms it through an e-mailed single-use link
(double opt-in): anyone can type anyone's address into a booking form. An erased
customer keeps its row, so appointment history stays whole, but identifies nobody.
"""
from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

import msgspec

from chalicelib.auth import users
from chalicelib.core import db, idempotency, rate_limit, security
from chalicelib.core.db import ConstraintViolated, Tx
from chalicelib.core.errors import Conflict, NotFound, StaleVersion, ValidationFailed
from chalicelib.core.pagination import decode_cursor, page
from chalicelib.events import outbox
from chalicelib.notifications import deliveries

# What a phone number may look like: an optional +, then 6 to 20 digits among spaces, dots, dashes,
# slashes and brackets. Shared by the routes' declarations and the import.
PHONE_PATTERN = r"^\+?[ ()./-]*(?:[0-9][ ()./-]*){6,20}$"
Phone = Annotated[str, msgspec.Meta(pattern=PHONE_PATTERN, max_length=40)]
# A tag: short, on one line, never holding the `;` that separates tags in a CSV file.
Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=32, pattern=r"^[^\x00-\x1f;]*[^\s;][^\x00-\x1f;]*$")]
MAX_TAGS = 20
Tags = Annotated[list[Tag], msgspec.Meta(max_length=MAX_TAGS)]
Locale = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]

ERASED_NAME = "Erased customer"
# The outbox topic of a consent request's e-mail.
CONSENT_REQUESTED = "customer.consent_requested"
# How long a consent request's e-mailed link works, and how often asking again sends another e-mail
# (each booking may ask; the customer's mailbox gets at most one such e-mail a day from a business).
CONSENT_CONFIRM_TTL = timedelta(days=7)
CONSENT_RESEND_AFTER = timedelta(days=1)

_COLUMNS = """id, business_id, name, email, phone, phone_normalized, tags, locale, preferred_channel,
       terms_accepted_at, marketing_opt_in, erased_at, version, created_at, updated_at"""

_GET = f"""-- one customer, erased or not
SELECT {_COLUMNS} FROM customers WHERE id = :id"""

_SEARCH = f"""-- a page of live customers in (name, id) order matching every filter given: ?q= is a name substring,
-- an e-mail prefix or phone digits; e-mail and phone are exact, the tag contained. The page's ids come
-- from customers_search_idx alone (an index-only scan: under row-level security no index can serve
-- LIKE), then its rows are read
WITH found AS (
    SELECT id FROM customers
     WHERE erased_at IS NULL
       AND (CAST(:q AS text) IS NULL
            OR name_lower LIKE '%' || CAST(:q AS text) || '%' ESCAPE '\\'
            OR email LIKE CAST(:q AS text) || '%' ESCAPE '\\'
            OR phone_normalized LIKE '%' || CAST(:digits AS text) || '%')
       AND (CAST(:email AS text) IS NULL OR email = CAST(:email AS text))
       AND (CAST(:phone AS text) IS NULL OR phone_normalized = CAST(:phone AS text))
       AND (CAST(:tag AS text) IS NULL OR tags @> ARRAY[CAST(:tag AS text)])
       AND (CAST(:after_name AS text) IS NULL
            OR (name, id) > (CAST(:after_name AS text), CAST(:after_id AS uuid)))
     ORDER BY name, id
     LIMIT :limit)
SELECT {_COLUMNS} FROM customers WHERE id IN (SELECT id FROM found) ORDER BY name, id"""

_BRIEFS = """-- the name and contact of some customers, for answers about other things that name them
SELECT id, name, email, phone FROM customers WHERE id = ANY(CAST(:ids AS uuid[]))"""

_INSERT = f"""-- a new customer; consent is given after, through record_consent, so its history starts with it
INSERT INTO customers (business_id, name, email, phone, phone_normalized, tags, locale, preferred_channel)
VALUES (:bid, :name, :email, :phone, :phone_normalized, CAST(:tags AS text[]), :locale, :preferred_channel)
RETURNING {_COLUMNS}"""

# Assignments a PATCH may make, by column: fixed text, never built from the request.
_SETS = {
    "name": "name = :name",
    "email": "email = :email",
    "phone": "phone = :phone, phone_normalized = :phone_normalized",
    "tags": "tags = CAST(:tags AS text[])",
    "locale": "locale = :locale",
    "preferred_channel": "preferred_channel = :preferred_channel",
}

_ID_BY_EMAIL = """-- who holds an e-mail address
SELECT id FROM customers WHERE email = :email"""
_ID_BY_PHONE = """-- who holds a phone number
SELECT id FROM customers WHERE phone_normalized = :phone_normalized"""

_SET_CONSENT = """-- a consent given or withdrawn: the current state changes, and the change is recorded, only when
-- it differs from what the customer has now (the row lock makes a concurrent equal change record nothing)
WITH changed AS (
    UPDATE customers
       SET marketing_opt_in = CASE WHEN :kind = 'marketing' THEN CAST(:granted AS boolean) ELSE marketing_opt_in END,
           terms_accepted_at = CASE WHEN :kind <> 'terms' THEN terms_accepted_at
                                    WHEN CAST(:granted AS boolean) THEN now() END,
           updated_at = now()
     WHERE id = :id AND business_id = :bid
       AND CAST(:granted AS boolean) <> CASE WHEN :kind = 'marketing' THEN marketing_opt_in
                                            ELSE terms_accepted_at IS NOT NULL END
    RETURNING business_id, id)
INSERT INTO customer_consents (business_id, customer_id, kind, granted, source, actor_id)
SELECT business_id, id, :kind, CAST(:granted AS boolean), :source, CAST(:actor_id AS uuid) FROM changed"""

_NOTES = """-- a customer's internal notes, newest first
SELECT id, body, author_id, created_at FROM customer_notes
 WHERE customer_id = :id ORDER BY created_at DESC, id DESC"""

_CONSENTS = """-- a customer's consent history, newest first: each grant or withdrawal, and each request that awaits
-- (or got, or missed) the confirmation of the customer's address
SELECT kind, granted, CASE WHEN granted THEN 'granted' ELSE 'withdrawn' END AS status, source, actor_id,
       recorded_at
  FROM customer_consents WHERE customer_id = :id
UNION ALL
SELECT kind, false, CASE WHEN confirmed_at IS NOT NULL THEN 'confirmed' WHEN expires_at <= now() THEN 'expired'
                         ELSE 'requested' END, source, NULL, requested_at
  FROM consent_requests WHERE customer_id = :id
 ORDER BY recorded_at DESC, kind"""

_ADD_NOTE = """-- an internal note on a live customer
INSERT INTO customer_notes (business_id, customer_id, body, author_id)
SELECT business_id, id, :body, :author_id FROM customers WHERE id = :id AND erased_at IS NULL
RETURNING id, body, author_id, created_at"""

_ERASE = """-- GDPR erase: nothing that identifies the person stays; the row does, for the appointments pointing
-- at it (erasing twice changes nothing more)
UPDATE customers
   SET name = :erased_name, email = NULL, phone = NULL, phone_normalized = NULL, tags = '{}', locale = NULL,
       preferred_channel = 'email', marketing_opt_in = false,
       version = CASE WHEN erased_at IS NULL THEN version + 1 ELSE version END,
       updated_at = CASE WHEN erased_at IS NULL THEN now() ELSE updated_at END,
       erased_at = coalesce(erased_at, now())
 WHERE id = :id
RETURNING id"""

_DELETE_NOTES = """-- notes may name or describe the person: they go with the erase (consents stay, the legal record)
DELETE FROM customer_notes WHERE customer_id = :id"""

_DELETE_CONSENT_REQUESTS = """-- consent requests, open or confirmed (a grant they led to is in customer_consents): they
-- hold a hash of the person's address
DELETE FROM consent_requests WHERE customer_id = :id"""

_REQUEST_CONSENT = f"""-- consent asked for on the booking page, by a customer who has an address and has not
-- consented yet: a request until the address confirms it, and the event that has it e-mailed; the
-- open request is renewed (a new e-mail) once it is a day old. The event's created_at is the
-- request's requested_at (both the transaction's now()): what tells an e-mail of the request as it
-- is from an earlier one's.
WITH requested AS (
  INSERT INTO consent_requests AS r (business_id, customer_id, kind, source, expires_at)
  SELECT business_id, id, :kind, :source, now() + make_interval(secs => :ttl_s) FROM customers
   WHERE id = :customer_id AND email IS NOT NULL AND erased_at IS NULL AND NOT marketing_opt_in
  ON CONFLICT (business_id, customer_id, kind) WHERE confirmed_at IS NULL DO UPDATE
     SET requested_at = now(), expires_at = EXCLUDED.expires_at, token_hash = NULL, address_hash = NULL
   WHERE r.requested_at < now() - make_interval(secs => :resend_s)
  RETURNING id
), {outbox.insert_cte("requested")}
SELECT (SELECT id FROM requested) AS id, (SELECT id FROM outboxed) AS outbox_id"""

_CONSENT_TO_SEND = """-- an open request, as it was when its e-mail was asked for (not renewed since), with where
-- it goes
SELECT r.id, r.customer_id, r.kind, r.requested_at, c.email, b.name AS business_name,
       b.contact_email AS business_email
  FROM consent_requests r
  JOIN customers c ON c.business_id = r.business_id AND c.id = r.customer_id
  JOIN businesses b ON b.id = r.business_id
 WHERE r.id = :id AND r.requested_at = :requested_at AND r.confirmed_at IS NULL AND r.expires_at > now()
   AND c.erased_at IS NULL AND c.email IS NOT NULL"""

_CONSENT_LINK = """-- the e-mail is written: the hash of its link's secret and of the address it goes to
UPDATE consent_requests r
   SET token_hash = :hash, address_hash = encode(sha256(convert_to(c.email, 'UTF8')), 'hex')
  FROM customers c
 WHERE r.id = :id AND c.business_id = r.business_id AND c.id = r.customer_id"""

_CONFIRM_CONSENT = """-- a request confirmed through its link: once, before it expires, and only while the customer (not
-- erased) still has the address the link was sent to
UPDATE consent_requests r SET confirmed_at = now()
  FROM customers c
 WHERE r.token_hash = :hash AND r.confirmed_at IS NULL AND r.expires_at > now()
   AND c.business_id = r.business_id AND c.id = r.customer_id AND c.erased_at IS NULL
   AND r.address_hash = encode(sha256(convert_to(c.email, 'UTF8')), 'hex')
RETURNING r.customer_id, r.kind, r.source"""

_PRUNE_CONSENT_REQUESTS = """-- retention: requests that expired unconfirmed the period ago, oldest first, one batch
-- (the sweep may only read and delete here, so it locks nothing ahead: a row being confirmed is
-- waited for)
DELETE FROM consent_requests WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM consent_requests
     WHERE confirmed_at IS NULL AND expires_at < now() - make_interval(secs => :older_than_s)
     ORDER BY expires_at LIMIT :batch))"""

_MATCH = f"""-- the customer an e-mail address or phone number belongs to, the e-mail's holder first
SELECT {_COLUMNS} FROM customers
 WHERE email = CAST(:email AS text) OR phone_normalized = CAST(:phone_normalized AS text)
 ORDER BY (email = CAST(:email AS text)) IS TRUE DESC
 LIMIT 1"""

_INSERT_IF_NEW = f"""-- a new customer unless one holds the e-mail address or phone number by now (either unique index)
INSERT INTO customers (business_id, name, email, phone, phone_normalized, locale)
VALUES (:bid, :name, :email, :phone, :phone_normalized, :locale)
ON CONFLICT DO NOTHING
RETURNING {_COLUMNS}"""

_UNIQUE_KEYS = ("customers_email_key", "customers_phone_key")


class CustomerExists(Conflict):
    code, message = "customer_exists", "A customer with this e-mail address or phone number exists."



class CustomerErased(Conflict):
    code, message = "customer_erased", "This customer was erased and can no longer be changed."


# --- values ----------------------------------------------------------------------------------

def normalize_phone(phone: str) -> str:
    """What de-duplication and search compare: the digits, with the leading + if there was one."""
    phone = phone.strip()
    return ("+" if phone.startswith("+") else "") + re.sub(r"[^0-9]", "", phone)


def normalize_tags(tags: list[str]) -> list[str]:
    """Lower-cased and trimmed, each once, in the order given."""
    return list(dict.fromkeys(t.strip().lower() for t in tags if t.strip()))


def _like_escaped(text: str) -> str:
    """``text`` matched literally by LIKE ... ESCAPE '\\' (a user's % or _ is not a wildcard)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _phone_columns(phone: str | None) -> dict[str, str | None]:
    return {"phone": phone.strip() if phone else None, "phone_normalized": normalize_phone(phone) if phone else None}


# --- JSON ------------------------------------------------------------------------------------

def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def briefs(tx: Tx, customer_ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    """Name and contact of each customer asked for, by id, in one statement (an erased one keeps its
    placeholder name; one that is not found is left out)."""
    rows = tx.all(_BRIEFS, ids=[str(i) for i in set(customer_ids)]) if customer_ids else []
    return {r["id"]: {"id": str(r["id"]), "name": r["name"], "email": r["email"], "phone": r["phone"]} for r in rows}


def customer_json(row: dict[str, Any]) -> dict[str, Any]:
    """A customer row (from ``get``, ``find_or_create`` ...) in the API's shape, without notes."""
    return {
        "id": str(row["id"]),
        "name": row["name"],
        "email": row["email"],
        "phone": row["phone"],
        "phone_normalized": row["phone_normalized"],
        "tags": list(row["tags"] or []),
        "locale": row["locale"],
        "preferred_channel": row["preferred_channel"],
        "marketing_opt_in": row["marketing_opt_in"],
        "terms_accepted": row["terms_accepted_at"] is not None,
        "terms_accepted_at": _iso(row["terms_accepted_at"]),
        "erased_at": _iso(row["erased_at"]),
        "version": row["version"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def _note_json(row: dict[str, Any], authors: dict[UUID, dict[str, Any]]) -> dict[str, Any]:
    author = authors.get(row["author_id"])
    return {"id": str(row["id"]), "body": row["body"],
            "author": {"id": str(author["id"]), "name": author["name"]} if author else None,
            "created_at": row["created_at"].isoformat()}


def _consent_json(row: dict[str, Any]) -> dict[str, Any]:
    return {"kind": row["kind"], "granted": row["granted"], "status": row["status"], "source": row["source"],
            "actor_id": str(row["actor_id"]) if row["actor_id"] else None,
            "recorded_at": row["recorded_at"].isoformat()}


# --- for other modules -----------------------------------------------------------------------

def get(tx: Tx, customer_id: UUID) -> dict[str, Any] | None:
    """The raw customer row (erased ones too: check ``erased_at``), or None if the tenant has no such
    customer."""
    return tx.one(_GET, id=customer_id)


def record_consent(tx: Tx, business_id: UUID, customer_id: UUID, *, kind: str, granted: bool, source: str,
                   actor_id: UUID | None = None) -> None:
    """Record that ``kind`` ("terms" or "marketing") consent was given (``granted``) or withdrawn, and
    make it the customer's current state, inside the caller's transaction. An unchanged value
    records nothing. ``source`` is one of booking_page, staff, import, unsubscribe, manage_link;
    ``actor_id`` the user who recorded it, if any."""
    tx.execute(_SET_CONSENT, bid=business_id, id=customer_id, kind=kind, granted=granted, source=source,
               actor_id=str(actor_id) if actor_id else None)


def find_or_create(tx: Tx, business_id: UUID, *, name: str, email: str | None, phone: str | None,
                   locale: str | None = None) -> dict[str, Any]:
    """The customer a public booking is for, inside the caller's transaction (raw row). ``name`` and
    ``email`` come validated by the caller's declaration (``Name``, ``Email``); a bad phone is a 422.

    Matched by e-mail first, then by phone; a match is taken as it is stored. Nothing typed on the
    public page changes it: not its name, and no phone number or e-mail address is added to it either,
    since the page proves control of neither, and an address added to someone else's record would get
    their messages and manage links from then on. Otherwise a new customer. Safe under concurrency:
    the insert yields to a customer another transaction created with the same address or number (ON
    CONFLICT on both unique indexes), which is then matched."""
    email = email.strip().lower() if email else None
    if phone and not re.fullmatch(PHONE_PATTERN, phone):
        raise ValidationFailed({"phone": "needs 6 to 20 digits"})
    values = {"email": email, **_phone_columns(phone), "locale": locale}
    # Twice is enough: a failed insert means a committed customer holds the address or number, and
    # the second match finds it (a third round would need it erased in between).
    for _attempt in range(3):
        match = tx.one(_MATCH, email=email, phone_normalized=values["phone_normalized"])
        if match is not None:
            return match
        created = tx.one(_INSERT_IF_NEW, bid=business_id, name=name, **values)
        if created is not None:
            return created
    raise Conflict("The customer changed while booking; please try again.", code="customer_busy")


def anonymise(tx: Tx, customer_id: UUID) -> bool:
    """The GDPR erase of the customer record inside the caller's transaction: name replaced, contact
    details, tags and locale cleared, notes and consent requests deleted, the addresses messages went
    to forgotten, what was written about their appointments cleared, their manage links ended and the
    answers kept for Idempotency-Key replays that name them deleted; consent history kept. False if there is no such customer; erasing twice is fine."""
    # Imported here: appointments builds on customers (it finds the customer a booking is for).
    from chalicelib.appointments import service as appointments

    if tx.value(_ERASE, id=customer_id, erased_name=ERASED_NAME) is None:
        return False
    tx.execute(_DELETE_NOTES, id=customer_id)
    tx.execute(_DELETE_CONSENT_REQUESTS, id=customer_id)
    deliveries.forget_recipient(tx, customer_id)
    appointments.forget_customer(tx, customer_id)
    idempotency.forget(tx, str(customer_id))
    return True


# --- consent asked for on the public page (double opt-in) ------------------------------------

def request_consent(tx: Tx, business_id: UUID, customer_id: UUID, *, kind: str, source: str) -> None:
    """Consent (``kind`` "marketing") asked for from the public page, inside the caller's transaction:
    it counts only once confirmed from the customer's e-mail address, so it is recorded as a request,
    and the notification pipeline e-mails the address a link to confirm it. Nothing happens for a
    customer who consents already or has no address; asking again while a request is open sends
    another e-mail at most once a day (``CONSENT_RESEND_AFTER``)."""
    row = tx.one(_REQUEST_CONSENT, bid=business_id, customer_id=customer_id, kind=kind, source=source,
                 ttl_s=CONSENT_CONFIRM_TTL.total_seconds(), resend_s=CONSENT_RESEND_AFTER.total_seconds(),
                 outbox_topic=CONSENT_REQUESTED, outbox_payload=json.dumps({"kind": kind}))
    if row["outbox_id"] is not None:
        outbox.added(tx, business_id, row["outbox_id"], aggregate_id=row["id"])


def consent_to_send(tx: Tx, event: dict[str, Any]) -> dict[str, Any] | None:
    """For the notification worker: the request an event (``CONSENT_REQUESTED``; its aggregate is the
    request) asks an e-mail for, with the customer's address and the business's name; None when the
    request is no longer open as it was then (confirmed, expired or asked again since, the customer
    erased or without an address)."""
    return tx.one(_CONSENT_TO_SEND, id=event["aggregate_id"], requested_at=event["created_at"])


def consent_link_token(tx: Tx, business_id: UUID, request: dict[str, Any]) -> str:
    """The secret of the request's confirm link (``request`` from ``consent_to_send``), for the e-mail
    being written; only its hash is kept. Derived from the request as it was asked for, so the same
    e-mail written again (a redelivery) carries the same working link."""
    key = f"{request['id']}:{request['requested_at'].isoformat()}"
    token, token_hash = security.derived_token("consent", key, prefix=str(business_id))
    tx.execute(_CONSENT_LINK, id=request["id"], hash=token_hash)
    return token


def confirm_consent(token: str, *, client: str) -> dict[str, Any]:
    """POST /public/consent/{token}: the customer's address confirms the consent it was asked for.
    The link works once, for ``CONSENT_CONFIRM_TTL``, while the customer still has that address;
    any other token is a 404 (which of these it was is not told)."""
    rate_limit.hit((rate_limit.MANAGE_ACTIONS_PER_ADDRESS, client))
    try:
        business_id = UUID(security.token_prefix(token))
    except ValueError:
        raise NotFound("consent request") from None
    with db.tenant_tx(business_id) as tx:
        row = tx.one(_CONFIRM_CONSENT, hash=security.hash_token(token))
        if row is None:
            raise NotFound("consent request")
        record_consent(tx, business_id, row["customer_id"], kind=row["kind"], granted=True, source=row["source"])
    return {"kind": row["kind"], "granted": True}


def prune_consent_requests(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """The retention sweep's (in its retention scope, every tenant's): delete up to ``batch`` requests
    that expired unconfirmed more than ``older_than_s`` seconds ago; answer how many. Confirmed ones
    stay (the proof of the opt-in) until their customer is erased."""
    return tx.execute(_PRUNE_CONSENT_REQUESTS, older_than_s=older_than_s, batch=batch)


# --- the routes' services --------------------------------------------------------------------

def search(business_id: UUID, *, q: str | None, email: str | None, phone: str | None, tag: str | None,
           limit: int, cursor: str | None) -> dict[str, Any]:
    """A page of live customers in name order matching every filter given."""
    after = decode_cursor(cursor, 2)
    text = q.strip().lower() if q else ""
    # A query that looks like a phone number also matches phone digits, its trunk 0s left out so that
    # "07700 900123" finds +447700900123 (and 3 digits at least: fewer would match nearly everyone).
    digits = re.sub(r"[^0-9]", "", text).lstrip("0") if re.fullmatch(r"\+?[0-9 ()./-]+", text) else ""
    with db.tenant_tx(business_id) as tx:
        rows = tx.all(_SEARCH, q=_like_escaped(text) if text else None, digits=digits if len(digits) >= 3 else None,
                      email=email.lower() if email else None, phone=normalize_phone(phone) if phone else None,
                      tag=tag.strip().lower() if tag else None, limit=limit + 1,
                      after_name=after[0] if after else None, after_id=after[1] if after else None)
    return page(rows, limit, lambda r: (r["name"], str(r["id"])), customer_json)


def create(business_id: UUID, *, name: str, email: str | None = None, phone: str | None = None,
           tags: list[str] | None = None, locale: str | None = None, preferred_channel: str = "email",
           marketing_opt_in: bool = False, terms_accepted: bool = False, actor_id: UUID) -> dict[str, Any]:
    """A customer entered by staff; the consents given are recorded with source "staff"."""
    values = {"name": name, "email": email, **_phone_columns(phone), "tags": normalize_tags(tags or []),
              "locale": locale, "preferred_channel": preferred_channel}
    try:
        with db.tenant_tx(business_id) as tx:
            row = tx.one(_INSERT, bid=business_id, **values)
            if terms_accepted or marketing_opt_in:
                _record_staff_consents(tx, business_id, row["id"], actor_id,
                                       {"terms_accepted": terms_accepted, "marketing_opt_in": marketing_opt_in})
                row = get(tx, row["id"])
    except ConstraintViolated as e:
        if e.name not in _UNIQUE_KEYS:
            raise
        raise CustomerExists(details={"customer_id": _holder(business_id, e.name, values)}) from e
    return customer_json(row)


def _record_staff_consents(tx: Tx, business_id: UUID, customer_id: UUID, actor_id: UUID,
                           changes: dict[str, Any]) -> None:
    for field, kind in (("terms_accepted", "terms"), ("marketing_opt_in", "marketing")):
        if field in changes:
            record_consent(tx, business_id, customer_id, kind=kind, granted=changes[field], source="staff",
                           actor_id=actor_id)


def _holder(business_id: UUID, index: str, values: dict[str, Any]) -> str | None:
    """The id of the customer holding the e-mail address or phone number that broke ``index`` (asked in
    a new transaction: the failed one is over)."""
    sql, key = (_ID_BY_EMAIL, "email") if index == "customers_email_key" else (_ID_BY_PHONE, "phone_normalized")
    with db.tenant_tx(business_id) as tx:
        holder = tx.value(sql, **{key: values[key]})
    return str(holder) if holder else None


def read(business_id: UUID, customer_id: UUID) -> dict[str, Any]:
    """A customer with its notes and its consent history, both newest first."""
    with db.tenant_tx(business_id) as tx:
        row = get(tx, customer_id)
        if row is None:
            raise NotFound("customer")
        notes = tx.all(_NOTES, id=customer_id)
        consents = tx.all(_CONSENTS, id=customer_id)
        authors = users.people(tx, list({n["author_id"] for n in notes if n["author_id"]}))
    return {**customer_json(row), "notes": [_note_json(n, authors) for n in notes],
            "consents": [_consent_json(c) for c in consents]}


def update(business_id: UUID, customer_id: UUID, changes: dict[str, Any], *, expected_version: int | None,
           actor_id: UUID) -> dict[str, Any]:
    """Apply a partial update (``changes`` in API shape); consent changes are recorded with source
    "staff". An erased customer cannot be changed."""
    values = {field: changes[field] for field in _SETS if field in changes}
    if "phone" in values:
        values.update(_phone_columns(values["phone"]))
    if "tags" in values:
        values["tags"] = normalize_tags(values["tags"])
    assignments = "".join(f"{_SETS[field]}, " for field in _SETS if field in changes)
    sql = f"""-- partial update of a live customer, bumping the version
UPDATE customers SET {assignments}version = version + 1, updated_at = now()
 WHERE id = :id AND erased_at IS NULL
   AND (CAST(:expected AS integer) IS NULL OR version = CAST(:expected AS integer))
RETURNING id"""
    try:
        with db.tenant_tx(business_id) as tx:
            if tx.value(sql, id=customer_id, expected=expected_version, **values) is None:
                current = get(tx, customer_id)
                if current is None:
                    raise NotFound("customer")
                raise CustomerErased() if current["erased_at"] else StaleVersion("customer")
            _record_staff_consents(tx, business_id, customer_id, actor_id, changes)
            row = get(tx, customer_id)
    except ConstraintViolated as e:
        if e.name not in _UNIQUE_KEYS:
            raise
        raise CustomerExists(details={"customer_id": _holder(business_id, e.name, values)}) from e
    return customer_json(row)


def erase(business_id: UUID, customer_id: UUID) -> None:
    """DELETE /customers/{id}: the GDPR erase of the customer record (see ``anonymise``)."""
    with db.tenant_tx(business_id) as tx:
        if not anonymise(tx, customer_id):
            raise NotFound("customer")


def add_note(business_id: UUID, customer_id: UUID, *, body: str, author_id: UUID) -> dict[str, Any]:
    with db.tenant_tx(business_id) as tx:
        row = tx.one(_ADD_NOTE, id=customer_id, body=body, author_id=author_id)
        if row is None:
            raise NotFound("customer") if get(tx, customer_id) is None else CustomerErased()
        authors = users.people(tx, [author_id])
    return _note_json(row, authors)
