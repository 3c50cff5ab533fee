"""Every setting the application reads, in one place, read once and lazily.

Nothing else reads ``os.environ``: the Chalice test client applies a stage's
environment only while a handler runs, so reading at import would see the
wrong values. Tests change the environment and call ``settings.cache_clear()``.
"""
from __future__ import annotations

import functools
import os
import json
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    stage: str
    in_lambda: bool
    version: str
    # Database: an explicit URL, or (prod) an RDS secret plus the proxy host.
    database_url: str | None
    migrate_database_url: str | None
    db_secret_arn: str | None
    db_owner_secret_arn: str | None
    db_host: str | None
    db_name: str
    db_ssl_ca_file: str | None
    db_statement_timeout_ms: int
    # Client-side limits, so a silent server or proxy (failover, half-open connection) costs seconds,
    # not the function's whole timeout: opening a connection (TCP, TLS, login) and waiting for any
    # later answer. The second must exceed the statement timeout, which ends slow queries first.
    db_connect_timeout_s: float
    db_socket_timeout_s: float
    # How long a secret read from Secrets Manager is used before it is read again (at most 5 minutes).
    secrets_ttl_s: int
    local_dir: Path
    # Tokens.
    jwt_secret_arn: str | None
    jwt_keys: str | None
    jwt_active_kid: str
    jwt_issuer: str
    jwt_audience: str
    access_token_ttl_s: int
    refresh_token_ttl_s: int
    # HTTP.
    edge_secret: str | None
    cors_allow_origin: str
    app_base_url: str
    # Integrations.
    aws_region: str
    email_backend: str
    email_from: str
    uploads_bucket: str
    # Notifications: the FIFO queue and its dead-letter queue (no queue: delivered in the request,
    # after commit, as the local stage does), and WhatsApp Cloud API.
    notifications_queue: str | None
    notifications_dlq: str | None
    whatsapp_backend: str
    whatsapp_api_base: str
    whatsapp_secret_arn: str | None
    whatsapp_app_secret: str | None
    whatsapp_verify_token: str | None
    # Stripe (chalicelib/integrations/stripe.py): ``api`` talks to stripe_api_base (Stripe, or the
    # `make run` twin server) with a timeout per network wait; ``twin`` answers in-process (tests).
    # The keys come from the stripe_secret_arn secret {"api_key", "webhook_secret"}, or outside prod
    # from the plain settings. stripe_prices names the stage's Stripe Prices: "{plan}.{interval}.{CUR}"
    # and "overage.{meter}.{CUR}" (optionally "{plan}.overage.{meter}.{CUR}") -> price id, and
    # "meters": {meter: event name}.
    stripe_backend: str
    stripe_api_base: str
    stripe_secret_arn: str | None
    stripe_api_key: str | None
    stripe_webhook_secret: str | None
    stripe_prices: Mapping[str, Any]
    stripe_timeout_s: float
    # `make run` only: where the Stripe twin server posts its signed events.
    stripe_twin_webhook_url: str
    # Google Calendar (chalicelib/integrations/google_calendar.py): ``api`` talks to Google, or to the
    # `make run` twin server when the bases say so; ``twin`` answers in-process (tests). The OAuth
    # client and the AES-GCM keys sealing stored tokens come from the google_secret_arn secret
    # {"client_id", "client_secret", "token_keys": {key id: base64 of 32 bytes}, "token_key_id"},
    # or outside prod from the plain settings. No push address: no push channels (the schedule
    # still syncs every 15 minutes).
    google_backend: str
    google_accounts_base: str
    google_oauth2_base: str
    google_api_base: str
    google_secret_arn: str | None
    google_client_id: str | None
    google_client_secret: str | None
    google_token_keys: Mapping[str, Any]
    google_token_key_id: str | None
    google_redirect_uri: str
    google_push_address: str | None
    google_timeout_s: float
    # Billing: how long a business may stay past due before the daily sweep suspends it (when
    # Stripe, asked again, does not say it is paid).
    billing_past_due_grace_days: int
    # Retention: how long the daily retention sweep (chalicelib/system/retention.py) keeps each kind of
    # row, in days, and how it deletes: at most retention_batch rows per statement and transaction,
    # for at most retention_budget_s seconds per run (the scheduled function's timeout must exceed it
    # by one batch).
    retention_idempotency_days: int
    retention_login_failures_days: int
    retention_tokens_days: int
    retention_booking_links_days: int
    retention_notifications_days: int
    retention_stripe_events_days: int
    retention_batch: int
    retention_budget_s: int

    @property
    def embedded_db(self) -> bool:
        """Start the embedded PostgreSQL when no server is named outside prod."""
        return not self.database_url and not self.db_secret_arn and self.is_local

    @property
    def is_local(self) -> bool:
        """A developer's machine or the tests: never a deployed function, whatever STAGE says."""
        return self.stage in ("local", "test") and not self.in_lambda

    @property
    def mail_dir(self) -> Path:
        return self.local_dir / "mail"

    @property
    def whatsapp_dir(self) -> Path:
        return self.local_dir / "whatsapp"


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _json(name: str) -> Mapping[str, Any]:
    return MappingProxyType(json.loads(os.environ.get(name) or "{}"))


