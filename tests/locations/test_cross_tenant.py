"""Another business's token never reaches these locations: every route answers 404 and changes nothing."""
from __future__ import annotations

from tests.api import body, call, new_business
from tests.locations.helpers import LUNCH_BREAK, create_location, error_of, location_rows


def test_another_business_cannot_read_change_or_archive_a_location(client):
    owner, intruder = new_business(client), new_business(client)
    created = create_location(client, owner, name="Private", opening_hours=LUNCH_BREAK)
    path = f"/locations/{created['id']}"
    before = location_rows(owner.business_id)

    for method, payload in (("GET", None), ("PATCH", {"name": "Taken Over"}),
                            ("PATCH", {"name": "Taken Over", "version": 1}), ("DELETE", None)):
        error_of(call(client, method, path, payload, session=intruder), 404, "not_found")

    assert location_rows(owner.business_id) == before
    assert body(call(client, "GET", path, session=owner)) == created
    assert location_rows(intruder.business_id) == []
