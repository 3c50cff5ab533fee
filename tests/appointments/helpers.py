"""A bookable business in a few lines: a location, staff working every day 09:00-17:00, a service
they all perform and a customer, written straight into the tables (their own modules' routes are
tested in their own folders), so appointment tests start from a known calendar."""
from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from chalicelib.core.security import Caller
from tests.api import Session, body, call, new_business
from tests.checks import rows

ZONE = "Europe/London"


@dataclass
class Calendar:
    owner: Session
    location_id: str
    staff_ids: list[str]
    service_id: str
    customer_id: str
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(ZONE))

    @property
    def business_id(self) -> str:
        return self.owner.business_id

    def at(self, days_ahead: int, hour: int, minute: int = 0) -> datetime:
        """A local time ``days_ahead`` days from today."""
        day = date.today() + timedelta(days=days_ahead)
        return datetime.combine(day, time(hour, minute), self.zone)


def _one(business_id: str, sql: str, **params: Any) -> str:
    return str(rows(business_id, sql, **params)[0]["id"])


def add_staff(business_id: str, location_id: str, name: str = "Sam", *, hours: tuple[str, str] = ("09:00", "17:00"),
              user_id: str | None = None) -> str:
    staff_id = _one(business_id, "INSERT INTO staff (business_id, name, user_id) "
                    "VALUES (CAST(:bid AS uuid), :name, CAST(:uid AS uuid)) RETURNING id",
                    bid=business_id, name=name, uid=user_id)
    rows(business_id, "INSERT INTO staff_locations (business_id, staff_id, location_id) "
         "VALUES (CAST(:bid AS uuid), CAST(:sid AS uuid), CAST(:lid AS uuid)) RETURNING staff_id",
         bid=business_id, sid=staff_id, lid=location_id)
    rows(business_id, "INSERT INTO staff_hours (business_id, staff_id, location_id, weekday, starts, ends) "
         "SELECT CAST(:bid AS uuid), CAST(:sid AS uuid), CAST(:lid AS uuid), d, CAST(:s AS time), CAST(:e AS time) "
         "FROM generate_series(1, 7) d RETURNING weekday",
         bid=business_id, sid=staff_id, lid=location_id, s=hours[0], e=hours[1])
    return staff_id


def add_service(business_id: str, staff_ids: list[str], *, name: str = "Cut", duration: int = 60,
                capacity: int = 1, requires_confirmation: bool = False, buffer_before: int | None = None,
                buffer_after: int | None = None, bookable_online: bool = True) -> str:
    service_id = _one(business_id, "INSERT INTO services (business_id, name, duration_min, price_minor, currency, "
                      "capacity, requires_confirmation, buffer_before_min, buffer_after_min, bookable_online) "
                      "VALUES (CAST(:bid AS uuid), :name, :d, 4500, 'GBP', :c, :rc, :bb, :ba, :online) RETURNING id",
                      bid=business_id, name=name, d=duration, c=capacity, rc=requires_confirmation, bb=buffer_before,
                      ba=buffer_after, online=bookable_online)
    for staff_id in staff_ids:
        rows(business_id, "INSERT INTO service_staff (business_id, service_id, staff_id) "
             "VALUES (CAST(:bid AS uuid), CAST(:svc AS uuid), CAST(:sid AS uuid)) RETURNING staff_id",
             bid=business_id, svc=service_id, sid=staff_id)
    return service_id


def add_customer(business_id: str, name: str = "Cara Customer") -> str:
    return _one(business_id, "INSERT INTO customers (business_id, name, email) "
                "VALUES (CAST(:bid AS uuid), :name, :email) RETURNING id",
                bid=business_id, name=name, email=f"cara-{uuid.uuid4().hex[:8]}@example.com")


def customer_address(cal: Calendar) -> str:
    """The calendar's customer's e-mail address (where their messages go)."""
    return rows(cal.business_id, "SELECT email FROM customers WHERE id = CAST(:id AS uuid)",
                id=cal.customer_id)[0]["email"]


def calendar(client: Any, *, staff: int = 1, **service: Any) -> Calendar:
    """A new business whose policy lets anything from now to a year ahead be booked on a 15-min grid."""
    owner = new_business(client)
    answer = call(client, "PATCH", "/business", {"booking_policy": {
        "slot_interval_min": 15, "min_notice_min": 0, "max_advance_days": 365, "auto_confirm": True,
        "buffer_before_min": 0, "buffer_after_min": 0, "cancel_cutoff_min": 60, "reschedule_cutoff_min": 60}},
        session=owner)
    assert answer.status_code == 200, answer.body
    bid = owner.business_id
    location_id = _one(bid, "INSERT INTO locations (business_id, name, time_zone) "
                       "VALUES (CAST(:bid AS uuid), 'Main', :tz) RETURNING id", bid=bid, tz=ZONE)
    staff_ids = [add_staff(bid, location_id, f"Staff {i}") for i in range(staff)]
    service_id = add_service(bid, staff_ids, **service)
    return Calendar(owner, location_id, staff_ids, service_id, add_customer(bid))


def book(client: Any, cal: Calendar, start: datetime, *, session: Session | None = None, **extra: Any) -> Any:
    payload = {"service_id": cal.service_id, "customer_id": cal.customer_id, "start_at": start.isoformat(), **extra}
    return call(client, "POST", "/appointments", payload, session=session or cal.owner)


def booked(client: Any, cal: Calendar, start: datetime, **extra: Any) -> dict[str, Any]:
    answer = book(client, cal, start, **extra)
    assert answer.status_code == 201, answer.body
    return body(answer)


def appointment_rows(business_id: str) -> list[dict[str, Any]]:
    return rows(business_id, "SELECT * FROM appointments ORDER BY start_at, id")


def outbox_topics(business_id: str, appointment_id: str) -> list[str]:
    found = rows(business_id, "SELECT topic FROM outbox WHERE aggregate_id = CAST(:id AS uuid) ORDER BY created_at",
                 id=appointment_id)
    return [r["topic"] for r in found]


def started(cal: Calendar, appointment_id: str, *, days: int = 8) -> None:
    """Move a booked appointment ``days`` back (into the past: it has started), as time passing would;
    the API books only times to come, and refuses to complete or no-show one that has not begun."""
    rows(cal.business_id, "UPDATE appointments SET start_at = start_at - make_interval(days => :d), "
         "end_at = end_at - make_interval(days => :d), occupied = tstzrange(lower(occupied) - make_interval(days => :d), "
         "upper(occupied) - make_interval(days => :d)) WHERE id = CAST(:id AS uuid) RETURNING id",
         d=days, id=appointment_id)


def race(attempt: Callable[[int], Any], threads: int = 50) -> Counter[str]:
    """Run ``attempt(n)`` in ``threads`` threads released at once; count "ok" and the error codes (any
    other failure by its repr, which no test expects)."""
    start = threading.Barrier(threads)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(n: int) -> None:
        start.wait()
        try:
            attempt(n)
            outcome = "ok"
        except Exception as e:  # noqa: BLE001 - every outcome is counted, and an unexpected one fails the test
            outcome = getattr(e, "code", repr(e))
        with lock:
            outcomes[outcome] += 1

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcomes


def owner_caller(cal: Calendar) -> Caller:
    """The calendar's owner as the services see a request of theirs."""
    return Caller(user_id=UUID(cal.owner.user_id), business_id=UUID(cal.business_id), role="owner")
