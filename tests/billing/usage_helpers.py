"""A business's usage in its current period, read and set as the tests of limits and metering need it,
and its serving status set as billing's state machine would."""
from __future__ import annotations

from typing import Any

from tests.api import Session, body, call
from tests.checks import rows

# The period the counters of a business are kept under now (billing_period_start from its anchor).
_PERIOD = "billing_period_start((SELECT usage_anchor FROM subscriptions WHERE business_id = CAST(:bid AS uuid)), now())"


def used(business_id: str, meter: str) -> int:
    """What the counter of ``meter`` holds for the current period (0: no row yet)."""
    found = rows(business_id, f"SELECT used FROM usage_counters WHERE business_id = CAST(:bid AS uuid) "
                 f"AND meter = :meter AND period_start = {_PERIOD}", bid=business_id, meter=meter)
    return found[0]["used"] if found else 0


def set_used(business_id: str, meter: str, count: int) -> None:
    """The business has used ``count`` of ``meter`` this period (as if it had booked or sent them)."""
    rows(business_id, f"INSERT INTO usage_counters (business_id, meter, period_start, used) "
         f"VALUES (CAST(:bid AS uuid), :meter, {_PERIOD}, :count) "
         "ON CONFLICT (business_id, meter, period_start) DO UPDATE SET used = EXCLUDED.used RETURNING used",
         bid=business_id, meter=meter, count=count)


def counters(business_id: str, meter: str) -> list[dict[str, Any]]:
    """Every counter row of the business for ``meter``, whatever its period, oldest first."""
    return rows(business_id, "SELECT period_start, used FROM usage_counters "
                "WHERE business_id = CAST(:bid AS uuid) AND meter = :meter ORDER BY period_start",
                bid=business_id, meter=meter)


def usage_route(client: Any, session: Session) -> dict[str, int]:
    """``GET /billing/usage``'s used, by meter: what the owner sees."""
    response = call(client, "GET", "/billing/usage", session=session)
    assert response.status_code == 200, response.body
    return {m["meter"]: m["used"] for m in body(response)["meters"]}


def set_status(business_id: str, status: str) -> None:
    """The business's serving status (``suspended``, ``expired``, ``active``), as billing sets it."""
    rows(business_id, "UPDATE businesses SET status = :status WHERE id = CAST(:bid AS uuid) RETURNING id",
         status=status, bid=business_id)
