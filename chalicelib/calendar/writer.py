"""Bookings into Google: each appointment's event in its staff member's Google calendar, made to
match the appointment as it is now.

The calendar reader calls ``write_appointment`` for every appointment event. It reads the
appointment and its link (``event_links``: what was last written where) and does only what differs,
so a message delivered twice, or one about a change the event does not show, costs no call at all.
The event's id is derived from the appointment's (``event_id``): a create retried after its answer
was lost meets its own event (409) and patches it instead of making a second one. Google keeps the
id of a deleted event for good, so an appointment whose event was deleted and is wanted again gets
the id's next generation.

The product is the source of truth: an event of ours edited or deleted in Google is put back when a
sync sees it (``restore``), and one no appointment wants there is removed.

Google failures never escape: the link records them (``failed``, with when to try again, backing off
up to ``RETRY_CAP_S`` and giving up after ``MAX_ATTEMPTS``; not before the member reconnects when
Google no longer accepts their grant), and ``retry_due`` (the 15-minute schedule) tries again; an
event delivered again would only repeat every reader's work. Database failures are raised.

No transaction that reads or writes stays open while Google is called: the appointment and its link
are read in one, Google is called, the outcome is written in another. Writes of one appointment take
turns: a transaction holding the appointment's advisory lock (it reads and writes nothing else) spans
the three, so the retry job and a delivery can never both insert. A delivery waits for its turn (at
most the statement timeout; then it fails and is delivered again); the retry job skips an appointment
being written, since whoever writes it reads the appointment as it is now.
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from chalicelib.appointments import facts as appointment_facts
from chalicelib.appointments import service as appointments
from chalicelib.billing import gate
from chalicelib.business import service as business
from chalicelib.calendar import connections, event_links
from chalicelib.calendar.busy_events import TAG, TAG_VALUE
from chalicelib.calendar.connections import BackingOff, Connection, NotConnected
from chalicelib.calendar.event_links import Link
from chalicelib.core import db, log
from chalicelib.core.db import Tx
from chalicelib.integrations.google_calendar import GoogleAuthLost, GoogleConflict, GoogleRateLimited, GoogleRejected

# Statuses of an appointment that took place: its event stays.
_HAPPENED = ("completed", "no_show")
# A failed write is tried again after 5 min, then 10, 20, ... at most 6 hours apart, 10 times in all
# (about a day): Google being down longer than that is an incident, and the next change of the
# appointment tries again anyway.
RETRY_BASE_S = 300
RETRY_CAP_S = 6 * 3600
MAX_ATTEMPTS = 10
# How long a retry run holds the writes it took (far longer than one write can take).
RETRY_LEASE_S = 300
# A calendar just connected gets at most this many of its upcoming appointments (soonest first); one
# page of Google's, and more than a person's booking window holds. Later ones go in when they change.
BACKFILL_LIMIT = 250
# New ids one write tries when Google holds the one before as deleted.
MAX_GENERATIONS = 3

_OUR_ID = re.compile(r"([0-9a-f]{32})(?:g[1-9][0-9]*)?")

_TRY_TURN = """-- this appointment's calendar write, unless another one is under way (held until this transaction ends)
SELECT pg_try_advisory_xact_lock(hashtextextended(:key, 0))"""

# Failures that wait for the member: Google no longer takes their grant, or they must reconnect first.
_WAITS_FOR_MEMBER = (GoogleAuthLost, NotConnected, gate.PlanRequired)


def event_id(appointment_id: UUID, generation: int = 0) -> str:
    """The Google event id of an appointment's event: base32hex (Google's alphabet for ids a client
    chooses), the appointment id's hex digits, then ``g`` and the generation after the first."""
    return appointment_id.hex + (f"g{generation}" if generation else "")


def write_appointment(business_id: UUID, appointment_id: UUID) -> None:
    """Make Google match the appointment as it is now: an event in its staff member's calendar while
    it is pending or confirmed and that person's calendar is connected; none otherwise. Never raises
    for Google's failures (they are on the link, for ``retry_due``)."""
    _reconcile(business_id, appointment_id, wait=True)


