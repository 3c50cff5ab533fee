"""The web app's client is generated from a copy of the OpenAPI document: the copy must be current."""
from __future__ import annotations

from pathlib import Path

from chalicelib.system import openapi_file

WEB_COPY = Path(__file__).resolve().parents[2] / "web" / "openapi.json"


def test_the_web_apps_copy_of_the_document_matches_the_routes() -> None:
    assert WEB_COPY.read_text() == openapi_file.render(openapi_file.current()), (
        "web/openapi.json is stale: run `make api-types` and commit the result")
