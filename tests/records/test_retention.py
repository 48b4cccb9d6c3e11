"""Retention (gallring), with time travel: what is due goes, what is not stays, and the audit
trail says what went (counts and kinds, never the data)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dialog.accounts.models import PasswordResetToken, RecoveryCode, Role, User
from dialog.contributions.models import Contribution
from dialog.core.models import AuditEvent, OutboxMessage, utcnow
from dialog.dialogues.models import Dialogue, FeedbackReport, Registration
from dialog.extensions import db
from dialog.records.services import RetentionError, run_retention
from tests.contributions.factories import make_consultation
from tests.helpers import make_user
from tests.pages.factories import make_page_comment
from tests.records.factories import days_ago, send_proposal

DECISION = "KS 2026/123 §4"
RULES = {
    "contact": {"days": 90, "decision": DECISION},
    "registration": {"days": 30, "decision": DECISION},
    "unconfirmed_account": {"days": 30, "decision": "KS 2026/200 §2"},
    "log": {"days": 365, "decision": DECISION},
}


@pytest.fixture
def rules(app, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION", RULES)


def _reported(app, days: int | None) -> tuple[str, int]:
    """A dialogue reported back the given days ago (None: not reported); a proposal with a
    name and an address sent to it."""
    dialogue = make_consultation(app)
    proposal_id = send_proposal(
        app, dialogue.slug, title="Bänkar", body="<p>Fler</p>", name="Nils", email="n@example.se"
    )
    if days is not None:
        with app.app_context():
            db.session.get_one(Dialogue, dialogue.id).report = FeedbackReport(
                published_at=days_ago(days)
            )
            db.session.commit()
    return dialogue.slug, proposal_id


def _event(app, ended_days_ago: int) -> int:
    """A sign-up for an event that ended the given days ago; its id."""
    dialogue = make_consultation(app)
    with app.app_context():
        row = db.session.get_one(Dialogue, dialogue.id)
        row.starts_at = days_ago(ended_days_ago)
        row.ends_at = days_ago(ended_days_ago)
        registration = Registration(
            dialogue_id=dialogue.id,
            name="Rut",
            email="rut@example.se",
            status="confirmed",
            cancel_token_hash=f"{ended_days_ago:064d}",
        )
        db.session.add(registration)
        db.session.commit()
        return registration.id


def _account(app, days: int, *roles: Role, logged_in: bool = False) -> int:
    user = make_user(app, *roles, enrolled=False)
    with app.app_context():
        row = db.session.get_one(User, user.id)
        row.created_at = days_ago(days)
        row.last_login_at = utcnow() if logged_in else None
        db.session.commit()
    return user.id


def _logs(app, user_id: int) -> dict[str, int]:
    with app.app_context():
        old_sent = OutboxMessage(
            recipient="a@example.se", subject="s", body="b", sent_at=days_ago(400)
        )
        new_sent = OutboxMessage(
            recipient="b@example.se", subject="s", body="b", sent_at=days_ago(10)
        )
        old_failed = OutboxMessage(
            recipient="c@example.se", subject="s", body="b", failed_at=days_ago(400)
        )
        waiting = OutboxMessage(
            recipient="d@example.se", subject="s", body="b", created_at=days_ago(400)
        )
        reset = PasswordResetToken(user_id=user_id, token_hash="r" * 64, expires_at=days_ago(400))
        fresh_reset = PasswordResetToken(
            user_id=user_id, token_hash="f" * 64, expires_at=days_ago(-1)
        )
        used = RecoveryCode(user_id=user_id, code_hash="c" * 64, used_at=days_ago(400))
        unused = RecoveryCode(user_id=user_id, code_hash="u" * 64)
        rows = [old_sent, new_sent, old_failed, waiting, reset, fresh_reset, used, unused]
        db.session.add_all(rows)
        db.session.commit()
        return {
            "new_sent": new_sent.id,
            "waiting": waiting.id,
            "fresh_reset": fresh_reset.id,
            "unused": unused.id,
        }


def _world(app) -> dict:
    """Personal data of every kind, some due and some not."""
    keeper = _account(app, 400, logged_in=True)
    return {
        "due_contact": _reported(app, 100)[1],
        "recent_contact": _reported(app, 10)[1],
        "unreported_contact": _reported(app, None)[1],
        "old_page_comment": make_page_comment(app, "/pages/x", email="p@example.se"),
        "due_registration": _event(app, 40),
        "recent_registration": _event(app, 10),
        "unused_account": _account(app, 40),
        "new_account": _account(app, 10),
        "staff_account": _account(app, 40, Role.EDITOR),
        "used_account": keeper,
        "logs": _logs(app, keeper),
    }


def _age_page_comment(app, comment_id: int) -> None:
    with app.app_context():
        comment = db.session.get_one(Contribution, comment_id)
        comment.handled_at = days_ago(100)
        db.session.commit()


def _counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (
                User,
                Registration,
                OutboxMessage,
                PasswordResetToken,
                RecoveryCode,
                AuditEvent,
            )
        ) + (db.session.scalar(select(func.count()).where(Contribution.author_email.is_not(None))),)


def test_a_dry_run_shows_what_is_due_and_changes_nothing(app, rules):
    """Each kind's count of what is due, its period and decision; the database unchanged."""
    world = _world(app)
    _age_page_comment(app, world["old_page_comment"])
    before = _counts(app)
    with app.app_context():
        run = run_retention(utcnow(), dry_run=True)
        db.session.rollback()
    assert {removal.kind: removal.count for removal in run.removals} == {
        "contact": 2,
        "registration": 1,
        "unconfirmed_account": 1,
        "log": 4,
    }
    assert run.removals[2].decision == "KS 2026/200 §2"
    assert _counts(app) == before