def retry_due(limit: int = 100, *, deadline: float | None = None) -> int:
    """Try again up to ``limit`` failed writes whose time has come (every tenant's), until ``deadline``
    (``time.monotonic``; those left keep their lease and come back once it ends); answer how many now
    match the appointment."""
    with db.jobs_tx() as tx:
        due = event_links.take_due(tx, limit=limit, lease_s=RETRY_LEASE_S)
    written = 0
    for business_id, appointment_id in due:
        if deadline is not None and time.monotonic() >= deadline:
            break
        written += _reconcile(business_id, appointment_id, wait=False) == "written"
    return written


def backfill(connection: Connection) -> int:
    """A calendar just connected (or reconnected): write its staff member's upcoming active appointments
    within the booking window (at most ``BACKFILL_LIMIT``), and those whose last write to it failed
    (waiting for this reconnect among them). Events already there as written cost no call; answer how
    many were written."""
    with db.tenant_tx(connection.business_id) as tx:
        profile = business.get(tx, connection.business_id)
        assert profile is not None  # the connection's own business
        window = timedelta(days=profile["booking_policy"]["max_advance_days"] + 1)
        upcoming = appointments.upcoming_of_staff(tx, connection.business_id, connection.staff_id,
                                                  until=datetime.now(timezone.utc) + window, limit=BACKFILL_LIMIT)
        failed = event_links.failed_of_staff(tx, connection.business_id, connection.staff_id, limit=BACKFILL_LIMIT)
    return sum(_reconcile(connection.business_id, appointment_id, wait=True) == "written"
               for appointment_id in dict.fromkeys([*upcoming, *failed]))


def restore(connection: Connection, google_events: list[dict[str, Any]]) -> int:
    """Events a sync of ``connection`` saw (ours are picked out: tagged, or deleted ones by their id):
    one of ours edited in Google (times that are not the ones written) or deleted there while its
    appointment still wants it is put back from the appointment; one no appointment wants in this
    calendar (left by a reassignment while the calendar could not be reached) is deleted, unless a
    colleague connected the same Google calendar and it is theirs; one the links lost track of (a
    disconnect in between) is taken over. Answer how many were put back. Never raises for Google's
    failures."""
    put_back = 0
    for event in google_events:
        appointment_id = _appointment_of(connection, event)
        if appointment_id is not None and _restore_one(connection, appointment_id, event):
            put_back += 1
    return put_back


def forget_staff(tx: Tx, staff_id: UUID) -> None:
    """Inside a disconnect's transaction: the staff member's links go (their events stay in Google; a
    later connect takes them over, ``restore``)."""
    event_links.forget_staff(tx, staff_id)


# --- one appointment's turn ----------------------------------------------------------------------

@contextmanager
def _turn(business_id: UUID, appointment_id: UUID, *, wait: bool) -> Iterator[bool]:
    """Hold the appointment's write lock for the block (yields whether it was had): waiting for it
    (bounded by the statement timeout), or, without ``wait``, giving up at once when it is taken."""
    key = f"calendar_event:{appointment_id}"
    if wait:
        with db.tenant_tx(business_id, lock=key):
            yield True
    else:
        with db.tenant_tx(business_id) as tx:
            yield bool(tx.value(_TRY_TURN, key=key))


def _wanted(entry: dict[str, Any], link: Link | None) -> bool:
    """Whether the appointment belongs in its staff member's calendar: while it is on, and once it
    happened (completed, a no-show) where its event already is, as a record of the time it took;
    an appointment that happened is never written into a calendar that did not hold it."""
    if entry["status"] in appointments.ACTIVE:
        return True
    return entry["status"] in _HAPPENED and link is not None and link.state == "present"


@dataclass(frozen=True)
class _Now:
    """What a write starts from, read in one transaction."""
    entry: dict[str, Any] | None  # the appointment as its event shows it (None: there is none)
    link: Link | None
    target: Connection | None  # the connected calendar the event belongs in (None: no event wanted)
    source: Connection | None  # the connection of the calendar the link says an event may be in


