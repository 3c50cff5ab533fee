"""What the business tests share: reads of its tables and the error checks (from tests.checks)."""
from __future__ import annotations

import uuid
from typing import Any

from tests.checks import error_of, invalid_fields, rows


def business_row(business_id: str) -> dict[str, Any]:
    found = rows(business_id, "SELECT * FROM businesses WHERE id = CAST(:id AS uuid)", id=business_id)
    assert len(found) == 1
    return found[0]


def memberships(business_id: str) -> dict[str, str]:
    """user id -> role, for every member of the business."""
    found = rows(business_id, "SELECT user_id, role FROM memberships WHERE business_id = CAST(:bid AS uuid)",
                 bid=business_id)
    return {str(r["user_id"]): r["role"] for r in found}


def invitations(business_id: str) -> list[dict[str, Any]]:
    return rows(business_id, "SELECT * FROM invitations WHERE business_id = CAST(:bid AS uuid) ORDER BY created_at",
                bid=business_id)


def open_invitations(business_id: str) -> list[dict[str, Any]]:
    return [r for r in invitations(business_id) if r["accepted_at"] is None and r["revoked_at"] is None]


def unique_slug(prefix: str = "studio") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"
