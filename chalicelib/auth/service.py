"""Sign-up, log-in, token rotation and the e-mailed single-use links (verify, reset, invitation).

Owns ``users``, ``refresh_tokens``, ``user_tokens``, ``login_failures`` and
``login_devices``; ``memberships`` and ``invitations`` are the business module's,
reached through its service.

Refresh tokens are ``<business_id>.<secret>``: the prefix tells which tenant
to open before the hashed secret is looked up, since row-level security hides
every tenant until one is chosen.
"""
from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from chalicelib.auth import users
from chalicelib.billing import gate, subscriptions
from chalicelib.business import service as business
from chalicelib.core import db, log, platform, rate_limit, security
from chalicelib.core.db import Tx
from chalicelib.core.errors import NotFound, RateLimited, Unauthorized
from chalicelib.core.settings import settings
from chalicelib.events import outbox

LOGIN_FAILURE_LIMIT = 5
LOGIN_WINDOW = timedelta(minutes=15)
VERIFY_TTL = timedelta(days=3)
RESET_TTL = timedelta(hours=1)
RESET_EMAILS_PER_HOUR = 3

# Log-ins with a device token (OWASP's device cookies: a signed token a client receives from a correct
# password, naming that account and a random device id) are throttled by the device's own failures, not
# by the account-wide count above: strangers' wrong guesses cannot lock the owner out of their devices.
# DEVICE_FAILURE_LIMIT failures with one token within LOGIN_WINDOW lock that token for LOGIN_WINDOW.
DEVICE_FAILURE_LIMIT = 10
# A device token is trusted until this long after its last successful log-in.
DEVICE_TTL = timedelta(days=90)
# A user's devices, newest log-in first, beyond this many are forgotten as another one is added.
DEVICES_PER_USER = 20
_DEVICE_PURPOSE = "login_device"

# A person signs up once, an agency a few times; ten an hour from one client address is well above
# that (an office or a mobile carrier puts many people behind one address) and stops a script
# making tenants and sending verification mail to any address.
SIGNUPS_PER_ADDRESS = rate_limit.Limit("signups_per_address", per=10, window_s=3600)
# Every reset request writes an event (known address or not, so the request looks the same either way):
# bounded per client address as well as per e-mail address.
RESET_REQUESTS_PER_ADDRESS = rate_limit.Limit("reset_requests_per_address", per=30, window_s=3600)


class InvalidCredentials(Unauthorized):
    code, message = "invalid_credentials", "The e-mail or password is not right."


class InvalidLink(Unauthorized):
    code, message = "invalid_token", "This link is not valid any more; ask for a new one."


_INSERT_REFRESH = """-- one link of a refresh-token family
INSERT INTO refresh_tokens (business_id, user_id, family_id, token_hash, expires_at)
VALUES (:bid, :uid, :family, :hash, now() + make_interval(secs => :ttl))"""

_USE_REFRESH = """-- spend a refresh token: only a live, unused one is marked used
UPDATE refresh_tokens SET used_at = now()
 WHERE token_hash = :hash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
RETURNING business_id, user_id, family_id"""

_FIND_REFRESH = """-- a refresh token whatever its state (to detect reuse)
SELECT family_id, used_at FROM refresh_tokens WHERE token_hash = :hash"""

_REVOKE_FAMILY = """-- end every token of a family
UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = :family AND revoked_at IS NULL"""

_REVOKE_USER = """-- end every session of a user (in the tenants the transaction can see)
UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = :uid AND revoked_at IS NULL"""

_SESSION_TENANTS = """-- the businesses where a user holds live sessions (visible through app.user_id)
SELECT DISTINCT business_id FROM refresh_tokens WHERE user_id = :uid AND revoked_at IS NULL"""

_RECENT_FAILURES = """-- failed logins in the throttling window, per address and per client
SELECT count(*) FILTER (WHERE email_hash = :email_hash) AS by_email,
       count(*) FILTER (WHERE client_ip = :ip) AS by_ip,
       min(failed_at) FILTER (WHERE email_hash = :email_hash) AS first_by_email,
       min(failed_at) FILTER (WHERE client_ip = :ip) AS first_by_ip,
       now() AS now
  FROM login_failures
 WHERE (email_hash = :email_hash OR client_ip = :ip) AND failed_at > now() - :window::interval"""

