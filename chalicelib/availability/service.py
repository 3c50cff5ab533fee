"""Availability: which start times can be booked, for whom, and if not, why. One rule for the
staff side and the public side; the public side also needs the service bookable online and the
staff member bookable.

Reads its inputs in one statement (``reads.py``), turns them into one calendar per staff member
and location, and leaves the slot maths to the pure ``engine``. Appointments use ``decide`` inside
their own transaction to re-check a start before writing it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from chalicelib.availability import engine, reads
from chalicelib.availability.reads import Inputs
from chalicelib.billing import gate
from chalicelib.billing.gate import Entitlements
from chalicelib.core import db
from chalicelib.core.db import Tx
from chalicelib.core.errors import NotFound, ValidationFailed

MAX_RANGE_DAYS = 62
# How far /availability/next looks at a time, and at most in all.
NEXT_STEP_DAYS = 14
# The read window reaches a day beyond the slots asked for: local dates of every zone, and
# buffers of appointments just outside it.
READ_MARGIN = timedelta(days=1)

REASONS = {
    "too_soon": "This time is too soon to book.",
    "too_far": "This time is too far ahead to book.",
    "off_grid": "Appointments start on the business's time grid.",
    "outside_hours": "This time is outside working hours.",
    "time_off": "The staff member is off at this time.",
    "taken": "This time is already taken.",
    "full": "This session is fully booked.",
    "service_unavailable": "This service cannot be booked.",
    "staff_unavailable": "This staff member does not offer this service here.",
}
# When several staff answer differently, the most telling reason wins: someone works then, but is busy.
_REASON_ORDER = ("full", "taken", "time_off", "outside_hours", "off_grid", "too_far", "too_soon",
                 "staff_unavailable", "service_unavailable")


@dataclass(frozen=True)
class Candidate:
    calendar: engine.StaffCalendar
    location_id: UUID
    price_minor: int


@dataclass(frozen=True)
class Plan:
    """What the inputs say about a service: its rules and every staff member and location it may
    be booked with (empty when it cannot be booked at all)."""
    service: dict[str, Any]
    policy: dict[str, Any]
    rules: engine.Rules
    candidates: list[Candidate]
    plan_overrides: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    """A bookable start, decided: who, where, until when, what it costs, what it occupies."""
    staff_id: UUID
    location_id: UUID
    start_at: datetime
    end_at: datetime
    occupied_from: datetime
    occupied_until: datetime
    session_key: str
    price_minor: int
    currency: str
    service: dict[str, Any]
    policy: dict[str, Any]
    # what the business's plan allows now (its monthly allowance of bookings)
    entitlements: Entitlements


class Unavailable(Exception):
    """The start cannot be booked, for ``reason`` (a key of REASONS); ``policy``: the business's,
    as read (a new booking's refusal may owe more to the business's status than to the time)."""

    def __init__(self, reason: str, policy: dict[str, Any] | None = None) -> None:
        super().__init__(REASONS[reason])
        self.reason = reason
        self.policy = policy


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _clock(value: str) -> time:
    return time.fromisoformat(value)


def _blocks(spans: list[dict[str, str]]) -> tuple[engine.Block, ...]:
    return tuple(engine.Block(_clock(s["start"]), _clock(s["end"])) for s in spans)


def _opening(hours: list[dict[str, Any]] | None) -> tuple[engine.WeeklyHours, ...] | None:
    if hours is None:
        return None
    return tuple(engine.WeeklyHours(h["weekday"], _clock(h["opens"]), _clock(h["closes"])) for h in hours)


def _rules(service: dict[str, Any], policy: dict[str, Any]) -> engine.Rules:
    def buffer(name: str) -> timedelta:
        own = service[name]
        return timedelta(minutes=policy[name] if own is None else own)

    return engine.Rules(
        service_key=str(service["id"]),
        buffer_before=buffer("buffer_before_min"),
        buffer_after=buffer("buffer_after_min"),
        capacity=service["capacity"],
        interval_min=policy["slot_interval_min"],
        min_notice=timedelta(minutes=policy["min_notice_min"]),
        max_advance=timedelta(days=policy["max_advance_days"]),
    )


def plan(found: Inputs, *, public: bool, exclude_appointment: UUID | None = None) -> Plan:
    """The calendars ``found`` describes (``exclude_appointment``: the one being moved, whose own
    time must not stand in its way)."""
    service, policy = found.service, found.policy
    # A service id arrives in a query or body: one that does not exist here (or, for customers,
    # is not offered online) is a bad field, the same answer whether it exists elsewhere or not.
    if service is None or policy is None or (public and not service["bookable_online"]):
        raise ValidationFailed({"service_id": "unknown service"})
    rules = _rules(service, policy)
    if not service["active"] or service["archived"]:
        return Plan(service, policy, rules, [], found.plan_overrides)

    by_staff: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for kind in ("hours", "overrides", "time_off", "external_busy", "booked"):
        for row in getattr(found, kind):
            by_staff[row["staff_id"]][kind].append(row)
    staff_rows = {s["id"]: s for s in found.staff}
    locations = {loc["id"]: loc for loc in found.locations}
    excluded = str(exclude_appointment) if exclude_appointment else None

    candidates: list[Candidate] = []
    performers = sorted(found.performers, key=lambda p: p["staff_id"])
    for rank, performer in enumerate(performers):
        staff_id = performer["staff_id"]
        person = staff_rows.get(staff_id)
        if person is None or not person["active"] or (public and not person["bookable"]):
            continue
        rows = by_staff[staff_id]
        time_off = tuple((_instant(t["starts_at"]), _instant(t["ends_at"])) for t in rows["time_off"])
        external = tuple((_instant(e["starts_at"]), _instant(e["ends_at"])) for e in rows["external_busy"])
        booked = tuple(engine.Booked(_instant(b["start_at"]), _instant(b["end_at"]), _instant(b["occupied_from"]),
                                     _instant(b["occupied_until"]), b["session_key"])
                       for b in rows["booked"] if b["id"] != excluded)
        duration = timedelta(minutes=performer["duration_min"] or service["duration_min"])
        price = service["price_minor"] if performer["price_minor"] is None else performer["price_minor"]
        for location_id in sorted(person["location_ids"]):
            location = locations.get(location_id)
            if location is None:
                continue
            overrides = {date.fromisoformat(o["on_date"]): _blocks(o["intervals"]) if o["location_id"] == location_id
                         else () for o in rows["overrides"]}
            weekly = tuple(engine.WeeklyHours(h["weekday"], _clock(h["starts"]), _clock(h["ends"]), _blocks(h["breaks"]))
                           for h in rows["hours"] if h["location_id"] == location_id)
            calendar = engine.StaffCalendar(
                staff_id=UUID(staff_id), zone=ZoneInfo(location["time_zone"]), weekly=weekly, overrides=overrides,
                opening=_opening(location["opening_hours"]), time_off=time_off, booked=booked,
                external_busy=external, duration=duration, rank=rank)
            candidates.append(Candidate(calendar, UUID(location_id), price))
    return Plan(service, policy, rules, candidates, found.plan_overrides)


def _read(tx: Tx, business_id: UUID, *, service_id: UUID, staff_id: UUID | None, location_id: UUID | None,
          since: datetime, until: datetime, public: bool, exclude_appointment: UUID | None = None) -> Plan:
    found = reads.inputs(tx, business_id, service_id=service_id, staff_id=staff_id, location_id=location_id,
                         since=since - READ_MARGIN, until=until + READ_MARGIN)
    return plan(found, public=public, exclude_appointment=exclude_appointment)


def _by_location(candidates: list[Candidate]) -> dict[UUID, list[Candidate]]:
    grouped: dict[UUID, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        grouped[candidate.location_id].append(candidate)
    return grouped


def _slots(the_plan: Plan, *, since: datetime, until: datetime, now: datetime,
           any_staff: bool) -> list[tuple[engine.Slot, UUID]]:
    """Bookable slots with their location, in time order: every staff member's, or (``any_staff``)
    one fair pick per start time and location."""
    found: list[tuple[engine.Slot, UUID]] = []
    for location_id, group in _by_location(the_plan.candidates).items():
        calendars = [c.calendar for c in group]
        slots = engine.slots(the_plan.rules, calendars, since, until, now)
        if any_staff:
            slots = engine.any_staff(the_plan.rules, calendars, slots)
        found.extend((slot, location_id) for slot in slots)
    found.sort(key=lambda pair: (pair[0].start_at, str(pair[1]), str(pair[0].staff_id)))
    return found


def _local_range(start_date: date, end_date: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    if end_date < start_date:
        raise ValidationFailed({"to": "must not be before from"})
    if (end_date - start_date).days > MAX_RANGE_DAYS:
        raise ValidationFailed({"to": f"at most {MAX_RANGE_DAYS} days after from"})
    since = datetime.combine(start_date, time(), zone).astimezone(timezone.utc)
    until = datetime.combine(end_date + timedelta(days=1), time(), zone).astimezone(timezone.utc)
    return since, until


def slot_json(slot: engine.Slot, location_id: UUID, zone: ZoneInfo) -> dict[str, Any]:
    return {"start_at": slot.start_at.astimezone(zone).isoformat(), "end_at": slot.end_at.astimezone(zone).isoformat(),
            "staff_id": str(slot.staff_id), "location_id": str(location_id), "seats_left": slot.seats_left}


def now() -> datetime:
    return datetime.now(timezone.utc)


def find(business_id: UUID | None, *, service_id: UUID, staff_id: UUID | None, location_id: UUID | None,
         start_date: date, end_date: date, tz: str | None, public: bool,
         exclude_appointment: UUID | None = None, page: db.Page | None = None) -> dict[str, Any]:
    """Bookable slots between two local dates (inclusive) of ``tz`` (default: the business's zone).
    ``page`` (instead of ``business_id``): a public page's, read in its transaction (no business
    behind it: 404, once that transaction has counted the request).

    The read window is taken in ``tz`` or UTC before the business's zone is known: its margin of
    a day covers the difference. The inputs are read in one statement; what they mean is worked
    out after the commit (a bad service id too)."""
    since, until = _local_range(start_date, end_date, ZoneInfo(tz or "UTC"))
    with db.transaction(None if page else business_id, page=page) as tx:
        found = None if tx.business_id is None else reads.inputs(
            tx, tx.business_id, service_id=service_id, staff_id=staff_id, location_id=location_id,
            since=since - READ_MARGIN, until=until + READ_MARGIN)
    if found is None:
        raise NotFound("business")
    the_plan = plan(found, public=public, exclude_appointment=exclude_appointment)
    zone = ZoneInfo(tz or the_plan.policy["time_zone"])
    since, until = _local_range(start_date, end_date, zone)
    slots = _slots(the_plan, since=since, until=until, now=now(), any_staff=staff_id is None)
    return {"service_id": str(service_id), "staff_id": str(staff_id) if staff_id else None,
            "location_id": str(location_id) if location_id else None, "tz": zone.key,
            "from": start_date.isoformat(), "to": end_date.isoformat(),
            "slots": [slot_json(slot, loc, zone) for slot, loc in slots]}


def earliest(business_id: UUID, *, service_id: UUID, staff_id: UUID | None, location_id: UUID | None,
             tz: str | None, public: bool) -> dict[str, Any]:
    """The first bookable slot from now, searched a fortnight at a time up to the maximum advance."""
    moment = now()
    since, horizon, slots = moment, moment, []
    with db.tenant_tx(business_id) as tx:
        while True:
            until = since + timedelta(days=NEXT_STEP_DAYS)
            the_plan = _read(tx, business_id, service_id=service_id, staff_id=staff_id, location_id=location_id,
                             since=since, until=until, public=public)
            horizon = moment + the_plan.rules.max_advance + timedelta(minutes=1)
            slots = _slots(the_plan, since=since, until=min(until, horizon), now=moment, any_staff=staff_id is None)
            if slots or not the_plan.candidates or until >= horizon:
                break
            since = until
    zone = ZoneInfo(tz or the_plan.policy["time_zone"])
    first = slots[0] if slots else None
    return {"service_id": str(service_id), "tz": zone.key,
            "slot": slot_json(first[0], first[1], zone) if first else None}


def _reason(the_plan: Plan, start_at: datetime, moment: datetime) -> str | None:
    if not the_plan.service["active"] or the_plan.service["archived"]:
        return "service_unavailable"
    if not the_plan.candidates:
        return "staff_unavailable"
    reasons = {engine.why_not(the_plan.rules, c.calendar, start_at, moment) for c in the_plan.candidates}
    if None in reasons:
        return None
    return next(r for r in _REASON_ORDER if r in reasons)


def decide(tx: Tx, business_id: UUID, *, service_id: UUID, staff_id: UUID | None, location_id: UUID | None,
           start_at: datetime, public: bool, exclude_appointment: UUID | None = None) -> Choice:
    """Inside the caller's transaction: who takes ``start_at`` (the fair pick when no staff member
    is asked for), or ``Unavailable`` with the reason."""
    moment = now()
    start_at = start_at.astimezone(timezone.utc)
    the_plan = _read(tx, business_id, service_id=service_id, staff_id=staff_id, location_id=location_id,
                     since=start_at, until=start_at + timedelta(minutes=1), public=public,
                     exclude_appointment=exclude_appointment)
    slots = [pair for pair in _slots(the_plan, since=start_at, until=start_at + timedelta(microseconds=1),
                                     now=moment, any_staff=True) if pair[0].start_at == start_at]
    if not slots:
        raise Unavailable(_reason(the_plan, start_at, moment) or "taken", the_plan.policy)
    slot, location_id = slots[0]
    candidate = next(c for c in the_plan.candidates
                     if c.calendar.staff_id == slot.staff_id and c.location_id == location_id)
    rules = the_plan.rules
    return Choice(
        staff_id=slot.staff_id, location_id=location_id, start_at=slot.start_at, end_at=slot.end_at,
        occupied_from=slot.start_at - rules.buffer_before, occupied_until=slot.end_at + rules.buffer_after,
        session_key=engine.session_key(rules.service_key, slot.start_at) if rules.capacity > 1 else "",
        price_minor=candidate.price_minor, currency=the_plan.service["currency"], service=the_plan.service,
        policy=the_plan.policy,
        entitlements=gate.resolve(the_plan.policy["plan"], the_plan.plan_overrides, business_id))


def check(business_id: UUID, *, service_id: UUID, staff_id: UUID | None, location_id: UUID | None,
          start_at: datetime, public: bool) -> dict[str, Any]:
    """Whether ``start_at`` can be booked, and if not, why."""
    with db.tenant_tx(business_id) as tx:
        try:
            choice = decide(tx, business_id, service_id=service_id, staff_id=staff_id, location_id=location_id,
                            start_at=start_at, public=public)
        except Unavailable as e:
            return {"bookable": False, "reason": e.reason, "message": REASONS[e.reason], "staff_id": None,
                    "location_id": None}
    return {"bookable": True, "reason": None, "message": None, "staff_id": str(choice.staff_id),
            "location_id": str(choice.location_id), "start_at": choice.start_at.isoformat(),
            "end_at": choice.end_at.isoformat()}
