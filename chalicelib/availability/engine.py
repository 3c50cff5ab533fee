"""Bookable start times: one rule for the staff calendar and the public booking page.

Pure and standard library only: the service reads the database, builds these values and asks. All
wall-clock maths happens in the calendar's zone with ``zoneinfo``; answers are UTC instants; durations
are elapsed time. A day is computed once per zone and call: on an ordinary day (one UTC offset from
midnight to midnight) a wall time is midnight plus an offset, and only the few days with a clock change
take the slow, exact path.

A wall-clock boundary becomes an instant by one rule, for hours, breaks, overrides and opening hours
alike: a time the clocks skip (spring forward) is the instant of the jump; a time they repeat (fall
back) is its first occurrence when it starts a block and its second when it ends one, so a block covers
everything its labels name.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from itertools import chain
from operator import attrgetter, itemgetter
from uuid import UUID
from zoneinfo import ZoneInfo

_DAY = timedelta(days=1)
_TICK = timedelta(microseconds=1)

_Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class Block:
    """A wall-clock span in the calendar's zone."""
    start: time
    end: time  # > start; no spans past midnight


@dataclass(frozen=True)
class WeeklyHours:
    """Staff working hours or location opening hours on an ISO weekday (Mon=1..Sun=7)."""
    weekday: int
    start: time
    end: time
    breaks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Booked:
    """An active appointment of this staff member (at any location)."""
    start_at: datetime
    end_at: datetime
    occupied_from: datetime  # start minus its buffer before
    occupied_until: datetime  # end plus its buffer after
    session_key: str  # seats of one group session share it; otherwise unique


@dataclass(frozen=True)
class StaffCalendar:
    """One staff member at one location."""
    staff_id: UUID
    zone: ZoneInfo  # the location's zone: all wall-clock times are in it
    weekly: tuple[WeeklyHours, ...]  # this staff member's hours at this location
    overrides: Mapping[date, tuple[Block, ...]]  # replaces `weekly` on that local date; () = not working
    opening: tuple[WeeklyHours, ...] | None  # the location's opening hours; None = no limit
    time_off: tuple[tuple[datetime, datetime], ...]
    booked: tuple[Booked, ...]
    external_busy: tuple[tuple[datetime, datetime], ...]
    duration: timedelta  # the appointment's length for this staff member
    rank: int  # stable position among the candidate staff (0..n-1)


@dataclass(frozen=True)
class Rules:
    service_key: str  # the service id, for group session keys
    buffer_before: timedelta
    buffer_after: timedelta
    capacity: int  # seats; > 1 = group session
    interval_min: int  # the business's slot grid, in minutes
    min_notice: timedelta
    max_advance: timedelta


@dataclass(frozen=True)
class Slot:
    start_at: datetime  # UTC
    end_at: datetime
    staff_id: UUID
    seats_left: int


def session_key(service_key: str, start_at: datetime) -> str:
    """The key the seats of one group session share: the service and the start instant, written in
    UTC so that one instant gives one key whatever zone it arrived in."""
    return f"{service_key}@{_utc(start_at).isoformat()}"


def slots(rules: Rules, calendars: Sequence[StaffCalendar], since: datetime, until: datetime,
          now: datetime) -> list[Slot]:
    """Every bookable (start, staff member) with ``since <= start < until``, by (start_at, rank).

    Per calendar: the working time of the window's days minus everything busy gives free intervals,
    and the grid points whose occupied span fits inside one are the fresh starts; the started group
    sessions of this service with seats left are added one by one (``why_not``'s own check)."""
    now = _utc(now)
    first = max(_utc(since), now + rules.min_notice)
    last = min(now + rules.max_advance, _utc(until) - _TICK)
    if first > last:
        return []
    clocks: dict[ZoneInfo, _Clock] = {}
    by_start: dict[datetime, list[Slot]] = {}  # filled in rank order: each list is sorted already
    for calendar in sorted(calendars, key=attrgetter("rank")):
        clock = clocks.get(calendar.zone)
        if clock is None:
            clock = clocks[calendar.zone] = _Clock(calendar.zone, rules.interval_min)
        ready = _Calendar(calendar, rules, clock)
        offers = chain(((start, rules.capacity) for start in ready.fresh_starts(first, last)),
                       ready.open_sessions(first, last, now))
        for start, seats_left in offers:
            slot = Slot(start, start + calendar.duration, calendar.staff_id, seats_left)
            same_start = by_start.get(start)
            if same_start is None:
                by_start[start] = [slot]
            else:
                same_start.append(slot)
    return [slot for start in sorted(by_start) for slot in by_start[start]]


