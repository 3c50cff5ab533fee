"""Cold-start cost of ``import app`` against the libraries it cannot do without.

Each figure comes from a fresh interpreter (as a new Lambda container would start one), timing the
import statement alone, so interpreter start-up is left out of both sides. Two conditions:

- cached: ``__pycache__`` warmed by one throw-away run, as in a deployed package that ships .pyc
  files or a container's second import;
- uncached: no .pyc anywhere (``PYTHONDONTWRITEBYTECODE=1`` and an empty ``PYTHONPYCACHEPREFIX``,
  which Python then reads bytecode from instead of ``__pycache__``), as in a zip of sources only.

It also checks that importing the app loads none of the heavy SDKs, and lists what ``-X importtime``
says the app's import spends its time on.

Run from the project root: ``.venv/bin/python bench/cold_import.py``.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
TARGET_RATIO = 1.5
APP = "import app"
BASELINE = "import chalice.app, pg8000.native, jwt"
HEAVY = ("stripe", "googleapiclient", "boto3", "botocore")

_TIMED = """
import sys, time
started = time.perf_counter()
{statement}
elapsed = time.perf_counter() - started
print(elapsed * 1000)
print(",".join(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def run_once(statement: str, *, cached: bool, extra: tuple[str, ...] = ()) -> tuple[float, list[str], str]:
    """(milliseconds spent importing, heavy modules loaded, stderr) in a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    with tempfile.TemporaryDirectory(prefix="bench-import-") as scratch:
        # Importing the app must need no settings; these only keep it away from real ones.
        env.update({"STAGE": "local", "LOCAL_DIR": f"{scratch}/local"})
        if not cached:
            env.update({"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": f"{scratch}/pyc"})
        done = subprocess.run([sys.executable, *extra, "-c", _TIMED.format(statement=statement, heavy=HEAVY)],
                              cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        if not cached and any(Path(scratch).rglob("*.pyc")):
            raise RuntimeError("bytecode was written during an uncached run")
    elapsed, loaded = done.stdout.split("\n")[:2]
    return float(elapsed), [m for m in loaded.split(",") if m], done.stderr


def measure(*, cached: bool) -> tuple[list[float], list[float]]:
    """App and baseline import times, interleaved so that load from other processes hits both alike."""
    app_ms, base_ms = [], []
    for _ in range(RUNS):
        app_ms.append(run_once(APP, cached=cached)[0])
        base_ms.append(run_once(BASELINE, cached=cached)[0])
    return app_ms, base_ms


def top_imports(stderr: str, depth: int = 2, count: int = 12) -> list[tuple[int, int, str]]:
    """The slowest imports at most ``depth`` levels deep (cumulative microseconds), from
    ``-X importtime`` lines such as ``import time:   self |  cumulative |     package.module``."""
    found = []
    for line in stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        level = (len(parts[2]) - len(parts[2].lstrip(" ")) - 1) // 2
        if level <= depth:
            found.append((int(parts[1]), level, parts[2].strip()))
    return sorted(found, reverse=True)[:count]


def main() -> None:
    print(f"python {sys.version.split()[0]} on {os.uname().sysname}, {os.cpu_count()} CPUs; median of {RUNS} "
          "fresh interpreters; import statement only (interpreter start-up excluded)\n")
    # Warm every __pycache__ the cached runs read (the app's own and the libraries').
    for statement in (APP, BASELINE):
        run_once(statement, cached=True)

    rows = []
    for label, cached in (("cached .pyc", True), ("no .pyc", False)):
        app_all, base_all = measure(cached=cached)
        rows.append((label, app_all, base_all))

    print(f"{'condition':<12} {'import app':>12} {'baseline':>12} {'ratio':>6}   "
          f"{'(min app':>9} {'min base':>9} {'ratio)':>6}")
    for label, app_all, base_all in rows:
        app_ms, base_ms = statistics.median(app_all), statistics.median(base_all)
        print(f"{label:<12} {app_ms:>9.1f} ms {base_ms:>9.1f} ms {app_ms / base_ms:>6.2f}   "
              f"{min(app_all):>6.1f} ms {min(base_all):>6.1f} ms {min(app_all) / min(base_all):>6.2f}")
    print(f"\nbaseline = `{BASELINE}`")
    for label, app_all, base_all in rows:
        print(f"  {label}: app runs {', '.join(f'{t:.0f}' for t in app_all)} ms; "
              f"baseline runs {', '.join(f'{t:.0f}' for t in base_all)} ms")

    cached_ratio = statistics.median(rows[0][1]) / statistics.median(rows[0][2])
    verdict = "yes" if cached_ratio <= TARGET_RATIO else "NO"
    print(f"\ncached ratio of medians {cached_ratio:.2f} <= {TARGET_RATIO}: {verdict}")

    _, loaded, stderr = run_once(APP, cached=True, extra=("-X", "importtime"))
    print(f"heavy SDKs loaded by `import app`: {', '.join(loaded) if loaded else 'none'} "
          f"(checked: {', '.join(HEAVY)})")
    print("\nslowest imports under `import app` (cached, -X importtime, cumulative, indented by depth):")
    for micros, level, name in top_imports(stderr):
        print(f"  {micros / 1000:7.1f} ms  {'  ' * level}{name}")


if __name__ == "__main__":
    main()
