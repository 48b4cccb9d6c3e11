"""Comments on proposals through the real stack: the rules on sending, one level of
replies, the count kept on the proposal, the pages, permalinks and references, receipts
and withdrawal."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from dialog.contributions import services
from dialog.contributions.models import Comment, Contribution, Proposal
from dialog.contributions.services import submission
from dialog.core.models import OutboxMessage, utcnow
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from tests.contributions.factories import (
    comment_form_tokens,
    comment_path,
    make_comment,
    make_proposal,
    send_comment,
)
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import AuthActions, csrf_token, make_user

REFERENCE = re.compile(r"^DLG-\d{4}-\d{5}$")
TEXT = "Bra tanke, men <strong>glöm inte</strong> cykelparkeringen vid stationen."


@pytest.fixture
def framework(app):
    return make_framework(app)


@pytest.fixture
def consultation(app, framework):
    """An open online consultation, published at once and checked afterwards."""
    info = make_dialogue(app, framework, format="online_consultation", starts_in=None)
    _set(app, info.id, moderation="after")
    return info


@pytest.fixture
def proposal(app, consultation):
    return make_proposal(app, consultation.slug)


def _set(app, dialogue_id: int, **values) -> None:
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        for name, value in values.items():
            setattr(dialogue, name, value)
        db.session.commit()


def _count(app, proposal_id: int) -> int:
    with app.app_context():
        return db.session.get(Proposal, proposal_id).comment_count


def _comments(app) -> list[Comment]:
    with app.app_context():
        found = list(db.session.scalars(select(Comment).order_by(Comment.id)))
        db.session.expunge_all()
        return found


def _change(app, comment_id: int, change) -> None:
    """Apply a service to the stored comment and commit, as a request would."""
    with app.test_request_context():
        change(db.session.get(Contribution, comment_id))
        db.session.commit()


# The rules ----------------------------------------------------------------------------------


def test_a_comment_is_published_at_once_and_counted_on_its_proposal(app, proposal):
    """Moderation afterwards: published, numbered, on its proposal and in its dialogue."""
    comment = make_comment(app, proposal.id, name="Bo")
    [stored] = _comments(app)
    assert stored.status == "published"
    assert stored.parent_id == proposal.id
    assert stored.reply_to_id is None
    assert stored.reference
    assert stored.reference != proposal.reference
    assert stored.author_name == "Bo"
    assert comment.status == "published"
    assert _count(app, proposal.id) == 1


def test_a_waiting_comment_counts_only_once_published(app, consultation, proposal):
    """Moderation first: pending and not counted; publishing it counts it."""
    _set(app, consultation.id, moderation="before")
    comment = make_comment(app, proposal.id)
    assert comment.status == "pending"
    assert _count(app, proposal.id) == 0
    _change(app, comment.id, lambda found: services.publish_contribution(found, None))
    assert _count(app, proposal.id) == 1


def test_hiding_restoring_and_withdrawing_change_the_count(app, consultation, proposal):
    """The count is what the page shows: hidden or withdrawn comments do not count, nor do
    the replies under a hidden comment; restored ones count again."""
    first = make_comment(app, proposal.id)
    second = make_comment(app, proposal.id, reply_to=first.id)
    third = make_comment(app, proposal.id)
    assert _count(app, proposal.id) == 3
    _change(app, first.id, lambda found: services.hide_contribution(found, "Hot", None))
    assert _count(app, proposal.id) == 1
    # Hidden twice (two moderators): still counted once.
    _change(app, first.id, lambda found: services.hide_contribution(found, "Hot", None))
    assert _count(app, proposal.id) == 1
    page = app.test_client().get(f"/dialogues/{consultation.slug}/proposals/{proposal.id}")
    assert page.get_data(as_text=True).count('<li class="comment') == 1
    _change(app, third.id, lambda found: services.hide_contribution(found, "Hot", None))
    assert _count(app, proposal.id) == 0
    _change(app, third.id, lambda found: services.restore_contribution(found, None))
    assert _count(app, proposal.id) == 1
    _change(app, first.id, lambda found: services.restore_contribution(found, None))
    assert _count(app, proposal.id) == 3
    _change(app, second.id, lambda found: services.withdraw_contribution(found, None, "receipt"))
    assert _count(app, proposal.id) == 2


def test_a_reply_to_a_reply_goes_under_the_top_level_comment(app, proposal):
    """One level of replies: answering a reply attaches to the comment it answers."""
    top = make_comment(app, proposal.id)
    reply = make_comment(app, proposal.id, reply_to=top.id)
    answer = make_comment(app, proposal.id, reply_to=reply.id)
    stored = {comment.id: comment for comment in _comments(app)}
    assert stored[reply.id].reply_to_id == top.id
    assert stored[answer.id].reply_to_id == top.id


def test_a_reply_to_a_comment_on_another_proposal_is_refused(app, consultation, proposal):
    """The comment answered must be shown on the same proposal."""
    other = make_proposal(app, consultation.slug, title="Ett annat förslag")
    elsewhere = make_comment(app, other.id)
    with pytest.raises(services.ContributionError):
        make_comment(app, proposal.id, reply_to=elsewhere.id)
    hidden = make_comment(app, proposal.id)
    _change(app, hidden.id, lambda found: services.hide_contribution(found, "Spam", None))
    with pytest.raises(services.ContributionError):
        make_comment(app, proposal.id, reply_to=hidden.id)


@pytest.mark.parametrize(
    "change",
    [
        {"status": "closed"},
        {"level": "inform"},
        {"closes_at": utcnow() - timedelta(hours=1)},
    ],
    ids=["closed", "inform-level", "input-window-over"],
)
def test_a_dialogue_that_takes_no_input_takes_no_comments(app, consultation, proposal, change):
    """Closed, informing only or past its window: refused with a reason, nothing stored."""
    _set(app, consultation.id, **change)
    with pytest.raises(services.ContributionError):
        make_comment(app, proposal.id)
    assert _comments(app) == []


def test_a_withdrawn_proposal_takes_no_comments(app, proposal):
    """Withdrawn: refused, saying so."""
    _change(app, proposal.id, lambda found: services.withdraw_contribution(found, None, "receipt"))
    with pytest.raises(services.ContributionError, match="återkallats|withdrawn"):
        make_comment(app, proposal.id)


# Sending through the form -------------------------------------------------------------------


def _page(response) -> str:
    return response.get_data(as_text=True)


def _proposal_page(consultation, proposal) -> str:
    return f"/dialogues/{consultation.slug}/proposals/{proposal.id}"


def test_a_resident_comments_without_an_account_and_gets_a_receipt(
    app, client, consultation, proposal
):
    """From the proposal page to the form to the receipt; the comment shows with its anchor."""
    page = _page(client.get(_proposal_page(consultation, proposal)))
    new = comment_path(consultation.slug, proposal.id)
    assert f'href="{new}"' in page
    assert "0 kommentarer hittills" in page
    response = send_comment(client, consultation.slug, proposal.id, body=TEXT, name="Cyklist")
    assert response.status_code == 302
    assert response.location.startswith("/receipt/")
    [comment] = _comments(app)
    assert REFERENCE.match(comment.reference)
    assert comment.author_id is None
    assert "<strong>glöm inte</strong>" in comment.body_html
    receipt = _page(client.get(response.location))
    assert comment.reference in receipt
    assert "Fler bänkar längs ån" in receipt  # the proposal it is on
    assert proposal.reference in receipt
    page = _page(client.get(_proposal_page(consultation, proposal)))
    assert f'id="comment-{comment.id}"' in page
    assert "Cyklist" in page
    assert "1 kommentar hittills" in page


def test_the_form_states_the_public_record_rule_in_both_languages(client, consultation, proposal):
    """Before sending: allmän handling, in Swedish and in English."""
    path = comment_path(consultation.slug, proposal.id)
    assert "allmän handling" in _page(client.get(path))
    assert "Skicka kommentaren" in _page(client.get(path))
    client.set_cookie("lang", "en")
    english = _page(client.get(path))
    assert "public record (allmän handling)" in english
    assert "Send the comment" in english
    assert "Comments" in _page(client.get(_proposal_page(consultation, proposal)))


def test_a_reply_through_the_reply_link_goes_under_its_comment(app, client, consultation, proposal):
    """The reply link works without JavaScript; a reply to a reply joins the same thread."""
    top = make_comment(app, proposal.id, "Första kommentaren")
    page = _page(client.get(_proposal_page(consultation, proposal)))
    reply_link = f"{comment_path(consultation.slug, proposal.id)}?reply_to={top.id}"
    assert f'href="{reply_link}"' in page
    form = _page(client.get(reply_link))
    assert "Första kommentaren" in form  # the comment answered, above the form
    assert f'name="reply_to" type="hidden" value="{top.id}"' in form
    response = send_comment(client, consultation.slug, proposal.id, reply_to=top.id, body="Svar")
    assert response.status_code == 302
    reply = _comments(app)[-1]
    assert reply.reply_to_id == top.id
    again = send_comment(client, consultation.slug, proposal.id, reply_to=reply.id, body="Igen")
    assert again.status_code == 302
    assert _comments(app)[-1].reply_to_id == top.id
    page = _page(client.get(_proposal_page(consultation, proposal)))
    thread = page[page.index(f'id="comment-{top.id}"') :]
    assert thread.index("Svar") < thread.index("Igen")
    assert 'class="comment-replies"' in thread
    assert _count(app, proposal.id) == 3


@pytest.mark.parametrize(
    "reply_to", ["abc", "0", "99999999999999999999999", "-1"], ids=["text", "zero", "huge", "minus"]
)
def test_a_broken_reply_link_is_refused_with_the_text_kept(
    app, client, consultation, proposal, reply_to
):
    """A reply_to that names no comment: a clear message, the text back, nothing stored."""
    csrf, token = comment_form_tokens(client, consultation.slug, proposal.id)
    response = client.post(
        comment_path(consultation.slug, proposal.id),
        data={"csrf_token": csrf, "submission": token, "reply_to": reply_to, "body": TEXT},
    )
    assert response.status_code == 200
    page = _page(response)
    assert "Kommentaren du svarar på visas inte" in page
    assert "cykelparkeringen" in page
    assert _comments(app) == []
    assert (
        client.get(
            f"{comment_path(consultation.slug, proposal.id)}?reply_to={reply_to}"
        ).status_code
        == 200
    )


def test_huge_or_unknown_ids_in_addresses_are_404(client, consultation, proposal):
    """No 500 for ids past what a column holds, or for ids of nothing."""
    huge = "9" * 30
    assert client.get(comment_path(consultation.slug, int(huge))).status_code == 404
    assert client.get(f"/comments/{huge}").status_code == 404
    assert client.get("/comments/2147483647").status_code == 404
    assert client.get(comment_path(consultation.slug, 2147483647)).status_code == 404


def test_missing_fields_and_control_characters_keep_everything_typed(
    app, client, consultation, proposal
):
    """An empty text, a name with a line break, a bad email: errors, and the rest kept."""
    empty = send_comment(client, consultation.slug, proposal.id, body="   ", name="Anna")
    assert empty.status_code == 200
    assert "Skriv din kommentar" in _page(empty)
    assert 'value="Anna"' in _page(empty)
    broken = send_comment(
        client, consultation.slug, proposal.id, body=TEXT, name="Anna\r\nBcc: x", email="nej"
    )
    assert broken.status_code == 200
    assert "cykelparkeringen" in _page(broken)
    assert 'value="nej"' in _page(broken)
    no_token = client.post(comment_path(consultation.slug, proposal.id), data={"body": TEXT})
    assert no_token.status_code == 200
    assert "cykelparkeringen" in _page(no_token)
    assert _comments(app) == []


def test_the_honeypot_refuses_in_the_readers_language_and_keeps_the_text(
    app, client, consultation, proposal
):
    """A filled-in trap field: refused, nothing stored, the text given back."""
    page = _page(send_comment(client, consultation.slug, proposal.id, body=TEXT, website="x"))
    assert "skräppost" in page
    assert "cykelparkeringen" in page
    client.set_cookie("lang", "en")
    assert "spam programs" in _page(
        send_comment(client, consultation.slug, proposal.id, body=TEXT, website="x")
    )
    assert _comments(app) == []


def test_an_expired_session_keeps_the_text_and_sending_again_works(app, consultation, proposal):
    """The CSRF token expired while typing: the text back with a fresh token, then stored once."""
    writer = app.test_client()
    _, token = comment_form_tokens(writer, consultation.slug, proposal.id)
    writer.delete_cookie("dialog_session")
    data = {"csrf_token": "expired", "submission": token, "body": TEXT}
    path = comment_path(consultation.slug, proposal.id)
    response = writer.post(path, data=data)
    assert response.status_code == 200
    page = _page(response)
    assert "cykelparkeringen" in page
    assert "Sessionen hade gått ut" in page
    fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert writer.post(path, data={**data, "csrf_token": fresh}).status_code == 302
    assert len(_comments(app)) == 1


def test_a_double_submit_stores_one_comment(app, client, consultation, proposal):
    """Two clicks or a reload: one comment, one count, the same receipt."""
    csrf, token = comment_form_tokens(client, consultation.slug, proposal.id)
    data = {"csrf_token": csrf, "submission": token, "body": TEXT}
    path = comment_path(consultation.slug, proposal.id)
    first, second = client.post(path, data=data), client.post(path, data=data)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert len(_comments(app)) == 1
    assert _count(app, proposal.id) == 1


def test_the_limits_refuse_with_429_and_keep_the_text(app, client, auth, consultation, proposal):
    """Past the account's limit (shared with proposals) the form comes back with the text."""
    auth.login(make_user(app))
    for number in range(5):
        sent = send_comment(client, consultation.slug, proposal.id, body=f"Nummer {number}")
        assert sent.status_code == 302
    refused = send_comment(client, consultation.slug, proposal.id, body=TEXT)
    assert refused.status_code == 429
    assert "cykelparkeringen" in _page(refused)
    assert len(_comments(app)) == 5


