"""``make run`` only: wait for the local moto S3 and create the uploads bucket in it.

Its objects are readable by anyone, as the uploads are in production through CloudFront: the web
app shows logos and staff photos straight from it (config.json's ``mediaBaseUrl``).
"""
from __future__ import annotations

import json
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
    s3.put_bucket_policy(Bucket=settings().uploads_bucket, Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": f"arn:aws:s3:::{settings().uploads_bucket}/*"}],
    }))
    print(f"local S3 ready with bucket {settings().uploads_bucket}")


if __name__ == "__main__":
    main()
