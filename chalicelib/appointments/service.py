"""Appointments: booking (by staff and, through the booking module, by customers), the status
machine, rescheduling, history, recurring series and customers' manage links.

Owns ``appointments``, ``appointment_history``, ``appointment_series`` and ``booking_links``.

Every write re-checks the whole availability rule inside its own transaction (``availability.
decide``); the exclusion constraint ``appointments_no_overlap`` is the final guard, so two
requests racing for one slot end in one booking and one ``slot_taken``. A transaction that books
or moves into a start first takes a lock named after the business, service and start, so racing
requests for the same start queue up and each sees the others' result: "any staff" then assigns
the next free person, and a group session's last seat goes to exactly one request.

Staff-role members see and change only the appointments of their own staff profile.
"""
from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, NoReturn, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from chalicelib.availability import service as availability
from chalicelib.availability.service import Choice, Unavailable
from chalicelib.billing import gate
from chalicelib.billing.gate import BookingsClosed, Entitlements, PlanLimit
from chalicelib.business import service as business
from chalicelib.core import db, log, security
from chalicelib.core.db import ConstraintViolated, Deadlocked, Tx
from chalicelib.core.errors import Conflict, Forbidden, NotFound, RateLimited, StaleVersion, ValidationFailed
from chalicelib.core.pagination import decode_cursor, page
from chalicelib.core.security import Caller
from chalicelib.customers import service as customers
from chalicelib.events import outbox
from chalicelib.locations import service as locations
from chalicelib.notifications import reminders
from chalicelib.staff import service as staff

T = TypeVar("T")

ACTIVE = ("pending", "confirmed")
# Whether it happened can only be said once it has begun: a future appointment marked completed or a
# no-show would record, and announce to the pipeline, something that has not happened.
AFTER_START = ("complete", "no_show")
# action -> (the statuses it may start from, the status it leads to, the outbox topic)
TRANSITIONS = {
    "confirm": (("pending",), "confirmed", "appointment.confirmed"),
    "complete": (("confirmed",), "completed", "appointment.completed"),
    "no_show": (("confirmed",), "no_show", "appointment.no_show"),
    "cancel": (ACTIVE, "cancelled", "appointment.cancelled"),
}
# "any staff" may lose a race for the person it picked to a booking at another, overlapping start;
# it then looks again (the lock only queues requests for the same start).
ANY_STAFF_ATTEMPTS = 3
# Unconfirmed (pending) bookings to come that one customer (found by e-mail or phone) may hold at a
# business from its public page: a request that waits for the business takes a place in its calendar
# meanwhile, so a stranger must not hold many. A real customer asks for one or two at a time.
MAX_PENDING_ONLINE = 3
# Online bookings a business takes in any hour (a sliding window), from its public page: a busy salon
# takes a few dozen in its busiest hour; 600 is ten a minute for a whole hour. Stops a flood from many
# addresses filling one calendar. Only bookings made count (pending, and cancelled since, included):
# an attempt that books nothing counts against its sender's address alone, so no one can use this up
# with requests that fail. Counted inside the booking's insert (``_INSERT``), from the appointments
# themselves. Bookings made by members never count and are never refused by it. A flood bound, not an
# exact quota: two bookings inserted at the same instant may both pass at 599 (see ``_refuse``).
#
# The plan's monthly allowance (``bookings_per_month``), by contrast, is exact: every booking (staff,
# online, each occurrence of a series) adds one to the business's ``usage_counters`` row of the period
# in the same insert, and the row's lock makes the count and the limit hold under concurrency. The
# price: that row is held from the insert to the COMMIT, so one business's bookings queue behind each
# other on their very last step (what follows the insert: the COMMIT, and with an Idempotency-Key the
# stored answer); a recurring series holds it from its first occurrence's insert to its commit.
# Everything before the insert (the availability read, the customer, the start's own lock) still runs
# side by side.
ONLINE_BOOKINGS_PER_HOUR = 600
ONLINE_BUDGET_WINDOW_S = 3600
MAX_SERIES = 52

_COLUMNS = """id, location_id, service_id, staff_id, customer_id, series_id, start_at, end_at, session_key, status,
       price_minor, currency, notes, internal_notes, source, created_by, cancel_reason, cancelled_by, cancelled_at,
       version, created_at, updated_at"""
# What history records of an appointment, before and after a change.
_TRACKED = ("status", "start_at", "end_at", "staff_id", "location_id", "service_id", "customer_id", "price_minor",
            "notes", "internal_notes", "cancel_reason")

# The start of the business's usage period now: whole months from its usage anchor (see
# chalicelib/billing/usage.py, which reads the counters at the same start).
_THIS_PERIOD = """billing_period_start(coalesce((SELECT usage_anchor FROM subscriptions WHERE business_id = :bid),
                                     (SELECT created_at FROM businesses WHERE id = :bid)), now())"""

_INSERT = f"""-- a booking counted in its business's usage of the period, its first history entry, its event for the
-- notification pipeline, its reminders and, when booked online, its customer's manage link: together.
-- Not made (no row) when the plan's monthly allowance is used up (:cap: the allowance on a plan with no
-- overage; NULL: no cap), the counter row's update deciding it against the latest count; and online
-- (:online), when the customer already holds as many unconfirmed online bookings to come as allowed,
-- or the business took its budget of online bookings in the last :budget_window_s seconds (counts read
-- through appointments_online_created_idx, 0017).
WITH counted AS (
  INSERT INTO usage_counters AS u (business_id, meter, period_start, used)
  SELECT :bid, 'bookings', {_THIS_PERIOD}, 1
   WHERE (CAST(:cap AS integer) IS NULL OR CAST(:cap AS integer) > 0)
     AND (NOT :online
          OR ((SELECT count(*) FROM appointments
                WHERE customer_id = :customer_id AND status = 'pending' AND source = 'online' AND start_at > now())
              < :max_pending
              AND (SELECT count(*) FROM appointments
                    WHERE business_id = :bid AND source = 'online'
                      AND created_at > now() - make_interval(secs => :budget_window_s))
              < :budget))
  ON CONFLICT (business_id, meter, period_start) DO UPDATE SET used = u.used + 1, updated_at = now()
   WHERE CAST(:cap AS integer) IS NULL OR u.used < CAST(:cap AS integer)
  RETURNING used
), booked AS (
  INSERT INTO appointments (id, business_id, location_id, service_id, staff_id, customer_id, series_id, start_at,
                            end_at, occupied, session_key, status, price_minor, currency, notes, internal_notes,
                            source, created_by)
  SELECT :id, :bid, :location_id, :service_id, :staff_id, :customer_id, :series_id, :start_at, :end_at,
         tstzrange(:occupied_from, :occupied_until), :session_key, :status, :price_minor, :currency, :notes,
         :internal_notes, :source, :created_by
   WHERE EXISTS (SELECT FROM counted)
  RETURNING {_COLUMNS}
), history AS (
  INSERT INTO appointment_history (business_id, appointment_id, action, actor_type, actor_id, after)
  SELECT :bid, id, 'created', :actor_type, :actor_id, CAST(:after AS jsonb) FROM booked
), {outbox.insert_cte("booked")}, {reminders.arm_cte("booked")}, linked AS (
  INSERT INTO booking_links (token_hash, business_id, appointment_id)
  SELECT :link_hash, :bid, id FROM booked WHERE CAST(:link_hash AS text) IS NOT NULL
)
SELECT booked.*, (SELECT id FROM outboxed) AS outbox_id FROM booked"""

