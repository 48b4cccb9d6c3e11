"""Dialogue rules: planning, status, who may send input and when, registration with a
waiting list, capturing notes and headcounts, and the feedback report.

Services flush and never commit; the request (or the command) commits at its edge.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import force_locale, format_datetime

from dialog.accounts.models import Role
from dialog.accounts.permissions import has_role
from dialog.contributions import services as contributions
from dialog.contributions.models import WorkshopNote
from dialog.contributions.queries import contributor_recipients
from dialog.core import audit
from dialog.core.i18n import _, localized
from dialog.core.mail import queue_mail
from dialog.core.models import utcnow
from dialog.core.rules import RuleError
from dialog.core.sanitize import clean_html, plain_text
from dialog.dialogues import queries
from dialog.dialogues.imports import (
    NoteRow,
    ParsedNotes,
    RejectedRow,
    group_lookup,
    parse_notes_csv,
    split_lines,
)
from dialog.dialogues.models import (
    GROUP_LABELS,
    Dialogue,
    DialogueAudience,
    DialogueFormat,
    DialogueGoal,
    DialogueStatus,
    FeedbackReport,
    Group,
    Headcount,
    Level,
    Moderation,
    Registration,
    RegistrationStatus,
)
from dialog.extensions import db
from dialog.goals.models import Framework, Goal

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Paths under /dialogues/ that are pages, not dialogues.
RESERVED_SLUGS = frozenset({"new", "manage", "cancel"})
MAX_CAPTURE_LINES = 500
MAX_HEADCOUNT = 100_000

# Which status may follow which. Reporting needs the published feedback report.
TRANSITIONS = {
    DialogueStatus.PLANNED: frozenset({DialogueStatus.OPEN, DialogueStatus.CLOSED}),
    DialogueStatus.OPEN: frozenset({DialogueStatus.CLOSED}),
    DialogueStatus.CLOSED: frozenset({DialogueStatus.OPEN, DialogueStatus.REPORTED}),
    DialogueStatus.REPORTED: frozenset(),
}


class DialogueError(RuleError):
    """A rule of this area was broken."""


@dataclass
class DialogueInput:
    """What the planning form gives: every field of a dialogue but its slug and status."""

    framework: Framework
    title_sv: str
    format: str
    level: str
    title_en: str | None = None
    description_sv: str = ""
    description_en: str | None = None
    focus_goal_ids: list[int] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    influence_sv: str | None = None
    influence_en: str | None = None
    place_name: str | None = None
    address: str | None = None
    accessibility_sv: str | None = None
    accessibility_en: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    moderation: str = Moderation.BEFORE.value
    registration_enabled: bool = False
    capacity: int | None = None
    facilitator_ids: list[int] = field(default_factory=list)
    is_example: bool = False


@dataclass
class ReportInput:
    heard_sv: str
    next_steps_sv: str
    decisions_expected_sv: str
    heard_en: str | None = None
    next_steps_en: str | None = None
    decisions_expected_en: str | None = None


def _actor_id(actor: Any) -> int | None:
    return getattr(actor, "id", None)


def _optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def configured_groups() -> list[str]:
    """The groups this installation offers (setting DIALOGUE_GROUPS), in the list's order."""
    wanted = set(current_app.config.get("DIALOGUE_GROUPS") or ())
    return [group.value for group in Group if not wanted or group.value in wanted]


# Rules ---------------------------------------------------------------------------------


def accepts_input(dialogue: Dialogue) -> bool:
    """Input (notes on the day included) only while open, and never at the inform level."""
    return dialogue.level != Level.INFORM and dialogue.status == DialogueStatus.OPEN


def accepts_online_input(dialogue: Dialogue, now: datetime | None = None) -> bool:
    """Residents' online input: open, and inside the window when one is set."""
    now = now or utcnow()
    if not accepts_input(dialogue):
        return False
    if dialogue.opens_at is not None and now < dialogue.opens_at:
        return False
    return dialogue.closes_at is None or now < dialogue.closes_at


def check_accepts_input(dialogue: Dialogue) -> None:
    """Raise DialogueError, saying why, unless the dialogue takes input now."""
    if dialogue.level == Level.INFORM:
        raise DialogueError(_("This dialogue only informs; it takes no input."))
    if dialogue.status != DialogueStatus.OPEN:
        raise DialogueError(_("The dialogue is not open for input. Open it first."))


