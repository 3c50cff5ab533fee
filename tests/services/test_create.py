"""POST /services: a catalogue entry priced in the business's currency."""
from __future__ import annotations

import uuid

import pytest

from tests.api import add_member, body, call, new_business, signup
from tests.services.helpers import create_service, error_of, invalid_fields, service_rows


def test_an_admin_creates_a_service_with_every_field(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    form_id = str(uuid.uuid4())

    response = call(client, "POST", "/services", {
        "name": "Colour & Cut", "description": "Full colour,\nthen a cut.", "category": "Hair", "color": "#A1B2C3",
        "duration_min": 120, "price": {"amount": 9500, "currency": "GBP"}, "buffer_before_min": 5,
        "buffer_after_min": 15, "capacity": 1, "active": True, "bookable_online": False,
        "requires_confirmation": True, "intake_form_id": form_id}, session=admin)

    assert response.status_code == 201, response.body
    created = body(response)
    assert {k: created[k] for k in ("name", "description", "category", "color", "duration_min", "price",
                                    "buffer_before_min", "buffer_after_min", "capacity", "active", "bookable_online",
                                    "requires_confirmation", "intake_form_id", "staff", "archived")} == {
        "name": "Colour & Cut", "description": "Full colour,\nthen a cut.", "category": "Hair", "color": "#a1b2c3",
        "duration_min": 120, "price": {"amount": 9500, "currency": "GBP"}, "buffer_before_min": 5,
        "buffer_after_min": 15, "capacity": 1, "active": True, "bookable_online": False,
        "requires_confirmation": True, "intake_form_id": form_id, "staff": [], "archived": False}
    assert created["version"] == 1 and created["archived_at"] is None and created["created_at"]
    [row] = service_rows(owner.business_id)
    assert str(row["id"]) == created["id"]
    assert (row["color"], row["price_minor"], row["currency"], row["duration_min"], str(row["intake_form_id"])) == (
        "#a1b2c3", 9500, "GBP", 120, form_id)


def test_the_defaults_are_a_single_seat_online_bookable_service_with_business_buffers(client):
    owner = signup(client, currency="EUR")

    created = create_service(client, owner, name="Massage", duration_min=60, price={"amount": 0})

    assert created["price"] == {"amount": 0, "currency": "EUR"}
    assert (created["capacity"], created["active"], created["bookable_online"], created["requires_confirmation"]) == (
        1, True, True, False)
    assert (created["buffer_before_min"], created["buffer_after_min"]) == (None, None)
    assert (created["description"], created["category"], created["color"], created["intake_form_id"]) == (
        None, None, None, None)
    row = service_rows(owner.business_id)[0]
    assert (row["currency"], row["buffer_before_min"], row["capacity"]) == ("EUR", None, 1)


def test_a_group_session_has_several_seats(client):
    owner = new_business(client)

    assert create_service(client, owner, name="Yoga Class", capacity=12)["capacity"] == 12


def test_a_price_in_another_currency_than_the_business_is_refused(client):
    owner = signup(client, currency="GBP")

    response = call(client, "POST", "/services", {"name": "Cut", "duration_min": 30,
                                                  "price": {"amount": 3000, "currency": "EUR"}}, session=owner)

    assert invalid_fields(response) == {"price.currency": "must be GBP, the currency prices are shown in"}
    assert service_rows(owner.business_id) == []


@pytest.mark.parametrize(("fields", "field"), [
    ({"name": ""}, "name"),
    ({"name": "x" * 121}, "name"),
    ({"duration_min": 4}, "duration_min"),
    ({"duration_min": 1441}, "duration_min"),
    ({"duration_min": 30.5}, "duration_min"),
    ({"duration_min": None}, "duration_min"),
    ({"price": {"amount": -1}}, "price.amount"),
    ({"price": {"amount": 12.5}}, "price.amount"),
    ({"price": {"amount": "10"}}, "price.amount"),
    ({"price": {"amount": 100, "currency": "euro"}}, "price.currency"),
    ({"price": {"amount": 100, "currency": None}}, "price.currency"),
    ({"price": {"currency": "GBP"}}, "price.amount"),
    ({"price": 4500}, "price"),
    ({"price": {"amount": 100, "tax": 20}}, "price.tax"),
    ({"color": "red"}, "color"),
    ({"color": "#12345"}, "color"),
    ({"color": "#12345g"}, "color"),
    ({"buffer_before_min": -1}, "buffer_before_min"),
    ({"buffer_after_min": 241}, "buffer_after_min"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": 501}, "capacity"),
    ({"active": "yes"}, "active"),
    ({"bookable_online": 1}, "bookable_online"),
    ({"requires_confirmation": None}, "requires_confirmation"),
    ({"intake_form_id": "form-1"}, "intake_form_id"),
    ({"category": ""}, "category"),
    ({"description": "d" * 2001}, "description"),
    ({"staff": []}, "staff"),
    ({"archived": True}, "archived"),
])
def test_an_invalid_field_is_named_and_nothing_is_stored(client, fields, field):
    owner = new_business(client)

    response = call(client, "POST", "/services",
                    {"name": "Not Stored", "duration_min": 30, "price": {"amount": 1000}, **fields}, session=owner)

    assert set(invalid_fields(response)) == {field}
    assert service_rows(owner.business_id) == []


@pytest.mark.parametrize("missing", ["name", "duration_min", "price"])
def test_name_duration_and_price_are_required(client, missing):
    owner = new_business(client)
    payload = {"name": "Cut", "duration_min": 30, "price": {"amount": 1000}}
    del payload[missing]

    assert invalid_fields(call(client, "POST", "/services", payload, session=owner)) == {missing: "required"}
    assert service_rows(owner.business_id) == []


def test_staff_cannot_create_a_service(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")

    response = call(client, "POST", "/services", {"name": "Cut", "duration_min": 30, "price": {"amount": 1}},
                    session=staff)

    error_of(response, 403, "forbidden")
    assert service_rows(owner.business_id) == []
