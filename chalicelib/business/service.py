"""The tenant itself: profile and booking policy, the team (memberships and invitations), the logo.

Owns ``businesses``, ``memberships`` and ``invitations``. Role rules: admins
manage the business and invite staff and admins; only owners grant, change or
take away the owner role; the last owner can neither leave nor be demoted.
"""
from __future__ import annotations

import re
import secrets
import unicodedata
import uuid
from datetime import timedelta
from typing import Any
from uuid import UUID

from chalicelib.auth import users
from chalicelib.core import db, security
from chalicelib.core.db import ConstraintViolated, Tx
from chalicelib.core.errors import Conflict, Forbidden, NotFound, StaleVersion
from chalicelib.core.pagination import decode_cursor, page
from chalicelib.core.security import Caller
from chalicelib.core.settings import settings
from chalicelib.core.validate import RESERVED_SLUGS
from chalicelib.events import outbox
from chalicelib.integrations import storage

TRIAL_DAYS = 14
INVITATION_TTL = timedelta(days=7)
LOGO_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
LOGO_MAX_BYTES = 2 * 1024 * 1024

_COLUMNS = """id, name, slug, time_zone, currency, locale, contact_email, contact_phone, website, address,
       logo_key, slot_interval_min, min_notice_min, max_advance_days, cancel_cutoff_min,
       reschedule_cutoff_min, buffer_before_min, buffer_after_min, auto_confirm, plan, status,
       trial_ends_at, version, created_at, updated_at"""

_INSERT = f"""-- a new tenant (its slug is unique across every tenant, visible or not)
INSERT INTO businesses (id, name, slug, time_zone, currency, locale, contact_email, trial_ends_at)
VALUES (:id, :name, :slug, :time_zone, :currency, :locale, :contact_email,
        now() + make_interval(days => :trial_days))
ON CONFLICT (slug) DO NOTHING
RETURNING {_COLUMNS}"""

_GET = f"""-- the profile
SELECT {_COLUMNS} FROM businesses WHERE id = :id"""
_SERVE_SLUG = """-- this transaction serves one public page: the business with this slug becomes readable
SELECT set_config('app.slug', :slug, true)"""
_BY_SLUG = f"""-- the active business behind a public page
SELECT {_COLUMNS} FROM businesses WHERE slug = :slug AND status = 'active'"""
_OPEN_INVITATION = """-- an open invitation and its business's name, for its e-mail
SELECT i.email, i.role, i.token_hash, b.name AS business_name
  FROM invitations i JOIN businesses b ON b.id = i.business_id
 WHERE i.id = :id AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()"""

# Columns a PATCH may set, from the API's field names.
POLICY_FIELDS = ("slot_interval_min", "min_notice_min", "max_advance_days", "cancel_cutoff_min",
                 "reschedule_cutoff_min", "buffer_before_min", "buffer_after_min", "auto_confirm")
PROFILE_FIELDS = ("name", "slug", "time_zone", "currency", "locale")
CONTACT_FIELDS = {"email": "contact_email", "phone": "contact_phone", "website": "website", "address": "address"}

_ADD_MEMBER = """-- join a business with a role
INSERT INTO memberships (business_id, user_id, role) VALUES (:bid, :uid, :role)
ON CONFLICT (business_id, user_id) DO NOTHING
RETURNING user_id"""

_MEMBER_ROLE = """-- a member's role now (None: not a member)
SELECT role FROM memberships WHERE business_id = :bid AND user_id = :uid"""

_LOGIN_MEMBERSHIP = """-- the business a user lands in: the one asked for, else the first joined
SELECT business_id, role FROM memberships
 WHERE user_id = :uid AND (CAST(:bid AS uuid) IS NULL OR business_id = CAST(:bid AS uuid))
 ORDER BY created_at, business_id LIMIT 1"""

_MEMBERS = """-- a page of the team, oldest member first
SELECT user_id, role, created_at FROM memberships
 WHERE business_id = :bid
   AND (CAST(:after_at AS timestamptz) IS NULL
        OR (created_at, user_id) > (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid)))
 ORDER BY created_at, user_id
 LIMIT :limit"""

_MEMBER = """-- one team member
SELECT user_id, role, created_at FROM memberships WHERE business_id = :bid AND user_id = :uid"""

_OPEN_INVITATIONS = """-- invitations not yet accepted, revoked or expired
SELECT id, email, role, created_at, expires_at FROM invitations
 WHERE business_id = :bid AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
 ORDER BY created_at"""

_REVOKE_OPEN_INVITATION = """-- a new invitation replaces the open one for the same address
UPDATE invitations SET revoked_at = now()
 WHERE business_id = :bid AND email = :email AND accepted_at IS NULL AND revoked_at IS NULL"""

