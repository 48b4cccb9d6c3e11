"""Settings, read from ``DIALOG_*`` environment variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from limits import parse_many

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Return DIALOG_SECRET_KEY, or a random key kept in instance/secret_key.

    Keeping the generated key in a file lets every worker process on the machine
    share it and keeps sessions valid across restarts.
    """
    key = os.environ.get("DIALOG_SECRET_KEY")
    if key:
        return key
    path = INSTANCE_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def trusted_hosts(base_url: str, extra: list[str]) -> list[str]:
    """The host names requests may be addressed to: the base URL's, then the extra ones."""
    host = urlsplit(base_url).hostname
    if not host:
        raise ValueError(f"DIALOG_BASE_URL {base_url!r} has no host name")
    return [host, *(name for name in extra if name != host)]


def _limits(name: str) -> str:
    """Rate limits such as "10/minute;60/hour" from the environment (checked), or ""."""
    value = os.environ.get(name, "").strip()
    if not value:
        return ""
    try:
        parse_many(value)
    except ValueError as error:
        raise ValueError(f"{name} {value!r} is not a list of rate limits: {error}") from error
    return value


# Retention (gallring): the kinds of personal data removed after a period, and each period's
# default in days. See dialog.records.retention and the README.
RETENTION_DEFAULT_DAYS = {
    "contact": 90,  # names and addresses on inputs, after the dialogue's feedback report
    "registration": 30,  # sign-ups for an event, after the event
    "unconfirmed_account": 30,  # resident accounts never logged into, after they were made
    "log": 365,  # sent and failed mails, used and expired login codes and reset links
}


def _days(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} {value!r} is not a number of days (1 or more)")
    return int(value)


def retention_settings() -> dict[str, dict[str, Any]]:
    """Each kind's period and the retention decision it follows, from the environment.

    DIALOG_RETENTION_<KIND>_DAYS sets a period; DIALOG_RETENTION_DECISION names the
    municipality's decision (e.g. "KS 2026/123 §4"), and DIALOG_RETENTION_<KIND>_DECISION
    another one for one kind.
    """
    decision = os.environ.get("DIALOG_RETENTION_DECISION", "").strip()
    settings = {}
    for kind, default in RETENTION_DEFAULT_DAYS.items():
        prefix = f"DIALOG_RETENTION_{kind.upper()}"
        settings[kind] = {
            "days": _days(f"{prefix}_DAYS", default),
            "decision": os.environ.get(f"{prefix}_DECISION", "").strip() or decision,
        }
    return settings


MEGABYTE = 1024 * 1024


def _request_limits(upload_megabytes: float) -> dict[str, int]:
    """The largest import file, and the request limits that let its import be confirmed.

    The preview sends the file's text back in a form field: re-encoded as UTF-8 it can be
    three times the file's size (Windows-1252 "€" is three bytes), and the confirmation may
    carry the file again. Beyond that, Werkzeug refuses the request with 413 before reading
    it (a 300 MB login is never spooled to disk).
    """
    upload = int(upload_megabytes * MEGABYTE)
    request_limit = 4 * upload + MEGABYTE
    return {
        "MAX_UPLOAD_BYTES": upload,
        "MAX_CONTENT_LENGTH": request_limit,
        # One field may be as large as the request: the previewed text (default 500 kB).
        "MAX_FORM_MEMORY_SIZE": request_limit,
    }


