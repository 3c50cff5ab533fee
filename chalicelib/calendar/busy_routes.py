"""``GET /calendar/busy``: the Google busy blocks the calendar grid draws as grey blocks (only the
intervals: no title or detail of a Google event is ever stored)."""
from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from chalice import Blueprint

from chalicelib.calendar import busy_sync
from chalicelib.core.answer import Answer, Timestamp
from chalicelib.core.endpoint import endpoint
from chalicelib.core.security import Caller
from chalicelib.core.validate import Struct, TimeZone

bp = Blueprint(__name__)


class BusyQuery(Struct, kw_only=True):
    from_: date = msgspec.field(name="from")
    to: date  # included; at most 42 days after from
    tz: TimeZone | None = None  # the dates' zone and the answer's offsets (default: the business's)
    staff_id: UUID | None = None  # None: everyone the caller may see


class BusyBlock(Answer):
    staff_id: UUID
    starts_at: Timestamp  # in the answer's time zone
    ends_at: Timestamp


class BusyBlocks(Answer):
    items: list[BusyBlock]


@endpoint(bp, "/calendar/busy", "GET", query=BusyQuery, tag="calendar", response=BusyBlocks,
          summary="Google busy blocks overlapping local dates (owners and admins: every staff member or the one "
                  "asked; staff: their own)")
def list_busy_blocks(caller: Caller, query: BusyQuery) -> Any:
    return busy_sync.busy_blocks(caller, start_date=query.from_, end_date=query.to, tz=query.tz,
                                 staff_id=query.staff_id)