def registration_open(dialogue: Dialogue, now: datetime | None = None) -> bool:
    """Sign-up: an event with registration, not yet started, planned or open."""
    now = now or utcnow()
    return (
        dialogue.registration_enabled
        and dialogue.is_event
        and dialogue.starts_at is not None
        and now < dialogue.starts_at
        and dialogue.status in (DialogueStatus.PLANNED, DialogueStatus.OPEN)
    )


def allowed_statuses(dialogue: Dialogue) -> list[DialogueStatus]:
    """The statuses the dialogue may move to now (what the status form offers)."""
    allowed = TRANSITIONS[DialogueStatus(dialogue.status)]
    return [
        status
        for status in DialogueStatus
        if status in allowed
        and not (status == DialogueStatus.OPEN and dialogue.level == Level.INFORM)
    ]


# Planning ------------------------------------------------------------------------------


def check_slug(slug: str) -> str:
    slug = slug.strip().lower()
    if not SLUG_PATTERN.match(slug) or len(slug) > 80:
        raise DialogueError(
            _("Use lower-case letters a–z, digits and hyphens, like koping-centrum-2019."),
            "slug",
        )
    if slug in RESERVED_SLUGS or queries.slug_taken(slug):
        raise DialogueError(_("Another dialogue already has this address."), "slug")
    return slug


def _check_input(data: DialogueInput) -> None:
    if not data.title_sv.strip():
        raise DialogueError(_("Give the dialogue a title."), "title_sv")
    if data.format not in set(DialogueFormat):
        raise DialogueError(_("Choose a format."), "format")
    if data.level not in set(Level):
        raise DialogueError(_("Choose a level on the participation ladder."), "level")
    if any(audience not in set(Group) for audience in data.audiences):
        raise DialogueError(_("Choose audiences from the list."), "audiences")
    if data.moderation not in set(Moderation):
        raise DialogueError(_("Choose how input is moderated."), "moderation")
    if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
        raise DialogueError(_("The end must come after the start."), "ends_at")
    if data.ends_at and not data.starts_at:
        raise DialogueError(_("Give the start as well as the end."), "starts_at")
    if data.opens_at and data.closes_at and data.closes_at <= data.opens_at:
        raise DialogueError(_("Input must close after it opens."), "closes_at")
    if data.registration_enabled:
        if data.format == DialogueFormat.ONLINE_CONSULTATION or data.starts_at is None:
            raise DialogueError(
                _("Registration is for events in a place: give the start time."),
                "registration_enabled",
            )
        if data.capacity is not None and data.capacity < 1:
            raise DialogueError(_("The capacity must be at least 1."), "capacity")


def _focus_links(data: DialogueInput) -> list[DialogueGoal]:
    goals = {goal.id: goal for goal in data.framework.goals}
    links = []
    for position, goal_id in enumerate(dict.fromkeys(data.focus_goal_ids)):
        if goal_id not in goals:
            raise DialogueError(_("Choose focus goals of the chosen framework."), "focus_goals")
        links.append(DialogueGoal(goal_id=goal_id, goal=goals[goal_id], position=position))
    return links


def _facilitators(data: DialogueInput, actor: Any) -> list[Any]:
    candidates = {user.id: user for user in queries.facilitator_candidates()}
    chosen = []
    for user_id in dict.fromkeys(data.facilitator_ids):
        if user_id not in candidates:
            raise DialogueError(_("Choose facilitators from the list."), "facilitators")
        chosen.append(candidates[user_id])
    # A facilitator stays responsible for what they plan, or they would lose it at once.
    actor_id = _actor_id(actor)
    own = candidates.get(actor_id) if actor_id is not None else None
    if own is not None and not has_role(actor, Role.ADMIN) and own not in chosen:
        chosen.append(own)
    return chosen