_REFUSED = f"""-- why _INSERT made no booking: the business's bookings counted this period (against its allowance),
-- and in how many seconds an online booking refused by its budget may be tried again: once the oldest
-- of the :budget newest online bookings of the window leaves it (NULL: the budget is not spent)
SELECT (SELECT used FROM usage_counters
         WHERE business_id = :bid AND meter = 'bookings' AND period_start = {_THIS_PERIOD}) AS used,
       (SELECT CASE WHEN count(*) >= :budget
                    THEN ceil(extract(epoch FROM min(created_at) + make_interval(secs => :budget_window_s) - now()))
               END
          FROM (SELECT created_at FROM appointments
                 WHERE business_id = :bid AND source = 'online'
                   AND created_at > now() - make_interval(secs => :budget_window_s)
                 ORDER BY created_at DESC LIMIT :budget) AS counted) AS wait_s"""

_GET = f"""-- one appointment
SELECT {_COLUMNS} FROM appointments WHERE id = :id"""

_LOCK = f"""-- one appointment, held until this transaction ends
SELECT {_COLUMNS} FROM appointments WHERE id = :id FOR UPDATE"""

_HISTORY = """-- a change, who made it, before and after
INSERT INTO appointment_history (business_id, appointment_id, action, actor_type, actor_id, before, after)
VALUES (:bid, :id, :action, :actor_type, :actor_id, CAST(:before AS jsonb), CAST(:after AS jsonb))"""

_SET_STATUS = f"""-- a move in the status machine
UPDATE appointments
   SET status = :status, cancel_reason = COALESCE(:reason, cancel_reason),
       cancelled_by = CASE WHEN :status = 'cancelled' THEN :cancelled_by ELSE cancelled_by END,
       cancelled_at = CASE WHEN :status = 'cancelled' THEN now() ELSE cancelled_at END,
       version = version + 1, updated_at = now()
 WHERE id = :id
RETURNING {_COLUMNS}"""

_MOVE = f"""-- a new time, staff member or place; the exclusion constraint re-checks the overlap
UPDATE appointments
   SET start_at = :start_at, end_at = :end_at, occupied = tstzrange(:occupied_from, :occupied_until),
       session_key = :session_key, staff_id = :staff_id, location_id = :location_id, price_minor = :price_minor,
       version = version + 1, updated_at = now()
 WHERE id = :id
RETURNING {_COLUMNS}"""

_EDIT = f"""-- notes and other fields that do not move the appointment
UPDATE appointments SET notes = :notes, internal_notes = :internal_notes, version = version + 1, updated_at = now()
 WHERE id = :id
RETURNING {_COLUMNS}"""

_LIST = f"""-- a page of appointments in a time range, in start order
SELECT {_COLUMNS} FROM appointments
 WHERE start_at >= :since AND start_at < :until
   AND (CAST(:staff_id AS uuid) IS NULL OR staff_id = CAST(:staff_id AS uuid))
   AND (CAST(:location_id AS uuid) IS NULL OR location_id = CAST(:location_id AS uuid))
   AND (CAST(:customer_id AS uuid) IS NULL OR customer_id = CAST(:customer_id AS uuid))
   AND (CAST(:statuses AS text[]) IS NULL OR status = ANY(CAST(:statuses AS text[])))
   AND (CAST(:after_at AS timestamptz) IS NULL
        OR (start_at, id) > (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid)))
 ORDER BY start_at, id
 LIMIT :limit"""

_OF_CUSTOMER = f"""-- a customer's appointments, latest first (upcoming, then history)
SELECT {_COLUMNS} FROM appointments
 WHERE customer_id = :customer_id
   AND (CAST(:staff_id AS uuid) IS NULL OR staff_id = CAST(:staff_id AS uuid))
   AND (CAST(:after_at AS timestamptz) IS NULL
        OR (start_at, id) < (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid)))
 ORDER BY start_at DESC, id DESC
 LIMIT :limit"""

_HISTORY_OF = """-- every change of one appointment, oldest first
SELECT id, action, actor_type, actor_id, before, after, at FROM appointment_history
 WHERE appointment_id = :id ORDER BY id"""

_NEW_SERIES = """-- a recurring series: its rule, for the record
INSERT INTO appointment_series (id, business_id, rule) VALUES (:id, :bid, CAST(:rule AS jsonb))"""

_SERIES_REST = f"""-- the active occurrences of a series from one start on (a staff-role member's own ones only),
-- held for cancelling
SELECT {_COLUMNS} FROM appointments
 WHERE series_id = :series_id AND start_at >= :from_at AND status IN ('pending', 'confirmed')
   AND (CAST(:staff_id AS uuid) IS NULL OR staff_id = CAST(:staff_id AS uuid))
 ORDER BY start_at
 FOR UPDATE"""

_ADD_LINK = """-- a manage link for the customer; only the hash of its secret is kept (the same message written
-- again keeps its first)
INSERT INTO booking_links (token_hash, business_id, appointment_id) VALUES (:hash, :bid, :id)
ON CONFLICT (token_hash) DO NOTHING"""

