"""Who sees what: a staff-role member sees and changes only their own appointments; admins and
owners see all of the business's; another business's token finds nothing and changes nothing."""
from __future__ import annotations

import pytest

from tests.api import add_member, body, call, new_business
from tests.appointments.helpers import add_staff, appointment_rows, book, booked, calendar, started
from tests.checks import error_of, rows

NOWHERE = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def team(client, mail):
    """A business with two staff profiles, the first linked to a staff-role member; one appointment each."""
    cal = calendar(client, staff=1)
    member = add_member(client, cal.owner, mail, "staff")
    mine = add_staff(cal.business_id, cal.location_id, "Mine", user_id=member.user_id)
    rows(cal.business_id, "INSERT INTO service_staff (business_id, service_id, staff_id) "
         "VALUES (CAST(:b AS uuid), CAST(:s AS uuid), CAST(:m AS uuid)) RETURNING staff_id",
         b=cal.business_id, s=cal.service_id, m=mine)
    own = booked(client, cal, cal.at(7, 10), staff_id=mine)
    other = booked(client, cal, cal.at(7, 10), staff_id=cal.staff_ids[0])
    return cal, member, mine, own, other


def test_staff_list_only_their_own_appointments(client, team):
    cal, member, _, own, other = team
    query = f"/appointments?from={cal.at(7, 0).date()}&to={cal.at(7, 0).date()}"

    theirs = body(call(client, "GET", query, session=member))["items"]
    everyone = body(call(client, "GET", query, session=cal.owner))["items"]

    assert [a["id"] for a in theirs] == [own["id"]]
    assert {a["id"] for a in everyone} == {own["id"], other["id"]}
    error_of(call(client, "GET", f"{query}&staff_id={cal.staff_ids[0]}", session=member), 403, "not_your_calendar")


def test_staff_cannot_read_or_change_a_colleagues_appointment(client, team):
    cal, member, _, _, other = team
    before = appointment_rows(cal.business_id)

    for method, path, payload in (("GET", "", None), ("GET", "/history", None), ("PATCH", "", {"notes": "x", "version": 1}),
                                  ("POST", "/cancel", {}), ("POST", "/complete", {}),
                                  ("POST", "/reschedule", {"start_at": cal.at(8, 10).isoformat()})):
        answer = call(client, method, f"/appointments/{other['id']}{path}", payload, session=member)
        error_of(answer, 404, "not_found")

    assert appointment_rows(cal.business_id) == before


def test_staff_manage_their_own_appointments(client, team):
    cal, member, mine, own, _ = team

    moved = call(client, "POST", f"/appointments/{own['id']}/reschedule", {"start_at": cal.at(8, 11).isoformat()},
                 session=member)
    started(cal, own["id"])
    done = call(client, "POST", f"/appointments/{own['id']}/complete", {}, session=member)

    assert moved.status_code == 200 and done.status_code == 200
    assert body(done)["staff_id"] == mine


def test_staff_book_only_into_their_own_calendar(client, team):
    cal, member, mine, _, _ = team

    error_of(book(client, cal, cal.at(9, 10), staff_id=cal.staff_ids[0], session=member), 403, "not_your_calendar")
    error_of(book(client, cal, cal.at(9, 10), session=member), 403, "not_your_calendar")
    assert book(client, cal, cal.at(9, 10), staff_id=mine, session=member).status_code == 201


def test_staff_cannot_hand_their_appointment_to_a_colleague(client, team):
    cal, member, _, own, _ = team

    answer = call(client, "POST", f"/appointments/{own['id']}/reschedule",
                  {"start_at": cal.at(8, 10).isoformat(), "staff_id": cal.staff_ids[0]}, session=member)

    error_of(answer, 403, "not_your_calendar")


def test_another_business_gets_404_for_every_appointment_route_and_changes_nothing(client, team):
    cal, _, _, own, _ = team
    intruder = new_business(client)
    before = appointment_rows(cal.business_id), rows(cal.business_id, "SELECT * FROM appointment_history ORDER BY id")

    for method, path, payload in (("GET", "", None), ("GET", "/history", None),
                                  ("PATCH", "", {"notes": "mine now", "version": 1}),
                                  ("POST", "/cancel", {}), ("POST", "/confirm", {}), ("POST", "/complete", {}),
                                  ("POST", "/no-show", {}),
                                  ("POST", "/reschedule", {"start_at": cal.at(8, 10).isoformat()})):
        answer = call(client, method, f"/appointments/{own['id']}{path}", payload, session=intruder)
        error_of(answer, 404, "not_found")
    listed = call(client, "GET", f"/appointments?from={cal.at(7, 0).date()}&to={cal.at(7, 0).date()}", session=intruder)
    error_of(call(client, "GET", f"/customers/{cal.customer_id}/appointments", session=intruder), 404, "not_found")

    assert body(listed)["items"] == []
    assert (appointment_rows(cal.business_id),
            rows(cal.business_id, "SELECT * FROM appointment_history ORDER BY id")) == before


