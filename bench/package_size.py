"""The deployment package `chalice package --stage prod` (and `chalice deploy`) builds: its size
unzipped and zipped against the goals, and its largest top-level packages.

Built offline with Chalice's own packager (``LambdaDeploymentPackager``: requirements.txt's
packages, app.py, chalicelib/, vendor/ and Chalice's runtime, deflated as Chalice zips them). Only
its pip step is replaced, since that step downloads: each distribution requirements.txt needs
(followed through its dependencies) is copied from .venv, the files its RECORD lists, without the
bytecode pip compiled at install (Chalice unpacks wheels without compiling). .venv is Linux x86_64,
CPython 3.11, the Lambda runtime's platform, so these are the files Lambda's wheels hold. The zip
goes to a temporary directory, not to .chalice/deployments/.

The stacks deploy that zip with bytecode added (``infra/booking_infra/bytecode.py``, so a cold start
does not compile what it imports): the package as deployed is measured too, against the same goals,
and so is what in it Lambda never reads (reported, not removed).

Run from the project root: ``.venv/bin/python bench/package_size.py``.
"""
from __future__ import annotations

import re
import shutil
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable
from importlib import metadata
from pathlib import Path, PurePosixPath

from chalice.deploy.packager import LambdaDeploymentPackager
from chalice.utils import UI, OSUtils
from fixtures import verdict
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "infra"))

from booking_infra.bytecode import add_bytecode  # noqa: E402 - after the path is set

PYTHON = "python3.11"
GOAL_UNZIPPED_MIB = 60
GOAL_ZIPPED_MIB = 25
MIB = 1024 * 1024


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path: Path) -> list[Requirement]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


def closure(roots: list[Requirement]) -> dict[str, metadata.Distribution]:
    """The installed distributions ``roots`` need, by normalised name, their dependencies included
    (markers evaluated for this interpreter, no extras)."""
    found: dict[str, metadata.Distribution] = {}
    todo = list(roots)
    while todo:
        wanted = todo.pop()
        if _normal(wanted.name) in found or (wanted.marker and not wanted.marker.evaluate({"extra": ""})):
            continue
        dist = metadata.distribution(wanted.name)
        found[_normal(wanted.name)] = dist
        todo.extend(Requirement(line) for line in dist.requires or [])
    return found


class InstalledDependencies:
    """Stands in for Chalice's pip-driven DependencyBuilder: the same site-packages directory, from
    .venv instead of downloaded wheels."""

    def build_site_packages(self, abi: str, requirements_filepath: str, target_directory: str) -> None:
        target = Path(target_directory)
        for dist in closure(requirements(Path(requirements_filepath))).values():
            for file in dist.files or []:
                if file.parts[0] == ".." or "__pycache__" in file.parts:
                    continue  # console scripts outside site-packages; install-time bytecode
                source = Path(file.locate())
                if source.is_file():
                    (target / file).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, target / file)


class TemporaryPackager(LambdaDeploymentPackager):
    def __init__(self, zip_path: Path) -> None:
        super().__init__(OSUtils(), InstalledDependencies(), UI())
        self._zip_path = zip_path

    def deployment_package_filename(self, project_dir: str, python_version: str) -> str:
        return str(self._zip_path)


def top_level(name: str) -> str:
    """What a zip entry belongs to: its top-level package, a dist-info's project, or the module."""
    first = name.split("/", 1)[0]
    if first.endswith((".dist-info", ".data")):
        return first.split("-", 1)[0] + " (metadata)"
    return first.split(".", 1)[0] if "/" not in name else first


# What Lambda never reads, though the package holds it: it imports modules and reads the data files
# beside them, but not a dependency's own test suite, nor what type checkers and compilers read.
NEVER_READ: tuple[tuple[str, Callable[[PurePosixPath], bool]], ...] = (
    ("test suites (tests/ and test/ directories)", lambda path: bool({"tests", "test"} & set(path.parts[:-1]))),
    ("type stubs and markers (.pyi, py.typed)", lambda path: path.suffix == ".pyi" or path.name == "py.typed"),
    ("C headers and protobuf sources (.h, .proto)", lambda path: path.suffix in (".h", ".proto")),
)


