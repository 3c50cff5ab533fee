"""Another business's token never reaches this catalogue: every route answers 404 and changes nothing."""
from __future__ import annotations

from tests.api import body, call, new_business
from tests.services.helpers import add_staff, create_service, error_of, performer_rows, service_rows, set_staff


def test_another_business_cannot_read_change_archive_or_staff_a_service(client):
    owner, intruder = new_business(client), new_business(client)
    created = create_service(client, owner, name="Signature Cut")
    set_staff(client, owner, created["id"], [{"staff_id": add_staff(owner.business_id)}])
    own_staff = add_staff(intruder.business_id, "Intruder's Own")
    path = f"/services/{created['id']}"
    before = service_rows(owner.business_id), performer_rows(owner.business_id)
    shown = body(call(client, "GET", path, session=owner))

    attempts = [("GET", path, None), ("PATCH", path, {"name": "Taken Over"}),
                ("PATCH", path, {"active": False, "version": 2}), ("DELETE", path, None),
                ("PUT", f"{path}/staff", {"staff": []}),
                ("PUT", f"{path}/staff", {"staff": [{"staff_id": own_staff}]})]
    for method, target, payload in attempts:
        error_of(call(client, method, target, payload, session=intruder), 404, "not_found")

    assert (service_rows(owner.business_id), performer_rows(owner.business_id)) == before
    assert body(call(client, "GET", path, session=owner)) == shown
    assert service_rows(intruder.business_id) == [] and performer_rows(intruder.business_id) == []
