"""One input's moderation page: its history, and restoring, redacting, marking duplicates
and dismissing reports; what the public, the author and the API then see."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.core.models import AuditEvent, OutboxMessage
from dialog.extensions import db
from dialog.moderation.models import ModerationDecision
from tests.contributions.factories import make_comment, make_proposal
from tests.helpers import csrf_token, last_mail_to, make_user
from tests.moderation.factories import get, login_editor, make_queue, report

PHONE_TEXT = "<p>Ring mig på 070-123 45 67 om bänkarna.</p>"


def _post(client, contribution_id: int, action: str, **data: str):  # noqa: ANN001, ANN202
    path = f"/moderation/inputs/{contribution_id}"
    token = csrf_token(client, path)
    return client.post(f"{path}/{action}", data={"csrf_token": token, **data})


def _actions(app: Flask, contribution_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent.action)
                .where(
                    AuditEvent.subject_type == "contribution",
                    AuditEvent.subject_id == contribution_id,
                )
                .order_by(AuditEvent.id)
            )
        )


def _decisions(app: Flask, contribution_id: int) -> list[tuple[str, str | None, int | None]]:
    with app.app_context():
        rows = db.session.execute(
            select(
                ModerationDecision.action, ModerationDecision.reason, ModerationDecision.actor_id
            )
            .where(ModerationDecision.contribution_id == contribution_id)
            .order_by(ModerationDecision.id)
        )
        return [tuple(row) for row in rows]


def test_the_input_page_shows_text_contact_reports_and_history(app, client):
    """Editors see the original text, the sender, the reports and who decided what."""
    queue = make_queue(app, 0)
    proposal = make_proposal(app, queue.dialogue.slug, email="anna@example.se")
    report(app, proposal.id, "personal_data")
    editor = login_editor(app, client)
    _post(client, proposal.id, "hide", **{"hide-reason": "personal_data", "hide-note": "Nr."})
    html = client.get(f"/moderation/inputs/{proposal.id}").get_data(as_text=True)
    assert "anna@example.se" in html
    assert "Fler bänkar längs ån" in html
    assert "Personuppgifter" in html  # the report's and the decision's reason
    assert "contribution_hidden" in html
    assert "status=published" in html
    assert "status=hidden" in html
    assert "Test Person" in html  # the editor who decided (staff see who)
    assert _decisions(app, proposal.id) == [("hide", "personal_data", editor.id)]


def test_restore_shows_a_hidden_input_again(app, client):
    """Restoring publishes a hidden input again, with its decision and audit entry."""
    queue = make_queue(app, 0)
    proposal = make_proposal(app, queue.dialogue.slug)
    editor = login_editor(app, client)
    _post(client, proposal.id, "hide", **{"hide-reason": "offensive"})
    response = _post(client, proposal.id, "restore")
    assert response.status_code == 302
    assert response.location.endswith("/moderation#waiting")
    found = get(app, proposal.id)
    assert (found.status, found.moderation_reason, found.hidden_reason) == ("published", None, None)
    assert _decisions(app, proposal.id)[-1] == ("restore", None, editor.id)
    assert _actions(app, proposal.id)[-1] == "contribution_restored"


def test_a_rejected_input_can_be_published_after_all(app, client):
    """Restoring a rejected input publishes it."""
    queue = make_queue(app, 1)
    target = queue.pending[0].id
    login_editor(app, client)
    _post(client, target, "reject", **{"reject-reason": "other", "reject-note": "Oklart."})
    assert get(app, target).status == "rejected"
    _post(client, target, "restore")
    assert get(app, target).status == "published"


def test_a_rejection_needs_a_reason_and_keeps_the_note(app, client):
    """Without a reason the form comes back with the message and the note typed."""
    queue = make_queue(app, 1)
    login_editor(app, client)
    response = _post(client, queue.pending[0].id, "reject", **{"reject-note": "Min anteckning"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Välj ett skäl i listan." in html
    assert "Min anteckning" in html
    assert get(app, queue.pending[0].id).status == "pending"


def test_redaction_is_what_the_public_sees_and_editors_keep_the_original(app, client):
    """The public pages, the API and the receipt show the redacted text; editors both."""
    queue = make_queue(app, 0)
    proposal = make_proposal(
        app, queue.dialogue.slug, title="Ring 070-123 45 67", body=PHONE_TEXT, send_anyway=True
    )
    editor = login_editor(app, client)
    response = _post(
        client,
        proposal.id,
        "redact",
        **{
            "redact-title": "Ring [borttaget]",
            "redact-body": "<p>Ring mig på [borttaget] om bänkarna.</p><script>x()</script>",
        },
    )
    assert response.status_code == 302
    found = get(app, proposal.id)
    assert found.redacted_body_html == "<p>Ring mig på [borttaget] om bänkarna.</p>x()"
    assert found.body_html == PHONE_TEXT  # the original is kept
    assert _decisions(app, proposal.id) == [("redact", None, editor.id)]
    event_actions = _actions(app, proposal.id)
    assert event_actions[-1] == "contribution_redacted"
    editor_page = client.get(f"/moderation/inputs/{proposal.id}").get_data(as_text=True)
    assert "070-123 45 67" in editor_page
    assert "[borttaget]" in editor_page
    visitor = app.test_client()
    slug = queue.dialogue.slug
    for path in (
        f"/dialogues/{slug}/proposals/{proposal.id}",
        f"/dialogues/{slug}/proposals",
        f"/api/v1/contributions?dialogue={slug}",
        f"/receipt/{proposal.receipt_token}",
    ):
        page = visitor.get(path).get_data(as_text=True)
        assert "[borttaget]" in page, path
        assert "070-123" not in page, path
    data = visitor.get(f"/api/v1/contributions?dialogue={slug}").get_json()
    [item] = [item for item in data["results"] if item["id"] == proposal.id]
    assert item["title"] == "Ring [borttaget]"
    assert "[borttaget]" in item["text"]


def test_redacting_a_plain_note_keeps_it_plain(app, client):
    """A workshop note's redaction is plain text, stored as typed and escaped."""
    from tests.dialogues.factories import make_note

    queue = make_queue(app, 0)
    note_id = make_note(app, queue.dialogue, "Ring <Eva> på 070-1234567")
    report(app, note_id)
    login_editor(app, client)
    _post(client, note_id, "redact", **{"redact-body": "Ring <Eva> på [borttaget]"})
    found = get(app, note_id)
    assert found.redacted_body_text == "Ring <Eva> på [borttaget]"
    assert found.redacted_body_html == "Ring &lt;Eva&gt; på [borttaget]"
    assert found.report_count == 0