def never_read(entries: list[zipfile.ZipInfo]) -> list[tuple[str, list[zipfile.ZipInfo]]]:
    """The entries of each NEVER_READ kind (a .pyc counts with its source's kind)."""
    return [(kind, [entry for entry in entries if test(PurePosixPath(entry.filename))]) for kind, test in NEVER_READ]


def sizes(entries: list[zipfile.ZipInfo]) -> tuple[Counter[str], Counter[str]]:
    """Unzipped and zipped bytes by top-level package."""
    unzipped: Counter[str] = Counter()
    zipped: Counter[str] = Counter()
    for entry in entries:
        unzipped[top_level(entry.filename)] += entry.file_size
        zipped[top_level(entry.filename)] += entry.compress_size
    return unzipped, zipped


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-package-") as scratch:
        zip_path = Path(scratch) / "deployment.zip"
        TemporaryPackager(zip_path).create_deployment_package(str(ROOT), PYTHON)
        zipped = zip_path.stat().st_size
        with zipfile.ZipFile(zip_path) as package:
            entries = package.infolist()
        compiled = add_bytecode(zip_path, PYTHON)
        deployed_zipped = zip_path.stat().st_size
        with zipfile.ZipFile(zip_path) as package:
            deployed = package.infolist()
    unzipped = sum(entry.file_size for entry in entries)
    deployed_unzipped = sum(entry.file_size for entry in deployed)
    by_package, packed = sizes(entries)
    deployed_by_package, deployed_packed = sizes(deployed)

    print(f"python {sys.version.split()[0]}; Chalice's packager for {PYTHON}, requirements.txt's packages from .venv; "
          f"{len(entries):,} files ({len(deployed):,} deployed, with bytecode)\n")
    verdict("deployment package, unzipped", round(unzipped / MIB, 2), GOAL_UNZIPPED_MIB, "MiB")
    verdict("deployment package, zipped (what chalice deploy uploads)", round(zipped / MIB, 2), GOAL_ZIPPED_MIB, "MiB")
    verdict("deployed package with bytecode (the stacks'), unzipped", round(deployed_unzipped / MIB, 2),
            GOAL_UNZIPPED_MIB, "MiB")
    verdict("deployed package with bytecode (the stacks'), zipped", round(deployed_zipped / MIB, 2), GOAL_ZIPPED_MIB,
            "MiB")
    print(f"\nbytecode: {compiled.compiled:,} modules compiled for {PYTHON}, {compiled.bytecode_bytes / MIB:.2f} MiB "
          f"(zip +{compiled.zip_bytes_added / MIB:.2f} MiB); {len(compiled.failed)} left as source"
          f"{': ' + ', '.join(compiled.failed) if compiled.failed else ''}; {len(compiled.dropped)} .pyc files "
          "of the working tree's __pycache__ replaced")
    documents = sorted(entry.filename.rsplit("/", 1)[1] for entry in entries
                       if "googleapiclient/discovery_cache/documents/" in entry.filename)
    print(f"\ngoogleapiclient's discovery documents in the package: {len(documents)} "
          f"({', '.join(documents[:3])}{', ...' if len(documents) > 3 else ''})")
    print("\nin the deployed package, never read by Lambda (reported, not removed):")
    for kind, found in never_read(deployed):
        places = sorted({top_level(entry.filename) for entry in found})
        print(f"  {kind:<46} {len(found):5,} files {sum(e.file_size for e in found) / MIB:6.2f} MiB "
              f"{sum(e.compress_size for e in found) / MIB:5.2f} MiB zipped  ({', '.join(places[:4])}"
              f"{f' and {len(places) - 4} more' if len(places) > 4 else ''})")
    print("\nlargest top-level packages:   unzipped      zipped   deployed: unzipped      zipped")
    for name, size in by_package.most_common(10):
        print(f"  {name:<26} {size / MIB:8.2f} MiB {packed[name] / MIB:6.2f} MiB "
              f"{deployed_by_package[name] / MIB:14.2f} MiB {deployed_packed[name] / MIB:6.2f} MiB")


if __name__ == "__main__":
    main()
