"""The AWS path of the pipeline, offline: outbox rows go to an SQS FIFO queue (moto), the worker
handler takes them one by one as Lambda's event source mapping would, e-mail goes out through SES v2
(moto), and a message that keeps failing ends in the dead-letter queue, from where an operator
sends it again."""
from __future__ import annotations

import email
import json
import uuid
from email.policy import default
from typing import Any

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from chalicelib.core.settings import settings
from chalicelib.integrations import aws
from chalicelib.integrations import queue as queues
from tests.api import body, call
from tests.appointments.helpers import booked, calendar, customer_address
from tests.checks import error_of, invalid_fields, rows

MAX_RECEIVES = 3
SENDER = "no-reply@booking.local"


@pytest.fixture
def sqs(monkeypatch):
    """A FIFO queue with its dead-letter queue, and the app pointed at both, sending with SES."""
    client = aws.client("sqs")
    suffix = uuid.uuid4().hex[:12]
    dlq_name, main_name = f"notify-dlq-{suffix}.fifo", f"notify-{suffix}.fifo"
    dlq_url = client.create_queue(QueueName=dlq_name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    dlq_arn = client.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    client.create_queue(QueueName=main_name, Attributes={
        "FifoQueue": "true", "VisibilityTimeout": "30",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVES)})})
    for name, value in {"NOTIFICATIONS_QUEUE": main_name, "NOTIFICATIONS_DLQ": dlq_name,
                        "EMAIL_BACKEND": "ses"}.items():
        monkeypatch.setenv(name, value)
    settings.cache_clear()
    # Read now, outside a request: the test client lays the local stage's variables (EMAIL_BACKEND=file)
    # over the environment while it handles one.
    settings()
    queues.url.cache_clear()
    yield main_name
    monkeypatch.undo()
    settings.cache_clear()
    queues.url.cache_clear()


@pytest.fixture
def verified_sender():
    aws.client("sesv2").create_email_identity(EmailIdentity=SENDER)


def _ses_sent_to(address: str) -> list[str]:
    sent = ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].sent_messages
    return [m.raw_data for m in sent if address in getattr(m, "destinations", []) or address in str(
        getattr(m, "raw_data", ""))]


def _receive(name: str) -> list[queues.Received]:
    # Visible again at once when not deleted: each test pass is one more try.
    return queues.receive(name, visibility_s=0)


def _invoke(client: Any, message: queues.Received) -> None:
    event = client.events.generate_sqs_event(message_bodies=[message.body], queue_name="notifications")
    event["Records"][0]["attributes"]["ApproximateReceiveCount"] = str(message.receive_count)
    client.lambda_.invoke("notification_worker", event)


def pump(client: Any, name: str, *, acknowledge: bool = True) -> int:
    """Run the worker on what the queue holds, as the Lambda event source mapping does: a message is
    deleted when the handler returns, left for another try when it raises. Answer the failures."""
    failures = 0
    for _ in range(20 if acknowledge else 1):
        received = _receive(name)
        if not received:
            break
        for message in received:
            try:
                _invoke(client, message)
            except Exception:  # noqa: BLE001 - the Lambda failed: the message stays for a retry
                failures += 1
                continue
            if acknowledge:
                queues.delete(name, message.receipt)
    return failures


def _operator(client, session) -> None:
    rows(session.business_id, "INSERT INTO platform_operators (user_id) VALUES (CAST(:uid AS uuid)) "
         "ON CONFLICT DO NOTHING RETURNING user_id", uid=session.user_id)


def test_a_booking_is_queued_with_its_appointment_as_the_group_and_its_row_as_the_deduplication_id(client, sqs,
                                                                                                    verified_sender):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))

    (message,) = [m for m in _receive(sqs) if m.group == appointment["id"]]
    outbox_row = rows(cal.business_id, "SELECT id, dispatched_at FROM outbox WHERE aggregate_id = CAST(:id AS uuid)",
                      id=appointment["id"])[0]
    assert message.group == appointment["id"]
    assert json.loads(message.body) == {"outbox_id": str(outbox_row["id"]), "business_id": cal.business_id}
    # Queued, not yet taken by a worker: a sweep a minute from now would send it again.
    assert outbox_row["dispatched_at"] is None


def test_the_worker_sends_through_ses_once_even_when_the_message_comes_back(client, sqs, verified_sender):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))
    to = customer_address(cal)

    # The worker sends, then "crashes" before the acknowledge: the queue delivers the message again.
    assert pump(client, sqs, acknowledge=False) == 0
    assert pump(client, sqs) == 0

    (raw,) = _ses_sent_to(to)
    (invite,) = [p for p in email.message_from_string(raw, policy=default).iter_attachments()
                 if p.get_content_type() == "text/calendar"]
    assert "METHOD:REQUEST" in invite.get_content()
    deliveries = rows(cal.business_id, "SELECT status, attempts, provider_message_id FROM notification_deliveries "
                      "WHERE appointment_id = CAST(:id AS uuid)", id=appointment["id"])
    assert [(d["status"], d["attempts"]) for d in deliveries] == [("sent", 1)]
    assert deliveries[0]["provider_message_id"]


