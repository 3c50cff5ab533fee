"""The people customers book: their profile, where they work, their weekly hours and dated overrides,
their time off, their photo.

Owns ``staff``, ``staff_locations``, ``staff_hours``, ``staff_overrides`` and ``time_off``. Admins
manage profiles; a staff-role member may also edit the schedule and time off of the profile linked to
their own login. Weekly hours and overrides are local wall-clock times ("HH:MM", a shift never crosses
midnight); time off is stored as instants, an all-day range from local midnight to local midnight in
the staff member's zone (else the business's), so it stays right across DST changes.
"""
from __future__ import annotations

import itertools
import json
import uuid
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from chalicelib.billing import gate
from chalicelib.business import service as business
from chalicelib.core import db
from chalicelib.core.db import ConstraintViolated, Tx
from chalicelib.core.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed
from chalicelib.core.pagination import decode_cursor, page
from chalicelib.core.security import Caller
from chalicelib.integrations import storage

PHOTO_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
PHOTO_MAX_BYTES = 2 * 1024 * 1024
MAX_TIME_OFF = timedelta(days=366)
FOREIGN_KEY_VIOLATION = "23503"

# Columns a PATCH may set (API field name = column name).
PROFILE_FIELDS = ("name", "email", "phone", "bio", "time_zone", "user_id", "bookable", "active")

# One statement for a staff row and its locations, so a page costs one query whatever its size.
_COLUMNS = """s.id, s.name, s.email, s.phone, s.bio, s.time_zone, s.user_id, s.bookable, s.active, s.photo_key,
       s.version, s.created_at, s.updated_at,
       ARRAY(SELECT l.location_id FROM staff_locations l
              WHERE l.business_id = s.business_id AND l.staff_id = s.id ORDER BY l.location_id) AS location_ids"""

_GET = f"""-- one staff member with the locations they work at
SELECT {_COLUMNS} FROM staff s WHERE s.id = :id"""

_LOCK = f"""-- one staff member, locked: a schedule is checked against locations nobody changes meanwhile
SELECT {_COLUMNS} FROM staff s WHERE s.id = :id FOR UPDATE"""

_LIST = f"""-- a page of staff, oldest first; optionally only those working at a location, or the inactive too
SELECT {_COLUMNS} FROM staff s
 WHERE (CAST(:include_inactive AS boolean) OR s.active)
   AND (CAST(:location_id AS uuid) IS NULL OR EXISTS (
        SELECT 1 FROM staff_locations f
         WHERE f.business_id = s.business_id AND f.staff_id = s.id AND f.location_id = CAST(:location_id AS uuid)))
   AND (CAST(:after_at AS timestamptz) IS NULL
        OR (s.created_at, s.id) > (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid)))
 ORDER BY s.created_at, s.id
 LIMIT :limit"""

_PUBLIC = f"""-- the staff customers may pick on the public booking page
SELECT {_COLUMNS} FROM staff s WHERE s.active AND s.bookable ORDER BY s.name, s.id"""

_FOR_USER = """-- the staff profile linked to a login
SELECT id FROM staff WHERE user_id = :uid"""

_INSERT = """-- a new staff profile
INSERT INTO staff (business_id, name, email, phone, bio, time_zone, user_id, bookable)
VALUES (:bid, :name, :email, :phone, :bio, :time_zone, :user_id, :bookable)
RETURNING id"""

_HEADCOUNT = """-- the active staff (what the plan's staff limit counts), and whether :id is a deactivated member
SELECT count(*) FILTER (WHERE active) AS active,
       coalesce(bool_or(NOT active) FILTER (WHERE id = :id), false) AS inactive
  FROM staff"""

_CLEAR_LOCATIONS = """-- a new list of locations replaces the old one
DELETE FROM staff_locations WHERE staff_id = :sid"""