def test_a_database_error_shows_the_form_again_with_the_text(
    app, client, consultation, proposal, monkeypatch
):
    """The database fails while storing: 503, the text back, nothing half-written."""

    def fail(year: int) -> int:
        raise OperationalError("UPDATE reference_counters", {}, Exception("database is gone"))

    monkeypatch.setattr(submission, "_take_number", fail)
    response = send_comment(client, consultation.slug, proposal.id, body=TEXT)
    assert response.status_code == 503
    assert "cykelparkeringen" in _page(response)
    assert _comments(app) == []
    assert _count(app, proposal.id) == 0


def test_text_that_cleaning_would_cut_is_shown_before_it_is_stored(
    app, client, consultation, proposal
):
    """A tag outside the allowed ones is shown as it would be stored; sending again stores it."""
    csrf, token = comment_form_tokens(client, consultation.slug, proposal.id)
    data = {"csrf_token": csrf, "submission": token, "body": "Ja <script>alert(1)</script>tack"}
    path = comment_path(consultation.slug, proposal.id)
    first = _page(client.post(path, data=data))
    assert _comments(app) == []
    confirmation = re.search(r'name="confirm_cleaning" type="hidden" value="([^"]+)"', first)
    assert confirmation
    assert (
        client.post(path, data={**data, "confirm_cleaning": confirmation.group(1)}).status_code
        == 302
    )
    [stored] = _comments(app)
    assert "<script>" not in stored.body_html
    assert "Ja" in stored.body_text


