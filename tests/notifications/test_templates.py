"""GET /notifications/templates, PUT and DELETE /notifications/templates/{key}: each message's wording
per channel (the product's default or the business's own), and how a wording is filled in."""
from __future__ import annotations

from datetime import datetime, timezone
from uuid import UUID

import pytest

from chalicelib.core import db
from chalicelib.notifications import templates
from chalicelib.notifications.templates import Template, render_email, render_whatsapp
from tests.api import add_member, body, call, new_business
from tests.checks import error_of, invalid_fields, rows

KEYS = {"booking_confirmed.email", "booking_confirmed.whatsapp", "booking_pending.email", "booking_pending.whatsapp",
        "booking_rescheduled.email", "booking_rescheduled.whatsapp", "booking_cancelled.email",
        "booking_cancelled.whatsapp", "reminder.email", "reminder.whatsapp", "staff_new_booking.email"}
EMAIL = {"subject": "See you {start_time}, {customer_name}",
         "body": "Hello {customer_name},\n\n{service} with {staff} at {location}.\nChange it: {manage_link}"}
WHATSAPP = {"name": "salon_reminder_2", "language": "en_GB", "parameters": ["customer_name", "start_time"]}
VALUES = {"customer_name": "Cara", "service": "Cut", "staff": "Sam", "location": "Main Street",
          "start_time": "Monday 7 June 2027, 10:00", "manage_link": "https://book.example/m/abc",
          "business_name": "Salon Lumen"}


def listed(client, session):
    response = call(client, "GET", "/notifications/templates", session=session)
    assert response.status_code == 200, response.body
    answer = body(response)
    assert answer["next_cursor"] is None
    return {item["key"]: item for item in answer["items"]}


def put(client, session, key, content):
    return call(client, "PUT", f"/notifications/templates/{key}", content, session=session)


def stored(business_id):
    return {r["template_key"]: r for r in rows(business_id, "SELECT * FROM notification_templates")}


def set_plan(business_id, plan):
    rows(business_id, "UPDATE businesses SET plan = :plan WHERE id = CAST(:bid AS uuid) RETURNING id",
         plan=plan, bid=business_id)


def template(key, **content):
    message, _, channel = key.partition(".")
    return Template(key, message, channel, content, custom=True, version=1, updated_at=None)


# --- the list ------------------------------------------------------------------------------------