_ADD_LOCATIONS = """-- where a staff member works (a foreign or unknown location breaks the composite foreign key)
INSERT INTO staff_locations (business_id, staff_id, location_id)
SELECT DISTINCT CAST(:bid AS uuid), CAST(:sid AS uuid), CAST(loc AS uuid)
  FROM jsonb_array_elements_text(CAST(:ids AS jsonb)) AS loc"""

_DROP_HOURS_ELSEWHERE = """-- weekly hours at a location the staff member no longer works at go with it
DELETE FROM staff_hours h
 WHERE h.staff_id = :sid
   AND NOT EXISTS (SELECT 1 FROM staff_locations l
                    WHERE l.staff_id = h.staff_id AND l.location_id = h.location_id)"""

_DROP_OVERRIDES_ELSEWHERE = """-- so do upcoming overrides there (past ones are history and stay)
DELETE FROM staff_overrides o
 WHERE o.staff_id = :sid AND o.on_date >= :today AND o.location_id IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM staff_locations l
                    WHERE l.staff_id = o.staff_id AND l.location_id = o.location_id)"""

_DEACTIVATE = """-- deactivate: no longer listed or bookable; the row and its history stay
UPDATE staff SET active = false, bookable = false, version = version + 1, updated_at = now()
 WHERE id = :id"""

_SET_PHOTO = """-- where the photo is uploaded to
UPDATE staff SET photo_key = :key, updated_at = now() WHERE id = :id"""

_HOURS = """-- the weekly hours, Monday first
SELECT location_id, weekday, starts, ends, breaks FROM staff_hours
 WHERE staff_id = :sid ORDER BY weekday, starts, location_id"""

_OVERRIDES = """-- dated overrides from a day on
SELECT on_date, location_id, intervals FROM staff_overrides
 WHERE staff_id = :sid AND on_date >= :since ORDER BY on_date"""

_CLEAR_HOURS = """-- new weekly hours replace the old ones
DELETE FROM staff_hours WHERE staff_id = :sid"""

_CLEAR_UPCOMING_OVERRIDES = """-- new overrides replace those from today on (past ones are history)
DELETE FROM staff_overrides WHERE staff_id = :sid AND on_date >= :today"""

_ADD_HOURS = """-- the weekly hours, every block in one statement
INSERT INTO staff_hours (business_id, staff_id, location_id, weekday, starts, ends, breaks)
SELECT CAST(:bid AS uuid), CAST(:sid AS uuid), r.location_id, r.weekday, r.starts, r.ends, r.breaks
  FROM jsonb_to_recordset(CAST(:blocks AS jsonb))
       AS r(location_id uuid, weekday smallint, starts time, ends time, breaks jsonb)"""

_ADD_OVERRIDES = """-- the dated overrides, every day in one statement
INSERT INTO staff_overrides (business_id, staff_id, on_date, location_id, intervals)
SELECT CAST(:bid AS uuid), CAST(:sid AS uuid), r.on_date, r.location_id, r.intervals
  FROM jsonb_to_recordset(CAST(:days AS jsonb)) AS r(on_date date, location_id uuid, intervals jsonb)"""

_TIME_OFF_COLUMNS = "id, staff_id, starts_at, ends_at, all_day, kind, note, created_at"

_ADD_TIME_OFF = f"""-- time off, as instants
INSERT INTO time_off (business_id, staff_id, starts_at, ends_at, all_day, kind, note)
VALUES (:bid, :sid, :starts_at, :ends_at, :all_day, :kind, :note)
RETURNING {_TIME_OFF_COLUMNS}"""

_TIME_OFF = f"""-- a page of one staff member's time off overlapping a window, earliest first
SELECT {_TIME_OFF_COLUMNS} FROM time_off
 WHERE staff_id = :sid AND ends_at > :since
   AND (CAST(:until AS timestamptz) IS NULL OR starts_at < CAST(:until AS timestamptz))
   AND (CAST(:after_at AS timestamptz) IS NULL
        OR (starts_at, id) > (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid)))
 ORDER BY starts_at, id
 LIMIT :limit"""