def _read(business_id: UUID, appointment_id: UUID) -> _Now:
    with db.tenant_tx(business_id) as tx:
        entry = appointment_facts.of(tx, business_id, appointment_id)
        link = event_links.get(tx, appointment_id)
        target = None
        if entry is not None and _wanted(entry, link):
            found = connections.of_staff(tx, entry["staff_id"])
            target = found if found is not None and found.state == "connected" else None
        source = None
        if link is not None and link.state != "deleted":
            source = target if target is not None and target.staff_id == link.staff_id \
                else connections.of_staff(tx, link.staff_id)
    return _Now(entry, link, target, source)


def _reconcile(business_id: UUID, appointment_id: UUID, *, wait: bool) -> str:
    """One appointment's write, in its turn: "busy" (another write has the turn; only without
    ``wait``), "unchanged" (Google was not called), "written" or "failed"."""
    with _turn(business_id, appointment_id, wait=wait) as mine:
        if not mine:
            return "busy"
        return _settle(_write(business_id, appointment_id, _read(business_id, appointment_id)))


def _settle(outcome: Link | None) -> str:
    """Record what a write did (None: nothing to record); answer as ``_reconcile`` does."""
    if outcome is None:
        return "unchanged"
    with db.tenant_tx(outcome.business_id) as tx:
        event_links.save(tx, outcome)
    return "failed" if outcome.state == "failed" else "written"


# --- what Google should hold, and making it so ---------------------------------------------------

def _body(business_id: UUID, appointment_id: UUID, entry: dict[str, Any]) -> dict[str, Any]:
    """The event as Google should hold it (without its id): the service and the customer, at the
    location, in the location's zone; a booking still waiting for the business to confirm it is
    tentative."""
    zone = entry["time_zone"]
    pending = entry["status"] == "pending"
    place = ", ".join(part for part in (entry["location_name"], entry["location_address"]) if part)
    return {
        "summary": f"{entry['service_name']} · {entry['customer_name']}" + (" (to be confirmed)" if pending else ""),
        "location": place,
        "description": f"A booking at {entry['business_name']}. It is managed in the booking app: change or cancel "
                       "it there. Changes made to this event in Google Calendar are put back.",
        "start": {"dateTime": entry["start_at"].astimezone(ZoneInfo(zone)).isoformat(), "timeZone": zone},
        "end": {"dateTime": entry["end_at"].astimezone(ZoneInfo(zone)).isoformat(), "timeZone": zone},
        "status": "tentative" if pending else "confirmed",
        "extendedProperties": {"private": {TAG: TAG_VALUE, "appointmentId": str(appointment_id),
                                           "businessId": str(business_id)}},
    }


def _same_place(link: Link, target: Connection) -> bool:
    return link.staff_id == target.staff_id and link.calendar_id == target.calendar_id


def _as_written(link: Link, entry: dict[str, Any]) -> bool:
    """Whether the link's event was written from the appointment as it is (its times and version)."""
    return (link.start_at, link.end_at, link.written_version) == (entry["start_at"], entry["end_at"], entry["version"])


def _write(business_id: UUID, appointment_id: UUID, now: _Now, *,
           google: Literal["edited", "gone"] | None = None) -> Link | None:
    """Make Google hold what the appointment wants; answer the link to record (None: nothing was
    wanted that was not there already, and Google was not called). ``google`` is what a sync saw of
    the link's event: "edited" (patch it back) or "gone" (deleted there: a new generation)."""
    entry, link, target = now.entry, now.link, now.target
    holds = link is not None and link.state != "deleted"  # an event of ours may be where the link says
    if target is None and not holds:
        return None
    if google is None and target is not None and link is not None and link.state == "present" \
            and _same_place(link, target) and _as_written(link, entry):
        return None
    # Should a call fail: the calendar, generation and connection the failure is about.
    where = (link.staff_id, link.calendar_id, link.generation) if holds else None
    using = now.source
    try:
        if holds and (target is None or not _same_place(link, target)):
            _remove(link, now.source, abandon_unreachable=target is not None)
            where = None
        if target is None:
            return Link(business_id, appointment_id, link.staff_id, link.calendar_id, link.event_id, link.generation,
                        None, None, None, "deleted", None, 0, None)
        using = target
        body = _body(business_id, appointment_id, entry)
        if where is None:  # nothing of ours in this calendar that we know of
            where = (target.staff_id, target.calendar_id, link.generation if link else 0)
            with connections.calendar(target) as api:
                generation = _put(api, target.calendar_id, appointment_id, where[2], body)
        elif link.state == "present" and google != "gone":
            with connections.calendar(target) as api:
                changed = api.patch_event(target.calendar_id, link.event_id, body)
                # None: deleted in Google, or never there (404/410)
                generation = link.generation if changed is not None \
                    else _put(api, target.calendar_id, appointment_id, link.generation, body)
        else:  # deleted in Google (a sync saw it), or a failed write: what Google holds is unknown
            with connections.calendar(target) as api:
                generation = _put(api, target.calendar_id, appointment_id,
                                  link.generation + (1 if google == "gone" else 0), body)
        return Link(business_id, appointment_id, target.staff_id, target.calendar_id,
                    event_id(appointment_id, generation), generation, entry["start_at"], entry["end_at"],
                    entry["version"], "present", None, 0, None)
    except connections.GOOGLE_TROUBLE as e:
        assert where is not None  # set before any call that may fail
        return _failed(business_id, appointment_id, link, where, e, using)


