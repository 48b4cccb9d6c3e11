"""The mail outbox: queue messages inside the request, send them from a command.

Sending never stops at one bad message: any error is recorded on that message (its kind
only: no address, no text), the message waits longer before each new try, and after
``DIALOG_MAIL_MAX_ATTEMPTS`` tries it is marked failed for the administrators to see
(``/admin/mail``). The next message goes out all the same.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import or_, select

from dialog.core.models import OutboxMessage, utcnow
from dialog.core.rules import is_single_line, one_line
from dialog.extensions import db

logger = logging.getLogger("dialog.mail")

SUBJECT_LENGTH = 255  # the column's size
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=4)


def queue_mail(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Put a message in the outbox (flushes, never commits).

    The subject is made one line here: it is built from titles and names, and a line break
    in a header would break the message (or add a header).
    """
    message = OutboxMessage(
        recipient=recipient, subject=one_line(subject)[:SUBJECT_LENGTH], body=body
    )
    db.session.add(message)
    db.session.flush()
    return message


def pending_messages(now: datetime, limit: int = 100) -> list[OutboxMessage]:
    """Return unsent messages that are due (not waiting for a retry, not given up)."""
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after a failed try: 1, 2, 4, 8 … minutes, at most LONGEST_WAIT."""
    return min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 16), LONGEST_WAIT)


def compose(message: OutboxMessage, sender: str) -> EmailMessage:
    """Build the email; header values are single lines whatever the queue holds.

    :raise ValueError: the recipient is not a single line (an address is never altered).
    """
    if not is_single_line(message.recipient):
        raise ValueError("the recipient address holds a control character")
    email = EmailMessage()
    email["From"] = one_line(sender)
    email["To"] = message.recipient
    email["Subject"] = one_line(message.subject)
    email.set_content(message.body)
    return email


class SMTPSender:
    """Send through the server named by an smtp:// (STARTTLS) or smtps:// URL."""

    def __init__(self, url: str, sender: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"}:
            raise ValueError("DIALOG_SMTP_URL must start with smtp:// or smtps://")
        self.parts = parts
        self.sender = sender
        self.starttls = parts.scheme == "smtp" and parse_qs(parts.query).get("starttls") != ["0"]

    def __enter__(self) -> SMTPSender:
        parts = self.parts
        context = ssl.create_default_context()
        if parts.scheme == "smtps":
            self.smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                parts.hostname or "localhost", parts.port or 465, context=context, timeout=30
            )
        else:
            self.smtp = smtplib.SMTP(parts.hostname or "localhost", parts.port or 587, timeout=30)
            if self.starttls:
                self.smtp.starttls(context=context)
        if parts.username:
            self.smtp.login(unquote(parts.username), unquote(parts.password or ""))
        return self

    def __exit__(self, *exc: object) -> None:
        self.smtp.quit()

    def send(self, message: OutboxMessage) -> None:
        self.smtp.send_message(compose(message, self.sender))


class LogSender:
    """Development: write each message to the log instead of sending it."""

    def __init__(self, sender: str) -> None:
        self.sender = sender

    def __enter__(self) -> LogSender:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send(self, message: OutboxMessage) -> None:
        email = compose(message, self.sender)  # fails where SMTP would
        logger.info(
            "development mail",
            extra={"to": email["To"], "subject": email["Subject"], "body": message.body},
        )


def send_pending(smtp_url: str, sender: str, max_attempts: int) -> tuple[int, int]:
    """Send every due message; return (sent, failed). Each message is committed alone."""
    now = utcnow()
    messages = pending_messages(now)
    if not messages:
        return 0, 0
    sent = failed = 0
    transport = SMTPSender(smtp_url, sender) if smtp_url else LogSender(sender)
    try:
        with transport:
            for message in messages:
                if _deliver(transport, message, max_attempts):
                    sent += 1
                else:
                    failed += 1
    except (smtplib.SMTPException, OSError) as error:
        # The connection itself failed: count an attempt on everything not yet tried.
        db.session.rollback()
        for message in messages[sent + failed :]:
            _record_failure(message, error, max_attempts)
            failed += 1
        db.session.commit()
    return sent, failed


def _deliver(transport: SMTPSender | LogSender, message: OutboxMessage, max_attempts: int) -> bool:
    try:
        transport.send(message)
    except Exception as error:  # noqa: BLE001 - whatever breaks one message must not stop the rest
        db.session.rollback()
        _record_failure(message, error, max_attempts)
        db.session.commit()
        return False
    message.attempts += 1
    message.sent_at = utcnow()
    message.next_attempt_at = None
    db.session.commit()
    return True


def _record_failure(message: OutboxMessage, error: Exception, max_attempts: int) -> None:
    now = utcnow()
    message.attempts += 1
    message.last_error = describe_error(error)
    if message.attempts >= max_attempts:
        message.failed_at = now
        message.next_attempt_at = None
    else:
        message.next_attempt_at = now + retry_delay(message.attempts)
    logger.warning(
        "mail gave up" if message.failed_at else "mail failed",
        extra={
            "outbox_id": message.id,
            "attempts": message.attempts,
            "error": message.last_error,
        },
    )


def describe_error(error: Exception) -> str:
    """The kind of error and the SMTP reply code: never its text, which may hold addresses."""
    codes: list[int] = []
    if isinstance(error, smtplib.SMTPResponseException):
        codes.append(error.smtp_code)
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        codes.extend(sorted({code for code, _reply in error.recipients.values()}))
    return " ".join([type(error).__name__, *(str(code) for code in codes)])