_RECORD_FAILURE = """-- one more failed log-in for the throttle to count
INSERT INTO login_failures (email_hash, client_ip) VALUES (:email_hash, :ip)"""

_LOCK_LOGIN = """-- one log-in attempt per address at a time (until commit): parallel guesses would otherwise
-- all read the same count before any of them records its failure
SELECT pg_advisory_xact_lock(hashtextextended('login:' || :email_hash, 0))"""

_FIND_DEVICE = """-- the device a log-in's token names, if it is a live device of the account of this address; held
-- until commit, so parallel guesses with one token are counted one after the other
SELECT d.id, d.user_id, d.token_hash, d.failures,
       coalesce(d.failed_since > now() - CAST(:window AS interval), false) AS failing,
       extract(epoch FROM d.locked_until - now()) AS locked_s
  FROM login_devices AS d JOIN users AS u ON u.id = d.user_id
 WHERE d.id = :id AND u.email = :email AND d.last_login_at > now() - CAST(:ttl AS interval)
   FOR UPDATE OF d"""

_DEVICE_FAILED = """-- one more failed log-in with a device's token (a new window from the first failure after the last);
-- the limit-th in a window locks the token for a window
UPDATE login_devices
   SET failures = :failures,
       failed_since = CASE WHEN CAST(:restart AS boolean) THEN now() ELSE failed_since END,
       locked_until = CASE WHEN CAST(:lock AS boolean) THEN now() + CAST(:window AS interval) END
 WHERE id = :id"""

_DEVICE_LOGGED_IN = """-- a correct password from a known device: its failures are forgiven and its trust renewed
UPDATE login_devices SET failures = 0, failed_since = NULL, locked_until = NULL, last_login_at = now()
 WHERE id = :id"""

_ADD_DEVICE = """-- a device a user just logged in from; on the side, forget the user's devices that are no longer
-- trusted and those beyond the newest few
WITH kept AS (
    SELECT id FROM login_devices
     WHERE user_id = :uid AND last_login_at > now() - CAST(:ttl AS interval)
     ORDER BY last_login_at DESC LIMIT :keep
), forgotten AS (
    DELETE FROM login_devices WHERE user_id = :uid AND id NOT IN (SELECT id FROM kept)
)
INSERT INTO login_devices (id, user_id, token_hash) VALUES (:id, :uid, :hash)"""

_INSERT_USER_TOKEN = """-- an e-mailed single-use link (the same e-mail written again keeps the first)
INSERT INTO user_tokens (user_id, purpose, token_hash, expires_at)
VALUES (:uid, :purpose, :hash, now() + :ttl::interval)
ON CONFLICT ON CONSTRAINT user_tokens_hash_key DO NOTHING"""

_USE_USER_TOKEN = """-- spend an e-mailed link: only a live, unused one
UPDATE user_tokens SET used_at = now()
 WHERE token_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > now()
RETURNING user_id"""


_SPEND_OTHER_RESETS = """-- the other reset links sent to the user stop working with this reset
UPDATE user_tokens SET used_at = now() WHERE user_id = :uid AND purpose = 'reset_password' AND used_at IS NULL"""

_FORGET_DEVICES = """-- a new password: the devices that logged in with the old one are strangers again
DELETE FROM login_devices WHERE user_id = :uid"""



def _interval(delta: timedelta) -> str:
    return f"{int(delta.total_seconds())} seconds"


def _issue_tokens(tx: Tx, *, user_id: UUID, business_id: UUID, role: str,
                  family_id: UUID | None = None) -> dict[str, Any]:
    access, ttl = security.issue_access_token(user_id=user_id, business_id=business_id, role=role)
    refresh, refresh_hash = security.new_token(prefix=str(business_id))
    tx.execute(_INSERT_REFRESH, bid=business_id, uid=user_id, family=family_id or uuid.uuid4(),
               hash=refresh_hash, ttl=settings().refresh_token_ttl_s)
    return {"access_token": access, "token_type": "Bearer", "expires_in": ttl, "refresh_token": refresh}


