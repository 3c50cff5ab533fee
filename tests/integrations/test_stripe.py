"""The Stripe integration: the real SDK (stripe-python, the pinned version) through the twin's HTTP
client in-process, through our urllib client against the twin's HTTP server and a silent socket, and
the webhook signature by Stripe's scheme."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chalicelib.core.errors import BadRequest
from chalicelib.core.settings import PROJECT_ROOT, settings
from chalicelib.integrations import aws, stripe, stripe_twin, stripe_twin_server
from tests.graph_api import configure  # noqa: F401 - fixture

SUCCESS = "http://127.0.0.1:5173/settings/billing?checkout=success"
CANCEL = "http://127.0.0.1:5173/settings/billing?checkout=cancelled"


def customer(business_id=None) -> str:
    return stripe.create_customer(business_id=business_id or uuid.uuid4(), email="owner@example.com",
                                  name="Peluquería Ana")


def checkout(customer_id: str = "", business_id=None, key: str = "key-1", **overrides) -> dict:
    args = {"customer_id": customer_id, "price_id": stripe.price_for("pro", "month", "EUR"),
            "metered_price_ids": [stripe.metered_price_for("bookings", "EUR"),
                                  stripe.metered_price_for("messages_whatsapp", "EUR")],
            "business_id": business_id or uuid.uuid4(), "success_url": SUCCESS, "cancel_url": CANCEL,
            "idempotency_key": key}
    return stripe.create_checkout_session(**{**args, **overrides})


def posts(twin, path: str) -> list:
    return [r for r in twin.requests if r.method == "post" and r.path == path]


# Customers and Checkout.

def test_a_customer_is_created_once_per_business_whatever_the_retries(stripe_twin):
    business_id = uuid.uuid4()

    first = customer(business_id)
    again = customer(business_id)
    other = customer()

    assert first == again != other
    assert first.startswith("cus_") and len(stripe_twin.customers) == 2
    [created, _, _] = posts(stripe_twin, "/v1/customers")
    assert created.idempotency_key == f"customer-{business_id}"
    assert created.params == {"name": "Peluquería Ana", "email": "owner@example.com",
                              "metadata": {"business_id": str(business_id)}}


def test_a_checkout_session_subscribes_to_the_base_and_metered_prices(stripe_twin):
    business_id = uuid.uuid4()
    customer_id = customer(business_id)

    session = checkout(customer_id, business_id, key=f"checkout-{business_id}-k1", locale="es")

    assert set(session) == {"id", "url"}
    assert session["url"] == f"https://checkout.stripe.com/c/pay/{session['id']}"
    [sent] = posts(stripe_twin, "/v1/checkout/sessions")
    assert sent.idempotency_key == f"checkout-{business_id}-k1"
    assert sent.params == {
        "mode": "subscription", "customer": customer_id, "client_reference_id": str(business_id),
        "line_items": [{"price": "price_local_pro_month_eur", "quantity": "1"},
                       {"price": "price_local_overage_bookings_eur"},
                       {"price": "price_local_overage_messages_whatsapp_eur"}],
        "success_url": SUCCESS, "cancel_url": CANCEL, "locale": "es",
        "metadata": {"business_id": str(business_id)},
        "subscription_data": {"metadata": {"business_id": str(business_id)}}}
    stored = stripe.retrieve_checkout_session(session["id"])
    assert stored["status"] == "open" and stored["client_reference_id"] == str(business_id)


def test_the_same_idempotency_key_answers_the_same_session(stripe_twin):
    customer_id = customer()
    business_id = uuid.uuid4()

    first = checkout(customer_id, business_id, key="same")
    again = checkout(customer_id, business_id, key="same")

    assert first == again and len(stripe_twin.checkout_sessions) == 1


@pytest.mark.parametrize("overrides", [
    {"customer_id": "cus_unknown"},                           # a customer the twin never made
    {"price_id": "price_unknown"},                            # not a price of the stage
    {"metered_price_ids": ["price_local_overage_bookings_gbp"]},  # two currencies on one subscription
])
def test_a_request_stripe_refuses_is_an_internal_error_and_logged(stripe_twin, overrides, capsys):
    with pytest.raises(stripe.StripeRejected) as refused:
        checkout(**{"customer_id": customer(), **overrides})

    assert refused.value.status == 500
    assert stripe_twin.checkout_sessions == {}
    assert '"event":"stripe.failed","operation":"create_checkout_session"' in capsys.readouterr().out


def test_a_portal_session_answers_its_url(stripe_twin):
    customer_id = customer()

    url = stripe.create_portal_session(customer_id=customer_id, return_url="http://127.0.0.1:5173/settings/billing")

    [session] = stripe_twin.portal_sessions.values()
    assert url == session["url"] and url.startswith("https://billing.stripe.com/p/session/bps_")
    assert session["customer"] == customer_id
    assert session["return_url"] == "http://127.0.0.1:5173/settings/billing"


# Reads.

def test_a_subscription_and_its_invoice_are_read_as_plain_dicts(stripe_twin):
    session = checkout(customer())
    events = stripe_twin.complete_checkout(session["id"])
    subscription_id = events[0]["data"]["object"]["id"]

    subscription = stripe.retrieve_subscription(subscription_id)
    invoice = stripe.retrieve_invoice(subscription["latest_invoice"])

    assert type(subscription) is dict and type(subscription["items"]) is dict
    assert type(subscription["items"]["data"][0]["price"]["recurring"]) is dict
    assert subscription["status"] == "active"
    assert [i["price"]["id"] for i in subscription["items"]["data"]] == [
        "price_local_pro_month_eur", "price_local_overage_bookings_eur", "price_local_overage_messages_whatsapp_eur"]
    assert invoice["status"] == "paid" and invoice["amount_paid"] == 4900 and invoice["currency"] == "eur"
    assert invoice["parent"]["subscription_details"]["subscription"] == subscription_id
    assert json.dumps(subscription) and json.dumps(invoice)  # nothing but JSON inside


@pytest.mark.parametrize("read", [stripe.retrieve_subscription, stripe.retrieve_invoice,
                                  stripe.retrieve_checkout_session])
def test_an_id_stripe_does_not_know_reads_as_none(stripe_twin, read):
    assert read("xx_unknown") is None
    assert read("") is None
    assert len(stripe_twin.requests) == 1  # an empty id never reads the list endpoint


# Meter events.

def test_a_meter_event_is_sent_once_per_identifier(stripe_twin):
    customer_id = customer()
    now = int(time.time())
    report = {"event_name": stripe.meter_event_name("bookings"), "customer_id": customer_id, "value": 17,
              "identifier": "b1:20261201:20261202:bookings", "timestamp": now}

    stripe.send_meter_event(**report)
    stripe.send_meter_event(**report)  # a retry within the day: the idempotency key replays it
    stripe_twin.expire_idempotency_keys()
    stripe.send_meter_event(**report)  # a resend days later: Stripe refuses the identifier, sent already

    assert stripe_twin.meter_events == [{
        "object": "billing.meter_event", "created": stripe_twin.meter_events[0]["created"],
        "event_name": "booking_overage", "identifier": "b1:20261201:20261202:bookings", "livemode": False,
        "payload": {"stripe_customer_id": customer_id, "value": "17"}, "timestamp": now}]
    assert len(posts(stripe_twin, "/v1/billing/meter_events")) == 3


def test_a_meter_event_stripe_refuses_otherwise_is_not_taken_for_sent(stripe_twin):
    with pytest.raises(stripe.StripeRejected):
        stripe.send_meter_event(event_name="booking_overage", customer_id=customer(), value=1,
                                identifier="too-old", timestamp=int(time.time()) - 40 * 86400)
    assert stripe_twin.meter_events == []


# Prices of the stage.

def test_prices_are_named_per_plan_interval_and_currency():
    assert stripe.price_for("basic", "year", "gbp") == "price_local_basic_year_gbp"
    assert stripe.plan_of_price("price_local_enterprise_month_usd") == ("enterprise", "month", "USD")
    assert stripe.plan_of_price("price_local_overage_bookings_eur") is None
    assert stripe.plan_of_price("price_elsewhere") is None
    assert stripe.metered_price_for("bookings", "usd") == "price_local_overage_bookings_usd"
    # Enterprise bills WhatsApp overage at its own unit price; no plan bills booking overage but Pro's.
    assert stripe.metered_price_for("messages_whatsapp", "EUR", "enterprise") == \
        "price_local_enterprise_overage_messages_whatsapp_eur"
    assert stripe.metered_price_for("messages_whatsapp", "EUR", "pro") == "price_local_overage_messages_whatsapp_eur"
    assert stripe.metered_price_for("messages_email", "EUR") is None
    assert stripe.meter_event_name("messages_whatsapp") == "whatsapp_overage"
    with pytest.raises(KeyError):
        stripe.price_for("trial", "month", "EUR")
    with pytest.raises(KeyError):
        stripe.meter_event_name("messages_email")


# Failures.

def test_a_5xx_is_retried_once_then_unavailable(stripe_twin):
    customer_id = customer()
    stripe_twin.fail_next(500)
    assert stripe.create_portal_session(customer_id=customer_id, return_url=SUCCESS)  # the retry got through

    stripe_twin.fail_next(503, count=2)
    with pytest.raises(stripe.StripeUnavailable) as unavailable:
        stripe.create_portal_session(customer_id=customer_id, return_url=SUCCESS)

    assert unavailable.value.status == 503 and unavailable.value.code == "stripe_unavailable"
    assert len(stripe_twin.portal_sessions) == 1


@pytest.mark.parametrize("fault", ["rate limited", "dropped"])
def test_throttling_and_lost_connections_are_unavailable(stripe_twin, fault):
    customer_id = customer()
    if fault == "dropped":
        stripe_twin.drop_next(2)
    else:
        stripe_twin.fail_next(429, count=2)

    with pytest.raises(stripe.StripeUnavailable):
        stripe.create_portal_session(customer_id=customer_id, return_url=SUCCESS)


def test_a_refused_api_key_is_unavailable(stripe_twin, configure):
    configure(STRIPE_API_KEY="sk_test_revoked")

    with pytest.raises(stripe.StripeUnavailable):
        customer()
    assert stripe_twin.customers == {}


def test_the_keys_come_from_the_stages_secret_when_one_is_named(stripe_twin, configure):
    arn = aws.client("secretsmanager").create_secret(
        Name=f"booking-test-stripe-{uuid.uuid4().hex[:6]}",
        SecretString=json.dumps({"api_key": stripe_twin.api_key, "webhook_secret": "whsec_from_secret"}))["ARN"]
    configure(STRIPE_SECRET_ARN=arn, STRIPE_API_KEY="sk_test_ignored", STRIPE_WEBHOOK_SECRET="whsec_ignored")

    assert customer().startswith("cus_")
    body = b'{"id": "evt_1", "type": "invoice.paid"}'
    assert stripe.verify_event(body, stripe_twin_sign(body, "whsec_from_secret"))["id"] == "evt_1"
    with pytest.raises(stripe.InvalidSignature):
        stripe.verify_event(body, stripe_twin_sign(body, "whsec_ignored"))


def test_a_rolled_webhook_secret_is_read_again_at_once(stripe_twin, configure):
    sm = aws.client("secretsmanager")
    arn = sm.create_secret(Name=f"booking-test-stripe-{uuid.uuid4().hex[:6]}", SecretString=json.dumps(
        {"api_key": stripe_twin.api_key, "webhook_secret": "whsec_old"}))["ARN"]
    configure(STRIPE_SECRET_ARN=arn)
    body = b'{"id": "evt_2", "type": "invoice.paid"}'
    assert stripe.verify_event(body, stripe_twin_sign(body, "whsec_old"))  # the old secret, now cached

    sm.put_secret_value(SecretId=arn, SecretString=json.dumps(
        {"api_key": stripe_twin.api_key, "webhook_secret": "whsec_new"}))

    assert stripe.verify_event(body, stripe_twin_sign(body, "whsec_new"))["id"] == "evt_2"


def test_a_rolled_api_key_is_read_again_after_stripe_refuses_the_old_one(stripe_twin, configure):
    sm = aws.client("secretsmanager")
    arn = sm.create_secret(Name=f"booking-test-stripe-{uuid.uuid4().hex[:6]}", SecretString=json.dumps(
        {"api_key": stripe_twin.api_key, "webhook_secret": "whsec_x"}))["ARN"]
    configure(STRIPE_SECRET_ARN=arn)
    assert customer()  # the key is now cached for the secret's TTL

    stripe_twin.api_key = "sk_test_rolled"  # rolled in the dashboard, then stored in the secret
    sm.put_secret_value(SecretId=arn, SecretString=json.dumps({"api_key": "sk_test_rolled",
                                                               "webhook_secret": "whsec_x"}))
    with pytest.raises(stripe.StripeUnavailable):
        customer()

    assert customer()  # with the key read afresh


def test_prod_never_takes_plain_keys(configure):
    configure(STAGE="prod", STRIPE_API_KEY="sk_live_plain")

    with pytest.raises(RuntimeError, match="STRIPE_SECRET_ARN"):
        customer()


def test_the_twin_never_serves_a_deployed_function(configure):
    configure(AWS_LAMBDA_FUNCTION_NAME="booking-dev-api_handler", STRIPE_API_KEY="sk_test_other")

    with pytest.raises(RuntimeError, match="twin"):
        customer()


# Our urllib client: a silent or absent server costs seconds, not the function's timeout.

def test_a_silent_stripe_is_unavailable_within_the_timeout(configure):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # connections are accepted by the kernel and never answered
    configure(STRIPE_BACKEND="api", STRIPE_API_BASE=f"http://127.0.0.1:{silent.getsockname()[1]}",
              STRIPE_TIMEOUT_S="0.3")
    try:
        started = time.monotonic()
        with pytest.raises(stripe.StripeUnavailable):
            stripe.retrieve_subscription("sub_123")
        elapsed = time.monotonic() - started
    finally:
        silent.close()

    assert 0.6 <= elapsed < 2.0  # two attempts of 0.3 s and one back-off


def test_an_absent_stripe_is_unavailable(configure):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    configure(STRIPE_BACKEND="api", STRIPE_API_BASE=f"http://127.0.0.1:{port}", STRIPE_TIMEOUT_S="0.3")

    with pytest.raises(stripe.StripeUnavailable):
        stripe.retrieve_invoice("in_123")


def test_the_api_does_not_load_the_stripe_sdk():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, app; print('stripe' in sys.modules)"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=True)

    assert loaded.stdout.strip() == "False"


# The webhook signature.

def stripe_twin_sign(body: bytes, secret: str | None = None, timestamp: int | None = None) -> str:
    return stripe_twin.sign(body, secret or settings().stripe_webhook_secret, timestamp)


EVENT = json.dumps({"id": "evt_1", "object": "event", "type": "customer.subscription.updated",
                    "api_version": stripe_twin.API_VERSION, "created": 1764633600,
                    "data": {"object": {"id": "sub_1", "status": "active"}}}).encode()


def test_a_signed_event_is_answered_as_a_dict():
    event = stripe.verify_event(EVENT, stripe_twin_sign(EVENT))

    assert event == json.loads(EVENT)
    assert stripe.verify_event(EVENT.decode(), stripe_twin_sign(EVENT))["id"] == "evt_1"


def test_a_signature_of_the_sdk_itself_is_accepted():
    import stripe as sdk

    header = sdk.WebhookSignature.generate_signature_header(EVENT.decode(), settings().stripe_webhook_secret)

    assert stripe.verify_event(EVENT, header)["type"] == "customer.subscription.updated"


def test_one_good_signature_among_several_is_enough():
    good = stripe_twin_sign(EVENT)
    t, v1 = good.split(",")
    bad = stripe_twin_sign(EVENT, "whsec_other").split(",")[1]

    assert stripe.verify_event(EVENT, f"{t},{bad},{v1}")["id"] == "evt_1"


@pytest.mark.parametrize("body,header", [
    (EVENT, lambda: None),                                                          # missing
    (EVENT, lambda: ""),                                                            # empty
    (EVENT, lambda: "garbage"),                                                     # not the scheme
    (EVENT, lambda: stripe_twin_sign(EVENT, "whsec_other")),                        # another secret
    (EVENT.replace(b'"active"', b'"canceled"'), lambda: stripe_twin_sign(EVENT)),   # tampered body
    (json.dumps(json.loads(EVENT)).encode() + b" ", lambda: stripe_twin_sign(EVENT)),  # re-serialised
    (EVENT, lambda: stripe_twin_sign(EVENT, timestamp=int(time.time()) - 302)),     # stale
    (EVENT, lambda: stripe_twin_sign(EVENT, timestamp=int(time.time()) + 302)),     # from the future
    (EVENT, lambda: stripe_twin_sign(EVENT).replace("v1=", "v0=")),                 # an old scheme only
    (EVENT, lambda: "t=1," + "v1=" + "0" * 64 * 20),                                # oversized
    (b"\xff\xfe", lambda: stripe_twin_sign(b"\xff\xfe")),                           # not UTF-8
])
def test_an_unsigned_missigned_or_stale_event_is_refused(body, header):
    with pytest.raises(stripe.InvalidSignature) as refused:
        stripe.verify_event(body, header())

    assert refused.value.status == 400 and refused.value.code == "invalid_signature"


def test_a_signature_inside_the_tolerance_is_accepted():
    assert stripe.verify_event(EVENT, stripe_twin_sign(EVENT, timestamp=int(time.time()) - 290))
    assert stripe.verify_event(EVENT, stripe_twin_sign(EVENT, timestamp=int(time.time()) + 60))


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"id": "evt_1"}'])
def test_a_signed_body_that_is_not_an_event_is_a_bad_request(body):
    with pytest.raises(BadRequest) as refused:
        stripe.verify_event(body, stripe_twin_sign(body))

    assert not isinstance(refused.value, stripe.InvalidSignature)


# A real HTTP round trip: our urllib client against the `make run` twin server, and its pages.

class Webhook:
    """What our webhook endpoint would have received from the twin server."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[bytes, str]] = []
        self.url = ""


