"""Moderation decisions: publish, reject, hide, restore, redact, mark as a duplicate and
dismiss reports, one input at a time or a selection at once.

Every decision goes through the contribution services where they exist (they keep the
comment counts right), writes one ``ModerationDecision`` (for the figures) and an audit
entry with before and after, resolves the input's open reports, and tells the author by
mail when they left an address. Services flush and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from sqlalchemy import select, update

from dialog.accounts.models import User
from dialog.contributions import services as contributions
from dialog.contributions.models import (
    MAX_REASON_LENGTH,
    MAX_TITLE_LENGTH,
    Contribution,
    ContributionKind,
    ContributionStatus,
)
from dialog.contributions.queries import contribution_by_reference
from dialog.contributions.services.common import decision_state
from dialog.core import audit
from dialog.core.i18n import _, localized
from dialog.core.mail import queue_mail
from dialog.core.models import utcnow
from dialog.core.rules import RuleError, is_single_line
from dialog.core.sanitize import clean_rich, optional_text, text_html, typed_text
from dialog.core.urls import absolute_url
from dialog.extensions import db
from dialog.moderation import decisions, queries, reasons
from dialog.moderation.models import Flag, ModerationAction, ModerationDecision

# Kinds whose text is rich (sanitised HTML); the others are plain text as typed.
RICH_KINDS = frozenset({ContributionKind.PROPOSAL.value, ContributionKind.COMMENT.value})
# What a selection of inputs can be given at once.
BULK_ACTIONS = (ModerationAction.PUBLISH, ModerationAction.REJECT, ModerationAction.HIDE)
REDACTED_MARK = "[borttaget]"


class ModerationError(RuleError):
    """A decision that cannot be taken; the message is translated and safe to show."""


# What every decision shares ------------------------------------------------------------


def check_reason(code: str | None) -> str:
    """The reason code if it is one of the configured reasons."""
    if not code or code not in dict(reasons.moderation_reasons()):
        raise ModerationError(_("Choose a reason from the list."), "reason")
    return code


def check_note(note: str | None) -> str | None:
    """The note to the author as typed (None when empty), at most MAX_REASON_LENGTH."""
    note = optional_text(note)
    if note is not None and len(note) > MAX_REASON_LENGTH:
        raise ModerationError(
            _("The note can be at most {limit} characters long.").format(limit=MAX_REASON_LENGTH),
            "note",
        )
    return note


def _resolve_reports(contribution: Contribution, actor: User | None) -> int:
    """Close the input's open reports; return how many there were."""
    result = db.session.execute(
        update(Flag)
        .where(Flag.contribution_id == contribution.id, Flag.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=audit.actor_id(actor))
        .execution_options(synchronize_session=False)
    )
    contribution.report_count = 0
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _still_waits(contribution: Contribution) -> bool:
    """Still for an editor to decide: waiting to be published, or hidden by reports."""
    return contribution.status == ContributionStatus.PENDING or (
        contribution.status == ContributionStatus.HIDDEN
        and contribution.moderation_reason == reasons.REPORTED
    )


def _decided(
    contribution: Contribution,
    action: ModerationAction,
    actor: User | None,
    reason: str | None = None,
    note: str | None = None,
) -> ModerationDecision:
    """Record the decision, close the reports, and take the input out of the queue."""
    _resolve_reports(contribution, actor)
    contribution.needs_review = _still_waits(contribution)
    decision = decisions.record_decision(contribution, action, actor, reason, note)
    db.session.flush()
    return decision


# One input --------------------------------------------------------------------------------


def publish(contribution: Contribution, actor: User | None) -> ModerationDecision:
    """Publish a waiting input; a published one that waited for review is kept as it is."""
    if contribution.status == ContributionStatus.PENDING:
        contributions.publish_contribution(contribution, actor)
        decision = _decided(contribution, ModerationAction.PUBLISH, actor)
        notify_author(contribution, ModerationAction.PUBLISH)
        return decision
    if contribution.status != ContributionStatus.PUBLISHED:
        raise ModerationError(_("Only a waiting or published input can be published."))
    before = _queue_state(contribution)
    decision = _decided(contribution, ModerationAction.PUBLISH, actor)
    audit.record(
        "contribution_reviewed",
        actor,
        contribution,
        before=before,
        after=_queue_state(contribution),
    )
    return decision