def _session(tx: Tx, *, user: dict[str, Any], business_id: UUID, role: str) -> dict[str, Any]:
    tokens = _issue_tokens(tx, user_id=user["id"], business_id=business_id, role=role)
    return {**tokens, "user": users.as_json(user), "role": role, "business_id": str(business_id)}


def link_token(tx: Tx, user_id: UUID, purpose: str, *, message_id: UUID) -> str:
    """A single-use link's secret (``verify_email`` or ``reset_password``) for the e-mail ``message_id``
    (its outbox row), made by the notification worker as it writes the e-mail, so no readable secret
    waits in the outbox; only its hash is kept. Writing the same e-mail again gives the same link."""
    token, token_hash = security.derived_token(purpose, str(message_id))
    ttl = VERIFY_TTL if purpose == "verify_email" else RESET_TTL
    tx.execute(_INSERT_USER_TOKEN, uid=user_id, purpose=purpose, hash=token_hash, ttl=_interval(ttl))
    return token


def signup(*, business_name: str, owner_name: str, email_address: str, password: str, time_zone: str,
           currency: str, slug: str | None = None, locale: str = "en", client: str | None = None) -> dict[str, Any]:
    """Create the business and its owner in one transaction; answer a signed-in session.

    ``client``: the address a public sign-up comes from, counted first (a refused sign-up creates and
    sends nothing); None for the product's own (the demo, the benchmarks)."""
    if client is not None:
        rate_limit.hit((SIGNUPS_PER_ADDRESS, client))
    security.check_password_policy(password)
    business_id = uuid.uuid4()
    with db.tenant_tx(business_id) as tx:
        user = users.create(tx, email_address=email_address, name=owner_name, password=password)
        created = business.create(tx, business_id, name=business_name, slug=slug, time_zone=time_zone,
                                  currency=currency, locale=locale, contact_email=email_address)
        business.add_member(tx, business_id, user["id"], "owner")
        subscriptions.start_trial(tx, business_id, trial_ends_at=datetime.fromisoformat(created["trial_ends_at"]))
        outbox.add(tx, business_id, "auth.verify_email", aggregate_id=user["id"], payload={"user_id": str(user["id"])})
        session = _session(tx, user=user, business_id=business_id, role="owner")
    return {**session, "business": created}


def _email_hash(address: str) -> str:
    return hashlib.sha256(address.encode()).hexdigest()


def _throttle(tx: Tx, email_hash: str, ip: str) -> None:
    tx.value(_LOCK_LOGIN, email_hash=email_hash)
    seen = tx.one(_RECENT_FAILURES, email_hash=email_hash, ip=ip, window=_interval(LOGIN_WINDOW))
    oldest = [first for count, first in ((seen["by_email"], seen["first_by_email"]),
                                         (seen["by_ip"], seen["first_by_ip"]))
              if count >= LOGIN_FAILURE_LIMIT]
    if oldest:
        # Each reached limit lifts when its oldest failure leaves the window; the attempt needs both.
        retry = max(oldest) + LOGIN_WINDOW - seen["now"]
        raise RateLimited(max(1, int(retry.total_seconds()) + 1),
                          "Too many failed log-ins; wait before trying again.")


def _device_token(user_id: UUID, device_id: UUID, *, known_hash: str | None = None) -> tuple[str, str]:
    """The device's token (``<device id>.<HMAC of user and device>``) and its hash; with ``known_hash``,
    the one stored (made under any signing key still listed), else ``LookupError``."""
    return security.derived_token(_DEVICE_PURPOSE, f"{user_id}\n{device_id}", prefix=str(device_id),
                                  known_hash=known_hash)


