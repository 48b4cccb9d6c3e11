"""The editors' moderation queue and its decisions on one input or a selection."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.contributions.models import Contribution
from dialog.core.models import AuditEvent
from dialog.extensions import db
from dialog.moderation.models import Flag, ModerationDecision
from tests.contributions.factories import make_comment, make_consultation, make_proposal
from tests.helpers import csrf_token, last_mail_to
from tests.moderation.factories import get, login_editor, make_queue, report


def _decide(client, data: dict[str, object]):  # noqa: ANN001, ANN202
    token = csrf_token(client, "/moderation")
    return client.post("/moderation/decide", data={"csrf_token": token, **data})


def _decisions(app, contribution_id: int) -> list[ModerationDecision]:  # noqa: ANN001
    with app.app_context():
        found = list(
            db.session.scalars(
                select(ModerationDecision).where(
                    ModerationDecision.contribution_id == contribution_id
                )
            )
        )
        db.session.expunge_all()
        return found


def _audit(app, contribution_id: int) -> list[AuditEvent]:  # noqa: ANN001
    with app.app_context():
        found = list(
            db.session.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.subject_type == "contribution",
                    AuditEvent.subject_id == contribution_id,
                )
                .order_by(AuditEvent.id)
            )
        )
        db.session.expunge_all()
        return found


def test_the_queue_lists_waiting_inputs_oldest_first_with_the_count(app, client):
    """Waiting proposals are listed oldest first, with how many wait."""
    queue = make_queue(app, 3, email="skribent@example.se")
    login_editor(app, client)
    page = client.get("/moderation")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "3 inlägg väntar på beslut." in html
    positions = [html.index(info.reference) for info in queue.pending]
    assert positions == sorted(positions)
    assert "skribent@example.se" in html  # editors see contact details


def test_reported_inputs_come_first(app, client):
    """A published input with open reports comes before the older waiting ones."""
    queue = make_queue(app, 2)
    reported = make_proposal(app, queue.dialogue.slug, title="Anmält")
    report(app, reported.id, "offensive", times=2)
    login_editor(app, client)
    html = client.get("/moderation").get_data(as_text=True)
    assert html.index(reported.reference) < html.index(queue.pending[0].reference)
    assert "Anmält 2 gånger" in html
    assert "Kränkande eller stötande (2)" in html


def test_after_mode_published_inputs_wait_for_review(app, client):
    """In a dialogue moderated afterwards, a published input waits until it is reviewed."""
    dialogue = make_consultation(app)
    proposal = make_proposal(app, dialogue.slug, published=False)
    assert get(app, proposal.id).status == "published"
    editor = login_editor(app, client)
    assert proposal.reference in client.get("/moderation").get_data(as_text=True)
    response = _decide(client, {"one": f"publish:{proposal.id}"})
    assert response.status_code == 302
    found = get(app, proposal.id)
    assert (found.status, found.needs_review) == ("published", False)
    assert proposal.reference not in client.get("/moderation").get_data(as_text=True)
    [decision] = _decisions(app, proposal.id)
    assert (decision.action, decision.actor_id) == ("publish", editor.id)
    assert _audit(app, proposal.id)[-1].action == "contribution_reviewed"


def test_filters_narrow_the_queue(app, client):
    """Dialogue, kind, reported and personal-data filters each narrow the list."""
    queue = make_queue(app, 2)
    other = make_queue(app, 1)
    with app.app_context():
        found = db.session.get_one(Contribution, queue.pending[1].id)
        found.personal_data_findings = [{"kind": "phone", "field": "body", "start": 0, "end": 4}]
        db.session.commit()
    login_editor(app, client)
    html = client.get(f"/moderation?dialogue={other.dialogue.id}").get_data(as_text=True)
    assert other.pending[0].reference in html
    assert queue.pending[0].reference not in html
    html = client.get("/moderation?personal=1").get_data(as_text=True)
    assert queue.pending[1].reference in html
    assert queue.pending[0].reference not in html
    assert "<mark" in html
    assert "1 inlägg väntar" in html
    html = client.get("/moderation?flagged=1").get_data(as_text=True)
    assert "Inget väntar" in html
    html = client.get("/moderation?kind=comment&dialogue=x&page=-1").get_data(as_text=True)
    assert "Inget väntar" in html


def test_findings_are_highlighted_in_the_text(app, client):
    """The personal-data guard's spans are marked in the escaped text."""
    queue = make_queue(app, 1)
    with app.app_context():
        found = db.session.get_one(Contribution, queue.pending[0].id)
        found.body_text = "Ring <mig> på 070-123 45 67"
        found.personal_data_findings = [{"kind": "phone", "field": "body", "start": 14, "end": 27}]
        db.session.commit()
    login_editor(app, client)
    html = client.get("/moderation").get_data(as_text=True)
    assert 'Ring &lt;mig&gt; på <mark title="ett telefonnummer">070-123 45 67</mark>' in html


