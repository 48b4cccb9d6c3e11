"""The mail outbox: queue messages inside the request, send them from a command."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import select

from dialog.core.models import OutboxMessage, utcnow
from dialog.extensions import db

logger = logging.getLogger("dialog.mail")

MAX_ATTEMPTS = 5


def queue_mail(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Put a message in the outbox (flushes, never commits)."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    db.session.flush()
    return message


def pending_messages(limit: int = 100) -> list[OutboxMessage]:
    """Return unsent messages that have attempts left, oldest first."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


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
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email.set_content(message.body)
        self.smtp.send_message(email)


class LogSender:
    """Development: write each message to the log instead of sending it."""

    def __enter__(self) -> LogSender:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send(self, message: OutboxMessage) -> None:
        logger.info(
            "development mail",
            extra={"to": message.recipient, "subject": message.subject, "body": message.body},
        )


def send_pending(smtp_url: str, sender: str) -> tuple[int, int]:
    """Send every pending message; return (sent, failed). Each message is committed alone."""
    messages = pending_messages()
    if not messages:
        return 0, 0
    sent = failed = 0
    transport = SMTPSender(smtp_url, sender) if smtp_url else LogSender()
    try:
        with transport:
            for message in messages:
                if _deliver(transport, message):
                    sent += 1
                else:
                    failed += 1
    except (smtplib.SMTPException, OSError) as error:
        # The connection itself failed: count an attempt on everything not yet tried.
        for message in messages[sent + failed :]:
            _mark_failed(message, error)
            failed += 1
        db.session.commit()
    return sent, failed


def _deliver(transport: SMTPSender | LogSender, message: OutboxMessage) -> bool:
    try:
        transport.send(message)
    except (smtplib.SMTPException, OSError) as error:
        _mark_failed(message, error)
        db.session.commit()
        return False
    message.attempts += 1
    message.sent_at = utcnow()
    db.session.commit()
    return True


def _mark_failed(message: OutboxMessage, error: Exception) -> None:
    message.attempts += 1
    message.last_error = type(error).__name__
    logger.warning("mail failed", extra={"outbox_id": message.id, "error": type(error).__name__})
