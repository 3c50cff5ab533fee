"""``make run``'s uploads bucket: created, and its objects readable as CloudFront serves them."""
from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from chalicelib.core.settings import settings
from chalicelib.integrations import aws
from chalicelib.system import local_bucket


@pytest.fixture
def fresh_bucket_name(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("UPLOADS_BUCKET", "booking-uploads-local-test")
    settings.cache_clear()
    yield "booking-uploads-local-test"
    settings.cache_clear()


def test_the_local_bucket_lets_anyone_read_its_objects_and_nothing_more(fresh_bucket_name: str) -> None:
    local_bucket.main()

    policy = json.loads(aws.client("s3").get_bucket_policy(Bucket=fresh_bucket_name)["Policy"])
    assert policy["Statement"] == [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                    "Resource": f"arn:aws:s3:::{fresh_bucket_name}/*"}]
