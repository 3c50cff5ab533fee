"""WhatsApp Cloud API integration against a real local HTTP server standing in for the Graph API,
with the business tokens in (moto's) Secrets Manager, and the offline file twin."""
from __future__ import annotations

import hashlib
import hmac
import json
import socket
import uuid
from datetime import datetime, timezone

import pytest

from chalicelib.core.settings import settings
from chalicelib.integrations import aws, whatsapp
from tests.graph_api import OK, configure, graph, graph_error  # noqa: F401 - fixtures

PHONE_NUMBER_ID = "106540352242922"
@pytest.fixture
def business_id():
    """A business with an access token stored, as connecting WhatsApp in the settings does."""
    bid = uuid.uuid4()
    whatsapp.store_access_token(bid, f"EAAG-token-{bid.hex[:6]}")
    return bid


def send(business_id, **overrides) -> str:
    args = {"business_id": business_id, "phone_number_id": PHONE_NUMBER_ID, "to": "+34 600 11 22 33",
            "template": "appointment_reminder", "language": "es", "parameters": ["Ana", "martes 14:30"]}
    return whatsapp.send_template(**{**args, **overrides})


# Sending through the Cloud API.

def test_a_template_is_posted_in_the_cloud_api_format_with_the_business_token(graph, business_id):
    message_id = send(business_id)

    assert message_id == OK["messages"][0]["id"]
    [request] = graph.requests
    assert request["method"] == "POST"
    assert request["path"] == f"/v21.0/{PHONE_NUMBER_ID}/messages"
    assert request["headers"]["authorization"] == f"Bearer EAAG-token-{business_id.hex[:6]}"
    assert request["headers"]["content-type"] == "application/json"
    assert request["body"] == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "34600112233",
        "type": "template",
        "template": {
            "name": "appointment_reminder",
            "language": {"code": "es"},
            "components": [{"type": "body", "parameters": [
                {"type": "text", "text": "Ana"}, {"type": "text", "text": "martes 14:30"}]}],
        },
    }


def test_a_template_without_parameters_carries_no_components(graph, business_id):
    send(business_id, template="hello_world", language="en_US", parameters=[])

    assert graph.requests[0]["body"]["template"] == {"name": "hello_world", "language": {"code": "en_US"}}


def test_a_replaced_token_is_used_from_the_next_send(graph, business_id):
    send(business_id)
    whatsapp.store_access_token(business_id, "EAAG-rotated")

    send(business_id)

    assert graph.requests[1]["headers"]["authorization"] == "Bearer EAAG-rotated"
    stored = aws.client("secretsmanager").get_secret_value(SecretId=f"booking/local/whatsapp/{business_id}")
    assert json.loads(stored["SecretString"]) == {"access_token": "EAAG-rotated"}


def test_a_refused_message_is_rejected_with_the_graph_error_code(graph, business_id):
    graph.answer = (400, graph_error(131026, "(#131026) Message undeliverable"))

    with pytest.raises(whatsapp.Rejected) as refused:
        send(business_id)

    assert refused.value.code == 131026
    assert refused.value.detail == "(#131026) Message undeliverable"


def test_an_expired_token_is_rejected(graph, business_id):
    graph.answer = (401, graph_error(190, "Error validating access token: Session has expired"))

    with pytest.raises(whatsapp.Rejected) as refused:
        send(business_id)

    assert refused.value.code == 190


def test_an_error_without_a_graph_body_is_rejected_with_no_code(graph, business_id):
    graph.answer = (404, b"<html>Not Found</html>")

    with pytest.raises(whatsapp.Rejected) as refused:
        send(business_id)

    assert (refused.value.code, refused.value.detail) == (None, "HTTP 404")


@pytest.mark.parametrize("status", [500, 503, 429])
def test_server_errors_and_throttling_are_unavailable(graph, business_id, status):
    graph.answer = (status, graph_error(131000, "Something went wrong"))

    with pytest.raises(whatsapp.Unavailable):
        send(business_id)


def test_a_throughput_limit_answered_as_400_is_unavailable_not_rejected(graph, business_id):
    graph.answer = (400, graph_error(130429, "(#130429) Rate limit hit"))

    with pytest.raises(whatsapp.Unavailable):
        send(business_id)


def test_an_answer_without_a_message_id_is_uncertain(graph, business_id):
    graph.answer = (200, {"messaging_product": "whatsapp"})

    with pytest.raises(whatsapp.Uncertain):
        send(business_id)