def test_redacting_nothing_is_refused_and_the_original_undoes_it(app, client):
    """The same text is refused; given back after a redaction, it undoes it."""
    queue = make_queue(app, 1)
    target = queue.pending[0].id
    login_editor(app, client)
    original = get(app, target)
    response = _post(
        client,
        target,
        "redact",
        **{"redact-title": original.title, "redact-body": original.body_html},
    )
    assert response.status_code == 400
    assert "Inget ströks" in response.get_data(as_text=True)
    _post(client, target, "redact", **{"redact-title": "X", "redact-body": "<p>Y</p>"})
    assert get(app, target).is_redacted
    _post(
        client,
        target,
        "redact",
        **{"redact-title": original.title, "redact-body": original.body_html},
    )
    assert not get(app, target).is_redacted


def test_a_duplicate_leads_to_its_original(app, client):
    """Marked as a duplicate (by reference), a proposal's page redirects to the original."""
    queue = make_queue(app, 0)
    original = make_proposal(app, queue.dialogue.slug, title="Originalet")
    copy = make_proposal(app, queue.dialogue.slug, title="Kopian", email="kopia@example.se")
    editor = login_editor(app, client)
    response = _post(
        client, copy.id, "duplicate", **{"duplicate-reference": original.reference.lower()}
    )
    assert response.status_code == 302
    found = get(app, copy.id)
    assert (found.duplicate_of_id, found.status, found.moderation_reason) == (
        original.id,
        "hidden",
        "duplicate",
    )
    assert _decisions(app, copy.id) == [("duplicate", "duplicate", editor.id)]
    visitor = app.test_client()
    slug = queue.dialogue.slug
    page = visitor.get(f"/dialogues/{slug}/proposals/{copy.id}")
    assert page.status_code == 302
    assert page.location.endswith(f"/dialogues/{slug}/proposals/{original.id}")
    assert "Kopian" not in visitor.get(f"/dialogues/{slug}/proposals").get_data(as_text=True)
    receipt = visitor.get(f"/receipt/{copy.receipt_token}").get_data(as_text=True)
    assert original.reference in receipt
    assert original.reference in last_mail_to(app, "kopia@example.se").body


