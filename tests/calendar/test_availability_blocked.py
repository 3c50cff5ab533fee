"""A busy time synced from Google removes those slots at once, on the public booking page and on the
staff side, for that staff member only; when it goes from Google, the next sync gives them back. An
all-day event takes the whole local day. Before a sync nothing changes (the busy time is not known)."""
from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from chalicelib.calendar import busy_sync
from tests.api import body, call, from_address, unique_address
from tests.appointments.helpers import calendar
from tests.booking.helpers import check, clock, grid, public_slots, slots, slug_of, starts
from tests.calendar.busy_helpers import timed
from tests.calendar.helpers import connect_staff

DAY = 3
OPEN = grid("09:00", "16:00")  # a 60-minute service between 09:00 and 17:00, every 15 minutes
# A 10:00-11:00 busy time takes every start whose hour would overlap it.
TAKEN = grid("09:15", "10:45")


def public(client, got, day, **extra):
    """The public booking page's slots (from an address of its own: public reads are counted per address)."""
    with from_address(unique_address()):
        return public_slots(client, slug_of(client, got["cal"]), got["cal"], day, **extra)


def sync_now(client, got) -> dict:
    answer = call(client, "POST", "/calendar/google/sync", {}, session=got["member"])
    assert answer.status_code == 200, answer.body
    return body(answer)


def test_a_synced_busy_time_removes_its_slots_for_customers_and_staff_and_comes_back_when_gone(client, google_twin):
    email = "blocked@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    cal, day = got["cal"], got["cal"].at(DAY, 0).date()
    assert clock(public(client, got, day)) == clock(slots(client, cal, day)) == OPEN
    event = google_twin.add_event(email, timed(cal.at(DAY, 10)))

    assert clock(public(client, got, day)) == OPEN  # not synced yet: not known
    assert sync_now(client, got)["busy_blocks"] == 1

    left = [t for t in OPEN if t not in TAKEN]
    assert clock(public(client, got, day)) == left
    assert clock(slots(client, cal, day)) == left
    verdict = check(client, cal, cal.at(DAY, 10))
    assert (verdict["bookable"], verdict["reason"]) == (False, "taken")

    google_twin.delete_event(email, event["id"])
    busy_sync.sync(UUID(got["business_id"]), UUID(got["connection_id"]))

    assert clock(public(client, got, day)) == clock(slots(client, cal, day)) == OPEN


def test_only_the_connected_staff_members_slots_are_taken(client, google_twin):
    email = "one-of-two@gmail.test"
    cal = calendar(client, staff=2)
    got = connect_staff(client, google_twin, business=cal, email=email)
    other = next(s for s in cal.staff_ids if s != got["staff_id"])
    day = cal.at(DAY, 0).date()
    google_twin.add_event(email, timed(cal.at(DAY, 10)))

    sync_now(client, got)

    by_staff = {}
    for start, staff_id in starts(public(client, got, day), with_staff=True):
        by_staff.setdefault(start[11:16], set()).add(staff_id)
    assert all(by_staff[t] == {other} for t in TAKEN)
    assert clock(slots(client, cal, day, staff_id=got["staff_id"])) == [t for t in OPEN if t not in TAKEN]
    assert clock(slots(client, cal, day, staff_id=other)) == OPEN


def test_an_all_day_event_takes_the_whole_local_day(client, google_twin):
    email = "day-off@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    cal, day = got["cal"], got["cal"].at(DAY, 0).date()
    google_twin.add_event(email, {"summary": "Off", "start": {"date": day.isoformat()},
                                  "end": {"date": (day + timedelta(days=1)).isoformat()}})

    sync_now(client, got)

    assert clock(public(client, got, day)) == clock(slots(client, cal, day)) == []
    assert clock(slots(client, cal, day + timedelta(days=1))) == OPEN


def test_an_event_marked_free_in_google_takes_nothing(client, google_twin):
    email = "free@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    cal, day = got["cal"], got["cal"].at(DAY, 0).date()
    google_twin.add_event(email, timed(cal.at(DAY, 10), transparency="transparent"))

    assert sync_now(client, got)["busy_blocks"] == 0

    assert clock(public(client, got, day)) == OPEN
