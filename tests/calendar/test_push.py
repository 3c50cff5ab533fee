"""Google's push notifications (``POST /calendar/google/notifications``): a channel id and token we made
trigger a sync of that connection (the outbox event is dispatched in-process after the commit in the
local stage, so the busy time is there when the answer is); a wrong token, an unknown or expired
channel is refused with nothing enqueued and no call to Google; Google's first "sync" message asks for
nothing; a burst of notifications is one sync, and a change made once a sync has begun asks for another."""
from __future__ import annotations

from chalicelib.events import outbox
from tests.api import call, from_address, unique_address
from tests.calendar.busy_helpers import at, busy_ids, timed
from tests.calendar.helpers import connect_staff
from tests.checks import error_of, rows

TOPIC = "calendar.sync_requested"


def push(client, headers: dict[str, str]):
    """Google posting a notification (from an address of its own: pushes are counted per address)."""
    with from_address(unique_address()):
        return call(client, "POST", "/calendar/google/notifications", headers=headers, raw=b"")


def sync_requests(got) -> int:
    return len(rows(got["business_id"], "SELECT id FROM outbox WHERE topic = :topic AND aggregate_id = CAST(:id AS uuid)",
                    topic=TOPIC, id=got["connection_id"]))


def channel_of(twin, got) -> dict:
    """The connection's one push channel, as Google holds it."""
    (row,) = rows(got["business_id"], "SELECT id FROM calendar_push_channels")
    return twin.channels[str(row["id"])]


def test_connecting_opens_a_channel_whose_token_is_stored_only_as_a_hash(client, google_twin):
    got = connect_staff(client, google_twin, email="watched@gmail.test")

    channel = channel_of(google_twin, got)
    (row,) = rows(got["business_id"], "SELECT * FROM calendar_push_channels")
    assert row["resource_id"] == channel["resourceId"] and "watched@gmail.test" in channel["resourceUri"]
    assert channel["token"] not in str(row) and len(row["token_hash"]) == 64
    assert channel["address"].endswith("/calendar/google/notifications")


def test_a_push_with_the_right_token_syncs_the_calendar_before_it_answers(client, google_twin):
    email = "pushed@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    event = google_twin.add_event(email, timed(at(2, 10)))
    notification = google_twin.pushes[-1]["headers"]  # what Google sends after the change
    before = sync_requests(got)

    answer = push(client, notification)

    assert answer.status_code == 204, answer.body
    assert sync_requests(got) == before + 1
    assert busy_ids(got) == {event["id"]}


def test_a_push_with_a_wrong_token_is_refused_and_enqueues_nothing(client, google_twin):
    email = "forged@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    google_twin.add_event(email, timed(at(2, 10)))
    headers = dict(google_twin.pushes[-1]["headers"])
    before, calls = sync_requests(got), len(google_twin.calls)

    for forged in ({**headers, "X-Goog-Channel-Token": headers["X-Goog-Channel-Token"][:-1] + "x"},
                   {k: v for k, v in headers.items() if k != "X-Goog-Channel-Token"},
                   {**headers, "X-Goog-Channel-ID": "00000000-0000-4000-8000-000000000000"},
                   {**headers, "X-Goog-Channel-ID": "not-a-uuid"}):
        error_of(push(client, forged), 403, "invalid_channel")

    assert sync_requests(got) == before and len(google_twin.calls) == calls
    assert busy_ids(got) == set()


def test_an_expired_channel_is_refused(client, google_twin):
    email = "expired@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    headers = google_twin.push_headers(channel_of(google_twin, got)["id"])
    rows(got["business_id"], "UPDATE calendar_push_channels SET expires_at = now() - interval '1 second' RETURNING id")

    error_of(push(client, headers), 403, "invalid_channel")


def test_the_first_sync_message_of_a_channel_asks_for_nothing(client, google_twin):
    email = "first-message@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    before, calls = sync_requests(got), len(google_twin.calls)

    answer = push(client, google_twin.push_headers(channel_of(google_twin, got)["id"], "sync"))

    assert answer.status_code == 204, answer.body
    assert sync_requests(got) == before and len(google_twin.calls) == calls


def test_a_burst_of_notifications_is_one_sync(client, google_twin, monkeypatch):
    email = "burst@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    for hour in range(9, 14):
        google_twin.add_event(email, timed(at(2, hour)))
    burst = [dict(p["headers"]) for p in list(google_twin.pushes)[-5:]]
    before, calls = sync_requests(got), len(google_twin.calls)
    held: list = []
    monkeypatch.setattr(outbox, "dispatch", held.extend)  # the queue holds the first request a moment

    assert [push(client, headers).status_code for headers in burst] == [204] * 5
    (request,) = held
    outbox.process(request.id, request.business_id)  # the queue delivers it

    assert sync_requests(got) == before + 1
    assert len(google_twin.calls) - calls == 1  # one incremental list
    assert len(busy_ids(got)) == 5


def test_a_change_made_once_a_sync_has_begun_asks_for_another(client, google_twin):
    email = "again@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    first = google_twin.add_event(email, timed(at(2, 9)))
    assert push(client, dict(google_twin.pushes[-1]["headers"])).status_code == 204
    before = sync_requests(got)

    second = google_twin.add_event(email, timed(at(2, 11)))  # a second later: the first sync is done
    assert push(client, dict(google_twin.pushes[-1]["headers"])).status_code == 204

    assert sync_requests(got) == before + 1
    assert busy_ids(got) == {first["id"], second["id"]}


def test_a_push_is_taken_whatever_content_type_it_names(client, google_twin):
    """Google's notification has an empty body: as Google sends it ("application/json; utf-8"), as a form,
    or with none, only the headers count (Chalice answers 415 to a route's unlisted types)."""
    email = "typed@gmail.test"
    got = connect_staff(client, google_twin, email=email)
    channel = channel_of(google_twin, got)

    for content_type in ("application/json; utf-8", "application/x-www-form-urlencoded", ""):
        headers = {**google_twin.push_headers(channel["id"]), "content-type": content_type}
        assert push(client, headers).status_code == 204, content_type
