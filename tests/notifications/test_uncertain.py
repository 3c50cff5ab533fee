"""A send whose answer was lost may have gone out: it is logged uncertain and never sent again."""
from __future__ import annotations

import uuid

from botocore.exceptions import ReadTimeoutError

from chalicelib.events import outbox
from chalicelib.integrations import aws
from tests.appointments.helpers import booked, calendar
from tests.checks import rows


def test_an_email_whose_answer_timed_out_is_uncertain_and_not_sent_again(client, mail, monkeypatch):
    cal = calendar(client)
    monkeypatch.setenv("EMAIL_BACKEND", "ses")
    from chalicelib.core.settings import settings

    settings.cache_clear()
    settings()
    ses = aws.client("sesv2")
    calls: list[str] = []

    def lost_answer(**kwargs):
        calls.append(kwargs["Destination"]["ToAddresses"][0])
        raise ReadTimeoutError(endpoint_url="https://email.eu-west-1.amazonaws.com")

    monkeypatch.setattr(ses, "send_email", lost_answer)
    try:
        appointment = booked(client, cal, cal.at(3, 10))
        row = rows(cal.business_id, "SELECT id FROM outbox WHERE aggregate_id = CAST(:id AS uuid)",
                   id=appointment["id"])[0]["id"]
        outbox.process(row, uuid.UUID(cal.business_id))  # delivered again: nothing more
    finally:
        monkeypatch.undo()
        settings.cache_clear()

    assert len(calls) == 1
    (delivery,) = rows(cal.business_id, "SELECT status, error FROM notification_deliveries "
                       "WHERE appointment_id = CAST(:id AS uuid)", id=appointment["id"])
    assert delivery["status"] == "uncertain" and "Read timeout" in delivery["error"]