def test_the_list_has_every_message_on_every_channel_with_its_default(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")

    items = listed(client, staff)

    assert set(items) == KEYS
    for key, item in items.items():
        message, _, channel = key.partition(".")
        assert (item["message"], item["channel"], item["custom"], item["version"], item["updated_at"]) == (
            message, channel, False, None, None)
        assert item["audience"] == ("staff" if message == "staff_new_booking" else "customer")
        assert item["content"] == templates.DEFAULTS[key]
        assert item["placeholders"] == list(templates.PLACEHOLDERS)
    assert items == listed(client, owner)


def test_the_defaults_say_what_with_whom_where_and_when(client):
    items = listed(client, new_business(client))

    for message in ("booking_confirmed", "booking_pending", "booking_rescheduled", "reminder"):
        email = items[f"{message}.email"]["content"]
        for placeholder in ("{customer_name}", "{service}", "{staff}", "{location}", "{start_time}", "{manage_link}"):
            assert placeholder in email["body"], (message, placeholder)
    # A cancelled booking's link is the booking page, to book again; the staff member's, the calendar.
    assert "book again" in items["booking_cancelled.email"]["content"]["body"]
    assert "{manage_link}" in items["booking_cancelled.email"]["content"]["body"]
    staff = items["staff_new_booking.email"]["content"]
    assert all(p in staff["subject"] for p in ("{customer_name}", "{service}", "{start_time}"))
    for key, item in items.items():
        if item["channel"] == "whatsapp":
            assert item["content"]["name"] == f"{item['message']}_v1" and item["content"]["language"] == "en"
            assert item["content"]["parameters"][0] == "customer_name"
        # Every default passes the checks a business's own wording must pass.
        assert templates.validate_content(key, item["content"]) == item["content"]


# --- customising ---------------------------------------------------------------------------------

def test_an_admin_customises_an_email_template(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")

    response = put(client, admin, "booking_confirmed.email", EMAIL)

    assert response.status_code == 200, response.body
    answer = body(response)
    assert (answer["key"], answer["custom"], answer["content"], answer["version"]) == (
        "booking_confirmed.email", True, EMAIL, 1)
    assert answer["updated_at"]
    items = listed(client, owner)
    assert items["booking_confirmed.email"] == answer
    assert items["booking_confirmed.whatsapp"]["custom"] is False
    row = stored(owner.business_id)["booking_confirmed.email"]
    assert (row["content"], row["version"]) == (EMAIL, 1)


def test_the_worker_finds_the_custom_wording_and_the_defaults(client):
    owner = new_business(client)
    put(client, owner, "reminder.email", EMAIL)
    bid = UUID(owner.business_id)

    with db.tenant_tx(bid) as tx:
        custom = templates.find(tx, bid, "reminder", "email")
        default = templates.find(tx, bid, "reminder", "whatsapp")

    assert (custom.key, custom.custom, custom.content, custom.version) == ("reminder.email", True, EMAIL, 1)
    assert (default.custom, default.content, default.version) == (False, templates.DEFAULTS["reminder.whatsapp"],
                                                                  None)
    assert render_email(custom, VALUES).subject == "See you Monday 7 June 2027, 10:00, Cara"


def test_an_admin_points_a_whatsapp_message_at_another_approved_template(client):
    owner = new_business(client)

    response = put(client, owner, "reminder.whatsapp", WHATSAPP)

    assert response.status_code == 200, response.body
    assert body(response)["content"] == WHATSAPP
    assert stored(owner.business_id)["reminder.whatsapp"]["content"] == WHATSAPP


def test_replacing_bumps_the_version_and_a_stale_one_is_refused(client):
    owner = new_business(client)
    put(client, owner, "reminder.email", EMAIL)

    replaced = put(client, owner, "reminder.email", {**EMAIL, "subject": "Soon!", "version": 1})
    stale = put(client, owner, "reminder.email", {**EMAIL, "subject": "Lost update", "version": 1})
    never_stored = put(client, owner, "booking_pending.email", {**EMAIL, "version": 1})

    assert body(replaced)["version"] == 2 and body(replaced)["content"]["subject"] == "Soon!"
    error_of(stale, 409, "stale_version")
    error_of(never_stored, 409, "stale_version")
    assert {k: (r["content"]["subject"], r["version"]) for k, r in stored(owner.business_id).items()} == {
        "reminder.email": ("Soon!", 2)}


@pytest.mark.parametrize("field", ["subject", "body"])
def test_an_unknown_placeholder_is_refused_naming_the_field(client, field):
    owner = new_business(client)

    response = put(client, owner, "booking_confirmed.email", {**EMAIL, field: "Pay {price} for {service}"})

    reason = invalid_fields(response)[field]
    assert reason.startswith("unknown placeholder {price}; use one of: {customer_name}")
    assert stored(owner.business_id) == {}


@pytest.mark.parametrize("text", [
    "Hi {customer_name", "Hi customer_name}", "Hi {", "Hi {}", "Hi {0}", "Hi {customer_name.upper}",
    "Hi {customer_name[0]}", "Hi {customer_name!r}", "Hi {customer_name:>20}", "Hi { customer_name }",
])
def test_malformed_placeholders_are_refused(client, text):
    owner = new_business(client)

    response = put(client, owner, "booking_pending.email", {**EMAIL, "body": text})

    assert list(invalid_fields(response)) == ["body"]
    assert stored(owner.business_id) == {}


def test_literal_braces_are_written_doubled(client):
    owner = new_business(client)
    content = {"subject": "Offer {{VIP}}", "body": "Use code {{SPRING}} at {business_name}, {customer_name}."}

    assert put(client, owner, "reminder.email", content).status_code == 200

    rendered = render_email(template("reminder.email", **content), VALUES)
    assert (rendered.subject, rendered.text) == ("Offer {VIP}", "Use code {SPRING} at Salon Lumen, Cara.")


@pytest.mark.parametrize("content, fields", [
    ({**EMAIL, "subject": "Two\nlines"}, {"subject"}),
    ({**EMAIL, "subject": " "}, {"subject"}),
    ({**EMAIL, "body": "x" * 5001}, {"body"}),
    ({"subject": "Only a subject"}, {"body"}),
    ({**EMAIL, "name": "booking_confirmed_v1"}, {"name"}),
    ({**EMAIL, "colour": "red"}, {"colour"}),
])
def test_bad_email_content_is_refused_by_field(client, content, fields):
    owner = new_business(client)

    response = put(client, owner, "booking_cancelled.email", content)

    assert set(invalid_fields(response)) == fields
    assert stored(owner.business_id) == {}


@pytest.mark.parametrize("content, fields", [
    ({**WHATSAPP, "parameters": ["customer_name", "price"]}, {"parameters"}),
    ({**WHATSAPP, "parameters": ["customer_name"] * 11}, {"parameters"}),
    ({**WHATSAPP, "name": "Salon Reminder"}, {"name"}),
    ({**WHATSAPP, "language": "english"}, {"language"}),
    ({"name": "salon_reminder", "language": "en"}, {"parameters"}),
    (EMAIL, {"subject", "body", "name", "language", "parameters"}),
    ({**WHATSAPP, "body": "Hi {customer_name}"}, {"body"}),
])
def test_bad_whatsapp_content_is_refused_by_field(client, content, fields):
    owner = new_business(client)

    response = put(client, owner, "reminder.whatsapp", content)

    assert fields <= set(invalid_fields(response)), response.body
    assert stored(owner.business_id) == {}


@pytest.mark.parametrize("key", ["booking_exploded.email", "staff_new_booking.whatsapp", "reminder.sms", "reminder",
                                 "reminder.email.extra"])
def test_an_unknown_template_key_is_not_found(client, key):
    owner = new_business(client)

    error_of(put(client, owner, key, EMAIL), 404, "not_found")
    error_of(call(client, "DELETE", f"/notifications/templates/{key}", session=owner), 404, "not_found")
    assert stored(owner.business_id) == {}


def test_delete_goes_back_to_the_default(client):
    owner = new_business(client)
    put(client, owner, "booking_rescheduled.email", EMAIL)
    put(client, owner, "reminder.email", EMAIL)

    response = call(client, "DELETE", "/notifications/templates/booking_rescheduled.email", session=owner)

    assert response.status_code == 204 and not response.body
    item = listed(client, owner)["booking_rescheduled.email"]
    assert (item["custom"], item["content"], item["version"]) == (
        False, templates.DEFAULTS["booking_rescheduled.email"], None)
    assert set(stored(owner.business_id)) == {"reminder.email"}
    again = call(client, "DELETE", "/notifications/templates/booking_rescheduled.email", session=owner)
    assert again.status_code == 204


def test_custom_templates_need_a_plan_that_includes_them(client):
    owner = new_business(client)
    put(client, owner, "reminder.email", EMAIL)
    set_plan(owner.business_id, "basic")

    response = put(client, owner, "booking_confirmed.email", EMAIL)

    assert error_of(response, 403, "plan_required")["details"] == {
        "feature": "custom_templates", "current": False, "plan": "basic", "upgrade_to": "pro"}
    assert set(stored(owner.business_id)) == {"reminder.email"}
    # The wording stored on the trial is kept, but the default is what a Basic business sends.
    assert listed(client, owner)["reminder.email"]["custom"] is False
    bid = UUID(owner.business_id)
    with db.tenant_tx(bid) as tx:
        assert templates.find(tx, bid, "reminder", "email").custom is False
    set_plan(owner.business_id, "pro")
    assert listed(client, owner)["reminder.email"]["content"] == EMAIL


def test_staff_read_the_templates_but_cannot_change_them(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    put(client, owner, "reminder.email", EMAIL)

    error_of(put(client, staff, "booking_confirmed.email", EMAIL), 403, "forbidden")
    error_of(call(client, "DELETE", "/notifications/templates/reminder.email", session=staff), 403, "forbidden")

    assert set(stored(owner.business_id)) == {"reminder.email"}
    assert listed(client, staff)["reminder.email"]["custom"] is True


def test_another_business_keeps_its_defaults_and_cannot_reset_the_first(client):
    a_owner, b_owner = new_business(client), new_business(client)
    put(client, a_owner, "reminder.email", EMAIL)

    assert all(not item["custom"] for item in listed(client, b_owner).values())
    assert call(client, "DELETE", "/notifications/templates/reminder.email", session=b_owner).status_code == 204

    assert listed(client, a_owner)["reminder.email"]["content"] == EMAIL
    assert set(stored(a_owner.business_id)) == {"reminder.email"}


def test_the_templates_need_a_token(client):
    assert call(client, "GET", "/notifications/templates").status_code == 401
    assert call(client, "PUT", "/notifications/templates/reminder.email", EMAIL).status_code == 401


# --- rendering (no database) ---------------------------------------------------------------------

def test_render_email_fills_the_placeholders_in_subject_text_and_html():
    rendered = render_email(template("booking_confirmed.email", **templates.DEFAULTS["booking_confirmed.email"]),
                            VALUES)

    assert rendered.subject == "Your Cut on Monday 7 June 2027, 10:00 is confirmed"
    assert rendered.text.startswith("Hi Cara,\n\nYour booking with Salon Lumen is confirmed:\n\n"
                                    "Cut with Sam\nMonday 7 June 2027, 10:00\nMain Street\n\n")
    assert "https://book.example/m/abc" in rendered.text
    assert rendered.html.startswith("<!DOCTYPE html>")
    assert ('<p style="margin:0 0 16px">Cut with Sam<br>\nMonday 7 June 2027, 10:00<br>\nMain Street</p>'
            in rendered.html)


def test_render_email_escapes_html_in_values_and_wording():
    rendered = render_email(template("reminder.email", subject="Hi {customer_name}",
                                     body="<b>Bold?</b> {customer_name} & co"),
                            {"customer_name": '<script>alert("x")</script>'})

    assert rendered.text == '<b>Bold?</b> <script>alert("x")</script> & co'
    assert "<script>" not in rendered.html and "<b>" not in rendered.html
    assert "&lt;b&gt;Bold?&lt;/b&gt; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in rendered.html
    assert "<title>Hi &lt;script&gt;" in rendered.html


def test_render_email_makes_links_clickable_without_trailing_punctuation():
    rendered = render_email(template("reminder.email", subject="s",
                                     body="Manage: {manage_link}.\nOr see (https://salon.example/faq?a=1&b=2)."),
                            VALUES)

    assert ('<a href="https://book.example/m/abc" style="color:#1a56db">https://book.example/m/abc</a>.'
            in rendered.html)
    assert ('(<a href="https://salon.example/faq?a=1&amp;b=2" style="color:#1a56db">'
            'https://salon.example/faq?a=1&amp;b=2</a>).' in rendered.html)
    plain = render_email(template("reminder.email", subject="s", body="ftp://x.example or https://"), {})
    assert "<a" not in plain.html


def test_render_email_makes_paragraphs_of_blank_lines_and_breaks_of_newlines():
    rendered = render_email(template("reminder.email", subject="s", body="One\ntwo\n\n\nThree\r\n\r\nFour"), {})

    assert ('<p style="margin:0 0 16px">One<br>\ntwo</p>\n<p style="margin:0 0 16px">Three</p>\n'
            '<p style="margin:0 0 16px">Four</p>') in rendered.html


def test_a_missing_value_renders_empty_and_the_subject_stays_one_line():
    rendered = render_email(template("reminder.email", subject="For {customer_name} at {start_time}",
                                     body="Hi {customer_name}, see you {start_time}."),
                            {"customer_name": "Cara\r\nBcc: victim@example.com"})

    # The name is public text: on one line, and no address in it stays one (see test_public_text.py).
    assert rendered.subject == "For Cara Bcc\u200b: victim\u200b@example\u200b.com at"
    assert rendered.text == "Hi Cara Bcc\u200b: victim\u200b@example\u200b.com, see you ."


def test_an_unreadable_wording_renders_as_written():
    rendered = render_email(template("reminder.email", subject="Hi {customer_name", body="{a.b} {0} {customer_name!r}"),
                            VALUES)

    assert rendered.subject == "Hi {customer_name"
    assert rendered.text == "{a.b} {0} {customer_name!r}"


def test_render_whatsapp_gives_the_parameters_in_the_templates_order():
    content = {"name": "salon_reminder_2", "language": "en_GB",
               "parameters": ["start_time", "customer_name", "manage_link", "customer_name"]}

    rendered = render_whatsapp(template("reminder.whatsapp", **content),
                               {**VALUES, "customer_name": "Cara\n  Lee\t"})

    assert (rendered.name, rendered.language) == ("salon_reminder_2", "en_GB")
    # WhatsApp refuses a parameter with a newline, a tab or a run of spaces.
    assert rendered.parameters == ["Monday 7 June 2027, 10:00", "Cara Lee", "https://book.example/m/abc", "Cara Lee"]


def test_render_whatsapp_leaves_a_missing_value_empty():
    rendered = render_whatsapp(template("reminder.whatsapp", **templates.DEFAULTS["reminder.whatsapp"]),
                               {"customer_name": "Cara", "service": "Cut"})

    assert rendered == templates.RenderedWhatsApp("reminder_v1", "en", ["Cara", "Cut", "", "", "", ""])


def test_a_templates_json_has_its_version_and_iso_time():
    moment = datetime(2027, 6, 1, tzinfo=timezone.utc)
    item = templates.template_json(Template("reminder.email", "reminder", "email", EMAIL, True, 3, moment))

    assert (item["version"], item["updated_at"], item["audience"]) == (3, "2027-06-01T00:00:00+00:00", "customer")
