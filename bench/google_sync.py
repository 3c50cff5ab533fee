"""Busy times from Google: a full sync of a calendar holding 2,000 events, and an incremental sync of
10 changes, through the Google client and a mock transport (issue 12).

A scratch database (``booking_bench_google`` on the embedded server) holds one business on its trial
(which includes calendar sync) whose owner's login is linked to its one staff member, connected the way
a person does it: ``GET /calendar/google/connect``, Allow on the Google twin, ``GET /calendar/google/
callback`` (which forwards to the web app's page), then the page's ``POST /calendar/google/callback`` as
the owner (in process, ``chalice.test.Client``). Google is the in-process twin of ``chalicelib/
integrations/google_twin.py`` behind googleapiclient (``GOOGLE_BACKEND=twin``): every request goes
through the real client (discovery document, AuthorizedHttp, retries), and the twin answers from
memory, so the time is ours plus the twin's, with no network.

The calendar: 2,000 events over the next 60 days, as a busy person's calendar holds them: 1,700 timed
meetings of 30-90 minutes, 200 marked free (transparent), 100 all-day. Then:

- full sync: ``busy_sync.sync(..., full=True)``: every page (250 events each) listed, the busy rows
  replaced in one transaction; median of 5 runs (rows written: by the first);
- incremental sync: 10 changes made in Google (4 moved, 3 added, 3 deleted), then ``busy_sync.sync``
  with the stored sync token; median of 10 runs, each after 10 fresh changes.

It prints the Calendar API calls (HTTP requests) and milliseconds of each.

Run from the project root: ``.venv/bin/python bench/google_sync.py``.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from uuid import UUID
from zoneinfo import ZoneInfo

import fixtures

from chalicelib.system.local_schedules import stage_environment  # noqa: E402

DATABASE = "booking_bench_google"
EMAIL = "busy.person@gmail.test"
EVENTS = 2000
DAYS = 60
FULL_RUNS = 5
INCREMENTAL_RUNS = 10
CHANGES = 10


def _env() -> None:
    """The local stage's Google client and token keys, and the in-process twin, as the tests use them."""
    os.environ.update({k: v for k, v in stage_environment("local").items() if k.startswith("GOOGLE_")})
    os.environ["GOOGLE_BACKEND"] = "twin"
    fixtures.settings.cache_clear()


def connect(client: Any, business: fixtures.Business, twin: Any) -> str:
    """Link the owner to the staff member and connect their calendar; answer the connection id."""
    with fixtures.owner(business.business_id) as conn:
        conn.run("UPDATE staff SET user_id = CAST(:uid AS uuid) WHERE id = CAST(:sid AS uuid)",
                 uid=business.user_id, sid=business.staff_ids[0])
    headers = {"authorization": f"Bearer {business.access_token}"}
    answer = client.http.get("/calendar/google/connect", headers=headers)
    url = json.loads(answer.body)["url"]
    state = parse_qs(urlsplit(url).query)["state"][0]
    code = twin.authorize(url, email=EMAIL)
    answer = client.http.get(f"/calendar/google/callback?{urlencode({'state': state, 'code': code})}")
    forwarded = {k: v[0] for k, v in parse_qs(urlsplit(answer.headers.get("Location", "")).query).items()}
    # What the web app's page does with it, in the signed-in owner's browser.
    answer = client.http.post("/calendar/google/callback", headers={**headers, "content-type": "application/json"},
                              body=json.dumps({"state": forwarded.get("state", ""), "code": forwarded.get("code")}))
    if answer.status_code != 200:
        raise RuntimeError(f"the connect did not work: {answer.status_code} {answer.body!r}")
    with fixtures.owner(business.business_id) as conn:
        return str(conn.run("SELECT id FROM calendar_connections WHERE staff_id = CAST(:sid AS uuid)",
                            sid=business.staff_ids[0])[0][0])


def _timed_event(rng: random.Random, zone: ZoneInfo, **extra: Any) -> dict[str, Any]:
    day = date.today() + timedelta(days=rng.randrange(1, DAYS))
    start = datetime.combine(day, datetime.min.time(), zone) + timedelta(minutes=15 * rng.randrange(28, 80))
    end = start + timedelta(minutes=rng.choice((30, 45, 60, 90)))
    return {"summary": "Meeting", "start": {"dateTime": start.isoformat()}, "end": {"dateTime": end.isoformat()},
            **extra}


