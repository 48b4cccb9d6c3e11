"""Residents report published inputs: the form, one report per account, the limits, the
threshold that hides an input until an editor decides, and the reporters' anonymity."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from dialog.contributions import services
from dialog.contributions.models import Contribution, Proposal
from dialog.core.cache import MemoryStore
from dialog.core.models import AuditEvent
from dialog.extensions import db
from dialog.moderation.models import Flag, ModerationDecision
from tests.contributions.factories import make_comment, make_consultation, make_proposal
from tests.dialogues.factories import make_note
from tests.helpers import AuthActions, csrf_token, make_user, post_form
from tests.pages.factories import make_page_comment


@pytest.fixture
def consultation(app):
    """An open online consultation that publishes at once."""
    return make_consultation(app)


@pytest.fixture
def proposal(app, consultation):
    """A published proposal sent without an account."""
    return make_proposal(app, consultation.slug)


def _path(contribution_id: int) -> str:
    return f"/inputs/{contribution_id}/report"


def _report(client, contribution_id: int, reason: str = "offensive", note: str = ""):
    return post_form(client, _path(contribution_id), {"reason": reason, "note": note})


def _flags(app) -> list[Flag]:
    with app.app_context():
        flags = list(db.session.scalars(select(Flag).order_by(Flag.id)))
        db.session.expunge_all()
        return flags


def _input(app, contribution_id: int) -> Contribution:
    with app.app_context():
        found = db.session.get(Contribution, contribution_id)
        db.session.expunge_all()
        return found


def _logged_in(app, name: str = "Test Person"):
    client = app.test_client()
    AuthActions(client).login(make_user(app, name=name))
    return client


def test_a_visitor_reports_a_proposal_and_is_thanked(app, client, proposal):
    """Without an account: the reasons are offered, the report is stored and counted."""
    form = client.get(_path(proposal.id)).get_data(as_text=True)
    assert "Anmäl ett bidrag" in form
    assert 'value="offensive"' in form
    assert 'value="personal_data"' in form
    assert 'value="reported"' not in form
    response = _report(client, proposal.id, "personal_data", "Det står ett telefonnummer.")
    assert response.status_code == 302
    thanks = client.get(response.location).get_data(as_text=True)
    assert "Tack för din anmälan" in thanks
    [flag] = _flags(app)
    assert (flag.reason, flag.note, flag.reporter_id) == (
        "personal_data",
        "Det står ett telefonnummer.",
        None,
    )
    assert flag.resolved_at is None
    assert _input(app, proposal.id).report_count == 1
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "contribution_reported")
        ).one()
        assert event.subject_id == proposal.id
        assert event.details["reason"] == "personal_data"


def test_the_form_and_thanks_speak_english(app, client, proposal):
    """The form, the reasons and the thank-you page in English for an English reader."""
    client.set_cookie("lang", "en")
    page = client.get(_path(proposal.id)).get_data(as_text=True)
    assert "Report an input" in page
    assert "Offensive or abusive" in page
    response = _report(client, proposal.id)
    assert "Thank you for your report" in client.get(response.location).get_data(as_text=True)


def test_one_report_per_account_and_input(app, proposal):
    """A second report of the same input by the same account is refused, not counted."""
    resident = _logged_in(app)
    assert _report(resident, proposal.id).status_code == 302
    again = _report(resident, proposal.id, "other", "Igen")
    assert again.status_code == 200
    assert "Du har redan anmält det här bidraget" in again.get_data(as_text=True)
    assert "Igen" in again.get_data(as_text=True)
    assert len(_flags(app)) == 1
    assert _input(app, proposal.id).report_count == 1


def test_a_visitor_cannot_report_the_same_input_twice_from_one_address(app, client, proposal):
    """Per address and input: one report a day, so one visitor cannot hide it alone."""
    assert _report(client, proposal.id).status_code == 302
    again = app.test_client()  # another visitor behind the same address
    refused = _report(again, proposal.id, note="Min text")
    assert refused.status_code == 429
    assert "Min text" in refused.get_data(as_text=True)
    assert len(_flags(app)) == 1


def test_the_address_limit_refuses_with_429(app, consultation):
    """Many reports from one address in a minute are refused, with the form kept."""
    ids = [make_proposal(app, consultation.slug, title=f"Förslag {n}").id for n in range(6)]
    for contribution_id in ids[:5]:
        assert _report(app.test_client(), contribution_id).status_code == 302
    refused = _report(app.test_client(), ids[5])
    assert refused.status_code == 429
    assert "många anmälningar" in refused.get_data(as_text=True)


@pytest.mark.parametrize(("reason", "note"), [("", ""), ("nonsense", ""), ("reported", "")])
def test_a_reason_must_be_one_of_the_list(app, client, proposal, reason, note):
    """No reason, an unknown one or the threshold's own: refused with a message, nothing stored."""
    response = _report(client, proposal.id, reason, note)
    assert response.status_code == 200
    assert "Välj varför du anmäler det" in response.get_data(as_text=True)
    assert _flags(app) == []


