"""Contribution rules shared by every kind: store sanitised, publish, correct, hide, link.

Nothing is ever deleted: a correction keeps the earlier text in the audit trail, and a
hidden input keeps its reason and who hid it. Services flush and never commit.
"""

from __future__ import annotations

from typing import Any

from dialog.contributions.models import (
    Contribution,
    ContributionStatus,
    GoalLink,
    GoalRelation,
    WorkshopNote,
)
from dialog.core import audit
from dialog.core.i18n import _
from dialog.core.models import utcnow
from dialog.core.sanitize import clean_html, plain_text
from dialog.extensions import db
from dialog.goals.models import Goal

MAX_NOTE_LENGTH = 5000
MAX_REASON_LENGTH = 1000


class ContributionError(Exception):
    """A rule was broken; the message is translated and safe to show."""


def check_text(text: str) -> tuple[str, str]:
    """Sanitise once, on write: return the clean HTML and its plain text."""
    text = text.strip()
    if not text:
        raise ContributionError(_("The text is empty."))
    if len(text) > MAX_NOTE_LENGTH:
        raise ContributionError(
            _("A text can be at most {limit} characters long.").format(limit=MAX_NOTE_LENGTH)
        )
    body_html = clean_html(text)
    body_text = plain_text(body_html)
    if not body_text:
        raise ContributionError(_("The text is empty."))
    return body_html, body_text


def link_goal(
    contribution: Contribution,
    goal: Goal,
    relation: GoalRelation,
    actor: Any,
    rationale: str | None = None,
) -> GoalLink:
    """Tie the input to a goal, or strengthen an existing tie; returns the link."""
    if relation is GoalRelation.INFLUENCED and not (rationale or "").strip():
        raise ContributionError(_("Say how the input influenced the goal."))
    for link in contribution.goal_links:
        if link.goal_id == goal.id:
            link.relation = relation.value
            link.rationale = rationale or link.rationale
            db.session.flush()
            return link
    link = GoalLink(
        goal=goal,
        goal_id=goal.id,
        relation=relation.value,
        rationale=(rationale or "").strip() or None,
        created_by_id=audit.actor_id(actor),
    )
    contribution.goal_links.append(link)
    db.session.flush()
    return link


def add_workshop_note(
    dialogue_id: int,
    text: str,
    group: str,
    goal: Goal | None,
    actor: Any,
    language: str = "sv",
) -> WorkshopNote:
    """Store one note, published at once (entered by staff); its goal as a suggested link."""
    body_html, body_text = check_text(text)
    now = utcnow()
    note = WorkshopNote(
        dialogue_id=dialogue_id,
        status=ContributionStatus.PUBLISHED.value,
        body_html=body_html,
        body_text=body_text,
        participant_group=group,
        language=language,
        created_by_id=audit.actor_id(actor),
        created_at=now,
        published_at=now,
        goal_links=[],
    )
    db.session.add(note)
    if goal is not None:
        note.goal_links.append(
            GoalLink(
                goal=goal,
                goal_id=goal.id,
                relation=GoalRelation.SUGGESTED.value,
                created_by_id=audit.actor_id(actor),
            )
        )
    return note


def _suggested_goal_id(note: Contribution) -> int | None:
    for link in note.goal_links:
        if link.relation == GoalRelation.SUGGESTED:
            return link.goal_id
    return None


def correct_note(note: WorkshopNote, text: str, group: str, goal: Goal | None, actor: Any) -> None:
    """Correct a note's text, group or goal; the earlier version goes to the audit trail.

    Only a suggested goal is replaced; a link staff have confirmed stays.
    """
    body_html, body_text = check_text(text)
    before = {
        "text": note.body_text,
        "group": note.participant_group,
        "goal_id": _suggested_goal_id(note),
    }
    note.body_html = body_html
    note.body_text = body_text
    note.participant_group = group
    new_goal_id = goal.id if goal is not None else None
    if new_goal_id != before["goal_id"]:
        note.goal_links = [
            link
            for link in note.goal_links
            if not (link.relation == GoalRelation.SUGGESTED and link.goal_id == before["goal_id"])
        ]
        db.session.flush()
        if goal is not None:
            link_goal(note, goal, GoalRelation.SUGGESTED, actor)
    after = {"text": body_text, "group": group, "goal_id": new_goal_id}
    if after == before:
        return
    note.updated_at = utcnow()
    db.session.flush()
    audit.record(
        "contribution_corrected",
        actor_id=audit.actor_id(actor),
        subject_type="contribution",
        subject_id=note.id,
        before=before,
        after=after,
    )


def hide_contribution(contribution: Contribution, reason: str, actor: Any) -> None:
    """Take an input down with a reason; it stays stored and can be shown again."""
    reason = reason.strip()
    if not reason:
        raise ContributionError(_("Give the reason for hiding it."))
    if len(reason) > MAX_REASON_LENGTH:
        raise ContributionError(
            _("The reason can be at most {limit} characters long.").format(limit=MAX_REASON_LENGTH)
        )
    if contribution.status == ContributionStatus.HIDDEN:
        return
    previous = contribution.status
    contribution.status = ContributionStatus.HIDDEN.value
    contribution.hidden_at = utcnow()
    contribution.hidden_by_id = audit.actor_id(actor)
    contribution.hidden_reason = reason
    db.session.flush()
    audit.record(
        "contribution_hidden",
        actor_id=audit.actor_id(actor),
        subject_type="contribution",
        subject_id=contribution.id,
        reason=reason,
        previous_status=previous,
    )


def restore_contribution(contribution: Contribution, actor: Any) -> None:
    """Show a hidden input again; the earlier reason stays in the audit trail."""
    if contribution.status != ContributionStatus.HIDDEN:
        return
    reason = contribution.hidden_reason
    contribution.status = ContributionStatus.PUBLISHED.value
    contribution.published_at = contribution.published_at or utcnow()
    contribution.hidden_at = None
    contribution.hidden_by_id = None
    contribution.hidden_reason = None
    db.session.flush()
    audit.record(
        "contribution_restored",
        actor_id=audit.actor_id(actor),
        subject_type="contribution",
        subject_id=contribution.id,
        hidden_reason=reason,
    )