def fill(twin: Any, rng: random.Random) -> list[str]:
    """The calendar's 2,000 events; answers the ids of the timed busy ones (the ones later changed)."""
    zone = ZoneInfo(fixtures.ZONE)
    busy = [twin.add_event(EMAIL, _timed_event(rng, zone))["id"] for _ in range(1700)]
    for _ in range(200):
        twin.add_event(EMAIL, _timed_event(rng, zone, transparency="transparent"))
    for _ in range(100):
        day = date.today() + timedelta(days=rng.randrange(1, DAYS))
        twin.add_event(EMAIL, {"summary": "Away", "start": {"date": day.isoformat()},
                               "end": {"date": (day + timedelta(days=1)).isoformat()}})
    return busy


def change(twin: Any, rng: random.Random, busy: list[str]) -> None:
    """10 edits a person makes: 4 meetings moved, 3 added, 3 deleted."""
    zone = ZoneInfo(fixtures.ZONE)
    for event_id in rng.sample(busy, 4):
        moved = _timed_event(rng, zone)
        twin.update_event(EMAIL, event_id, {"start": moved["start"], "end": moved["end"]})
    for _ in range(3):
        busy.append(twin.add_event(EMAIL, _timed_event(rng, zone))["id"])
    for event_id in rng.sample(busy, 3):
        twin.delete_event(EMAIL, event_id)
        busy.remove(event_id)


def busy_rows(business: fixtures.Business) -> int:
    with fixtures.owner(business.business_id) as conn:
        return conn.run("SELECT count(*) FROM external_busy WHERE source = 'google'")[0][0]


def main() -> None:
    _env()
    fixtures.quiet_request_log()
    fixtures.use_database(DATABASE, fresh=True)
    from chalice.test import Client

    from app import app
    from chalicelib.calendar import busy_sync
    from chalicelib.integrations import google_twin

    twin = google_twin.reset()
    business = fixtures.new_business(staff=1, label="google")
    with Client(app, stage_name="local") as client:
        connection_id = connect(client, business, twin)
    rng = random.Random(12)
    busy = fill(twin, rng)
    bid, cid = UUID(business.business_id), UUID(connection_id)

    print("== google sync: busy times from a Google Calendar through googleapiclient and the in-process twin ==")
    print(fixtures.environment())
    print(f"calendar: {EVENTS:,} events over {DAYS} days (1,700 timed, 200 free, 100 all-day); "
          "Google answers 250 a page\n")
    full = []
    for _ in range(FULL_RUNS):
        started = time.perf_counter()
        result = busy_sync.sync(bid, cid, full=True)
        full.append(((time.perf_counter() - started) * 1000, result))
    rows_after_full = busy_rows(business)
    incremental = []
    for _ in range(INCREMENTAL_RUNS):
        change(twin, rng, busy)
        started = time.perf_counter()
        result = busy_sync.sync(bid, cid)
        incremental.append(((time.perf_counter() - started) * 1000, result))

    print(f"{'sync':<28} {'runs':>4} {'API calls':>9} {'median ms':>10} {'max ms':>8} {'rows written':>12} {'removed':>7}")
    for label, samples in ((f"full, {EVENTS:,} events", full), (f"incremental, {CHANGES} changes", incremental)):
        ms = [s[0] for s in samples]
        # the rows the first run wrote (later full runs find them as they are); the calls are alike
        last = samples[0][1]
        if any(s[1].full for s in samples) != label.startswith("full"):
            raise RuntimeError(f"{label}: a sync was not of the kind asked for")
        print(f"{label:<28} {len(samples):>4} {last.calls:>9} {statistics.median(ms):>10.1f} {max(ms):>8.1f} "
              f"{last.changed:>12} {last.removed:>7}")
    print(f"\nbusy rows after the full sync: {rows_after_full:,} (the free events are not busy)")
    print(f"FIGURE google full sync of {EVENTS:,} events: API calls {full[-1][1].calls}, "
          f"median {statistics.median(s[0] for s in full):.0f} ms")
    print(f"FIGURE google incremental sync of {CHANGES} changes: API calls {incremental[-1][1].calls}, "
          f"median {statistics.median(s[0] for s in incremental):.0f} ms")


if __name__ == "__main__":
    main()