def any_staff(rules: Rules, calendars: Sequence[StaffCalendar], slots: Sequence[Slot]) -> list[Slot]:
    """One slot per start time, sorted: among the staff free then, the one with the fewest bookings
    (distinct sessions) on that local date, ties broken by a rotation that moves by one rank a day.
    For a group service, a session already running at that start (seats taken, seats left) comes
    first: a class fills up before a second one opens.

    Deterministic, so the booking service re-running it assigns the person the page showed."""
    by_staff = {c.staff_id: c for c in calendars}
    # The rotation runs over the places of the calendars given (ranks may have gaps: a performer
    # who is inactive or works elsewhere has none here), so it moves every day whoever is missing.
    place = {c.staff_id: n for n, c in enumerate(sorted(calendars, key=lambda c: (c.rank, str(c.staff_id))))}
    loads: dict[UUID, Counter[date]] = {}
    local_dates: dict[tuple[ZoneInfo, datetime], date] = {}
    best: dict[datetime, tuple[tuple[bool, int, int, int], Slot]] = {}
    for slot in slots:
        calendar = by_staff[slot.staff_id]
        day = local_dates.get((calendar.zone, slot.start_at))
        if day is None:
            day = local_dates[calendar.zone, slot.start_at] = slot.start_at.astimezone(calendar.zone).date()
        load = loads.get(calendar.staff_id)
        if load is None:
            load = loads[calendar.staff_id] = _bookings_per_day(calendar)
        fresh = slot.seats_left == rules.capacity
        order = (fresh, load[day], (place[calendar.staff_id] - day.toordinal()) % len(calendars), calendar.rank)
        held = best.get(slot.start_at)
        if held is None or order < held[0]:
            best[slot.start_at] = (order, slot)
    return [best[start][1] for start in sorted(best)]


def why_not(rules: Rules, calendar: StaffCalendar, start_at: datetime, now: datetime) -> str | None:
    """None if ``start_at`` is bookable with this staff member, else the first failing reason of:
    too_soon, too_far, off_grid, outside_hours, time_off, full, taken."""
    ready = _Calendar(calendar, rules, _Clock(calendar.zone, rules.interval_min))
    return ready.check(_utc(start_at), _utc(now))[0]


