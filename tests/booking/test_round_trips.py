"""SQL round trips (statements sent to PostgreSQL; each costs about a millisecond through RDS Proxy)
of the public booking path and the staff booking, as in AWS (committed events go to the queue, no
worker runs in the request): a public booking by a new customer at most 8, a public page's slots
at most 4, a member's booking at most 6. bench/booking.py prints the same figures with each
statement."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from tests.appointments.helpers import book, calendar
from tests.booking.helpers import book_online, booking_body, public_slots, queued, slug_of

DAY = 3


def _counted(sent: list[str], request: Callable[[], Any], status: int) -> list[str]:
    before = len(sent)
    with queued():
        response = request()
    assert response.status_code == status, response.body
    return [statement.strip().splitlines()[0] for statement in sent[before:]]


def test_a_public_booking_by_a_new_customer_takes_at_most_8_round_trips(client, sql_statements):
    cal = calendar(client)
    slug = slug_of(client, cal)

    statements = _counted(sql_statements, lambda: book_online(client, slug, booking_body(cal, cal.at(DAY, 10))), 201)

    assert len(statements) <= 8, statements


def test_a_public_pages_slots_take_at_most_4_round_trips(client, sql_statements):
    cal = calendar(client)
    slug = slug_of(client, cal)

    statements = _counted(sql_statements, lambda: public_slots(client, slug, cal, cal.at(DAY, 0).date()), 200)

    assert len(statements) <= 4, statements


def test_a_members_booking_takes_at_most_6_round_trips(client, sql_statements):
    cal = calendar(client)

    statements = _counted(sql_statements, lambda: book(client, cal, cal.at(DAY, 10),
                                                        staff_id=cal.staff_ids[0]), 201)

    assert len(statements) <= 6, statements


def test_a_public_booking_with_an_idempotency_key_takes_at_most_9_round_trips(client, sql_statements):
    # The key is claimed in the booking's first statement; its answer is one more before the COMMIT.
    cal = calendar(client)
    slug = slug_of(client, cal)

    statements = _counted(sql_statements, lambda: book_online(client, slug, booking_body(cal, cal.at(DAY, 10)),
                                                              key=str(uuid.uuid4())), 201)

    assert len(statements) <= 9, statements
