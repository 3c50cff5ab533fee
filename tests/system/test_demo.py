"""The demo business `make run` loads: what a newcomer sees through the API as its owner, and that
loading it again changes nothing."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from chalicelib.system import demo
from tests.api import Session, body, call, login, session_from
from tests.checks import rows

LONDON = ZoneInfo("Europe/London")
COUNTS = """SELECT (SELECT count(*) FROM locations) AS locations, (SELECT count(*) FROM services) AS services,
       (SELECT count(*) FROM staff) AS staff, (SELECT count(*) FROM staff_hours) AS hours,
       (SELECT count(*) FROM time_off) AS time_off, (SELECT count(*) FROM customers) AS customers,
       (SELECT count(*) FROM customer_consents) AS consents, (SELECT count(*) FROM appointments) AS appointments,
       (SELECT count(*) FROM appointment_history) AS history, (SELECT count(*) FROM outbox) AS outbox"""


@pytest.fixture(scope="module")
def owner_session(client) -> Session:
    """The demo owner, signed in (the demo is loaded once per test database; a second load is a no-op)."""
    demo.load()
    response = login(client, demo.OWNER_EMAIL, demo.PASSWORD)
    assert response.status_code == 200, response.body
    return session_from(body(response), demo.OWNER_EMAIL, demo.PASSWORD)


def every(client: Any, session: Session, path: str, **query: Any) -> list[dict[str, Any]]:
    """All items of a paginated list, following its cursors."""
    items, cursor = [], None
    while True:
        params = {**query, "limit": 200, **({"cursor": cursor} if cursor else {})}
        response = call(client, "GET", f"{path}?{urlencode(params)}", session=session)
        assert response.status_code == 200, response.body
        answer = body(response)
        items += answer["items"]
        cursor = answer["next_cursor"]
        if not cursor:
            return items


def get(client: Any, session: Session, path: str) -> Any:
    response = call(client, "GET", path, session=session)
    assert response.status_code == 200, response.body
    return body(response)


def today() -> date:
    return datetime.now(LONDON).date()


def test_demo_has_two_locations_six_services_with_one_group_class_and_four_staff(client, owner_session):
    places = every(client, owner_session, "/locations")
    assert sorted(p["name"] for p in places) == ["Shoreditch", "Soho"]
    assert all(p["time_zone"] == "Europe/London" and p["opening_hours"] for p in places)

    offered = every(client, owner_session, "/services")
    assert len(offered) == 6
    assert [s["name"] for s in offered if s["capacity"] > 1] == ["Hair styling workshop"]
    assert [s["name"] for s in offered if s["requires_confirmation"]] == ["Colour consultation"]
    assert all(s["staff"] for s in offered)

    team = every(client, owner_session, "/staff")
    assert len(team) == 4
    assert [p["name"] for p in team if p["user_id"] == owner_session.user_id] == ["Dana Demo"]
    assert [p["name"] for p in team if len(p["location_ids"]) == 2] == ["Jonas Weber"]
    policy = get(client, owner_session, "/business")["booking_policy"]
    assert {k: policy[k] for k in demo.POLICY} == demo.POLICY


def test_demo_staff_have_weekly_hours_with_breaks_an_override_and_time_off(client, owner_session):
    team = every(client, owner_session, "/staff")
    schedules = {p["name"]: get(client, owner_session, f"/staff/{p['id']}/schedule") for p in team}
    assert all(s["weekly"] for s in schedules.values())
    assert any(block["breaks"] for s in schedules.values() for block in s["weekly"])
    assert sum(len(s["overrides"]) for s in schedules.values()) >= 2
    upcoming_off = {p["name"]: every(client, owner_session, f"/staff/{p['id']}/time-off") for p in team}
    off = {name: entries for name, entries in upcoming_off.items() if entries}
    assert len(off) >= 2
    assert {e["all_day"] for entries in off.values() for e in entries} == {True, False}


def test_demo_has_fifty_customers_with_contacts_tags_and_some_marketing_consent(client, owner_session):
    people = every(client, owner_session, "/customers")
    assert len(people) >= 45
    assert sum(p["email"] is not None for p in people) >= 40
    assert sum(p["phone"] is not None for p in people) >= 40
    assert any(p["tags"] for p in people)
    assert 0 < sum(p["marketing_opt_in"] for p in people) < len(people)


def test_demo_calendar_shows_the_past_fortnight_and_the_weeks_ahead(client, owner_session):
    booked = every(client, owner_session, "/appointments", **{"from": (today() - timedelta(days=14)).isoformat(),
                                                                "to": (today() + timedelta(days=21)).isoformat()})
    now = datetime.now(timezone.utc)
    past = [a for a in booked if datetime.fromisoformat(a["start_at"]) < now]
    ahead = [a for a in booked if datetime.fromisoformat(a["start_at"]) >= now]
    assert len(past) >= 50 and len(ahead) >= 30
    assert {"completed", "no_show", "cancelled"} <= {a["status"] for a in past}
    assert {"confirmed", "pending"} <= {a["status"] for a in ahead}
    assert not {"completed", "no_show"} & {a["status"] for a in ahead}

    workshop = next(s for s in every(client, owner_session, "/services") if s["capacity"] > 1)
    seats: dict[str, int] = {}
    for a in booked:
        if a["service_id"] == workshop["id"] and a["status"] != "cancelled":
            seats[a["start_at"]] = seats.get(a["start_at"], 0) + 1
    assert max(seats.values()) > 1
    assert any(datetime.fromisoformat(start) >= now for start in seats)

    history = get(client, owner_session, f"/appointments/{past[0]['id']}/history")["items"]
    assert history[0]["action"] == "created"


def test_demo_has_free_slots_next_week(client, owner_session):
    haircut = next(s for s in every(client, owner_session, "/services") if s["name"] == "Haircut")
    monday = today() + timedelta(days=7 - today().weekday())
    query = urlencode({"service_id": haircut["id"], "from": monday.isoformat(),
                       "to": (monday + timedelta(days=6)).isoformat()})
    assert get(client, owner_session, f"/availability?{query}")["slots"]


def test_loading_the_demo_again_answers_false_and_changes_nothing(owner_session):
    before = rows(owner_session.business_id, COUNTS)
    assert demo.load() is False
    assert rows(owner_session.business_id, COUNTS) == before
    assert demo.counts()["customers"] == before[0]["customers"]
