"""What the public booking tests (and the availability route tests) share: named calls to the slot
routes and the public pages, a booking body a customer would send, and reads of the rows a booking
leaves behind. Calendars come from tests/appointments/helpers.py."""
from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from chalice.local import LambdaEventConverter

from chalicelib.core import rate_limit
from chalicelib.core.migrations import owner_connection
from chalicelib.core.settings import settings
from chalicelib.integrations import aws
from chalicelib.integrations import queue as queues
from tests.api import Session, body, call
from tests.appointments.helpers import Calendar
from tests.checks import rows

__all__ = ["ADDRESS", "add_location", "book_online", "booked_online", "booking_body", "check", "clear_address_counts",
           "clock", "customer_email", "grid", "manage", "next_slot", "patch_policy", "public_slots", "queued",
           "silent_queue", "slots", "slug_of", "starts", "stored", "write"]

# The address every test-client request comes from, as rate_limit.client_address reads it.
ADDRESS = LambdaEventConverter.LOCAL_SOURCE_IP
_ADDRESS_LIMITS = (rate_limit.PUBLIC_READS_PER_ADDRESS, rate_limit.BOOKINGS_PER_ADDRESS,
                   rate_limit.MANAGE_ACTIONS_PER_ADDRESS)


def clear_address_counts() -> None:
    """Forget every per-address count of the test client's address."""
    with closing(owner_connection()) as conn:
        conn.run("DELETE FROM rate_limit_hits WHERE bucket = ANY(CAST(:buckets AS text[]))",
                 buckets=[rate_limit.bucket(limit, ADDRESS) for limit in _ADDRESS_LIMITS])


# --- the slot routes -----------------------------------------------------------------------------

def _query(cal: Calendar, day: date, last: date | None = None, **extra: Any) -> str:
    params = {"service_id": cal.service_id, "from": day.isoformat(), "to": (last or day).isoformat(), **extra}
    return urlencode({name: value for name, value in params.items() if value is not None})


def slots(client: Any, cal: Calendar, day: date, last: date | None = None, *, session: Session | None = None,
          **extra: Any) -> Any:
    """GET /availability for one local date (or ``day``..``last``)."""
    return call(client, "GET", f"/availability?{_query(cal, day, last, **extra)}", session=session or cal.owner)


def public_slots(client: Any, slug: str, cal: Calendar, day: date, last: date | None = None, **extra: Any) -> Any:
    return call(client, "GET", f"/public/{slug}/availability?{_query(cal, day, last, **extra)}")


def next_slot(client: Any, cal: Calendar, *, session: Session | None = None, **extra: Any) -> Any:
    params = urlencode({"service_id": cal.service_id, **extra})
    return call(client, "GET", f"/availability/next?{params}", session=session or cal.owner)


def check(client: Any, cal: Calendar, start: datetime | str, *, session: Session | None = None,
          **extra: Any) -> dict[str, Any]:
    """POST /availability/check, answered 200 (the verdict)."""
    payload = {"service_id": cal.service_id, "start_at": start if isinstance(start, str) else start.isoformat(),
               **extra}
    response = call(client, "POST", "/availability/check", payload, session=session or cal.owner)
    assert response.status_code == 200, response.body
    return body(response)


def starts(response: Any, *, with_staff: bool = False) -> list[Any]:
    """The slots' start times as sent (and their staff ids), after checking the answer is a 200."""
    assert response.status_code == 200, response.body
    found = body(response)["slots"]
    return [(s["start_at"], s["staff_id"]) if with_staff else s["start_at"] for s in found]


def clock(response: Any) -> list[str]:
    """The slots' local wall-clock times, HH:MM, as the answer wrote them."""
    return [start[11:16] for start in starts(response)]


def grid(first: str, last: str, step: int = 15) -> list[str]:
    """Wall-clock times HH:MM from ``first`` to ``last`` inclusive, ``step`` minutes apart."""
    start, end = (datetime.fromisoformat(f"2000-01-01T{t}") for t in (first, last))
    count = (end - start) // timedelta(minutes=step) + 1
    return [(start + timedelta(minutes=step * k)).strftime("%H:%M") for k in range(count)]


def write(cal: Calendar, sql: str, **params: Any) -> None:
    """A statement of the test's own set-up (``:bid`` is the business), as the schema owner inside the
    business's tenant scope."""
    with closing(owner_connection()) as conn:
        conn.run("SELECT set_config('app.business_id', :bid, false)", bid=cal.business_id)
        conn.run(sql, bid=cal.business_id, **params)


