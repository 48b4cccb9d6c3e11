"""Comments on proposals through the real stack: the rules on sending, one level of
replies, the count kept on the proposal, the pages, permalinks and references, receipts
and withdrawal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dialog.contributions import services
from dialog.contributions.models import Comment, Contribution, Proposal
from dialog.core.models import utcnow
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from tests.contributions.factories import make_comment, make_proposal
from tests.dialogues.factories import make_dialogue, make_framework


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


def test_hiding_restoring_and_withdrawing_change_the_count(app, proposal):
    """Only published comments count: hidden or withdrawn ones do not, restored ones again."""
    first = make_comment(app, proposal.id)
    second = make_comment(app, proposal.id, reply_to=first.id)
    assert _count(app, proposal.id) == 2
    _change(app, first.id, lambda found: services.hide_contribution(found, "Hot", None))
    assert _count(app, proposal.id) == 1
    # Hidden twice (two moderators): still counted once.
    _change(app, first.id, lambda found: services.hide_contribution(found, "Hot", None))
    assert _count(app, proposal.id) == 1
    _change(app, first.id, lambda found: services.restore_contribution(found, None))
    assert _count(app, proposal.id) == 2
    _change(app, second.id, lambda found: services.withdraw_contribution(found, None, "receipt"))
    assert _count(app, proposal.id) == 1


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
