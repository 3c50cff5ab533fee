"""What production logs hold about a customer: ids, never their name, e-mail address or phone number
(logs are kept and read far more widely than the database, and a GDPR erase never reaches them).
Every line is captured, whichever way it is written: our JSON lines on stdout, and any logger's
records."""
from __future__ import annotations

import json
import logging
import sys
import uuid

import pytest

from chalicelib.core import log
from tests.api import body, call
from tests.appointments.helpers import calendar
from tests.booking.conftest import address_counts_cleared  # noqa: F401 - the public routes' counts, shared
from tests.booking.helpers import booked_online, booking_body, manage, slug_of
from tests.checks import rows


@pytest.fixture
def everything_logged(capfd, caplog):
    """Every log line written from now on: stdout and stderr (where the JSON lines go) and every
    logger's records at any level."""
    caplog.set_level(logging.DEBUG)
    capfd.readouterr()

    def read() -> str:
        out, err = capfd.readouterr()
        return "\n".join([out, err, *(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)])

    return read


def _person() -> dict[str, str]:
    tag = uuid.uuid4().hex[:8]
    return {"name": f"Quentin Privatename{tag}", "email": f"quentin.{tag}@privacy-{tag}.example",
            "phone": "+44 7700 900987"}


def _traces_of(person: dict[str, str]) -> list[str]:
    local, _, domain = person["email"].partition("@")
    return [person["name"], person["name"].split()[1], person["email"], local, domain, f"{local[:1]}***@",
            "447700900987", "7700 900987", "7700900987"]


def test_a_booking_a_move_and_cancellations_log_no_name_email_or_phone(client, mail, everything_logged):
    cal = calendar(client)
    rows(cal.business_id, "UPDATE staff SET email = :email WHERE id = CAST(:id AS uuid) RETURNING id",
         email=f"stylist-{uuid.uuid4().hex[:8]}@example.com", id=cal.staff_ids[0])
    person = _person()
    everything_logged()

    payload = booking_body(cal, cal.at(3, 10), notes="ring the bell")
    payload["customer"] = dict(person)
    answer = booked_online(client, slug_of(client, cal), payload)
    token, customer_id = answer["manage_token"], answer["appointment"]["customer_id"]
    moved = manage(client, token, "reschedule", {"start_at": cal.at(3, 12).isoformat()})
    assert moved.status_code == 200, moved.body
    by_staff = call(client, "POST", "/appointments", {"service_id": cal.service_id, "customer_id": customer_id,
                                                      "start_at": cal.at(4, 10).isoformat()}, session=cal.owner)
    assert by_staff.status_code == 201, by_staff.body
    cancelled = call(client, "POST", f"/appointments/{body(by_staff)['id']}/cancel", {"reason": "ill"},
                     session=cal.owner)
    assert cancelled.status_code == 200, cancelled.body
    assert manage(client, token, "cancel", {}).status_code == 200

    logged = everything_logged()
    # The messages did go out (so their sending was logged), to the customer and the staff member.
    assert len(mail.sent_to(person["email"])) == 5
    assert '"event":"mail.written"' in logged
    assert [trace for trace in _traces_of(person) if trace in logged] == []


def test_free_text_in_a_line_loses_addresses_and_phone_numbers(capfd):
    capfd.readouterr()

    log.emit("notification.failed", outbox_id="x", error="MessageRejected: Email address is not verified. The "
             "following identities failed the check in region EU-WEST-1: jane.doe@example.com (+44 7700 900123)")

    [line] = [json.loads(text) for text in capfd.readouterr().out.splitlines() if text.startswith("{")]
    assert line["error"] == ("MessageRejected: Email address is not verified. The following identities failed the "
                             "check in region EU-WEST-1: [address] ([number])")
    assert line["outbox_id"] == "x"


def test_the_application_logs_tracebacks_lose_addresses_and_phone_numbers():
    from app import app

    try:
        raise ValueError("duplicate key value: (business_id, email)=(x, jane.doe@example.com), +44 7700 900123")
    except ValueError:
        record = app.log.makeRecord(app.log.name, logging.ERROR, __file__, 1, "Caught exception for path %s",
                                    ("/customers",), sys.exc_info())

    assert app.log.handlers
    for handler in app.log.handlers:
        assert handler.filter(record)
        text = handler.format(record)
        assert "Caught exception for path /customers" in text and "ValueError: duplicate key value" in text
        assert "jane.doe" not in text and "7700 900123" not in text and "[address]" in text