def test_the_receipt_is_mailed_when_an_email_is_given(app, client, consultation, proposal):
    """An email given: the outbox holds the comment's reference and its receipt link."""
    response = send_comment(client, consultation.slug, proposal.id, email="cyklist@example.se")
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
        recipient, body = message.recipient, message.body
    [comment] = _comments(app)
    assert recipient == "cyklist@example.se"
    assert comment.reference in body
    assert (
        re.search(r"https?://\S+/receipt/[A-Za-z0-9_-]+", body).group(0).endswith(response.location)
    )


# Where comments are refused -------------------------------------------------------------------


def test_a_withdrawn_proposal_says_it_takes_no_comments(app, client, consultation, proposal):
    """Its page and the form say why; a send anyway is refused with the text kept, no 500."""
    csrf, token = comment_form_tokens(client, consultation.slug, proposal.id)
    _change(app, proposal.id, lambda found: services.withdraw_contribution(found, None, "receipt"))
    page = _page(client.get(_proposal_page(consultation, proposal)))
    assert "Förslaget har återkallats" in page
    assert comment_path(consultation.slug, proposal.id) not in page
    form = client.get(comment_path(consultation.slug, proposal.id))
    assert form.status_code == 200
    assert "Förslaget har återkallats" in _page(form)
    assert 'name="body"' not in _page(form)
    sent = client.post(
        comment_path(consultation.slug, proposal.id),
        data={"csrf_token": csrf, "submission": token, "body": TEXT},
    )
    assert sent.status_code == 200
    assert "Förslaget har återkallats" in _page(sent)
    assert "cykelparkeringen" in _page(sent)
    assert _comments(app) == []


