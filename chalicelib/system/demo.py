"""Loads the demo business that ``make run`` shows a newcomer, once; prints how to log in.

"Demo Salon" has two London locations, six services (one a group class), four staff with weekly
hours, a dated override and time off, fifty customers and a month of appointments around today:
two weeks that happened (completed, a few no-shows and cancellations) and three weeks ahead
(confirmed, a few pending), so the calendar is alive at once.

Everything goes through the modules' services, as the API's sign-up and routes do: they validate
and write history and outbox rows, so the demo is what a real business would have made. Only what
already happened cannot: booking refuses a start in the past (too soon), so those appointments and
their history are written here with SQL, as the owner's staff would have left them.

A fixed seed and dates counted from today lay out the same demo on every machine for a given day.
Everything is made only with a new business: loading again changes nothing.
"""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from chalicelib.appointments import service as appointments
from chalicelib.appointments.service import Booking, CustomerDetails, SlotTaken, SlotUnavailable
from chalicelib.auth import service as auth
from chalicelib.availability import engine
from chalicelib.business import service as business
from chalicelib.core import db
from chalicelib.core.errors import Conflict
from chalicelib.core.security import Caller
from chalicelib.customers import service as customers
from chalicelib.locations import service as locations
from chalicelib.services import service as services
from chalicelib.staff import service as staff

OWNER_EMAIL = "owner@demo-salon.test"
PASSWORD = "demo-salon-2026!"
SLUG = "demo-salon"
ZONE = ZoneInfo("Europe/London")
SEED = 2026
PAST_DAYS = 14
AHEAD_DAYS = 21
# Appointments starting sooner than this are written as they stand, not booked: booking refuses
# a start inside the minimum notice (60 minutes), and the demo must not fail on a slow machine.
BOOKING_MARGIN = timedelta(minutes=90)
GRID_MIN = 15

POLICY = {"slot_interval_min": GRID_MIN, "min_notice_min": 60, "max_advance_days": 90, "auto_confirm": True,
          "cancel_cutoff_min": 24 * 60}

# ISO weekdays: Monday 1 .. Sunday 7.
WEEKDAYS, SATURDAY, SUNDAY = (1, 2, 3, 4, 5), 6, 7

LOCATIONS = {
    "soho": {"name": "Soho", "address": "12 Greek Street, London W1D 4DJ", "phone": "+44 20 7946 0012",
             "time_zone": "Europe/London",
             "opening_hours": [*({"weekday": d, "opens": "09:00", "closes": "19:00"} for d in WEEKDAYS),
                               {"weekday": SATURDAY, "opens": "09:00", "closes": "17:00"}]},
    "shoreditch": {"name": "Shoreditch", "address": "48 Redchurch Street, London E2 7DP",
                   "phone": "+44 20 7946 0048", "time_zone": "Europe/London",
                   "opening_hours": [*({"weekday": d, "opens": "10:00", "closes": "20:00"} for d in (2, 3, 4, 5)),
                                     {"weekday": SATURDAY, "opens": "09:00", "closes": "18:00"},
                                     {"weekday": SUNDAY, "opens": "11:00", "closes": "16:00"}]},
}

# Weekly hours: (location, weekdays, start, end, breaks); one shift per weekday, a lunch break in each long one.
STAFF = {
    "dana": {"name": "Dana Demo", "email": OWNER_EMAIL, "phone": "+44 7700 900001", "login": True,
             "bio": "Owner. Consultations, cuts and the odd blow-dry between the paperwork.",
             "hours": [("soho", (3, 4, 5), "09:00", "13:00", [])]},
    "amara": {"name": "Amara Okafor", "email": "amara@demo-salon.test", "phone": "+44 7700 900002", "login": False,
              "bio": "Senior stylist: precision cuts, curls and colour. Runs the Saturday workshop.",
              "hours": [("soho", (2, 3, 4, 5), "09:00", "17:30", [("13:00", "13:45")]),
                        ("soho", (SATURDAY,), "09:00", "16:00", [("12:30", "13:00")])]},
    "jonas": {"name": "Jonas Weber", "email": "jonas@demo-salon.test", "phone": "+44 7700 900003", "login": False,
              "bio": "Colourist. Soho early in the week, Shoreditch from Thursday.",
              "hours": [("soho", (1, 2), "10:00", "19:00", [("14:00", "14:30")]),
                        ("shoreditch", (4, 5), "11:00", "20:00", [("15:00", "15:30")]),
                        ("shoreditch", (SATURDAY,), "09:00", "17:00", [("13:00", "13:30")])]},
    "priya": {"name": "Priya Shah", "email": "priya@demo-salon.test", "phone": "+44 7700 900004", "login": False,
              "bio": "Barber: skin fades, beard shaping, hot towels.",
              "hours": [("shoreditch", (2, 3, 4, 5, SATURDAY), "10:00", "18:00", [("13:30", "14:00")]),
                        ("shoreditch", (SUNDAY,), "11:00", "16:00", [])]},
}

