"""GET and PUT /notifications/settings: channels, reminder offsets and sender details per business."""
from __future__ import annotations

import json
from datetime import timedelta
from uuid import UUID

import pytest

from chalicelib.core import db
from chalicelib.integrations import whatsapp
from chalicelib.notifications import preferences
from tests.api import add_member, body, call, new_business
from tests.appointments.helpers import booked, calendar
from tests.checks import error_of, invalid_fields, rows

DEFAULTS = {"email_enabled": True, "whatsapp_enabled": False, "whatsapp_phone_number_id": None,
            "whatsapp_access_token_set": False, "reminder_offsets_min": [1440, 120], "sender_name": None,
            "reply_to": None, "version": 1, "updated_at": None}
PHONE_NUMBER_ID = "106540352242922"
TOKEN = "EAAGm0PX4ZCpsBA-test-token-0123456789"


def settings_of(client, session):
    response = call(client, "GET", "/notifications/settings", session=session)
    assert response.status_code == 200, response.body
    return body(response)


def put(client, session, changes):
    return call(client, "PUT", "/notifications/settings", changes, session=session)


def stored(business_id):
    return rows(business_id, "SELECT * FROM notification_settings")


def set_plan(business_id, plan):
    rows(business_id, "UPDATE businesses SET plan = :plan WHERE id = CAST(:bid AS uuid) RETURNING id",
         plan=plan, bid=business_id)


def reminders_of(business_id, appointment_id):
    return rows(business_id, "SELECT offset_min, starts_at, due_at, state FROM reminders "
                "WHERE appointment_id = CAST(:id AS uuid) ORDER BY offset_min DESC", id=appointment_id)


