"""PATCH /business booking_policy: slot interval, notice, advance window, cutoffs, buffers, auto-confirm."""
from __future__ import annotations

import pytest

from tests.api import add_member, body, call, new_business
from tests.business.helpers import business_row, error_of, invalid_fields

POLICY = {"slot_interval_min": 30, "min_notice_min": 120, "max_advance_days": 365, "cancel_cutoff_min": 2880,
          "reschedule_cutoff_min": 720, "buffer_before_min": 10, "buffer_after_min": 15, "auto_confirm": False}


def patch(client, session, changes):
    return call(client, "PATCH", "/business", changes, session=session)


def test_an_admin_sets_the_whole_booking_policy(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")

    response = patch(client, admin, {"booking_policy": POLICY})

    assert response.status_code == 200, response.body
    assert body(response)["booking_policy"] == POLICY
    assert body(call(client, "GET", "/business", session=owner))["booking_policy"] == POLICY
    row = business_row(owner.business_id)
    assert {field: row[field] for field in POLICY} == POLICY


def test_one_policy_field_changes_and_the_others_stay(client):
    owner = new_business(client)
    assert patch(client, owner, {"booking_policy": POLICY}).status_code == 200

    response = patch(client, owner, {"booking_policy": {"min_notice_min": 0}})

    assert response.status_code == 200
    assert body(response)["booking_policy"] == {**POLICY, "min_notice_min": 0}


def test_a_policy_update_leaves_the_profile_alone_and_vice_versa(client):
    owner = new_business(client)
    assert patch(client, owner, {"booking_policy": POLICY}).status_code == 200
    profile = body(call(client, "GET", "/business", session=owner))

    response = patch(client, owner, {"name": "Only The Name"})

    assert body(response)["booking_policy"] == POLICY
    response = patch(client, owner, {"booking_policy": {"auto_confirm": True}})
    after = body(response)
    assert (after["name"], after["slug"], after["contact"]) == ("Only The Name", profile["slug"], profile["contact"])


def test_policy_and_profile_change_together_in_one_version(client):
    owner = new_business(client)

    response = patch(client, owner, {"name": "Both", "booking_policy": {"buffer_after_min": 5}, "version": 1})

    assert response.status_code == 200
    answer = body(response)
    assert answer["name"] == "Both" and answer["booking_policy"]["buffer_after_min"] == 5 and answer["version"] == 2


@pytest.mark.parametrize(("field", "value"), [
    ("slot_interval_min", 5), ("slot_interval_min", 240),
    ("min_notice_min", 0), ("min_notice_min", 129600),
    ("max_advance_days", 1), ("max_advance_days", 730),
    ("cancel_cutoff_min", 0), ("cancel_cutoff_min", 129600),
    ("reschedule_cutoff_min", 0), ("reschedule_cutoff_min", 129600),
    ("buffer_before_min", 0), ("buffer_before_min", 240),
    ("buffer_after_min", 0), ("buffer_after_min", 240),
])
def test_the_edges_of_each_range_are_accepted(client, field, value):
    owner = new_business(client)

    response = patch(client, owner, {"booking_policy": {field: value}})

    assert response.status_code == 200, response.body
    assert body(response)["booking_policy"][field] == value
    assert business_row(owner.business_id)[field] == value


@pytest.mark.parametrize(("field", "value"), [
    ("slot_interval_min", 4), ("slot_interval_min", 241), ("slot_interval_min", 0), ("slot_interval_min", -15),
    ("min_notice_min", -1), ("min_notice_min", 129601),
    ("max_advance_days", 0), ("max_advance_days", 731),
    ("cancel_cutoff_min", -1), ("cancel_cutoff_min", 129601),
    ("reschedule_cutoff_min", -1), ("reschedule_cutoff_min", 10 ** 12),
    ("buffer_before_min", -1), ("buffer_before_min", 241),
    ("buffer_after_min", -1), ("buffer_after_min", 241),
    ("slot_interval_min", "15"), ("slot_interval_min", 15.5), ("slot_interval_min", None),
    ("max_advance_days", True),
    ("auto_confirm", "yes"), ("auto_confirm", 1), ("auto_confirm", None),
])
def test_an_out_of_range_or_mistyped_policy_value_is_named_by_its_path(client, field, value):
    owner = new_business(client)
    before = business_row(owner.business_id)

    response = patch(client, owner, {"name": "Not Stored", "booking_policy": {field: value}})

    assert set(invalid_fields(response)) == {f"booking_policy.{field}"}
    assert business_row(owner.business_id) == before


def test_the_policy_must_be_an_object(client):
    owner = new_business(client)
    before = business_row(owner.business_id)

    for value in (None, [], 15, "strict"):
        assert set(invalid_fields(patch(client, owner, {"booking_policy": value}))) == {"booking_policy"}

    assert business_row(owner.business_id) == before


def test_staff_cannot_change_the_booking_policy(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    before = business_row(owner.business_id)

    error_of(patch(client, staff, {"booking_policy": {"auto_confirm": False}}), 403, "forbidden")

    assert business_row(owner.business_id) == before