# Each service: its fields (API shape, price in pence), then its performers: staff -> (how often the
# demo books it with them, their own duration, their own price).
SERVICES = {
    "cut": ({"name": "Haircut", "category": "Hair", "color": "#4f46e5", "duration_min": 45, "price": 4500,
             "description": "Wash, cut and finish."},
            {"dana": (2, None, None), "amara": (4, None, None), "jonas": (2, None, 5500), "priya": (5, 30, 3000)}),
    "colour": ({"name": "Colour", "category": "Hair", "color": "#db2777", "duration_min": 90, "price": 9500,
                "buffer_after_min": 15, "description": "Full colour or highlights, with a toner."},
               {"amara": (2, 105, None), "jonas": (3, None, None)}),
    "beard": ({"name": "Beard trim", "category": "Grooming", "color": "#0d9488", "duration_min": 30, "price": 2000,
               "description": "Shape-up with a hot towel."},
              {"priya": (4, None, None), "jonas": (1, None, None)}),
    "blowdry": ({"name": "Blow-dry", "category": "Hair", "color": "#f59e0b", "duration_min": 30, "price": 3000,
                 "description": "Wash and blow-dry, straight or with volume."},
                {"dana": (2, None, None), "amara": (3, None, None), "jonas": (1, None, None)}),
    "consultation": ({"name": "Colour consultation", "category": "Hair", "color": "#64748b", "duration_min": 15,
                      "price": 0, "requires_confirmation": True,
                      "description": "Free chat and patch test before a first colour; we confirm each request."},
                     {"dana": (2, None, None), "jonas": (1, None, None)}),
    "workshop": ({"name": "Hair styling workshop", "category": "Classes", "color": "#16a34a", "duration_min": 120,
                  "price": 6000, "capacity": 8,
                  "description": "Small-group class: everyday styling with heat tools, braids and updos."},
                 {"amara": (0, None, None)}),
}
# The workshop runs on Saturday mornings with Amara at Soho.
WORKSHOP = ("amara", "soho", SATURDAY, "10:00")

FIRST_NAMES = ("Olivia", "Amelia", "Isla", "Ava", "Mia", "Sophia", "Grace", "Lily", "Freya", "Emily", "Chloe",
               "Zara", "Aisha", "Noor", "Mei", "Hana", "Sofia", "Leila", "Oliver", "George", "Noah", "Arthur",
               "Leo", "Harry", "Oscar", "Theo", "Jack", "Samuel", "Kwame", "Ravi", "Tomasz", "Luca", "Mateo",
               "Femi", "Yusuf", "Ethan")
LAST_NAMES = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan",
              "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
              "Clarke", "Hughes", "Edwards", "Nowak", "Rossi", "Mensah", "Osei", "Chen", "Nguyen", "Kaur",
              "Ahmed", "Murphy", "Kelly", "Hussain", "Lewis", "Turner")
TAGS = ("regular", "vip", "new", "colour", "student", "prefers-mornings", "sensitive-scalp")
CUSTOMERS = 50
CUSTOMER_NOTES = ("Patch test done: fine with the usual colour brand.",
                  "Prefers a quiet appointment; no small talk needed.",
                  "Allergic to some fragrances: use the unscented shampoo.")
APPOINTMENT_NOTES = ("Same as last time, a little shorter.", "Running 5 minutes late, said on the phone.",
                     "Wants to try a fringe.", "Bringing a photo for reference.", "Birthday treat.")
