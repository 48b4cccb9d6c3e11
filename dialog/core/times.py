"""Times as the municipality reads them: stored in UTC, typed and shown in its time zone.

The time zone is the setting BABEL_DEFAULT_TIMEZONE (Europe/Stockholm): a dialogue at
00:30 Swedish time is on that Swedish day, whatever the date in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import (
    DateTimePattern,
    format_datetime,
    get_date_format,
    get_datetime_format,
    get_time_format,
    parse_pattern,
)
from flask import current_app
from flask_babel import get_locale

DAY_AND_TIME = "d MMMM y, HH:mm"
WEEKDAY_DAY_AND_TIME = "EEEE d MMMM y, HH:mm"


def local_zone() -> ZoneInfo:
    """The municipality's time zone."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def to_utc(value: datetime | None) -> datetime | None:
    """A time typed in the municipality's time zone, as an aware UTC datetime."""
    if value is None:
        return None
    return value.replace(tzinfo=local_zone()).astimezone(UTC)


def to_local(value: datetime | None) -> datetime | None:
    """A stored UTC time as the naive local time a form shows."""
    if value is None:
        return None
    return value.astimezone(local_zone()).replace(tzinfo=None)


def format_time(value: datetime, pattern: str = DAY_AND_TIME) -> str:
    """A stored time in the reader's language and the municipality's time zone."""
    return format_datetime(value, pattern, tzinfo=local_zone(), locale=get_locale())


# Babel's names for its patterns of each length.
NamedLength = Literal["short", "medium", "long", "full"]
NAMED_PATTERNS: tuple[NamedLength, ...] = ("short", "medium", "long", "full")


class TimeFormat:
    """format_time() for the many times of one list: ``when = TimeFormat("short")`` once,
    then ``when(value)`` for each time, written as flask_babel's ``datetimeformat`` writes it
    (a pattern, or one of babel's named lengths).

    The reader's locale, the zone and the parsed patterns are looked up once: babel's
    format_datetime looks each up again for every time, about 60 µs a time, so that a list's
    dates cost as much as the rest of its table.
    """

    __slots__ = ("_joined", "_locale", "_parts", "_zone")

    def __init__(self, pattern: str = DAY_AND_TIME) -> None:
        self._locale = get_locale()
        self._zone = local_zone()
        self._parts: tuple[DateTimePattern, ...]
        if pattern in NAMED_PATTERNS:
            # As format_datetime() writes a named length: its date and its time, put into
            # the locale's way of joining them.
            self._joined = str(get_datetime_format(pattern, self._locale)).replace("'", "")
            self._parts = (
                get_time_format(pattern, self._locale),
                get_date_format(pattern, self._locale),
            )
        else:
            self._joined = "{0}"
            self._parts = (parse_pattern(pattern),)

    def __call__(self, value: datetime) -> str:
        local = value.astimezone(self._zone)
        text = self._joined
        for number, part in enumerate(self._parts):
            text = text.replace(f"{{{number}}}", part.apply(local, self._locale))
        return text


def time_in_every_language(value: datetime, pattern: str = DAY_AND_TIME) -> Mapping[str, str]:
    """The time as format_time() writes it in each of the site's languages, by code.

    For a time kept between requests (``dialog.core.cache.reference_data``): a page then
    looks its reader's language up instead of formatting the time again on every request.
    """
    zone = local_zone()
    labels = {
        language: format_datetime(value, pattern, tzinfo=zone, locale=language)
        for language in current_app.config["LANGUAGES"]
    }
    return MappingProxyType(labels)


class PeriodFormat:
    """format_period() for the many periods of one list, with its TimeFormats made once."""

    __slots__ = ("_end_time", "_start", "_zone")

    def __init__(self, weekday: bool = False) -> None:
        self._start = TimeFormat(WEEKDAY_DAY_AND_TIME if weekday else DAY_AND_TIME)
        self._end_time = TimeFormat("HH:mm")
        self._zone = local_zone()

    def __call__(self, start: datetime | None, end: datetime | None) -> str:
        if start is None:
            return ""
        text = self._start(start)
        if end is None:
            return text
        if start.astimezone(self._zone).date() == end.astimezone(self._zone).date():
            return f"{text}–{self._end_time(end)}"
        return f"{text} – {self._start(end)}"


def format_period(start: datetime | None, end: datetime | None, weekday: bool = False) -> str:
    """When something takes place: "12 mars 2019, 18:00–20:00", the end's date only when
    it ends on another local day. weekday puts the day's name first (for mails).
    """
    return PeriodFormat(weekday)(start, end)
