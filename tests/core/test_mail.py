"""The outbox and ``flask mail send``: a real SMTP server on localhost receives the mail."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from dialog.core.mail import MAX_ATTEMPTS, queue_mail
from dialog.core.models import OutboxMessage
from dialog.extensions import db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

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
        assert message.attempts < MAX_ATTEMPTS


def test_development_mail_goes_to_the_log(app):
    _queue(app, 1)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    mail = [line for line in lines if line["message"] == "development mail"]
    assert mail[0]["to"] == "person0@example.se"
    assert "Hej 0" in mail[0]["body"]