CANCEL_REASONS = ("Feeling unwell.", "Work came up.", "Train cancelled.")

_PAST = """-- appointments that already happened, as the staff left them: booking refuses a start in the past
INSERT INTO appointments (id, business_id, location_id, service_id, staff_id, customer_id, start_at, end_at,
                          occupied, session_key, status, price_minor, currency, notes, source, created_by,
                          cancel_reason, cancelled_by, cancelled_at, version, created_at, updated_at)
SELECT r.id, CAST(:bid AS uuid), r.location_id, r.service_id, r.staff_id, r.customer_id, r.start_at, r.end_at,
       tstzrange(r.occupied_from, r.occupied_until), r.session_key, r.status, r.price_minor, :currency, r.notes,
       r.source, r.created_by, r.cancel_reason, r.cancelled_by, r.cancelled_at, r.version, r.created_at,
       r.updated_at
  FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(
       id uuid, location_id uuid, service_id uuid, staff_id uuid, customer_id uuid, start_at timestamptz,
       end_at timestamptz, occupied_from timestamptz, occupied_until timestamptz, session_key text, status text,
       price_minor integer, notes text, source text, created_by uuid, cancel_reason text, cancelled_by text,
       cancelled_at timestamptz, version integer, created_at timestamptz, updated_at timestamptz)"""

_PAST_HISTORY = """-- their history, as the appointments service writes it: created, then the status change
INSERT INTO appointment_history (business_id, appointment_id, action, actor_type, actor_id, before, after, at)
SELECT CAST(:bid AS uuid), r.appointment_id, r.action, r.actor_type, r.actor_id, r.before, r.after, r.at
  FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(
       appointment_id uuid, action text, actor_type text, actor_id uuid, before jsonb, after jsonb, at timestamptz)"""

_COUNTS = """-- what the demo business holds, for the line `make run` prints
SELECT (SELECT count(*) FROM locations) AS locations, (SELECT count(*) FROM services) AS services,
       (SELECT count(*) FROM staff) AS staff, (SELECT count(*) FROM customers) AS customers,
       (SELECT count(*) FROM appointments WHERE start_at < now()) AS past,
       (SELECT count(*) FROM appointments WHERE start_at >= now()) AS upcoming"""


@dataclass(frozen=True)
class Visit:
    """One planned appointment (a group class seat is one visit)."""
    start_at: datetime  # local, in ZONE
    staff: str
    location: str
    service: str
    customer: int  # index into the customers made
    notes: str | None = None


@dataclass(frozen=True)
class Demo:
    """The ids of what was made, by the keys used above."""
    caller: Caller
    locations: dict[str, UUID]
    staff: dict[str, UUID]
    services: dict[str, UUID]
    customers: list[dict[str, Any]]


# --- the week's shape ----------------------------------------------------------------------------

def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _without(spans: list[tuple[int, int]], cut: tuple[int, int]) -> list[tuple[int, int]]:
    """``spans`` (minutes of a day) minus ``cut``."""
    left = []
    for start, end in spans:
        if cut[1] <= start or cut[0] >= end:
            left.append((start, end))
            continue
        if start < cut[0]:
            left.append((start, cut[0]))
        if cut[1] < end:
            left.append((cut[1], end))
    return left


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def _overrides(today: date) -> dict[str, list[dict[str, Any]]]:
    """Dated overrides (API shape, location as a key): Jonas starts late next Thursday, Dana is closed
    next Friday."""
    monday = _next_monday(today)
    return {"jonas": [{"date": monday + timedelta(days=3), "location_id": "shoreditch",
                       "intervals": [{"start": "13:00", "end": "20:00"}]}],
            "dana": [{"date": monday + timedelta(days=4), "location_id": None, "intervals": []}]}