def _apply(dialogue: Dialogue, data: DialogueInput, actor: Any) -> None:
    # Every check comes before the first change, so a refused form changes nothing.
    _check_input(data)
    focus_links = _focus_links(data)
    facilitators = _facilitators(data, actor)
    dialogue.framework = data.framework
    dialogue.framework_id = data.framework.id
    dialogue.title_sv = data.title_sv.strip()
    dialogue.title_en = _optional(data.title_en)
    description_sv = clean_html(data.description_sv or "")
    dialogue.description_html_sv = description_sv
    dialogue.description_text_sv = plain_text(description_sv)
    if _optional(data.description_en):
        description_en = clean_html(data.description_en or "")
        dialogue.description_html_en = description_en
        dialogue.description_text_en = plain_text(description_en)
    else:
        dialogue.description_html_en = dialogue.description_text_en = None
    dialogue.format = data.format
    dialogue.level = data.level
    dialogue.influence_sv = _optional(data.influence_sv)
    dialogue.influence_en = _optional(data.influence_en)
    dialogue.place_name = _optional(data.place_name)
    dialogue.address = _optional(data.address)
    dialogue.accessibility_sv = _optional(data.accessibility_sv)
    dialogue.accessibility_en = _optional(data.accessibility_en)
    dialogue.starts_at = data.starts_at
    dialogue.ends_at = data.ends_at
    dialogue.opens_at = data.opens_at
    dialogue.closes_at = data.closes_at
    dialogue.moderation = data.moderation
    dialogue.registration_enabled = data.registration_enabled
    dialogue.capacity = data.capacity if data.registration_enabled else None
    dialogue.is_example = data.is_example
    dialogue.focus_links = focus_links
    wanted = list(dict.fromkeys(data.audiences))
    dialogue.audience_links = [DialogueAudience(audience=audience) for audience in wanted]
    dialogue.facilitators = facilitators


def _snapshot(dialogue: Dialogue) -> dict[str, Any]:
    return {
        "title_sv": dialogue.title_sv,
        "framework": dialogue.framework.slug if dialogue.framework else None,
        "format": dialogue.format,
        "level": dialogue.level,
        "starts_at": dialogue.starts_at.isoformat() if dialogue.starts_at else None,
        "capacity": dialogue.capacity,
        "registration_enabled": dialogue.registration_enabled,
        "focus_goals": [link.goal_id for link in dialogue.focus_links],
        "audiences": dialogue.audiences,
        "facilitators": sorted(dialogue.facilitator_ids),
    }


def create_dialogue(slug: str, data: DialogueInput, actor: Any) -> Dialogue:
    """Plan a new dialogue; it starts as planned."""
    dialogue = Dialogue(
        slug=check_slug(slug),
        status=DialogueStatus.PLANNED.value,
        created_by_id=_actor_id(actor),
    )
    _apply(dialogue, data, actor)
    db.session.add(dialogue)
    db.session.flush()
    audit.record(
        "dialogue_created",
        actor_id=_actor_id(actor),
        subject_type="dialogue",
        subject_id=dialogue.id,
        after=_snapshot(dialogue),
    )
    return dialogue


def update_dialogue(
    dialogue: Dialogue, data: DialogueInput, actor: Any, mail: MailLinks | None = None
) -> Dialogue:
    """Change a dialogue's plan; a larger capacity gives the waiting list places."""
    before = _snapshot(dialogue)
    if data.level == Level.INFORM and dialogue.status == DialogueStatus.OPEN:
        raise DialogueError(
            _("An open dialogue cannot become information only. Close it first."), "level"
        )
    _apply(dialogue, data, actor)
    db.session.flush()
    after = _snapshot(dialogue)
    if after != before:
        audit.record(
            "dialogue_updated",
            actor_id=_actor_id(actor),
            subject_type="dialogue",
            subject_id=dialogue.id,
            before=before,
            after=after,
        )
    if mail is not None:
        _fill_places(dialogue, mail)
    return dialogue


def set_status(dialogue: Dialogue, status: str, actor: Any) -> Dialogue:
    """Move the dialogue along: planned → open → closed → reported (with the report)."""
    try:
        wanted = DialogueStatus(status)
    except ValueError:
        raise DialogueError(_("Choose a status from the list.")) from None
    current = DialogueStatus(dialogue.status)
    if wanted == current:
        return dialogue
    if wanted == DialogueStatus.OPEN and dialogue.level == Level.INFORM:
        raise DialogueError(_("This dialogue only informs; it cannot be opened for input."))
    if wanted == DialogueStatus.REPORTED and dialogue.published_report is None:
        raise DialogueError(
            _("Publish the feedback report first; a dialogue is reported back with it.")
        )
    if wanted not in TRANSITIONS[current]:
        raise DialogueError(_("A dialogue cannot go from this status to that one."))
    dialogue.status = wanted.value
    db.session.flush()
    audit.record(
        "dialogue_status_changed",
        actor_id=_actor_id(actor),
        subject_type="dialogue",
        subject_id=dialogue.id,
        before=current.value,
        after=wanted.value,
    )
    return dialogue


