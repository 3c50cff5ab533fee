"""The web app's JavaScript, gzipped: what the public booking page loads, and the whole app.

The booking page loads the entry chunk, the booking route's chunk and every chunk either imports
statically (followed through Vite's build manifest); lazy imports load later and are not counted.
The whole app is every JavaScript file of the build. Sizes are gzip level 9 of each file, as
CloudFront serves them compressed.

Run from the project root after `make web-build` (or `make bench`, which builds):
``.venv/bin/python bench/web_bundle.py``.
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "web" / "dist"
BOOKING_ROUTE = "src/app/routes/public/book.tsx"
GOAL_KB = 150


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def static_closure(manifest: dict[str, dict], roots: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        todo.extend(manifest[key].get("imports", []))
    return {manifest[key]["file"] for key in seen}


def main() -> None:
    manifest_path = DIST / ".vite" / "manifest.json"
    if not manifest_path.exists():
        sys.exit("web/dist has no build manifest: run `make web-build` first")
    manifest = json.loads(manifest_path.read_text())
    entry = next(key for key, chunk in manifest.items() if chunk.get("isEntry"))
    booking = static_closure(manifest, [entry, BOOKING_ROUTE])
    booking_kb = sum(gzipped(DIST / name) for name in booking) / 1024
    every = sorted((DIST / "assets").glob("*.js"))
    total_kb = sum(gzipped(path) for path in every) / 1024
    print(f"booking page JavaScript: {booking_kb:.1f} KB gzipped in {len(booking)} files "
          f"(goal <= {GOAL_KB} KB: {'met' if booking_kb <= GOAL_KB else 'MISSED'})")
    print(f"whole app JavaScript:    {total_kb:.1f} KB gzipped in {len(every)} files")


if __name__ == "__main__":
    main()
