"""How prod finds its secrets: RDS credentials and JWT keys from Secrets Manager (moto here)."""
from __future__ import annotations

import json
import ssl
import uuid

import pytest

from chalicelib.core import db, security
from chalicelib.core.settings import settings
from chalicelib.integrations import aws, email, secrets


def _forget_cached_config() -> None:
    # The JWT keys are read through the secret store, whose copies this forgets too.
    for cached in (settings, db._ssl_context, secrets.json_secret):
        cached.cache_clear()


@pytest.fixture
def prod_env(monkeypatch):
    monkeypatch.setenv("STAGE", "prod")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    _forget_cached_config()
    yield monkeypatch
    monkeypatch.undo()
    _forget_cached_config()
    settings()  # read now, from the tests' environment, not inside the next request's stage environment


def _secret(value: dict) -> str:
    return aws.client("secretsmanager").create_secret(
        Name=f"booking-test-{uuid.uuid4().hex[:8]}", SecretString=json.dumps(value))["ARN"]


def test_prod_connects_through_the_proxy_with_the_rds_secret_over_verified_tls(prod_env):
    arn = _secret({"username": "booking_app", "password": "s3cret", "host": "db.internal", "port": 5432,
                   "dbname": "booking"})
    prod_env.setenv("DB_SECRET_ARN", arn)
    prod_env.setenv("DB_HOST", "booking-prod.proxy-abc.eu-west-1.rds.amazonaws.com")
    settings.cache_clear()

    params = db._app_connect_params()

    assert params["user"] == "booking_app" and params["password"] == "s3cret"
    assert params["host"] == "booking-prod.proxy-abc.eu-west-1.rds.amazonaws.com"
    context = params["ssl_context"]
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    # Built once per container: the next connect reuses it.
    assert db._app_connect_params()["ssl_context"] is context


def test_prod_never_starts_an_embedded_database(prod_env):
    assert settings().embedded_db is False
    with pytest.raises(Exception) as raised:
        db._app_connect_params()
    assert raised.value.status == 503


def test_jwt_keys_rotate_through_the_secret_old_tokens_stay_valid_for_their_life(prod_env):
    arn = _secret({"active_kid": "k1", "keys": {"k1": "first-key-" + "x" * 40}})
    prod_env.setenv("JWT_SECRET_ARN", arn)
    settings.cache_clear()
    old_token, _ = security.issue_access_token(user_id=uuid.uuid4(), business_id=uuid.uuid4(), role="owner")

    aws.client("secretsmanager").put_secret_value(SecretId=arn, SecretString=json.dumps(
        {"active_kid": "k2", "keys": {"k1": "first-key-" + "x" * 40, "k2": "second-key-" + "y" * 40}}))
    _forget_cached_config()
    new_token, _ = security.issue_access_token(user_id=uuid.uuid4(), business_id=uuid.uuid4(), role="owner")

    assert security.decode_access_token(old_token)["role"] == "owner"
    assert security.decode_access_token(new_token)["role"] == "owner"
    import jwt
    assert jwt.get_unverified_header(new_token)["kid"] == "k2"


def test_a_deployed_function_never_signs_with_the_development_key_even_if_stage_says_local(prod_env):
    prod_env.setenv("STAGE", "local")
    prod_env.setenv("AWS_LAMBDA_FUNCTION_NAME", "booking-dev")
    prod_env.delenv("JWT_KEYS", raising=False)
    prod_env.delenv("JWT_SECRET_ARN", raising=False)
    settings.cache_clear()

    with pytest.raises(RuntimeError):
        security.issue_access_token(user_id=uuid.uuid4(), business_id=uuid.uuid4(), role="owner")
    with pytest.raises(RuntimeError):
        email.send("someone@example.com", "Hello", "Hi")
