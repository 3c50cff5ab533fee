"""service.find_or_create (the public booking page's customer) and service.record_consent, called as
other modules call them: inside their own transaction. Concurrent bookings with one e-mail address
make one customer."""
from __future__ import annotations

import threading
import uuid

from chalicelib.core import db
from chalicelib.customers import service
from tests.api import new_business
from tests.customers.helpers import consents, created, customer_row, customers


def find_or_create(business_id: str, **details) -> dict:
    with db.tenant_tx(business_id) as tx:
        return service.find_or_create(tx, uuid.UUID(business_id), **{"phone": None, **details})


def test_a_new_person_becomes_a_customer(client):
    owner = new_business(client)

    row = find_or_create(owner.business_id, name="Nina New", email="Nina@Example.com", phone="+44 7700 900321",
                         locale="de-DE")

    assert (row["name"], row["email"], row["phone"], row["phone_normalized"], row["locale"]) == (
        "Nina New", "nina@example.com", "+44 7700 900321", "+447700900321", "de-DE")
    assert service.customer_json(row)["id"] == str(row["id"])
    assert [str(c["id"]) for c in customers(owner.business_id)] == [str(row["id"])]


def test_the_email_matches_first_and_the_match_is_taken_as_stored(client):
    owner = new_business(client)
    known = created(client, owner, name="Known Name", email="known@example.com")
    created(client, owner, name="Phone Holder", phone="+44 7700 900999")

    row = find_or_create(owner.business_id, name="Typed Name", email="known@example.com", phone="+44 7700 900111")

    assert str(row["id"]) == known["id"]
    stored = customer_row(owner.business_id, known["id"])
    # A phone number typed on the public page is not the customer's until they or staff say so.
    assert (stored["name"], stored["phone"], stored["version"]) == ("Known Name", None, 1)


def test_the_phone_matches_when_the_email_is_unknown_and_a_different_email_is_never_overwritten(client):
    owner = new_business(client)
    known = created(client, owner, name="Pat", email="pat@example.com", phone="+44 7700 900222")

    row = find_or_create(owner.business_id, name="Patricia", email="pat.other@example.com",
                         phone="+44 (7700) 900-222")

    assert str(row["id"]) == known["id"]
    stored = customer_row(owner.business_id, known["id"])
    assert (stored["name"], stored["email"]) == ("Pat", "pat@example.com")
    assert len(customers(owner.business_id)) == 1


def test_a_phone_match_without_email_does_not_get_the_typed_email(client):
    owner = new_business(client)
    walk_in = created(client, owner, name="Walk In", phone="+44 7700 900333")

    row = find_or_create(owner.business_id, name="Walk In", email="walk@example.com", phone="+447700900333")

    # Whoever knows the number would otherwise get this customer's messages and manage links.
    assert str(row["id"]) == walk_in["id"] and row["email"] is None
    assert customer_row(owner.business_id, walk_in["id"])["email"] is None


def test_a_number_held_by_another_customer_is_not_taken_by_the_email_match(client):
    owner = new_business(client)
    by_email = created(client, owner, name="Email Only", email="only@example.com")
    by_phone = created(client, owner, name="Phone Only", phone="+44 7700 900444")

    row = find_or_create(owner.business_id, name="Mixed", email="only@example.com", phone="+44 7700 900444")

    assert str(row["id"]) == by_email["id"]
    assert customer_row(owner.business_id, by_email["id"])["phone"] is None
    assert customer_row(owner.business_id, by_phone["id"])["phone_normalized"] == "+447700900444"


def test_an_erased_customer_is_never_matched(client):
    owner = new_business(client)
    gone = created(client, owner, email="gone@example.com")
    assert client.http.delete(f"/customers/{gone['id']}", headers=owner.headers).status_code == 204

    row = find_or_create(owner.business_id, name="Back Again", email="gone@example.com")

    assert str(row["id"]) != gone["id"] and row["erased_at"] is None


def test_ten_concurrent_bookings_with_one_email_make_one_customer(client):
    owner = new_business(client)
    start, found, errors = threading.Barrier(10), [], []

    def book(i: int) -> None:
        try:
            start.wait(timeout=10)
            found.append(find_or_create(owner.business_id, name=f"Racer {i}", email="racer@example.com",
                                        phone=f"+44 7700 9005{i:02d}")["id"])
        except Exception as e:  # collected so the assertion below shows it
            errors.append(e)

    threads = [threading.Thread(target=book, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [] and len(found) == 10
    [only] = customers(owner.business_id)
    assert set(found) == {only["id"]}
    assert only["email"] == "racer@example.com" and only["phone_normalized"].startswith("+4477009005")


def test_ten_concurrent_bookings_with_one_phone_make_one_customer(client):
    owner = new_business(client)
    start, found, errors = threading.Barrier(10), [], []

    def book(i: int) -> None:
        try:
            start.wait(timeout=10)
            found.append(find_or_create(owner.business_id, name=f"Racer {i}", email=None,
                                        phone="+44 7700 900600")["id"])
        except Exception as e:  # collected so the assertion below shows it
            errors.append(e)

    threads = [threading.Thread(target=book, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [] and len(set(found)) == 1 and len(customers(owner.business_id)) == 1


def test_record_consent_records_only_changes(client):
    owner = new_business(client)
    customer = created(client, owner)
    bid, cid = uuid.UUID(owner.business_id), uuid.UUID(customer["id"])

    for kind, granted in [("marketing", True), ("marketing", True), ("terms", False), ("terms", True),
                          ("marketing", False)]:
        with db.tenant_tx(bid) as tx:
            service.record_consent(tx, bid, cid, kind=kind, granted=granted, source="booking_page")

    assert consents(owner.business_id, customer["id"]) == [
        ("marketing", True, "booking_page"), ("terms", True, "booking_page"), ("marketing", False, "booking_page")]
    row = customer_row(owner.business_id, customer["id"])
    assert row["marketing_opt_in"] is False and row["terms_accepted_at"] is not None


def test_record_consent_on_another_business_customer_records_nothing(client):
    owner, other = new_business(client), new_business(client)
    customer = created(client, owner)

    with db.tenant_tx(other.business_id) as tx:
        service.record_consent(tx, uuid.UUID(other.business_id), uuid.UUID(customer["id"]), kind="marketing",
                               granted=True, source="booking_page")

    assert consents(owner.business_id) == consents(other.business_id) == []
    assert customer_row(owner.business_id, customer["id"])["marketing_opt_in"] is False
