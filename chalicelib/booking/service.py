"""The public booking pages: what a customer without an account sees and does. A business is
found by its slug; a booking by its manage link. Every call is rate-limited per client address.

A page (profile, slots, booking) is one transaction whose first statement finds the business by
its slug, makes it the tenant and counts the request (``db.Page``): a refusal rolls back with it
and stores nothing. A booking counts against its business's budget of online bookings in its insert
(``appointments.ONLINE_BOOKINGS_PER_HOUR``), so only a booking made counts; a booking that fails counts
against its sender's address alone, after the fact (with an Idempotency-Key: see ``book``).

Owns no table: it composes the business, catalogue, availability and appointments services.
"""
from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from chalicelib.appointments import service as appointments
from chalicelib.appointments.service import Booking, CustomerDetails
from chalicelib.availability import service as availability
from chalicelib.business import service as business
from chalicelib.core import db, idempotency, rate_limit
from chalicelib.core.db import Tx
from chalicelib.core.errors import AppError, NotFound, RateLimited
from chalicelib.core.http import json_response
from chalicelib.core.settings import settings
from chalicelib.locations import service as locations
from chalicelib.services import service as services
from chalicelib.staff import service as staff

if TYPE_CHECKING:
    from chalice import Response

# Customers' Idempotency-Keys live apart from every member's.
PUBLIC_KEY_SCOPE = "public"
_LOCATION_SHOWN = ("id", "name", "address", "phone", "time_zone", "opening_hours")
_POLICY_SHOWN = ("slot_interval_min", "min_notice_min", "max_advance_days", "cancel_cutoff_min",
                 "reschedule_cutoff_min", "auto_confirm")


def _read(client: str) -> None:
    rate_limit.hit((rate_limit.PUBLIC_READS_PER_ADDRESS, client))


def _page_read(slug: str, client: str) -> db.Page:
    """A page read, counted per address in its transaction. An unknown slug is answered after that
    transaction commits, so a flood at unknown slugs is counted too."""
    return db.Page(slug, rate_limit.counting((rate_limit.PUBLIC_READS_PER_ADDRESS, client)))


def profile(slug: str, *, client: str) -> dict[str, Any]:
    """The page's business, with what can be booked, by whom, where, and under which policy."""
    with db.transaction(page=_page_read(slug, client)) as tx:
        found = business.get(tx, tx.business_id) if tx.business_id else None
        listed = (services.public_list(tx), staff.public_list(tx), locations.public_list(tx)) if found else None
    if found is None or listed is None:
        raise NotFound("business")
    offered, people, places = listed
    bookable = {person["id"] for person in people}
    for item in offered:
        item["staff"] = [p for p in item["staff"] if p["staff_id"] in bookable]
    return {
        "business": {
            "id": found["id"], "name": found["name"], "slug": found["slug"], "time_zone": found["time_zone"],
            "currency": found["currency"], "locale": found["locale"], "logo_key": found["logo_key"],
            "contact": found["contact"],
            "booking_policy": {k: found["booking_policy"][k] for k in _POLICY_SHOWN},
        },
        "services": offered,
        "staff": people,
        "locations": [{k: place[k] for k in _LOCATION_SHOWN} for place in places],
    }


def slots(slug: str, *, client: str, service_id: UUID, staff_id: UUID | None, location_id: UUID | None,
          start_date: date, end_date: date, tz: str | None) -> dict[str, Any]:
    return availability.find(None, service_id=service_id, staff_id=staff_id, location_id=location_id,
                             start_date=start_date, end_date=end_date, tz=tz, public=True,
                             page=_page_read(slug, client))


def manage_url(token: str) -> str:
    return f"{settings().app_base_url}/manage-booking?token={token}"


def _booked_answer(result: dict[str, Any]) -> dict[str, Any]:
    token = result["manage_token"]
    return {**result, "manage_url": manage_url(token)}


def _without_token(body: str) -> str:
    answer = json.loads(body)
    answer.pop("manage_token", None)
    answer.pop("manage_url", None)
    return json.dumps(answer)


def _with_new_token(tx: Tx, body: str) -> str:
    """A replayed booking answer gets a fresh manage link: the first one was never stored in clear."""
    answer = json.loads(body)
    assert tx.business_id is not None  # the key was found in this business's scope
    token = appointments.add_link(tx, tx.business_id, UUID(answer["appointment"]["id"]))
    return json.dumps(_booked_answer({**answer, "manage_token": token}))