def test_a_closed_dialogue_says_it_takes_no_comments(app, client, consultation, proposal):
    """Closed: the proposal page says so, and a send is refused with the text kept."""
    csrf, token = comment_form_tokens(client, consultation.slug, proposal.id)
    _set(app, consultation.id, status="closed")
    assert "tar inte emot synpunkter" in _page(client.get(_proposal_page(consultation, proposal)))
    sent = client.post(
        comment_path(consultation.slug, proposal.id),
        data={"csrf_token": csrf, "submission": token, "body": TEXT},
    )
    assert sent.status_code == 200
    assert "cykelparkeringen" in _page(sent)
    assert _comments(app) == []


def test_a_waiting_proposal_has_no_comment_form_for_others(app, client, consultation):
    """A proposal nobody else sees: its comment form is the same 404 as its page."""
    _set(app, consultation.id, moderation="before")
    pending = make_proposal(app, consultation.slug, published=False)
    assert client.get(comment_path(consultation.slug, pending.id)).status_code == 404
    assert client.get(_proposal_page(consultation, pending)).status_code == 404


# Withdrawing, receipts and own inputs ---------------------------------------------------------


def test_the_receipt_holder_withdraws_and_the_comment_stays_marked_withdrawn(
    app, client, consultation, proposal
):
    """Withdrawn by the link: kept on the page marked withdrawn, and no longer counted."""
    comment = make_comment(app, proposal.id, "Jag ångrar mig")
    path = f"/receipt/{comment.receipt_token}"
    assert (
        client.post(f"{path}/withdraw", data={"csrf_token": csrf_token(client, path)}).status_code
        == 302
    )
    [stored] = _comments(app)
    assert stored.status == "withdrawn"
    assert _count(app, proposal.id) == 0
    page = _page(client.get(_proposal_page(consultation, proposal)))
    assert f'id="comment-{comment.id}"' in page
    assert "Jag ångrar mig" in page
    assert "Återkallad av den som skrev den" in page


