"""The plan catalogue: what each plan allows. Subscriptions and per-tenant overrides come with billing."""
from __future__ import annotations

from typing import Any

_BASIC = {"max_staff": 2, "max_locations": 1, "whatsapp": False, "google_calendar": False,
          "campaigns": False, "intake_forms": False, "analytics": False, "custom_templates": False}
_PRO = {"max_staff": 10, "max_locations": 3, "whatsapp": True, "google_calendar": True,
        "campaigns": True, "intake_forms": True, "analytics": True, "custom_templates": True}
_ENTERPRISE = {**_PRO, "max_staff": None, "max_locations": None}

PLANS: dict[str, dict[str, Any]] = {
    "trial": _PRO,  # a trial shows everything Pro has, so the business can judge it
    "basic": _BASIC,
    "pro": _PRO,
    "enterprise": _ENTERPRISE,
}


def features(plan: str) -> dict[str, Any]:
    return dict(PLANS.get(plan, _BASIC))
