"""Contribution rules shared by every kind: store the text, publish, correct, hide, link.

Nothing is ever deleted: a correction keeps the earlier text in the audit trail, and a
hidden input keeps its reason and who hid it. Services flush and never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import aliased

from dialog.accounts.models import User
from dialog.contributions.models import (
    MAX_NOTE_LENGTH,
    MAX_REASON_LENGTH,
    Comment,
    Contribution,
    ContributionStatus,
    GoalLink,
    GoalRelation,
    WorkshopNote,
)
from dialog.core import audit
from dialog.core.i18n import _
from dialog.core.models import utcnow
from dialog.core.personal_data import as_json, find_personal_data, finding_kinds
from dialog.core.rules import RuleError
from dialog.core.sanitize import optional_text, text_html, typed_text
from dialog.extensions import db
from dialog.goals.models import Goal


class ContributionError(RuleError):
    """A rule was broken; the message is translated and safe to show."""


def check_text(text: str) -> tuple[str, str]:
    """Check plain text and return it as stored: the HTML that shows it, and the text.

    Plain text is kept exactly as typed (only each line's ends trimmed) and escaped for
    the HTML, so "<fler bänkar>", "a < b" and "<3" survive as they were written.
    """
    body_text = typed_text(text)
    if not body_text:
        raise ContributionError(_("The text is empty."))
    if len(body_text) > MAX_NOTE_LENGTH:
        raise ContributionError(
            _("A text can be at most {limit} characters long.").format(limit=MAX_NOTE_LENGTH)
        )
    return text_html(body_text), body_text


def _state(link: GoalLink) -> dict[str, Any]:
    return {"relation": link.relation, "rationale": link.rationale}


def _link_to(contribution: Contribution, goal: Goal) -> GoalLink | None:
    return next((link for link in contribution.goal_links if link.goal_id == goal.id), None)


def _new_link(contribution: Contribution, goal: Goal, actor: User | None) -> GoalLink:
    """Tie the input to the goal with the weakest relation: suggested."""
    link = GoalLink(
        goal=goal,
        goal_id=goal.id,
        relation=GoalRelation.SUGGESTED.value,
        created_by_id=audit.actor_id(actor),
    )
    contribution.goal_links.append(link)
    return link


def link_goal(
    contribution: Contribution,
    goal: Goal,
    relation: GoalRelation,
    actor: User | None,
    rationale: str | None = None,
) -> GoalLink:
    """Set the input's tie to a goal as staff decided it (stronger or weaker); returns the link.

    Influenced needs a rationale. The change goes to the audit trail with before and after.
    """
    rationale = optional_text(rationale)
    if relation is GoalRelation.INFLUENCED and rationale is None:
        raise ContributionError(_("Say how the input influenced the goal."), "rationale")
    link = _link_to(contribution, goal)
    before = None if link is None else _state(link)
    link = link or _new_link(contribution, goal, actor)
    link.relation, link.rationale = relation.value, rationale
    if before is None:
        audit.record(
            "goal_link_created",
            actor,
            contribution,
            goal_id=goal.id,
            before=None,
            after=_state(link),
        )
    else:
        audit.record_change(
            "goal_link_changed", actor, contribution, before, _state(link), goal_id=goal.id
        )
    return link


def suggest_goal(contribution: Contribution, goal: Goal, actor: User | None) -> GoalLink:
    """Suggest a goal for the input; a goal it is already tied to keeps its tie as it is.

    The caller's audit event records the suggestion (a note's capture or correction).
    """
    return _link_to(contribution, goal) or _new_link(contribution, goal, actor)


def unlink_goal(contribution: Contribution, goal: Goal, actor: User | None) -> None:
    """Remove the input's tie to a goal, as staff decided; the audit trail keeps what it was."""
    link = _link_to(contribution, goal)
    if link is None:
        return
    contribution.goal_links.remove(link)
    audit.record(
        "goal_link_removed", actor, contribution, goal_id=goal.id, before=_state(link), after=None
    )