def test_publish_one_from_the_queue(app, client):
    """The quick button publishes, records the decision and the audit entry."""
    queue = make_queue(app, 2, email="skribent@example.se")
    editor = login_editor(app, client)
    target = queue.pending[0]
    response = _decide(client, {"one": f"publish:{target.id}"})
    assert response.status_code == 302
    assert response.location.endswith("/moderation#waiting")
    found = get(app, target.id)
    assert (found.status, found.needs_review) == ("published", False)
    [decision] = _decisions(app, target.id)
    assert (decision.action, decision.actor_id, decision.dialogue_id) == (
        "publish",
        editor.id,
        queue.dialogue.id,
    )
    event = _audit(app, target.id)[-1]
    assert event.action == "contribution_published"
    assert event.details["before"]["status"] == "pending"
    assert event.details["after"]["status"] == "published"
    assert "publicerat" in last_mail_to(app, "skribent@example.se").body
    html = client.get(response.location).get_data(as_text=True)
    assert "1 inlägg avgjort." in html
    assert "1 inlägg väntar" in html


def test_bulk_reject_with_reason_and_note(app, client):
    """A selection is rejected with one reason and note; each author is told."""
    queue = make_queue(app, 3, email="skribent@example.se")
    editor = login_editor(app, client)
    chosen = [queue.pending[0].id, queue.pending[2].id]
    response = _decide(
        client,
        {
            "ids": [str(number) for number in chosen],
            "action": "reject",
            "reason": "off_topic",
            "note": "Skicka gärna till rätt dialog.",
        },
    )
    assert response.status_code == 302
    for number in chosen:
        found = get(app, number)
        assert (found.status, found.moderation_reason) == ("rejected", "off_topic")
        assert found.moderation_note == "Skicka gärna till rätt dialog."
        [decision] = _decisions(app, number)
        assert (decision.action, decision.reason, decision.actor_id) == (
            "reject",
            "off_topic",
            editor.id,
        )
        event = _audit(app, number)[-1]
        assert event.action == "contribution_rejected"
        assert event.details["after"]["moderation_reason"] == "off_topic"
    assert get(app, queue.pending[1].id).status == "pending"
    mail = last_mail_to(app, "skribent@example.se")
    assert "Handlar inte om dialogen" in mail.body
    assert "Skicka gärna till rätt dialog." in mail.body
    assert f"/dialogues/{queue.dialogue.slug}/proposals/new" in mail.body


def test_bulk_needs_a_reason_to_reject_or_hide(app, client):
    """Without a reason nothing changes and the editor is told why."""
    queue = make_queue(app, 1)
    login_editor(app, client)
    response = _decide(client, {"ids": str(queue.pending[0].id), "action": "reject"})
    assert response.status_code == 302
    assert get(app, queue.pending[0].id).status == "pending"
    html = client.get(response.location).get_data(as_text=True)
    assert "Välj ett skäl i listan." in html
    response = _decide(client, {"action": "publish"})
    assert "Markera minst ett inlägg." in client.get(response.location).get_data(as_text=True)


def test_bulk_hide_skips_what_it_does_not_apply_to(app, client):
    """Hiding a selection hides the published ones and says which were left as they were."""
    queue = make_queue(app, 1)
    published = make_proposal(app, queue.dialogue.slug, title="Publicerat")
    report(app, published.id)
    login_editor(app, client)
    response = _decide(
        client,
        {
            "ids": [str(queue.pending[0].id), str(published.id)],
            "action": "hide",
            "reason": "offensive",
        },
    )
    found = get(app, published.id)
    assert (found.status, found.moderation_reason, found.report_count) == (
        "hidden",
        "offensive",
        0,
    )
    assert get(app, queue.pending[0].id).status == "pending"
    html = client.get(response.location).get_data(as_text=True)
    assert queue.pending[0].reference in html.split("Ändrades inte")[1]


def test_a_decision_resolves_the_open_reports(app, client):
    """Every decision closes the input's open reports: who and when, and the count is 0."""
    queue = make_queue(app, 0)
    published = make_proposal(app, queue.dialogue.slug)
    report(app, published.id, times=3)
    editor = login_editor(app, client)
    _decide(client, {"one": f"publish:{published.id}"})
    with app.app_context():
        flags = list(db.session.scalars(select(Flag).where(Flag.contribution_id == published.id)))
        assert all(flag.resolved_at is not None for flag in flags)
        assert {flag.resolved_by_id for flag in flags} == {editor.id}
    assert get(app, published.id).report_count == 0


def test_hiding_a_comment_keeps_the_proposals_count(app, client):
    """Decisions go through the contribution services: the comment count follows."""
    queue = make_queue(app, 0)
    proposal = make_proposal(app, queue.dialogue.slug)
    comment = make_comment(app, proposal.id)
    login_editor(app, client)
    _decide(client, {"one": f"publish:{comment.id}"})
    assert get(app, proposal.id).comment_count == 1
    _decide(client, {"ids": str(comment.id), "action": "hide", "reason": "offensive"})
    assert get(app, proposal.id).comment_count == 0


def test_the_queue_is_in_english_too(app, client):
    """The queue and its messages are in English for an English reader."""
    make_queue(app, 2)
    login_editor(app, client)
    client.get("/language/en")
    html = client.get("/moderation").get_data(as_text=True)
    assert "2 inputs wait for a decision." in html
    assert "Decide on the selected inputs" in html
    assert "Offensive or abusive" in html