def _queue_state(contribution: Contribution) -> dict[str, Any]:
    return audit.snapshot(contribution, ("status", "needs_review", "report_count"))


def reject(
    contribution: Contribution, code: str | None, note: str | None, actor: User | None
) -> ModerationDecision:
    """Keep a waiting input from the public, with a reason and a note to its author."""
    code, note = check_reason(code), check_note(note)
    if contribution.status != ContributionStatus.PENDING:
        raise ModerationError(
            _("Only a waiting input can be rejected; hide a published one instead.")
        )
    before = decision_state(contribution)
    contribution.status = ContributionStatus.REJECTED.value
    contribution.moderation_reason, contribution.moderation_note = code, note
    decision = _decided(contribution, ModerationAction.REJECT, actor, code, note)
    audit.record(
        "contribution_rejected",
        actor,
        contribution,
        reason=code,
        note=note,
        before=before,
        after=decision_state(contribution),
    )
    notify_author(contribution, ModerationAction.REJECT)
    return decision


def hide(
    contribution: Contribution, code: str | None, note: str | None, actor: User | None
) -> ModerationDecision:
    """Take a published input down (or keep one hidden by reports down), with a reason."""
    code, note = check_reason(code), check_note(note)
    if contribution.status not in (ContributionStatus.PUBLISHED, ContributionStatus.HIDDEN):
        raise ModerationError(_("Only a published input can be hidden."))
    contributions.hide_contribution(
        contribution, note or reasons.reason_label(code), actor, code=code, note=note
    )
    decision = _decided(contribution, ModerationAction.HIDE, actor, code, note)
    notify_author(contribution, ModerationAction.HIDE)
    return decision


def restore(contribution: Contribution, actor: User | None) -> ModerationDecision:
    """Show a hidden or rejected input (again)."""
    if contribution.status == ContributionStatus.REJECTED:
        before = decision_state(contribution)
        contribution.status = ContributionStatus.PENDING.value
        contribution.moderation_reason = contribution.moderation_note = None
        contributions.publish_contribution(contribution, actor)
        audit.record(
            "contribution_restored",
            actor,
            contribution,
            before=before,
            after=decision_state(contribution),
        )
    elif contribution.status == ContributionStatus.HIDDEN:
        contributions.restore_contribution(contribution, actor)
    else:
        raise ModerationError(_("Only a hidden or rejected input can be shown again."))
    contribution.duplicate_of_id = None
    decision = _decided(contribution, ModerationAction.RESTORE, actor)
    notify_author(contribution, ModerationAction.RESTORE)
    return decision


def dismiss_reports(contribution: Contribution, actor: User | None) -> ModerationDecision:
    """The reports were looked at and the input stays; one hidden by them is shown again."""
    if not contribution.report_count and not _hidden_by_reports(contribution):
        raise ModerationError(_("This input has no open reports."))
    before = _queue_state(contribution)
    if _hidden_by_reports(contribution):
        contributions.restore_contribution(contribution, actor)
    decision = _decided(contribution, ModerationAction.DISMISS_REPORTS, actor)
    audit.record(
        "reports_dismissed",
        actor,
        contribution,
        before=before,
        after=_queue_state(contribution),
    )
    return decision


def _hidden_by_reports(contribution: Contribution) -> bool:
    return (
        contribution.status == ContributionStatus.HIDDEN
        and contribution.moderation_reason == reasons.REPORTED
    )


def _redacted_text(contribution: Contribution, body: str) -> tuple[str, str]:
    """The redacted text as stored: rich text sanitised, plain text kept as typed."""
    if contribution.kind in RICH_KINDS:
        rich = clean_rich(body)
        return rich.html, rich.text
    text = typed_text(body)
    return text_html(text), text