def test_a_run_removes_what_is_due_and_keeps_the_rest(app, rules):
    """Names and addresses of reported dialogues' inputs, past sign-ups, unused resident
    accounts and old logs go; everything not yet due, and every input, stays."""
    world = _world(app)
    _age_page_comment(app, world["old_page_comment"])
    with app.app_context():
        inputs = db.session.scalar(select(func.count()).select_from(Contribution))
        run_retention(utcnow(), dry_run=False)
        db.session.commit()
    with app.app_context():
        get = db.session.get
        assert db.session.scalar(select(func.count()).select_from(Contribution)) == inputs
        due = get(Contribution, world["due_contact"])
        assert (due.author_name, due.author_email) == (None, None)
        assert due.body_text == "Fler"
        assert get(Contribution, world["old_page_comment"]).author_email is None
        for kept in ("recent_contact", "unreported_contact"):
            assert get(Contribution, world[kept]).author_email == "n@example.se"
        assert get(Registration, world["due_registration"]) is None
        assert get(Registration, world["recent_registration"]) is not None
        assert get(User, world["unused_account"]) is None
        for kept in ("new_account", "staff_account", "used_account"):
            assert get(User, world[kept]) is not None
        logs = world["logs"]
        assert get(OutboxMessage, logs["new_sent"]) is not None
        assert get(OutboxMessage, logs["waiting"]) is not None
        assert get(PasswordResetToken, logs["fresh_reset"]) is not None
        assert get(RecoveryCode, logs["unused"]) is not None
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
        assert db.session.scalar(select(func.count()).select_from(PasswordResetToken)) == 1
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 1
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention_run")
        ).one()
        assert event.details["removed"] == {
            "contact": 2,
            "registration": 1,
            "unconfirmed_account": 1,
            "log": 4,
        }
        assert event.details["rules"]["contact"] == {"days": 90, "decision": DECISION}
        assert "example.se" not in str(event.details)
        assert "Nils" not in str(event.details)


def test_a_second_run_finds_nothing(app, rules):
    """What was removed is gone: the next run removes nothing and still records its run."""
    _world(app)
    with app.app_context():
        run_retention(utcnow(), dry_run=False)
        again = run_retention(utcnow(), dry_run=False)
    assert again.total == 0


def test_a_run_without_a_decision_is_refused(app, monkeypatch):
    """Without the decision to cite, nothing is removed (a dry run still shows what is due)."""
    rules = {kind: dict(rule, decision="") for kind, rule in RULES.items()}
    rules["log"]["decision"] = DECISION
    monkeypatch.setitem(app.config, "RETENTION", rules)
    _world(app)
    before = _counts(app)
    with app.app_context():
        with pytest.raises(RetentionError):
            run_retention(utcnow(), dry_run=False)
        db.session.rollback()
        assert run_retention(utcnow(), dry_run=True).total > 0
        db.session.rollback()
    assert _counts(app) == before


def test_the_command_runs_and_dry_runs(app, rules):
    """`flask retention run --dry-run` lists each kind and changes nothing; `run` removes."""
    world = _world(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "unconfirmed_account: would remove 1 (after 30 days; KS 2026/200 §2)" in result.output
    assert "dry run: nothing changed" in result.output
    with app.app_context():
        assert db.session.get(User, world["unused_account"]) is not None
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "registration: removed 1" in result.output
    with app.app_context():
        assert db.session.get(User, world["unused_account"]) is None