_REMOVE_TIME_OFF = """-- remove one time-off entry of one staff member
DELETE FROM time_off WHERE id = :id AND staff_id = :sid"""



class StaffUserTaken(Conflict):
    code, message = "staff_user_taken", "This login is already linked to another staff profile."


# --- what other modules call -----------------------------------------------------------------

def get(tx: Tx, staff_id: UUID) -> dict[str, Any] | None:
    """The raw staff row (UUIDs, datetimes) with ``location_ids``, or None (unknown or another tenant's)."""
    return tx.one(_GET, id=staff_id)


def staff_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "name": row["name"],
        "email": row["email"],
        "phone": row["phone"],
        "bio": row["bio"],
        "time_zone": row["time_zone"],
        "user_id": str(row["user_id"]) if row["user_id"] else None,
        "location_ids": [str(i) for i in row["location_ids"]],
        "bookable": row["bookable"],
        "active": row["active"],
        "photo_key": row["photo_key"],
        "version": row["version"],
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def public_list(tx: Tx) -> list[dict[str, Any]]:
    """Active, bookable staff with only what customers may see (JSON-ready), by name."""
    return [{"id": str(r["id"]), "name": r["name"], "bio": r["bio"], "photo_key": r["photo_key"],
             "location_ids": [str(i) for i in r["location_ids"]]} for r in tx.all(_PUBLIC)]


def for_user(tx: Tx, user_id: UUID) -> UUID | None:
    """The staff profile linked to a login (active or not), so staff can be shown their own calendar."""
    return tx.value(_FOR_USER, uid=user_id)


# --- profiles ----------------------------------------------------------------------------------

def _check_member(tx: Tx, business_id: UUID, user_id: UUID) -> None:
    if business.member_role(tx, business_id, user_id) is None:
        raise ValidationFailed({"user_id": "not a member of this business"})


def _set_locations(tx: Tx, business_id: UUID, staff_id: UUID, location_ids: list[UUID]) -> None:
    tx.execute(_CLEAR_LOCATIONS, sid=staff_id)
    try:
        tx.execute(_ADD_LOCATIONS, bid=business_id, sid=staff_id, ids=json.dumps([str(i) for i in location_ids]))
    except ConstraintViolated as e:
        # Row-level security and the composite key make another tenant's location as unknown as a made-up id.
        if e.code == FOREIGN_KEY_VIOLATION:
            raise ValidationFailed({"location_ids": "unknown location"}) from e
        raise


def list_staff(business_id: UUID, *, limit: int, cursor: str | None, location_id: UUID | None,
               include_inactive: bool) -> dict[str, Any]:
    after = decode_cursor(cursor, 2)  # signed: only a key this list made comes back
    with db.tenant_tx(business_id) as tx:
        rows = tx.all(_LIST, include_inactive=include_inactive, location_id=location_id, limit=limit + 1,
                      after_at=after[0] if after else None, after_id=after[1] if after else None)
    return page(rows, limit, lambda r: (r["created_at"].isoformat(), str(r["id"])), staff_json)


def _headcount_lock(business_id: UUID) -> str:
    # Taken by every transaction that adds an active staff member, so two at the limit's edge queue and
    # the second counts the first.
    return f"limit:staff:{business_id}"


def _room_for_one_more(tx: Tx, business_id: UUID, staff_id: UUID | None = None) -> None:
    """403 ``plan_limit`` when the plan's staff limit is reached (what is over it after a downgrade
    stays; nobody new joins); ``staff_id``: a member to re-activate (one already active, or none such,
    adds nobody: nothing to check)."""
    found = tx.one(_HEADCOUNT, id=staff_id)
    assert found is not None  # an aggregate always answers one row
    if staff_id is None or found["inactive"]:
        gate.require_capacity(tx, business_id, "staff", found["active"])