def _time_off(today: date) -> dict[str, list[dict[str, Any]]]:
    """Time off: Priya's holiday next Wednesday and Thursday, Amara's dentist next Tuesday afternoon,
    Dana's sick day last Thursday."""
    monday = _next_monday(today)
    tuesday = monday + timedelta(days=1)
    return {
        "priya": [{"all_day": True, "start_date": monday + timedelta(days=2), "end_date": monday + timedelta(days=3),
                   "kind": "holiday", "note": "Family wedding in Leeds"}],
        "amara": [{"all_day": False, "starts_at": datetime.combine(tuesday, time(14, 0), ZONE),
                   "ends_at": datetime.combine(tuesday, time(16, 0), ZONE), "kind": "other", "note": "Dentist"}],
        "dana": [{"all_day": True, "start_date": monday - timedelta(days=11), "end_date": monday - timedelta(days=11),
                  "kind": "sickness", "note": None}],
    }


def _working(person: str, day: date, overrides: dict[str, list[dict[str, Any]]],
             time_off: dict[str, list[dict[str, Any]]]) -> list[tuple[str, list[tuple[int, int]]]]:
    """Where a staff member works on a day and when (minutes, breaks and time off taken out)."""
    override = next((o for o in overrides.get(person, []) if o["date"] == day), None)
    if override is not None:
        spans = [(_minutes(i["start"]), _minutes(i["end"])) for i in override["intervals"]]
        shifts = [(override["location_id"], spans)]
    else:
        shifts = []
        for location, weekdays, start, end, breaks in STAFF[person]["hours"]:
            if day.isoweekday() in weekdays:
                spans = [(_minutes(start), _minutes(end))]
                for break_start, break_end in breaks:
                    spans = _without(spans, (_minutes(break_start), _minutes(break_end)))
                shifts.append((location, spans))
    for off in time_off.get(person, []):
        if off["all_day"]:
            if off["start_date"] <= day <= off["end_date"]:
                return []
        elif off["starts_at"].date() == day:
            cut = (_minutes(off["starts_at"].strftime("%H:%M")), _minutes(off["ends_at"].strftime("%H:%M")))
            shifts = [(location, _without(spans, cut)) for location, spans in shifts]
    return [(location, spans) for location, spans in shifts if location and spans]


def _length(service: str, person: str) -> tuple[int, int]:
    """Minutes with this staff member, and the minutes it holds them (its buffer after included)."""
    fields, performers = SERVICES[service]
    duration = performers[person][1] or fields["duration_min"]
    return duration, duration + fields.get("buffer_after_min", 0)


def _density(offset: int) -> float:
    """The chance a free quarter-hour starts an appointment: the past was busy; ahead, the next days
    are well booked and the weeks after fill up."""
    return 0.38 if offset < 0 else 0.28 * 0.87 ** offset