# Registration --------------------------------------------------------------------------


@dataclass(frozen=True)
class MailLinks:
    """How to build the absolute links that emails carry (the views know the URLs)."""

    dialogue_url: Callable[[Dialogue], str]
    cancel_url: Callable[[str], str]
    calendar_url: Callable[[Dialogue], str]


def _event_time(dialogue: Dialogue) -> str:
    if dialogue.starts_at is None:
        return ""
    start = format_datetime(dialogue.starts_at, "full")
    if dialogue.ends_at is None:
        return start
    if dialogue.ends_at.date() == dialogue.starts_at.date():
        return f"{start} – {format_datetime(dialogue.ends_at, 'HH:mm')}"
    return f"{start} – {format_datetime(dialogue.ends_at, 'full')}"


def _place(dialogue: Dialogue) -> str:
    return ", ".join(part for part in (dialogue.place_name, dialogue.address) if part)


def _registration_mail(
    registration: Registration, token: str, links: MailLinks, promoted: bool = False
) -> None:
    dialogue = registration.dialogue
    with force_locale(registration.locale):
        title = localized(dialogue, "title") or dialogue.title_sv
        details = _(
            "When: {time}\nWhere: {place}\nAbout the dialogue: {link}\n"
            "Add it to your calendar: {calendar}"
        ).format(
            time=_event_time(dialogue),
            place=_place(dialogue) or "–",
            link=links.dialogue_url(dialogue),
            calendar=links.calendar_url(dialogue),
        )
        cancel = _(
            "If you cannot come, cancel with this link so someone on the waiting list "
            "gets your place:\n{link}"
        ).format(link=links.cancel_url(token))
        if promoted:
            subject = _("A place has opened up for you: {title}").format(title=title)
            intro = _(
                "Hello {name},\n\nSomeone has cancelled, and you now have a place at “{title}”."
            ).format(name=registration.name, title=title)
        elif registration.status == RegistrationStatus.CONFIRMED:
            subject = _("You have a place: {title}").format(title=title)
            intro = _("Hello {name},\n\nWelcome! You have a place at “{title}”.").format(
                name=registration.name, title=title
            )
        else:
            subject = _("You are on the waiting list: {title}").format(title=title)
            intro = _(
                "Hello {name},\n\n“{title}” is full, so you are number {position} on the "
                "waiting list. If someone cancels, you move up and we email you."
            ).format(
                name=registration.name,
                title=title,
                position=queries.waiting_position(registration),
            )
        queue_mail(registration.email, subject, f"{intro}\n\n{details}\n\n{cancel}\n")


def _new_token(registration: Registration) -> str:
    token = secrets.token_urlsafe(32)
    registration.cancel_token_hash = queries.token_hash(token)
    return token


def register(
    dialogue: Dialogue,
    name: str,
    email: str,
    needs: str | None,
    locale: str,
    links: MailLinks,
) -> Registration:
    """Sign someone up: a place while there is one, else the waiting list; email them.

    Signing up again with the same address sends a fresh confirmation (the earlier
    cancel link stops working) instead of taking a second place.
    """
    if not registration_open(dialogue):
        raise DialogueError(_("Registration for this dialogue is closed."))
    name, email = name.strip(), email.strip()
    if not name or not email:
        raise DialogueError(_("Give your name and email address."))
    queries.lock_dialogue(dialogue)
    registration = queries.active_registration(dialogue, email)
    if registration is None:
        has_room = (
            dialogue.capacity is None or queries.confirmed_count(dialogue) < dialogue.capacity
        )
        registration = Registration(
            dialogue=dialogue,
            dialogue_id=dialogue.id,
            name=name,
            email=email,
            needs=_optional(needs),
            locale=locale,
            status=(RegistrationStatus.CONFIRMED if has_room else RegistrationStatus.WAITING).value,
            created_at=utcnow(),
        )
        db.session.add(registration)
        token = _new_token(registration)
        db.session.flush()
        audit.log_event(
            "dialogue_registration", dialogue_id=dialogue.id, status=registration.status
        )
    else:
        token = _new_token(registration)
        db.session.flush()
    _registration_mail(registration, token, links)
    return registration


