"""``make run`` only: wait for the local moto S3 and create the uploads bucket in it."""
from __future__ import annotations

import time

from chalicelib.core.settings import settings
from chalicelib.integrations import aws


def main() -> None:
    s3 = aws.client("s3")
    for _ in range(50):
        try:
            s3.list_buckets()
            break
        except Exception:  # noqa: BLE001 - the server is still starting
            time.sleep(0.2)
    s3.create_bucket(Bucket=settings().uploads_bucket,
                     CreateBucketConfiguration={"LocationConstraint": settings().aws_region})
    print(f"local S3 ready with bucket {settings().uploads_bucket}")


if __name__ == "__main__":
    main()
