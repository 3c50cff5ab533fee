"""API Gateway's authorizer function imports ``chalicelib.core.security`` alone, without app.py."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

from chalicelib.core import security
from chalicelib.core.settings import PROJECT_ROOT

_ARN = "arn:aws:execute-api:eu-west-1:123456789012:abcdef/api/GET/business"

_SCRIPT = """
import json, sys
from chalicelib.core import security
token = sys.argv[1]
answer = security.jwt_auth({"type": "TOKEN", "authorizationToken": token, "methodArn": sys.argv[2]}, None)
print(json.dumps({"answer": answer, "app_imported": "app" in sys.modules,
                  "heavy": [m for m in ("boto3", "stripe", "googleapiclient", "pg8000") if m in sys.modules]}))
"""


def _authorize_in_fresh_interpreter(header: str) -> dict:
    env = {**os.environ, "STAGE": "local"}
    out = subprocess.run([sys.executable, "-c", _SCRIPT, header, _ARN], cwd=PROJECT_ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_a_valid_token_is_allowed_with_user_business_and_role_as_context():
    user_id, business_id = uuid.uuid4(), uuid.uuid4()
    token, _ = security.issue_access_token(user_id=user_id, business_id=business_id, role="admin")

    result = _authorize_in_fresh_interpreter(f"Bearer {token}")

    answer = result["answer"]
    assert answer["principalId"] == str(user_id)
    assert answer["context"] == {"user_id": str(user_id), "business_id": str(business_id), "role": "admin"}
    statement = answer["policyDocument"]["Statement"][0]
    assert statement["Effect"] == "Allow"
    # One policy for every route, because API Gateway caches the answer per token.
    assert statement["Resource"] == ["arn:aws:execute-api:eu-west-1:123456789012:abcdef/api/*/*"]
    assert result["app_imported"] is False
    assert result["heavy"] == []


def test_a_bad_token_is_denied_without_importing_the_app():
    result = _authorize_in_fresh_interpreter("Bearer not-a-jwt")

    assert result["answer"]["policyDocument"]["Statement"] == [
        {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": [_ARN]}]
    assert result["app_imported"] is False
