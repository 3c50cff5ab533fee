"""Another business's token never reaches this business's calendar connections: a foreign staff member is
as unknown as a made-up one (404) on every route that names one, a connect started in another business
is as unknown as a made-up state (409 ``invalid_state``) and stays unused, nothing changes here or at
Google, and the status lists only the caller's own business."""
from __future__ import annotations

import pytest

from tests.api import add_member, body, call
from tests.calendar.helpers import calendar_tables, connect_staff, consent, outcome, post_callback, states

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def two_businesses(client, mail, google_twin):
    """Business A with a connected staff member; business B with a connected staff member of its own
    (so B's requests would succeed for B's own), an owner and an admin."""
    a = connect_staff(client, google_twin, email="a@gmail.test")
    b = connect_staff(client, google_twin, email="b@gmail.test")
    b_admin = add_member(client, b["owner"], mail, "admin")
    return a, b, b_admin


def test_every_calendar_route_naming_a_staff_member_is_a_404_for_another_businesss(client, google_twin,
                                                                                  two_businesses):
    a, b, b_admin = two_businesses
    sid = a["staff_id"]
    attempts = [
        ("POST", "/calendar/google/sync", {"staff_id": sid}),
        ("DELETE", f"/calendar/google?staff_id={sid}", None),
    ]
    a_before, b_before = calendar_tables(a["business_id"]), calendar_tables(b["business_id"])
    google_twin.calls.clear()

    for intruder in (b["owner"], b_admin, b["member"]):
        for method, path, payload in attempts:
            answer = call(client, method, path, payload, session=intruder)
            assert answer.status_code == 404, (method, path, answer.body)
            assert body(answer)["error"]["code"] == "not_found"

    assert google_twin.calls == []  # nothing stopped, revoked or synced at Google
    assert calendar_tables(a["business_id"]) == a_before
    assert calendar_tables(b["business_id"]) == b_before


def test_a_foreign_staff_member_gets_the_same_answer_as_an_unknown_one(client, two_businesses):
    a, b, _ = two_businesses

    for method, path, payload in (("POST", "/calendar/google/sync", {"staff_id": "{sid}"}),
                                  ("DELETE", "/calendar/google?staff_id={sid}", None)):
        foreign = call(client, method, path.format(sid=a["staff_id"]),
                       {"staff_id": a["staff_id"]} if payload else None, session=b["owner"])
        unknown = call(client, method, path.format(sid=UNKNOWN_ID),
                       {"staff_id": UNKNOWN_ID} if payload else None, session=b["owner"])
        assert foreign.status_code == unknown.status_code == 404
        assert body(foreign)["error"] == body(unknown)["error"]


def test_each_business_sees_only_its_own_connections(client, two_businesses):
    a, b, b_admin = two_businesses

    for session, own in ((b["owner"], b), (b_admin, b), (a["owner"], a)):
        items = body(call(client, "GET", "/calendar/status", session=session))["items"]
        assert {i["staff_id"] for i in items} == set(own["cal"].staff_ids)
        assert {i["google_email"] for i in items if i["state"] == "connected"} == {own["email"]}


def test_a_connect_always_goes_to_the_callers_own_business(client, google_twin, two_businesses):
    """The consent URL of a member of B connects B's staff profile, whoever's browser finishes it."""
    a, b, _ = two_businesses
    a_before = calendar_tables(a["business_id"])

    again = connect_staff(client, google_twin, business=b["cal"], staff_id=b["staff_id"], email="b2@gmail.test")

    assert again["business_id"] == b["business_id"] and again["connection_id"] == b["connection_id"]
    assert calendar_tables(a["business_id"]) == a_before


def test_a_connect_started_in_another_business_cannot_be_finished_by_any_of_its_members(client, google_twin,
                                                                                     two_businesses):
    """A's member starts a reconnect; B's owner, admin and staff member each post A's state with a code
    from their own Google account: refused exactly like a made-up state, and A's state stays A's."""
    a, b, b_admin = two_businesses
    url, state = consent(client, a["member"])
    a_before, b_before = calendar_tables(a["business_id"]), calendar_tables(b["business_id"])
    codes = [google_twin.authorize(url, email=f"intruder{i}@gmail.test") for i in range(3)]
    google_twin.calls.clear()

    for intruder, code in zip((b["owner"], b_admin, b["member"]), codes):
        foreign = post_callback(client, intruder, state=state, code=code)
        unknown = post_callback(client, intruder, state="made-up-" + state[8:], code=code)
        assert outcome(foreign) == outcome(unknown) == "invalid_state"
        assert body(foreign)["error"] == body(unknown)["error"]

    assert google_twin.calls == []  # no code traded
    assert calendar_tables(a["business_id"]) == a_before
    assert calendar_tables(b["business_id"]) == b_before
    assert [s["used_at"] for s in states(a["business_id"])] == [None]
    finished = post_callback(client, a["member"], state=state, code=google_twin.authorize(url, email="a@gmail.test"))
    assert outcome(finished) == "connected" and body(finished)["staff_id"] == a["staff_id"]
