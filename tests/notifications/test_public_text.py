"""Text the public types on the booking page (name, notes) goes out in mail sent in the business's name:
it must never become a link or markup there, not even one a mail client would make by itself of a
URL or an address it sees in the text (so the booking form is no relay for phishing links)."""
from __future__ import annotations

import html
import re
import uuid

from chalicelib.notifications import templates
from tests.appointments.helpers import calendar
from tests.booking.conftest import address_counts_cleared  # noqa: F401 - the public routes' counts, shared
from tests.booking.helpers import booked_online, booking_body, slug_of
from tests.checks import rows

NAME = 'Click http://evil.example <a href="https://evil.example/x">here</a> or mail pay@evil.example'
NOTES = "see www.evil.example"
# What a mail client's linkifier takes for a link or an address (scheme, www., a bare domain of the
# name's, an address): none of it may come out of the public text.
AUTOLINKABLE = re.compile(r"https?://evil|www\.evil|evil\.example|\w@evil")


def _parts(message) -> tuple[str, str]:
    plain = message.get_body(preferencelist=("plain",)).get_content()
    markup = message.get_body(preferencelist=("html",)).get_content()
    return plain, markup


def _anchors(markup: str) -> list[str]:
    return re.findall(r"<a\b[^>]*>.*?</a>", markup, flags=re.S | re.I)


def _staff_mailbox(cal) -> str:
    address = f"stylist-{uuid.uuid4().hex[:8]}@example.com"
    rows(cal.business_id, "UPDATE staff SET email = :email WHERE id = CAST(:id AS uuid) RETURNING id",
         email=address, id=cal.staff_ids[0])
    return address


def test_a_booked_name_and_notes_become_no_link_in_the_customers_and_the_staff_mail(client, mail):
    cal = calendar(client)
    staff_address = _staff_mailbox(cal)
    payload = booking_body(cal, cal.at(3, 10), notes=NOTES)
    payload["customer"]["name"] = NAME
    customer_address = payload["customer"]["email"]

    booked_online(client, slug_of(client, cal), payload)

    [to_customer] = mail.sent_to(customer_address)
    [to_staff] = mail.sent_to(staff_address)
    for message in (to_customer, to_staff):
        plain, markup = _parts(message)
        shown = html.unescape(re.sub(r"<[^>]+>", "", markup))
        # The name is there, readable, and nothing of it is a link or markup.
        assert "Click http" in plain and "Click http" in shown
        assert all("evil" not in anchor for anchor in _anchors(markup)), _anchors(markup)
        assert "<a href=\"https://evil" not in markup and "&lt;a href=" in markup
        for text in (plain, markup, shown, message["Subject"]):
            assert not AUTOLINKABLE.search(text), (AUTOLINKABLE.search(text), text)
        # The business's own link still is one.
        if message is to_customer:
            assert any("/manage-booking?token=" in anchor for anchor in _anchors(markup))
    [invite] = [p for p in to_customer.iter_attachments() if p.get_content_type() == "text/calendar"]
    unfolded = invite.get_content().replace("\r\n ", "")
    assert "Click http" in unfolded and not AUTOLINKABLE.search(unfolded)


def test_unlinkable_text_reads_the_same_and_holds_no_link():
    content = templates.unlinkable(NAME)

    assert not AUTOLINKABLE.search(content)
    assert content.replace("\u200b", "") == NAME


def test_a_link_in_the_wording_never_runs_on_into_the_name():
    template = templates.Template("reminder.email", "reminder", "email",
                                  {"subject": "s", "body": "See https://salon.example/{customer_name} now"},
                                  custom=True, version=1, updated_at=None)

    rendered = templates.render_email(template, {"customer_name": "x.evil.example/phish"})

    assert _anchors(rendered.html) == [
        '<a href="https://salon.example/" style="color:#1a56db">https://salon.example/</a>']
    assert not AUTOLINKABLE.search(rendered.text) and not AUTOLINKABLE.search(rendered.html)


def test_a_public_name_is_no_link_in_a_whatsapp_message_either():
    template = templates.Template("reminder.whatsapp", "reminder", "whatsapp",
                                  {"name": "reminder_v1", "language": "en", "parameters": ["customer_name", "service"]},
                                  custom=False, version=None, updated_at=None)

    rendered = templates.render_whatsapp(template, {"customer_name": NAME, "service": "Cut at salon.example"})

    assert not AUTOLINKABLE.search(rendered.parameters[0])
    # The business's own words are its own: they stay as written.
    assert rendered.parameters[1] == "Cut at salon.example"