_BY_LINK = f"""-- the appointment a manage link points at
SELECT {_COLUMNS} FROM appointments
 WHERE id = (SELECT appointment_id FROM booking_links WHERE token_hash = :hash)"""

_LOCK_BY_LINK = f"""{_BY_LINK}
   FOR UPDATE"""


class SlotTaken(Conflict):
    code, message = "slot_taken", "This time has just been taken; please choose another."


class SlotUnavailable(Conflict):
    code, message = "slot_unavailable", "This time cannot be booked."


class BudgetSpent(RateLimited):
    """The business's online bookings of the last hour are at its budget: refused at the insert, the
    booking's last step, so its own counts rolled back with it; the caller counts the attempt again."""

    # Named in the details, so the booking page can say the business is full for now rather than that
    # the customer tried too often.
    LIMIT = "online_bookings_per_business"

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(retry_after_s, "This business takes no more online bookings for now; please try again later.")
        self.details["limit"] = self.LIMIT


class TooManyPending(Conflict):
    code, message = ("too_many_pending", "You already have bookings here waiting for the business to confirm them; "
                     "please wait for their answer, or contact the business.")


class InvalidTransition(Conflict):
    code, message = "invalid_transition", "The appointment's status does not allow this."



class NotStarted(Conflict):
    code = "not_started"


class CutoffPassed(Conflict):
    code, message = "cutoff_passed", "It is too late to change this booking online; please contact the business."


class NotYourCalendar(Forbidden):
    code, message = "not_your_calendar", "Staff members manage their own appointments only."


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a member (``user``), a customer through their manage link, or the system."""
    kind: str
    id: UUID | None = None

    @classmethod
    def of(cls, caller: Caller) -> Actor:
        return cls("user", caller.user_id)


@dataclass(frozen=True)
class Booking:
    service_id: UUID
    start_at: datetime
    staff_id: UUID | None = None
    location_id: UUID | None = None
    notes: str | None = None
    internal_notes: str | None = None


# --- answers ---------------------------------------------------------------------------------

def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def appointment_json(row: dict[str, Any], *, internal: bool = True) -> dict[str, Any]:
    answer = {
        "id": str(row["id"]),
        "status": row["status"],
        "start_at": _iso(row["start_at"]),
        "end_at": _iso(row["end_at"]),
        "service_id": str(row["service_id"]),
        "staff_id": str(row["staff_id"]),
        "location_id": str(row["location_id"]),
        "customer_id": str(row["customer_id"]),
        "series_id": str(row["series_id"]) if row["series_id"] else None,
        "price": {"amount": row["price_minor"], "currency": row["currency"]},
        "notes": row["notes"],
        "source": row["source"],
        "cancel_reason": row["cancel_reason"],
        "cancelled_by": row["cancelled_by"],
        "cancelled_at": _iso(row["cancelled_at"]),
        "version": row["version"],
        "created_at": _iso(row["created_at"]),
        "updated_at": _iso(row["updated_at"]),
    }
    if internal:
        answer["internal_notes"] = row["internal_notes"]
    return answer


def _naming_customers(tx: Tx, rows: list[dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A serialiser for members' answers that names each row's customer: one statement for a whole
    page, so a calendar needs no request per appointment."""
    people = customers.briefs(tx, [r["customer_id"] for r in rows])
    return lambda row: {**appointment_json(row), "customer": people.get(row["customer_id"])}


def _snapshot(row: dict[str, Any]) -> dict[str, Any]:
    return {field: row[field] for field in _TRACKED}


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = [f for f in _TRACKED if before[f] != after[f]]
    return {f: before[f] for f in fields}, {f: after[f] for f in fields}