def _redacted_title(contribution: Contribution, title: str | None) -> str | None:
    if contribution.title is None:
        return None
    title = (title or "").strip()
    if not title:
        raise ModerationError(_("The title cannot be empty."), "title")
    if len(title) > MAX_TITLE_LENGTH or not is_single_line(title):
        raise ModerationError(
            _("A title is one line of at most {limit} characters.").format(limit=MAX_TITLE_LENGTH),
            "title",
        )
    return title


REDACTION_FIELDS = ("redacted_title", "redacted_body_text")


def redact(
    contribution: Contribution, title: str | None, body: str, actor: User | None
) -> ModerationDecision:
    """Show the public a text with parts struck out; editors still see the original.

    The text given is the whole text as it should be shown. Given back unchanged, the
    redaction is undone (the public sees the original again).
    """
    new_title = _redacted_title(contribution, title)
    body_html, body_text = _redacted_text(contribution, body)
    if not body_text:
        raise ModerationError(_("The text cannot be empty."), "body")
    before = audit.snapshot(contribution, REDACTION_FIELDS)
    if body_text == contribution.body_text and new_title == contribution.title:
        if not contribution.is_redacted:
            raise ModerationError(
                _(
                    "Nothing was struck out: change the text, e.g. replace a phone number with "
                    "{mark}."
                ).format(mark=REDACTED_MARK),
                "body",
            )
        contribution.redacted_title = None
        contribution.redacted_body_html = contribution.redacted_body_text = None
    else:
        contribution.redacted_title = new_title
        contribution.redacted_body_html, contribution.redacted_body_text = body_html, body_text
    decision = _decided(contribution, ModerationAction.REDACT, actor)
    audit.record_change(
        "contribution_redacted",
        actor,
        contribution,
        before,
        audit.snapshot(contribution, REDACTION_FIELDS),
    )
    if contribution.is_redacted:
        notify_author(contribution, ModerationAction.REDACT)
    return decision


def mark_duplicate(
    contribution: Contribution, reference: str | None, note: str | None, actor: User | None
) -> ModerationDecision:
    """Mark the input as a repeat of another (by its reference number): it is not shown as
    its own, and its page leads to the original."""
    note = check_note(note)
    original = contribution_by_reference((reference or "").strip())
    if original is None:
        raise ModerationError(_("No input has that reference number."), "reference")
    if original.duplicate_of_id is not None:
        original = db.session.get(Contribution, original.duplicate_of_id) or original
    if original.id == contribution.id:
        raise ModerationError(_("An input cannot repeat itself."), "reference")
    if contribution.status not in (
        ContributionStatus.PENDING,
        ContributionStatus.PUBLISHED,
        ContributionStatus.HIDDEN,
    ):
        raise ModerationError(_("Only a waiting, published or hidden input can be marked."))
    before = {**decision_state(contribution), "duplicate_of_id": contribution.duplicate_of_id}
    code = reasons.DUPLICATE
    if contribution.status == ContributionStatus.PENDING:
        contribution.status = ContributionStatus.REJECTED.value
        contribution.moderation_reason, contribution.moderation_note = code, note
    else:
        contributions.hide_contribution(
            contribution, note or reasons.reason_label(code), actor, code=code, note=note
        )
    contribution.duplicate_of_id = original.id
    decision = _decided(contribution, ModerationAction.DUPLICATE, actor, code, note)
    audit.record(
        "contribution_marked_duplicate",
        actor,
        contribution,
        original=original.reference,
        before=before,
        after={**decision_state(contribution), "duplicate_of_id": original.id},
    )
    notify_author(contribution, ModerationAction.DUPLICATE, original)
    return decision


# A selection ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkResult:
    done: list[Contribution]
    # Inputs the action does not apply to (a published one cannot be rejected …).
    skipped: list[Contribution]