@functools.cache
def settings() -> Settings:
    env = os.environ.get
    stage = env("STAGE", "local")
    local_dir = Path(env("LOCAL_DIR", str(PROJECT_ROOT / ".local")))
    return Settings(
        stage=stage,
        in_lambda=bool(env("AWS_LAMBDA_FUNCTION_NAME")),
        version=env("BUILD_VERSION", "dev"),
        database_url=env("DATABASE_URL") or None,
        migrate_database_url=env("MIGRATE_DATABASE_URL") or None,
        db_secret_arn=env("DB_SECRET_ARN") or None,
        # The schema owner's RDS secret: set on the function that migrates at deploy, and on no other.
        db_owner_secret_arn=env("DB_OWNER_SECRET_ARN") or None,
        db_host=env("DB_HOST") or None,
        db_name=env("DB_NAME", "booking"),
        db_ssl_ca_file=env("DB_SSL_CA_FILE") or None,
        db_statement_timeout_ms=_int("DB_STATEMENT_TIMEOUT_MS", 5000),
        db_connect_timeout_s=_float("DB_CONNECT_TIMEOUT_S", 3.0),
        db_socket_timeout_s=_float("DB_SOCKET_TIMEOUT_S", 8.0),
        secrets_ttl_s=min(_int("SECRETS_TTL_S", 300), 300),  # a revoked key must not outlive 5 minutes
        local_dir=local_dir,
        jwt_secret_arn=env("JWT_SECRET_ARN") or None,
        jwt_keys=env("JWT_KEYS") or None,
        jwt_active_kid=env("JWT_ACTIVE_KID", "local-1"),
        jwt_issuer=env("JWT_ISSUER", "booking-api"),
        jwt_audience=env("JWT_AUDIENCE", "booking-app"),
        access_token_ttl_s=_int("ACCESS_TOKEN_TTL_S", 900),
        refresh_token_ttl_s=_int("REFRESH_TOKEN_TTL_S", 30 * 24 * 3600),
        # What CloudFront sends with every /api request (infra/booking_infra/storage.py): with it, the
        # viewer's address CloudFront adds is the caller's. Unset: API Gateway's source address.
        edge_secret=env("EDGE_SECRET") or None,
        cors_allow_origin=env("CORS_ALLOW_ORIGIN", "http://127.0.0.1:5173"),
        app_base_url=env("APP_BASE_URL", "http://127.0.0.1:5173"),
        aws_region=env("AWS_REGION", env("AWS_DEFAULT_REGION", "eu-west-1")),
        email_backend=env("EMAIL_BACKEND", "file"),
        email_from=env("EMAIL_FROM", "Booking <no-reply@booking.local>"),
        uploads_bucket=env("UPLOADS_BUCKET", "booking-uploads-local"),
        notifications_queue=env("NOTIFICATIONS_QUEUE") or None,
        notifications_dlq=env("NOTIFICATIONS_DLQ") or None,
        whatsapp_backend=env("WHATSAPP_BACKEND", "file"),
        whatsapp_api_base=env("WHATSAPP_API_BASE", "https://graph.facebook.com/v21.0"),
        whatsapp_secret_arn=env("WHATSAPP_SECRET_ARN") or None,
        whatsapp_app_secret=env("WHATSAPP_APP_SECRET") or None,
        whatsapp_verify_token=env("WHATSAPP_VERIFY_TOKEN") or None,
        stripe_backend=env("STRIPE_BACKEND", "api"),
        stripe_api_base=env("STRIPE_API_BASE", "https://api.stripe.com"),
        stripe_secret_arn=env("STRIPE_SECRET_ARN") or None,
        stripe_api_key=env("STRIPE_API_KEY") or None,
        stripe_webhook_secret=env("STRIPE_WEBHOOK_SECRET") or None,
        stripe_prices=_json("STRIPE_PRICES"),
        # Per connect and per read; with one retry a checkout (two calls) stays well inside the
        # API function's 30 s.
        stripe_timeout_s=_float("STRIPE_TIMEOUT_S", 5.0),
        stripe_twin_webhook_url=env("STRIPE_TWIN_WEBHOOK_URL", "http://127.0.0.1:8000/billing/webhook"),
        google_backend=env("GOOGLE_BACKEND", "api"),
        google_accounts_base=env("GOOGLE_ACCOUNTS_BASE", "https://accounts.google.com"),
        google_oauth2_base=env("GOOGLE_OAUTH2_BASE", "https://oauth2.googleapis.com"),
        google_api_base=env("GOOGLE_API_BASE", "https://www.googleapis.com"),
        google_secret_arn=env("GOOGLE_SECRET_ARN") or None,
        google_client_id=env("GOOGLE_CLIENT_ID") or None,
        google_client_secret=env("GOOGLE_CLIENT_SECRET") or None,
        google_token_keys=_json("GOOGLE_TOKEN_KEYS"),
        google_token_key_id=env("GOOGLE_TOKEN_KEY_ID") or None,
        google_redirect_uri=env("GOOGLE_REDIRECT_URI", "http://127.0.0.1:8000/calendar/google/callback"),
        google_push_address=env("GOOGLE_PUSH_ADDRESS") or None,
        # Per connect and per read: a sync of a few pages, or an event write with one retry, stays well
        # inside its function's timeout.
        google_timeout_s=_float("GOOGLE_TIMEOUT_S", 5.0),
        billing_past_due_grace_days=_int("BILLING_PAST_DUE_GRACE_DAYS", 21),
        # An Idempotency-Key answers its retries for 2 days (Stripe keeps them 24 hours).
        retention_idempotency_days=_int("RETENTION_IDEMPOTENCY_DAYS", 2),
        # Failed log-ins count for 15 minutes; a day keeps them for a look after an attack.
        retention_login_failures_days=_int("RETENTION_LOGIN_FAILURES_DAYS", 1),
        # Refresh tokens, e-mailed links and invitations: 30 days after they expired (used or not).
        retention_tokens_days=_int("RETENTION_TOKENS_DAYS", 30),
        # A manage link: 30 days after its appointment ended or was cancelled.
        retention_booking_links_days=_int("RETENTION_BOOKING_LINKS_DAYS", 30),
        # The notification pipeline's record (events sent, the delivery log, reminders sent, dead
        # letters redriven or left): 90 days.
        retention_notifications_days=_int("RETENTION_NOTIFICATIONS_DAYS", 90),
        # Stripe event ids (the webhook's replay guard): Stripe retries an event for up to 3 days.
        retention_stripe_events_days=_int("RETENTION_STRIPE_EVENTS_DAYS", 30),
        retention_batch=_int("RETENTION_BATCH", 2000),
        retention_budget_s=_int("RETENTION_BUDGET_S", 20),
    )