def test_the_author_withdraws_with_the_account_and_nobody_else_can(app, consultation, proposal):
    """My inputs lists the comment with its proposal; its author withdraws it, others get 403."""
    author, other = make_user(app), make_user(app)
    comment = make_comment(app, proposal.id, "Mitt inlägg", user_id=author.id)
    path = f"/comments/{comment.id}/withdraw"
    stranger = app.test_client()
    AuthActions(stranger).login(other)
    refused = stranger.post(path, data={"csrf_token": csrf_token(stranger, "/my/inputs")})
    assert refused.status_code == 403
    owner = app.test_client()
    AuthActions(owner).login(author)
    mine = _page(owner.get("/my/inputs"))
    assert comment.reference in mine
    assert "Kommentar till ”Fler bänkar längs ån”" in mine
    assert f'action="{path}"' in mine
    assert owner.post(path, data={"csrf_token": csrf_token(owner, "/my/inputs")}).status_code == 302
    assert "Återkallad av dig" in _page(owner.get("/my/inputs"))
    assert _comments(app)[0].status == "withdrawn"
    assert (
        owner.post(
            "/comments/2147483647/withdraw", data={"csrf_token": csrf_token(owner, "/my/inputs")}
        ).status_code
        == 404
    )


# The page of comments, permalinks and references --------------------------------------------


def _many(app, proposal_id: int, number: int) -> list[int]:
    return [make_comment(app, proposal_id, f"Kommentar nummer {n}").id for n in range(number)]


def test_comments_are_paged_oldest_first_and_a_permalink_finds_the_page(
    app, client, consultation, proposal
):
    """25 comments: 20 on the first page, 5 on the second; a permalink leads to its page."""
    ids = _many(app, proposal.id, 25)
    reply = make_comment(app, proposal.id, "Ett sent svar", reply_to=ids[21])
    base = _proposal_page(consultation, proposal)
    first = _page(client.get(base))
    assert f'id="comment-{ids[0]}"' in first
    assert f'id="comment-{ids[19]}"' in first
    assert f'id="comment-{ids[20]}"' not in first
    assert first.index(f'id="comment-{ids[0]}"') < first.index(f'id="comment-{ids[1]}"')
    second = _page(client.get(f"{base}?page=2"))
    assert f'id="comment-{ids[24]}"' in second
    assert f'id="comment-{reply.id}"' in second
    response = client.get(f"/comments/{ids[21]}")
    assert response.status_code == 302
    assert response.location == f"{base}?page=2#comment-{ids[21]}"
    assert client.get(f"/comments/{reply.id}").location == f"{base}?page=2#comment-{reply.id}"
    assert client.get(f"/comments/{ids[3]}").location == f"{base}#comment-{ids[3]}"