def test_a_duplicate_comment_leads_to_its_original(app, client):
    """A comment marked as a duplicate: its address and reference lead to the original."""
    queue = make_queue(app, 0)
    proposal = make_proposal(app, queue.dialogue.slug)
    original = make_comment(app, proposal.id, "Första gången", published=True)
    copy = make_comment(app, proposal.id, "Andra gången", published=True)
    login_editor(app, client)
    response = _post(client, copy.id, "duplicate", **{"duplicate-reference": original.reference})
    assert response.status_code == 302
    visitor = app.test_client()
    for path in (f"/comments/{copy.id}", f"/inputs/{copy.reference}"):
        page = visitor.get(path)
        assert page.status_code == 302
        assert page.location.endswith(f"/comments/{original.id}")
    assert visitor.get(f"/comments/{original.id}").status_code == 302
    # Hidden for a reason of its own, a comment is simply not there.
    _post(client, original.id, "hide", **{"hide-reason": "offensive"})
    assert visitor.get(f"/comments/{copy.id}").status_code == 404
    assert visitor.get(f"/comments/{original.id}").status_code == 404


def test_a_duplicate_needs_a_known_other_reference(app, client):
    """An unknown reference, or the input's own, is refused on the form."""
    queue = make_queue(app, 1)
    target = queue.pending[0]
    login_editor(app, client)
    response = _post(client, target.id, "duplicate", **{"duplicate-reference": "DLG-1999-00001"})
    assert "Inget inlägg har det diarienumret." in response.get_data(as_text=True)
    response = _post(client, target.id, "duplicate", **{"duplicate-reference": target.reference})
    assert "kan inte upprepa sig självt" in response.get_data(as_text=True)
    assert get(app, target.id).status == "pending"


def test_dismissing_reports_keeps_the_input_and_restores_one_hidden_by_them(app, client):
    """Dismissed reports are resolved; an input the threshold hid is shown again."""
    queue = make_queue(app, 0)
    proposal = make_proposal(app, queue.dialogue.slug)
    report(app, proposal.id, times=3)
    with app.app_context():  # as the report threshold hides it
        from dialog.contributions.models import Contribution
        from dialog.contributions.services import hide_contribution

        found = db.session.get_one(Contribution, proposal.id)
        hide_contribution(found, "Anmäld", None, code="reported")
        db.session.commit()
    editor = login_editor(app, client)
    assert proposal.reference in client.get("/moderation").get_data(as_text=True)
    _post(client, proposal.id, "dismiss")
    found = get(app, proposal.id)
    assert (found.status, found.report_count, found.needs_review) == ("published", 0, False)
    assert _decisions(app, proposal.id) == [("dismiss_reports", None, editor.id)]
    assert _actions(app, proposal.id)[-1] == "reports_dismissed"
    assert proposal.reference not in client.get("/moderation").get_data(as_text=True)


def test_the_receipt_shows_the_decision_and_how_to_improve(app, client):
    """The author's receipt says rejected, the reason's label, the note and a new form link."""
    queue = make_queue(app, 1)
    target = queue.pending[0]
    login_editor(app, client)
    _post(
        client, target.id, "reject", **{"reject-reason": "off_topic", "reject-note": "Fel dialog."}
    )
    visitor = app.test_client()
    html = visitor.get(f"/receipt/{target.receipt_token}").get_data(as_text=True)
    assert "Skäl: Handlar inte om dialogen" in html
    assert "Fel dialog." in html
    assert f"/dialogues/{queue.dialogue.slug}/proposals/new" in html
    visitor.get("/language/en")
    html = visitor.get(f"/receipt/{target.receipt_token}").get_data(as_text=True)
    assert "Reason: Not about the dialogue" in html
    assert "Send a new proposal" in html


def test_the_author_with_an_account_is_told_in_their_language(app, client):
    """An account's address and language are used for the mail about the decision."""
    author = make_user(app, locale="en", email="author@example.se")
    queue = make_queue(app, 0)
    proposal = make_proposal(app, queue.dialogue.slug, user_id=author.id, published=False)
    login_editor(app, client)
    _post(client, proposal.id, "reject", **{"reject-reason": "commercial"})
    mail = last_mail_to(app, "author@example.se")
    assert mail.subject == f"A decision on your input {proposal.reference}"
    assert "Reason: Advertising or commercial" in mail.body
    assert "send an improved version" in mail.body


