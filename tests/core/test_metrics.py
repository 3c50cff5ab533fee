"""Business metrics in the Embedded Metric Format: the log lines that count carry a valid ``_aws``
block (namespace Booking, dimensions that are fields of the line and never a tenant, each metric a
number on the line); every other line is as it was. Through the API: a booking made, a message sent
or failed, a webhook refused each write exactly one data point."""
from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest

from chalicelib.core import log, metrics
from chalicelib.core.settings import settings
from tests.api import body, call
from tests.appointments.helpers import book, booked, calendar
from tests.booking.conftest import address_counts_cleared  # noqa: F401 - the public routes' counts, shared
from tests.booking.helpers import booked_online, booking_body, slug_of
from tests.checks import rows
from tests.graph_api import configure, graph, graph_error  # noqa: F401 - fixtures

# A line of every metric event, as its emit site writes it, with the data point it should make:
# (event, fields, metric, dimensions beside Stage).
SAMPLES = [
    ("appointment.booked", {"business_id": "b1", "appointment_id": "a1", "source": "online"}, "BookingsMade", {}),
    ("mail.sent", {"message_id": "ses-1"}, "MessagesSent", {"Channel": "email"}),
    ("whatsapp.sent", {"business_id": "b1", "template": "t", "message_id": "wamid.1"}, "MessagesSent",
     {"Channel": "whatsapp"}),
    ("message.failed", {"delivery_id": "d1", "channel": "email", "status": "failed"}, "MessagesFailed",
     {"Channel": "email"}),
    ("notification.dead", {"outbox_id": "o1", "receive_count": 5}, "NotificationsDead", {}),
    ("request", {"request_id": "r1", "method": "POST", "route": "/billing/webhook", "status": 400,
                 "duration_ms": 3.2, "business_id": None, "user_id": None}, "WebhookFailures", {"Webhook": "stripe"}),
]

# Lines that are no data point, among them lines of a metric's event that do not count.
NOT_METRICS = [
    ("mail.written", {"path": "/tmp/x.eml", "link": None}),
    ("whatsapp.written", {"business_id": "b1", "template": "t", "message_id": "wamid.local-1", "path": "/tmp/x"}),
    ("notification.failed", {"outbox_id": "o1", "error": "boom"}),
    # A send SQS will try again: not a failure until every try has failed (then NotificationsDead).
    ("message.retrying", {"delivery_id": "d1", "channel": "email", "status": "retrying"}),
    ("request", {"route": "/billing/webhook", "status": 200}),
    ("request", {"route": "/notifications/whatsapp/webhook", "status": 200}),
    ("request", {"route": "/business", "status": 500}),
]


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def points(out: str, metric: str) -> list[dict]:
    """The lines of ``out`` that are data points of ``metric``."""
    return [line for line in lines(out) if any(m["Name"] == metric for d in line.get("_aws", {}).get(
        "CloudWatchMetrics", []) for m in d["Metrics"])]


def assert_valid_emf(line: dict) -> None:
    block = line["_aws"]
    assert isinstance(block["Timestamp"], int) and abs(block["Timestamp"] - time.time() * 1000) < 60_000
    assert block["CloudWatchMetrics"]
    for directive in block["CloudWatchMetrics"]:
        assert directive["Namespace"] == "Booking"
        assert directive["Dimensions"]
        for dimension_set in directive["Dimensions"]:
            assert dimension_set and set(dimension_set) <= line.keys()
            assert all(isinstance(line[name], str) for name in dimension_set)
            assert "Stage" in dimension_set and not {"business_id", "BusinessId"} & set(dimension_set)
        for metric in directive["Metrics"]:
            assert metric["Unit"] == "Count"
            assert isinstance(line[metric["Name"]], (int, float)) and not isinstance(line[metric["Name"]], bool)


def test_every_metric_event_has_a_sample_here():
    assert {event for event, *_ in SAMPLES} == set(metrics.METRICS)