def _fill_places(dialogue: Dialogue, links: MailLinks) -> list[Registration]:
    """Give free places to the waiting list, longest waiting first, and email them."""
    promoted: list[Registration] = []
    if not dialogue.registration_enabled:
        return promoted
    confirmed = queries.confirmed_count(dialogue)
    while dialogue.capacity is None or confirmed < dialogue.capacity:
        waiting = queries.first_waiting(dialogue)
        if waiting is None:
            break
        waiting.status = RegistrationStatus.CONFIRMED.value
        waiting.promoted_at = utcnow()
        token = _new_token(waiting)
        db.session.flush()
        _registration_mail(waiting, token, links, promoted=True)
        promoted.append(waiting)
        confirmed += 1
    return promoted


def cancel_registration(registration: Registration, links: MailLinks) -> list[Registration]:
    """Cancel a sign-up by its link; a freed place goes to the waiting list.

    Returns the registrations that moved up.
    """
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    dialogue = registration.dialogue
    queries.lock_dialogue(dialogue)
    registration.status = RegistrationStatus.CANCELLED.value
    registration.cancelled_at = utcnow()
    db.session.flush()
    audit.log_event("dialogue_registration_cancelled", dialogue_id=dialogue.id)
    if dialogue.starts_at is not None and dialogue.starts_at <= utcnow():
        return []  # the event has begun: nobody can move up any more
    return _fill_places(dialogue, links)


# Capture -------------------------------------------------------------------------------


def _goal_of(dialogue: Dialogue, goal_id: int | None) -> Goal | None:
    if goal_id is None:
        return None
    goal = db.session.get(Goal, goal_id)
    if goal is None or goal.framework_id != dialogue.framework_id:
        raise DialogueError(_("Choose a goal of the dialogue's framework."), "goal")
    return goal


def _check_group(group: str) -> None:
    if group not in set(Group):
        raise DialogueError(_("Choose the participant group."), "group")


def capture_notes(
    dialogue: Dialogue, text: str, group: str, goal_id: int | None, actor: Any
) -> list[WorkshopNote]:
    """Store each non-empty line of the text box as one note, with the group and goal."""
    check_accepts_input(dialogue)
    _check_group(group)
    goal = _goal_of(dialogue, goal_id)
    lines = split_lines(text)
    if not lines:
        raise DialogueError(_("Write at least one note, one per line."), "lines")
    if len(lines) > MAX_CAPTURE_LINES:
        raise DialogueError(
            _("At most {limit} notes at a time.").format(limit=MAX_CAPTURE_LINES), "lines"
        )
    # Check every line before storing any, so a faulty line stores nothing.
    for number, line in enumerate(lines, start=1):
        try:
            contributions.check_text(line)
        except contributions.ContributionError as error:
            raise DialogueError(
                _("Line {line}: {problem}").format(line=number, problem=error), "lines"
            ) from None
    notes = [
        contributions.add_workshop_note(dialogue.id, line, group, goal, actor) for line in lines
    ]
    db.session.flush()
    audit.record(
        "notes_captured",
        actor_id=_actor_id(actor),
        subject_type="dialogue",
        subject_id=dialogue.id,
        count=len(notes),
        group=group,
        goal_id=goal.id if goal else None,
    )
    return notes


def read_notes_csv(dialogue: Dialogue, text: str) -> ParsedNotes:
    """Parse a CSV of notes for the dialogue: the rows to store and the rows rejected."""
    spellings = {}
    for group in configured_groups():
        labels = []
        for language in ("sv", "en"):
            with force_locale(language):
                labels.append(str(GROUP_LABELS[Group(group)]))
        spellings[group] = "|".join(labels)
    goals = {goal.code: goal.id for goal in dialogue.framework.goals}
    parsed = parse_notes_csv(text, group_lookup(spellings), goals)
    # A row whose text is nothing once sanitised (only markup, say) is rejected too.
    accepted = []
    for row in parsed.rows:
        try:
            contributions.check_text(row.text)
        except contributions.ContributionError as error:
            parsed.rejected.append(RejectedRow(row.line, row.text[:300], (str(error),)))
        else:
            accepted.append(row)
    parsed.rows = accepted
    parsed.rejected.sort(key=lambda rejected: rejected.line)
    return parsed