def test_a_poison_message_reaches_the_dead_letters_and_a_redrive_delivers_it_once(client, sqs):
    cal = calendar(client)
    _operator(client, cal.owner)
    ses = aws.client("sesv2")
    if SENDER in [i["IdentityName"] for i in ses.list_email_identities()["EmailIdentities"]]:
        ses.delete_email_identity(EmailIdentity=SENDER)
    appointment = booked(client, cal, cal.at(3, 10))
    to = customer_address(cal)

    # SES refuses a sender it has not verified: every try fails, then the queue gives up on it.
    # (the owner's verify e-mail is refused alike: two messages fail)
    assert pump(client, sqs) == 2 * MAX_RECEIVES
    assert _receive(sqs) == []
    assert _ses_sent_to(to) == []

    listed = call(client, "GET", "/admin/dead-letters", session=cal.owner)
    assert listed.status_code == 200, listed.body
    (dead,) = [d for d in body(listed)["items"] if d["aggregate_id"] == appointment["id"]]
    assert dead["topic"] == "appointment.created" and dead["receive_count"] >= MAX_RECEIVES
    assert "MessageRejected" in dead["last_error"]
    delivery = rows(cal.business_id, "SELECT status, attempts, error FROM notification_deliveries "
                    "WHERE appointment_id = CAST(:id AS uuid)", id=appointment["id"])[0]
    assert delivery["status"] == "retrying" and delivery["attempts"] == MAX_RECEIVES

    aws.client("sesv2").create_email_identity(EmailIdentity=SENDER)  # the operator fixes the cause
    answer = call(client, "POST", "/admin/dead-letters/redrive", {"outbox_ids": [dead["outbox_id"]]},
                  session=cal.owner)
    assert answer.status_code == 200, answer.body
    assert body(answer) == {"redriven": [dead["outbox_id"]]}
    assert pump(client, sqs) == 0

    assert len(_ses_sent_to(to)) == 1
    again = call(client, "POST", "/admin/dead-letters/redrive", {"outbox_ids": [dead["outbox_id"]]},
                 session=cal.owner)
    assert body(again) == {"redriven": []}
    assert pump(client, sqs) == 0
    assert len(_ses_sent_to(to)) == 1
    listed = body(call(client, "GET", "/admin/dead-letters", session=cal.owner))["items"]
    assert dead["outbox_id"] not in [d["outbox_id"] for d in listed]


def test_the_sweep_dispatches_a_row_whose_request_never_did(client, sqs, verified_sender, monkeypatch):
    from chalicelib.events import outbox

    cal = calendar(client)
    dispatch = outbox.dispatch
    monkeypatch.setattr(outbox, "dispatch", lambda refs: None)  # the process died right after commit
    appointment = booked(client, cal, cal.at(3, 10))
    monkeypatch.setattr(outbox, "dispatch", dispatch)
    assert appointment["id"] not in [m.group for m in _receive(sqs)]
    rows(cal.business_id, "UPDATE outbox SET created_at = now() - interval '5 minutes' "
         "WHERE aggregate_id = CAST(:id AS uuid) RETURNING id", id=appointment["id"])

    client.lambda_.invoke("outbox_sweep", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))
    client.lambda_.invoke("outbox_sweep", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]))

    assert [m.group for m in _receive(sqs)].count(appointment["id"]) == 1


def test_only_platform_operators_reach_the_dead_letters(client, sqs):
    cal = calendar(client)

    assert error_of(call(client, "GET", "/admin/dead-letters", session=cal.owner), 403, "forbidden")
    answer = call(client, "POST", "/admin/dead-letters/redrive", {}, session=cal.owner)
    error_of(answer, 403, "forbidden")
    assert call(client, "GET", "/admin/dead-letters").status_code == 401


def test_a_redrive_names_outbox_ids(client, sqs):
    cal = calendar(client)
    _operator(client, cal.owner)

    fields = invalid_fields(call(client, "POST", "/admin/dead-letters/redrive", {"outbox_ids": ["nope"]},
                                 session=cal.owner))
    assert "outbox_ids" in " ".join(fields)
    assert "outbox_ids" in " ".join(invalid_fields(call(client, "POST", "/admin/dead-letters/redrive",
                                                        {"outbox_ids": "x"}, session=cal.owner)))
