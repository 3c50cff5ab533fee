"""``make run``'s schedule runner finds app.py's schedules and the local stage's environment."""
from __future__ import annotations

from chalicelib.system import local_schedules


def test_the_runner_runs_the_outbox_sweep_every_minute_reminders_every_five_calendars_every_fifteen_and_dailies():
    from app import app

    assert local_schedules.rates(app) == {"outbox_sweep": 60, "reminder_sweep": 300, "retention_sweep": 86400,
                                          "billing_sweep": 86400, "calendar_sync": 900}


def test_the_runner_uses_the_local_stages_variables():
    environment = local_schedules.stage_environment("local")

    assert environment["STAGE"] == "local" and environment["EMAIL_BACKEND"] == "file"
    assert "NOTIFICATIONS_QUEUE" not in environment  # locally the outbox hands rows to the worker


def test_a_scheduled_event_is_what_the_handlers_expect(client):
    client.lambda_.invoke("reminder_sweep", local_schedules.scheduled_event())
    client.lambda_.invoke("outbox_sweep", local_schedules.scheduled_event())
    client.lambda_.invoke("retention_sweep", local_schedules.scheduled_event())
    client.lambda_.invoke("billing_sweep", local_schedules.scheduled_event())