def book(slug: str, booking: Booking, customer: CustomerDetails, *, client: str, idempotency_key: str | None,
         request_hash: str) -> Response:
    """Book as a customer: 201 with the appointment and its manage link. The same
    ``Idempotency-Key`` with the same body answers the same booking again (with a new link).

    Counted per address in the booking's transaction, and against the business's budget by the
    booking's insert (so only a booking made counts against the business, and no booking waits for
    another's transaction on a shared counter); a refused or failed booking counts against its
    sender's address alone. With a key, the key is claimed in the booking's first statement too, and
    every attempt (a replay too: it makes a new manage link) counts once against its sender's address
    (see ``idempotency.run_on_page``); a sender over the limit is refused there, storing nothing."""
    page = db.Page(slug, rate_limit.counting((rate_limit.BOOKINGS_PER_ADDRESS, client)))

    def produce(page: db.Page) -> Response:
        return json_response(_booked_answer(appointments.book_online(page, booking, customer)), 201)

    try:
        if idempotency_key is None:
            return _failures_counted(client, lambda: produce(page))
        return idempotency.run_on_page(page, PUBLIC_KEY_SCOPE, idempotency_key, request_hash, produce,
                                       redact=_without_token, restore=_with_new_token)
    except appointments.BudgetSpent:
        # Refused at the insert, after the work, its count rolled back with it: a business whose
        # budget is spent must not become a place where attempts cost their sender nothing.
        _count_failure(client)
        raise


def _failures_counted(client: str, attempt: Callable[[], Response]) -> Response:
    """``attempt``'s answer; a refusal of the sender's (4xx, raised or a remembered answer) counts
    one hit against their address (its own transaction: the attempt's rolled back). A 429 was
    refused by a limit, and counted nothing; a 5xx is not the sender's doing."""
    try:
        response = attempt()
    except RateLimited:
        raise
    except AppError as e:
        if e.status < 500:
            _count_failure(client)
        raise
    if 400 <= response.status_code < 500 and response.status_code != 429:
        _count_failure(client)
    return response


def _count_failure(client: str) -> None:
    # Over the limit already: the next request from there is refused anyway.
    with contextlib.suppress(RateLimited):
        rate_limit.hit((rate_limit.BOOKINGS_PER_ADDRESS, client))


def managed(token: str, *, client: str) -> dict[str, Any]:
    """The booking behind a manage link, what it is for and what the customer may still do."""
    _read(client)
    business_id = appointments.link_business(token)
    with db.tenant_tx(business_id) as tx:
        row = appointments.linked(tx, token)
        owner = business.get(tx, business_id)
        offered = services.get(tx, row["service_id"])
        person = staff.get(tx, row["staff_id"])
        place = locations.get(tx, row["location_id"])
    assert owner is not None  # the link's row exists, so its business does
    return {**appointments.link_view(row, owner["booking_policy"]), "business_id": str(business_id),
            "business": {k: owner[k] for k in ("name", "slug", "time_zone", "contact")},
            "service": {"id": str(row["service_id"]), "name": offered["name"] if offered else None},
            "staff": {"id": str(row["staff_id"]), "name": person["name"] if person else None},
            "location": {"id": str(row["location_id"]), "name": place["name"] if place else None,
                         "address": place["address"] if place else None,
                         "time_zone": place["time_zone"] if place else None}}


def move_slots(token: str, *, client: str, start_date: date, end_date: date, tz: str | None) -> dict[str, Any]:
    """Times the booking behind a manage link could move to: same service, staff member and place,
    its own current time not standing in the way."""
    _read(client)
    business_id = appointments.link_business(token)
    with db.tenant_tx(business_id) as tx:
        row = appointments.linked(tx, token)
    return availability.find(business_id, service_id=row["service_id"], staff_id=row["staff_id"],
                             location_id=row["location_id"], start_date=start_date, end_date=end_date, tz=tz,
                             public=True, exclude_appointment=row["id"])


def cancel(token: str, *, client: str, reason: str | None) -> dict[str, Any]:
    rate_limit.hit((rate_limit.MANAGE_ACTIONS_PER_ADDRESS, client))
    return {"appointment": appointments.cancel_by_link(token, reason=reason)}


def reschedule(token: str, *, client: str, start_at: datetime) -> dict[str, Any]:
    rate_limit.hit((rate_limit.MANAGE_ACTIONS_PER_ADDRESS, client))
    return {"appointment": appointments.reschedule_by_link(token, start_at=start_at)}