def create(business_id: UUID, *, name: str, email: str | None, phone: str | None, bio: str | None,
           time_zone: str | None, user_id: UUID | None, bookable: bool, location_ids: list[UUID]) -> dict[str, Any]:
    """A new (active) staff member, within the plan's staff limit."""
    try:
        with db.tenant_tx(business_id, lock=_headcount_lock(business_id)) as tx:
            _room_for_one_more(tx, business_id)
            if user_id is not None:
                _check_member(tx, business_id, user_id)
            staff_id = tx.value(_INSERT, bid=business_id, name=name, email=email, phone=phone, bio=bio,
                                time_zone=time_zone, user_id=user_id, bookable=bookable)
            _set_locations(tx, business_id, staff_id, location_ids)
            row = get(tx, staff_id)
    except ConstraintViolated as e:
        if e.name == "staff_user_key":
            raise StaffUserTaken() from e
        raise
    return staff_json(row)


def read(business_id: UUID, staff_id: UUID) -> dict[str, Any]:
    with db.tenant_tx(business_id) as tx:
        row = get(tx, staff_id)
    if row is None:
        raise NotFound("staff member")
    return staff_json(row)


def update(business_id: UUID, staff_id: UUID, changes: dict[str, Any], *,
           expected_version: int | None) -> dict[str, Any]:
    """Apply a partial update (``changes`` in API shape); ``location_ids`` replaces the list, and hours and
    upcoming overrides at a location no longer on it are dropped. Re-activating a member counts against
    the plan's staff limit like adding one."""
    columns = {f: changes[f] for f in PROFILE_FIELDS if f in changes}
    # Column names come from the fixed list above, never from the request.
    assignments = "".join(f"{c} = :{c}, " for c in columns)
    sql = f"""-- partial update, bumping the version
UPDATE staff SET {assignments}version = version + 1, updated_at = now()
 WHERE id = :id AND (CAST(:expected AS integer) IS NULL OR version = CAST(:expected AS integer))
RETURNING id, time_zone"""
    activating = columns.get("active") is True
    try:
        with db.tenant_tx(business_id, lock=_headcount_lock(business_id) if activating else "") as tx:
            if activating:
                _room_for_one_more(tx, business_id, staff_id)
            if columns.get("user_id") is not None:
                _check_member(tx, business_id, columns["user_id"])
            updated = tx.one(sql, id=staff_id, expected=expected_version, **columns)
            if updated is None:
                if get(tx, staff_id) is None:
                    raise NotFound("staff member")
                raise StaleVersion("staff member")
            if "location_ids" in changes:
                _set_locations(tx, business_id, staff_id, changes["location_ids"])
                tx.execute(_DROP_HOURS_ELSEWHERE, sid=staff_id)
                tx.execute(_DROP_OVERRIDES_ELSEWHERE, sid=staff_id, today=_today(tx, business_id, updated))
            row = get(tx, staff_id)
    except ConstraintViolated as e:
        if e.name == "staff_user_key":
            raise StaffUserTaken() from e
        raise
    return staff_json(row)


def deactivate(business_id: UUID, staff_id: UUID) -> None:
    with db.tenant_tx(business_id) as tx:
        if tx.execute(_DEACTIVATE, id=staff_id) == 0:
            raise NotFound("staff member")


def photo_upload(business_id: UUID, staff_id: UUID, content_type: str) -> dict[str, Any]:
    """A presigned POST for a new photo; the key is recorded so the profile points at it."""
    key = f"businesses/{business_id}/staff/{staff_id}/{uuid.uuid4().hex}.{PHOTO_TYPES[content_type]}"
    with db.tenant_tx(business_id) as tx:
        if tx.execute(_SET_PHOTO, id=staff_id, key=key) == 0:
            raise NotFound("staff member")
    form = storage.presigned_post(key, content_type=content_type, max_bytes=PHOTO_MAX_BYTES)
    return {**form, "max_bytes": PHOTO_MAX_BYTES}


# --- who may change a schedule or time off -----------------------------------------------------