_INSERT_INVITATION = """-- an invitation; only the token's hash is kept
INSERT INTO invitations (id, business_id, email, role, token_hash, invited_by, expires_at)
VALUES (:id, :bid, :email, :role, :hash, :by, now() + make_interval(days => :days))
RETURNING id, email, role, created_at, expires_at"""

_TAKE_INVITATION = """-- spend an invitation: only a live, open one
UPDATE invitations SET accepted_at = now()
 WHERE business_id = :bid AND token_hash = :hash
   AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
RETURNING email, role"""

_OWNER_COUNT = """-- how many owners the business has
SELECT count(*) FROM memberships WHERE business_id = :bid AND role = 'owner'"""
_LOCK_TEAM = """-- queue changes to the team (owner demotions, invitations) one after the other
SELECT id FROM businesses WHERE id = :bid FOR UPDATE"""
_SET_ROLE = """-- a member's new role
UPDATE memberships SET role = :role WHERE business_id = :bid AND user_id = :uid"""
_REMOVE = """-- a member leaves the team (their account stays: it may belong to other businesses)
DELETE FROM memberships WHERE business_id = :bid AND user_id = :uid"""
_SET_BILLING_STATE = """-- the plan in force and the serving status, as billing's lifecycle decided them
UPDATE businesses SET plan = :plan, status = :status, updated_at = now() WHERE id = :id"""
_OWNERS = """-- the owners, oldest first
SELECT user_id FROM memberships WHERE business_id = :bid AND role = 'owner' ORDER BY created_at, user_id"""
_SET_LOGO = """-- where the logo is uploaded to
UPDATE businesses SET logo_key = :key, updated_at = now() WHERE id = :id"""


class SlugTaken(Conflict):
    code, message = "slug_taken", "This address is taken by another business."



class LastOwner(Conflict):
    code, message = "last_owner", "A business needs at least one owner."


# --- profile and policy ----------------------------------------------------------------------

def profile_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "name": row["name"],
        "slug": row["slug"],
        "time_zone": row["time_zone"],
        "currency": row["currency"],
        "locale": row["locale"],
        "contact": {field: row[column] for field, column in CONTACT_FIELDS.items()},
        "logo_key": row["logo_key"],
        "booking_policy": {field: row[field] for field in POLICY_FIELDS},
        "plan": row["plan"],
        "status": row["status"],
        "trial_ends_at": row["trial_ends_at"].isoformat() if row["trial_ends_at"] else None,
        "version": row["version"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:50].strip("-")
    return slug if len(slug) >= 3 else f"business-{slug}".strip("-")


def create(tx: Tx, business_id: UUID, *, name: str, slug: str | None, time_zone: str, currency: str,
           locale: str, contact_email: str) -> dict[str, Any]:
    """Insert the tenant row (inside the caller's transaction, scoped to ``business_id``).

    With no slug asked for, one is made from the name, with a short suffix if taken (or reserved)."""
    if slug:
        candidates = [slug]
    else:
        base = slugify(name)
        candidates = [base] * (base not in RESERVED_SLUGS) + [f"{base}-{secrets.token_hex(2)}" for _ in range(4)]
    for candidate in candidates:
        row = tx.one(_INSERT, id=business_id, name=name, slug=candidate, time_zone=time_zone, currency=currency,
                     locale=locale, contact_email=contact_email, trial_days=TRIAL_DAYS)
        if row is not None:
            return profile_json(row)
    raise SlugTaken(details={"slug": candidates[0]})


def get(tx: Tx, business_id: UUID) -> dict[str, Any] | None:
    row = tx.one(_GET, id=business_id)
    return profile_json(row) if row else None


def by_slug(slug: str) -> dict[str, Any] | None:
    """The profile behind a public page's slug (None: no active business has it). Read before any
    tenant is known, under the slug's own row-level-security policy."""
    with db.transaction() as tx:
        tx.execute(_SERVE_SLUG, slug=slug)
        row = tx.one(_BY_SLUG, slug=slug)
    return profile_json(row) if row else None


def read(business_id: UUID) -> dict[str, Any]:
    with db.tenant_tx(business_id) as tx:
        found = get(tx, business_id)
    if found is None:
        raise NotFound("business")
    return found


