"""Passwords, opaque tokens, access JWTs, the API Gateway authorizer and the caller's role.

The authorizer is registered on this module's own Blueprint so that routes
reference ``jwt_auth`` without importing ``app.py``, and so that API Gateway's
authorizer function, which imports this module alone, finds everything it needs.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import jwt
from chalice import AuthResponse, Blueprint

from chalicelib.core.errors import Forbidden, Unauthorized, ValidationFailed
from chalicelib.core.settings import settings

# --- passwords -------------------------------------------------------------------------------

# scrypt with 16 MiB of memory per hash: memory-hard, in the standard library.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
_COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${_b64(salt)}${_b64(digest)}"


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def verify_password(password: str, stored: str | None) -> bool:
    """Constant-time check; with no stored hash it still spends the same work, so timing
    does not tell whether an account exists."""
    try:
        _, n, r, p, salt, digest = (stored or _dummy_hash()).split("$")
        candidate = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                                   dklen=len(_unb64(digest)))
    except ValueError:
        return False
    return hmac.compare_digest(candidate, _unb64(digest)) and stored is not None


@functools.cache
def _common_passwords() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in _COMMON_PASSWORDS.read_text().splitlines() if line.strip())


def check_password_policy(password: str, *, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed({field: f"use at least {MIN_PASSWORD_LENGTH} characters"})
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed({field: f"use at most {MAX_PASSWORD_LENGTH} characters"})
    if password.lower() in _common_passwords():
        raise ValidationFailed({field: "this password is too common"})


# --- opaque tokens (refresh, e-mail links) ---------------------------------------------------

def new_token(prefix: str = "") -> tuple[str, str]:
    """A fresh secret (256 random bits) and the hash to store; only the hash is kept.

    ``prefix`` routes the token (e.g. to its tenant) and is not secret.
    """
    secret = secrets.token_urlsafe(32)
    token = f"{prefix}.{secret}" if prefix else secret
    return token, hash_token(token)


def derived_token(purpose: str, key: str, *, prefix: str = "", known_hash: str | None = None) -> tuple[str, str]:
    """A secret that the same (``purpose``, ``key``) always gives again, and the hash to store: for a
    message that may be written more than once (a queue redelivers it), so every copy carries the
    one working link. It is an HMAC under the signing key, as unguessable as ``new_token``'s.

    ``known_hash``: the hash stored when it was made; the key it was made under is found among the
    keys still listed (a rotation in between does not break it). None when no listed key gives it."""
    active, keys = _signing_keys()
    for kid in ([active] if known_hash is None else [active, *(k for k in keys if k != active)]):
        mac = hmac.new(keys[kid].encode(), f"token\n{purpose}\n{key}".encode(), hashlib.sha256).digest()
        token = f"{prefix}.{_b64(mac)}" if prefix else _b64(mac)
        if known_hash is None or hmac.compare_digest(hash_token(token), known_hash):
            return token, hash_token(token)
    raise LookupError("no signing key gives this token")


def hash_token(token: str) -> str:
    # High-entropy secrets need no slow hash: a digest is enough to make a leaked table useless.
    return hashlib.sha256(token.encode()).hexdigest()


def token_prefix(token: str) -> str:
    return token.partition(".")[0] if "." in token else ""


# --- access tokens (JWT) ----------------------------------------------------------------------

_ALGORITHM = "HS256"
_LOCAL_KEYS = {"local-1": "local-development-signing-key-not-for-production-use"}


def _signing_keys(*, fresh: bool = False) -> tuple[str, dict[str, str]]:
    """(active kid, {kid: secret}); old kids stay listed while their tokens may live, for rotation.

    From the secret, as the secret store keeps it (``SECRETS_TTL_S``): a key removed from the secret
    stops signing and verifying in every warm container within that time. ``fresh``: see
    ``secrets.json_secret``."""
    cfg = settings()
    if cfg.jwt_secret_arn:
        from chalicelib.integrations import secrets as secret_store

        doc = secret_store.json_secret(cfg.jwt_secret_arn, fresh=fresh)
        return doc["active_kid"], dict(doc["keys"])
    if cfg.jwt_keys:
        return cfg.jwt_active_kid, dict(json.loads(cfg.jwt_keys))
    if cfg.is_local:
        return "local-1", dict(_LOCAL_KEYS)
    raise RuntimeError("No JWT signing keys: set JWT_SECRET_ARN (or JWT_KEYS).")


def issue_access_token(*, user_id: UUID, business_id: UUID, role: str) -> tuple[str, int]:
    """A signed access token and its lifetime in seconds."""
    cfg = settings()
    kid, keys = _signing_keys()
    now = int(time.time())
    claims = {
        "sub": str(user_id), "bid": str(business_id), "role": role,
        "iss": cfg.jwt_issuer, "aud": cfg.jwt_audience,
        "iat": now, "nbf": now, "exp": now + cfg.access_token_ttl_s, "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, keys[kid], algorithm=_ALGORITHM, headers={"kid": kid}), cfg.access_token_ttl_s


def _verifying_key(kid: str) -> str | None:
    """The key named ``kid``. One we do not hold may have been added to the secret since we read it
    (another container already signs with it): the secret is read again, at most once per
    ``secrets.FRESH_READ_INTERVAL_S``, however many forged kids arrive."""
    key = _signing_keys()[1].get(kid)
    return key if key is not None else _signing_keys(fresh=True)[1].get(kid)


def decode_access_token(token: str) -> dict[str, Any]:
    """The verified claims, or ``Unauthorized``: the algorithm list is pinned and every claim is required."""
    cfg = settings()
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = _verifying_key(kid) if isinstance(kid, str) else None
        if key is None:
            raise Unauthorized("The token was signed with an unknown key.")
        claims = jwt.decode(
            token, key, algorithms=[_ALGORITHM], audience=cfg.jwt_audience, issuer=cfg.jwt_issuer,
            options={"require": ["sub", "bid", "role", "iss", "aud", "exp", "iat", "nbf", "jti"]},
        )
        UUID(claims["sub"]), UUID(claims["bid"])
    except (jwt.InvalidTokenError, ValueError, TypeError) as e:
        raise Unauthorized("The token is not valid.") from e
    if claims["role"] not in ROLES:
        raise Unauthorized("The token is not valid.")
    return claims


# --- signed values (opaque cursors) ------------------------------------------------------------

def signature(purpose: str, message: str) -> str:
    """A short HMAC of ``message`` under the active signing key, bound to ``purpose`` so it proves
    nothing anywhere else. Values signed before a key rotation stop verifying: use it only for
    short-lived ones."""
    kid, keys = _signing_keys()
    mac = hmac.new(keys[kid].encode(), f"{purpose}\n{message}".encode(), hashlib.sha256).digest()
    return _b64(mac[:16])


# --- the authorizer ---------------------------------------------------------------------------

auth_blueprint = Blueprint(__name__)


# API Gateway caches the answer per token: a minute, so an expired token does not outlive exp by much.
@auth_blueprint.authorizer(ttl_seconds=60)
def jwt_auth(auth_request: Any) -> AuthResponse | dict[str, Any]:
    """Allow every route for a valid bearer token (API Gateway caches the answer per token) and hand
    the user, business and role to the route as context; anything else is denied."""
    scheme, _, token = (auth_request.token or "").partition(" ")
    try:
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized()
        claims = decode_access_token(token.strip())
    except Unauthorized:
        # An explicit Deny: API Gateway answers 403 and never calls the route.
        return {"principalId": "anonymous", "policyDocument": {"Version": "2012-10-17", "Statement": [
            {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": [auth_request.method_arn]}]}}
    return AuthResponse(routes=["*"], principal_id=claims["sub"],
                        context={"user_id": claims["sub"], "business_id": claims["bid"], "role": claims["role"]})


# --- the caller and roles ---------------------------------------------------------------------

ROLES = ("staff", "admin", "owner")  # each includes what the ones before it may do


@dataclass(frozen=True)
class Caller:
    user_id: UUID
    business_id: UUID
    role: str

    def at_least(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def role_check(required: str) -> Callable[[str | None], None]:
    """What a member's current role must pass for a route that needs ``required`` (see ``db.acting_for``)."""

    def check(current: str | None) -> None:
        if current is None:
            raise Unauthorized("You are no longer a member of this business.")
        if ROLES.index(current) < ROLES.index(required):
            raise Forbidden(f"This needs the {required} role or higher.")

    return check


def caller(request: Any, *, role: str = "staff") -> Caller:
    """Who is calling (from the authorizer's context); ``Forbidden`` below ``role``."""
    context = (request.context or {}).get("authorizer") or {}
    try:
        who = Caller(UUID(context["user_id"]), UUID(context["business_id"]), context["role"])
    except (KeyError, ValueError, TypeError):
        raise Unauthorized() from None
    if who.role not in ROLES:
        raise Unauthorized()
    if not who.at_least(role):
        raise Forbidden(f"This needs the {role} role or higher.")
    return who
