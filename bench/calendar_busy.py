"""A month of one staff member's slots when their Google Calendar holds 500 busy blocks, against the
floor of that work (issue 12: still <= 3x the floor).

The business and month of ``bench/availability.py`` (20 staff, 130 bookings each in the month), plus
500 busy times from Google for the first staff member in ``external_busy`` (source ``google``, as the
calendar sync writes them): 15-to-45-minute blocks spread over the month's days and hours (a third of
them in working hours), some overlapping bookings and each other, as a real calendar's do. The route, the raw read and
the engine are timed exactly as ``bench/availability.py`` times them (interleaved), for one staff
member; the figure is route / (read + engine). For comparison it also prints the same staff member
without the blocks (the same business before they were written).

Run from the project root: ``.venv/bin/python bench/calendar_busy.py [--runs N]`` (default 30).
"""
from __future__ import annotations

import sys
from typing import Any

import availability as availability_bench
import fixtures

DATABASE = "booking_bench_busy"
BLOCKS = 500

_BUSY = """-- busy blocks from Google: starts spread over the month's days and hours, 15-45 minutes long
INSERT INTO external_busy (business_id, staff_id, source, external_id, busy)
SELECT CAST(:bid AS uuid), CAST(:sid AS uuid), 'google', 'bench-' || n,
       tstzrange(s, s + make_interval(mins => 15 + 15 * (n % 3)))
  FROM generate_series(1, CAST(:blocks AS integer)) n,
       LATERAL (SELECT (CAST(:first AS date) + n % CAST(:days AS integer) + time '00:00'
                        + make_interval(mins => 15 * ((n * 7919) % 96))) AT TIME ZONE 'Europe/London' AS s) t"""


def add_busy(scenario: availability_bench.Scenario, staff_id: str) -> int:
    with fixtures.owner(scenario.business.business_id) as conn:
        conn.run(_BUSY, bid=scenario.business.business_id, sid=staff_id, blocks=BLOCKS,
                 first=scenario.start_date.isoformat(), days=availability_bench.DAYS)
        return conn.run("SELECT count(*) FROM external_busy WHERE staff_id = CAST(:sid AS uuid)", sid=staff_id)[0][0]


def one_staff(client: Any, scenario: availability_bench.Scenario, runs: int) -> dict[str, Any]:
    return availability_bench.measure(client, scenario, runs=runs)["one staff"]


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else availability_bench.RUNS
    fixtures.quiet_request_log()
    fixtures.use_database(DATABASE, fresh=True)
    from chalice.test import Client

    from app import app

    scenario = availability_bench.prepare()
    staff_id = scenario.business.staff_ids[0]
    fixtures.analyze()
    print("== calendar busy: a month of one staff member's slots with 500 Google busy blocks, in process ==")
    print(fixtures.environment())
    print(availability_bench.describe(scenario))
    with Client(app, stage_name="local") as client:
        without = one_staff(client, scenario, runs)
        written = add_busy(scenario, staff_id)
        fixtures.analyze()
        with_busy = one_staff(client, scenario, runs)
    print(f"\n{written} busy blocks for the staff member asked about; milliseconds, medians of {runs} runs")
    print(f"{'case':<22} {'slots':>5} {'trips':>5} {'route':>7} {'read':>7} {'engine':>7} {'floor':>7} {'ratio':>7}")
    for case, r in (("no busy blocks", without), (f"{written} busy blocks", with_busy)):
        print(f"{case:<22} {r['slots']:>5.0f} {r['round_trips']:>5.0f} {r['route']:>7.2f} {r['read']:>7.2f} "
              f"{r['engine']:>7.2f} {r['floor']:>7.2f} {r['ratio']:>6.2f}x")
    print()
    fixtures.verdict(f"availability one staff, {written} Google busy blocks: route / floor", with_busy["ratio"],
                     availability_bench.GOAL_RATIO)


if __name__ == "__main__":
    main()