@pytest.mark.parametrize("role", [Role.POLITICIAN, Role.FACILITATOR, Role.RESIDENT])
def test_only_editors_and_admins_moderate(app, client, role):
    """Other roles get 403 on the queue and on its decisions."""
    queue = make_queue(app, 1)
    login_editor(app, client, role)
    assert client.get("/moderation").status_code == 403
    token = csrf_token(client, "/")
    response = client.post(
        "/moderation/decide", data={"csrf_token": token, "one": f"publish:{queue.pending[0].id}"}
    )
    assert response.status_code == 403
    assert get(app, queue.pending[0].id).status == "pending"


def test_a_post_without_the_csrf_token_is_refused(app, client):
    """A decision needs the form's CSRF token."""
    queue = make_queue(app, 1)
    login_editor(app, client)
    response = client.post("/moderation/decide", data={"one": f"publish:{queue.pending[0].id}"})
    assert response.status_code == 400
    assert get(app, queue.pending[0].id).status == "pending"


def test_the_queue_costs_the_same_queries_however_long(app, client, count_queries):
    """The queue's page runs the same number of queries for 2 and for 30 waiting inputs."""
    queue = make_queue(app, 2)
    login_editor(app, client)
    published = make_proposal(app, queue.dialogue.slug)
    report(app, published.id)
    make_comment(app, published.id)
    client.get("/moderation")
    with count_queries() as few:
        assert client.get("/moderation").status_code == 200
    make_queue(app, 30)
    report(app, published.id)
    client.get("/moderation")
    with count_queries() as many:
        assert client.get("/moderation").status_code == 200
    assert len(many) == len(few), many
    # The login, the change generation, the two counts, the reported and the other items:
    # each line's reports, sender and proposal come with it.
    assert len(few) <= 6, few


def test_paging_runs_on_from_the_reported_to_the_others(app, client):
    """Page 2 continues after the reported ones without skipping or repeating an input."""
    queue = make_queue(app, 30)
    login_editor(app, client)
    first = client.get("/moderation").get_data(as_text=True)
    second = client.get("/moderation?page=2").get_data(as_text=True)
    references = [info.reference for info in queue.pending]
    seen = re.findall(r"DLG-\d{4}-\d{5}", first + second)
    assert sorted(set(seen) & set(references)) == sorted(references)
    assert all((reference in first) != (reference in second) for reference in references)


def test_the_list_shows_the_start_of_a_long_text(app, client):
    """A long text is cut in the list with a link to read it all; the input's page has all."""
    queue = make_queue(app, 1)
    long_text = "Början. " + "mitten " * 100 + "SLUTET"
    with app.app_context():
        found = db.session.get_one(Contribution, queue.pending[0].id)
        found.body_text = long_text
        db.session.commit()
    login_editor(app, client)
    html = client.get("/moderation").get_data(as_text=True)
    assert "Början." in html
    assert "SLUTET" not in html
    assert "…" in html
    assert "Läs allt" in html
    whole = client.get(f"/moderation/inputs/{queue.pending[0].id}").get_data(as_text=True)
    assert "SLUTET" in whole


def test_a_line_shows_what_changed_since_it_was_last_shown(app, client):
    """A line made once is made again when its input, reports or the language change."""
    queue = make_queue(app, 1)
    published = make_proposal(app, queue.dialogue.slug, title="Publicerat")
    login_editor(app, client)
    assert published.reference not in client.get("/moderation").get_data(as_text=True)
    report(app, published.id)
    assert "Anmält 1 gång" in client.get("/moderation").get_data(as_text=True)
    report(app, published.id, "off_topic", times=2)
    html = client.get("/moderation").get_data(as_text=True)
    assert "Anmält 3 gånger: Handlar inte om dialogen (2), Kränkande eller stötande (1)" in html
    with app.app_context():
        found = db.session.get_one(Contribution, queue.pending[0].id)
        found.body_text = "Ändrad text"
        db.session.commit()
    assert "Ändrad text" in client.get("/moderation").get_data(as_text=True)
    client.get("/language/en")
    html = client.get("/moderation").get_data(as_text=True)
    assert "Reported 3 times: Not about the dialogue (2), Offensive or abusive (1)" in html
    assert "Ändrad text" in html
    assert "All decisions and history" in html
    assert "Alla beslut" not in html


def test_a_line_names_the_personal_data_found(app, client):
    """An input held for personal data says what was found, and marks it in the text."""
    queue = make_queue(app, 1)
    with app.app_context():
        found = db.session.get_one(Contribution, queue.pending[0].id)
        found.body_text = "Mejla a@b.se"
        found.personal_data_findings = [{"kind": "email", "field": "body", "start": 6, "end": 12}]
        db.session.commit()
    login_editor(app, client)
    html = client.get("/moderation").get_data(as_text=True)
    assert "Innehåller personuppgifter: en e-postadress (markerade i texten)" in html
    assert '<mark title="en e-postadress">a@b.se</mark>' in html
