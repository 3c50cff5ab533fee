"""GET and PATCH /business: the tenant's profile (name, slug, zone, currency, locale, contact)."""
from __future__ import annotations

import pytest

from tests.api import add_member, body, call, new_business, signup
from tests.business.helpers import business_row, error_of, invalid_fields, unique_slug

DEFAULT_POLICY = {"slot_interval_min": 15, "min_notice_min": 60, "max_advance_days": 90, "cancel_cutoff_min": 1440,
                  "reschedule_cutoff_min": 1440, "buffer_before_min": 0, "buffer_after_min": 0,
                  "auto_confirm": True}


def patch(client, session, changes):
    return call(client, "PATCH", "/business", changes, session=session)


def test_the_owner_reads_the_profile_made_at_signup(client):
    slug = unique_slug()
    owner = signup(client, business_name="Salon Lumen", slug=slug, time_zone="Europe/Paris", currency="EUR",
                   locale="fr-FR")

    response = call(client, "GET", "/business", session=owner)

    assert response.status_code == 200
    profile = body(response)
    assert profile["id"] == owner.business_id
    assert (profile["name"], profile["slug"], profile["time_zone"], profile["currency"], profile["locale"]) == (
        "Salon Lumen", slug, "Europe/Paris", "EUR", "fr-FR")
    assert profile["contact"] == {"email": owner.email, "phone": None, "website": None, "address": None}
    assert profile["booking_policy"] == DEFAULT_POLICY
    assert profile["logo_key"] is None
    assert profile["version"] == 1
    assert profile["plan"] == "trial" and profile["status"] == "active"
    assert profile["trial_ends_at"] and profile["created_at"] and profile["updated_at"]


def test_staff_and_admins_read_the_profile_too(client, mail):
    owner = new_business(client)
    expected = body(call(client, "GET", "/business", session=owner))
    for role in ("staff", "admin"):
        member = add_member(client, owner, mail, role)

        response = call(client, "GET", "/business", session=member)

        assert response.status_code == 200
        assert body(response) == expected


def test_reading_the_profile_needs_a_token(client):
    assert call(client, "GET", "/business").status_code == 401
    # API.md promises 401 for an invalid token too; the authorizer's deny comes back as API Gateway's 403.
    assert call(client, "GET", "/business", headers={"Authorization": "Bearer not-a-jwt"}).status_code in (401, 403)


