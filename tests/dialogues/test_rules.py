"""The dialogue rules, enforced in the services: ladder level, open and close, status
order, and the feedback report before "reported"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dialog.accounts.models import Role, User
from dialog.contributions.models import Contribution, ContributionStatus, WorkshopNote
from dialog.core.models import AuditEvent, OutboxMessage, utcnow
from dialog.dialogues import queries, services
from dialog.dialogues.models import Dialogue, FeedbackReport
from dialog.dialogues.services import DialogueError, MailLinks, ReportInput
from dialog.extensions import db
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import make_user

LINKS = MailLinks(
    dialogue_url=lambda d: f"http://localhost/dialogues/{d.slug}",
    cancel_url=lambda token: f"http://localhost/dialogues/cancel/{token}",
    calendar_url=lambda d: f"http://localhost/dialogues/{d.slug}/event.ics",
)


def english(app):
    """A request context in English, so messages can be matched."""
    return app.test_request_context(headers={"Accept-Language": "en"})


def _load(slug: str) -> Dialogue:
    dialogue = db.session.scalar(select(Dialogue).where(Dialogue.slug == slug))
    assert dialogue is not None
    return dialogue


def _note_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Contribution)) or 0


def test_an_inform_level_dialogue_takes_no_input_and_cannot_open(app):
    """A dialogue at the inform level cannot be opened and refuses notes even if open."""
    framework = make_framework(app)
    info = make_dialogue(app, framework, level="inform", status="planned")
    with english(app):
        dialogue = _load(info.slug)
        assert not services.accepts_input(dialogue)
        with pytest.raises(DialogueError):
            services.set_status(dialogue, "open", None)
        assert "open" not in services.allowed_statuses(dialogue)
        dialogue.status = "open"  # even if it got there somehow, the capture refuses
        with pytest.raises(DialogueError, match="informs"):
            services.capture_notes(dialogue, "En synpunkt", "residents", None, None)
        assert _note_count() == 0


@pytest.mark.parametrize("status", ["planned", "closed", "reported"])
def test_input_is_accepted_only_while_open(app, status):
    """A planned, closed or reported dialogue refuses notes and stores none."""
    framework = make_framework(app)
    info = make_dialogue(app, framework, status=status, report=status == "reported")
    with english(app):
        dialogue = _load(info.slug)
        assert not services.accepts_input(dialogue)
        with pytest.raises(DialogueError, match="not open"):
            services.capture_notes(dialogue, "En synpunkt", "residents", None, None)
        assert _note_count() == 0


def test_online_input_also_keeps_to_its_window(app):
    """An online consultation takes input only between its opening and closing times."""
    framework = make_framework(app)
    info = make_dialogue(app, framework, format="online_consultation", starts_in=None)
    now = utcnow()
    with english(app):
        dialogue = _load(info.slug)
        assert services.accepts_online_input(dialogue, now)
        dialogue.opens_at = now + timedelta(days=1)
        assert not services.accepts_online_input(dialogue, now)
        dialogue.opens_at = now - timedelta(days=10)
        dialogue.closes_at = now - timedelta(minutes=1)
        assert not services.accepts_online_input(dialogue, now)
        dialogue.closes_at = now + timedelta(days=1)
        assert services.accepts_online_input(dialogue, now)


def test_the_status_moves_in_order_and_is_audited(app):
    """The status moves only along allowed steps (reopening included), each step audited."""
    framework = make_framework(app)
    admin = make_user(app, Role.ADMIN)
    info = make_dialogue(app, framework, status="planned")
    with english(app):
        dialogue = _load(info.slug)
        with pytest.raises(DialogueError):
            services.set_status(dialogue, "reported", None)
        with pytest.raises(DialogueError):
            services.set_status(dialogue, "nonsense", None)
        actor = db.session.get(User, admin.id)
        services.set_status(dialogue, "open", actor)
        services.set_status(dialogue, "closed", actor)
        services.set_status(dialogue, "open", actor)  # reopened to capture late notes
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "dialogue_status_changed")
            .order_by(AuditEvent.id)
        ).all()
        assert [(e.details["before"], e.details["after"]) for e in events] == [
            ("planned", "open"),
            ("open", "closed"),
            ("closed", "open"),
        ]


def test_a_dialogue_cannot_be_reported_without_a_published_report(app):
    """A dialogue becomes reported only once its feedback report is published, not as a draft."""
    framework = make_framework(app)
    info = make_dialogue(app, framework, status="closed")
    with english(app):
        dialogue = _load(info.slug)
        with pytest.raises(DialogueError, match="feedback report"):
            services.set_status(dialogue, "reported", None)
        dialogue.report = FeedbackReport(heard_html_sv="<p>x</p>", heard_text_sv="x")
        db.session.flush()
        with pytest.raises(DialogueError, match="feedback report"):
            services.set_status(dialogue, "reported", None)  # a draft is not enough
        dialogue.report.published_at = utcnow()
        services.set_status(dialogue, "reported", None)
        assert dialogue.status == "reported"


def test_the_report_is_published_only_after_closing_and_when_complete(app):
    """A report is published only after closing and with every part filled in."""
    framework = make_framework(app)
    info = make_dialogue(app, framework, status="open")
    report = ReportInput(
        heard_sv="<p>Vi hörde om bostäder.</p>",
        next_steps_sv="<p>Det går till fullmäktige.</p>",
        decisions_expected_sv="December 2019",
    )
    with english(app):
        dialogue = _load(info.slug)
        services.save_report(dialogue, report, None)
        with pytest.raises(DialogueError, match="Close"):
            services.publish_report(dialogue, None, LINKS)
        services.set_status(dialogue, "closed", None)
        services.save_report(dialogue, ReportInput("<p>x</p>", "", ""), None)
        with pytest.raises(DialogueError, match="Fill in"):
            services.publish_report(dialogue, None, LINKS)
        services.save_report(dialogue, report, None)
        services.publish_report(dialogue, None, LINKS)
        assert dialogue.status == "reported"
        assert dialogue.published_report is not None


def test_publishing_the_report_emails_registrants_and_contributors_once(app):
    """Publishing mails each registrant and contributor once, in their language; never twice."""
    framework = make_framework(app)
    info = make_dialogue(app, framework, status="closed", registration=True, starts_in=None)
    with english(app):
        dialogue = _load(info.slug)
        dialogue.starts_at = utcnow() + timedelta(days=1)
        dialogue.status = "planned"
        services.register(dialogue, "Eva", "eva@example.se", None, "sv", LINKS)
        services.register(dialogue, "John", "john@example.se", None, "en", LINKS)
        cancelled = services.register(dialogue, "Ulf", "ulf@example.se", None, "sv", LINKS)
        services.cancel_registration(cancelled, LINKS)
        # Later kinds of input keep their author's email on the contribution.
        for email in ("kim@example.se", "EVA@example.se", None):
            note = WorkshopNote(
                dialogue_id=dialogue.id,
                body_html="x",
                body_text="x",
                author_email=email,
                status=ContributionStatus.PUBLISHED.value,
            )
            db.session.add(note)
        dialogue.status = "closed"
        db.session.query(OutboxMessage).delete()
        services.save_report(
            dialogue,
            ReportInput("<p>Vi hörde.</p>", "<p>Sedan.</p>", "Snart"),
            None,
        )
        assert services.publish_report(dialogue, None, LINKS) == 3
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert sorted(m.recipient.lower() for m in messages) == [
            "eva@example.se",
            "john@example.se",
            "kim@example.se",
        ]
        in_english = next(m for m in messages if m.recipient == "john@example.se")
        assert in_english.subject.startswith("Feedback from")
        assert f"http://localhost/dialogues/{dialogue.slug}" in in_english.body
        assert services.publish_report(dialogue, None, LINKS) == 0
        assert len(db.session.scalars(select(OutboxMessage)).all()) == 3


def test_capacity_changes_keep_the_waiting_list_order(app):
    """Raising the capacity promotes the first in line and keeps the others' order."""
    framework = make_framework(app)
    info = make_dialogue(app, framework, status="planned", registration=True, capacity=1)
    with english(app):
        dialogue = _load(info.slug)
        first = services.register(dialogue, "A", "a@example.se", None, "sv", LINKS)
        second = services.register(dialogue, "B", "b@example.se", None, "sv", LINKS)
        third = services.register(dialogue, "C", "c@example.se", None, "sv", LINKS)
        assert [first.status, second.status, third.status] == ["confirmed", "waiting", "waiting"]
        assert queries.waiting_position(third) == 2
        dialogue.capacity = 2
        promoted = services.fill_places(dialogue, LINKS)
        assert promoted == [second]
        assert third.status == "waiting"
