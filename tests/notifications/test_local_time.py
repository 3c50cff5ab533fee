"""Start times in messages: the location's wall time, in the business's language. No database."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from chalicelib.notifications.local_time import format_start

UTC = timezone.utc
SUNDAY_MORNING = datetime(2027, 3, 28, 9, 30, tzinfo=ZoneInfo("Europe/London"))


@pytest.mark.parametrize(("locale", "written"), [
    ("en", "Sunday 28 March 2027, 09:30"),
    ("en-GB", "Sunday 28 March 2027, 09:30"),
    ("en-US", "Sunday, March 28, 2027, 9:30 AM"),
    ("de", "Sonntag, 28. März 2027, 09:30"),
    ("de-AT", "Sonntag, 28. März 2027, 09:30"),
    ("fr", "dimanche 28 mars 2027, 09:30"),
    ("fr-FR", "dimanche 28 mars 2027, 09:30"),
    ("es", "domingo, 28 de marzo de 2027, 09:30"),
    ("it", "domenica 28 marzo 2027, 09:30"),
    ("nl", "zondag 28 maart 2027, 09:30"),
    ("pt", "domingo, 28 de março de 2027, 09:30"),
    ("pt-BR", "domingo, 28 de março de 2027, 09:30"),
])
def test_each_language_writes_weekday_day_month_year_and_time(locale, written):
    assert format_start(SUNDAY_MORNING, "Europe/London", locale) == written


@pytest.mark.parametrize(("locale", "written"), [
    ("de", "Mittwoch, 1. Dezember 2027, 17:05"),
    ("fr", "mercredi 1 décembre 2027, 17:05"),
    ("it", "mercoledì 1 dicembre 2027, 17:05"),
    ("pt", "quarta-feira, 1 de dezembro de 2027, 17:05"),
])
def test_other_weekdays_and_months_come_from_the_same_tables(locale, written):
    moment = datetime(2027, 12, 1, 17, 5, tzinfo=ZoneInfo("Europe/Paris"))

    assert format_start(moment, "Europe/Paris", locale) == written


@pytest.mark.parametrize(("hour", "minute", "time"), [
    (0, 15, "12:15 AM"), (9, 30, "9:30 AM"), (11, 59, "11:59 AM"), (12, 0, "12:00 PM"),
    (13, 5, "1:05 PM"), (23, 45, "11:45 PM"),
])
def test_en_us_uses_a_twelve_hour_clock(hour, minute, time):
    moment = datetime(2027, 7, 4, hour, minute, tzinfo=ZoneInfo("America/New_York"))

    assert format_start(moment, "America/New_York", "en-US") == f"Sunday, July 4, 2027, {time}"


@pytest.mark.parametrize("locale", ["ja", "zh-CN", "xx", ""])
def test_an_unknown_language_reads_english(locale):
    assert format_start(SUNDAY_MORNING, "Europe/London", locale) == "Sunday 28 March 2027, 09:30"


def test_locale_case_and_underscore_are_tolerated():
    assert format_start(SUNDAY_MORNING, "Europe/London", "EN_us") == "Sunday, March 28, 2027, 9:30 AM"


@pytest.mark.parametrize(("moment", "written"), [
    (datetime(2027, 3, 28, 0, 30, tzinfo=UTC), "Sunday 28 March 2027, 00:30"),  # still GMT
    (datetime(2027, 3, 28, 1, 30, tzinfo=UTC), "Sunday 28 March 2027, 02:30"),  # BST from 01:00 UTC
    (datetime(2027, 3, 29, 8, 30, tzinfo=UTC), "Monday 29 March 2027, 09:30"),
    (datetime(2027, 10, 31, 0, 30, tzinfo=UTC), "Sunday 31 October 2027, 01:30"),  # last BST hour
    (datetime(2027, 10, 31, 1, 30, tzinfo=UTC), "Sunday 31 October 2027, 01:30"),  # GMT again
])
def test_a_utc_moment_is_written_in_london_time_on_both_sides_of_a_change(moment, written):
    assert format_start(moment, "Europe/London", "en") == written


def test_kolkata_is_five_and_a_half_hours_ahead_and_can_change_the_date():
    assert format_start(datetime(2027, 3, 28, 8, 30, tzinfo=UTC), "Asia/Kolkata", "en") == \
        "Sunday 28 March 2027, 14:00"
    assert format_start(datetime(2027, 3, 27, 20, 0, tzinfo=UTC), "Asia/Kolkata", "en") == \
        "Sunday 28 March 2027, 01:30"


def test_a_moment_in_another_zone_is_converted_first():
    in_new_york = datetime(2027, 3, 28, 4, 30, tzinfo=ZoneInfo("America/New_York"))

    assert format_start(in_new_york, "Europe/London", "de") == "Sonntag, 28. März 2027, 09:30"


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        format_start(datetime(2027, 3, 28, 9, 30), "Europe/London", "en")
