"""The Google API client the deployment package ships: vendor/'s copy of the pinned
google-api-python-client, whose only discovery document is calendar v3's (`make vendor-google`).

Chalice adds vendor/'s contents to the package as they are, and requirements.txt lists the client's
dependencies instead of the client, so the ~600 other documents (~110 MB) stay out of it. The tests
and the local stage import .venv's whole copy of the same release: these tests keep the two the same
and prove the shipped copy builds a calendar client offline.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from chalicelib.core.settings import PROJECT_ROOT

VENDOR = PROJECT_ROOT / "vendor"
DIST = "google-api-python-client"


def _pins(requirements: str) -> dict[str, str]:
    found = re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", (PROJECT_ROOT / requirements).read_text(), re.MULTILINE)
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in found}


def _shipped_files() -> dict[str, bytes]:
    """What the installed release holds that vendor/ must: its modules and calendar v3's document."""
    documents = Path("googleapiclient/discovery_cache/documents")
    files = {}
    for file in metadata.files(DIST):
        if file.parts[0] != "googleapiclient" or "__pycache__" in file.parts:
            continue
        if documents in file.parents and file.name != "calendar.v3.json":
            continue
        files[file.as_posix()] = Path(file.locate()).read_bytes()
    return files


def test_vendor_holds_the_pinned_release_with_calendar_v3_as_its_only_document():
    pinned = _pins("requirements-dev.txt")[DIST]
    assert metadata.version(DIST) == pinned
    dist_info = f"google_api_python_client-{pinned}.dist-info/METADATA"
    assert (VENDOR / dist_info).read_bytes() == Path(metadata.distribution(DIST).locate_file(dist_info)).read_bytes()

    expected = _shipped_files()
    vendored = {path.relative_to(VENDOR).as_posix(): path.read_bytes()
                for path in (VENDOR / "googleapiclient").rglob("*") if path.is_file()}
    assert sorted(vendored) == sorted(expected)  # no other document, no bytecode
    assert [path for path in expected if vendored[path] != expected[path]] == []
    document = json.loads(vendored["googleapiclient/discovery_cache/documents/calendar.v3.json"])
    assert (document["name"], document["version"]) == ("calendar", "v3")


def test_requirements_txt_pins_every_dependency_of_the_vendored_client():
    pins = _pins("requirements.txt")
    assert DIST not in pins  # else Chalice would install the whole wheel beside vendor/'s copy
    needed = [Requirement(line) for line in metadata.requires(DIST) or []]
    for requirement in needed:
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pins, requirement
        assert requirement.specifier.contains(pins[name]), (requirement, pins[name])


# As the Lambda runtime imports the package: vendor/'s contents at the top of sys.path, no bytecode
# written into vendor/ (Chalice would ship it), and no network.
_BUILD_OFFLINE = """
import json, socket, sys
sys.path.insert(0, sys.argv[1])

def refuse(*args, **kwargs):
    raise OSError("no network in this test")

socket.socket.connect = refuse
import googleapiclient
from googleapiclient.discovery import build
from googleapiclient.http import HttpMockSequence

answer = json.dumps({"items": [{"id": "evt1", "status": "confirmed"}], "nextSyncToken": "tok1"})
calendar = build("calendar", "v3", static_discovery=True, http=HttpMockSequence([({"status": "200"}, answer)]))
listing = calendar.events().list(calendarId="staff@example.com", singleEvents=True)
insert = calendar.events().insert(calendarId="primary", body={"id": "abc"})
print(json.dumps({"module": googleapiclient.__file__, "list": [listing.method, listing.uri],
                  "insert": [insert.method, insert.uri], "listed": listing.execute()}))
"""


def test_the_shipped_client_builds_calendar_v3_offline_and_lists_events():
    ran = subprocess.run([sys.executable, "-B", "-c", _BUILD_OFFLINE, str(VENDOR)], capture_output=True, text=True,
                         timeout=60, check=True)
    built = json.loads(ran.stdout)

    assert Path(built["module"]).is_relative_to(VENDOR)
    events = "https://www.googleapis.com/calendar/v3/calendars"
    assert built["list"] == ["GET", f"{events}/staff%40example.com/events?singleEvents=true&alt=json"]
    assert built["insert"] == ["POST", f"{events}/primary/events?alt=json"]
    assert built["listed"] == {"items": [{"id": "evt1", "status": "confirmed"}], "nextSyncToken": "tok1"}