def test_an_admin_updates_every_profile_field_at_once(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    slug = unique_slug("nova")

    response = patch(client, admin, {
        "name": "Salon Nova", "slug": slug, "time_zone": "America/New_York", "currency": "USD", "locale": "en-US",
        "contact": {"email": "Hello@Nova.Example", "phone": "+1 (212) 555-0100", "website": "https://nova.example/",
                    "address": "1 Main Street, New York"},
    })

    assert response.status_code == 200, response.body
    profile = body(response)
    assert (profile["name"], profile["slug"], profile["time_zone"], profile["currency"], profile["locale"]) == (
        "Salon Nova", slug, "America/New_York", "USD", "en-US")
    assert profile["contact"] == {"email": "hello@nova.example", "phone": "+1 (212) 555-0100",
                                  "website": "https://nova.example/", "address": "1 Main Street, New York"}
    assert profile["version"] == 2
    assert body(call(client, "GET", "/business", session=owner)) == profile
    row = business_row(owner.business_id)
    assert (row["name"], row["slug"], row["time_zone"], row["currency"], row["locale"]) == (
        "Salon Nova", slug, "America/New_York", "USD", "en-US")
    assert (row["contact_email"], row["contact_phone"], row["website"], row["address"]) == (
        "hello@nova.example", "+1 (212) 555-0100", "https://nova.example/", "1 Main Street, New York")


def test_a_partial_update_keeps_every_other_field(client):
    owner = new_business(client)
    before = body(call(client, "GET", "/business", session=owner))

    response = patch(client, owner, {"name": "Renamed Studio"})

    assert response.status_code == 200
    after = body(response)
    assert after["name"] == "Renamed Studio"
    unchanged = {k: v for k, v in after.items() if k not in ("name", "version", "updated_at")}
    assert unchanged == {k: v for k, v in before.items() if k not in ("name", "version", "updated_at")}
    assert after["version"] == before["version"] + 1


def test_a_partial_contact_update_keeps_the_other_contact_fields(client):
    owner = new_business(client)
    assert patch(client, owner, {"contact": {"phone": "020 7946 0000", "address": "221B Baker Street"}}).status_code == 200

    response = patch(client, owner, {"contact": {"website": "https://studio.example"}})

    assert response.status_code == 200
    assert body(response)["contact"] == {"email": owner.email, "phone": "020 7946 0000",
                                         "website": "https://studio.example", "address": "221B Baker Street"}


def test_a_contact_field_is_cleared_with_null(client):
    owner = new_business(client)
    assert patch(client, owner, {"contact": {"phone": "020 7946 0000"}}).status_code == 200

    response = patch(client, owner, {"contact": {"phone": None, "email": None}})

    assert response.status_code == 200
    assert body(response)["contact"] == {"email": None, "phone": None, "website": None, "address": None}
    row = business_row(owner.business_id)
    assert row["contact_phone"] is None and row["contact_email"] is None


def test_staff_cannot_update_the_profile(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")
    before = business_row(owner.business_id)

    response = patch(client, staff, {"name": "Hijacked"})

    error_of(response, 403, "forbidden")
    assert business_row(owner.business_id) == before


def test_the_expected_version_guards_against_lost_updates(client):
    owner = new_business(client)

    first = patch(client, owner, {"name": "First Writer", "version": 1})
    assert first.status_code == 200 and body(first)["version"] == 2
    saved = business_row(owner.business_id)

    stale = patch(client, owner, {"name": "Second Writer", "version": 1})

    error_of(stale, 409, "stale_version")
    assert business_row(owner.business_id) == saved
    current = patch(client, owner, {"name": "Second Writer", "version": 2})
    assert current.status_code == 200 and body(current)["version"] == 3


def test_a_version_from_the_future_is_stale_too(client):
    owner = new_business(client)
    before = business_row(owner.business_id)

    error_of(patch(client, owner, {"name": "Time Traveller", "version": 7}), 409, "stale_version")

    assert business_row(owner.business_id) == before


def test_without_a_version_the_last_write_wins(client):
    owner = new_business(client)
    patch(client, owner, {"name": "One"})

    response = patch(client, owner, {"name": "Two"})

    assert response.status_code == 200
    assert body(response)["name"] == "Two" and body(response)["version"] == 3


def test_a_slug_taken_by_another_business_is_refused(client):
    taken = unique_slug()
    signup(client, slug=taken)
    owner = new_business(client)
    before = business_row(owner.business_id)

    response = patch(client, owner, {"slug": taken, "name": "Copycat"})

    error = error_of(response, 409, "slug_taken")
    assert error["details"] == {"slug": taken}
    assert business_row(owner.business_id) == before


def test_keeping_ones_own_slug_is_not_a_conflict(client):
    owner = new_business(client)
    own = body(call(client, "GET", "/business", session=owner))["slug"]

    response = patch(client, owner, {"slug": own})

    assert response.status_code == 200 and body(response)["slug"] == own


def test_a_freed_slug_can_be_taken_by_another_business(client):
    first, second = new_business(client), new_business(client)
    slug = unique_slug()
    assert patch(client, first, {"slug": slug}).status_code == 200
    assert patch(client, first, {"slug": unique_slug()}).status_code == 200

    response = patch(client, second, {"slug": slug})

    assert response.status_code == 200 and body(response)["slug"] == slug


@pytest.mark.parametrize("slug", ["My-Studio", "my studio", "admin", "api", "ab", "-studio", "studio-", "studio_1",
                                  "x" * 64, "café-paris", ""])
def test_a_slug_must_be_url_safe_and_not_reserved(client, slug):
    owner = new_business(client)
    before = business_row(owner.business_id)

    response = patch(client, owner, {"slug": slug, "name": "Not Stored"})

    assert set(invalid_fields(response)) == {"slug"}
    assert business_row(owner.business_id) == before


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "europe/london", "GMT+1", "", 3600])
def test_the_time_zone_must_be_an_iana_name(client, zone):
    owner = new_business(client)
    before = business_row(owner.business_id)

    assert set(invalid_fields(patch(client, owner, {"time_zone": zone}))) == {"time_zone"}
    assert business_row(owner.business_id) == before


