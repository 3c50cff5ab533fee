"""The monthly usage period: Python's ``usage.period_start``/``period_end`` and the SQL function
``billing_period_start`` (migration 0018) give the same period for every anchor and instant, month
ends and leap years included."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from chalicelib.billing import usage
from tests.checks import rows

UTC = timezone.utc


def _anchors() -> list[datetime]:
    days = (1, 15, 28, 29, 30, 31)
    found = []
    for year, month in ((2023, 1), (2023, 8), (2024, 1), (2024, 2), (2024, 3), (2024, 12), (2027, 10)):
        for day in days:
            try:
                found.append(datetime(year, month, day, 13, 45, 7, 250000, tzinfo=UTC))
            except ValueError:  # no such day in that month
                continue
    # An anchor stored with another offset is the same instant.
    found.append(datetime(2024, 1, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5))))
    return found


def _instants(anchor: datetime) -> list[datetime]:
    """Every ~day from a month before the anchor to 26 months after, and each month boundary of the
    anchor's day exactly and a microsecond either side."""
    found = [anchor + timedelta(days=d, hours=d % 24, minutes=d % 7) for d in range(-40, 800, 3)]
    for months in range(0, 26):
        boundary = usage.period_end(anchor, anchor + timedelta(days=31 * months - 1))
        found += [boundary, boundary - timedelta(microseconds=1), boundary + timedelta(microseconds=1)]
    return found


def _sql_starts(pairs: list[tuple[datetime, datetime]]) -> list[datetime]:
    found = rows("", """SELECT billing_period_start(CAST(x.anchor AS timestamptz), CAST(x.at AS timestamptz)) AS start
                          FROM unnest(CAST(:anchors AS text[]), CAST(:ats AS text[])) WITH ORDINALITY AS x(anchor, at, n)
                         ORDER BY x.n""",
                 anchors=[a.isoformat() for a, _ in pairs], ats=[t.isoformat() for _, t in pairs])
    return [r["start"] for r in found]


def test_python_and_sql_give_the_same_period_start_for_every_anchor_and_instant():
    pairs = [(anchor, at) for anchor in _anchors() for at in _instants(anchor)]
    assert len(pairs) > 10_000

    sql = _sql_starts(pairs)

    mismatches = [(a, t, s, usage.period_start(a, t)) for (a, t), s in zip(pairs, sql) if usage.period_start(a, t) != s]
    assert mismatches == []


def test_the_period_holds_the_instant_and_ends_where_the_next_starts():
    for anchor in _anchors():
        for at in _instants(anchor)[::7]:
            start, end = usage.period_start(anchor, at), usage.period_end(anchor, at)
            assert start <= at < end
            assert usage.period_start(anchor, end) == end
            assert 28 <= (end - start).days <= 31


def test_an_anchor_on_the_31st_is_clamped_to_each_months_end_and_comes_back():
    anchor = datetime(2024, 1, 31, 9, 0, tzinfo=UTC)

    starts = [usage.period_start(anchor, datetime(2024, m, 28, 12, tzinfo=UTC) + timedelta(days=3))
              for m in range(1, 6)]

    # Feb 28 + 3 days is Mar 2 (a leap year): in the period from Feb 29.
    assert [s.date().isoformat() for s in starts] == ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30",
                                                      "2024-05-31"]
    assert usage.period_end(anchor, datetime(2025, 2, 1, tzinfo=UTC)) == datetime(2025, 2, 28, 9, 0, tzinfo=UTC)
    assert usage.period_start(anchor, datetime(2025, 3, 30, tzinfo=UTC)) == datetime(2025, 2, 28, 9, 0, tzinfo=UTC)


def test_the_period_is_answered_in_utc_whatever_the_offset_given():
    anchor = datetime(2024, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=2)))  # Feb 29 22:30 UTC

    start = usage.period_start(anchor, datetime(2024, 4, 5, tzinfo=UTC))

    assert start == datetime(2024, 3, 29, 22, 30, tzinfo=UTC) and start.tzinfo == UTC