def test_an_answer_that_times_out_after_the_request_went_out_is_uncertain(graph, business_id, monkeypatch):
    monkeypatch.setattr(whatsapp, "TIMEOUT_S", 0.2)
    graph.delay_s = 1.0

    with pytest.raises(whatsapp.Uncertain):
        send(business_id)
    assert len(graph.requests) == 1  # it reached the API: sending again could deliver it twice


def test_a_refused_connection_is_unavailable(configure, business_id):
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    configure(WHATSAPP_BACKEND="cloud", WHATSAPP_API_BASE=f"http://127.0.0.1:{port}")

    with pytest.raises(whatsapp.Unavailable):
        send(business_id)


def test_a_business_without_a_token_is_rejected_and_nothing_is_sent(graph):
    bid = uuid.uuid4()

    assert whatsapp.has_access_token(bid) is False
    with pytest.raises(whatsapp.Rejected) as refused:
        send(bid)

    assert refused.value.code is None
    assert graph.requests == []


def test_storing_a_token_makes_the_business_able_to_send(graph):
    bid = uuid.uuid4()
    assert whatsapp.has_access_token(bid) is False

    whatsapp.store_access_token(bid, "EAAG-new")

    assert whatsapp.has_access_token(bid) is True
    assert send(bid) == OK["messages"][0]["id"]


def test_a_number_without_digits_is_rejected_and_nothing_is_sent(graph, business_id):
    with pytest.raises(whatsapp.Rejected):
        send(business_id, to="+")

    assert graph.requests == []


# The offline twin.

def test_the_file_twin_writes_the_request_body_and_answers_a_local_id(configure, capsys):
    configure(WHATSAPP_BACKEND="file")
    bid = uuid.uuid4()  # no token needed locally

    first = send(bid)
    second = send(bid, parameters=[])

    assert first.startswith("wamid.local-") and second.startswith("wamid.local-") and first != second
    files = sorted(settings().whatsapp_dir.glob("*.json"))
    written = [json.loads(p.read_text()) for p in files]
    mine = [w for w in written if w["business_id"] == str(bid)]
    assert mine[0] == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": "34600112233",
        "type": "template",
        "template": {"name": "appointment_reminder", "language": {"code": "es"},
                     "components": [{"type": "body", "parameters": [
                         {"type": "text", "text": "Ana"}, {"type": "text", "text": "martes 14:30"}]}]},
        "phone_number_id": PHONE_NUMBER_ID, "business_id": str(bid),
    }
    assert "components" not in mine[1]["template"]
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["message_id"] for line in logged if line["event"] == "whatsapp.written"] == [first, second]


def test_the_file_twin_refuses_to_run_in_a_deployed_function(configure):
    configure(WHATSAPP_BACKEND="file", AWS_LAMBDA_FUNCTION_NAME="booking-api")

    with pytest.raises(RuntimeError):
        send(uuid.uuid4())


def test_an_unknown_backend_is_a_configuration_error(configure):
    configure(WHATSAPP_BACKEND="twilio")

    with pytest.raises(RuntimeError):
        send(uuid.uuid4())


# Webhook: signature and verify token.

BODY = b'{"object":"whatsapp_business_account","entry":[]}'


