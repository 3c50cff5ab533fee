"""Customers who prefer WhatsApp get their messages there (the Cloud API, faked by a local HTTP
server), fall back to e-mail when WhatsApp refuses for good, and the status webhook keeps the
delivery log current."""
from __future__ import annotations

import hashlib
import hmac
import json
import uuid

import pytest

from chalicelib.events import outbox
from tests.api import body, call
from tests.appointments.helpers import booked, calendar, customer_address
from tests.checks import error_of, rows
from tests.graph_api import OK, configure, graph, graph_error  # noqa: F401 - fixtures

PHONE_NUMBER_ID = "106540352242922"
APP_SECRET = "app-secret-for-tests"
VERIFY_TOKEN = "verify-me"


@pytest.fixture
def wamid(graph) -> str:
    """The message id the fake Cloud API answers with (unique: the log keys provider ids)."""
    message_id = f"wamid.{uuid.uuid4().hex}"
    graph.answer = (200, {**OK, "messages": [{"id": message_id}]})
    return message_id


def _whatsapp_customer(client, cal, *, email: bool = True) -> str:
    rows(cal.business_id, "UPDATE customers SET phone = '+44 7700 900123', phone_normalized = '+447700900123', "
         "preferred_channel = 'whatsapp', email = CASE WHEN :email THEN email END "
         "WHERE id = CAST(:id AS uuid) RETURNING id", id=cal.customer_id, email=email)
    answer = call(client, "PUT", "/notifications/settings", {
        "whatsapp_enabled": True, "whatsapp_phone_number_id": PHONE_NUMBER_ID,
        "whatsapp_access_token": "EAAG-a-long-enough-access-token"}, session=cal.owner)
    assert answer.status_code == 200, answer.body
    return customer_address(cal)


def _deliveries(cal, appointment_id: str) -> list[dict]:
    return rows(cal.business_id, "SELECT id, message, channel, recipient, status, provider_message_id, error, "
                "fallback_of FROM notification_deliveries WHERE appointment_id = CAST(:id AS uuid) "
                "ORDER BY created_at", id=appointment_id)


def _signed(payload: dict, secret: str = APP_SECRET) -> tuple[bytes, str]:
    raw = json.dumps(payload).encode()
    return raw, "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def _status_payload(message_id: str, status: str, **extra) -> dict:
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"phone_number_id": PHONE_NUMBER_ID},
        "statuses": [{"id": message_id, "status": status, "timestamp": "1795300000", "recipient_id": "447700900123",
                      **extra}]}}]}]}


def _post_webhook(client, raw: bytes, signature: str | None):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return client.http.post("/notifications/whatsapp/webhook", headers=headers, body=raw)


def test_a_customer_who_prefers_whatsapp_gets_the_template_message_there(client, graph, wamid, mail):
    cal = calendar(client)
    email = _whatsapp_customer(client, cal)

    appointment = booked(client, cal, cal.at(3, 10))

    (request,) = graph.requests
    assert request["path"] == f"/v21.0/{PHONE_NUMBER_ID}/messages"
    assert request["headers"]["authorization"] == "Bearer EAAG-a-long-enough-access-token"
    sent = request["body"]
    assert sent["messaging_product"] == "whatsapp" and sent["to"] == "447700900123" and sent["type"] == "template"
    assert sent["template"]["name"] == "booking_confirmed_v1" and sent["template"]["language"] == {"code": "en"}
    (component,) = sent["template"]["components"]
    assert component["type"] == "body"
    texts = [p["text"] for p in component["parameters"]]
    assert all(p["type"] == "text" for p in component["parameters"])
    assert "Cara Customer" in texts and any("10:00" in t for t in texts)
    assert mail.sent_to(email) == []
    (delivery,) = _deliveries(cal, appointment["id"])
    assert (delivery["channel"], delivery["status"], delivery["provider_message_id"]) == (
        "whatsapp", "sent", wamid)


