"""Times as the municipality reads them: stored in UTC, typed and shown in its time zone.

The time zone is the setting BABEL_DEFAULT_TIMEZONE (Europe/Stockholm): a dialogue at
00:30 Swedish time is on that Swedish day, whatever the date in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
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


def format_period(start: datetime | None, end: datetime | None, weekday: bool = False) -> str:
    """When something takes place: "12 mars 2019, 18:00–20:00", the end's date only when
    it ends on another local day. weekday puts the day's name first (for mails).
    """
    if start is None:
        return ""
    pattern = WEEKDAY_DAY_AND_TIME if weekday else DAY_AND_TIME
    text = format_time(start, pattern)
    if end is None:
        return text
    if start.astimezone(local_zone()).date() == end.astimezone(local_zone()).date():
        return f"{text}–{format_time(end, 'HH:mm')}"
    return f"{text} – {format_time(end, pattern)}"
