"""How a start time reads in a message: in the location's zone and the business's language.

A few hand-written CLDR-style long formats instead of Babel, which would more than double the
Lambda package for eight patterns. A language we do not know reads English (en-GB style, 24 h).
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

# Weekdays from Monday (datetime.weekday()), months from January. Pattern fields: weekday, day,
# month, year, hour (0-23), hour12 (1-12), minute, ampm.
_EN = {
    "weekdays": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
    "months": "January February March April May June July August September October November "
              "December".split(),
    "pattern": "{weekday} {day} {month} {year}, {hour:02}:{minute:02}",
}
_LANGUAGES: dict[str, dict] = {
    "en": _EN,
    "en-US": {**_EN, "pattern": "{weekday}, {month} {day}, {year}, {hour12}:{minute:02} {ampm}"},
    "de": {
        "weekdays": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag".split(),
        "months": "Januar Februar März April Mai Juni Juli August September Oktober November "
                  "Dezember".split(),
        "pattern": "{weekday}, {day}. {month} {year}, {hour:02}:{minute:02}",
    },
    "fr": {
        "weekdays": "lundi mardi mercredi jeudi vendredi samedi dimanche".split(),
        "months": "janvier février mars avril mai juin juillet août septembre octobre novembre "
                  "décembre".split(),
        "pattern": "{weekday} {day} {month} {year}, {hour:02}:{minute:02}",
    },
    "es": {
        "weekdays": "lunes martes miércoles jueves viernes sábado domingo".split(),
        "months": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
                  "diciembre".split(),
        "pattern": "{weekday}, {day} de {month} de {year}, {hour:02}:{minute:02}",
    },
    "it": {
        "weekdays": "lunedì martedì mercoledì giovedì venerdì sabato domenica".split(),
        "months": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre "
                  "novembre dicembre".split(),
        "pattern": "{weekday} {day} {month} {year}, {hour:02}:{minute:02}",
    },
    "nl": {
        "weekdays": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag".split(),
        "months": "januari februari maart april mei juni juli augustus september oktober november "
                  "december".split(),
        "pattern": "{weekday} {day} {month} {year}, {hour:02}:{minute:02}",
    },
    "pt": {
        "weekdays": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado "
                    "domingo".split(),
        "months": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
                  "dezembro".split(),
        "pattern": "{weekday}, {day} de {month} de {year}, {hour:02}:{minute:02}",
    },
}


def format_start(moment: datetime, time_zone: str, locale: str) -> str:
    """``moment`` (aware, any zone) as the wall time in ``time_zone``, written for ``locale``
    (``xx`` or ``xx-YY``): the region's own entry if there is one, else the language's, else English."""
    if moment.utcoffset() is None:
        # astimezone() would read a naive time as the server's local time: a silently wrong hour.
        raise ValueError("moment must be timezone-aware")
    local = moment.astimezone(ZoneInfo(time_zone))
    language, _, region = locale.replace("_", "-").partition("-")
    table = (_LANGUAGES.get(f"{language.lower()}-{region.upper()}")
             or _LANGUAGES.get(language.lower()) or _EN)
    return table["pattern"].format(
        weekday=table["weekdays"][local.weekday()], day=local.day,
        month=table["months"][local.month - 1], year=local.year, hour=local.hour,
        hour12=local.hour % 12 or 12, minute=local.minute, ampm="AM" if local.hour < 12 else "PM")
