"""What the reminder schedule in app.py runs."""
from __future__ import annotations

from chalicelib.notifications import reminders


def sweep_reminders() -> None:
    """Every 5 minutes: the reminders now due."""
    reminders.sweep()