@pytest.mark.parametrize(("event", "fields", "metric", "breakdown"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_a_metric_line_carries_a_valid_emf_block_and_its_own_fields(capsys, event, fields, metric, breakdown):
    capsys.readouterr()
    log.emit(event, **fields)
    [line] = lines(capsys.readouterr().out)

    assert_valid_emf(line)
    [directive] = line["_aws"]["CloudWatchMetrics"]
    assert [m["Name"] for m in directive["Metrics"]] == [metric] and line[metric] == 1
    # By Stage alone (the alarms read this one) and, when it has one, by its breakdown too.
    assert directive["Dimensions"] == ([["Stage"], ["Stage", *breakdown]] if breakdown else [["Stage"]])
    assert line["Stage"] == settings().stage and all(line[k] == v for k, v in breakdown.items())
    assert {k: line[k] for k in ("event", *fields)} == {"event": event, **fields}


@pytest.mark.parametrize(("event", "fields"), NOT_METRICS, ids=[f"{e}-{f.get('status', '')}" for e, f in NOT_METRICS])
def test_any_other_line_is_left_as_it_was(capsys, event, fields):
    capsys.readouterr()
    log.emit(event, **fields)
    [line] = lines(capsys.readouterr().out)
    assert line == {"event": event, **{k: v if k != "error" else log.redact(v) for k, v in fields.items()}}


# --- through the API -------------------------------------------------------------------------------

def test_a_public_booking_writes_one_bookings_made_point(client, capsys):
    cal = calendar(client)
    slug = slug_of(client, cal)
    capsys.readouterr()

    answer = booked_online(client, slug, booking_body(cal, cal.at(3, 10)))

    [line] = points(capsys.readouterr().out, "BookingsMade")
    assert_valid_emf(line)
    assert (line["event"], line["business_id"], line["appointment_id"], line["source"]) == (
        "appointment.booked", cal.business_id, answer["appointment"]["id"], "online")


def test_a_staff_booking_counts_once_and_a_refused_one_not_at_all(client, capsys):
    cal = calendar(client)
    capsys.readouterr()

    made = booked(client, cal, cal.at(3, 10))
    assert book(client, cal, cal.at(3, 10)).status_code == 409

    assert [(p["appointment_id"], p["source"]) for p in points(capsys.readouterr().out, "BookingsMade")] == [
        (made["id"], "staff")]


def test_each_occurrence_of_a_series_counts_and_a_skipped_one_does_not(client, capsys):
    cal = calendar(client)
    first = cal.at(7, 10)
    booked(client, cal, first + timedelta(weeks=1))  # the second occurrence's slot, taken
    capsys.readouterr()

    answer = call(client, "POST", "/appointments/recurring", {
        "service_id": cal.service_id, "customer_id": cal.customer_id, "start_at": first.isoformat(), "count": 3},
        session=cal.owner)

    assert answer.status_code == 201, answer.body
    series = body(answer)
    assert len(series["booked"]) == 2 and len(series["skipped"]) == 1
    assert sorted(p["appointment_id"] for p in points(capsys.readouterr().out, "BookingsMade")) == sorted(
        a["id"] for a in series["booked"])


def test_a_refused_webhook_call_is_a_webhook_failure_of_its_sender(client, capsys):
    capsys.readouterr()

    stripe = client.http.post("/billing/webhook", body=b"{}", headers={"Content-Type": "application/json"})
    meta = client.http.post("/notifications/whatsapp/webhook", body=b"{}",
                            headers={"Content-Type": "application/json", "X-Hub-Signature-256": "sha256=00"})

    assert (stripe.status_code, meta.status_code) == (400, 401)
    found = points(capsys.readouterr().out, "WebhookFailures")
    for line in found:
        assert_valid_emf(line)
    assert [(p["route"], p["status"], p["Webhook"]) for p in found] == [
        ("/billing/webhook", 400, "stripe"), ("/notifications/whatsapp/webhook", 401, "whatsapp")]


def _whatsapp_customer(client, cal) -> None:
    rows(cal.business_id, "UPDATE customers SET phone = '+44 7700 900123', phone_normalized = '+447700900123', "
         "preferred_channel = 'whatsapp' WHERE id = CAST(:id AS uuid) RETURNING id", id=cal.customer_id)
    answer = call(client, "PUT", "/notifications/settings", {
        "whatsapp_enabled": True, "whatsapp_phone_number_id": "106540352242922",
        "whatsapp_access_token": "EAAG-a-long-enough-access-token"}, session=cal.owner)
    assert answer.status_code == 200, answer.body


def test_a_whatsapp_message_sent_is_a_message_sent_on_its_channel(client, graph, capsys):
    cal = calendar(client)
    _whatsapp_customer(client, cal)
    capsys.readouterr()

    booked(client, cal, cal.at(3, 10))

    out = capsys.readouterr().out
    assert [(p["event"], p["Channel"]) for p in points(out, "MessagesSent")] == [("whatsapp.sent", "whatsapp")]
    assert points(out, "MessagesFailed") == []


def test_a_whatsapp_message_refused_is_a_message_failed_on_its_channel(client, graph, mail, capsys):
    cal = calendar(client)
    _whatsapp_customer(client, cal)
    graph.answer = (400, graph_error(131026, "Message undeliverable"))
    capsys.readouterr()

    booked(client, cal, cal.at(3, 10))

    [line] = points(capsys.readouterr().out, "MessagesFailed")
    assert_valid_emf(line)
    assert (line["event"], line["Channel"], line["status"]) == ("message.failed", "whatsapp", "failed")