@pytest.mark.parametrize("currency", ["usd", "EURO", "XYZ", "XAU", "", 978])
def test_the_currency_must_be_an_active_iso_4217_code(client, currency):
    owner = new_business(client)
    before = business_row(owner.business_id)

    assert set(invalid_fields(patch(client, owner, {"currency": currency}))) == {"currency"}
    assert business_row(owner.business_id) == before


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": ""}, "name"),
    ({"name": "n" * 121}, "name"),
    ({"name": None}, "name"),
    ({"locale": "english"}, "locale"),
    ({"locale": "EN"}, "locale"),
    ({"contact": {"email": "not-an-address"}}, "contact.email"),
    ({"contact": {"phone": "call me maybe"}}, "contact.phone"),
    ({"contact": {"website": "ftp://files.example"}}, "contact.website"),
    ({"contact": {"website": "javascript:alert(1)"}}, "contact.website"),
    ({"contact": {"address": "a" * 301}}, "contact.address"),
    ({"contact": None}, "contact"),
    ({"contact": "hello@studio.example"}, "contact"),
    ({"version": 0}, "version"),
    ({"version": "1"}, "version"),
])
def test_an_invalid_profile_field_is_named_and_nothing_is_stored(client, changes, field):
    owner = new_business(client)
    before = business_row(owner.business_id)

    response = patch(client, owner, {**changes})

    assert set(invalid_fields(response)) == {field}
    assert business_row(owner.business_id) == before


def test_a_valid_field_is_not_stored_when_another_is_invalid(client):
    owner = new_business(client)
    before = business_row(owner.business_id)

    response = patch(client, owner, {"name": "Would Be Nice", "currency": "DOLLARS"})

    assert set(invalid_fields(response)) == {"currency"}
    assert business_row(owner.business_id) == before


@pytest.mark.parametrize(("changes", "field"), [
    ({"colour": "red"}, "colour"),
    ({"id": "00000000-0000-0000-0000-000000000000"}, "id"),
    ({"plan": "enterprise"}, "plan"),
    ({"status": "active"}, "status"),
    ({"contact": {"fax": "020 7946 0001"}}, "contact.fax"),
    ({"booking_policy": {"max_bookings": 3}}, "booking_policy.max_bookings"),
])
def test_an_unknown_field_is_refused_at_any_depth(client, changes, field):
    owner = new_business(client)
    before = business_row(owner.business_id)

    response = patch(client, owner, {"name": "Not Stored", **changes})

    assert invalid_fields(response) == {field: "unknown field"}
    assert business_row(owner.business_id) == before


@pytest.mark.parametrize("raw", ['{"name": "Half', "name=Studio", '{"name": "A",}', "\xff\xfe"])
def test_malformed_json_is_a_400(client, raw):
    owner = new_business(client)
    before = business_row(owner.business_id)

    response = call(client, "PATCH", "/business", session=owner, raw=raw)

    error_of(response, 400, "bad_request")
    assert business_row(owner.business_id) == before


@pytest.mark.parametrize("raw", ["[]", "null", '"name"', "42"])
def test_a_body_that_is_not_an_object_is_a_422(client, raw):
    owner = new_business(client)
    before = business_row(owner.business_id)

    response = call(client, "PATCH", "/business", session=owner, raw=raw)

    invalid_fields(response)
    assert business_row(owner.business_id) == before


def test_a_body_over_one_mebibyte_is_refused_with_413(client):
    owner = new_business(client)
    before = business_row(owner.business_id)

    response = patch(client, owner, {"contact": {"address": "x" * (1024 * 1024)}})

    error_of(response, 413, "payload_too_large")
    assert business_row(owner.business_id) == before


def test_a_body_just_under_the_limit_is_read_and_then_validated(client):
    owner = new_business(client)

    response = patch(client, owner, {"contact": {"address": "x" * (1024 * 1024 - 100)}})

    assert set(invalid_fields(response)) == {"contact.address"}


def test_an_empty_update_changes_nothing_but_the_version(client):
    owner = new_business(client)
    before = body(call(client, "GET", "/business", session=owner))

    response = patch(client, owner, {})

    assert response.status_code == 200
    after = body(response)
    assert {k: v for k, v in after.items() if k not in ("version", "updated_at")} == {
        k: v for k, v in before.items() if k not in ("version", "updated_at")}