def _plain(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def as_json(value: Any) -> str:
    """JSON for history and series rows (and whoever writes them too): times as ISO 8601 with their
    offset, like the API."""
    return json.dumps(value, default=_plain)


def _event(row: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """What the notification pipeline hears about an appointment (``row`` as it is now)."""
    return {"appointment_id": str(row["id"]), "status": row["status"], "version": row["version"],
            "start_at": _iso(row["start_at"]), "end_at": _iso(row["end_at"]), "staff_id": str(row["staff_id"]),
            "customer_id": str(row["customer_id"]), "service_id": str(row["service_id"]),
            "location_id": str(row["location_id"]), **extra}


def _announce(tx: Tx, business_id: UUID, topic: str, row: dict[str, Any], **extra: Any) -> None:
    """An appointment changed (``row`` as it is now): tell the notification pipeline, and bring its
    reminders in line with its status and start, in the transaction of the change."""
    outbox.add(tx, business_id, topic, aggregate_id=row["id"], payload=_event(row, **extra))
    reminders.arm(tx, business_id, [row["id"]])


# --- who may see what --------------------------------------------------------------------------

def _own_staff(tx: Tx, caller: Caller | None) -> UUID | None:
    """The staff profile a staff-role member is limited to (None: no limit); a staff-role member
    without a profile is limited to nothing (a random id that matches no row)."""
    if caller is None or caller.role != "staff":
        return None
    return staff.for_user(tx, caller.user_id) or uuid.uuid4()


def _visible(tx: Tx, row: dict[str, Any] | None, caller: Caller | None) -> dict[str, Any]:
    if row is None:
        raise NotFound("appointment")
    own = _own_staff(tx, caller)
    if own is not None and row["staff_id"] != own:
        raise NotFound("appointment")
    return row


# --- booking ---------------------------------------------------------------------------------

def _lock_key(service_id: UUID, start_at: datetime) -> str:
    # A service id is unique across tenants: a public booking takes this lock in the statement that
    # finds its business, before it knows the business's id.
    return f"start:{service_id}:{start_at.astimezone(timezone.utc).isoformat()}"


def _status_for(choice: Choice, *, online: bool) -> str:
    if online and (choice.service["requires_confirmation"] or not choice.policy["auto_confirm"]):
        return "pending"
    return "confirmed"


def _open(policy: dict[str, Any] | None) -> None:
    """A business whose account is suspended or expired takes no new bookings (moving, cancelling and
    completing the ones it has go on). Its public pages answer 404 before this; its members get 403."""
    if policy is not None and policy["status"] != "active":
        raise BookingsClosed(policy["status"])


def _decide(tx: Tx, business_id: UUID, booking: Booking, *, public: bool,
            exclude_appointment: UUID | None = None, new: bool = False) -> Choice:
    """Who takes the booking, or why nobody can; ``new`` (not a move): first of all, whether the
    business takes new bookings at all."""
    try:
        choice = availability.decide(tx, business_id, service_id=booking.service_id, staff_id=booking.staff_id,
                                     location_id=booking.location_id, start_at=booking.start_at, public=public,
                                     exclude_appointment=exclude_appointment)
    except Unavailable as e:
        if new:
            _open(e.policy)
        if e.reason in ("taken", "full"):
            raise SlotTaken(details={"reason": e.reason}) from None
        raise SlotUnavailable(availability.REASONS[e.reason], details={"reason": e.reason}) from None
    if new:
        _open(choice.policy)
    return choice


def _cap(ent: Entitlements) -> int | None:
    """The monthly allowance of bookings the insert holds a business to: None when it has none, or
    when its plan bills bookings past it as overage (they go on)."""
    allowed = ent.limits["bookings_per_month"]
    return None if allowed is None or "bookings" in ent.overage else allowed


def _insert(tx: Tx, business_id: UUID, booking: Booking, choice: Choice, *, customer_id: UUID, actor: Actor,
            source: str, series_id: UUID | None = None, link_hash: str | None = None) -> dict[str, Any]:
    """The booking, in one statement with its count in the period's usage, its history, its event,
    its reminders and (``link_hash``) its manage link. Past the plan's monthly allowance, on a plan
    without overage, nothing is made (``PlanLimit``). Online, a customer holding
    ``MAX_PENDING_ONLINE`` unconfirmed bookings to come gets no more (``TooManyPending``), nor does a
    business that took ``ONLINE_BOOKINGS_PER_HOUR`` online bookings in the last hour (``RateLimited``,
    with when to try again)."""
    appointment_id = uuid.uuid4()
    values = {
        "status": _status_for(choice, online=source == "online"), "start_at": choice.start_at,
        "end_at": choice.end_at, "staff_id": choice.staff_id, "location_id": choice.location_id,
        "service_id": booking.service_id, "customer_id": customer_id, "price_minor": choice.price_minor,
        "notes": booking.notes, "internal_notes": booking.internal_notes, "cancel_reason": None,
    }
    # The event is written by the same statement, so it is made from the row as it will be.
    event = _event({**values, "id": appointment_id, "version": 1, "start_at": choice.start_at.astimezone(timezone.utc),
                    "end_at": choice.end_at.astimezone(timezone.utc)}, source=source)
    try:
        row = tx.one(_INSERT, id=appointment_id, bid=business_id, series_id=series_id,
                     occupied_from=choice.occupied_from, occupied_until=choice.occupied_until,
                     session_key=choice.session_key or str(appointment_id), currency=choice.currency, source=source,
                     created_by=actor.id if actor.kind == "user" else None, actor_type=actor.kind, actor_id=actor.id,
                     after=as_json(values), online=source == "online", max_pending=MAX_PENDING_ONLINE,
                     cap=_cap(choice.entitlements),
                     budget=ONLINE_BOOKINGS_PER_HOUR, budget_window_s=ONLINE_BUDGET_WINDOW_S,
                     outbox_topic="appointment.created", outbox_payload=json.dumps(event), link_hash=link_hash,
                     default_offsets=list(reminders.DEFAULT_OFFSETS_MIN), **values)
    except ConstraintViolated as e:
        if e.name == "appointments_no_overlap":
            raise SlotTaken() from e
        if e.code == "23503" and "customer" in e.name:
            raise ValidationFailed({"customer_id": "unknown customer"}) from e
        raise
    except Deadlocked as e:  # an overlapping booking inserted at the same instant, and won
        raise SlotTaken() from e
    if row is None:
        _refuse(tx, business_id, choice.entitlements)
    outbox.added(tx, business_id, row.pop("outbox_id"), aggregate_id=appointment_id)
    tx.after_commit(_log_booked, (business_id, appointment_id, source))
    return row


def _log_booked(booked: list[tuple[UUID, UUID, str]]) -> None:
    """One line per booking once committed (the BookingsMade metric: chalicelib/core/metrics.py), so an
    attempt rolled back (a lost race, a series occurrence skipped) is not counted."""
    for business_id, appointment_id, source in booked:
        log.emit("appointment.booked", business_id=str(business_id), appointment_id=str(appointment_id),
                 source=source)


def _refuse(tx: Tx, business_id: UUID, ent: Entitlements) -> NoReturn:
    """Why ``_INSERT`` made no booking (one more statement, on this path only): the plan's monthly
    allowance used up (403 ``plan_limit``), else, online, the business's budget (429 until the window
    frees a place), else the customer's unconfirmed bookings.

    The budget is a bound on a flood, not an exact quota: the count reads what is committed, so
    bookings inserted at the same instant may all pass at 599 (a few over 600, as many as there are
    concurrent requests, each also counted against its own address)."""
    found = tx.one(_REFUSED, bid=business_id, budget=ONLINE_BOOKINGS_PER_HOUR, budget_window_s=ONLINE_BUDGET_WINDOW_S)
    assert found is not None  # a SELECT without FROM always answers one row
    cap, used = _cap(ent), found["used"] or 0
    if cap is not None and used >= cap:
        raise gate.limit_refusal(ent, "bookings_per_month", used)
    if found["wait_s"] is not None:
        raise BudgetSpent(max(1, min(int(found["wait_s"]), ONLINE_BUDGET_WINDOW_S)))
    raise TooManyPending(details={"max_pending": MAX_PENDING_ONLINE})


def _with_retries(book_once: Callable[[], T], booking: Booking) -> T:
    """Run ``book_once`` again when "any staff" lost its pick to an overlapping booking."""
    for _ in range(ANY_STAFF_ATTEMPTS - 1 if booking.staff_id is None else 0):
        with contextlib.suppress(SlotTaken):
            return book_once()
    return book_once()


def book(caller: Caller, booking: Booking, *, customer_id: UUID) -> dict[str, Any]:
    """A member books on behalf of a customer (the whole availability rule applies)."""
    def book_once() -> dict[str, Any]:
        with db.tenant_tx(caller.business_id,
                          lock=_lock_key(booking.service_id, booking.start_at)) as tx:
            own = _own_staff(tx, caller)
            if own is not None and booking.staff_id != own:
                raise NotYourCalendar()
            choice = _decide(tx, caller.business_id, booking, public=False, new=True)
            return _insert(tx, caller.business_id, booking, choice, customer_id=customer_id,
                           actor=Actor.of(caller), source="staff")

    return appointment_json(_with_retries(book_once, booking))


@dataclass(frozen=True)
class CustomerDetails:
    name: str
    email: str | None
    phone: str | None
    terms_accepted: bool
    marketing_opt_in: bool


def book_online(where: UUID | db.Page, booking: Booking, customer: CustomerDetails) -> dict[str, Any]:
    """A customer books on the public page: they are found or added (with their consent), the
    booking is made as on the staff side (public rules: online-bookable only), and a manage link
    is made. All of it or nothing, in one transaction. ``where`` is the business, or the public page
    (``db.Page``) whose business the transaction's first statement finds (none: 404), counting the
    page's hits there (so a booking that fails counts nothing). The business's budget of online
    bookings is checked by the insert itself (``ONLINE_BOOKINGS_PER_HOUR``: 429 when spent)."""
    page = where if isinstance(where, db.Page) else None

    def book_once() -> tuple[dict[str, Any], str]:
        with db.transaction(None if page else where, page=page,
                            lock=_lock_key(booking.service_id, booking.start_at)) as tx:
            business_id = tx.business_id
            if business_id is None:
                raise NotFound("business")
            choice = _decide(tx, business_id, booking, public=True, new=True)
            person = customers.find_or_create(tx, business_id, name=customer.name, email=customer.email,
                                              phone=customer.phone)
            customer_id = person["id"]
            customers.record_consent(tx, business_id, customer_id, kind="terms", granted=customer.terms_accepted,
                                     source="booking_page")
            if customer.marketing_opt_in:  # counts once the customer's address confirms it (double opt-in)
                customers.request_consent(tx, business_id, customer_id, kind="marketing", source="booking_page")
            token, token_hash = security.new_token(prefix=str(business_id))
            row = _insert(tx, business_id, booking, choice, customer_id=customer_id,
                          actor=Actor("customer", customer_id), source="online", link_hash=token_hash)
            return row, token

    row, token = _with_retries(book_once, booking)
    return {"appointment": appointment_json(row, internal=False), "manage_token": token}


def add_link(tx: Tx, business_id: UUID, appointment_id: UUID, *, message_id: UUID | None = None) -> str:
    """A new manage link for an appointment (the booking answer, and each message, get one). A
    message's (``message_id``: its outbox row) is derived from it, so writing it again gives the same."""
    token, token_hash = security.derived_token("manage", str(message_id), prefix=str(business_id)) \
        if message_id is not None else security.new_token(prefix=str(business_id))
    tx.execute(_ADD_LINK, hash=token_hash, bid=business_id, id=appointment_id)
    return token


def link_business(token: str) -> UUID:
    """The business a manage link belongs to (its prefix, not secret), or 404."""
    try:
        return UUID(security.token_prefix(token))
    except ValueError:
        raise NotFound("booking") from None


def linked(tx: Tx, token: str, *, lock: bool = False) -> dict[str, Any]:
    """Inside the link's business: the appointment a manage link points at (held for a change when
    ``lock``), or 404."""
    row = tx.one(_LOCK_BY_LINK if lock else _BY_LINK, hash=security.hash_token(token))
    if row is None:
        raise NotFound("booking")
    return row


# --- reading ---------------------------------------------------------------------------------

def get(caller: Caller, appointment_id: UUID) -> dict[str, Any]:
    with db.tenant_tx(caller.business_id) as tx:
        row = _visible(tx, tx.one(_GET, id=appointment_id), caller)
        return _naming_customers(tx, [row])(row)


def read(tx: Tx, appointment_id: UUID) -> dict[str, Any] | None:
    """The raw row, inside the caller's transaction (for other modules)."""
    return tx.one(_GET, id=appointment_id)


_UPCOMING_OF_STAFF = """-- a staff member's active appointments not over yet and starting before :until, soonest first (an
-- appointment lasts at most 24 hours: the bound on start_at lets appointments_staff_idx find them)
SELECT id FROM appointments
 WHERE business_id = :bid AND staff_id = :staff_id AND status IN ('pending', 'confirmed')
   AND start_at > now() - interval '24 hours' AND start_at < :until AND end_at > now()
 ORDER BY start_at, id
 LIMIT :limit"""


def upcoming_of_staff(tx: Tx, business_id: UUID, staff_id: UUID, *, until: datetime, limit: int) -> list[UUID]:
    """The ids of a staff member's active appointments not over yet that start before ``until``, at most
    ``limit``, soonest first: what calendar sync writes into a calendar just connected."""
    return [r["id"] for r in tx.all(_UPCOMING_OF_STAFF, bid=business_id, staff_id=staff_id, until=until,
                                    limit=limit)]


def history(caller: Caller, appointment_id: UUID) -> dict[str, Any]:
    with db.tenant_tx(caller.business_id) as tx:
        _visible(tx, tx.one(_GET, id=appointment_id), caller)
        entries = tx.all(_HISTORY_OF, id=appointment_id)
    return {"items": [{"action": e["action"], "actor": {"type": e["actor_type"],
                                                        "id": str(e["actor_id"]) if e["actor_id"] else None},
                       "at": e["at"].isoformat(), "before": e["before"], "after": e["after"]} for e in entries]}


def _day_range(start_date: date, end_date: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    if end_date < start_date:
        raise ValidationFailed({"to": "must not be before from"})
    if (end_date - start_date).days > 366:
        raise ValidationFailed({"to": "at most 366 days after from"})
    return (datetime.combine(start_date, time(), zone),
            datetime.combine(end_date + timedelta(days=1), time(), zone))


def list_range(caller: Caller, *, start_date: date, end_date: date, tz: str | None, staff_id: UUID | None,
               location_id: UUID | None, customer_id: UUID | None, statuses: list[str] | None, limit: int,
               cursor: str | None) -> dict[str, Any]:
    """A page of appointments starting between two local dates (inclusive), in start order."""
    after = decode_cursor(cursor, 2)
    with db.tenant_tx(caller.business_id) as tx:
        own = _own_staff(tx, caller)
        zone = ZoneInfo(tz or _business_zone(tx, caller.business_id))
        since, until = _day_range(start_date, end_date, zone)
        if own is not None:
            if staff_id not in (None, own):
                raise NotYourCalendar()
            staff_id = own
        rows = tx.all(_LIST, since=since, until=until, staff_id=staff_id, location_id=location_id,
                      customer_id=customer_id, statuses=statuses, after_at=after[0] if after else None,
                      after_id=after[1] if after else None, limit=limit + 1)
        serialise = _naming_customers(tx, rows[:limit])
    return page(rows, limit, lambda r: (r["start_at"].isoformat(), str(r["id"])), serialise)


def of_customer(caller: Caller, customer_id: UUID, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """A customer's appointments, latest first (a staff-role member sees only their own ones)."""
    after = decode_cursor(cursor, 2)
    with db.tenant_tx(caller.business_id) as tx:
        if customers.get(tx, customer_id) is None:
            raise NotFound("customer")
        rows = tx.all(_OF_CUSTOMER, customer_id=customer_id, staff_id=_own_staff(tx, caller),
                      after_at=after[0] if after else None, after_id=after[1] if after else None, limit=limit + 1)
    return page(rows, limit, lambda r: (r["start_at"].isoformat(), str(r["id"])), appointment_json)


def _business_zone(tx: Tx, business_id: UUID) -> str:
    found = business.get(tx, business_id)
    if found is None:
        raise NotFound("business")
    return found["time_zone"]


# --- changes ---------------------------------------------------------------------------------

def _record(tx: Tx, business_id: UUID, before: dict[str, Any], after: dict[str, Any], *, action: str,
            actor: Actor) -> None:
    old, new = _changed(_snapshot(before), _snapshot(after))
    tx.execute(_HISTORY, bid=business_id, id=after["id"], action=action, actor_type=actor.kind, actor_id=actor.id,
               before=as_json(old), after=as_json(new))


def _check_version(row: dict[str, Any], expected: int | None) -> None:
    if expected is not None and row["version"] != expected:
        raise StaleVersion("appointment", details={"version": row["version"]})


def _cutoff(row: dict[str, Any], policy_minutes: int) -> None:
    if datetime.now(timezone.utc) > row["start_at"] - timedelta(minutes=policy_minutes):
        raise CutoffPassed(details={"cutoff_min": policy_minutes})


def _refuse_before_start(tx: Tx, row: dict[str, Any], action: str) -> None:
    if datetime.now(timezone.utc) >= row["start_at"]:
        return
    found = locations.get(tx, row["location_id"])
    zone = found["time_zone"] if found else "UTC"
    local = row["start_at"].astimezone(ZoneInfo(zone))
    what = "completed" if action == "complete" else "marked a no-show"
    raise NotStarted(f"This appointment starts on {local:%Y-%m-%d} at {local:%H:%M} ({zone}); it can be {what} "
                     "once it has started.", details={"start_at": _iso(row["start_at"]), "action": action})


def _transition(tx: Tx, business_id: UUID, row: dict[str, Any], action: str, *, actor: Actor,
                reason: str | None = None, cancelled_by: str | None = None) -> dict[str, Any]:
    allowed, status, topic = TRANSITIONS[action]
    if row["status"] not in allowed:
        raise InvalidTransition(details={"status": row["status"], "action": action})
    if action in AFTER_START:
        _refuse_before_start(tx, row, action)
    after = tx.one(_SET_STATUS, id=row["id"], status=status, reason=reason, cancelled_by=cancelled_by)
    assert after is not None
    _record(tx, business_id, row, after, action=action, actor=actor)
    _announce(tx, business_id, topic, after, actor=actor.kind, reason=reason)
    return after


def change_status(caller: Caller, appointment_id: UUID, action: str, *, version: int | None = None,
                  reason: str | None = None, following: bool = False) -> dict[str, Any]:
    """confirm, complete, no_show or cancel (``following``: this and the later occurrences of its
    series) by a member of the business."""
    actor = Actor.of(caller)
    with db.tenant_tx(caller.business_id) as tx:
        row = _visible(tx, tx.one(_LOCK, id=appointment_id), caller)
        _check_version(row, version)
        if not following or row["series_id"] is None:
            after = _transition(tx, caller.business_id, row, action, actor=actor, reason=reason,
                                cancelled_by="business" if action == "cancel" else None)
            return appointment_json(after)
        if row["status"] not in ACTIVE:
            raise InvalidTransition(details={"status": row["status"], "action": action})
        # A series may span several people's calendars: a staff-role member's scope is their own.
        rest = tx.all(_SERIES_REST, series_id=row["series_id"], from_at=row["start_at"],
                      staff_id=_own_staff(tx, caller))
        done = [_transition(tx, caller.business_id, r, action, actor=actor, reason=reason,
                            cancelled_by="business") for r in rest]
    first = next(r for r in done if r["id"] == row["id"])
    return {**appointment_json(first), "cancelled": [str(r["id"]) for r in done]}


def edit(caller: Caller, appointment_id: UUID, changes: dict[str, Any], *, version: int) -> dict[str, Any]:
    """Notes and internal notes, under optimistic locking."""
    with db.tenant_tx(caller.business_id) as tx:
        row = _visible(tx, tx.one(_LOCK, id=appointment_id), caller)
        _check_version(row, version)
        values = {"notes": row["notes"], "internal_notes": row["internal_notes"], **changes}
        after = tx.one(_EDIT, id=appointment_id, **values)
        assert after is not None
        _record(tx, caller.business_id, row, after, action="edited", actor=Actor.of(caller))
    return appointment_json(after)


def _move(tx: Tx, business_id: UUID, row: dict[str, Any], *, start_at: datetime, staff_id: UUID | None,
          location_id: UUID | None, actor: Actor, public: bool) -> dict[str, Any]:
    if row["status"] not in ACTIVE:
        raise InvalidTransition(details={"status": row["status"], "action": "reschedule"})
    booking = Booking(service_id=row["service_id"], start_at=start_at, staff_id=staff_id or row["staff_id"],
                      location_id=location_id or (None if staff_id else row["location_id"]))
    choice = _decide(tx, business_id, booking, public=public, exclude_appointment=row["id"])
    try:
        after = tx.one(_MOVE, id=row["id"], start_at=choice.start_at, end_at=choice.end_at,
                       occupied_from=choice.occupied_from, occupied_until=choice.occupied_until,
                       session_key=choice.session_key or str(row["id"]), staff_id=choice.staff_id,
                       location_id=choice.location_id, price_minor=choice.price_minor)
    except ConstraintViolated as e:
        if e.name == "appointments_no_overlap":
            raise SlotTaken() from e
        raise
    except Deadlocked as e:  # an overlapping booking or move at the same instant, and it won
        raise SlotTaken() from e
    assert after is not None
    _record(tx, business_id, row, after, action="rescheduled", actor=actor)
    _announce(tx, business_id, "appointment.rescheduled", after, previous_start_at=_iso(row["start_at"]),
              actor=actor.kind)
    return after


def reschedule(caller: Caller, appointment_id: UUID, *, start_at: datetime, staff_id: UUID | None,
               location_id: UUID | None, version: int | None) -> dict[str, Any]:
    """Move an appointment (same id) to a new start, and optionally another staff member or place."""
    with db.tenant_tx(caller.business_id) as tx:
        row = _visible(tx, tx.one(_GET, id=appointment_id), caller)
    own_staff_moving_away = caller.role == "staff" and staff_id is not None and staff_id != row["staff_id"]
    if own_staff_moving_away:
        raise NotYourCalendar()
    with db.tenant_tx(caller.business_id, lock=_lock_key(row["service_id"], start_at)) as tx:
        row = _visible(tx, tx.one(_LOCK, id=appointment_id), caller)
        _check_version(row, version)
        after = _move(tx, caller.business_id, row, start_at=start_at, staff_id=staff_id, location_id=location_id,
                      actor=Actor.of(caller), public=False)
    return appointment_json(after)


# --- through a customer's manage link ----------------------------------------------------------

def _policy(tx: Tx, business_id: UUID) -> dict[str, Any]:
    found = business.get(tx, business_id)
    if found is None:
        raise NotFound("booking")
    return found["booking_policy"]


def link_view(row: dict[str, Any], policy: dict[str, Any]) -> dict[str, Any]:
    """A booking as its customer sees it, with what they may still do under the business's cut-offs."""
    moment = datetime.now(timezone.utc)
    active = row["status"] in ACTIVE
    cancel_until = row["start_at"] - timedelta(minutes=policy["cancel_cutoff_min"])
    reschedule_until = row["start_at"] - timedelta(minutes=policy["reschedule_cutoff_min"])
    return {"appointment": appointment_json(row, internal=False),
            "can_cancel": active and moment <= cancel_until, "can_reschedule": active and moment <= reschedule_until,
            "cancel_until": _iso(cancel_until), "reschedule_until": _iso(reschedule_until)}


def cancel_by_link(token: str, *, reason: str | None) -> dict[str, Any]:
    business_id = link_business(token)
    with db.tenant_tx(business_id) as tx:
        row = linked(tx, token, lock=True)
        if row["status"] not in ACTIVE:
            raise InvalidTransition(details={"status": row["status"], "action": "cancel"})
        _cutoff(row, _policy(tx, business_id)["cancel_cutoff_min"])
        after = _transition(tx, business_id, row, "cancel", actor=Actor("customer", row["customer_id"]),
                            reason=reason, cancelled_by="customer")
    return appointment_json(after, internal=False)


def reschedule_by_link(token: str, *, start_at: datetime) -> dict[str, Any]:
    """Move to another time with the same staff member, inside the business's cut-off."""
    business_id = link_business(token)
    with db.tenant_tx(business_id) as tx:
        service_id = linked(tx, token)["service_id"]
    with db.tenant_tx(business_id, lock=_lock_key(service_id, start_at)) as tx:
        row = linked(tx, token, lock=True)
        if row["status"] not in ACTIVE:
            raise InvalidTransition(details={"status": row["status"], "action": "reschedule"})
        _cutoff(row, _policy(tx, business_id)["reschedule_cutoff_min"])
        after = _move(tx, business_id, row, start_at=start_at, staff_id=None, location_id=None,
                      actor=Actor("customer", row["customer_id"]), public=True)
    return appointment_json(after, internal=False)


# --- recurring series ------------------------------------------------------------------------

def _occurrences(first: datetime, zone: ZoneInfo, *, every_weeks: int, count: int) -> list[datetime]:
    """The same local wall-clock time every N weeks (so 09:00 stays 09:00 across a DST change)."""
    local = first.astimezone(zone)
    wall = local.replace(tzinfo=None)
    return [(wall + timedelta(weeks=every_weeks * i)).replace(tzinfo=zone) for i in range(count)]


def book_series(caller: Caller, booking: Booking, *, customer_id: UUID, every_weeks: int,
                count: int) -> dict[str, Any]:
    """Book a weekly (or every N weeks) series: every occurrence that fits is booked, and each one
    that does not is reported with its reason (past the plan's monthly allowance: ``plan_limit``).
    One transaction; an occurrence that fails is rolled back to its savepoint alone."""
    series_id = uuid.uuid4()
    booked: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    with db.tenant_tx(caller.business_id) as tx:
        own = _own_staff(tx, caller)
        if own is not None and booking.staff_id != own:
            raise NotYourCalendar()
        place = locations.get(tx, booking.location_id) if booking.location_id else None
        zone = ZoneInfo(place["time_zone"] if place else _business_zone(tx, caller.business_id))
        starts = _occurrences(booking.start_at, zone, every_weeks=every_weeks, count=count)
        tx.execute(_NEW_SERIES, id=series_id, bid=caller.business_id,
                   rule=as_json({"every_weeks": every_weeks, "count": count, "first_start_at": starts[0],
                               "time_zone": zone.key}))
        # Each occurrence queues like a single booking of that start would (a group's last seat). All
        # are taken before the first insert, in time order: from that insert on, this transaction holds
        # the business's usage counter, which a single booking holding one of these starts waits for.
        for start in starts:
            tx.lock(_lock_key(booking.service_id, start))
        for start in starts:
            occurrence = Booking(**{**booking.__dict__, "start_at": start})
            tx.execute("SAVEPOINT occurrence")
            try:
                choice = _decide(tx, caller.business_id, occurrence, public=False, new=True)
                row = _insert(tx, caller.business_id, occurrence, choice, customer_id=customer_id,
                              actor=Actor.of(caller), source="staff", series_id=series_id)
            except (SlotTaken, SlotUnavailable, PlanLimit) as e:
                tx.execute("ROLLBACK TO SAVEPOINT occurrence")
                reason = "plan_limit" if isinstance(e, PlanLimit) else e.details.get("reason", "taken")
                skipped.append({"start_at": start.isoformat(), "reason": reason, "message": e.message})
                continue
            tx.execute("RELEASE SAVEPOINT occurrence")
            booked.append(row)
    return {"series_id": str(series_id), "booked": [appointment_json(r) for r in booked], "skipped": skipped}


# --- retention ---------------------------------------------------------------------------------

_PRUNE_LINKS = """-- retention: of the next :batch manage links in key order after :after (up to :until, if given;
-- every tenant's), delete those whose appointment ended, or was cancelled, more than the period ago;
-- answer how far it read
WITH page AS (
    SELECT ctid AS row_id, token_hash, business_id, appointment_id FROM booking_links
     WHERE token_hash > :after AND (CAST(:until AS text) IS NULL OR token_hash <= :until)
     ORDER BY token_hash LIMIT :batch
), gone AS (
    -- by the rows the page read (a join to the table again may read all of it)
    DELETE FROM booking_links WHERE ctid = ANY(ARRAY(
        SELECT p.row_id FROM page p JOIN appointments a ON a.business_id = p.business_id AND a.id = p.appointment_id
         WHERE a.end_at < now() - make_interval(secs => :older_than_s)
            OR a.cancelled_at < now() - make_interval(secs => :older_than_s)))
    RETURNING 1
)
SELECT count(*) AS read, max(token_hash) AS last, (SELECT count(*) FROM gone) AS deleted FROM page"""


def prune_links(tx: Tx, *, older_than_s: float, batch: int, after: str,
                until: str | None = None) -> tuple[int, str | None]:
    """The retention sweep's (in its retention scope): read the next ``batch`` manage links after the
    key ``after`` ("": from the first) up to ``until`` (None: to the last), and delete those whose
    appointment ended or was cancelled more than ``older_than_s`` ago. Links carry no end of their
    own, so the sweep pages through them all (those still live: upcoming and recent appointments')
    rather than through every past appointment. Answer how many went and the key to go on from
    (None: the last page)."""
    row = tx.one(_PRUNE_LINKS, older_than_s=older_than_s, batch=batch, after=after, until=until)
    return row["deleted"], row["last"] if row["read"] == batch else None


# --- GDPR erase ------------------------------------------------------------------------------------

# What people write about an appointment: the booking form's notes, staff's notes, a cancellation's
# reason. Each may name or describe the customer.
_FREE_TEXT = ("notes", "internal_notes", "cancel_reason")

_FORGET_TEXT = """-- a customer erased: their appointments stay (the business's records, its calendar), what was
-- written about them goes
UPDATE appointments
   SET notes = NULL, internal_notes = NULL, cancel_reason = NULL, version = version + 1, updated_at = now()
 WHERE customer_id = :customer_id
   AND (notes IS NOT NULL OR internal_notes IS NOT NULL OR cancel_reason IS NOT NULL)"""

_FORGET_HISTORY_TEXT = """-- ... and so do its copies in their history: each entry still says what changed, when and
-- by whom, with the text itself null
UPDATE appointment_history h
   SET before = h.before || coalesce((SELECT jsonb_object_agg(k, NULL) FROM jsonb_object_keys(h.before) k
                                       WHERE k = ANY(CAST(:fields AS text[]))), '{}'),
       after = h.after || coalesce((SELECT jsonb_object_agg(k, NULL) FROM jsonb_object_keys(h.after) k
                                     WHERE k = ANY(CAST(:fields AS text[]))), '{}')
 WHERE h.appointment_id IN (SELECT id FROM appointments WHERE customer_id = :customer_id)
   AND (h.before ?| CAST(:fields AS text[]) OR h.after ?| CAST(:fields AS text[]))"""

_FORGET_LINKS = """-- ... and their manage links stop working
DELETE FROM booking_links WHERE appointment_id IN (SELECT id FROM appointments WHERE customer_id = :customer_id)"""

_TOLD_CUSTOMER_ERASED = """-- ... and where their appointments are shown elsewhere (staff's Google calendars name the customer), a
-- new version of each one that is on or took place, for the readers of its event to write it again
UPDATE appointments SET version = version + 1, updated_at = now()
 WHERE customer_id = :customer_id AND status = ANY(CAST(:statuses AS text[]))
RETURNING id, business_id, staff_id"""

_IDS_OF_CUSTOMER = """-- every appointment of one customer, any status
SELECT id FROM appointments WHERE customer_id = :customer_id"""


def forget_customer(tx: Tx, customer_id: UUID) -> None:
    """The appointments' part of a customer's GDPR erase, inside the caller's (the erase's)
    transaction: their appointments' notes, internal notes and cancellation reasons, and the copies
    of those in the history and in the events about them, are cleared; their manage links end; and
    an event about each appointment on or past (``appointment.customer_erased``) has its readers
    write it again without the name (calendar sync: the staff member's Google event)."""
    tx.execute(_FORGET_TEXT, customer_id=customer_id)
    tx.execute(_FORGET_HISTORY_TEXT, customer_id=customer_id, fields=list(_FREE_TEXT))
    tx.execute(_FORGET_LINKS, customer_id=customer_id)
    outbox.forget(tx, [row["id"] for row in tx.all(_IDS_OF_CUSTOMER, customer_id=customer_id)],
                  keys=["reason", "recipient"])
    outbox.add_many(tx, [outbox.Event(row["business_id"], "appointment.customer_erased", row["id"],
                                      {"appointment_id": str(row["id"]), "staff_id": str(row["staff_id"])})
                         for row in tx.all(_TOLD_CUSTOMER_ERASED, customer_id=customer_id,
                                           statuses=[*ACTIVE, "completed", "no_show"])])
