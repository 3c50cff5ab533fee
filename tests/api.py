"""Named calls against the HTTP API, so tests read as what a user does."""
from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from chalice.local import LambdaEventConverter

PASSWORD = "correct horse battery staple"


@dataclass
class Session:
    email: str
    password: str
    access_token: str
    refresh_token: str
    business_id: str
    user_id: str
    role: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}", "Content-Type": "application/json"}


def unique_email(prefix: str = "owner") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def unique_address() -> str:
    """A client address in an IPv6 /64 of its own (in the documentation prefix 2001:db8::/32)."""
    bits = uuid.uuid4().int
    return f"2001:db8:{bits >> 16 & 0xffff:x}:{bits & 0xffff:x}::1"


@contextmanager
def from_address(address: str) -> Iterator[None]:
    """The test client's requests come from ``address`` meanwhile (Chalice's local gateway gives them
    all 127.0.0.1; the limits per client address read it)."""
    before = LambdaEventConverter.LOCAL_SOURCE_IP
    LambdaEventConverter.LOCAL_SOURCE_IP = address
    try:
        yield
    finally:
        LambdaEventConverter.LOCAL_SOURCE_IP = before


def call(client: Any, method: str, path: str, body: Any = None, *, session: Session | None = None,
         headers: dict[str, str] | None = None, raw: str | bytes | None = None) -> Any:
    all_headers = {"Content-Type": "application/json", **(session.headers if session else {}), **(headers or {})}
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return client.http.request(method, path, headers=all_headers, body=data)


def body(response: Any) -> Any:
    return json.loads(response.body) if response.body else None


def session_from(answer: dict[str, Any], email: str, password: str) -> Session:
    return Session(email=email, password=password, access_token=answer["access_token"],
                   refresh_token=answer["refresh_token"], business_id=answer["business_id"],
                   user_id=answer["user"]["id"], role=answer["role"])


def signup(client: Any, **overrides: Any) -> Session:
    email = overrides.pop("email", None) or unique_email()
    payload = {"business_name": "Studio " + uuid.uuid4().hex[:6], "owner_name": "Olive Owner", "email": email,
               "password": PASSWORD, "time_zone": "Europe/London", "currency": "GBP", **overrides}
    # Each from an address of its own: sign-ups are limited per client address.
    with from_address(unique_address()):
        response = call(client, "POST", "/auth/signup", payload)
    assert response.status_code == 201, response.body
    return session_from(body(response), email, payload["password"])


def new_business(client: Any) -> Session:
    return signup(client)


def login(client: Any, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return call(client, "POST", "/auth/login", {"email": email, "password": password, **extra})


def invite(client: Any, owner: Session, email: str, role: str = "staff") -> Any:
    return call(client, "POST", "/business/users/invitations", {"email": email, "role": role}, session=owner)


def add_member(client: Any, owner: Session, mail: Any, role: str = "staff") -> Session:
    """Invite someone and accept as them: a signed-in member with ``role``."""
    email = unique_email(role)
    assert invite(client, owner, email, role).status_code == 201
    response = call(client, "POST", "/auth/invitations/accept",
                    {"token": mail.last_token(email), "password": PASSWORD, "name": f"{role.title()} Member"})
    assert response.status_code == 200, response.body
    return session_from(body(response), email, PASSWORD)