def from_environment() -> dict[str, Any]:
    """Build the application settings from the environment."""
    https = _flag("DIALOG_HTTPS", False)
    redis_url = os.environ.get("DIALOG_REDIS_URL", "")
    base_url = os.environ.get("DIALOG_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    extra_hosts = _names(os.environ.get("DIALOG_TRUSTED_HOSTS", ""))
    return {
        "SECRET_KEY": _secret_key(),
        # Every absolute URL (mails, calendar files, API links, canonical links) is built
        # from BASE_URL, never from the request's Host header; other hosts get a 400.
        "BASE_URL": base_url,
        "EXTRA_TRUSTED_HOSTS": extra_hosts,
        "TRUSTED_HOSTS": trusted_hosts(base_url, extra_hosts),
        # How many proxies in front set X-Forwarded-For/-Proto; 0 ignores those headers.
        "PROXY_HOPS": int(os.environ.get("DIALOG_PROXY_HOPS", "0")),
        # A database error's message never carries the statement's values (a resident's
        # text, an email address) into the logs.
        "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": True},
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DIALOG_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'dialog.db'}"
        ),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _flag("DIALOG_RATELIMIT", True),
        "PAGE_CACHE_SECONDS": int(os.environ.get("DIALOG_PAGE_CACHE_SECONDS", "30")),
        "REFERENCE_CACHE": _flag("DIALOG_REFERENCE_CACHE", True),
        "HTTPS": https,
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "dialog_session",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "STAFF_MFA": _flag("DIALOG_STAFF_MFA", True),
        "MUNICIPALITY_NAME": os.environ.get("DIALOG_MUNICIPALITY_NAME", "Demokommunen"),
        "CONTACT_EMAIL": os.environ.get("DIALOG_CONTACT_EMAIL", "webbredaktionen@example.se"),
        "MAIL_FROM": os.environ.get("DIALOG_MAIL_FROM", "Dialog <no-reply@example.se>"),
        "SMTP_URL": os.environ.get("DIALOG_SMTP_URL", ""),
        # Where feedback on a municipal service (a synpunkt or complaint) goes instead of a
        # page comment, and the link's text (empty: a translated default).
        "SERVICE_FEEDBACK_URL": os.environ.get("DIALOG_SERVICE_FEEDBACK_URL", ""),
        "SERVICE_FEEDBACK_LABEL": os.environ.get("DIALOG_SERVICE_FEEDBACK_LABEL", ""),
        "LOG_LEVEL": os.environ.get("DIALOG_LOG_LEVEL", "INFO"),
        # The reasons for rejecting, hiding or reporting an input (dialog.moderation.reasons).
        # Checked when the app is made (create_app); empty: the default list.
        "MODERATION_REASONS": os.environ.get("DIALOG_MODERATION_REASONS", ""),
        # What retention removes, after how long, and the decision it follows (see above).
        "RETENTION": retention_settings(),
        "MAIL_MAX_ATTEMPTS": max(1, int(os.environ.get("DIALOG_MAIL_MAX_ATTEMPTS", "10"))),
        "PASSWORD_RESET_HOURS": int(os.environ.get("DIALOG_PASSWORD_RESET_HOURS", "2")),
        **_request_limits(float(os.environ.get("DIALOG_MAX_UPLOAD_MB", "2"))),
        "ARGON2_PROFILE": "owasp",
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "BABEL_TRANSLATION_DIRECTORIES": str(
            Path(__file__).resolve().parent.parent / "translations"
        ),
        "LANGUAGES": ("sv", "en"),
        # The groups dialogues are for and notes come from, comma-separated codes (see
        # dialog.dialogues.models.Group); empty means all of them.
        "DIALOGUE_GROUPS": tuple(
            code.strip() for code in os.environ.get("DIALOG_GROUPS", "").split(",") if code.strip()
        ),
        # The prefix of the reference numbers inputs get ("DLG-2026-00042").
        "REFERENCE_PREFIX": os.environ.get("DIALOG_REFERENCE_PREFIX", "DLG").strip() or "DLG",
        # How many inputs (of any kind) a client address and an account may send, as
        # limits such as "10/minute;60/hour"; empty: the defaults in contributions.services.
        "SUBMISSION_LIMITS_PER_ADDRESS": _limits("DIALOG_SUBMISSION_LIMITS_PER_ADDRESS"),
        "SUBMISSION_LIMITS_PER_ACCOUNT": _limits("DIALOG_SUBMISSION_LIMITS_PER_ACCOUNT"),
        # How many open reports by residents hide a published input until an editor decides.
        "REPORTS_TO_HIDE": max(1, int(os.environ.get("DIALOG_REPORTS_TO_HIDE", "3"))),
        "TESTING": False,
    }


def for_tests(database_url: str, **overrides: Any) -> dict[str, Any]:
    """Settings for the test suite: a given database, cheap hashing, no rate limits."""
    settings = from_environment()
    settings.update(
        SECRET_KEY="test-secret-key",  # noqa: S106 - used by the test suite only
        SQLALCHEMY_DATABASE_URI=database_url,
        TESTING=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_ENABLED=True,
        PAGE_CACHE_SECONDS=0,
        # A test's writes are rolled back, never committed, so the change generation that
        # guards the reference data never moves inside a test: the tests of that cache turn
        # it on and commit.
        REFERENCE_CACHE=False,
        ARGON2_PROFILE="fast",
        SMTP_URL="",
        STAFF_MFA=True,
        MUNICIPALITY_NAME="Testkommunen",
        BASE_URL="http://localhost",
        EXTRA_TRUSTED_HOSTS=["127.0.0.1"],
        PROXY_HOPS=0,
    )
    settings.update(overrides)
    if "TRUSTED_HOSTS" not in overrides:
        settings["TRUSTED_HOSTS"] = trusted_hosts(
            settings["BASE_URL"], settings["EXTRA_TRUSTED_HOSTS"]
        )
    return settings
