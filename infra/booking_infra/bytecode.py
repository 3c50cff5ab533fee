"""Bytecode in the deployment package, so a cold start does not compile the app and its libraries.

Chalice's packager zips sources. Lambda unpacks the zip into a read-only /var/task, so on every cold
start Python compiles each module it imports and cannot keep the result. ``add_bytecode`` puts next
to each ``.py`` entry the ``__pycache__/<name>.cpython-311.pyc`` the runtime would have written.

The .pyc files are unchecked-hash ones (PEP 552): Python uses them without comparing them to the
source. A timestamp .pyc (the default) would be checked against the source's mtime, and what mtime
Lambda gives the unpacked files is not ours to know; if they differed, Python would compile again.
The price is that a .pyc must never outlive its source: the zip is rebuilt, and this run again, on
every synth.
"""
from __future__ import annotations

import copy
import os
import py_compile
import re
import sys
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

# Where Lambda unpacks the package: the file name compiled into each code object. Python puts the
# source's real path there when it loads a .pyc, so this is for the bytes: the scratch directory's
# random name would otherwise make every synth's bytecode differ.
TASK_ROOT = PurePosixPath("/var/task")
# The zip format's epoch, which Chalice also stamps on its entries: no build time in the bytes, so
# the same input gives the same zip and CDK's asset hash (a new hash re-deploys every function).
_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)
_ENTRY_MODE = 0o100644  # a regular file, readable by Lambda's user
_UNIX = 3  # ZipInfo.create_system: the mode above is a Unix one, wherever the synth runs


class WrongInterpreter(RuntimeError):
    """The running Python writes bytecode another runtime would reject (its magic number differs)."""


@dataclass(frozen=True)
class CompileReport:
    compiled: int
    # Left as sources: they do not compile (Python 2 only, templates); Lambda never imports them,
    # or would fail on them with or without bytecode.
    failed: tuple[str, ...]
    # Cache files the zip held already (Chalice copies chalicelib/__pycache__ from the working
    # tree): timestamp .pycs of the developer's files, which Lambda cannot validate. Replaced.
    dropped: tuple[str, ...]
    bytecode_bytes: int  # unzipped, what the .pycs add to the function's 250 MB
    zip_bytes_added: int  # what the upload grows by, the dropped entries deducted


def cache_tag(runtime: str) -> str:
    """The bytecode tag of a Lambda Python runtime: ``python3.11`` -> ``cpython-311``."""
    found = re.fullmatch(r"python(\d+)\.(\d+)", runtime)
    if found is None:
        raise ValueError(f"not a Lambda Python runtime: {runtime!r}")
    return f"cpython-{found[1]}{found[2]}"


def pyc_entry(source: str, tag: str) -> str:
    """Where the import system looks for a source entry's bytecode: ``pkg/__pycache__/mod.<tag>.pyc``."""
    path = PurePosixPath(source)
    return str(path.parent / "__pycache__" / f"{path.stem}.{tag}.pyc")


def add_bytecode(zip_path: Path, runtime: str = "python3.11") -> CompileReport:
    """Rewrite the deployment zip at ``zip_path`` with a .pyc for each .py entry that compiles, for
    ``runtime``. Other entries keep their bytes, names, times and modes, in their order; the .pycs
    follow, sorted. Raises WrongInterpreter unless this interpreter is the runtime's CPython."""
    tag = cache_tag(runtime)
    if sys.implementation.cache_tag != tag:
        raise WrongInterpreter(f"{runtime} needs {tag} bytecode; {sys.executable} writes "
                               f"{sys.implementation.cache_tag}: run the synth with the runtime's Python")
    size_before = zip_path.stat().st_size
    with tempfile.TemporaryDirectory(prefix="bytecode-") as scratch, zipfile.ZipFile(zip_path) as package:
        dropped = [entry.filename for entry in package.infolist() if _is_cache(entry.filename)]
        kept = [entry for entry in package.infolist() if not _is_cache(entry.filename)]
        bytecode: dict[str, bytes] = {}
        failed = []
        for entry in kept:
            if not entry.filename.endswith(".py"):
                continue
            compiled = _compile(package, entry, Path(scratch))
            if compiled is None:
                failed.append(entry.filename)
            else:
                bytecode[pyc_entry(entry.filename, tag)] = compiled
        # Written beside the original and moved over it, so a failure leaves Chalice's zip as it was.
        rewritten = zip_path.with_name(f".{zip_path.name}.bytecode")
        try:
            with zipfile.ZipFile(rewritten, "w") as out:
                out.comment = package.comment
                for entry in kept:  # a copy: writing sets offsets and sizes on the entry given
                    out.writestr(copy.copy(entry), package.read(entry))
                for name in sorted(bytecode):
                    out.writestr(_new_entry(name), bytecode[name])
            os.replace(rewritten, zip_path)
        finally:
            rewritten.unlink(missing_ok=True)
    return CompileReport(compiled=len(bytecode), failed=tuple(failed), dropped=tuple(dropped),
                         bytecode_bytes=sum(map(len, bytecode.values())),
                         zip_bytes_added=zip_path.stat().st_size - size_before)


def _is_cache(name: str) -> bool:
    # Only __pycache__: a .pyc beside its module would be a sourceless module, which is code.
    return name.endswith(".pyc") and "__pycache__" in PurePosixPath(name).parts


def _compile(package: zipfile.ZipFile, entry: zipfile.ZipInfo, scratch: Path) -> bytes | None:
    """The .pyc of one source entry, or None if it does not compile."""
    source = Path(package.extract(entry, scratch / "src"))
    target = scratch / "out.pyc"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # libraries' invalid escapes and the like: not ours to fix
            py_compile.compile(str(source), cfile=str(target), dfile=str(TASK_ROOT / entry.filename),
                               doraise=True, optimize=0,  # Lambda runs without -O, whatever the synth does
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    except py_compile.PyCompileError:
        return None
    return target.read_bytes()


def _new_entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, _ENTRY_TIME)
    entry.external_attr = _ENTRY_MODE << 16
    entry.create_system = _UNIX
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry
