"""Planning dialogues: creating, editing and moving them through their statuses."""

from __future__ import annotations

from typing import Any

from dialog.accounts.models import Role, User
from dialog.accounts.permissions import has_role
from dialog.core import audit
from dialog.core.i18n import _
from dialog.core.sanitize import clean_rich_fields, optional_text
from dialog.core.slugs import clean_slug
from dialog.dialogues import queries
from dialog.dialogues.models import (
    Dialogue,
    DialogueAudience,
    DialogueFormat,
    DialogueGoal,
    DialogueStatus,
    Group,
    Level,
    Moderation,
)
from dialog.dialogues.services.common import (
    RESERVED_SLUGS,
    TRANSITIONS,
    DialogueError,
    DialogueInput,
)
from dialog.dialogues.services.registration import MailLinks, fill_places
from dialog.extensions import db

# Planning ------------------------------------------------------------------------------


def check_slug(typed: str) -> str:
    slug = clean_slug(typed)
    if slug is None:
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


def _facilitators(data: DialogueInput, actor: User | None) -> list[User]:
    candidates = {user.id: user for user in queries.facilitator_candidates()}
    chosen = []
    for user_id in dict.fromkeys(data.facilitator_ids):
        if user_id not in candidates:
            raise DialogueError(_("Choose facilitators from the list."), "facilitators")
        chosen.append(candidates[user_id])
    # A facilitator stays responsible for what they plan, or they would lose it at once.
    actor_id = audit.actor_id(actor)
    own = candidates.get(actor_id) if actor_id is not None else None
    if own is not None and not has_role(actor, Role.ADMIN) and own not in chosen:
        chosen.append(own)
    return chosen


def _check_framework(dialogue: Dialogue, data: DialogueInput) -> None:
    # A draft is the staff's work in progress: a public dialogue would show its goals. A
    # dialogue keeps its framework if that goes back to draft; its pages then hide the goals.
    if not data.framework.is_public and data.framework.id != dialogue.framework_id:
        raise DialogueError(
            _("Choose a framework that is out for consultation or adopted, not a draft."),
            "framework",
        )


def _apply(dialogue: Dialogue, data: DialogueInput, actor: User | None) -> None:
    # Every check comes before the first change, so a refused form changes nothing.
    _check_input(data)
    _check_framework(dialogue, data)
    focus_links = _focus_links(data)
    facilitators = _facilitators(data, actor)
    descriptions = clean_rich_fields(
        {"description_sv": data.description_sv, "description_en": data.description_en},
        data.confirm_cleaning,
    )
    dialogue.framework = data.framework
    dialogue.framework_id = data.framework.id
    dialogue.title_sv = data.title_sv.strip()
    dialogue.title_en = optional_text(data.title_en)
    description_sv, description_en = descriptions["description_sv"], descriptions["description_en"]
    dialogue.description_html_sv = description_sv.html if description_sv else ""
    dialogue.description_text_sv = description_sv.text if description_sv else ""
    dialogue.description_html_en = description_en.html if description_en else None
    dialogue.description_text_en = description_en.text if description_en else None
    dialogue.format = data.format
    dialogue.level = data.level
    dialogue.influence_sv = optional_text(data.influence_sv)
    dialogue.influence_en = optional_text(data.influence_en)
    dialogue.place_name = optional_text(data.place_name)
    dialogue.address = optional_text(data.address)
    dialogue.accessibility_sv = optional_text(data.accessibility_sv)
    dialogue.accessibility_en = optional_text(data.accessibility_en)
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


def create_dialogue(slug: str, data: DialogueInput, actor: User | None) -> Dialogue:
    """Plan a new dialogue; it starts as planned."""
    dialogue = Dialogue(
        slug=check_slug(slug),
        status=DialogueStatus.PLANNED.value,
        created_by_id=audit.actor_id(actor),
    )
    _apply(dialogue, data, actor)
    db.session.add(dialogue)
    audit.record("dialogue_created", actor, dialogue, after=_snapshot(dialogue))
    return dialogue


def update_dialogue(
    dialogue: Dialogue, data: DialogueInput, actor: User | None, mail: MailLinks | None = None
) -> Dialogue:
    """Change a dialogue's plan; a larger capacity gives the waiting list places."""
    before = _snapshot(dialogue)
    if data.level == Level.INFORM and dialogue.status == DialogueStatus.OPEN:
        raise DialogueError(
            _("An open dialogue cannot become information only. Close it first."), "level"
        )
    _apply(dialogue, data, actor)
    audit.record_change("dialogue_updated", actor, dialogue, before, _snapshot(dialogue))
    if mail is not None:
        fill_places(dialogue, mail)
    return dialogue


def set_status(dialogue: Dialogue, status: str, actor: User | None) -> Dialogue:
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
    audit.record(
        "dialogue_status_changed", actor, dialogue, before=current.value, after=wanted.value
    )
    return dialogue
