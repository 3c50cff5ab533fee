"""Putting a business on a plan and giving it overrides, as billing and the platform console would."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from tests.checks import rows


def set_plan(business_id: str, plan: str) -> None:
    rows(business_id, "UPDATE businesses SET plan = :plan WHERE id = CAST(:bid AS uuid) RETURNING id",
         plan=plan, bid=business_id)


def override(business_id: str, feature: str, value: Any, *, ends_at: datetime | None = None) -> None:
    """A platform override of a feature (a boolean) or a limit (an integer, or None: no limit)."""
    rows(business_id, """INSERT INTO feature_overrides (business_id, feature, value, reason, ends_at)
                         VALUES (CAST(:bid AS uuid), :feature, CAST(:value AS jsonb), 'a test', :ends_at)
                         ON CONFLICT (business_id, feature) DO UPDATE SET value = EXCLUDED.value,
                                                                          ends_at = EXCLUDED.ends_at
                         RETURNING feature""",
         bid=business_id, feature=feature, value=json.dumps(value), ends_at=ends_at)