def _found(tx: Tx, staff_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    row = tx.one(_LOCK if lock else _GET, id=staff_id)
    if row is None:
        raise NotFound("staff member")
    return row


def _may_manage(tx: Tx, caller: Caller, row: dict[str, Any]) -> None:
    """Admins manage every schedule and time off; a staff-role member only their own profile's. The role
    is read now, not taken from the token: a demoted admin's token says admin until it expires."""
    role = business.member_role(tx, caller.business_id, caller.user_id)
    if role is not None and (Caller(caller.user_id, caller.business_id, role).at_least("admin")
                             or row["user_id"] == caller.user_id):
        return
    raise Forbidden("Staff members manage only their own schedule and time off.")


# --- zones and days ----------------------------------------------------------------------------

def _zone(tx: Tx, business_id: UUID, row: dict[str, Any]) -> ZoneInfo:
    """The staff member's zone, else the business's: where "today" and all-day time off are reckoned."""
    return ZoneInfo(row["time_zone"] or business.get(tx, business_id)["time_zone"])


def _today(tx: Tx, business_id: UUID, row: dict[str, Any]) -> date:
    return datetime.now(_zone(tx, business_id, row)).date()


def _day_starts(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of a local day. Where DST skips midnight, zoneinfo reads the missing 00:00 with
    the offset before the change, which is exactly the instant the day begins."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc)


# --- the schedule ------------------------------------------------------------------------------

def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _checked_intervals(intervals: list[dict[str, str]], path: str,
                       errors: dict[str, str]) -> list[tuple[int, int, int]]:
    """Each interval ends after it starts and none overlaps another (touching is fine); answers
    (start, end, index) of those that are well formed."""
    spans = []
    for k, interval in enumerate(intervals):
        start, end = _minutes(interval["start"]), _minutes(interval["end"])
        if end <= start:
            errors[f"{path}.{k}.end"] = "must be after start"
        else:
            spans.append((start, end, k))
    for (s1, e1, k1), (s2, e2, k2) in itertools.combinations(spans, 2):
        if s1 < e2 and s2 < e1:
            errors.setdefault(f"{path}.{k2}", f"overlaps {path}.{k1}")
    return spans


def _weekly_errors(weekly: list[dict[str, Any]], locations: set[UUID], errors: dict[str, str]) -> None:
    blocks = []
    for i, block in enumerate(weekly):
        here = f"weekly.{i}"
        if block["location_id"] not in locations:
            errors[f"{here}.location_id"] = "not one of this staff member's locations"
        start, end = _minutes(block["start"]), _minutes(block["end"])
        if end <= start:
            errors[f"{here}.end"] = "must be after start (a shift past midnight is not supported)"
            continue
        blocks.append((block["weekday"], start, end, i))
        for s, e, k in _checked_intervals(block["breaks"], f"{here}.breaks", errors):
            if s < start or e > end:
                errors.setdefault(f"{here}.breaks.{k}",
                                  f"must lie inside its working block ({block['start']}-{block['end']})")
    # A person is in one place at a time: blocks of one weekday may not overlap, whatever their location.
    for (d1, s1, e1, i1), (d2, s2, e2, i2) in itertools.combinations(blocks, 2):
        if d1 == d2 and s1 < e2 and s2 < e1:
            errors.setdefault(f"weekly.{i2}", f"overlaps weekly.{i1} on the same weekday")


def _override_errors(overrides: list[dict[str, Any]], locations: set[UUID], today: date,
                     errors: dict[str, str]) -> None:
    first_of: dict[date, int] = {}
    for i, override in enumerate(overrides):
        here = f"overrides.{i}"
        day = override["date"]
        if day < today:
            errors[f"{here}.date"] = "is in the past (past overrides are history)"
        elif day in first_of:
            errors[f"{here}.date"] = f"same date as overrides.{first_of[day]}"
        first_of.setdefault(day, i)
        _checked_intervals(override["intervals"], f"{here}.intervals", errors)
        if override["location_id"] is None:
            if override["intervals"]:
                errors[f"{here}.location_id"] = "required when the day has intervals"
        elif override["location_id"] not in locations:
            errors[f"{here}.location_id"] = "not one of this staff member's locations"


def _by_start(intervals: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(({"start": i["start"], "end": i["end"]} for i in intervals), key=lambda i: i["start"])


def _schedule_json(tx: Tx, staff_id: UUID, since: date) -> dict[str, Any]:
    return {
        "weekly": [{"location_id": str(r["location_id"]), "weekday": r["weekday"],
                    "start": r["starts"].strftime("%H:%M"), "end": r["ends"].strftime("%H:%M"),
                    "breaks": r["breaks"]} for r in tx.all(_HOURS, sid=staff_id)],
        "overrides": [{"date": r["on_date"].isoformat(),
                       "location_id": str(r["location_id"]) if r["location_id"] else None,
                       "intervals": r["intervals"]} for r in tx.all(_OVERRIDES, sid=staff_id, since=since)],
    }


def schedule(business_id: UUID, staff_id: UUID, *, since: date | None) -> dict[str, Any]:
    """Weekly hours and the overrides from ``since`` on (default: today in the staff member's zone)."""
    with db.tenant_tx(business_id) as tx:
        row = _found(tx, staff_id)
        return _schedule_json(tx, staff_id, since or _today(tx, business_id, row))


def replace_schedule(caller: Caller, staff_id: UUID, *, weekly: list[dict[str, Any]],
                     overrides: list[dict[str, Any]]) -> dict[str, Any]:
    """Replace the weekly hours and the overrides from today on, in one transaction.

    ``weekly``: ``{"location_id", "weekday", "start", "end", "breaks": [{"start", "end"}]}``;
    ``overrides``: ``{"date", "location_id", "intervals": [{"start", "end"}]}`` (no intervals: closed)."""
    business_id = caller.business_id
    with db.tenant_tx(business_id) as tx:
        row = _found(tx, staff_id, lock=True)
        _may_manage(tx, caller, row)
        today = _today(tx, business_id, row)
        locations = set(row["location_ids"])
        errors: dict[str, str] = {}
        _weekly_errors(weekly, locations, errors)
        _override_errors(overrides, locations, today, errors)
        if errors:
            raise ValidationFailed(errors)
        tx.execute(_CLEAR_HOURS, sid=staff_id)
        tx.execute(_ADD_HOURS, bid=business_id, sid=staff_id, blocks=json.dumps([
            {"location_id": str(b["location_id"]), "weekday": b["weekday"], "starts": b["start"], "ends": b["end"],
             "breaks": _by_start(b["breaks"])} for b in weekly]))
        tx.execute(_CLEAR_UPCOMING_OVERRIDES, sid=staff_id, today=today)
        tx.execute(_ADD_OVERRIDES, bid=business_id, sid=staff_id, days=json.dumps([
            {"on_date": o["date"].isoformat(), "location_id": str(o["location_id"]) if o["location_id"] else None,
             "intervals": _by_start(o["intervals"])} for o in overrides]))
        return _schedule_json(tx, staff_id, today)


# --- time off ----------------------------------------------------------------------------------

def _time_off_json(row: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    starts, ends = row["starts_at"].astimezone(zone), row["ends_at"].astimezone(zone)
    return {
        "id": str(row["id"]),
        "staff_id": str(row["staff_id"]),
        "all_day": row["all_day"],
        "starts_at": starts.isoformat(),
        "ends_at": ends.isoformat(),
        # The local days an all-day entry covers (its end is the midnight after the last one).
        "start_date": starts.date().isoformat() if row["all_day"] else None,
        "end_date": (ends - timedelta(microseconds=1)).date().isoformat() if row["all_day"] else None,
        "kind": row["kind"],
        "note": row["note"],
        "created_at": row["created_at"].isoformat(),
    }


def _all_day_span(start_date: date | None, end_date: date | None, starts_at: datetime | None,
                  ends_at: datetime | None, zone: ZoneInfo) -> tuple[datetime, datetime]:
    errors = {f: "required when all_day is true" for f, v in (("start_date", start_date), ("end_date", end_date))
              if v is None}
    errors.update({f: "only for all_day false" for f, v in (("starts_at", starts_at), ("ends_at", ends_at))
                   if v is not None})
    if not errors and end_date < start_date:
        errors["end_date"] = "must be on or after start_date"
    elif not errors and (end_date - start_date).days + 1 > MAX_TIME_OFF.days:
        errors["end_date"] = f"time off spans at most {MAX_TIME_OFF.days} days"
    if errors:
        raise ValidationFailed(errors)
    return _day_starts(start_date, zone), _day_starts(end_date + timedelta(days=1), zone)


def _partial_span(start_date: date | None, end_date: date | None, starts_at: datetime | None,
                  ends_at: datetime | None) -> tuple[datetime, datetime]:
    errors = {f: "required when all_day is false" for f, v in (("starts_at", starts_at), ("ends_at", ends_at))
              if v is None}
    errors.update({f: "only for all_day true" for f, v in (("start_date", start_date), ("end_date", end_date))
                   if v is not None})
    if not errors and ends_at <= starts_at:
        errors["ends_at"] = "must be after starts_at"
    elif not errors and ends_at - starts_at > MAX_TIME_OFF:
        errors["ends_at"] = f"time off spans at most {MAX_TIME_OFF.days} days"
    if errors:
        raise ValidationFailed(errors)
    return starts_at, ends_at


def add_time_off(caller: Caller, staff_id: UUID, *, all_day: bool, start_date: date | None = None,
                 end_date: date | None = None, starts_at: datetime | None = None, ends_at: datetime | None = None,
                 kind: str = "other", note: str | None = None) -> dict[str, Any]:
    """All-day (local dates, end inclusive) or partial (instants) time off."""
    with db.tenant_tx(caller.business_id) as tx:
        row = _found(tx, staff_id)
        _may_manage(tx, caller, row)
        zone = _zone(tx, caller.business_id, row)
        since, until = (_all_day_span(start_date, end_date, starts_at, ends_at, zone) if all_day
                        else _partial_span(start_date, end_date, starts_at, ends_at))
        added = tx.one(_ADD_TIME_OFF, bid=caller.business_id, sid=staff_id, starts_at=since, ends_at=until,
                       all_day=all_day, kind=kind, note=note)
    return _time_off_json(added, zone)


def time_off(business_id: UUID, staff_id: UUID, *, since: date | None, until: date | None, limit: int,
             cursor: str | None) -> dict[str, Any]:
    """Time off overlapping the local days ``since``..``until`` (inclusive); by default what has not ended yet."""
    if since is not None and until is not None and until < since:
        raise ValidationFailed({"to": "must be on or after from"})
    after = decode_cursor(cursor, 2)
    with db.tenant_tx(business_id) as tx:
        row = _found(tx, staff_id)
        zone = _zone(tx, business_id, row)
        rows = tx.all(_TIME_OFF, sid=staff_id, limit=limit + 1,
                      since=_day_starts(since, zone) if since else datetime.now(timezone.utc),
                      until=_day_starts(until + timedelta(days=1), zone) if until else None,
                      after_at=after[0] if after else None, after_id=after[1] if after else None)
    return page(rows, limit, lambda r: (r["starts_at"].isoformat(), str(r["id"])),
                lambda r: _time_off_json(r, zone))


def remove_time_off(caller: Caller, staff_id: UUID, time_off_id: UUID) -> None:
    with db.tenant_tx(caller.business_id) as tx:
        row = _found(tx, staff_id)
        _may_manage(tx, caller, row)
        if tx.execute(_REMOVE_TIME_OFF, id=time_off_id, sid=staff_id) == 0:
            raise NotFound("time off")