def add_location(cal: Calendar, name: str, zone: str) -> str:
    found = rows(cal.business_id, "INSERT INTO locations (business_id, name, time_zone) "
                 "VALUES (CAST(:bid AS uuid), :name, :tz) RETURNING id", bid=cal.business_id, name=name, tz=zone)
    return str(found[0]["id"])


def patch_policy(client: Any, cal: Calendar, **policy: Any) -> None:
    response = call(client, "PATCH", "/business", {"booking_policy": policy}, session=cal.owner)
    assert response.status_code == 200, response.body


# --- the public pages ----------------------------------------------------------------------------

def slug_of(client: Any, cal: Calendar) -> str:
    response = call(client, "GET", "/business", session=cal.owner)
    assert response.status_code == 200, response.body
    return body(response)["slug"]


def customer_email() -> str:
    return f"pat-{uuid.uuid4().hex[:10]}@example.com"


def booking_body(cal: Calendar, start: datetime, **changes: Any) -> dict[str, Any]:
    """What the booking page sends: a new customer accepting the terms, no marketing."""
    payload: dict[str, Any] = {
        "service_id": cal.service_id, "start_at": start.isoformat(),
        "customer": {"name": "Pat Customer", "email": customer_email()},
        "consent": {"terms": True},
    }
    return {**payload, **changes}


def book_online(client: Any, slug: str, payload: dict[str, Any], *, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else None
    return call(client, "POST", f"/public/{slug}/bookings", payload, headers=headers)


def booked_online(client: Any, slug: str, payload: dict[str, Any]) -> dict[str, Any]:
    response = book_online(client, slug, payload)
    assert response.status_code == 201, response.body
    return body(response)


def manage(client: Any, token: str, action: str | None = None, payload: dict[str, Any] | None = None) -> Any:
    """GET the manage link, or POST one of its actions (cancel, reschedule)."""
    if action is None:
        return call(client, "GET", f"/public/bookings/{token}")
    return call(client, "POST", f"/public/bookings/{token}/{action}", payload or {})


# --- what a booking leaves behind ----------------------------------------------------------------

_COUNTS = """SELECT (SELECT count(*) FROM appointments) AS appointments, (SELECT count(*) FROM customers) AS customers,
       (SELECT count(*) FROM customer_consents) AS consents, (SELECT count(*) FROM booking_links) AS links,
       (SELECT count(*) FROM outbox) AS events, (SELECT count(*) FROM appointment_history) AS history"""


def stored(business_id: str) -> dict[str, int]:
    """How many rows of each kind a business has: what a refused request must leave unchanged."""
    return rows(business_id, _COUNTS)[0]


# --- the notification queue -------------------------------------------------------------------------

@contextmanager
def _queue_settings(environ: dict[str, str]) -> Iterator[None]:
    """The app sends committed events to an SQS queue (``NOTIFICATIONS_QUEUE`` set) meanwhile, as in AWS,
    instead of running the worker inside the request as the local stage does."""
    before = {name: os.environ.get(name) for name in environ}
    os.environ.update(environ)
    aws.reset()
    queues.url.cache_clear()
    settings.cache_clear()
    settings()  # read now: the test client lays the local stage's variables over the environment meanwhile
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        aws.reset()
        queues.url.cache_clear()
        settings.cache_clear()


@contextmanager
def queued() -> Iterator[None]:
    """Committed events go to an SQS FIFO queue (moto's) meanwhile."""
    name = f"notify-{uuid.uuid4().hex[:12]}.fifo"
    aws.client("sqs").create_queue(QueueName=name, Attributes={"FifoQueue": "true"})
    with _queue_settings({"NOTIFICATIONS_QUEUE": name}):
        yield


@contextmanager
def silent_queue(when_called: Callable[[], Any] = lambda: None) -> Iterator[list[Any]]:
    """The app sends to an SQS queue whose endpoint takes connections and never answers, as a queue
    behind a broken network does. Yields what ``when_called`` answered each time a call reached it (it
    runs then, while the request waits on the queue)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    seen: list[Any] = []
    held: list[socket.socket] = []
    over = threading.Event()

    def serve() -> None:
        while not over.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            held.append(conn)  # kept open, never answered
            seen.append(when_called())

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    try:
        with _queue_settings({"NOTIFICATIONS_QUEUE": "notifications.fifo",
                              "AWS_ENDPOINT_URL_SQS": f"http://127.0.0.1:{listener.getsockname()[1]}"}):
            yield seen
    finally:
        over.set()
        server.join()
        listener.close()
        for conn in held:
            conn.close()
