"""Helpers of the auth tests."""
from __future__ import annotations

import hashlib
import re
import threading
import time
from typing import Any

from tests.api import Session, body, call, invite, signup

VERIFY_SUBJECT = "Confirm your e-mail address"
RESET_SUBJECT = "Reset your password"
INVITE_SUBJECT = "You are invited to join"
WRONG = "not the right password"


def link_in(mail: Any, address: str, subject: str) -> str:
    """The link of the one message to ``address`` whose subject starts with ``subject``.

    Not ``mail.last_link``: the twin names files by the second plus a random suffix, so two
    messages to one address within a second (sign-up, then an invitation) sort in any order.
    """
    messages = [m for m in mail.sent_to(address) if m["Subject"].startswith(subject)]
    assert len(messages) == 1, f"{len(messages)} messages {subject!r} to {address}"
    text = messages[0].get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+", text).group(0)


def token_in(mail: Any, address: str, subject: str) -> str:
    return link_in(mail, address, subject).split("token=", 1)[1]


def auth(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


def join_second_business(client: Any, mail: Any, member: Session, role: str = "admin") -> tuple[Session, Any]:
    """``member`` (an existing account) accepts an invitation to a new business.

    Answers that business's owner and the acceptance's body (a session there)."""
    other = signup(client)
    assert invite(client, other, member.email, role).status_code == 201
    accepted = call(client, "POST", "/auth/invitations/accept",
                    {"token": token_in(mail, member.email, INVITE_SUBJECT), "password": member.password})
    assert accepted.status_code == 200, accepted.body
    return other, body(accepted)


def clear_of_the_window_end(limit: Any, needed_s: float) -> None:
    """Wait for ``limit``'s next window (``rate_limit.Limit``: fixed windows aligned to their length)
    if the current one ends before the test would be done with it."""
    left = limit.window_s - time.time() % limit.window_s
    if left < needed_s:
        time.sleep(left + 1)


def email_hash(address: str) -> str:
    """How ``login_failures`` names an e-mail address."""
    return hashlib.sha256(address.encode()).hexdigest()


def assert_rate_limited(response: Any) -> int:
    """A 429 in our error shape; answer its Retry-After."""
    assert response.status_code == 429, response.body
    error = body(response)["error"]
    assert error["code"] == "rate_limited"
    value = response.headers["Retry-After"]
    assert value.isdigit(), value
    assert error["details"] == {"retry_after": int(value)}
    return int(value)


def parallel_wrong_passwords(email: str, attempts: int, **login: Any) -> list[str]:
    """The outcomes ("401", "429") of ``attempts`` wrong-password log-ins for ``email`` started at
    once, each from an address of its own (one Lambda each in production). They call the service the
    route calls: the test client swaps ``os.environ`` per request and is not thread-safe."""
    from chalicelib.auth import service
    from chalicelib.core import db
    from chalicelib.core.errors import RateLimited

    start = threading.Barrier(attempts)
    outcomes: list[str] = []

    def guess(n: int) -> None:
        start.wait()
        try:
            service.login(email, WRONG, client_ip=f"198.51.100.{n}", **login)
        except service.InvalidCredentials:
            outcomes.append("401")
        except RateLimited:
            outcomes.append("429")
        finally:
            db.reset_connection()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes
