"""Closing an account: the account and login go, the inputs stay as from a resident."""

from __future__ import annotations

from sqlalchemy import func, select

from dialog.accounts.models import Role, User
from dialog.contributions.models import Contribution, Proposal, Support
from dialog.core.models import AuditEvent, OutboxMessage
from dialog.dialogues.models import Dialogue, Registration
from dialog.extensions import db
from tests.helpers import PASSWORD, AuthActions, make_user, post_form
from tests.records.factories import days_ago, make_resident


def _close(client, password: str = PASSWORD, confirm: str = "y", source: str | None = None):
    data = {"password": password, "confirm": confirm}
    return post_form(client, "/account/close", data, source=source)


def test_closing_removes_the_account_and_keeps_the_inputs(app, client, auth):
    """The user row goes, the inputs stay with text, status and reference but without the
    account, name or address, shown as from a resident; the supports are recounted."""
    alfa = make_resident(app, "Alfa")
    bravo = make_resident(app, "Bravo", slug=alfa.slug)
    with app.app_context():
        bravo_user = db.session.get_one(User, bravo.user.id)
        from dialog.contributions import services

        services.support(db.session.get_one(Proposal, alfa.proposal_id), bravo_user)
        db.session.commit()
        before = db.session.get_one(Contribution, alfa.proposal_id)
        reference, text = before.reference, before.body_text
        assert before.support_count == 2
    auth.login(alfa.user)
    response = _close(client)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, alfa.user.id) is None
        proposal = db.session.get_one(Contribution, alfa.proposal_id)
        assert (proposal.reference, proposal.body_text, proposal.status) == (
            reference,
            text,
            "published",
        )
        assert (proposal.author_id, proposal.author_name, proposal.author_email) == (
            None,
            None,
            None,
        )
        comment = db.session.get_one(Contribution, alfa.comment_id)
        assert (comment.author_id, comment.author_name) == (None, None)
        assert proposal.support_count == 1  # Bravo's own, and Bravo's on it; Alfa's went
        bravo_proposal = db.session.get_one(Contribution, bravo.proposal_id)
        assert bravo_proposal.support_count == 1
        assert db.session.scalar(select(func.count()).select_from(Support)) == 2
    page = client.get(f"/dialogues/{alfa.slug}/proposals/{alfa.proposal_id}")
    text = page.get_data(as_text=True)
    assert "Namn Alfa" not in text
    assert "En invånare" in text


def test_closing_ends_every_session(app, auth):
    """A second browser logged in to the account is logged out too."""
    alfa = make_resident(app, "Alfa")
    other = app.test_client()
    AuthActions(other).login(alfa.user)
    client = app.test_client()
    AuthActions(client).login(alfa.user)
    _close(client)
    assert other.get("/account").status_code == 302
    assert client.get("/account").status_code == 302


def test_closing_handles_sign_ups_mails_and_the_audit_trail(app, client, auth):
    """Sign-ups for events that are over and every mail to the address go; a coming event's
    place stays; the audit trail keeps its events and records the closing without the
    address."""
    alfa = make_resident(app, "Alfa")
    with app.app_context():
        coming = db.session.get_one(Registration, alfa.registration_id)
        past_dialogue = Dialogue(
            slug="past-event",
            framework_id=coming.dialogue.framework_id,
            title_sv="Förr",
            format="workshop",
            level="dialogue",
            starts_at=days_ago(10),
            ends_at=days_ago(10),
        )
        db.session.add(past_dialogue)
        db.session.flush()
        past = Registration(
            dialogue_id=past_dialogue.id,
            name="Namn Alfa",
            email="ALFA@example.se",
            status="confirmed",
            cancel_token_hash="x" * 64,
        )
        db.session.add(past)
        db.session.commit()
        past_id = past.id
        events_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    auth.login(alfa.user)
    assert _close(client).status_code == 302
    with app.app_context():
        assert db.session.get(Registration, past_id) is None
        assert db.session.get(Registration, alfa.registration_id) is not None
        mails = select(func.count()).where(OutboxMessage.recipient == "alfa@example.se")
        assert db.session.scalar(mails) == 0
        events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
        assert len(events) == events_before + 1
        closing = events[-1]
        assert closing.action == "account_closed"
        assert (closing.subject_type, closing.subject_id) == ("user", alfa.user.id)
        assert "alfa@example.se" not in str(closing.details)
        assert len(closing.details["email_digest"]) == 64
        assert closing.details["supports_removed"] == 1
        assert closing.details["registrations_removed"] == 1


def test_a_wrong_password_or_no_confirmation_closes_nothing(app, client, auth):
    """The form is shown again with the reason, in Swedish and in English."""
    alfa = make_resident(app, "Alfa")
    auth.login(alfa.user)
    response = _close(client, password="not the password")
    assert response.status_code == 200
    assert "Lösenordet är fel." in response.get_data(as_text=True)
    response = _close(client, confirm="")
    assert response.status_code == 200
    client.get("/language/en")
    response = _close(client, password="not the password")
    assert "The password is wrong." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, alfa.user.id) is not None


def test_closing_needs_the_csrf_token(app, client, auth):
    """A POST without the form's token is refused and closes nothing."""
    alfa = make_resident(app, "Alfa")
    auth.login(alfa.user)
    response = client.post("/account/close", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code in (200, 400)
    with app.app_context():
        assert db.session.get(User, alfa.user.id) is not None


def test_a_staff_account_is_not_closed_by_its_holder(app, client, auth):
    """Staff (now, or once given a role) are deactivated by an admin instead, so the audit
    trail keeps who decided: the page explains, and a POST closes nothing."""
    editor = make_user(app, Role.EDITOR)
    auth.login(editor)
    page = client.get("/account/close").get_data(as_text=True)
    assert "har arbetat för kommunen" in page
    assert 'name="password"' not in page
    # The token from the layout's logout form: the refusal is the server's, not the missing form's.
    response = _close(client, source="/")
    assert response.status_code == 200
    assert "har arbetat för kommunen" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, editor.id) is not None
    # Given the role and then relieved of it: still the person behind the decisions.
    admin = make_user(app, Role.ADMIN)
    former = make_resident(app, "Tidigare")
    with app.app_context():
        from dialog.accounts import services

        holder, actor = db.session.get_one(User, former.user.id), db.session.get_one(User, admin.id)
        services.grant_role(holder, Role.EDITOR, actor)
        services.revoke_role(holder, Role.EDITOR, actor)
        db.session.commit()
    auth.logout()
    auth.login(former.user)
    assert _close(client, source="/").status_code == 200
    with app.app_context():
        assert db.session.get(User, former.user.id) is not None
    # A resident who never had a role closes theirs.
    resident = make_resident(app, "Invanare", slug=former.slug)
    auth.logout()
    auth.login(resident.user)
    assert _close(client).status_code == 302
    with app.app_context():
        assert db.session.get(User, resident.user.id) is None
