"""POST /staff/{staff_id}/photo: a presigned S3 POST the browser uploads the photo with."""
from __future__ import annotations

import base64
import json

import pytest
import requests

from chalicelib.integrations import aws
from tests.api import add_member, body, call, new_business
from tests.checks import error_of, invalid_fields
from tests.staff.helpers import UNKNOWN_ID, new_staff, staff_row, tiny_png

BUCKET = "booking-test-uploads"
MAX_BYTES = 2 * 1024 * 1024


def ask_for_upload(client, session, staff_id, content_type="image/png"):
    return call(client, "POST", f"/staff/{staff_id}/photo", {"content_type": content_type}, session=session)


def policy_of(form: dict) -> dict:
    return json.loads(base64.b64decode(form["fields"]["policy"]))


def test_an_admin_gets_a_presigned_post_under_the_staff_members_prefix(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")
    staff = new_staff(client, owner)

    response = ask_for_upload(client, admin, staff["id"])

    assert response.status_code == 201, response.body
    form = body(response)
    assert set(form) == {"url", "fields", "key", "expires_in", "max_bytes"}
    assert form["key"].startswith(f"businesses/{owner.business_id}/staff/{staff['id']}/")
    assert form["key"].endswith(".png")
    assert form["fields"]["key"] == form["key"] and form["fields"]["Content-Type"] == "image/png"
    assert (form["expires_in"], form["max_bytes"]) == (600, MAX_BYTES)
    assert BUCKET in form["url"]
    assert staff_row(owner.business_id, staff["id"])["photo_key"] == form["key"]
    assert body(call(client, "GET", f"/staff/{staff['id']}", session=owner))["photo_key"] == form["key"]


def test_the_form_pins_size_type_bucket_and_key(client):
    owner = new_business(client)
    staff = new_staff(client, owner)

    form = body(ask_for_upload(client, owner, staff["id"], "image/webp"))

    conditions = policy_of(form)["conditions"]
    assert ["content-length-range", 1, MAX_BYTES] in conditions
    assert {"Content-Type": "image/webp"} in conditions
    assert {"bucket": BUCKET} in conditions and {"key": form["key"]} in conditions
    assert form["key"].endswith(".webp")


def test_each_request_gets_a_fresh_key(client):
    owner = new_business(client)
    staff = new_staff(client, owner)

    first = body(ask_for_upload(client, owner, staff["id"], "image/jpeg"))
    second = body(ask_for_upload(client, owner, staff["id"], "image/jpeg"))

    assert first["key"] != second["key"] and second["key"].endswith(".jpg")
    assert staff_row(owner.business_id, staff["id"])["photo_key"] == second["key"]


def test_the_presigned_form_uploads_the_file(client):
    owner = new_business(client)
    staff = new_staff(client, owner)
    form = body(ask_for_upload(client, owner, staff["id"]))
    png = tiny_png()

    uploaded = requests.post(form["url"], data=form["fields"], files={"file": ("me.png", png, "image/png")},
                             timeout=10)

    assert uploaded.status_code in (200, 201, 204), uploaded.text
    stored = aws.client("s3").get_object(Bucket=BUCKET, Key=form["key"])
    assert stored["Body"].read() == png and stored["ContentType"] == "image/png"


@pytest.mark.parametrize("content_type", ["image/gif", "image/svg+xml", "text/html", "IMAGE/PNG", "", None])
def test_other_content_types_are_refused(client, content_type):
    owner = new_business(client)
    staff = new_staff(client, owner)

    assert set(invalid_fields(ask_for_upload(client, owner, staff["id"], content_type))) == {"content_type"}

    assert staff_row(owner.business_id, staff["id"])["photo_key"] is None


def test_an_unknown_staff_member_gets_no_upload(client):
    owner = new_business(client)

    error_of(ask_for_upload(client, owner, UNKNOWN_ID), 404, "not_found")


def test_staff_cannot_ask_for_a_photo_upload_even_for_themselves(client, mail):
    owner = new_business(client)
    member = add_member(client, owner, mail, "staff")
    own = new_staff(client, owner, user_id=member.user_id)

    error_of(ask_for_upload(client, member, own["id"]), 403, "forbidden")

    assert staff_row(owner.business_id, own["id"])["photo_key"] is None
