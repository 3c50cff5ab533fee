"""Cold start of the deployed package: ``import app`` from the unzipped deployment zip, as Lambda runs it.

The package is built offline as ``bench/package_size.py`` builds it and unzipped twice: as Chalice
ships it (sources, and whatever the working tree's ``chalicelib/__pycache__`` held) and as the
stacks deploy it, after ``add_bytecode`` (infra/booking_infra/bytecode.py). Both trees are made
read-only, as /var/task is. Each figure is the median of fresh interpreters timing the import
statement alone (interpreter start-up left out), as ``bench/cold_import.py`` does, in three conditions:

- sources: the package as Chalice ships it; nothing can be written, so every import compiles;
- shipped: the package with its bytecode, nothing written either;
- cached: the sources tree with bytecode kept in a writable ``PYTHONPYCACHEPREFIX``, filled by one
  throw-away run: the ideal, what a writable /var/task would reach on its second start.

Each condition also times the bare ``import chalice.app, pg8000.native, jwt`` from the same tree.
The interpreter runs with ``-S``: no site-packages, so every import resolves in the package or in
the standard library (with its bytecode, as in Lambda's runtime), and a module the package lacks
fails here as it would in Lambda. The environment is cold_import's (``STAGE=local``, a scratch
``LOCAL_DIR``): importing the app needs no settings, and Lambda's variables would change nothing.

Run from the project root: ``.venv/bin/python bench/cold_start.py``.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from fixtures import verdict
from package_size import PYTHON, ROOT, TemporaryPackager

sys.path.insert(0, str(ROOT / "infra"))

from booking_infra.bytecode import add_bytecode  # noqa: E402 - after the path is set

RUNS = 7
GOAL_RATIO = 1.2  # shipped bytecode against cached, the goal
APP = "import app"
BASELINE = "import chalice.app, pg8000.native, jwt"

_TIMED = """
import time
started = time.perf_counter()
{statement}
print((time.perf_counter() - started) * 1000)
"""

# The modules `import app` loads from the package: all of them, those from .py sources, and of
# those the ones whose .pyc the tree holds.
_CENSUS = """
import importlib.util, os, sys
import app
task = os.getcwd() + os.sep
ours = [m.__file__ for m in list(sys.modules.values()) if (getattr(m, "__file__", None) or "").startswith(task)]
sources = [f for f in ours if f.endswith(".py")]
print(len(ours), len(sources), sum(os.path.exists(importlib.util.cache_from_source(f)) for f in sources))
"""


class Condition:
    """A package tree and how bytecode may be read and written while importing from it."""

    def __init__(self, name: str, tree: Path, scratch: Path, *, pycache: Path | None = None) -> None:
        self.name, self.tree, self.pycache = name, tree, pycache
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        self.env.update({"STAGE": "local", "LOCAL_DIR": str(scratch / "local")})
        if pycache is not None:
            self.env["PYTHONPYCACHEPREFIX"] = str(pycache)

    def run(self, script: str, *, writes: bool = False) -> str:
        env = self.env if writes else {**self.env, "PYTHONDONTWRITEBYTECODE": "1"}
        done = subprocess.run([sys.executable, "-S", "-c", script], cwd=self.tree, env=env,
                              capture_output=True, text=True, check=True)
        return done.stdout

    def time(self, statement: str) -> float:
        """Milliseconds ``statement`` takes in a fresh interpreter."""
        return float(self.run(_TIMED.format(statement=statement)))

    def census(self) -> tuple[int, int, int]:
        loaded, sources, with_pyc = self.run(_CENSUS).split()
        return int(loaded), int(sources), int(with_pyc)


def unzip_read_only(zip_path: Path, tree: Path) -> None:
    """Unzip as Lambda does into /var/task, which is read-only (TemporaryDirectory can still remove it)."""
    with zipfile.ZipFile(zip_path) as package:
        package.extractall(tree)
    for path in (tree, *tree.rglob("*")):
        path.chmod(path.stat().st_mode & ~0o222)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-cold-start-") as name:
        scratch = Path(name)
        zip_path = scratch / "deployment.zip"
        TemporaryPackager(zip_path).create_deployment_package(str(ROOT), PYTHON)
        sources, shipped = scratch / "sources", scratch / "shipped"
        unzip_read_only(zip_path, sources)
        report = add_bytecode(zip_path, PYTHON)
        unzip_read_only(zip_path, shipped)
        before = [sorted(tree.rglob("*")) for tree in (sources, shipped)]
        measure(report.compiled, [Condition("sources", sources, scratch), Condition("shipped", shipped, scratch),
                                  Condition("cached", sources, scratch, pycache=scratch / "pycache")])
        # Permissions stop no one running as root: this is what shows that nothing was written.
        if [sorted(tree.rglob("*")) for tree in (sources, shipped)] != before:
            raise RuntimeError("bytecode was written into a package tree")


def measure(compiled: int, conditions: list[Condition]) -> None:
    print(f"python {sys.version.split()[0]} on {os.uname().sysname}, {os.cpu_count()} CPUs "
          f"(load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}); the package for {PYTHON}, "
          f"{compiled:,} modules compiled; median of {RUNS} fresh interpreters, import statement only\n")
    for condition in conditions:
        if condition.pycache is not None:
            condition.run(f"{APP}\n{BASELINE}", writes=True)  # the throw-away run that fills the cache
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(RUNS):  # round-robin, so load from other processes hits every condition alike
        for condition in conditions:
            for statement in (APP, BASELINE):
                times.setdefault((condition.name, statement), []).append(condition.time(statement))
    median = {key: statistics.median(values) for key, values in times.items()}

    print(f"{'condition':<10} {'import app':>12} {'baseline':>12}   runs of import app (ms)")
    for condition in conditions:
        runs = ", ".join(f"{t:.0f}" for t in times[condition.name, APP])
        print(f"{condition.name:<10} {median[condition.name, APP]:>9.1f} ms {median[condition.name, BASELINE]:>9.1f} ms"
              f"   {runs}")
    loaded, sources, with_pyc = next(c for c in conditions if c.name == "shipped").census()
    print(f"\nbaseline = `{BASELINE}`, from the same tree")
    print(f"`import app` loads {loaded} modules from the package: {sources} from .py files, {with_pyc} of them with "
          "their .pyc shipped")
    print(f"shipped bytecode makes `import app` {median['sources', APP] / median['shipped', APP]:.2f}x faster than "
          "the sources Chalice ships\n")
    verdict("import app: shipped bytecode / bytecode cached", round(median["shipped", APP] / median["cached", APP], 2),
            GOAL_RATIO)


if __name__ == "__main__":
    main()
