"""S3 uploads straight from the browser: presigned POST forms with the size and type pinned."""
from __future__ import annotations

from typing import Any

from chalicelib.core.settings import settings
from chalicelib.integrations import aws

PRESIGN_TTL_S = 600


def presigned_post(key: str, *, content_type: str, max_bytes: int) -> dict[str, Any]:
    """A form the browser POSTs the file with: ``{"url", "fields", "key", "expires_in"}``."""
    bucket = settings().uploads_bucket
    form = aws.client("s3").generate_presigned_post(
        Bucket=bucket,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
        ExpiresIn=PRESIGN_TTL_S,
    )
    return {"url": form["url"], "fields": form["fields"], "key": key, "expires_in": PRESIGN_TTL_S}
