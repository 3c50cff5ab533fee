"""The development database starts once, however many requests ask for it at once: chalice local serves
a page's first requests on several threads, and each must find the same running server and database."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from chalicelib.core.settings import PROJECT_ROOT

_FIRST_REQUESTS_AT_ONCE = textwrap.dedent("""
    import threading
    from chalicelib.core import embedded_pg

    start, urls, errors = threading.Barrier(8), [], []

    def first_request():
        start.wait()
        try:
            urls.append(embedded_pg.app_url())
        except Exception as e:
            errors.append(repr(e))

    threads = [threading.Thread(target=first_request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(len(set(urls)), len(urls), errors)
""")


def test_eight_first_requests_at_once_find_one_server_and_database(tmp_path: Path):
    env = {**os.environ, "STAGE": "local", "LOCAL_DIR": str(tmp_path), "DB_NAME": "booking_first_requests"}
    env.pop("DATABASE_URL", None)

    done = subprocess.run([sys.executable, "-c", _FIRST_REQUESTS_AT_ONCE], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[-2] == "1 8 []"