@pytest.fixture
def webhook():
    state = Webhook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            state.deliveries.append((raw, self.headers["Stripe-Signature"]))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            """Quiet: the test reads what arrived, not the server's log."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_port}/billing/webhook"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def served(configure, webhook):
    twin = stripe_twin.Twin.from_settings()
    server = stripe_twin_server.make_server(twin, 0, webhook.url)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    configure(STRIPE_BACKEND="api", STRIPE_API_BASE=twin.public_base, STRIPE_TIMEOUT_S="2")
    yield twin
    server.shutdown()
    server.server_close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, data: bytes | None = None) -> tuple[int, str, dict]:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=data, method="POST" if data is not None else "GET"),
                         timeout=5) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


def test_checkout_through_the_twin_server_pays_and_posts_signed_events(served, webhook):
    business_id = uuid.uuid4()
    customer_id = customer(business_id)
    session = checkout(customer_id, business_id, cancel_url=CANCEL + '&x="><script>alert(1)</script>')

    assert session["url"] == f"{served.public_base}/checkout/{session['id']}"
    status, page, headers = fetch(session["url"])
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert ">Pay</button>" in page and "49.00 EUR" in page
    assert "<script>" not in page and "&lt;script&gt;" in page

    status, _, headers = fetch(f"{session['url']}/pay", b"")

    assert status == 303 and headers["Location"] == SUCCESS
    events = [stripe.verify_event(body, signature) for body, signature in webhook.deliveries]
    assert [e["type"] for e in events] == [
        "customer.subscription.created", "invoice.finalized", "invoice.paid",
        "customer.subscription.updated", "checkout.session.completed"]
    assert events[-1]["data"]["object"]["client_reference_id"] == str(business_id)
    subscription = stripe.retrieve_subscription(events[0]["data"]["object"]["id"])
    assert subscription["status"] == "active" and subscription["metadata"] == {"business_id": str(business_id)}
    assert fetch(f"{session['url']}/pay", b"")[0] == 409  # paid already


def test_the_portal_page_cancels_at_period_end_and_resumes(served, webhook):
    customer_id = customer()
    session = checkout(customer_id)
    fetch(f"{session['url']}/pay", b"")
    subscription_id = served.subscriptions_of(customer_id)[0]["id"]
    url = stripe.create_portal_session(customer_id=customer_id, return_url="http://127.0.0.1:5173/settings/billing")
    webhook.deliveries.clear()

    status, page, _ = fetch(url)
    assert status == 200 and "Cancel at period end" in page and "http://127.0.0.1:5173/settings/billing" in page
    status, _, headers = fetch(f"{url}/cancel?subscription={subscription_id}", b"")

    assert status == 303 and headers["Location"] == url.removeprefix(served.public_base)
    assert stripe.retrieve_subscription(subscription_id)["cancel_at_period_end"] is True
    [(body, signature)] = webhook.deliveries
    assert stripe.verify_event(body, signature)["data"]["previous_attributes"]["cancel_at_period_end"] is False
    assert "Resume subscription" in fetch(url)[1]

    fetch(f"{url}/resume?subscription={subscription_id}", b"")
    assert stripe.retrieve_subscription(subscription_id)["cancel_at_period_end"] is False


def test_an_open_invoice_is_paid_on_its_hosted_page(served, webhook):
    customer_id = customer()
    fetch(f"{checkout(customer_id)['url']}/pay", b"")
    subscription_id = served.subscriptions_of(customer_id)[0]["id"]
    served.fail_payment(subscription_id)
    invoice = stripe.retrieve_invoice(stripe.retrieve_subscription(subscription_id)["latest_invoice"])
    webhook.deliveries.clear()

    assert invoice["hosted_invoice_url"] == f"{served.public_base}/invoice/{invoice['id']}"
    assert ">Pay 49.00 EUR</button>" in fetch(invoice["hosted_invoice_url"])[1]
    assert fetch(f"{invoice['hosted_invoice_url']}/pay", b"")[0] == 303

    assert [stripe.verify_event(*d)["type"] for d in webhook.deliveries] == [
        "invoice.paid", "customer.subscription.updated"]
    assert stripe.retrieve_subscription(subscription_id)["status"] == "active"
    assert fetch(invoice["invoice_pdf"])[0] == 200


def test_the_twin_server_bounds_what_it_reads(served):
    assert fetch(f"{served.public_base}/v1/customers", b"x" * (stripe_twin_server.MAX_BODY + 1))[0] == 413
    assert fetch(f"{served.public_base}/checkout/cs_unknown")[0] == 404
    assert fetch(f"{served.public_base}/elsewhere")[0] == 404
    status, body, _ = fetch(f"{served.public_base}/v1/subscriptions/sub_1")
    assert status == 401 and json.loads(body)["error"]["type"] == "invalid_request_error"