def update(business_id: UUID, changes: dict[str, Any], *, expected_version: int | None) -> dict[str, Any]:
    """Apply a partial update of profile, contact and booking policy (``changes`` in API shape)."""
    columns: dict[str, Any] = {f: changes[f] for f in PROFILE_FIELDS if f in changes}
    columns.update({CONTACT_FIELDS[f]: v for f, v in (changes.get("contact") or {}).items()})
    columns.update(changes.get("booking_policy") or {})
    # Column names come from the fixed lists above, never from the request.
    assignments = ", ".join(f"{c} = :{c}" for c in columns)
    sql = f"""-- partial update, bumping the version
UPDATE businesses SET {assignments}{", " if assignments else ""}version = version + 1, updated_at = now()
 WHERE id = :id AND (CAST(:expected AS integer) IS NULL OR version = CAST(:expected AS integer))
RETURNING {_COLUMNS}"""
    try:
        with db.tenant_tx(business_id) as tx:
            row = tx.one(sql, id=business_id, expected=expected_version, **columns)
            if row is None:
                if get(tx, business_id) is None:
                    raise NotFound("business")
                raise StaleVersion("business")
    except ConstraintViolated as e:
        if e.name == "businesses_slug_key":
            raise SlugTaken(details={"slug": columns.get("slug")}) from e
        raise
    return profile_json(row)


def logo_upload(business_id: UUID, content_type: str) -> dict[str, Any]:
    """A presigned POST for a new logo; the key is recorded so the profile points at it."""
    key = f"businesses/{business_id}/logo/{uuid.uuid4().hex}.{LOGO_TYPES[content_type]}"
    form = storage.presigned_post(key, content_type=content_type, max_bytes=LOGO_MAX_BYTES)
    with db.tenant_tx(business_id) as tx:
        tx.execute(_SET_LOGO, id=business_id, key=key)
    return {**form, "max_bytes": LOGO_MAX_BYTES}


def set_billing_state(tx: Tx, business_id: UUID, *, plan: str, status: str) -> None:
    """Put ``plan`` in force and serve with ``status`` (billing's state machine alone calls this). The
    profile's version stays: a billing change must not make an owner's pending edit of the profile stale."""
    tx.execute(_SET_BILLING_STATE, id=business_id, plan=plan, status=status)


def owner_emails(tx: Tx, business_id: UUID) -> list[str]:
    """The addresses of the business's owners (billing's e-mails go to them), oldest owner first."""
    owners = [row["user_id"] for row in tx.all(_OWNERS, bid=business_id)]
    people = users.people(tx, owners)
    return [people[owner]["email"] for owner in owners if owner in people]


# --- memberships (used by auth inside its transactions) --------------------------------------

def add_member(tx: Tx, business_id: UUID, user_id: UUID, role: str) -> None:
    if tx.value(_ADD_MEMBER, bid=business_id, uid=user_id, role=role) is None:
        raise Conflict("This person is already on the team.", code="already_member")


def member_role(tx: Tx, business_id: UUID, user_id: UUID) -> str | None:
    return tx.value(_MEMBER_ROLE, bid=business_id, uid=user_id)


def membership_for_login(tx: Tx, user_id: UUID, business_id: UUID | None) -> dict[str, Any] | None:
    return tx.one(_LOGIN_MEMBERSHIP, uid=user_id, bid=str(business_id) if business_id else None)


def take_invitation(tx: Tx, business_id: UUID, token_hash: str) -> dict[str, Any] | None:
    return tx.one(_TAKE_INVITATION, bid=business_id, hash=token_hash)


# --- the team --------------------------------------------------------------------------------

def _member_json(row: dict[str, Any], person: dict[str, Any]) -> dict[str, Any]:
    return {"user_id": str(row["user_id"]), "email": person["email"], "name": person["name"], "role": row["role"],
            "email_verified": person["email_verified_at"] is not None, "joined_at": row["created_at"].isoformat()}


def _invitation_json(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(row["id"]), "email": row["email"], "role": row["role"],
            "created_at": row["created_at"].isoformat(), "expires_at": row["expires_at"].isoformat()}


