"""``make run`` only: the schedules of app.py at their rates, in this process.

``chalice local`` serves HTTP and nothing else, so without this the reminder sweep, the outbox
sweep and the daily retention sweep would never run on a developer's machine. It runs each
scheduled handler as EventBridge would (once at start, then an event every period), with the local
stage's environment from .chalice/config.json, and logs a failure without stopping.
"""
from __future__ import annotations

import json
import os
import time
import uuid
from datetime import datetime, timezone
from typing import Any

from chalicelib.core import log
from chalicelib.core.settings import PROJECT_ROOT, settings

_UNIT_SECONDS = {"MINUTES": 60, "HOURS": 3600, "DAYS": 86400}


def stage_environment(stage: str) -> dict[str, str]:
    """The variables Chalice would set for ``stage``: the top level's, then the stage's own."""
    config = json.loads((PROJECT_ROOT / ".chalice" / "config.json").read_text())
    return {**config.get("environment_variables", {}),
            **config.get("stages", {}).get(stage, {}).get("environment_variables", {})}


def scheduled_event() -> dict[str, Any]:
    return {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event", "source": "aws.events",
            "account": "000000000000", "time": datetime.now(timezone.utc).isoformat(),
            "region": settings().aws_region, "resources": [], "detail": {}}


def rates(app: Any) -> dict[str, int]:
    """Each scheduled handler of ``app`` and its period in seconds."""
    from chalice.app import Rate, ScheduledEventConfig

    return {source.name: source.schedule_expression.value * _UNIT_SECONDS[source.schedule_expression.unit]
            for source in app.event_sources
            if isinstance(source, ScheduledEventConfig) and isinstance(source.schedule_expression, Rate)}


def _period(seconds: int) -> str:
    for unit, size in (("day", 86400), ("h", 3600)):
        if seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if unit == 'day' and count > 1 else ''}"
    return f"{seconds // 60} min"


def main() -> None:
    os.environ.update(stage_environment("local"))
    settings.cache_clear()
    from app import app

    every = rates(app)
    print("local schedules: " + ", ".join(f"{name} every {_period(seconds)}" for name, seconds in every.items()),
          flush=True)
    due = {name: time.monotonic() for name in every}
    while True:
        name = min(due, key=due.get)
        time.sleep(max(0.0, due[name] - time.monotonic()))
        try:
            app.handler_map[name](scheduled_event(), None)
        except Exception as e:  # noqa: BLE001 - a failed run is logged; the next one comes at its time
            log.emit("schedule.failed", handler=name, error=f"{type(e).__name__}: {e}")
        due[name] += every[name]


if __name__ == "__main__":
    main()