def test_whatsapp_refusing_for_good_falls_back_to_email_and_the_log_says_so(client, graph, mail):
    cal = calendar(client)
    email = _whatsapp_customer(client, cal)
    graph.answer = (400, graph_error(131026, "Message undeliverable"))

    appointment = booked(client, cal, cal.at(3, 10))

    assert len(mail.sent_to(email)) == 1
    chat, fallback = _deliveries(cal, appointment["id"])
    assert (chat["channel"], chat["status"]) == ("whatsapp", "failed") and "131026" in chat["error"]
    assert (fallback["channel"], fallback["status"], fallback["fallback_of"]) == ("email", "sent", chat["id"])
    log = body(call(client, "GET", f"/notifications/log?appointment_id={appointment['id']}", session=cal.owner))
    assert [(i["channel"], i["status"], i["fallback_of"]) for i in log["items"]] == [
        ("email", "sent", str(chat["id"])), ("whatsapp", "failed", None)]


def test_a_whatsapp_outage_is_retried_not_turned_into_email(client, graph, mail):
    cal = calendar(client)
    email = _whatsapp_customer(client, cal)
    graph.answer = (503, {"error": {"message": "try later", "code": 2}})

    appointment = booked(client, cal, cal.at(3, 10))

    assert mail.sent_to(email) == []
    (delivery,) = _deliveries(cal, appointment["id"])
    assert delivery["status"] == "retrying"
    outbox_row = rows(cal.business_id, "SELECT attempts, dispatched_at FROM outbox "
                      "WHERE aggregate_id = CAST(:id AS uuid)", id=appointment["id"])[0]
    assert outbox_row["attempts"] == 1 and outbox_row["dispatched_at"] is None


def test_the_webhook_moves_the_delivery_forward_only_with_a_good_signature(client, graph, wamid, configure):
    cal = calendar(client)
    _whatsapp_customer(client, cal)
    appointment = booked(client, cal, cal.at(3, 10))
    configure(WHATSAPP_APP_SECRET=APP_SECRET)

    raw, signature = _signed(_status_payload(wamid, "delivered"))
    error_of(_post_webhook(client, raw, "sha256=" + "0" * 64), 401, "invalid_signature")
    error_of(_post_webhook(client, raw, None), 401, "invalid_signature")
    forged, forged_signature = _signed(_status_payload(wamid, "read"), secret="not-the-secret")
    error_of(_post_webhook(client, forged, forged_signature), 401, "invalid_signature")
    assert _deliveries(cal, appointment["id"])[0]["status"] == "sent"

    answer = _post_webhook(client, raw, signature)
    assert answer.status_code == 200, answer.body
    assert _deliveries(cal, appointment["id"])[0]["status"] == "delivered"
    late, late_signature = _signed(_status_payload(wamid, "sent"))  # out of order: never backwards
    assert _post_webhook(client, late, late_signature).status_code == 200
    assert _deliveries(cal, appointment["id"])[0]["status"] == "delivered"


def test_a_failure_reported_by_the_webhook_sends_the_email_instead(client, graph, wamid, configure, mail):
    cal = calendar(client)
    email = _whatsapp_customer(client, cal)
    appointment = booked(client, cal, cal.at(3, 10))
    configure(WHATSAPP_APP_SECRET=APP_SECRET)

    raw, signature = _signed(_status_payload(wamid, "failed", errors=[
        {"code": 131047, "title": "Re-engagement message", "message": "More than 24 hours have passed"}]))
    assert _post_webhook(client, raw, signature).status_code == 200
    assert _post_webhook(client, raw, signature).status_code == 200  # Meta retries webhooks

    assert len(mail.sent_to(email)) == 1
    chat, fallback = _deliveries(cal, appointment["id"])
    assert chat["status"] == "failed" and "131047" in chat["error"]
    assert (fallback["channel"], fallback["status"], fallback["fallback_of"]) == ("email", "sent", chat["id"])
    # The original row delivered again (a redrive, say) finds the e-mail sent under its own key.
    original = rows(cal.business_id, "SELECT id FROM outbox WHERE topic = 'appointment.created' "
                    "AND aggregate_id = CAST(:id AS uuid)", id=appointment["id"])[0]["id"]
    outbox.process(original, uuid.UUID(cal.business_id))
    assert len(mail.sent_to(email)) == 1


def test_the_subscription_check_echoes_the_challenge_only_for_our_token(client, configure):
    configure(WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN)

    good = client.http.get(f"/notifications/whatsapp/webhook?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}"
                           "&hub.challenge=1158201444")
    assert good.status_code == 200 and good.body == b"1158201444"
    bad = client.http.get("/notifications/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=guess"
                          "&hub.challenge=1158201444")
    error_of(bad, 403, "forbidden")