def _trusted_device(tx: Tx, email_address: str, token: str | None) -> dict[str, Any] | None:
    """The device row of a valid device token of this address's account (locked until commit); None
    for no token, a malformed, forged, expired or forgotten one, or another account's. ``RateLimited``
    while the device is locked out."""
    if token is None:
        return None
    try:
        device_id = UUID(security.token_prefix(token))
    except ValueError:
        return None
    device = tx.one(_FIND_DEVICE, id=device_id, email=email_address, window=_interval(LOGIN_WINDOW),
                    ttl=_interval(DEVICE_TTL))
    if device is None:
        return None
    try:
        expected, _ = _device_token(device["user_id"], device["id"], known_hash=device["token_hash"])
    except LookupError:  # made under a signing key no longer listed
        return None
    if not hmac.compare_digest(expected, token):
        return None
    if device["locked_s"] is not None and device["locked_s"] > 0:
        raise RateLimited(max(1, int(device["locked_s"]) + 1),
                          "Too many failed log-ins from this device; wait before trying again.")
    return device


def _device_failed(tx: Tx, device: dict[str, Any]) -> None:
    failures = device["failures"] + 1 if device["failing"] else 1
    tx.execute(_DEVICE_FAILED, id=device["id"], failures=failures, restart=not device["failing"],
               lock=failures >= DEVICE_FAILURE_LIMIT, window=_interval(LOGIN_WINDOW))


def _add_device(tx: Tx, user_id: UUID) -> str:
    device_id = uuid.uuid4()
    token, token_hash = _device_token(user_id, device_id)
    tx.execute(_ADD_DEVICE, id=device_id, uid=user_id, hash=token_hash, ttl=_interval(DEVICE_TTL),
               keep=DEVICES_PER_USER - 1)
    return token


def login(email_address: str, password: str, *, client_ip: str, device_token: str | None = None,
          business_id: UUID | None = None) -> dict[str, Any]:
    """A session for the user's business (the one named, else the one they joined first), with the
    device token to present at the next log-in from this client.

    A valid ``device_token`` of this account is throttled by its device's own failures; any other
    attempt by the failures of the address (from anywhere) and of the client address.

    One transaction: the password is checked with no tenant in scope, then the
    scope narrows to the user (to find their memberships) and to the business."""
    email_hash = _email_hash(email_address)
    session = None
    with db.transaction() as tx:
        device = _trusted_device(tx, email_address, device_token)
        if device is None:
            _throttle(tx, email_hash, client_ip)
        user = users.by_email(tx, email_address)
        if not security.verify_password(password, user["password_hash"] if user else None):
            if device is None:
                tx.execute(_RECORD_FAILURE, email_hash=email_hash, ip=client_ip)
            else:
                _device_failed(tx, device)
        else:
            tx.scope(None, user_id=user["id"])
            membership = business.membership_for_login(tx, user["id"], business_id)
            if membership is not None:
                tx.scope(membership["business_id"])
                session = _session(tx, user=user, business_id=membership["business_id"], role=membership["role"])
                if device is None:
                    device_token = _add_device(tx, user["id"])
                else:
                    tx.execute(_DEVICE_LOGGED_IN, id=device["id"])
    if session is None:
        log.emit("auth.login_failed", email=log.mask_email(email_address))
        raise InvalidCredentials()
    return {**session, "device_token": device_token}


def refresh(token: str) -> dict[str, Any]:
    """Rotate: the token is spent and a new pair issued in the same family. A token presented
    twice means it was stolen (or raced): the whole family is revoked."""
    try:
        business_id = UUID(security.token_prefix(token))
    except ValueError:
        raise Unauthorized("The refresh token is not valid.") from None
    token_hash = security.hash_token(token)
    with db.tenant_tx(business_id) as tx:
        spent = tx.one(_USE_REFRESH, hash=token_hash)
        if spent is None:
            known = tx.one(_FIND_REFRESH, hash=token_hash)
            if known is not None and known["used_at"] is not None:
                tx.execute(_REVOKE_FAMILY, family=known["family_id"])
                log.emit("auth.refresh_reused", business_id=str(business_id), family_id=str(known["family_id"]))
        else:
            role = business.member_role(tx, business_id, spent["user_id"])
            if role is not None:
                return _issue_tokens(tx, user_id=spent["user_id"], business_id=business_id, role=role,
                                     family_id=spent["family_id"])
            tx.execute(_REVOKE_FAMILY, family=spent["family_id"])
    raise Unauthorized("The refresh token is not valid.")