def test_a_new_business_has_the_default_settings_and_no_row(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")

    assert settings_of(client, owner) == DEFAULTS
    assert settings_of(client, staff) == DEFAULTS
    assert stored(owner.business_id) == []


def test_an_admin_changes_the_settings_and_reads_them_back(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")

    response = put(client, admin, {"email_enabled": False, "reminder_offsets_min": [60, 2880, 180],
                                   "sender_name": "Salon Lumen", "reply_to": "Desk@Lumen.Example"})

    assert response.status_code == 200, response.body
    answer = body(response)
    assert answer == {**DEFAULTS, "email_enabled": False, "reminder_offsets_min": [2880, 180, 60],
                      "sender_name": "Salon Lumen", "reply_to": "desk@lumen.example", "version": 2,
                      "updated_at": answer["updated_at"]}
    assert answer["updated_at"]
    assert settings_of(client, owner) == answer
    [row] = stored(owner.business_id)
    assert (row["email_enabled"], row["reminder_offsets_min"], row["sender_name"], row["reply_to"], row["version"]) \
        == (False, [2880, 180, 60], "Salon Lumen", "desk@lumen.example", 2)


def test_absent_fields_stay_and_null_clears_a_sender_detail(client):
    owner = new_business(client)
    put(client, owner, {"sender_name": "Salon Lumen", "reply_to": "desk@lumen.example"})

    answer = body(put(client, owner, {"reply_to": None}))

    assert (answer["sender_name"], answer["reply_to"], answer["version"]) == ("Salon Lumen", None, 3)
    assert answer["reminder_offsets_min"] == [1440, 120] and answer["email_enabled"] is True


def test_the_service_gives_the_worker_the_settings_that_apply(client):
    owner = new_business(client)
    bid = UUID(owner.business_id)
    with db.tenant_tx(bid) as tx:
        assert preferences.get(tx, bid) == preferences.Preferences(True, False, None, (1440, 120), None, None)
    put(client, owner, {"reminder_offsets_min": [30], "sender_name": "Lumen"})

    with db.tenant_tx(bid) as tx:
        assert preferences.get(tx, bid) == preferences.Preferences(True, False, None, (30,), "Lumen", None)


@pytest.mark.parametrize("offsets, field", [
    ([10], "reminder_offsets_min.0"),
    ([1440, 20161], "reminder_offsets_min.1"),
    ([120, 120], "reminder_offsets_min"),
    ([15, 30, 60, 120, 1440, 2880], "reminder_offsets_min"),
    ([60.5], "reminder_offsets_min.0"),
    ("1440", "reminder_offsets_min"),
    (None, "reminder_offsets_min"),
])
def test_bad_reminder_offsets_are_refused_and_nothing_is_stored(client, offsets, field):
    owner = new_business(client)

    response = put(client, owner, {"reminder_offsets_min": offsets, "sender_name": "Not Stored"})

    assert field in invalid_fields(response)
    assert stored(owner.business_id) == []


@pytest.mark.parametrize("changes, field", [
    ({"sender_name": "Two\nLines"}, "sender_name"),
    ({"sender_name": "x" * 101}, "sender_name"),
    ({"sender_name": ""}, "sender_name"),
    ({"reply_to": "not-an-address"}, "reply_to"),
    ({"whatsapp_phone_number_id": "+34 600"}, "whatsapp_phone_number_id"),
    ({"whatsapp_access_token": "short"}, "whatsapp_access_token"),
    ({"email_enabled": "yes"}, "email_enabled"),
    ({"colour": "blue"}, "colour"),
])
def test_bad_fields_are_refused_by_name_and_nothing_is_stored(client, changes, field):
    owner = new_business(client)

    response = put(client, owner, changes)

    assert field in invalid_fields(response)
    assert stored(owner.business_id) == []
    assert whatsapp.has_access_token(UUID(owner.business_id)) is False


def test_an_empty_offsets_list_means_no_reminders(client):
    cal = calendar(client)
    appointment = booked(client, cal, cal.at(3, 10))
    put(client, cal.owner, {"reminder_offsets_min": [1440, 120]})

    answer = body(put(client, cal.owner, {"reminder_offsets_min": []}))

    assert answer["reminder_offsets_min"] == []
    assert stored(cal.business_id)[0]["reminder_offsets_min"] == []
    assert reminders_of(cal.business_id, appointment["id"]) == []


def test_new_offsets_rearm_the_reminders_of_upcoming_appointments(client):
    cal = calendar(client)
    start = cal.at(3, 10)
    appointment = booked(client, cal, start)
    before = reminders_of(cal.business_id, appointment["id"])
    assert [r["offset_min"] for r in before] in ([], [1440, 120])  # armed at booking once that is wired

    assert put(client, cal.owner, {"reminder_offsets_min": [120, 1440]}).status_code == 200

    armed = reminders_of(cal.business_id, appointment["id"])
    assert [(r["offset_min"], r["due_at"], r["state"]) for r in armed] == [
        (1440, start - timedelta(minutes=1440), "scheduled"), (120, start - timedelta(minutes=120), "scheduled")]

    assert put(client, cal.owner, {"reminder_offsets_min": [60]}).status_code == 200

    [only] = reminders_of(cal.business_id, appointment["id"])
    assert (only["offset_min"], only["starts_at"], only["due_at"]) == (60, start, start - timedelta(minutes=60))


def test_enabling_whatsapp_needs_a_phone_number_id_and_a_token(client):
    owner = new_business(client)

    no_number = put(client, owner, {"whatsapp_enabled": True})
    no_token = put(client, owner, {"whatsapp_enabled": True, "whatsapp_phone_number_id": PHONE_NUMBER_ID})

    assert invalid_fields(no_number) == {"whatsapp_phone_number_id": "required while WhatsApp is enabled"}
    assert list(invalid_fields(no_token)) == ["whatsapp_access_token"]
    assert stored(owner.business_id) == []


def test_the_access_token_is_stored_but_never_shown(client):
    owner = new_business(client)

    response = put(client, owner, {"whatsapp_enabled": True, "whatsapp_phone_number_id": PHONE_NUMBER_ID,
                                   "whatsapp_access_token": TOKEN})

    assert response.status_code == 200, response.body
    answer = body(response)
    assert (answer["whatsapp_enabled"], answer["whatsapp_phone_number_id"], answer["whatsapp_access_token_set"]) == (
        True, PHONE_NUMBER_ID, True)
    assert "whatsapp_access_token" not in answer
    assert TOKEN not in response.body.decode() and TOKEN not in call(
        client, "GET", "/notifications/settings", session=owner).body.decode()
    assert TOKEN not in json.dumps(stored(owner.business_id), default=str)
    assert whatsapp.has_access_token(UUID(owner.business_id))


def test_a_token_stored_earlier_is_enough_to_enable_whatsapp(client):
    owner = new_business(client)
    first = body(put(client, owner, {"whatsapp_phone_number_id": PHONE_NUMBER_ID, "whatsapp_access_token": TOKEN}))
    assert (first["whatsapp_enabled"], first["whatsapp_access_token_set"]) == (False, True)

    answer = body(put(client, owner, {"whatsapp_enabled": True}))

    assert (answer["whatsapp_enabled"], answer["whatsapp_access_token_set"], answer["version"]) == (True, True, 3)


def test_the_phone_number_id_cannot_be_cleared_while_whatsapp_is_on(client):
    owner = new_business(client)
    put(client, owner, {"whatsapp_enabled": True, "whatsapp_phone_number_id": PHONE_NUMBER_ID,
                        "whatsapp_access_token": TOKEN})

    response = put(client, owner, {"whatsapp_phone_number_id": None})

    assert list(invalid_fields(response)) == ["whatsapp_phone_number_id"]
    assert stored(owner.business_id)[0]["whatsapp_phone_number_id"] == PHONE_NUMBER_ID


def test_whatsapp_needs_a_plan_that_includes_it(client):
    owner = new_business(client)
    set_plan(owner.business_id, "basic")

    response = put(client, owner, {"whatsapp_enabled": True, "whatsapp_phone_number_id": PHONE_NUMBER_ID,
                                   "whatsapp_access_token": TOKEN})

    error = error_of(response, 403, "plan_required")
    assert error["details"] == {"feature": "whatsapp", "current": False, "plan": "basic", "upgrade_to": "pro"}
    assert stored(owner.business_id) == []
    assert whatsapp.has_access_token(UUID(owner.business_id)) is False
    # The rest of the settings are every plan's.
    assert put(client, owner, {"sender_name": "Basic Salon"}).status_code == 200


def test_whatsapp_enabled_on_a_trial_stops_on_a_plan_without_it(client):
    owner = new_business(client)
    put(client, owner, {"whatsapp_enabled": True, "whatsapp_phone_number_id": PHONE_NUMBER_ID,
                        "whatsapp_access_token": TOKEN})

    set_plan(owner.business_id, "basic")

    assert settings_of(client, owner)["whatsapp_enabled"] is False
    bid = UUID(owner.business_id)
    with db.tenant_tx(bid) as tx:
        assert preferences.get(tx, bid).whatsapp_enabled is False
    assert stored(owner.business_id)[0]["whatsapp_enabled"] is True  # kept for an upgrade
    set_plan(owner.business_id, "pro")
    assert settings_of(client, owner)["whatsapp_enabled"] is True


def test_a_stale_version_is_refused_and_changes_nothing(client):
    owner = new_business(client)
    assert body(put(client, owner, {"sender_name": "First", "version": 1}))["version"] == 2

    response = put(client, owner, {"sender_name": "Second", "version": 1})

    error_of(response, 409, "stale_version")
    assert (stored(owner.business_id)[0]["sender_name"], stored(owner.business_id)[0]["version"]) == ("First", 2)
    assert body(put(client, owner, {"sender_name": "Second", "version": 2}))["version"] == 3


def test_a_version_other_than_1_is_stale_before_the_first_change(client):
    owner = new_business(client)

    error_of(put(client, owner, {"sender_name": "Late", "version": 2}), 409, "stale_version")

    assert stored(owner.business_id) == []


def test_staff_cannot_change_the_settings(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")

    response = put(client, staff, {"email_enabled": False})

    error_of(response, 403, "forbidden")
    assert stored(owner.business_id) == []


def test_the_settings_need_a_token(client):
    assert call(client, "GET", "/notifications/settings").status_code == 401
    assert call(client, "PUT", "/notifications/settings", {"email_enabled": False}).status_code == 401


def test_another_business_sees_its_own_defaults_and_changes_only_its_own(client):
    a_owner, b_owner = new_business(client), new_business(client)
    put(client, a_owner, {"email_enabled": False, "reminder_offsets_min": [30], "whatsapp_access_token": TOKEN,
                          "whatsapp_phone_number_id": PHONE_NUMBER_ID})
    a_before = stored(a_owner.business_id)

    assert settings_of(client, b_owner) == DEFAULTS
    answer = body(put(client, b_owner, {"sender_name": "Bravo", "version": 1}))

    assert answer["sender_name"] == "Bravo" and answer["whatsapp_access_token_set"] is False
    assert stored(a_owner.business_id) == a_before
    assert [r["sender_name"] for r in stored(b_owner.business_id)] == ["Bravo"]