def test_no_mail_without_an_address(app, client):
    """An input sent without an email or an account is decided without a mail."""
    queue = make_queue(app, 1)
    login_editor(app, client)
    with app.app_context():
        before = db.session.scalar(select(db.func.count(OutboxMessage.id)))
    _post(client, queue.pending[0].id, "publish")
    with app.app_context():
        assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == before


def test_a_comment_on_the_input_page_names_its_proposal(app, client):
    """A comment's page names the proposal it is on; publishing counts it on the proposal."""
    queue = make_queue(app, 0)
    proposal = make_proposal(app, queue.dialogue.slug, title="Förslaget")
    comment = make_comment(app, proposal.id)
    login_editor(app, client)
    html = client.get(f"/moderation/inputs/{comment.id}").get_data(as_text=True)
    assert "Förslaget" in html
    _post(client, comment.id, "publish")
    assert get(app, proposal.id).comment_count == 1


def test_unknown_inputs_and_actions_are_404(app, client):
    """No such input, or no such action, is a 404."""
    queue = make_queue(app, 1)
    login_editor(app, client)
    assert client.get("/moderation/inputs/999999").status_code == 404
    assert _post(client, queue.pending[0].id, "delete").status_code == 404


@pytest.mark.parametrize("role", [Role.POLITICIAN, Role.FACILITATOR])
def test_politicians_and_facilitators_cannot_see_the_input_page(app, client, role):
    """The page with contact details is for editors and admins only."""
    queue = make_queue(app, 1, email="hemlig@example.se")
    login_editor(app, client, role)
    response = client.get(f"/moderation/inputs/{queue.pending[0].id}")
    assert response.status_code == 403
    assert "hemlig@example.se" not in response.get_data(as_text=True)


def test_the_input_page_costs_a_bounded_number_of_queries(app, client, count_queries):
    """The input page's queries do not grow with its reports and history."""
    queue = make_queue(app, 0)
    proposal = make_proposal(app, queue.dialogue.slug)
    report(app, proposal.id)
    login_editor(app, client)
    path = f"/moderation/inputs/{proposal.id}"
    _post(client, proposal.id, "hide", **{"hide-reason": "offensive"})
    client.get(path)
    with count_queries() as few:
        client.get(path)
    report(app, proposal.id, times=5)
    for _ in range(3):
        _post(client, proposal.id, "hide", **{"hide-reason": "offensive"})
        _post(client, proposal.id, "restore")
    with count_queries() as many:
        client.get(path)
    assert len(many) == len(few), many


@pytest.mark.commits
def test_a_hidden_input_leaves_every_cached_page_at_once(app):
    """A cached public page stops showing an input the moment an editor hides it, and the
    queue's kept counts follow the change."""
    app.config["PAGE_CACHE_SECONDS"] = 30
    try:
        queue = make_queue(app, 1)
        proposal = make_proposal(app, queue.dialogue.slug, title="Syns tills vidare")
        visitor = app.test_client(use_cookies=False)
        path = f"/dialogues/{queue.dialogue.slug}/proposals"
        assert "Syns tills vidare" in visitor.get(path).get_data(as_text=True)
        assert "Syns tills vidare" in visitor.get(path).get_data(as_text=True)  # cached now
        editor = app.test_client()
        login_editor(app, editor)
        assert "1 inlägg väntar" in editor.get("/moderation").get_data(as_text=True)
        token = csrf_token(editor, f"/moderation/inputs/{proposal.id}")
        editor.post(
            f"/moderation/inputs/{proposal.id}/hide",
            data={"csrf_token": token, "hide-reason": "personal_data"},
        )
        assert "Syns tills vidare" not in visitor.get(path).get_data(as_text=True)
        editor.post(
            "/moderation/decide",
            data={
                "csrf_token": csrf_token(editor, "/moderation"),
                "one": f"publish:{queue.pending[0].id}",
            },
        )
        assert "Inget väntar" in editor.get("/moderation").get_data(as_text=True)
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 0


def test_mail_and_messages_have_no_stray_placeholders(app, client):
    """Every mail about a decision is filled in (no {placeholder} left)."""
    queue = make_queue(app, 2, email="skribent@example.se")
    login_editor(app, client)
    _post(client, queue.pending[0].id, "reject", **{"reject-reason": "duplicate"})
    body = last_mail_to(app, "skribent@example.se").body
    assert not re.search(r"\{\w+\}", body)