def _utc(moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: the engine needs aware ones")
    return moment.astimezone(timezone.utc)


def _folds(zone: ZoneInfo, wall: datetime) -> tuple[datetime, datetime]:
    """The UTC readings of a naive wall time with fold=0 and fold=1: equal for an ordinary time,
    ascending for a repeated one (both real), descending for a skipped one (neither real)."""
    first = wall - wall.replace(tzinfo=zone).utcoffset()
    second = wall - wall.replace(tzinfo=zone, fold=1).utcoffset()
    return first.replace(tzinfo=timezone.utc), second.replace(tzinfo=timezone.utc)


def _instant(zone: ZoneInfo, wall: datetime, *, end: bool) -> datetime:
    """A block boundary as an instant: skipped -> the jump; repeated -> first occurrence for a start,
    second for an end."""
    first, second = _folds(zone, wall)
    if first <= second:
        return second if end else first
    return _jump(zone, second, first)


def _jump(zone: ZoneInfo, before: datetime, after: datetime) -> datetime:
    """The instant the clocks jump forward, in (before, after]: the first one with the new offset."""
    offset = after.astimezone(zone).utcoffset()
    low, high = 0, (after - before) // _TICK
    while high - low > 1:
        middle = (low + high) // 2
        if (before + middle * _TICK).astimezone(zone).utcoffset() == offset:
            high = middle
        else:
            low = middle
    return before + high * _TICK


class _Clock:
    """A zone's days on the business's grid, each worked out once per call (the staff of one location
    share them)."""

    def __init__(self, zone: ZoneInfo, interval_min: int) -> None:
        self.zone = zone
        self.step = timedelta(minutes=interval_min)
        self.points = -(-24 * 60 // interval_min)  # wall minutes 0, step, ... below 24:00
        self._days: dict[date, _Day] = {}

    def date_of(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def day(self, local_date: date) -> _Day:
        day = self._days.get(local_date)
        if day is None:
            day = self._days[local_date] = _Day(self, local_date)
        return day

    def days(self, first: datetime, last: datetime) -> list[_Day]:
        """The local days holding the instants first..last."""
        current, final = self.date_of(first), self.date_of(last)
        return [self.day(current + k * _DAY) for k in range((final - current).days + 1)]


class _Day:
    """One local date: ``midnight`` (UTC) when the day is ordinary, else its grid listed the slow way
    (when first asked: ``why_not`` never needs it)."""
    __slots__ = ("clock", "date", "midnight", "_grid", "_hours")

    def __init__(self, clock: _Clock, local_date: date) -> None:
        self.clock, self.date = clock, local_date
        self._hours: dict[tuple[WeeklyHours, ...], list[_Span]] = {}
        wall = datetime.combine(local_date, time())
        first, second = _folds(clock.zone, wall)
        ordinary = first == second and _folds(clock.zone, wall + _DAY)[0] - first == _DAY
        self.midnight = first if ordinary else None
        self._grid: list[datetime] | None = None

    def _changing_grid(self) -> list[datetime]:
        """Walk the wall-clock grid: a skipped time is no instant, a repeated one is two; one instant once."""
        if self._grid is None:
            midnight = datetime.combine(self.date, time())
            instants: set[datetime] = set()
            for k in range(self.clock.points):
                first, second = _folds(self.clock.zone, midnight + k * self.clock.step)
                if first <= second:
                    instants.update((first, second))
            self._grid = sorted(instants)
        return self._grid

    def at(self, clock_time: time, *, end: bool) -> datetime:
        if self.midnight is not None:
            return self.midnight + timedelta(hours=clock_time.hour, minutes=clock_time.minute,
                                             seconds=clock_time.second, microseconds=clock_time.microsecond)
        return _instant(self.clock.zone, datetime.combine(self.date, clock_time), end=end)

    def span(self, start: time, end: time) -> _Span:
        return self.at(start, end=False), self.at(end, end=True)

    def hours(self, entries: tuple[WeeklyHours, ...]) -> list[_Span]:
        """Weekly entries of this day as instants, each minus its breaks (breaks are blocks too).
        Kept per day: the location's opening hours, and often the staff's hours, are the same for all."""
        spans = self._hours.get(entries)
        if spans is None:
            spans = []
            for entry in entries:
                breaks = _merge([self.span(pause.start, pause.end) for pause in entry.breaks])
                spans += _subtract([self.span(entry.start, entry.end)], breaks)
            spans = self._hours[entries] = _merge(spans)
        return spans

    def starts(self, low: datetime, high: datetime) -> list[datetime]:
        """This day's grid instants in [low, high]."""
        if self.midnight is None:
            grid = self._changing_grid()
            return grid[bisect_left(grid, low):bisect_right(grid, high)]
        step = self.clock.step
        first = max(0, -((self.midnight - low) // step))
        last = min(self.clock.points - 1, (high - self.midnight) // step)
        return [self.midnight + k * step for k in range(first, last + 1)]


class _Calendar:
    """One calendar made ready for many questions: hours by weekday, busy times in UTC and sorted."""

    def __init__(self, calendar: StaffCalendar, rules: Rules, clock: _Clock) -> None:
        self.calendar, self.rules, self.clock = calendar, rules, clock
        self.before = rules.buffer_before
        self.after = calendar.duration + rules.buffer_after  # from the start to the end of the occupied span
        self.weekly = _by_weekday(calendar.weekly)
        self.opening = None if calendar.opening is None else _by_weekday(calendar.opening)
        self.time_off = _merge([(_utc(a), _utc(b)) for a, b in calendar.time_off])
        busy = [(_utc(a), _utc(b), None) for a, b in calendar.external_busy]
        busy += [(_utc(b.occupied_from), _utc(b.occupied_until), b.session_key) for b in calendar.booked]
        self.busy = sorted((entry for entry in busy if entry[0] < entry[1]), key=itemgetter(0))
        self.busy_starts = [entry[0] for entry in self.busy]
        self.longest = max((b - a for a, b, _ in self.busy), default=timedelta(0))
        self.seats = Counter(b.session_key for b in calendar.booked)
        self._working: dict[date, list[_Span]] = {}

    def working(self, day: _Day) -> list[_Span]:
        """The day's working time: its override or weekly hours minus breaks, within opening hours."""
        spans = self._working.get(day.date)
        if spans is None:
            override = self.calendar.overrides.get(day.date)
            if override is not None:
                spans = _merge([day.span(block.start, block.end) for block in override])
            else:
                spans = day.hours(self.weekly[day.date.isoweekday()])
            if self.opening is not None:
                spans = _intersect(spans, day.hours(self.opening[day.date.isoweekday()]))
            self._working[day.date] = spans
        return spans

    def fresh_starts(self, first: datetime, last: datetime) -> Iterator[datetime]:
        """Grid starts in [first, last] whose occupied span fits in the free time of their day. Day by
        day: a block ends before midnight, so no working interval reaches into the next day."""
        holes = _merge(self.time_off + [(a, b) for a, b, _ in self.busy])
        hole_ends = [b for _, b in holes]
        for day in self.clock.days(first, last):
            spans = self.working(day)
            if not spans:
                continue
            for a, b in _subtract(spans, holes, bisect_right(hole_ends, spans[0][0])):
                low, high = max(a + self.before, first), min(b - self.after, last)
                if low <= high:
                    yield from day.starts(low, high)

    def open_sessions(self, first: datetime, last: datetime, now: datetime) -> Iterator[tuple[datetime, int]]:
        """Started group sessions of this service in [first, last] with seats left. A fresh start can
        never be one of them: a session's own seats overlap its start."""
        if self.rules.capacity <= 1:
            return
        seen: set[datetime] = set()
        for booked in self.calendar.booked:
            start = _utc(booked.start_at)
            if first <= start <= last and start not in seen \
                    and booked.session_key == session_key(self.rules.service_key, start):
                seen.add(start)
                reason, seats_left = self.check(start, now)
                if reason is None:
                    yield start, seats_left

    def check(self, start: datetime, now: datetime) -> tuple[str | None, int]:
        """(None, seats left) when bookable, else (the first failing reason, 0)."""
        rules = self.rules
        if start < now + rules.min_notice:
            return "too_soon", 0
        if start > now + rules.max_advance:
            return "too_far", 0
        wall = start.astimezone(self.clock.zone)
        if wall.second or wall.microsecond or (wall.hour * 60 + wall.minute) % rules.interval_min:
            return "off_grid", 0
        a, b = start - self.before, start + self.after
        if not any(x <= a and b <= y for x, y in self.working(self.clock.day(wall.date()))):
            return "outside_hours", 0
        if any(x < b and a < y for x, y in self.time_off):
            return "time_off", 0
        own = session_key(rules.service_key, start) if rules.capacity > 1 else None
        seats_taken = self.seats[own] if own is not None else 0
        if seats_taken >= rules.capacity:
            return "full", 0
        if any(own is None or key != own for key in self._busy_keys(a, b)):
            return "taken", 0
        return None, rules.capacity - seats_taken

    def _busy_keys(self, a: datetime, b: datetime) -> Iterator[str | None]:
        """The session keys (None: external) of busy entries overlapping [a, b): only entries starting
        in (a - longest, b) can, so bisect there."""
        low = bisect_right(self.busy_starts, a - self.longest)
        high = bisect_left(self.busy_starts, b)
        return (key for _, end, key in self.busy[low:high] if end > a)


def _by_weekday(hours: tuple[WeeklyHours, ...]) -> dict[int, tuple[WeeklyHours, ...]]:
    return {weekday: tuple(entry for entry in hours if entry.weekday == weekday) for weekday in range(1, 8)}


def _merge(spans: list[_Span]) -> list[_Span]:
    """Sorted, non-empty, with overlapping or touching spans joined."""
    merged: list[_Span] = []
    for a, b in sorted(spans):
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _subtract(spans: list[_Span], holes: list[_Span], i: int = 0) -> list[_Span]:
    """spans minus holes, both merged; holes before index i end before the spans start."""
    left: list[_Span] = []
    for a, b in spans:
        while i < len(holes) and holes[i][1] <= a:
            i += 1
        j = i
        while j < len(holes) and holes[j][0] < b:
            if holes[j][0] > a:
                left.append((a, holes[j][0]))
            a = max(a, holes[j][1])
            j += 1
        if a < b:
            left.append((a, b))
    return left


def _intersect(spans: list[_Span], others: list[_Span]) -> list[_Span]:
    """The common part of two merged span lists."""
    common: list[_Span] = []
    i = j = 0
    while i < len(spans) and j < len(others):
        a, b = max(spans[i][0], others[j][0]), min(spans[i][1], others[j][1])
        if a < b:
            common.append((a, b))
        if spans[i][1] < others[j][1]:
            i += 1
        else:
            j += 1
    return common


def _bookings_per_day(calendar: StaffCalendar) -> Counter[date]:
    """Distinct sessions (a group session counts once) per local date of their start."""
    sessions = {(_utc(b.start_at).astimezone(calendar.zone).date(), b.session_key) for b in calendar.booked}
    return Counter(day for day, _ in sessions)