def _put(api: Any, calendar_id: str, appointment_id: UUID, generation: int, body: dict[str, Any]) -> int:
    """Insert the event under its derived id, from ``generation`` on; answer the generation it is under.
    An id taken (409) is our own event when it is live (a create whose answer was lost, or one the
    links lost track of): patched. Deleted (Google keeps the id): the next generation."""
    for tried in range(generation, generation + MAX_GENERATIONS):
        candidate = event_id(appointment_id, tried)
        try:
            api.insert_event(calendar_id, {**body, "id": candidate})
            return tried
        except GoogleConflict:
            found = api.get_event(calendar_id, candidate)
            if found is not None and found.get("status") != "cancelled" \
                    and api.patch_event(calendar_id, candidate, body) is not None:
                return tried
    raise GoogleRejected(f"Google holds {MAX_GENERATIONS} deleted events under this booking's ids.")


def _remove(link: Link, source: Connection | None, *, abandon_unreachable: bool) -> None:
    """Delete the link's event from its calendar (already gone there: fine). A calendar that cannot
    be reached until its member reconnects is left as it is when ``abandon_unreachable`` (the
    appointment went to another calendar: that one must not wait; the event left behind is removed
    by a sync after the reconnect, ``restore``)."""
    if source is None:  # disconnected since: nothing of ours to reach there
        return
    try:
        with connections.calendar(source) as api:
            api.delete_event(link.calendar_id, link.event_id)
    except _WAITS_FOR_MEMBER:
        if not abandon_unreachable:
            raise
        log.emit("calendar.event_left", business_id=str(link.business_id), appointment_id=str(link.appointment_id),
                 connection_id=str(source.id))


def _failed(business_id: UUID, appointment_id: UUID, link: Link | None, where: tuple[UUID, str, int],
            error: Exception, using: Connection | None) -> Link:
    """The link after a failed write: where an event may now be, why, and when to try again (None:
    not by the retry job)."""
    attempts = link.attempts + 1 if link is not None and link.state == "failed" else 1
    next_at: datetime | None = None
    if isinstance(error, gate.PlanRequired):
        message = "The plan no longer includes Google Calendar sync."
    elif isinstance(error, _WAITS_FOR_MEMBER):
        message = "Google Calendar needs reconnecting; the booking is written once it is."
    elif isinstance(error, GoogleRejected):
        message = f"Google refused the event: {error}"
    elif attempts >= MAX_ATTEMPTS:
        message = f"Google did not take the event ({type(error).__name__}); gave up after {attempts} attempts. " \
                  "The next change of the booking tries again."
    else:
        message = f"Google did not take the event ({type(error).__name__}); trying again later."
        wait_s = min(RETRY_BASE_S * 2 ** (attempts - 1), RETRY_CAP_S)
        if isinstance(error, GoogleRateLimited) and error.retry_after_s:
            wait_s = max(wait_s, error.retry_after_s)
        if isinstance(error, BackingOff):
            wait_s = max(wait_s, error.details["retry_after"])
        next_at = datetime.now(timezone.utc) + timedelta(seconds=wait_s)
    message = log.redact(message)[:connections.MAX_ERROR_CHARS]
    log.emit("calendar.event_failed", business_id=str(business_id), appointment_id=str(appointment_id),
             attempts=attempts, error=message, retry=next_at is not None)
    if using is not None:
        if isinstance(error, GoogleRateLimited):  # the whole connection backs off: no storm of retries
            connections.record_error(using, message, rate_limited=True)
        elif next_at is None and not isinstance(error, _WAITS_FOR_MEMBER):  # given up: the status shows it
            connections.record_error(using, message)
    staff_id, calendar_id, generation = where
    return Link(business_id, appointment_id, staff_id, calendar_id, event_id(appointment_id, generation), generation,
                link.start_at if link else None, link.end_at if link else None,
                link.written_version if link else None, "failed", message, attempts, next_at)


