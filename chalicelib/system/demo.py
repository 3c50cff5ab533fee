"""Loads the demo business that ``make run`` shows a newcomer, once; prints how to log in.

It goes through the same service as the API's sign-up, so the demo is what a
real sign-up would have made.
"""
from __future__ import annotations

from chalicelib.auth import service as auth
from chalicelib.core import db
from chalicelib.core.errors import Conflict

OWNER_EMAIL = "owner@demo-salon.test"
PASSWORD = "demo-salon-2026!"


def load() -> bool:
    """Create the demo business unless it exists; answer whether it was created."""
    try:
        auth.signup(business_name="Demo Salon", slug="demo-salon", owner_name="Dana Demo", email_address=OWNER_EMAIL,
                    password=PASSWORD, time_zone="Europe/London", currency="GBP")
    except Conflict:
        return False
    finally:
        db.reset_connection()
    return True


def main() -> None:
    created = load()
    print("demo business", "loaded" if created else "already there")
    print(f"  log in as {OWNER_EMAIL} / {PASSWORD}")
    print("  e-mails the app sends are written to .local/mail/")


if __name__ == "__main__":
    main()
