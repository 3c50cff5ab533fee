"""POST /business/logo: a presigned S3 POST the browser uploads the logo with."""
from __future__ import annotations

import base64
import json
import struct
import zlib

import pytest
import requests

from chalicelib.integrations import aws
from tests.api import add_member, body, call, new_business
from tests.business.helpers import business_row, error_of, invalid_fields

BUCKET = "booking-test-uploads"
MAX_BYTES = 2 * 1024 * 1024


def tiny_png() -> bytes:
    """A valid 1x1 transparent PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x00\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def ask_for_upload(client, session, content_type="image/png"):
    return call(client, "POST", "/business/logo", {"content_type": content_type}, session=session)


def policy_of(form: dict) -> dict:
    return json.loads(base64.b64decode(form["fields"]["policy"]))


def test_an_admin_gets_a_presigned_post_under_the_business_prefix(client, mail):
    owner = new_business(client)
    admin = add_member(client, owner, mail, "admin")

    response = ask_for_upload(client, admin)

    assert response.status_code == 201, response.body
    form = body(response)
    assert set(form) == {"url", "fields", "key", "expires_in", "max_bytes"}
    assert form["key"].startswith(f"businesses/{owner.business_id}/logo/") and form["key"].endswith(".png")
    assert form["fields"]["key"] == form["key"]
    assert form["fields"]["Content-Type"] == "image/png"
    assert form["expires_in"] == 600
    assert form["max_bytes"] == MAX_BYTES
    assert BUCKET in form["url"]


def test_the_form_pins_size_type_bucket_and_key(client):
    owner = new_business(client)

    form = body(ask_for_upload(client, owner, "image/jpeg"))

    conditions = policy_of(form)["conditions"]
    assert ["content-length-range", 1, MAX_BYTES] in conditions
    assert {"Content-Type": "image/jpeg"} in conditions
    assert {"bucket": BUCKET} in conditions
    assert {"key": form["key"]} in conditions
    assert "expiration" in policy_of(form)


@pytest.mark.parametrize(("content_type", "extension"), [("image/png", "png"), ("image/jpeg", "jpg"),
                                                          ("image/webp", "webp")])
def test_the_key_carries_the_extension_of_the_type(client, content_type, extension):
    owner = new_business(client)

    form = body(ask_for_upload(client, owner, content_type))

    assert form["key"].endswith(f".{extension}")
    assert form["fields"]["Content-Type"] == content_type


def test_the_profile_points_at_the_new_logo_key(client):
    owner = new_business(client)

    form = body(ask_for_upload(client, owner))

    assert body(call(client, "GET", "/business", session=owner))["logo_key"] == form["key"]
    assert business_row(owner.business_id)["logo_key"] == form["key"]


def test_each_request_gets_a_fresh_key(client):
    owner = new_business(client)

    first, second = body(ask_for_upload(client, owner)), body(ask_for_upload(client, owner))

    assert first["key"] != second["key"]
    assert business_row(owner.business_id)["logo_key"] == second["key"]


def test_the_presigned_form_uploads_the_file(client):
    owner = new_business(client)
    form = body(ask_for_upload(client, owner))
    png = tiny_png()

    uploaded = requests.post(form["url"], data=form["fields"], files={"file": ("logo.png", png, "image/png")},
                             timeout=10)

    assert uploaded.status_code in (200, 201, 204), uploaded.text
    stored = aws.client("s3").get_object(Bucket=BUCKET, Key=form["key"])
    assert stored["Body"].read() == png
    assert stored["ContentType"] == "image/png"


@pytest.mark.parametrize("content_type", ["image/gif", "image/svg+xml", "text/html", "application/pdf", "IMAGE/PNG",
                                          ""])
def test_other_content_types_are_refused(client, content_type):
    owner = new_business(client)
    before = business_row(owner.business_id)

    response = ask_for_upload(client, owner, content_type)

    assert set(invalid_fields(response)) == {"content_type"}
    assert business_row(owner.business_id) == before


def test_the_content_type_is_required(client):
    owner = new_business(client)

    assert invalid_fields(call(client, "POST", "/business/logo", {}, session=owner)) == {"content_type": "required"}
    assert business_row(owner.business_id)["logo_key"] is None


def test_staff_cannot_ask_for_a_logo_upload(client, mail):
    owner = new_business(client)
    staff = add_member(client, owner, mail, "staff")

    error_of(ask_for_upload(client, staff), 403, "forbidden")

    assert business_row(owner.business_id)["logo_key"] is None