def test_a_note_too_long_is_refused_and_kept(app, client, proposal):
    """A note past its limit comes back on the form."""
    response = _report(client, proposal.id, note="x" * 1_001)
    assert response.status_code == 200
    assert "x" * 1_001 in response.get_data(as_text=True)
    assert _flags(app) == []


def test_a_report_needs_the_csrf_token(app, client, proposal):
    """A POST without the form's token is refused."""
    response = client.post(_path(proposal.id), data={"reason": "offensive"})
    assert response.status_code == 400
    assert _flags(app) == []


def test_at_the_threshold_the_input_is_hidden_until_an_editor_decides(app, proposal):
    """The third open report hides it, as no person, with a decision and an audit entry."""
    for number in range(3):
        assert _report(_logged_in(app), proposal.id).status_code == 302
        assert _input(app, proposal.id).status == ("hidden" if number == 2 else "published")
    hidden = _input(app, proposal.id)
    assert hidden.report_count == 3
    assert hidden.moderation_reason == "reported"
    assert hidden.hidden_by_id is None
    with app.app_context():
        [decision] = db.session.scalars(select(ModerationDecision)).all()
        assert (decision.action, decision.reason, decision.actor_id) == ("hide", "reported", None)
        assert decision.contribution_id == proposal.id
        assert decision.submitted_at == hidden.created_at
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "contribution_hidden")
        ).one()
        assert event.actor_id is None
    visitor = app.test_client()
    slug = _slug(app, proposal.id)
    assert visitor.get(f"/dialogues/{slug}/proposals/{proposal.id}").status_code == 404
    assert visitor.get(_path(proposal.id)).status_code == 404


def test_the_threshold_hide_and_its_reason_are_one_audited_change(app, proposal, monkeypatch):
    """The hiding's audit entry shows the reason and the status change, before and after."""
    monkeypatch.setitem(app.config, "REPORTS_TO_HIDE", 2)
    _report(_logged_in(app), proposal.id)
    _report(_logged_in(app), proposal.id)
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "contribution_hidden")
        ).all()
        before, after = event.details["before"], event.details["after"]
        assert (before["status"], before["moderation_reason"]) == ("published", None)
        assert (after["status"], after["moderation_reason"]) == ("hidden", "reported")
        assert after["moderation_note"] is None


def test_the_threshold_is_configurable(app, proposal, monkeypatch):
    """DIALOG_REPORTS_TO_HIDE: here the first report hides it."""
    monkeypatch.setitem(app.config, "REPORTS_TO_HIDE", 1)
    _report(app.test_client(), proposal.id)
    assert _input(app, proposal.id).status == "hidden"


def test_a_comment_hidden_by_reports_leaves_its_proposals_count(app, proposal, monkeypatch):
    """Hidden through the contribution service: the proposal's comment count follows."""
    comment = make_comment(app, proposal.id, published=True)
    assert _input(app, proposal.id).comment_count == 1
    monkeypatch.setitem(app.config, "REPORTS_TO_HIDE", 2)
    _report(_logged_in(app), comment.id)
    _report(_logged_in(app), comment.id)
    assert _input(app, comment.id).status == "hidden"
    assert _input(app, proposal.id).comment_count == 0
    assert app.test_client().get(f"/comments/{comment.id}").status_code == 404


def test_reporters_stay_anonymous_to_the_public(app, proposal):
    """Neither the public pages nor the author's receipt show who reported."""
    reporter = _logged_in(app, name="Rapportör Ruth")
    _report(reporter, proposal.id, note="Ruths anteckning")
    slug = _slug(app, proposal.id)
    public = app.test_client().get(f"/dialogues/{slug}/proposals/{proposal.id}")
    receipt = app.test_client().get(f"/receipt/{proposal.receipt_token}")
    for page in (public, receipt):
        text = page.get_data(as_text=True)
        assert "Ruth" not in text
    assert "Ruth" not in reporter.get(f"/dialogues/{slug}/proposals/{proposal.id}").get_data(
        as_text=True
    )


