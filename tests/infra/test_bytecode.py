"""Bytecode added to a deployment zip (infra/booking_infra/bytecode.py): Lambda imports it from a
read-only /var/task without compiling, the rest of the zip is untouched, and the same zip always
gives the same bytes (CDK's asset hash, and with it whether every function is re-deployed)."""
from __future__ import annotations

import importlib.util
import marshal
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from booking_infra.bytecode import WrongInterpreter, add_bytecode

INFRA = Path(__file__).resolve().parents[2] / "infra"  # for the interpreters started here

# A package as Chalice zips one: entries with their own times and modes, a package with a module
# holding a set constant (marshalled in hash order unless sorted), data, and a Python 2 file.
SOURCES = {
    "app.py": "import shop.prices\n",
    "shop/__init__.py": "",
    "shop/prices.py": ('def origin():\n    return "compiled"\n\n\n'
                       'def listed(code):\n    return code in {"a", "b", "c", "d"}\n'),
    "shop/rates.json": '{"a": 1}\n',
    "legacy/py2.py": 'print "hello"\n',
}
PYC = "shop/__pycache__/prices.cpython-311.pyc"


def make_zip(path: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in SOURCES.items():
            entry = zipfile.ZipInfo(name, (2024, 5, 17, 9, 30, 0))
            entry.external_attr = 0o100755 << 16
            package.writestr(entry, text, zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return path


def set_read_only(tree: Path, read_only: bool) -> None:
    """As Lambda's /var/task is (chmod -R a-w), or back, so that pytest can remove it."""
    for path in (tree, *tree.rglob("*")):
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222 if read_only else mode | 0o200)


def test_each_module_gets_an_unchecked_hash_pyc_naming_its_path_in_var_task(tmp_path):
    package = make_zip(tmp_path / "deployment.zip")

    report = add_bytecode(package)

    with zipfile.ZipFile(package) as done:
        names = done.namelist()
        pyc = done.read(PYC)
    assert report.compiled == 3
    assert {"__pycache__/app.cpython-311.pyc", "shop/__pycache__/__init__.cpython-311.pyc", PYC} <= set(names)
    assert pyc[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(pyc[4:8], "little") == 0b01  # hash-based, source not checked (PEP 552)
    assert marshal.loads(pyc[16:]).co_filename == "/var/task/shop/prices.py"
    assert report.bytecode_bytes > 0 and report.zip_bytes_added > 0


def test_a_read_only_task_root_imports_the_shipped_bytecode_without_reading_the_source(tmp_path):
    package = make_zip(tmp_path / "deployment.zip")
    add_bytecode(package)
    task = tmp_path / "task"
    with zipfile.ZipFile(package) as done:
        done.extractall(task)
    # The source changes after compiling: only the shipped .pyc can answer "compiled".
    (task / "shop" / "prices.py").write_text('def origin():\n    return "source"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    files = sorted(task.rglob("*"))
    set_read_only(task, True)
    try:
        done = subprocess.run(
            [sys.executable, "-S", "-c", "import app, shop.prices, sys\n"
             "print(shop.prices.origin(), sys.flags.dont_write_bytecode, shop.prices.__cached__)"],
            cwd=task, env={**env, "PYTHONDONTWRITEBYTECODE": "1"}, capture_output=True, text=True, check=True)
    finally:
        set_read_only(task, False)

    origin, dont_write, cached = done.stdout.split()
    assert (origin, dont_write) == ("compiled", "1")
    assert cached == str(task / PYC)
    assert done.stderr == ""
    assert sorted(task.rglob("*")) == files  # nothing written, even where permissions do not stop it (root)


def test_a_module_that_does_not_compile_is_reported_and_left_as_source(tmp_path):
    package = make_zip(tmp_path / "deployment.zip")

    report = add_bytecode(package)

    with zipfile.ZipFile(package) as done:
        assert done.read("legacy/py2.py").decode() == SOURCES["legacy/py2.py"]
        assert not [name for name in done.namelist() if name.startswith("legacy/__pycache__/")]
    assert report.failed == ("legacy/py2.py",)


def test_the_other_entries_keep_their_bytes_times_modes_and_order(tmp_path):
    package = make_zip(tmp_path / "deployment.zip")
    with zipfile.ZipFile(package) as before:
        expected = [(e.filename, e.date_time, e.external_attr, e.compress_type, e.CRC, before.read(e))
                    for e in before.infolist()]

    add_bytecode(package)

    with zipfile.ZipFile(package) as after:
        kept = [(e.filename, e.date_time, e.external_attr, e.compress_type, e.CRC, after.read(e))
                for e in after.infolist()[:len(expected)]]
        added = after.infolist()[len(expected):]
    assert kept == expected
    assert all(e.filename.endswith(".pyc") and e.date_time == (1980, 1, 1, 0, 0, 0) for e in added)


def test_bytecode_the_zip_held_already_is_replaced_not_duplicated(tmp_path):
    stale = b"a timestamp pyc of a developer's working tree"
    package = make_zip(tmp_path / "deployment.zip", {PYC: stale, "shop/__pycache__/gone.cpython-39.pyc": stale})

    report = add_bytecode(package)

    with zipfile.ZipFile(package) as done:
        names = done.namelist()
        assert names.count(PYC) == 1 and done.read(PYC) != stale
    assert "shop/__pycache__/gone.cpython-39.pyc" not in names
    assert report.dropped == (PYC, "shop/__pycache__/gone.cpython-39.pyc")


def test_the_same_zip_gives_the_same_bytes_whatever_the_hash_seed(tmp_path):
    """Separate interpreters, as two synths are; string hashing differs between them."""
    made = []
    for seed in ("1", "2"):
        package = make_zip(tmp_path / f"deployment-{seed}.zip")
        subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                        "from booking_infra.bytecode import add_bytecode; add_bytecode(Path(sys.argv[1]))",
                        str(package)],
                       env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(INFRA)}, check=True)
        made.append(package.read_bytes())

    assert made[0] == made[1]


def test_bytecode_for_another_python_is_refused_and_the_zip_left_alone(tmp_path):
    package = make_zip(tmp_path / "deployment.zip")
    original = tmp_path / "original.zip"
    shutil.copyfile(package, original)

    with pytest.raises(WrongInterpreter, match="python3.12 needs cpython-312 bytecode"):
        add_bytecode(package, runtime="python3.12")
    with pytest.raises(ValueError, match="not a Lambda Python runtime"):
        add_bytecode(package, runtime="nodejs20.x")

    assert package.read_bytes() == original.read_bytes()
