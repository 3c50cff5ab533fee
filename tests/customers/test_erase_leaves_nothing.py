"""A GDPR erase leaves nothing of the person anywhere in the database: after a customer has booked
online (name, e-mail, phone, notes, marketing asked for), moved and cancelled through their manage
link (with a reason), been booked by staff with notes (both bookings with an Idempotency-Key, whose
answers are kept for replays), got messages and a note on their record, an erase is followed by a scan of every text and JSON column of every table for what identified or
described them: nothing is found. Their manage links stop working."""
from __future__ import annotations

import uuid

from tests.api import body, call
from tests.appointments.helpers import calendar
from tests.booking.conftest import address_counts_cleared  # noqa: F401 - the public routes' counts, shared
from tests.booking.helpers import book_online, booking_body, manage, slug_of
from tests.checks import error_of

_COLUMNS = """SELECT table_name, column_name FROM information_schema.columns
 WHERE table_schema = 'public' AND (data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
                                    OR (data_type = 'ARRAY' AND udt_name IN ('_text', '_varchar')))
 ORDER BY table_name, column_name"""


def _found(owner, business_id: str, needles: list[str]) -> list[tuple[str, str, str]]:
    """(table, column, needle) for each text or JSON column holding a needle, as the schema owner in
    the business's scope and the jobs' (row-level security is forced even for the owner)."""
    owner.run("SELECT set_config('app.business_id', :bid, false), set_config('app.jobs', 'on', false)",
              bid=business_id)
    hits = []
    for table, column in owner.run(_COLUMNS):
        for needle in needles:
            [[count]] = owner.run(f'SELECT count(*) FROM "{table}" WHERE strpos(lower(CAST("{column}" AS text)), '
                                  f"lower(:needle)) > 0", needle=needle)
            if count:
                hits.append((table, column, needle))
    return hits


def test_an_erase_leaves_no_trace_of_the_person_in_any_table(client, mail, owner):
    cal = calendar(client)
    tag = uuid.uuid4().hex[:10]
    person = {"name": f"Zed Erasable{tag}", "email": f"zed.{tag}@erase-{tag}.example", "phone": "+44 7700 900842"}
    notes, reason = f"Gate code {tag}, allergic to latex", f"Feeling unwell {tag}"
    internal, note = f"Zed{tag} prefers the quiet room", f"Zed{tag} paid cash last time"
    payload = booking_body(cal, cal.at(3, 10), notes=notes, consent={"terms": True, "marketing": True})
    payload["customer"] = dict(person)
    online = book_online(client, slug_of(client, cal), payload, key=f"online-{tag}")
    assert online.status_code == 201, online.body
    answer = body(online)
    token, customer_id = answer["manage_token"], answer["appointment"]["customer_id"]
    assert manage(client, token, "reschedule", {"start_at": cal.at(3, 12).isoformat()}).status_code == 200
    assert manage(client, token, "cancel", {"reason": reason}).status_code == 200
    by_staff = call(client, "POST", "/appointments", {"service_id": cal.service_id, "customer_id": customer_id,
                                                      "start_at": cal.at(4, 10).isoformat(), "notes": notes},
                    session=cal.owner, headers={"Idempotency-Key": f"staff-{tag}"})
    assert by_staff.status_code == 201, by_staff.body
    edited = call(client, "PATCH", f"/appointments/{body(by_staff)['id']}",
                  {"internal_notes": internal, "version": body(by_staff)["version"]}, session=cal.owner)
    assert edited.status_code == 200, edited.body
    assert call(client, "POST", f"/customers/{customer_id}/notes", {"body": note},
                session=cal.owner).status_code == 201
    local, _, domain = person["email"].partition("@")
    needles = [person["name"], f"Erasable{tag}", person["email"], local, domain, "447700900842", "7700 900842",
               notes, reason, internal, note, tag]
    # Before the erase, the scan finds them everywhere they were written.
    assert {(table, column) for table, column, _ in _found(owner, cal.business_id, needles)} >= {
        ("customers", "name"), ("customers", "email"), ("customers", "phone"), ("customer_notes", "body"),
        ("appointments", "notes"), ("appointments", "cancel_reason"), ("appointments", "internal_notes"),
        ("appointment_history", "after"), ("outbox", "payload"), ("notification_deliveries", "recipient"),
        ("idempotency_keys", "body")}

    assert call(client, "DELETE", f"/customers/{customer_id}", session=cal.owner).status_code == 204

    assert _found(owner, cal.business_id, needles) == []
    error_of(manage(client, token), 404, "not_found")
    # The appointments and what happened to them stay: the business's records.
    history = body(call(client, "GET", f"/appointments/{answer['appointment']['id']}/history", session=cal.owner))
    assert [entry["action"] for entry in history["items"]] == ["created", "rescheduled", "cancel"]
    assert history["items"][-1]["after"]["cancel_reason"] is None