def add_workshop_note(
    dialogue_id: int,
    text: str,
    group: str,
    goal: Goal | None,
    actor: User | None,
    language: str = "sv",
) -> WorkshopNote:
    """Store one note, published at once (entered by staff); its goal as a suggested link.

    A note with personal data in it (a participant's phone number written down) is not
    refused, so a fast capture is never held up: it waits for an editor instead, with what
    was found kept for them, and the facilitator is told.
    """
    body_html, body_text = check_text(text)
    now = utcnow()
    found = as_json(find_personal_data(body_text))
    note = WorkshopNote(
        dialogue_id=dialogue_id,
        status=ContributionStatus.PENDING.value if found else ContributionStatus.PUBLISHED.value,
        body_html=body_html,
        body_text=body_text,
        participant_group=group,
        language=language,
        created_by_id=audit.actor_id(actor),
        created_at=now,
        published_at=None if found else now,
        personal_data_findings=found,
        goal_links=[],
    )
    db.session.add(note)
    if goal is not None:
        _new_link(note, goal, actor)
    return note


def _note_state(note: WorkshopNote) -> dict[str, Any]:
    return {
        "text": note.body_text,
        "group": note.participant_group,
        "goal_id": note.suggested_goal_id,
    }


def _replace_suggestion(note: WorkshopNote, goal: Goal | None, actor: User | None) -> None:
    suggested = note.suggested_goal_id
    if suggested == (goal.id if goal is not None else None):
        return
    note.goal_links = [
        link
        for link in note.goal_links
        if not (link.relation == GoalRelation.SUGGESTED and link.goal_id == suggested)
    ]
    if goal is not None:
        suggest_goal(note, goal, actor)


def correct_note(
    note: WorkshopNote, text: str, group: str, goal: Goal | None, actor: User | None
) -> None:
    """Correct a note's text, group or suggested goal; the earlier version goes to the audit trail.

    Only a suggested goal is replaced; a link staff have confirmed stays as it is. The text
    is checked for personal data again (``_recheck_personal_data``).
    """
    body_html, body_text = check_text(text)
    before = _note_state(note)
    note.body_html, note.body_text, note.participant_group = body_html, body_text, group
    _replace_suggestion(note, goal, actor)
    after = _note_state(note)
    if after != before:
        note.updated_at = utcnow()
        audit.record("contribution_corrected", actor, note, before=before, after=after)
        _recheck_personal_data(note, actor)


def _recheck_personal_data(note: WorkshopNote, actor: User | None) -> None:
    """A corrected note holding personal data waits for an editor; one held for it and
    now without any is published again, as notes are. Other statuses stay as they are."""
    found = as_json(find_personal_data(note.body_text))
    held = note.status == ContributionStatus.PENDING and note.personal_data_findings
    note.personal_data_findings = found
    if found and note.status == ContributionStatus.PUBLISHED:
        note.status, note.published_at = ContributionStatus.PENDING.value, None
        audit.record("contribution_held", actor, note, personal_data=finding_kinds(found))
    elif held and not found:
        publish_contribution(note, actor)


def recount_comments(proposal_id: int) -> None:
    """Set the proposal's comment count to the comments and replies its page shows, in SQL.

    The proposal's row is locked first and counted in a later statement: on PostgreSQL
    (READ COMMITTED) that statement sees every comment committed while this one waited for
    the lock, so the last writer always counts them all; SQLite lets one writer in at a time.
    A count of the rows, not a step up or down: two moderators hiding the same comment at
    once cannot take it down twice.
    """
    db.session.flush()  # the comment's own change first, whatever the session's autoflush
    db.session.execute(
        select(Contribution.id).where(Contribution.id == proposal_id).with_for_update()
    ).all()
    counted, thread = aliased(Comment), aliased(Comment)
    shown_thread = (
        select(thread.id)
        .where(
            thread.id == counted.reply_to_id, thread.status == ContributionStatus.PUBLISHED.value
        )
        .exists()
    )
    published = (
        select(func.count())
        .select_from(counted)
        .where(
            counted.parent_id == proposal_id,
            counted.status == ContributionStatus.PUBLISHED.value,
            # A reply counts while the comment it answers is shown: the page lists it there.
            or_(counted.reply_to_id.is_(None), shown_thread),
        )
        .scalar_subquery()
    )
    db.session.execute(
        update(Contribution)
        .where(Contribution.id == proposal_id)
        .values(comment_count=published)
        .execution_options(synchronize_session="fetch")
    )