# --- what a sync saw ------------------------------------------------------------------------------

def _appointment_of(connection: Connection, event: dict[str, Any]) -> UUID | None:
    """The appointment an event stands for, when it is ours and this business's: tagged so, or (a
    deleted event, which Google lists with its id alone) carrying an id of the form we derive."""
    match = _OUR_ID.fullmatch(str(event.get("id", "")))
    if match is None:
        return None
    appointment_id = UUID(match.group(1))
    private = (event.get("extendedProperties") or {}).get("private") or {}
    if private.get(TAG) == TAG_VALUE:
        mine = private.get("businessId") == str(connection.business_id) \
            and private.get("appointmentId") == str(appointment_id)
        return appointment_id if mine else None
    return appointment_id if event.get("status") == "cancelled" else None


def _times_changed(seen: dict[str, Any], link: Link) -> bool:
    """Whether Google's copy starts or ends at another instant than the one written (an all-day
    event, or times that cannot be read, count as changed)."""
    try:
        start = datetime.fromisoformat(seen["start"]["dateTime"])
        end = datetime.fromisoformat(seen["end"]["dateTime"])
    except (KeyError, TypeError, ValueError):
        return True
    return (start, end) != (link.start_at, link.end_at)


def _restore_one(connection: Connection, appointment_id: UUID, seen: dict[str, Any]) -> bool:
    """Deal with one event of ours a sync saw, in the appointment's turn (the link read then is
    current, however old the listing); answer whether it was put back."""
    cancelled = seen.get("status") == "cancelled"
    with _turn(connection.business_id, appointment_id, wait=True):
        now = _read(connection.business_id, appointment_id)
        link = now.link
        if link is not None and link.state == "present" and link.event_id == seen["id"] \
                and link.staff_id == connection.staff_id:
            google = "gone" if cancelled else "edited" if _times_changed(seen, link) else None
            if google is None:
                return False
            outcome = _write(connection.business_id, appointment_id, now, google=google)
            _settle(outcome)
            return outcome is not None and outcome.state == "present"
        if cancelled or (link is not None and link.state == "failed"):  # gone already; or its retry sees to it
            return False
        if now.target is not None and now.target.id == connection.id and (link is None or link.state == "deleted"):
            _settle(_write(connection.business_id, appointment_id, now))  # take it over: insert meets it, patches
            return False
        if now.source is not None and (now.source.google_email, now.source.calendar_id) \
                == (connection.google_email, connection.calendar_id):
            return False  # a colleague's, in the Google calendar both connected: theirs to look after
        _discard(connection, appointment_id, seen["id"])
    return False


def _discard(connection: Connection, appointment_id: UUID, stray_id: str) -> None:
    """Delete an event of ours no appointment wants in this calendar; Google's failures are only
    logged (the next sync sees it again)."""
    try:
        with connections.calendar(connection) as api:
            api.delete_event(connection.calendar_id, stray_id)
    except connections.GOOGLE_TROUBLE as e:
        log.emit("calendar.stray_kept", business_id=str(connection.business_id), appointment_id=str(appointment_id),
                 error=type(e).__name__)
        return
    log.emit("calendar.stray_removed", business_id=str(connection.business_id), appointment_id=str(appointment_id))