def import_notes(dialogue: Dialogue, rows: Iterable[NoteRow], actor: Any) -> list[WorkshopNote]:
    """Store the accepted rows of a CSV import as notes."""
    check_accepts_input(dialogue)
    goals = {goal.id: goal for goal in dialogue.framework.goals}
    notes = []
    for row in rows:
        _check_group(row.group)
        goal = goals.get(row.goal_id) if row.goal_id is not None else None
        notes.append(contributions.add_workshop_note(dialogue.id, row.text, row.group, goal, actor))
    if not notes:
        raise DialogueError(_("There are no rows to import."))
    db.session.flush()
    audit.record(
        "notes_imported",
        actor_id=_actor_id(actor),
        subject_type="dialogue",
        subject_id=dialogue.id,
        count=len(notes),
    )
    return notes


def correct_note(
    dialogue: Dialogue, note: WorkshopNote, text: str, group: str, goal_id: int | None, actor: Any
) -> None:
    """Correct a captured note; who and when go to the audit trail."""
    _check_group(group)
    goal = _goal_of(dialogue, goal_id)
    try:
        contributions.correct_note(note, text, group, goal, actor)
    except contributions.ContributionError as error:
        raise DialogueError(str(error), "text") from None


def set_headcounts(dialogue: Dialogue, counts: dict[str, int | None], actor: Any) -> None:
    """Record how many of each group took part; an empty count removes the row."""
    for group, count in counts.items():
        _check_group(group)
        if count is not None and not 0 <= count <= MAX_HEADCOUNT:
            raise DialogueError(_("Give a number between 0 and 100,000."), f"count_{group}")
    before = {row.group: row.count for row in dialogue.headcounts}
    rows = {row.group: row for row in dialogue.headcounts}
    for group, count in counts.items():
        if count is None or count == 0:
            rows.pop(group, None)
            continue
        if group in rows:
            rows[group].count = count
        else:
            rows[group] = Headcount(group=group, count=count)
    dialogue.headcounts = [rows[group] for group in sorted(rows)]
    db.session.flush()
    after = {row.group: row.count for row in dialogue.headcounts}
    if after != before:
        audit.record(
            "headcount_recorded",
            actor_id=_actor_id(actor),
            subject_type="dialogue",
            subject_id=dialogue.id,
            before=before,
            after=after,
        )


# Feedback report -----------------------------------------------------------------------


def _rich(value: str | None) -> tuple[str, str]:
    clean = clean_html(value or "")
    return clean, plain_text(clean)


def save_report(dialogue: Dialogue, data: ReportInput, actor: Any) -> FeedbackReport:
    """Write or change the feedback report (a draft until published)."""
    report = dialogue.report
    if report is None:
        report = FeedbackReport()
        dialogue.report = report
    report.heard_html_sv, report.heard_text_sv = _rich(data.heard_sv)
    report.next_steps_html_sv, report.next_steps_text_sv = _rich(data.next_steps_sv)
    report.decisions_expected_sv = (data.decisions_expected_sv or "").strip()
    if _optional(data.heard_en):
        report.heard_html_en, report.heard_text_en = _rich(data.heard_en)
    else:
        report.heard_html_en = report.heard_text_en = None
    if _optional(data.next_steps_en):
        report.next_steps_html_en, report.next_steps_text_en = _rich(data.next_steps_en)
    else:
        report.next_steps_html_en = report.next_steps_text_en = None
    report.decisions_expected_en = _optional(data.decisions_expected_en)
    report.updated_at = utcnow()
    db.session.flush()
    audit.record(
        "feedback_report_saved",
        actor_id=_actor_id(actor),
        subject_type="dialogue",
        subject_id=dialogue.id,
        published=report.published_at is not None,
    )
    return report


def publish_report(dialogue: Dialogue, actor: Any, links: MailLinks) -> int:
    """Publish the feedback report, mark the dialogue reported and tell everyone who left
    an email. Returns how many emails were queued (none when it was already published).
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
    report.published_by_id = _actor_id(actor)
    db.session.flush()
    audit.record(
        "feedback_report_published",
        actor_id=_actor_id(actor),
        subject_type="dialogue",
        subject_id=dialogue.id,
    )
    if dialogue.status != DialogueStatus.REPORTED:
        set_status(dialogue, DialogueStatus.REPORTED.value, actor)
    return _announce_report(dialogue, links)


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
