"""The ``users`` table: people who log in, one identity across every business they belong to.

Not tenant-owned (an e-mail address logs in before any tenant is known), so it
holds identity only: address, name, password hash, verification. Other modules
read people through ``people``, never the table.
"""
from __future__ import annotations

from typing import Any
from uuid import UUID

from chalicelib.core import security
from chalicelib.core.db import ConstraintViolated, Tx
from chalicelib.core.errors import Conflict

_BY_EMAIL = """-- an identity by its (lower-cased) address
SELECT id, email, name, password_hash, email_verified_at FROM users WHERE email = :email"""

_BY_IDS = """-- identities by id, for showing people (no password hashes)
SELECT id, email, name, email_verified_at FROM users WHERE id = ANY(CAST(:ids AS uuid[]))"""

_INSERT = """-- a new identity
INSERT INTO users (email, name, password_hash) VALUES (:email, :name, :hash)
RETURNING id, email, name, password_hash, email_verified_at"""

_SET_PASSWORD = """-- a new password
UPDATE users SET password_hash = :hash, updated_at = now() WHERE id = :uid"""

_MARK_VERIFIED = """-- the address is proven (kept at its first proof)
UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now() WHERE id = :uid"""


def by_email(tx: Tx, email_address: str) -> dict[str, Any] | None:
    return tx.one(_BY_EMAIL, email=email_address)


def people(tx: Tx, user_ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    """``{id: {"id", "email", "name", "email_verified_at"}}`` for the ids that exist."""
    if not user_ids:
        return {}
    return {row["id"]: row for row in tx.all(_BY_IDS, ids=[str(i) for i in user_ids])}


def create(tx: Tx, *, email_address: str, name: str, password: str) -> dict[str, Any]:
    try:
        return tx.one(_INSERT, email=email_address, name=name, hash=security.hash_password(password))
    except ConstraintViolated as e:
        if e.name == "users_email_key":
            raise Conflict("An account with this e-mail address exists; log in instead.",
                           code="email_taken") from e
        raise


def set_password(tx: Tx, user_id: UUID, password: str) -> None:
    tx.execute(_SET_PASSWORD, hash=security.hash_password(password), uid=user_id)


def mark_verified(tx: Tx, user_id: UUID) -> None:
    tx.execute(_MARK_VERIFIED, uid=user_id)


def as_json(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(row["id"]), "email": row["email"], "name": row["name"],
            "email_verified": row["email_verified_at"] is not None}
