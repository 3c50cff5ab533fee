"""What the calendar tests share: a staff member connected to the Google twin through the real routes
(connect → the person clicks Allow at the twin → Google's redirect back to the callback, forwarded to
the web app's page → the page posts it as the signed-in member), and reads of the calendar tables."""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.api import Session, body, call
from tests.appointments.helpers import Calendar, add_staff, calendar
from tests.checks import error_of, rows

# The web app (tests/conftest.py's APP_BASE_URL) and its page that finishes a connect.
FINISH_PAGE = "http://127.0.0.1:5173/account/google-callback"


def consent(client: Any, member: Session) -> tuple[str, str]:
    """``GET /calendar/google/connect`` as ``member``: (Google's consent URL, the state it carries)."""
    answer = call(client, "GET", "/calendar/google/connect", session=member)
    assert answer.status_code == 200, answer.body
    url = body(answer)["url"]
    return url, parse_qs(urlsplit(url).query)["state"][0]


def callback(client: Any, **params: str) -> Any:
    """Google's redirect back to us, with ``params`` (state, code, error...) as its query."""
    return call(client, "GET", f"/calendar/google/callback?{urlencode(params)}")


def forwarded(answer: Any) -> dict[str, str]:
    """Where Google's redirect was sent on: the web app's page, with its query (state, code, error)."""
    assert answer.status_code == 302, answer.body
    location = answer.headers["Location"]
    assert location.split("?")[0] == FINISH_PAGE, location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query, keep_blank_values=True).items()}


def post_callback(client: Any, member: Session, **payload: str | None) -> Any:
    """``POST /calendar/google/callback`` as ``member``, what the web app's page sends."""
    return call(client, "POST", "/calendar/google/callback", payload, session=member)


def finish(client: Any, member: Session, **params: str) -> Any:
    """Google's redirect with ``params`` as its query, followed the way the browser does: our callback
    forwards it to the web app's page, which posts its state, code and error as the signed-in
    ``member`` (a missing state as "": the page cannot tell it from a wrong one). Answers the post's."""
    query = forwarded(callback(client, **params))
    return post_callback(client, member, state=query.get("state", ""), code=query.get("code"),
                         error=query.get("error"))


def outcome(answer: Any) -> str:
    """What a finished connect came to: ``connected`` (200, the member's status), or the refusal's
    reason (409 ``calendar_connect_failed``)."""
    if answer.status_code == 200:
        assert body(answer)["state"] == "connected", answer.body
        return "connected"
    return error_of(answer, 409, "calendar_connect_failed")["details"]["reason"]


def link_login(cal: Calendar, member: Session, staff_id: str | None = None) -> str:
    """Link ``member``'s login to a staff profile of the business (a free one of ``cal.staff_ids``, or
    a new one working for the calendar's service); answer the staff id."""
    bid = cal.business_id
    if staff_id is None:
        free = [s for s in cal.staff_ids
                if rows(bid, "SELECT user_id FROM staff WHERE id = CAST(:id AS uuid)", id=s)[0]["user_id"] is None]
        if free:
            staff_id = free[0]
        else:
            staff_id = add_staff(bid, cal.location_id, f"Staff {len(cal.staff_ids)}")
            rows(bid, "INSERT INTO service_staff (business_id, service_id, staff_id) "
                      "VALUES (CAST(:bid AS uuid), CAST(:svc AS uuid), CAST(:sid AS uuid)) RETURNING staff_id",
                 bid=bid, svc=cal.service_id, sid=staff_id)
            cal.staff_ids.append(staff_id)
    rows(bid, "UPDATE staff SET user_id = CAST(:uid AS uuid) WHERE id = CAST(:id AS uuid) RETURNING id",
         uid=member.user_id, id=staff_id)
    return staff_id


def connect_staff(client: Any, google_twin: Any, *, business: Calendar | None = None,
                  email: str = "staff@gmail.test", member: Session | None = None,
                  staff_id: str | None = None) -> dict[str, Any]:
    """A staff member whose Google Calendar is connected, the way a person does it.

    ``business``: a bookable business from ``tests.appointments.helpers.calendar`` (a location, staff
    working 09:00-17:00 every day, a service, a customer; on the trial, which includes Google Calendar
    sync); None makes one. ``member``: whose login is linked to the staff profile (default: the owner's);
    ``staff_id``: which profile (default: the first not linked yet, or a new one). ``email``: the Google
    account the person signs in to at the twin.

    Answers ``cal`` (the Calendar), ``owner`` and ``member`` (Sessions), ``business_id``, ``staff_id``,
    ``user_id``, ``connection_id``, ``headers`` (the member's), ``email``, and ``status`` (the member's
    connection as the finishing post answered it)."""
    cal = business or calendar(client)
    who = member or cal.owner
    staff_id = link_login(cal, who, staff_id)
    url, state = consent(client, who)
    code = google_twin.authorize(url, email=email)
    finished = finish(client, who, state=state, code=code)
    assert outcome(finished) == "connected"
    return {"cal": cal, "owner": cal.owner, "member": who, "business_id": cal.business_id, "staff_id": staff_id,
            "user_id": who.user_id, "connection_id": str(connection(cal.business_id, staff_id)["id"]),
            "headers": who.headers, "email": email, "status": body(finished)}


def connection(business_id: str, staff_id: str) -> dict[str, Any] | None:
    """The staff member's calendar_connections row, as stored (None: not connected)."""
    found = rows(business_id, "SELECT * FROM calendar_connections WHERE staff_id = CAST(:sid AS uuid)", sid=staff_id)
    return found[0] if found else None


def states(business_id: str) -> list[dict[str, Any]]:
    """The business's OAuth states (connects under way), oldest first."""
    return rows(business_id, "SELECT * FROM calendar_oauth_states ORDER BY created_at, state_hash")


def busy_rows(business_id: str, staff_id: str) -> list[dict[str, Any]]:
    return rows(business_id, "SELECT * FROM external_busy WHERE staff_id = CAST(:sid AS uuid) AND source = 'google' "
                             "ORDER BY busy", sid=staff_id)


def calendar_tables(business_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of the calendar tables (and the Google busy times) of one business: compare before and
    after to see nothing changed."""
    return {table: rows(business_id, f"SELECT * FROM {table} t ORDER BY t::text")
            for table in ("calendar_connections", "calendar_oauth_states", "calendar_push_channels",
                          "calendar_event_links", "external_busy")}