def apply_bulk(
    ids: Iterable[int],
    action: str,
    code: str | None,
    note: str | None,
    actor: User | None,
) -> BulkResult:
    """Publish, reject or hide each selected input with one reason and note.

    The reason and note are checked before the first change; an input the action does not
    apply to is left as it is and reported back.
    """
    if action not in {choice.value for choice in BULK_ACTIONS}:
        raise ModerationError(_("Choose what to do with the selected inputs."), "action")
    if action != ModerationAction.PUBLISH:
        code, note = check_reason(code), check_note(note)
    selected = queries.inputs_by_ids(ids)
    if not selected:
        raise ModerationError(_("Select at least one input."))
    done: list[Contribution] = []
    skipped: list[Contribution] = []
    for contribution in selected:
        try:
            if action == ModerationAction.PUBLISH:
                publish(contribution, actor)
            elif action == ModerationAction.REJECT:
                reject(contribution, code, note, actor)
            else:
                hide(contribution, code, note, actor)
        except ModerationError:
            skipped.append(contribution)
        else:
            done.append(contribution)
    return BulkResult(done, skipped)


# Telling the author ------------------------------------------------------------------------


def _author_address(contribution: Contribution) -> tuple[str, str] | None:
    """(email, language) to tell the author at: their account's, else the one typed."""
    if contribution.author_id is not None:
        row = db.session.execute(
            select(User.email, User.locale).where(User.id == contribution.author_id)
        ).first()
        if row is not None:
            return row.email, row.locale or contribution.language
    if contribution.author_email:
        return contribution.author_email, contribution.language
    return None


def improve_url(contribution: Contribution) -> str | None:
    """Where the author can send an improved version, while the dialogue takes input."""
    dialogue = contribution.dialogue
    if dialogue is None or not dialogue.takes_online_input():
        return None
    if contribution.kind == ContributionKind.PROPOSAL:
        return absolute_url("contributions.new_proposal", slug=dialogue.slug)
    if contribution.kind == ContributionKind.COMMENT and contribution.parent_id is not None:
        return absolute_url(
            "contributions.new_comment", slug=dialogue.slug, proposal_id=contribution.parent_id
        )
    return None


def _decision_text(action: ModerationAction, original: Contribution | None) -> str:
    if action == ModerationAction.PUBLISH:
        return _("It is now published on the website.")
    if action == ModerationAction.REJECT:
        return _("It was not published.")
    if action == ModerationAction.HIDE:
        return _("It has been taken down from the website. It is kept, not deleted.")
    if action == ModerationAction.RESTORE:
        return _("It is shown on the website again.")
    if action == ModerationAction.REDACT:
        return _(
            "Part of it has been struck out where it is shown on the website, for example "
            "personal data. The rest is shown as you wrote it."
        )
    reference = original.reference if original is not None else ""
    return _(
        "It repeats another input, {reference}, so it is not shown on its own: the other "
        "one is shown instead."
    ).format(reference=reference)


def notify_author(
    contribution: Contribution, action: ModerationAction, original: Contribution | None = None
) -> None:
    """Mail the author the decision, why, and how to send an improved version (outbox)."""
    address = _author_address(contribution)
    if address is None:
        return
    email, language = address
    dialogue = contribution.dialogue
    with force_locale(language if language in ("sv", "en") else "sv"):
        title = (localized(dialogue, "title") or dialogue.title_sv) if dialogue else ""
        lines = [
            _("Hello,"),
            "",
            _("The web editors have looked at your input {reference} to “{dialogue}”.").format(
                reference=contribution.reference, dialogue=title
            ),
            _decision_text(action, original),
        ]
        if contribution.moderation_reason and action in (
            ModerationAction.REJECT,
            ModerationAction.HIDE,
            ModerationAction.DUPLICATE,
        ):
            lines.append(
                _("Reason: {reason}").format(
                    reason=reasons.reason_label(contribution.moderation_reason)
                )
            )
            if contribution.moderation_note:
                lines += ["", _("The editors' note to you:"), contribution.moderation_note]
        url = improve_url(contribution)
        if url and action in (ModerationAction.REJECT, ModerationAction.HIDE):
            lines += [
                "",
                _("You are welcome to send an improved version while the dialogue is open:"),
                url,
            ]
        lines += [
            "",
            _("The receipt link you were sent when you sent the input shows its status."),
        ]
        subject = _("A decision on your input {reference}").format(reference=contribution.reference)
    queue_mail(email, subject, "\n".join(lines) + "\n")
