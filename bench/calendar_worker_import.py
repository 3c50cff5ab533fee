"""Cold start of the worker when the Google Calendar reader takes its first event: what a new
container of ``notification_worker`` (or ``calendar_sync``) pays before its first call to Google.

Each figure comes from a fresh interpreter (``bench/cold_import.py``'s ``run_once``: the statement
alone is timed, interpreter start-up left out), median of 7, with warm ``__pycache__`` and with none:

- ``import app``: what every container pays (no Google library is loaded by it);
- worker, Google ready: ``import app``, then what the calendar reader imports when its first event
  comes (the writer, the busy sync, the Google client module), and the Calendar v3 client built
  from the static discovery document with its authorized transport (googleapiclient, google-auth,
  httplib2), exactly as ``google_calendar.Calendar`` builds it before its first request;
- the difference: what calendar sync adds to a cold worker.

Run from the project root: ``.venv/bin/python bench/calendar_worker_import.py``.
"""
from __future__ import annotations

import statistics
import sys

from cold_import import RUNS, run_once

APP = "import app"
# The OAuth client the Calendar client is built with (read from the settings, no network).
WORKER = """import os; os.environ.update(GOOGLE_CLIENT_ID="bench", GOOGLE_CLIENT_SECRET="bench")
import app
from chalicelib.calendar import busy_sync, writer
from chalicelib.integrations import google_calendar
calendar = google_calendar.Calendar(refresh_token="r", access_token="a", expires_at=None)
calendar._api()
"""
GOOGLE = ("googleapiclient", "google.auth", "google_auth_httplib2", "httplib2")


def main() -> None:
    print(f"python {sys.version.split()[0]}; median of {RUNS} fresh interpreters; the statement alone is timed\n")
    for statement in (APP, WORKER):
        run_once(statement, cached=True)  # warm every __pycache__ the cached runs read
    print(f"{'condition':<12} {'import app':>12} {'worker, Google ready':>22} {'Google adds':>12}")
    for label, cached in (("cached .pyc", True), ("no .pyc", False)):
        app_ms, worker_ms = [], []
        for _ in range(RUNS):
            app_ms.append(run_once(APP, cached=cached)[0])
            worker_ms.append(run_once(WORKER, cached=cached)[0])
        a, w = statistics.median(app_ms), statistics.median(worker_ms)
        print(f"{label:<12} {a:>9.1f} ms {w:>19.1f} ms {w - a:>9.1f} ms")
    loaded = run_once(APP, cached=True)[1]
    print(f"\nheavy SDKs loaded by `import app` alone: {', '.join(loaded) if loaded else 'none'}")


if __name__ == "__main__":
    main()