def _recount_parent(contribution: Contribution) -> None:
    """A comment whose status changed changes its proposal's count."""
    if isinstance(contribution, Comment) and contribution.parent_id is not None:
        recount_comments(contribution.parent_id)


# What a decision on an input changes, as the audit trail keeps it before and after.
DECISION_FIELDS = ("status", "moderation_reason", "moderation_note", "hidden_reason")


def decision_state(contribution: Contribution) -> dict[str, Any]:
    """The fields a moderation decision changes, as stored in the audit trail."""
    return audit.snapshot(contribution, DECISION_FIELDS)


def hide_contribution(
    contribution: Contribution,
    reason: str,
    actor: User | None,
    *,
    code: str | None = None,
    note: str | None = None,
) -> None:
    """Take an input down with a reason; it stays stored and can be shown again.

    code and note: a moderation reason's code and the note to the author, kept on the
    input for its receipt (an editor's decision; a facilitator's hiding has only a reason).
    """
    reason = reason.strip()
    if not reason:
        raise ContributionError(_("Give the reason for hiding it."))
    if len(reason) > MAX_REASON_LENGTH:
        raise ContributionError(
            _("The reason can be at most {limit} characters long.").format(limit=MAX_REASON_LENGTH)
        )
    if contribution.status == ContributionStatus.HIDDEN and code is None:
        return
    before = decision_state(contribution)
    previous = contribution.status
    if contribution.status != ContributionStatus.HIDDEN:
        contribution.status = ContributionStatus.HIDDEN.value
        contribution.hidden_at = utcnow()
    contribution.hidden_by_id = audit.actor_id(actor)
    contribution.hidden_reason = reason
    contribution.moderation_reason, contribution.moderation_note = code, note
    contribution.needs_review = False
    _recount_parent(contribution)
    audit.record(
        "contribution_hidden",
        actor,
        contribution,
        reason=reason,
        previous_status=previous,
        before=before,
        after=decision_state(contribution),
    )


def restore_contribution(contribution: Contribution, actor: User | None) -> None:
    """Show a hidden input again; the earlier reason stays in the audit trail."""
    if contribution.status != ContributionStatus.HIDDEN:
        return
    before = decision_state(contribution)
    reason = contribution.hidden_reason
    contribution.status = ContributionStatus.PUBLISHED.value
    contribution.published_at = contribution.published_at or utcnow()
    contribution.hidden_at = None
    contribution.hidden_by_id = None
    contribution.hidden_reason = None
    contribution.moderation_reason = contribution.moderation_note = None
    contribution.needs_review = False
    _recount_parent(contribution)
    audit.record(
        "contribution_restored",
        actor,
        contribution,
        hidden_reason=reason,
        before=before,
        after=decision_state(contribution),
    )


def publish_contribution(contribution: Contribution, actor: User | None) -> None:
    """Publish an input that waited for moderation; anything else is left as it is."""
    if contribution.status != ContributionStatus.PENDING:
        return
    before = decision_state(contribution)
    contribution.status = ContributionStatus.PUBLISHED.value
    contribution.published_at = utcnow()
    contribution.needs_review = False
    _recount_parent(contribution)
    audit.record(
        "contribution_published",
        actor,
        contribution,
        before=before,
        after=decision_state(contribution),
    )


WITHDRAWABLE = frozenset({ContributionStatus.PENDING, ContributionStatus.PUBLISHED})


def withdraw_contribution(contribution: Contribution, actor: User | None, how: str) -> None:
    """Withdraw an input for its author: marked withdrawn, never deleted; audited.

    how says how the author was known ("account" or "receipt"). A published input stays
    visible, marked withdrawn; one still waiting is never published.
    """
    if contribution.status == ContributionStatus.WITHDRAWN:
        return
    if contribution.status not in WITHDRAWABLE:
        raise ContributionError(_("This input is not published, so there is nothing to withdraw."))
    previous = contribution.status
    contribution.status = ContributionStatus.WITHDRAWN.value
    contribution.needs_review = False  # nothing left for an editor to decide
    contribution.withdrawn_at = utcnow()
    _recount_parent(contribution)
    audit.record("contribution_withdrawn", actor, contribution, previous_status=previous, by=how)
