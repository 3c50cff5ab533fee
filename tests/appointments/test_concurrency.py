"""Double booking is impossible: 50 requests racing for one slot, each in its own thread with its
own connection (as 50 Lambda containers would), end in exactly as many bookings as there is room
for, and every other one is told ``slot_taken``.

The test client swaps ``os.environ`` per request and is not thread-safe, so the threads call the
service the route calls."""
from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from chalicelib.appointments import service
from chalicelib.appointments.service import Booking
from tests.appointments.helpers import Calendar, add_customer, appointment_rows, booked, calendar, owner_caller, race
from tests.checks import rows

THREADS = 50


def _customers(cal: Calendar, count: int) -> list[UUID]:
    return [UUID(add_customer(cal.business_id, f"Racer {n}")) for n in range(count)]


def test_fifty_bookings_of_one_slot_make_one_appointment(client):
    cal = calendar(client)
    people = _customers(cal, THREADS)
    booking = Booking(service_id=UUID(cal.service_id), start_at=cal.at(7, 10), staff_id=UUID(cal.staff_ids[0]))

    outcomes = race(lambda n: service.book(owner_caller(cal), booking, customer_id=people[n]))

    assert outcomes == {"ok": 1, "slot_taken": THREADS - 1}
    assert len(appointment_rows(cal.business_id)) == 1


def test_fifty_reschedules_into_one_slot_move_one_appointment(client):
    cal = calendar(client, duration=15)
    days = [(7 + n // 28, 10 + (n % 28) // 4, 15 * (n % 4)) for n in range(THREADS)]
    moving = [booked(client, cal, cal.at(day, hour, minute))["id"] for day, hour, minute in days]
    target = cal.at(20, 9)

    outcomes = race(lambda n: service.reschedule(owner_caller(cal), UUID(moving[n]), start_at=target, staff_id=None,
                                                  location_id=None, version=None))

    assert outcomes == {"ok": 1, "slot_taken": THREADS - 1}
    assert [r["start_at"] for r in appointment_rows(cal.business_id)].count(target) == 1


def test_any_staff_never_books_more_than_the_free_staff(client):
    cal = calendar(client, staff=3)
    people = _customers(cal, THREADS)
    booking = Booking(service_id=UUID(cal.service_id), start_at=cal.at(7, 10))

    outcomes = race(lambda n: service.book(owner_caller(cal), booking, customer_id=people[n]))

    assert outcomes == {"ok": 3, "slot_taken": THREADS - 3}
    assert sorted(str(r["staff_id"]) for r in appointment_rows(cal.business_id)) == sorted(cal.staff_ids)


def test_any_staff_racing_at_overlapping_starts_never_overlaps(client):
    cal = calendar(client, staff=3)
    people = _customers(cal, THREADS)
    starts = [cal.at(7, 10) + timedelta(minutes=15 * (n % 4)) for n in range(THREADS)]

    outcomes = race(lambda n: service.book(owner_caller(cal),
                                            Booking(service_id=UUID(cal.service_id), start_at=starts[n]),
                                            customer_id=people[n]))

    made = appointment_rows(cal.business_id)
    assert outcomes["ok"] == len(made) and set(outcomes) <= {"ok", "slot_taken"}
    # Between 10:00 and 11:45 three people can hold at most three one-hour appointments each... but
    # every booking here overlaps every other one, so each person holds exactly one.
    assert len(made) == 3
    assert sorted(str(r["staff_id"]) for r in made) == sorted(cal.staff_ids)


def test_the_last_seat_of_a_group_session_goes_to_one_request(client):
    cal = calendar(client, capacity=5)
    start = cal.at(7, 10)
    for _ in range(4):
        booked(client, cal, start)
    people = _customers(cal, THREADS)
    booking = Booking(service_id=UUID(cal.service_id), start_at=start)

    outcomes = race(lambda n: service.book(owner_caller(cal), booking, customer_id=people[n]))

    assert outcomes == {"ok": 1, "slot_taken": THREADS - 1}
    seats = rows(cal.business_id, "SELECT count(*) AS n FROM appointments WHERE status <> 'cancelled'")
    assert seats == [{"n": 5}]


def test_series_racing_for_the_last_seats_never_overfill_a_session(client):
    cal = calendar(client, capacity=2)
    first, second = cal.at(7, 10), cal.at(14, 10)
    booked(client, cal, first)
    booked(client, cal, second)
    people = _customers(cal, 20)
    booking = Booking(service_id=UUID(cal.service_id), start_at=first, staff_id=UUID(cal.staff_ids[0]))

    outcomes = race(lambda n: service.book_series(owner_caller(cal), booking, customer_id=people[n], every_weeks=1,
                                                   count=2), threads=20)

    assert outcomes == {"ok": 20}  # a series books what fits and reports the rest
    seats = rows(cal.business_id, "SELECT start_at, count(*) AS n FROM appointments WHERE status <> 'cancelled' "
                 "GROUP BY start_at ORDER BY start_at")
    assert [(r["start_at"], r["n"]) for r in seats] == [(first, 2), (second, 2)]
