"""The platform operators' routes (``/admin/*``): what failed for good in the notification pipeline."""
from __future__ import annotations

from typing import Any
from uuid import UUID

from chalice import Blueprint

from chalicelib.core import platform
from chalicelib.core.answer import Answer, Timestamp
from chalicelib.core.endpoint import endpoint
from chalicelib.core.pagination import PageQuery
from chalicelib.core.security import Caller
from chalicelib.core.validate import Struct
from chalicelib.events import dead_letters, jobs

bp = Blueprint(__name__)


class Redrive(Struct):
    # None: every dead letter waiting
    outbox_ids: list[UUID] | None = None


class DeadLetter(Answer):
    outbox_id: UUID
    business_id: UUID | None
    topic: str
    aggregate_id: UUID
    receive_count: int
    last_error: str | None
    redrives: int
    created_at: Timestamp
    dead_at: Timestamp


class DeadLetters(Answer):
    items: list[DeadLetter]
    next_cursor: str | None


class Redriven(Answer):
    redriven: list[UUID]


@endpoint(bp, "/admin/dead-letters", "GET", role=platform.ROLE, tag="admin", query=PageQuery,
          response=DeadLetters,
          summary="Notifications that failed for good, with their last error")
def list_dead_letters(caller: Caller, query: PageQuery) -> Any:
    return dead_letters.waiting(limit=query.limit, cursor=query.cursor)


@endpoint(bp, "/admin/dead-letters/redrive", "POST", role=platform.ROLE, tag="admin", body=Redrive,
          response=Redriven,
          summary="Send dead letters again (all waiting, or those named); deliveries already made are not repeated")
def redrive_dead_letters(caller: Caller, body: Redrive) -> Any:
    return jobs.redrive(body.outbox_ids)
