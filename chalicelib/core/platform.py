"""The platform's operators: the people who alone reach ``/admin/*`` (whatever their role in the
business they signed in to). Granted from the command line:

    python -m chalicelib.core.platform grant someone@example.com
    python -m chalicelib.core.platform revoke someone@example.com

Owns ``platform_operators``.
"""
from __future__ import annotations

import sys
from uuid import UUID

from chalicelib.core import db
from chalicelib.core.db import Tx
from chalicelib.core.errors import Forbidden

ROLE = "platform_admin"

_IS_OPERATOR = """-- whether a user operates the platform
SELECT EXISTS (SELECT 1 FROM platform_operators WHERE user_id = :uid)"""

_GRANT = """-- make a user an operator (by address)
INSERT INTO platform_operators (user_id) SELECT id FROM users WHERE email = lower(:email)
ON CONFLICT (user_id) DO UPDATE SET granted_at = platform_operators.granted_at
RETURNING user_id"""

_REVOKE = """-- a user no longer operates the platform
DELETE FROM platform_operators WHERE user_id = (SELECT id FROM users WHERE email = lower(:email))"""


def is_operator(tx: Tx, user_id: UUID) -> bool:
    """Whether the user operates the platform now (for the app to show the console; /admin checks again)."""
    return bool(tx.value(_IS_OPERATOR, uid=user_id))


def require_operator(user_id: UUID) -> None:
    """Checked on every /admin request (not carried in the token, so a revocation takes effect at once)."""
    with db.transaction() as tx:
        if not tx.value(_IS_OPERATOR, uid=user_id):
            raise Forbidden("This needs a platform operator.")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("grant", "revoke"):
        print("usage: python -m chalicelib.core.platform grant|revoke EMAIL", file=sys.stderr)
        return 2
    action, address = argv
    with db.transaction() as tx:
        if action == "grant":
            done = tx.value(_GRANT, email=address) is not None
        else:
            done = tx.execute(_REVOKE, email=address) > 0
    print(f"{action}: {address}: {'done' if done else 'no such user' if action == 'grant' else 'was not an operator'}")
    return 0 if done else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
