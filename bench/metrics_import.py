"""Business metrics in EMF: what Powertools' ``Metrics`` would cost a cold start, against our own
module (``chalicelib/core/metrics.py``), and whether it fits the cold-import budget.

Each figure comes from a fresh interpreter (``bench/cold_import.py``'s ``run_once``: the statement
alone is timed, interpreter start-up left out), median of its ``RUNS``, with warm ``__pycache__``
(a package that ships bytecode, as the deployed one does) and with none:

- ``import app``, which already holds our metrics module (``log`` imports it);
- the Powertools import right after ``import app`` in the same interpreter, the app's import left
  out of the clock: what Powertools would add to every container (the standard library it shares
  with the app is loaded already, as it would be). Timing it apart, rather than as the difference
  of two whole imports, keeps other processes' load out of a difference of a few milliseconds;
- our module the same way, after ``chalicelib.core.settings`` (the one module of ours it imports);
- the Powertools import alone, for scale.

The budget is cold_import's: ``import app`` within ``TARGET_RATIO`` times the bare chalice + pg8000 +
jwt import, bytecode cached, loading none of the heavy SDKs. Powertools is used only if the app with
it still meets both.

Needs ``aws-lambda-powertools`` installed (requirements-dev.txt; the deployed package does not
carry it). Run from the project root: ``.venv/bin/python bench/metrics_import.py``.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import statistics
import sys

from cold_import import APP, BASELINE, HEAVY, RUNS, TARGET_RATIO, run_once
from fixtures import verdict

POWERTOOLS = "from aws_lambda_powertools import Metrics"


def after(setup: str, timed: str) -> str:
    """A ``run_once`` statement timing ``timed`` alone, once ``setup`` is imported: run_once's
    template measures from its ``started``, which the statement restarts between the two."""
    return f"{setup}\nstarted = time.perf_counter()\n{timed}"


STATEMENTS = {
    "baseline": BASELINE,
    "import app (ours inside)": APP,
    "Powertools Metrics, after the app": after(APP, POWERTOOLS),
    "Powertools Metrics alone": POWERTOOLS,
    "our module, after settings": after("import chalicelib.core.settings", "import chalicelib.core.metrics"),
}


def measure(*, cached: bool) -> dict[str, float]:
    """Median milliseconds of each statement, round-robin, so load from other processes hits each alike."""
    times: dict[str, list[float]] = {label: [] for label in STATEMENTS}
    for _ in range(RUNS):
        for label, statement in STATEMENTS.items():
            times[label].append(run_once(statement, cached=cached)[0])
    return {label: statistics.median(found) for label, found in times.items()}


def main() -> None:
    if importlib.util.find_spec("aws_lambda_powertools") is None:
        raise SystemExit("aws-lambda-powertools is not installed: .venv/bin/pip install -r requirements-dev.txt")
    version = importlib.metadata.version("aws-lambda-powertools")
    print(f"python {sys.version.split()[0]}, aws-lambda-powertools {version}; median of {RUNS} fresh interpreters; "
          "the statement alone is timed\n")
    for statement in STATEMENTS.values():
        run_once(statement, cached=True)  # warm every __pycache__ the cached runs read

    results = {label: measure(cached=cached) for label, cached in (("cached .pyc", True), ("no .pyc", False))}
    print(f"{'':<36}" + "".join(f"{label:>14}" for label in results))
    for label in STATEMENTS:
        print(f"{label:<36}" + "".join(f"{ms[label]:>11.1f} ms" for ms in results.values()))
    heavy = run_once(POWERTOOLS, cached=True)[1]
    print(f"\nheavy SDKs loaded by the Powertools import: {', '.join(heavy) or 'none'}; by `import app`: "
          f"{', '.join(run_once(APP, cached=True)[1]) or 'none'} (checked: {', '.join(HEAVY)})")
    print(f"baseline = `{BASELINE}`\n")

    cached = results["cached .pyc"]
    app, powertools = cached["import app (ours inside)"], cached["Powertools Metrics, after the app"]
    budget = TARGET_RATIO * cached["baseline"]
    print(f"budget (cached): import app <= {TARGET_RATIO} x baseline = {budget:.1f} ms; "
          f"room left: {budget - app:.1f} ms; Powertools takes {powertools:.1f} ms")
    verdict("cached import app (our EMF module inside) / baseline", app / cached["baseline"], TARGET_RATIO)
    fits = verdict("cached import app + Powertools Metrics / baseline", (app + powertools) / cached["baseline"],
                   TARGET_RATIO)
    # cold_import also holds the app to loading none of the heavy SDKs (botocore is in Lambda's runtime too).
    fits = verdict("heavy SDKs the Powertools import loads", len(heavy), 0, "") and fits
    print("\ndecision: " + ("Powertools' Metrics fits the budget" if fits else
                            "our module: Powertools' Metrics does not fit the cold-import budget"))


if __name__ == "__main__":
    main()
