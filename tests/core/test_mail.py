"""The outbox and ``flask mail send``: a real SMTP server on localhost receives the mail.

One message that cannot be sent (a line break in a header, an address the server refuses)
never holds up the others: it is tried again later, each wait longer, and marked failed
after the configured number of attempts.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_string, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from dialog.accounts.models import Role
from dialog.core.mail import queue_mail, retry_delay
from dialog.core.models import OutboxMessage, OutboxStatus, utcnow
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import AuthActions, make_user, post_form

REFUSED = "refused@example.se"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address == REFUSED:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(
            (envelope.mail_from, envelope.rcpt_tos, envelope.content.decode("utf-8"))
        )
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _queue(app, count: int = 2) -> None:
    with app.app_context():
        for number in range(count):
            queue_mail(f"person{number}@example.se", f"Ämne {number}", f"Hej {number}\nRad två")
        db.session.commit()


def test_mail_send_delivers_the_outbox_by_smtp(app, smtp_server):
    """Queued messages go out by SMTP once, and are marked sent."""
    inbox, port = smtp_server
    _queue(app)
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}?starttls=0"
    try:
        result = app.test_cli_runner().invoke(args=["mail", "send"])
    finally:
        app.config["SMTP_URL"] = ""
    assert result.exit_code == 0, result.output
    assert "sent 2, failed 0" in result.output
    assert sorted(rcpt[0] for _, rcpt, _ in inbox.messages) == [
        "person0@example.se",
        "person1@example.se",
    ]
    assert "Hej 0" in inbox.messages[0][2] or "Hej 1" in inbox.messages[0][2]
    with app.app_context():
        assert all(m.sent_at for m in db.session.scalars(select(OutboxMessage)))
    again = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "sent 0, failed 0" in again.output
    assert len(inbox.messages) == 2


def test_unreachable_server_keeps_the_mail_for_later(app):
    """A server that cannot be reached costs each message an attempt and a wait."""
    _queue(app, 1)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{closed_port}?starttls=0"
    try:
        result = app.test_cli_runner().invoke(args=["mail", "send"])
    finally:
        app.config["SMTP_URL"] = ""
    assert result.exit_code == 1
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert message.sent_at is None
        assert message.attempts == 1
        assert message.last_error == "ConnectionRefusedError"
        assert message.failed_at is None
        assert message.next_attempt_at > utcnow()
    again = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "sent 0, failed 0" in again.output  # it waits before the next try


def test_development_mail_goes_to_the_log(app):
    """Without an SMTP server the mail is written to the log."""
    _queue(app, 1)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    mail = [line for line in lines if line["message"] == "development mail"]
    assert mail[0]["to"] == "person0@example.se"
    assert "Hej 0" in mail[0]["body"]


@contextmanager
def _mail_settings(app, smtp_port: int, max_attempts: int) -> Iterator[None]:
    saved = app.config["SMTP_URL"], app.config["MAIL_MAX_ATTEMPTS"]
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{smtp_port}?starttls=0"
    app.config["MAIL_MAX_ATTEMPTS"] = max_attempts
    try:
        yield
    finally:
        app.config["SMTP_URL"], app.config["MAIL_MAX_ATTEMPTS"] = saved


def _send(app):
    return app.test_cli_runner().invoke(args=["mail", "send"])


def _time_passes(app) -> None:
    """Make every waiting message due now, as if its wait were over."""
    with app.app_context():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.next_attempt_at.is_not(None))
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()


def _messages(app) -> dict[str, OutboxMessage]:
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage)).all()
        db.session.expunge_all()
        return {message.subject: message for message in messages}


def test_a_title_with_a_line_break_reaches_the_subject_as_one_line(app, client, smtp_server):
    """A dialogue title with CR/LF (stored before forms refused it) no longer stops the mail."""
    inbox, port = smtp_server
    dialogue = make_dialogue(app, make_framework(app), registration=True, capacity=5)
    with app.app_context():
        db.session.get_one(Dialogue, dialogue.id).title_sv = "Möte\r\nBcc: all@example.se"
        db.session.commit()
    response = post_form(
        client,
        f"/dialogues/{dialogue.slug}/register",
        {"name": "Anna", "email": "anna@example.se", "accept": "y"},
    )
    assert response.status_code == 302
    with _mail_settings(app, port, max_attempts=3):
        result = _send(app)
    assert "sent 1, failed 0" in result.output, result.output
    [(_sender, recipients, content)] = inbox.messages
    assert recipients == ["anna@example.se"]
    email = message_from_string(content, policy=policy.default)
    assert email["Bcc"] is None
    assert email["Subject"] == "Du har en plats: Möte Bcc: all@example.se"


def test_a_poisoned_message_does_not_hold_up_the_others(app, smtp_server):
    """One message that always fails is retried with growing waits, then marked failed."""
    inbox, port = smtp_server
    with app.app_context():
        queue_mail("first@example.se", "Först", "Hej")
        # Queued before subjects were made one line: the old sender crashed on it for ever.
        db.session.add(
            OutboxMessage(recipient="old@example.se", subject="Gammal\r\nrad", body="Hej")
        )
        # An address with a line break is never altered: it cannot be sent.
        db.session.add(
            OutboxMessage(
                recipient="poison@example.se\r\nBcc: x@example.se", subject="Gift", body="x"
            )
        )
        queue_mail(REFUSED, "Avvisad", "Hej")
        queue_mail("last@example.se", "Sist", "Hej")
        db.session.commit()
    waits = []  # from the start of a run to the message's next attempt
    with _mail_settings(app, port, max_attempts=3):
        started = utcnow()
        first = _send(app)
        assert first.exit_code == 1
        assert "sent 3, failed 2" in first.output
        assert sorted(rcpt[0] for _, rcpt, _ in inbox.messages) == [
            "first@example.se",
            "last@example.se",
            "old@example.se",
        ]
        waits.append(_messages(app)["Gift"].next_attempt_at - started)
        for attempt in (2, 3):
            assert "sent 0, failed 0" in _send(app).output  # still waiting
            _time_passes(app)
            started = utcnow()
            assert "sent 0, failed 2" in _send(app).output
            poisoned = _messages(app)["Gift"]
            assert poisoned.attempts == attempt
            if poisoned.next_attempt_at is not None:
                waits.append(poisoned.next_attempt_at - started)
        _time_passes(app)
        assert "sent 0, failed 0" in _send(app).output  # given up: never tried again
    assert len(waits) == 2
    assert waits[0] < waits[1]
    messages = _messages(app)
    for subject in ("Gift", "Avvisad"):
        assert messages[subject].status is OutboxStatus.FAILED
        assert messages[subject].attempts == 3
        assert messages[subject].failed_at is not None
        assert messages[subject].next_attempt_at is None
    assert messages["Gift"].last_error == "ValueError"
    assert messages["Avvisad"].last_error == "SMTPRecipientsRefused 550"
    assert "poison" not in (messages["Gift"].last_error or "")
    assert [messages[s].status for s in ("Först", "Gammal\r\nrad", "Sist")] == [
        OutboxStatus.SENT
    ] * 3
    assert len(inbox.messages) == 3


def test_each_wait_is_longer_than_the_last_up_to_a_limit():
    """Retries back off: 1, 2, 4 … minutes, never more than four hours."""
    waits = [retry_delay(attempt) for attempt in range(1, 40)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert all(later >= earlier for earlier, later in zip(waits, waits[1:], strict=False))
    assert max(waits) == timedelta(hours=4)


def test_failed_mail_is_listed_for_administrators(app, client):
    """The admin mail page shows failed and waiting messages with their attempts and error."""
    with app.app_context():
        queue_mail("a@example.se", "Väntar", "x")
        db.session.add(
            OutboxMessage(
                recipient="b@example.se",
                subject="Misslyckad",
                body="hemlig länk",
                attempts=10,
                last_error="SMTPRecipientsRefused 550",
                failed_at=utcnow(),
            )
        )
        db.session.commit()
    admin = make_user(app, Role.ADMIN)
    AuthActions(client).login(admin)
    client.set_cookie("lang", "en")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/admin/mail"' in home
    page = client.get("/admin/mail?status=failed").get_data(as_text=True)
    assert "Misslyckad" in page
    assert "SMTPRecipientsRefused 550" in page
    assert "Väntar" not in page
    assert "hemlig länk" not in page  # a body may hold a reset link: never shown
    everything = client.get("/admin/mail").get_data(as_text=True)
    assert "Väntar" in everything
    assert "Misslyckad" in everything
