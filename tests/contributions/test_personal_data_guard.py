"""The personal-data guard in the residents' send flow: warned, edited, or sent anyway."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from dialog.contributions.models import Comment, Contribution, Proposal
from dialog.core.models import AuditEvent
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from tests.contributions.factories import (
    comment_form_tokens,
    comment_path,
    form_tokens,
    make_consultation,
    make_proposal,
)

PHONE_TEXT = "Ring mig på 070-123 45 67 om bänkarna vid ån."
PNR_TITLE = "Bänkar för 19850709-9805"


@pytest.fixture
def consultation(app):
    """An open online consultation that publishes at once (moderation after)."""
    return make_consultation(app)


def _rows(app, model=Proposal) -> list[Contribution]:
    with app.app_context():
        found = list(db.session.scalars(select(model).order_by(model.id)))
        db.session.expunge_all()
        return found


def _page(response) -> str:
    return response.get_data(as_text=True)


def _proposal_form(client, slug: str, **fields: str) -> tuple[str, dict[str, str]]:
    csrf, token = form_tokens(client, slug)
    data = {"csrf_token": csrf, "submission": token, "title": "Bänkar", "body": PHONE_TEXT}
    return f"/dialogues/{slug}/proposals/new", {**data, **fields}


def test_personal_data_warns_and_keeps_every_word(app, client, consultation):
    """A phone number in the text: the form comes back with the text and a clear warning."""
    path, data = _proposal_form(client, consultation.slug, title=PNR_TITLE, name="Anna")
    response = client.post(path, data=data)
    page = _page(response)
    assert response.status_code == 200
    assert _rows(app) == []
    assert "personuppgifter" in page
    assert "ett personnummer (19850709-9805)" in page
    assert "ett telefonnummer (070-123 45 67)" in page
    assert PNR_TITLE in page
    assert "Ring mig på 070-123 45 67 om bänkarna vid ån." in page
    assert 'value="Anna"' in page
    assert 'name="send_anyway"' in page
    assert f'value="{data["submission"]}"' in page  # the same one-time token


def test_the_warning_is_in_english_for_an_english_reader(app, client, consultation):
    """The warning and its button speak the reader's language."""
    client.set_cookie("lang", "en")
    path, data = _proposal_form(client, consultation.slug, body="Mail me: anna@example.se")
    page = _page(client.post(path, data=data))
    assert "seems to contain personal data: an email address (anna@example.se)" in page
    assert "Send anyway" in page


def test_the_form_without_findings_has_no_send_anyway(app, client, consultation):
    """The second button appears only once something was found."""
    page = _page(client.get(f"/dialogues/{consultation.slug}/proposals/new"))
    assert 'name="send_anyway"' not in page


def test_an_edited_text_without_personal_data_is_published_as_usual(app, client, consultation):
    """The resident takes the number out and sends again: published, nothing held."""
    path, data = _proposal_form(client, consultation.slug)
    client.post(path, data=data)
    response = client.post(path, data={**data, "body": "Fler bänkar vid ån, tack."})
    assert response.status_code == 302
    [proposal] = _rows(app)
    assert proposal.status == "published"
    assert proposal.personal_data_findings is None


def test_an_edited_text_with_personal_data_still_warns(app, client, consultation):
    """Sending again with a number still in it warns again (the plain button re-checks)."""
    path, data = _proposal_form(client, consultation.slug)
    client.post(path, data=data)
    again = client.post(path, data={**data, "body": "Mejla anna@example.se"})
    assert again.status_code == 200
    assert "en e-postadress (anna@example.se)" in _page(again)
    assert _rows(app) == []


def test_sent_anyway_waits_for_an_editor_in_after_mode(app, client, consultation):
    """Send anyway: stored pending whatever the mode, with the findings, and the receipt says so."""
    path, data = _proposal_form(client, consultation.slug, title=PNR_TITLE)
    client.post(path, data=data)
    response = client.post(path, data={**data, "send_anyway": "Skicka ändå"})
    assert response.status_code == 302
    [proposal] = _rows(app)
    assert proposal.status == "pending"
    assert proposal.published_at is None
    assert proposal.personal_data_findings == [
        {"kind": "personal_number", "field": "title", "start": 11, "end": 24},
        {"kind": "phone", "field": "body", "start": 12, "end": 25},
    ]
    assert proposal.body_text[12:25] == "070-123 45 67"
    receipt = _page(client.get(response.location))
    assert "Väntar" in receipt
    assert "Den kan innehålla personuppgifter, så en redaktör granskar den först." in receipt
    assert "Eftersom det kan innehålla personuppgifter granskar en redaktör det" in receipt
    listed = _page(client.get(f"/dialogues/{consultation.slug}/proposals"))
    assert proposal.reference not in listed
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "contribution_submitted")
        ).one()
        assert event.details["personal_data"] == ["personal_number", "phone"]
        assert event.details["status"] == "pending"
        # The trail keeps what happened, not the text: a number typed in the title stays out.
        assert PNR_TITLE not in str(event.details)
        assert "title" not in event.details