def _plan(rng: random.Random, today: date, customer_weights: list[float]) -> list[Visit]:
    """A month of visits around today that fit everyone's hours, in start order."""
    overrides, time_off = _overrides(today), _time_off(today)
    workshop_staff, workshop_location, workshop_day, workshop_start = WORKSHOP
    workshop_span = (_minutes(workshop_start), _minutes(workshop_start) + SERVICES["workshop"][0]["duration_min"])
    visits: list[Visit] = []

    def someone(busy: set[int]) -> int:
        """A customer not seen yet that day (most days see fewer people than there are customers)."""
        while True:
            chosen = rng.choices(range(len(customer_weights)), customer_weights)[0]
            if chosen not in busy or len(busy) >= len(customer_weights):
                busy.add(chosen)
                return chosen

    for offset in range(-PAST_DAYS, AHEAD_DAYS):
        day = today + timedelta(days=offset)
        busy: set[int] = set()
        for person in STAFF:
            for location, spans in _working(person, day, overrides, time_off):
                if (person, location, day.isoweekday()) == (workshop_staff, workshop_location, workshop_day):
                    seats = rng.randint(5, 7) if offset < 0 else max(1, 5 - offset // 4)
                    start = datetime.combine(day, time.fromisoformat(workshop_start), ZONE)
                    visits.extend(Visit(start, person, location, "workshop", someone(busy)) for _ in range(seats))
                    spans = _without(spans, workshop_span)
                offered = [s for s, (_, performers) in SERVICES.items() if performers.get(person, (0,))[0]]
                weights = [SERVICES[s][1][person][0] for s in offered]
                for span_start, span_end in spans:
                    moment = span_start
                    while moment < span_end:
                        service = rng.choices(offered, weights)[0]
                        duration, held = _length(service, person)
                        if rng.random() < _density(offset) and moment + held <= span_end:
                            start = datetime.combine(day, time.fromisoformat(_clock(moment)), ZONE)
                            note = rng.choice(APPOINTMENT_NOTES) if rng.random() < 0.1 else None
                            visits.append(Visit(start, person, location, service, someone(busy), note))
                            moment += -(-held // GRID_MIN) * GRID_MIN
                        else:
                            moment += GRID_MIN
    return sorted(visits, key=lambda v: (v.start_at, v.staff, v.customer))


# --- the catalogue and the team ------------------------------------------------------------------

def _catalogue(caller: Caller, today: date) -> tuple[dict[str, UUID], dict[str, UUID], dict[str, UUID]]:
    bid = caller.business_id
    business.update(bid, {"booking_policy": POLICY}, expected_version=None)
    place = {key: UUID(locations.create(bid, fields)["id"]) for key, fields in LOCATIONS.items()}
    team: dict[str, UUID] = {}
    for key, person in STAFF.items():
        made = staff.create(bid, name=person["name"], email=person["email"], phone=person["phone"], bio=person["bio"],
                            time_zone=None, user_id=caller.user_id if person["login"] else None, bookable=True,
                            location_ids=sorted({place[h[0]] for h in person["hours"]}))
        team[key] = UUID(made["id"])
    overrides, time_off = _overrides(today), _time_off(today)
    for key, person in STAFF.items():
        weekly = [{"location_id": place[location], "weekday": weekday, "start": start, "end": end,
                   "breaks": [{"start": s, "end": e} for s, e in breaks]}
                  for location, weekdays, start, end, breaks in person["hours"] for weekday in weekdays]
        dated = [{**o, "location_id": place[o["location_id"]] if o["location_id"] else None}
                 for o in overrides.get(key, [])]
        staff.replace_schedule(caller, team[key], weekly=weekly, overrides=dated)
        for off in time_off.get(key, []):
            staff.add_time_off(caller, team[key], **off)
    offered: dict[str, UUID] = {}
    for key, (fields, performers) in SERVICES.items():
        made = services.create(bid, {**fields, "price": {"amount": fields["price"], "currency": "GBP"}})
        offered[key] = UUID(made["id"])
        services.assign_staff(bid, offered[key], [
            {"staff_id": team[person], "duration_min": duration,
             "price": {"amount": price, "currency": "GBP"} if price is not None else None}
            for person, (_, duration, price) in performers.items()])
    return place, team, offered


def _customers(caller: Caller, rng: random.Random) -> list[dict[str, Any]]:
    names = rng.sample([(first, last) for first in FIRST_NAMES for last in LAST_NAMES], CUSTOMERS)
    made = []
    for index, (first, last) in enumerate(names):
        tags = rng.sample(TAGS, rng.choice((0, 1, 1, 2)))
        made.append(customers.create(
            caller.business_id, name=f"{first} {last}",
            # a few came in by phone only, a few never gave a number
            email=None if index % 17 == 5 else f"{first}.{last}@example.com".lower(),
            phone=None if index % 13 == 7 else f"+44 7700 900{100 + index:03d}",
            tags=tags, locale="en", preferred_channel="whatsapp" if rng.random() < 0.2 else "email",
            marketing_opt_in=rng.random() < 0.4, terms_accepted=True, actor_id=caller.user_id))
    for body, customer in zip(CUSTOMER_NOTES, rng.sample(made, len(CUSTOMER_NOTES))):
        customers.add_note(caller.business_id, UUID(customer["id"]), body=body, author_id=caller.user_id)
    return made


# --- appointments --------------------------------------------------------------------------------

def _price(visit: Visit) -> int:
    fields, performers = SERVICES[visit.service]
    own = performers[visit.staff][2]
    return fields["price"] if own is None else own


def _outcomes(visits: list[Visit], rng: random.Random, now: datetime) -> list[str]:
    """How each visit too close or gone for booking stands: those over were completed, but for three
    no-shows and three cancellations; those not over yet are confirmed."""
    ended = [v.start_at + timedelta(minutes=_length(v.service, v.staff)[0]) <= now for v in visits]
    # Group seats stay as they were: one seat missing out would read as a quiet class.
    singles = [i for i, v in enumerate(visits) if ended[i] and v.service != "workshop"]
    picked = rng.sample(singles, 6)
    special = {**{i: "no_show" for i in picked[:3]}, **{i: "cancelled" for i in picked[3:]}}
    return [special.get(i, "completed" if ended[i] else "confirmed") for i in range(len(visits))]


def _written(demo: Demo, visit: Visit, status: str, rng: random.Random) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """An appointment row and its history entries, as booking and the status change would have left them."""
    appointment_id = uuid.uuid4()
    duration, held = _length(visit.service, visit.staff)
    start = visit.start_at.astimezone(timezone.utc)
    end = start + timedelta(minutes=duration)
    service_id = demo.services[visit.service]
    customer_id = UUID(demo.customers[visit.customer]["id"])
    # Online requests for a consultation would have waited for a confirmation: those came by phone.
    online = visit.service != "consultation" and rng.random() < 0.3
    created_at = start - timedelta(days=rng.randint(1, 12), hours=rng.randint(1, 8), minutes=rng.randint(0, 59))
    cancelled = status == "cancelled"
    reason = rng.choice(CANCEL_REASONS) if cancelled else None
    changed_at = {"completed": end + timedelta(minutes=5), "no_show": start + timedelta(minutes=20),
                  "cancelled": created_at + (start - created_at) * rng.uniform(0.3, 0.8),
                  "confirmed": created_at}[status]
    # The snapshot the appointments service records with "created".
    values = {"status": "confirmed", "start_at": start, "end_at": end, "staff_id": demo.staff[visit.staff],
              "location_id": demo.locations[visit.location], "service_id": service_id, "customer_id": customer_id,
              "price_minor": _price(visit), "notes": visit.notes, "internal_notes": None, "cancel_reason": None}
    row = {**values, "id": appointment_id, "status": status, "occupied_from": start,
           "occupied_until": start + timedelta(minutes=held),
           "session_key": (engine.session_key(str(service_id), start) if visit.service == "workshop"
                           else str(appointment_id)),
           "source": "online" if online else "staff", "created_by": None if online else demo.caller.user_id,
           "cancel_reason": reason, "cancelled_by": "customer" if cancelled else None,
           "cancelled_at": changed_at if cancelled else None, "version": 1 if status == "confirmed" else 2,
           "created_at": created_at, "updated_at": changed_at}
    booker = ("customer", customer_id) if online else ("user", demo.caller.user_id)
    history = [{"appointment_id": appointment_id, "action": "created", "actor_type": booker[0],
                "actor_id": booker[1], "before": None, "after": values, "at": created_at}]
    if status != "confirmed":
        actor = ("customer", customer_id) if cancelled else ("user", demo.caller.user_id)
        history.append({"appointment_id": appointment_id,
                        "action": {"completed": "complete", "no_show": "no_show", "cancelled": "cancel"}[status],
                        "actor_type": actor[0], "actor_id": actor[1],
                        "before": {"status": "confirmed", **({"cancel_reason": None} if cancelled else {})},
                        "after": {"status": status, **({"cancel_reason": reason} if cancelled else {})},
                        "at": changed_at})
    return row, history


def _write_past(demo: Demo, visits: list[Visit], rng: random.Random, now: datetime) -> None:
    """The visits booking would refuse (gone, or inside the notice), written in one transaction."""
    rows, history = [], []
    for visit, status in zip(visits, _outcomes(visits, rng, now)):
        row, changes = _written(demo, visit, status, rng)
        rows.append(row)
        history.extend(changes)
    with db.tenant_tx(demo.caller.business_id) as tx:
        tx.execute(_PAST, bid=demo.caller.business_id, currency="GBP", rows=appointments.as_json(rows))
        tx.execute(_PAST_HISTORY, bid=demo.caller.business_id, rows=appointments.as_json(history))


def _book(demo: Demo, visits: list[Visit], rng: random.Random) -> list[dict[str, Any]]:
    """Book the visits ahead as the owner would, or as the customer would online (consultations
    always: they wait for the salon's confirmation). A start that can no longer be booked (taken
    meanwhile, or inside the notice by now) is left out."""
    booked = []
    for visit in visits:
        booking = Booking(service_id=demo.services[visit.service], start_at=visit.start_at,
                          staff_id=demo.staff[visit.staff], location_id=demo.locations[visit.location],
                          notes=visit.notes)
        person = demo.customers[visit.customer]
        online = person["email"] is not None and (visit.service == "consultation" or rng.random() < 0.25)
        try:
            if online:
                details = CustomerDetails(name=person["name"], email=person["email"], phone=person["phone"],
                                          terms_accepted=True, marketing_opt_in=person["marketing_opt_in"])
                booked.append(appointments.book_online(demo.caller.business_id, booking, details)["appointment"])
            else:
                booked.append(appointments.book(demo.caller, booking, customer_id=UUID(person["id"])))
        except (SlotTaken, SlotUnavailable):
            continue
    return booked


def _series(demo: Demo, today: date) -> None:
    """A regular's weekly blow-dry with Dana, three Wednesdays from next week (a series, booked as one)."""
    regular = next((c for c in demo.customers if "regular" in c["tags"]), demo.customers[0])
    start = datetime.combine(_next_monday(today) + timedelta(days=2), time(9, 0), ZONE)
    appointments.book_series(demo.caller, Booking(service_id=demo.services["blowdry"], start_at=start,
                                                  staff_id=demo.staff["dana"], location_id=demo.locations["soho"]),
                             customer_id=UUID(regular["id"]), every_weeks=1, count=3)


def _appointments(demo: Demo, rng: random.Random, today: date) -> None:
    weights = [3.0 if "regular" in c["tags"] or "vip" in c["tags"] else 1.0 for c in demo.customers]
    visits = _plan(rng, today, weights)
    # The series takes Dana's first half hour on those Wednesdays: the plan leaves it free.
    series_days = {_next_monday(today) + timedelta(days=2 + 7 * week) for week in range(3)}
    visits = [v for v in visits if not (v.staff == "dana" and v.start_at.date() in series_days
                                        and v.start_at.time() < time(9, 30))]
    now = datetime.now(timezone.utc)
    _write_past(demo, [v for v in visits if v.start_at < now + BOOKING_MARGIN], rng, now)
    _series(demo, today)
    booked = _book(demo, [v for v in visits if v.start_at >= now + BOOKING_MARGIN], rng)
    # Two customers rang to cancel a visit ahead.
    for row in rng.sample([b for b in booked if b["status"] == "confirmed"], 2):
        appointments.change_status(demo.caller, UUID(row["id"]), "cancel", reason=rng.choice(CANCEL_REASONS))


# --- loading -------------------------------------------------------------------------------------

def load() -> bool:
    """Create the demo business unless it exists; answer whether it was created."""
    try:
        try:
            session = auth.signup(business_name="Demo Salon", slug=SLUG, owner_name="Dana Demo",
                                  email_address=OWNER_EMAIL, password=PASSWORD, time_zone="Europe/London",
                                  currency="GBP")
        except Conflict:
            return False
        caller = Caller(UUID(session["user"]["id"]), UUID(session["business_id"]), session["role"])
        rng = random.Random(SEED)
        today = datetime.now(ZONE).date()
        place, team, offered = _catalogue(caller, today)
        demo = Demo(caller, place, team, offered, _customers(caller, rng))
        _appointments(demo, rng, today)
    finally:
        db.reset_connection()
    return True


def counts() -> dict[str, int]:
    """How many locations, services, staff, customers and past and upcoming appointments the demo has."""
    found = business.by_slug(SLUG)
    if found is None:
        return {}
    try:
        with db.tenant_tx(UUID(found["id"])) as tx:
            return tx.one(_COUNTS) or {}
    finally:
        db.reset_connection()


def main() -> None:
    import app  # noqa: F401 - subscribes the readers of events, as the API does, so the demo's messages go

    created = load()
    print("demo business", "loaded" if created else "already there")
    print(f"  log in as {OWNER_EMAIL} / {PASSWORD}")
    held = counts()
    if held:
        print(f"  {held['locations']} locations, {held['services']} services, {held['staff']} staff,"
              f" {held['customers']} customers, {held['past']} past and {held['upcoming']} upcoming appointments")
    print("  e-mails the app sends are written to .local/mail/")


if __name__ == "__main__":
    main()
