"""Write the OpenAPI document to a file, for the web app's generated client.

    python -m chalicelib.system.openapi_file web/openapi.json

The web app's types are generated from that file (`npm run api:types`); a test fails when the file
no longer matches the routes, so the client cannot drift from the API unnoticed.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def current() -> dict[str, Any]:
    import app  # noqa: F401  (registers every route's contract)
    from chalicelib.core import openapi
    from chalicelib.core.endpoint import CONTRACTS

    return openapi.document(CONTRACTS)


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(render(current()))
