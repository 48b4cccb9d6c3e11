"""The feedback report (återkoppling): written, published and announced."""

from __future__ import annotations

from flask_babel import force_locale

from dialog.accounts.models import User
from dialog.contributions.queries import contributor_recipients
from dialog.core import audit
from dialog.core.i18n import _, localized
from dialog.core.mail import queue_mail
from dialog.core.models import utcnow
from dialog.core.sanitize import RichText, clean_rich_fields, optional_text
from dialog.dialogues import queries
from dialog.dialogues.models import (
    Dialogue,
    DialogueStatus,
    FeedbackReport,
)
from dialog.dialogues.services.common import (
    DialogueError,
    ReportInput,
)
from dialog.dialogues.services.planning import (
    set_status,
)
from dialog.dialogues.services.registration import (
    MailLinks,
)

# Feedback report -----------------------------------------------------------------------


def _html_and_text(rich: RichText | None) -> tuple[str | None, str | None]:
    return (rich.html, rich.text) if rich is not None else (None, None)


def save_report(dialogue: Dialogue, data: ReportInput, actor: User | None) -> FeedbackReport:
    """Write or change the feedback report (a draft until published).

    Raises TextLossError, before any change, when sanitising would remove typed text
    that the author has not yet seen and confirmed.
    """
    rich = clean_rich_fields(
        {
            "heard_sv": data.heard_sv,
            "heard_en": data.heard_en,
            "next_steps_sv": data.next_steps_sv,
            "next_steps_en": data.next_steps_en,
        },
        data.confirm_cleaning,
    )
    report = dialogue.report
    if report is None:
        report = FeedbackReport()
        dialogue.report = report
    heard_sv, next_steps_sv = rich["heard_sv"], rich["next_steps_sv"]
    report.heard_html_sv = heard_sv.html if heard_sv else ""
    report.heard_text_sv = heard_sv.text if heard_sv else ""
    report.next_steps_html_sv = next_steps_sv.html if next_steps_sv else ""
    report.next_steps_text_sv = next_steps_sv.text if next_steps_sv else ""
    report.decisions_expected_sv = (data.decisions_expected_sv or "").strip()
    report.heard_html_en, report.heard_text_en = _html_and_text(rich["heard_en"])
    report.next_steps_html_en, report.next_steps_text_en = _html_and_text(rich["next_steps_en"])
    report.decisions_expected_en = optional_text(data.decisions_expected_en)
    report.updated_at = utcnow()
    audit.record(
        "feedback_report_saved", actor, dialogue, published=report.published_at is not None
    )
    return report


def publish_report(dialogue: Dialogue, actor: User | None, links: MailLinks | None) -> int:
    """Publish the feedback report, mark the dialogue reported and tell everyone who left
    an email. Returns how many emails were queued (none when it was already published, or
    without links: the demo's made-up participants are told nothing).
    """
    report = dialogue.report
    if dialogue.status not in (DialogueStatus.CLOSED, DialogueStatus.REPORTED):
        raise DialogueError(_("Close the dialogue before you publish the feedback report."))
    if report is None or not (
        report.heard_text_sv and report.next_steps_text_sv and report.decisions_expected_sv
    ):
        raise DialogueError(
            _(
                "Fill in what was heard, what happens next and when decisions are expected "
                "before you publish."
            )
        )
    if report.published_at is not None:
        return 0
    report.published_at = utcnow()
    report.published_by_id = audit.actor_id(actor)
    audit.record("feedback_report_published", actor, dialogue)
    if dialogue.status != DialogueStatus.REPORTED:
        set_status(dialogue, DialogueStatus.REPORTED.value, actor)
    return 0 if links is None else _announce_report(dialogue, links)


def _announce_report(dialogue: Dialogue, links: MailLinks) -> int:
    recipients: dict[str, str] = {}
    for email, locale in queries.registrant_recipients(dialogue) + contributor_recipients(
        dialogue.id
    ):
        recipients.setdefault(email.strip().lower(), locale or "sv")
    link = links.dialogue_url(dialogue)
    for email, locale in recipients.items():
        with force_locale(locale if locale in ("sv", "en") else "sv"):
            title = localized(dialogue, "title") or dialogue.title_sv
            queue_mail(
                email,
                _("Feedback from “{title}”").format(title=title),
                _(
                    "Hello,\n\nYou took part in “{title}”. The feedback report is now "
                    "published: what we heard, what happens next and when decisions are "
                    "expected.\n\nRead it here: {link}\n\nThank you for taking part."
                ).format(title=title, link=link),
            )
    return len(recipients)