def logout(business_id: UUID, user_id: UUID, refresh_token: str | None) -> None:
    """Revoke the family of the given refresh token, or every session of the user in this business."""
    with db.tenant_tx(business_id) as tx:
        if refresh_token is None:
            tx.execute(_REVOKE_USER, uid=user_id)
            return
        known = tx.one(_FIND_REFRESH, hash=security.hash_token(refresh_token))
        if known is not None:
            tx.execute(_REVOKE_FAMILY, family=known["family_id"])


def _reset_subject(email_address: str) -> UUID:
    """What reset requests for one address are counted (and queued in order) under, whether or not it
    has an account."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"mailto:{email_address}")


def forgot_password(email_address: str, *, client: str) -> None:
    """Have a reset link e-mailed if the address has an account and has not asked 3 times in the last
    hour. The request does the same work whether or not it has one (it counts and writes the event;
    the notification worker looks the account up), so neither the answer nor its timing tells."""
    rate_limit.hit((RESET_REQUESTS_PER_ADDRESS, client))
    subject = _reset_subject(email_address)
    # A jobs transaction: the reset e-mail belongs to no business, and only the jobs see such rows.
    # Counted when asked, not when sent, one request per address at a time, so a burst of requests
    # cannot slip past the count together.
    with db.jobs_tx(lock=f"reset:{subject}") as tx:
        if outbox.count_recent(tx, "auth.reset_password", aggregate_id=subject,
                               within=timedelta(hours=1)) < RESET_EMAILS_PER_HOUR:
            outbox.add(tx, None, "auth.reset_password", aggregate_id=subject, payload={"email": email_address})


def _end_every_session(tx: Tx, user_id: UUID) -> None:
    """Revoke the user's refresh tokens in every business. ``app.user_id`` shows them all, but the
    policy lets a row be written only inside its own tenant's scope, so each business is revoked
    under its own."""
    tx.scope(None, user_id=user_id)
    tenants = [row["business_id"] for row in tx.all(_SESSION_TENANTS, uid=user_id)]
    for business_id in tenants:
        tx.scope(business_id)
        tx.execute(_REVOKE_USER, uid=user_id)


def reset_password(token: str, password: str) -> None:
    """Set a new password with an e-mailed link; every open session of the user ends and their devices
    are forgotten (in the same transaction: a new password with the old sessions still alive would not
    end a takeover)."""
    security.check_password_policy(password)
    with db.transaction() as tx:
        user_id = tx.value(_USE_USER_TOKEN, hash=security.hash_token(token), purpose="reset_password")
        if user_id is None:
            raise InvalidLink()
        users.set_password(tx, user_id, password)
        tx.execute(_SPEND_OTHER_RESETS, uid=user_id)
        tx.execute(_FORGET_DEVICES, uid=user_id)
        # Whoever could open the link controls the mailbox: the address is verified too.
        users.mark_verified(tx, user_id)
        _end_every_session(tx, user_id)


def verify_email(token: str) -> None:
    with db.transaction() as tx:
        user_id = tx.value(_USE_USER_TOKEN, hash=security.hash_token(token), purpose="verify_email")
        if user_id is None:
            raise InvalidLink()
        users.mark_verified(tx, user_id)


def accept_invitation(token: str, *, name: str, password: str) -> dict[str, Any]:
    """Join the inviting business. A new address gets an account with this password; an existing
    account must prove it is theirs with its current password."""
    try:
        business_id = UUID(security.token_prefix(token))
    except ValueError:
        raise InvalidLink() from None
    with db.tenant_tx(business_id) as tx:
        invitation = business.take_invitation(tx, business_id, security.hash_token(token))
        if invitation is None:
            raise InvalidLink()
        user = users.by_email(tx, invitation["email"])
        if user is None:
            security.check_password_policy(password)
            user = users.create(tx, email_address=invitation["email"], name=name, password=password)
        elif not security.verify_password(password, user["password_hash"]):
            raise InvalidCredentials("This address has an account: enter its current password to join.")
        # The invitation went to this mailbox, so opening it proves the address.
        users.mark_verified(tx, user["id"])
        business.add_member(tx, business_id, user["id"], invitation["role"])
        user = users.by_email(tx, invitation["email"])
        return _session(tx, user=user, business_id=business_id, role=invitation["role"])


def _features_json(ent: gate.Entitlements) -> dict[str, Any]:
    """What the business may use now, as ``/auth/me`` names it (limits as ``max_*``, then every flag)."""
    return {"max_staff": ent.limits["staff"], "max_locations": ent.limits["locations"],
            "max_bookings_per_month": ent.limits["bookings_per_month"],
            "max_messages_per_month": ent.limits["messages_per_month"], **ent.features}


def me(business_id: UUID, user_id: UUID) -> dict[str, Any]:
    """The user, their role as the business holds it now, the business and what it may use now (its
    plan, the platform's overrides and rollouts: the same as ``GET /features``)."""
    with db.tenant_tx(business_id) as tx:
        user = users.people(tx, [user_id]).get(user_id)
        role = business.member_role(tx, business_id, user_id)
        profile = business.get(tx, business_id)
        ent = gate.entitlements(tx, business_id) if profile is not None else None
        operator = platform.is_operator(tx, user_id)
    if user is None or profile is None or role is None or ent is None:
        raise NotFound("user")
    return {"user": users.as_json(user), "role": role, "business": profile,
            "plan": profile["plan"], "features": _features_json(ent), "platform_operator": operator}


# --- retention: what the daily sweep deletes, a batch at a time, oldest first ----------------------

_PRUNE_LOGIN_FAILURES = """-- retention: failed log-ins long past the throttling window, one batch
DELETE FROM login_failures WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM login_failures WHERE failed_at < now() - make_interval(secs => :older_than_s)
     ORDER BY failed_at LIMIT :batch))"""

_PRUNE_REFRESH_TOKENS = """-- retention: refresh tokens expired the period ago (spent, revoked or never used), one batch
DELETE FROM refresh_tokens WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM refresh_tokens WHERE expires_at < now() - make_interval(secs => :older_than_s)
     ORDER BY expires_at LIMIT :batch))"""

_PRUNE_USER_TOKENS = """-- retention: e-mailed links expired the period ago (used or not), one batch
DELETE FROM user_tokens WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM user_tokens WHERE expires_at < now() - make_interval(secs => :older_than_s)
     ORDER BY expires_at LIMIT :batch))"""


def prune_login_failures(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """Delete up to ``batch`` failed log-ins older than ``older_than_s`` (at least the throttling
    window, or a guesser would get a fresh count); answer how many."""
    if older_than_s < LOGIN_WINDOW.total_seconds():
        raise ValueError("failed log-ins must be kept for the whole throttling window")
    return tx.execute(_PRUNE_LOGIN_FAILURES, older_than_s=older_than_s, batch=batch)


def prune_refresh_tokens(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """Delete up to ``batch`` refresh tokens (every tenant's, in the retention scope) that expired more
    than ``older_than_s`` ago. A live token stays, and so does a spent one for that long after its
    expiry: presented again meanwhile, it still revokes its family."""
    return tx.execute(_PRUNE_REFRESH_TOKENS, older_than_s=older_than_s, batch=batch)


_PRUNE_LOGIN_DEVICES = """-- retention: devices with no log-in for the period (no longer trusted), one batch
DELETE FROM login_devices WHERE id = ANY(ARRAY(
    SELECT id FROM login_devices WHERE last_login_at < now() - make_interval(secs => :older_than_s)
     ORDER BY last_login_at LIMIT :batch))"""


def prune_login_devices(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """Delete up to ``batch`` devices with no log-in for ``older_than_s`` (at least ``DEVICE_TTL``, or
    a device still trusted would lose its exemption from the account-wide count); answer how many."""
    if older_than_s < DEVICE_TTL.total_seconds():
        raise ValueError("a device must be kept while its token is trusted")
    return tx.execute(_PRUNE_LOGIN_DEVICES, older_than_s=older_than_s, batch=batch)


def prune_user_tokens(tx: Tx, *, older_than_s: float, batch: int) -> int:
    """Delete up to ``batch`` e-mailed links that expired more than ``older_than_s`` ago."""
    return tx.execute(_PRUNE_USER_TOKENS, older_than_s=older_than_s, batch=batch)
