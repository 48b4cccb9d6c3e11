"""What the demo's area loaders share: the file being loaded, its actor, and times."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from dialog.accounts.models import User
from dialog.accounts.queries import user_by_email
from dialog.contributions.services import ContributionError
from dialog.core.rules import RuleError
from dialog.demo.schema import DemoDataError


@dataclass(frozen=True)
class Source:
    """One checked data file: its name as shown in messages, and its content."""

    file: str
    data: dict[str, Any]

    def error(self, key: str, problem: str) -> DemoDataError:
        return DemoDataError(self.file, key, problem)

    @contextmanager
    def at(self, key: str) -> Iterator[None]:
        """Name the file and key when a service refuses what the data asks for."""
        try:
            yield
        except (RuleError, ContributionError) as error:
            field = getattr(error, "field", None)
            raise self.error(key, f"{error}" + (f" (field {field})" if field else "")) from error

    def user(self, key: str, email: str) -> User:
        """The user with this email, who must be in the demo users' file."""
        user = user_by_email(email)
        if user is None:
            raise self.error(key, f"no user {email}; add it to accounts/users.toml")
        return user

    def actor(self) -> User:
        """Who the file's content is created by, in the audit trail."""
        return self.user("actor", self.data["actor"])


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def when(value: datetime | dict[str, Any] | None, now: datetime) -> datetime | None:
    """A time from the data as an aware UTC datetime.

    A TOML local date-time is the municipality's wall-clock time. A table
    ``{ in_days = N, at = HH:MM:SS }`` is N days from the load day, at that wall-clock time
    (without ``at``: exactly N days from now), so the demo stays current.
    """
    if value is None:
        return None
    zone = local_zone()
    if isinstance(value, datetime):
        return value.replace(tzinfo=zone).astimezone(UTC)
    if "at" not in value:
        return now + timedelta(days=value["in_days"])
    day = now.astimezone(zone).date() + timedelta(days=value["in_days"])
    return datetime.combine(day, value["at"], zone).astimezone(UTC)