def _slug(app, contribution_id: int) -> str:
    with app.app_context():
        found = db.session.get(Contribution, contribution_id)
        return found.dialogue.slug


def test_only_published_public_inputs_can_be_reported(app, client, consultation):
    """Waiting, withdrawn, notes, page comments and unknown ids: 404 for the form and thanks."""
    waiting = make_proposal(app, consultation.slug, title="Väntar", published=False)
    withdrawn = make_proposal(app, consultation.slug, title="Återtaget")
    note = make_note(app, consultation, "En anteckning")
    page_comment = make_page_comment(app, f"/dialogues/{consultation.slug}")
    with app.test_request_context(method="POST"):
        services.withdraw_contribution(db.session.get(Proposal, withdrawn.id), None, "receipt")
        db.session.get(Proposal, waiting.id).status = "pending"  # the dialogue checks first
        db.session.commit()
    token = csrf_token(client, "/login")
    for contribution_id in (waiting.id, withdrawn.id, note, page_comment, 999_999):
        assert client.get(_path(contribution_id)).status_code == 404
        sent = client.post(_path(contribution_id), data={"csrf_token": token, "reason": "other"})
        assert sent.status_code == 404
        assert client.get(f"{_path(contribution_id)}/thanks").status_code == 404
    assert _flags(app) == []


def test_a_comment_on_a_hidden_proposal_cannot_be_reported(app, client, proposal, monkeypatch):
    """A comment no longer shown (its proposal hidden by reports) is a 404."""
    comment = make_comment(app, proposal.id, published=True)
    monkeypatch.setitem(app.config, "REPORTS_TO_HIDE", 1)
    _report(client, proposal.id)
    assert client.get(_path(comment.id)).status_code == 404


def test_a_comment_can_be_reported_and_a_reply_too(app, client, proposal):
    """A published comment and a published reply on a published proposal can be reported."""
    comment = make_comment(app, proposal.id, published=True)
    reply = make_comment(app, proposal.id, "Håller med.", reply_to=comment.id, published=True)
    assert _report(client, comment.id).status_code == 302
    assert _report(app.test_client(), reply.id).status_code in (302, 429)
    assert _input(app, comment.id).report_count == 1


def test_the_report_form_costs_the_same_queries_every_time(app, client, proposal, count_queries):
    """The form's page reads a fixed number of rows."""
    with count_queries() as first:
        client.get(_path(proposal.id))
    _report(client, proposal.id)
    with count_queries() as second:
        client.get(_path(proposal.id))
    assert len(second) == len(first) <= 6


@pytest.fixture
def cache_on(app: Flask) -> Iterator[Flask]:
    """The page cache on, in this process's memory."""
    saved = app.extensions["page_cache"]
    app.extensions["page_cache"] = MemoryStore()
    app.config["PAGE_CACHE_SECONDS"] = 30
    yield app
    app.extensions["page_cache"].clear()
    app.extensions["page_cache"] = saved
    app.config["PAGE_CACHE_SECONDS"] = 0


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_an_input_hidden_by_reports_is_not_served_from_the_cache(cache_on):
    """The proposal's page, cached for visitors, is a 404 on the next request once hidden."""
    consultation = make_consultation(cache_on)
    proposal = make_proposal(cache_on, consultation.slug, title="Syns i cachen")
    path = f"/dialogues/{consultation.slug}/proposals/{proposal.id}"
    visitor = cache_on.test_client()
    assert "Syns i cachen" in visitor.get(path).get_data(as_text=True)
    assert "Syns i cachen" in visitor.get(path).get_data(as_text=True)  # from the cache
    listed = visitor.get(f"/dialogues/{consultation.slug}/proposals").get_data(as_text=True)
    assert "Syns i cachen" in listed
    for _number in range(3):
        assert _report(_logged_in(cache_on), proposal.id).status_code == 302
    assert visitor.get(path).status_code == 404
    listed = visitor.get(f"/dialogues/{consultation.slug}/proposals").get_data(as_text=True)
    assert "Syns i cachen" not in listed


def test_the_report_link_is_on_the_proposal_and_its_comments(app, client, proposal):
    """The public proposal page links to the report form for the proposal and each comment."""
    comment = make_comment(app, proposal.id, published=True)
    slug = _slug(app, proposal.id)
    page = client.get(f"/dialogues/{slug}/proposals/{proposal.id}").get_data(as_text=True)
    assert f'href="{_path(proposal.id)}"' in page
    assert f'href="{_path(comment.id)}"' in page
    assert re.search(r">\s*Anmäl", page)