def signed(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.mark.parametrize("header, valid", [
    (signed(BODY, "app-secret"), True),
    (signed(BODY, "another-secret"), False),
    (signed(BODY + b" ", "app-secret"), False),
    (None, False),
    ("", False),
    ("sha256=", False),
    ("sha1=" + hmac.new(b"app-secret", BODY, hashlib.sha1).hexdigest(), False),
    (signed(BODY, "app-secret").removeprefix("sha256="), False),
    ("sha256=zz-not-hex", False),
    ("sha256=é", False),
])
def test_the_signature_must_be_the_app_secret_hmac_of_the_exact_body(configure, header, valid):
    configure(WHATSAPP_APP_SECRET="app-secret")

    assert whatsapp.signature_valid(BODY, header) is valid


def test_without_an_app_secret_no_signature_is_valid(configure, monkeypatch):
    monkeypatch.delenv("WHATSAPP_APP_SECRET", raising=False)
    monkeypatch.delenv("WHATSAPP_SECRET_ARN", raising=False)
    configure()

    assert whatsapp.signature_valid(BODY, signed(BODY, "")) is False


def test_verify_token_and_app_secret_come_from_settings_locally(configure, monkeypatch):
    monkeypatch.delenv("WHATSAPP_SECRET_ARN", raising=False)
    configure(WHATSAPP_VERIFY_TOKEN="local-verify")

    assert whatsapp.verify_token() == "local-verify"


def test_verify_token_and_app_secret_come_from_the_secret_when_one_is_named(configure):
    arn = aws.client("secretsmanager").create_secret(
        Name=f"booking/test/whatsapp-webhook-{uuid.uuid4().hex[:8]}",
        SecretString=json.dumps({"app_secret": "from-secret", "verify_token": "verify-from-secret"}))["ARN"]
    configure(WHATSAPP_SECRET_ARN=arn, WHATSAPP_APP_SECRET="ignored", WHATSAPP_VERIFY_TOKEN="ignored")

    assert whatsapp.verify_token() == "verify-from-secret"
    assert whatsapp.signature_valid(BODY, signed(BODY, "from-secret")) is True
    assert whatsapp.signature_valid(BODY, signed(BODY, "ignored")) is False


# Webhook: delivery statuses.

def webhook(*values: dict, field: str = "messages") -> dict:
    return {"object": "whatsapp_business_account", "entry": [{"id": "WABA_ID", "changes": [
        {"field": field, "value": {"messaging_product": "whatsapp",
                                   "metadata": {"display_phone_number": "34910000000",
                                                "phone_number_id": PHONE_NUMBER_ID}, **value}}
        for value in values]}]}


def status(message_id: str, state: str, timestamp: str = "1717243200", **extra) -> dict:
    return {"id": message_id, "status": state, "timestamp": timestamp, "recipient_id": "34600112233", **extra}


def test_statuses_are_read_in_order_with_utc_times():
    payload = webhook({"statuses": [status("wamid.A", "sent"), status("wamid.A", "delivered", "1717243260")]},
                      {"statuses": [status("wamid.A", "read", "1717243320")]})

    assert whatsapp.statuses(payload) == [
        whatsapp.Status("wamid.A", "sent", datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc), None),
        whatsapp.Status("wamid.A", "delivered", datetime(2024, 6, 1, 12, 1, tzinfo=timezone.utc), None),
        whatsapp.Status("wamid.A", "read", datetime(2024, 6, 1, 12, 2, tzinfo=timezone.utc), None),
    ]


def test_a_failed_status_carries_its_error():
    payload = webhook({"statuses": [status("wamid.F", "failed", errors=[{
        "code": 131026, "title": "Message undeliverable", "message": "Message undeliverable",
        "error_data": {"details": "Message Undeliverable."}}])]})

    [failed] = whatsapp.statuses(payload)

    assert (failed.message_id, failed.status) == ("wamid.F", "failed")
    assert failed.error == "131026 Message undeliverable"


def test_a_failed_status_without_errors_has_no_error_text():
    [failed] = whatsapp.statuses(webhook({"statuses": [status("wamid.F", "failed", errors="odd")]}))

    assert failed.error is None


def test_incoming_messages_and_unknown_statuses_are_ignored():
    payload = webhook(
        {"contacts": [{"profile": {"name": "Ana"}, "wa_id": "34600112233"}],
         "messages": [{"from": "34600112233", "id": "wamid.IN", "timestamp": "1717243200",
                       "type": "text", "text": {"body": "Hola"}}]},
        {"statuses": [status("wamid.W", "warning"), status("wamid.D", "deleted"), status("wamid.S", "sent")]},
    )

    assert [s.message_id for s in whatsapp.statuses(payload)] == ["wamid.S"]


@pytest.mark.parametrize("payload", [
    {},
    {"object": "page", "entry": [{"changes": [{"field": "messages", "value": {"statuses": [
        status("wamid.X", "sent")]}}]}]},
    {"object": "whatsapp_business_account"},
    {"object": "whatsapp_business_account", "entry": "nope"},
    {"object": "whatsapp_business_account", "entry": [None, 3, "x", {"changes": None}, {"changes": [None]}]},
    {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": None}]}]},
    {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": {
        "statuses": {"id": "wamid.X"}}}]}]},
    webhook({"statuses": [None, "x", [], {}, {"id": 5, "status": "sent", "timestamp": "1717243200"},
                          status("", "sent"), status("wamid.X", "sent", "yesterday"),
                          status("wamid.X", "sent", None), status("wamid.X", "sent", "1e99"),
                          status("wamid.X", "sent", "99999999999999999999"),
                          {"id": "wamid.X", "status": "sent"}]}),
    webhook({"statuses": [status("wamid.X", "sent")]}, field="message_template_status_update"),
])
def test_odd_shapes_are_skipped_without_raising(payload):
    assert whatsapp.statuses(payload) == []


def test_good_statuses_survive_their_odd_neighbours():
    payload = webhook({"statuses": [{"id": None}, status("wamid.OK", "delivered"), "junk"]})
    payload["entry"].insert(0, "junk")

    assert [s.message_id for s in whatsapp.statuses(payload)] == ["wamid.OK"]