def team(business_id: UUID, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """A page of members, plus every open invitation (there are few)."""
    after = decode_cursor(cursor, 2)  # signed: only a key this list made comes back
    with db.tenant_tx(business_id) as tx:
        rows = tx.all(_MEMBERS, bid=business_id, limit=limit + 1,
                      after_at=after[0] if after else None, after_id=after[1] if after else None)
        people = users.people(tx, [row["user_id"] for row in rows[:limit]])
        invitations = tx.all(_OPEN_INVITATIONS, bid=business_id)
    answer = page(rows, limit, lambda r: (r["created_at"].isoformat(), str(r["user_id"])),
                  lambda r: _member_json(r, people[r["user_id"]]))
    return {**answer, "invitations": [_invitation_json(r) for r in invitations]}


def _with_current_role(tx: Tx, caller: Caller, *, at_least: str) -> Caller:
    """The caller with the role the database holds now. An access token keeps the role it was issued
    with until it expires, so a member demoted or removed since must not go on managing the team
    (a demoted owner would otherwise grant the owner role back to themselves). The team is locked
    first, so no concurrent change can make that answer stale before this transaction ends."""
    tx.value(_LOCK_TEAM, bid=caller.business_id)
    current = member_role(tx, caller.business_id, caller.user_id)
    if current is None:
        raise Forbidden("You are no longer on this team.")
    now = Caller(caller.user_id, caller.business_id, current)
    if not now.at_least(at_least):
        raise Forbidden(f"This needs the {at_least} role or higher.")
    return now


def invite(caller: Caller, email_address: str, role: str) -> dict[str, Any]:
    # The e-mailed token is derived from the invitation (``invitation_message``), so no readable
    # secret waits in the outbox and a redelivered e-mail carries the same link.
    invitation_id = uuid.uuid4()
    _, token_hash = security.derived_token("invitation", str(invitation_id), prefix=str(caller.business_id))
    with db.tenant_tx(caller.business_id) as tx:
        caller = _with_current_role(tx, caller, at_least="admin")
        if role == "owner" and caller.role != "owner":
            raise Forbidden("Only an owner can invite another owner.")
        # The team lock (taken above) queues two invitations to one address: otherwise both would find no
        # open one to revoke, and the second insert would break the one-open-invitation index (a 500).
        person = users.by_email(tx, email_address)
        if person is not None and member_role(tx, caller.business_id, person["id"]) is not None:
            raise Conflict("This person is already on the team.", code="already_member")
        tx.execute(_REVOKE_OPEN_INVITATION, bid=caller.business_id, email=email_address)
        row = tx.one(_INSERT_INVITATION, id=invitation_id, bid=caller.business_id, email=email_address, role=role,
                     hash=token_hash, by=caller.user_id, days=INVITATION_TTL.days)
        outbox.add(tx, caller.business_id, "auth.invitation", aggregate_id=row["id"],
                   payload={"invitation_id": str(row["id"])})
    return _invitation_json(row)


def invitation_message(tx: Tx, business_id: UUID, invitation_id: UUID) -> dict[str, Any] | None:
    """What an invitation's e-mail needs (address, role, business name and the link's token), or None
    when it is no longer open. The token is derived from the invitation, so writing the e-mail again
    gives the same working link."""
    row = tx.one(_OPEN_INVITATION, id=invitation_id)
    if row is None:
        return None
    try:
        token, _ = security.derived_token("invitation", str(invitation_id), prefix=str(business_id),
                                          known_hash=row["token_hash"])
    except LookupError:  # made under a signing key no longer listed: the invitation must be sent again
        return None
    return {"email": row["email"], "role": row["role"], "business_name": row["business_name"], "token": token}


def _guard_owner_change(tx: Tx, caller: Caller, current_role: str, new_role: str | None) -> None:
    """Owners alone touch owners; the last owner stays."""
    if "owner" in (current_role, new_role) and caller.role != "owner":
        raise Forbidden("Only an owner can change an owner's role or grant it.")
    if current_role == "owner" and new_role != "owner" and tx.value(_OWNER_COUNT, bid=caller.business_id) <= 1:
        raise LastOwner()


def _guard_member_change(tx: Tx, caller: Caller, user_id: UUID, new_role: str | None) -> Caller:
    """The caller, with their role as it is now, allowed to give ``user_id`` ``new_role`` (None: remove)."""
    caller = _with_current_role(tx, caller, at_least="admin")
    current = member_role(tx, caller.business_id, user_id)
    if current is None:
        raise NotFound("team member")
    _guard_owner_change(tx, caller, current, new_role)
    return caller


def change_role(caller: Caller, user_id: UUID, role: str) -> dict[str, Any]:
    with db.tenant_tx(caller.business_id) as tx:
        caller = _guard_member_change(tx, caller, user_id, role)
        tx.execute(_SET_ROLE, bid=caller.business_id, uid=user_id, role=role)
        row = tx.one(_MEMBER, bid=caller.business_id, uid=user_id)
        person = users.people(tx, [user_id])[user_id]
    return _member_json(row, person)


def remove_member(caller: Caller, user_id: UUID) -> None:
    with db.tenant_tx(caller.business_id) as tx:
        caller = _guard_member_change(tx, caller, user_id, None)
        tx.execute(_REMOVE, bid=caller.business_id, uid=user_id)


_PRUNE_INVITATIONS = """-- retention: invitations expired the period ago (accepted, revoked or never used), one batch
DELETE FROM invitations WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM invitations WHERE expires_at < now() - make_interval(secs => :older_than_s)
     ORDER BY expires_at LIMIT :batch))"""


def prune_invitations(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """The retention sweep's (every tenant's, in its role): delete up to ``batch`` invitations that
    expired more than ``older_than_s`` seconds ago, accepted, revoked or never used; answer how many."""
    return tx.execute(_PRUNE_INVITATIONS, older_than_s=older_than_s, batch=batch)