def test_a_long_thread_shows_its_first_replies_and_the_rest_on_its_own_pages(
    app, client, consultation, proposal
):
    """12 replies: the proposal's page shows 10 and a link; the thread's page shows all, and
    a later reply's permalink leads there."""
    top = make_comment(app, proposal.id, "Början på en lång tråd")
    replies = [make_comment(app, proposal.id, f"Svar {n}", reply_to=top.id).id for n in range(12)]
    page = _page(client.get(_proposal_page(consultation, proposal)))
    assert f'id="comment-{replies[9]}"' in page
    assert f'id="comment-{replies[10]}"' not in page
    assert f'href="/comments/{top.id}/replies"' in page
    assert "Se alla 12 svar" in page
    thread = _page(client.get(f"/comments/{top.id}/replies"))
    assert all(f'id="comment-{reply}"' in thread for reply in replies)
    assert client.get(f"/comments/{replies[3]}").location.endswith(f"#comment-{replies[3]}")
    late = client.get(f"/comments/{replies[11]}")
    assert late.location == f"/comments/{top.id}/replies#comment-{replies[11]}"
    assert client.get(f"/comments/{replies[0]}/replies").status_code == 404  # a reply has none
    assert client.get("/comments/2147483647/replies").status_code == 404


def test_a_comment_not_shown_has_no_permalink(app, client, consultation, proposal):
    """Hidden, waiting, or a reply under a hidden comment: the plain 404."""
    hidden = make_comment(app, proposal.id)
    reply = make_comment(app, proposal.id, reply_to=hidden.id)
    _change(app, hidden.id, lambda found: services.hide_contribution(found, "Hot", None))
    _set(app, consultation.id, moderation="before")
    pending = make_comment(app, proposal.id)
    for comment in (hidden, reply, pending):
        assert client.get(f"/comments/{comment.id}").status_code == 404
        assert client.get(f"/comments/{comment.id}/replies").status_code == 404
        assert client.get(f"/inputs/{comment.reference}").status_code == 404


def test_the_proposal_page_costs_the_same_queries_however_many_comments(
    app, client, consultation, proposal, count_queries
):
    """A page of comments and their replies: the same queries for 1 comment or 20 with replies."""
    base = _proposal_page(consultation, proposal)

    def queries_for_page() -> int:
        with count_queries() as statements:
            assert client.get(base).status_code == 200
        return len(statements)

    make_comment(app, proposal.id)
    few = queries_for_page()
    for comment_id in _many(app, proposal.id, 25):
        make_comment(app, proposal.id, "Svar", reply_to=comment_id)
    assert queries_for_page() == few


def test_a_reference_number_leads_to_its_proposal_or_comment(app, client, consultation, proposal):
    """A proposal's and a comment's reference redirect to their addresses; unknown ones 404."""
    comment = make_comment(app, proposal.id)
    response = client.get(f"/inputs/{proposal.reference}")
    assert response.status_code == 301
    assert response.location == _proposal_page(consultation, proposal)
    assert client.get(f"/inputs/{proposal.reference.lower()}").status_code == 301
    response = client.get(f"/inputs/{comment.reference}")
    assert response.status_code == 301
    assert response.location == f"/comments/{comment.id}"
    for unknown in ("DLG-1999-00001", "x" * 300, "DLG-2026-00001;DROP"):
        assert client.get(f"/inputs/{unknown}").status_code == 404
    assert client.get("/inputs/%00").status_code == 400  # the app refuses NUL everywhere


def test_an_unpublished_proposal_reference_reveals_nothing(app, client, consultation):
    """A waiting proposal's reference: the same 404 page as an unknown one."""
    _set(app, consultation.id, moderation="before")
    pending = make_proposal(app, consultation.slug, published=False)
    hidden = client.get(f"/inputs/{pending.reference}")
    unknown = client.get("/inputs/DLG-1999-00001")
    assert hidden.status_code == unknown.status_code == 404

    def plain(response, reference: str) -> str:
        # The same page but for the address asked and the request id it gives for support.
        return re.sub(r"<code>[^<]*</code>", "", _page(response).replace(reference, ""))

    assert plain(hidden, pending.reference) == plain(unknown, "DLG-1999-00001")