def test_another_business_cannot_book_with_this_business_ids(client, team):
    cal, _, _, _, _ = team
    intruder = new_business(client)

    foreign_service = book(client, cal, cal.at(9, 10), session=intruder)
    intruder_cal = calendar(client)
    foreign_customer = book(client, intruder_cal, intruder_cal.at(9, 10), customer_id=cal.customer_id)
    foreign_staff = book(client, intruder_cal, intruder_cal.at(9, 10), staff_id=cal.staff_ids[0])

    assert body(foreign_service)["error"]["details"]["fields"] == {"service_id": "unknown service"}
    assert body(foreign_customer)["error"]["details"]["fields"] == {"customer_id": "unknown customer"}
    error_of(foreign_staff, 409, "slot_unavailable")
    assert appointment_rows(intruder_cal.business_id) == []
    assert len(appointment_rows(cal.business_id)) == 2


def test_customer_history_lists_their_appointments_latest_first(client, team):
    cal, member, _, own, other = team
    later = booked(client, cal, cal.at(9, 10), staff_id=cal.staff_ids[0])

    everyone = body(call(client, "GET", f"/customers/{cal.customer_id}/appointments", session=cal.owner))
    theirs = body(call(client, "GET", f"/customers/{cal.customer_id}/appointments", session=member))

    assert [a["id"] for a in everyone["items"]][0] == later["id"]
    assert {a["id"] for a in everyone["items"]} == {own["id"], other["id"], later["id"]}
    assert [a["id"] for a in theirs["items"]] == [own["id"]]
    error_of(call(client, "GET", f"/customers/{NOWHERE}/appointments", session=cal.owner), 404, "not_found")


def test_another_business_cannot_book_a_series_with_this_business_ids(client, team):
    cal, _, _, _, _ = team
    intruder_cal = calendar(client)
    payload = {"service_id": intruder_cal.service_id, "customer_id": cal.customer_id, "count": 3,
               "start_at": intruder_cal.at(9, 10).isoformat()}

    foreign_customer = call(client, "POST", "/appointments/recurring", payload, session=intruder_cal.owner)
    foreign_service = call(client, "POST", "/appointments/recurring",
                           {**payload, "service_id": cal.service_id, "customer_id": intruder_cal.customer_id},
                           session=intruder_cal.owner)

    assert body(foreign_customer)["error"]["details"]["fields"] == {"customer_id": "unknown customer"}
    assert body(foreign_service)["error"]["details"]["fields"] == {"service_id": "unknown service"}
    assert appointment_rows(intruder_cal.business_id) == []
    assert len(appointment_rows(cal.business_id)) == 2


def test_staff_cancelling_the_rest_of_a_series_leave_a_colleagues_occurrences_alone(client, team):
    """A series can span calendars once an admin moves an occurrence to a colleague: the staff-role
    member's "following" reaches only their own occurrences."""
    cal, member, mine, _, _ = team
    series = body(call(client, "POST", "/appointments/recurring",
                       {"service_id": cal.service_id, "customer_id": cal.customer_id, "staff_id": mine,
                        "start_at": cal.at(14, 12).isoformat(), "count": 3}, session=cal.owner))
    first, second, third = (a["id"] for a in series["booked"])
    moved = call(client, "POST", f"/appointments/{third}/reschedule",
                 {"start_at": series["booked"][2]["start_at"], "staff_id": cal.staff_ids[0]}, session=cal.owner)
    assert moved.status_code == 200, moved.body

    answer = call(client, "POST", f"/appointments/{second}/cancel", {"scope": "following"}, session=member)

    assert answer.status_code == 200, answer.body
    assert body(answer)["cancelled"] == [second]
    status = {str(r["id"]): r["status"] for r in appointment_rows(cal.business_id)}
    assert (status[first], status[second], status[third]) == ("confirmed", "cancelled", "confirmed")