def test_send_anyway_twice_stays_one_input(app, client, consultation):
    """A double click on "Send anyway" stores one input and lands on the same receipt."""
    path, data = _proposal_form(client, consultation.slug)
    sent = {**data, "send_anyway": "1"}
    first, second = client.post(path, data=sent), client.post(path, data=sent)
    assert first.location == second.location
    assert len(_rows(app)) == 1


def test_the_warning_works_with_the_cleaning_confirmation(app, client, consultation):
    """Text bleach would cut is confirmed first, then personal data is warned about; both kept."""
    body = "Vi vill ha <fler bänkar> vid ån. Ring 08-123 456 78."
    path, data = _proposal_form(client, consultation.slug, body=body)
    first = _page(client.post(path, data=data))
    confirmation = re.search(r'name="confirm_cleaning" type="hidden" value="([^"]+)"', first)
    assert confirmation
    data["confirm_cleaning"] = confirmation.group(1)
    second = client.post(path, data=data)
    assert "ett telefonnummer (08-123 456 78)" in _page(second)
    assert f'value="{confirmation.group(1)}"' in _page(second)
    third = client.post(path, data={**data, "send_anyway": "1"})
    assert third.status_code == 302
    [proposal] = _rows(app)
    assert proposal.body_text == "Vi vill ha vid ån. Ring 08-123 456 78."
    assert proposal.personal_data_findings == [
        {"kind": "phone", "field": "body", "start": 24, "end": 37}
    ]


def test_the_limits_refuse_before_the_guard(app, client, consultation, monkeypatch):
    """Used-up limits answer 429 with the text, whatever the text holds."""
    monkeypatch.setitem(app.config, "SUBMISSION_LIMITS_PER_ADDRESS", "1/hour")
    path, data = _proposal_form(client, consultation.slug, body="Fler bänkar.")
    assert client.post(path, data=data).status_code == 302
    path, data = _proposal_form(client, consultation.slug)
    refused = client.post(path, data={**data, "send_anyway": "1"})
    assert refused.status_code == 429
    assert PHONE_TEXT in _page(refused)


def test_a_comment_with_personal_data_warns_then_waits(app, client, consultation):
    """A comment is warned the same way; sent anyway it waits and is not counted."""
    proposal = make_proposal(app, consultation.slug)
    csrf, token = comment_form_tokens(client, consultation.slug, proposal.id)
    path = comment_path(consultation.slug, proposal.id)
    data = {"csrf_token": csrf, "submission": token, "body": "Mejla anna@example.se"}
    warned = client.post(path, data=data)
    assert warned.status_code == 200
    assert "en e-postadress (anna@example.se)" in _page(warned)
    assert client.post(path, data={**data, "send_anyway": "1"}).status_code == 302
    [comment] = _rows(app, Comment)
    assert comment.status == "pending"
    assert comment.personal_data_findings == [
        {"kind": "email", "field": "body", "start": 6, "end": 21}
    ]
    with app.app_context():
        assert db.session.get(Proposal, proposal.id).comment_count == 0


def test_a_reply_with_personal_data_is_held_too(app, client, consultation):
    """A reply sent anyway with a coordination number waits for an editor."""
    proposal = make_proposal(app, consultation.slug)
    csrf, token = comment_form_tokens(client, consultation.slug, proposal.id)
    path = comment_path(consultation.slug, proposal.id)
    data = {"csrf_token": csrf, "submission": token, "body": "Bra förslag."}
    client.post(path, data=data)
    [top] = _rows(app, Comment)
    csrf, token = comment_form_tokens(client, consultation.slug, proposal.id, top.id)
    reply = {
        "csrf_token": csrf,
        "submission": token,
        "reply_to": str(top.id),
        "body": "Mitt samordningsnummer är 850769-9802.",
        "send_anyway": "1",
    }
    assert client.post(path, data=reply).status_code == 302
    held = _rows(app, Comment)[1]
    assert held.reply_to_id == top.id
    assert held.status == "pending"
    assert held.personal_data_findings[0]["kind"] == "coordination_number"


def test_before_mode_sent_anyway_also_waits(app, client, consultation):
    """In before-mode an input waits anyway; its findings are still kept for the editor."""
    with app.app_context():
        db.session.get(Dialogue, consultation.id).moderation = "before"
        db.session.commit()
    path, data = _proposal_form(client, consultation.slug)
    client.post(path, data={**data, "send_anyway": "1"})
    [proposal] = _rows(app)
    assert proposal.status == "pending"
    assert proposal.personal_data_findings is not None
