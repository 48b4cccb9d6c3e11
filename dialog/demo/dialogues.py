"""Demo dialogues (``data/dialogues/*.toml``, one file per framework they feed).

Each dialogue goes the way staff take it: planned, opened, notes taken down one by one,
headcounts, closed, the feedback report written and published (which marks it reported),
and sign-ups for an event still to come. Made-up people get no email. A dialogue whose
slug exists is left as it is.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from dialog.accounts.models import User
from dialog.contributions.models import WorkshopNote
from dialog.core.models import utcnow
from dialog.demo.common import Source, when
from dialog.demo.past import set_past
from dialog.demo.schema import RELATIVE_TIME, MapOf, OneOf, enum_key
from dialog.dialogues import services
from dialog.dialogues.models import (
    Dialogue,
    DialogueFormat,
    DialogueStatus,
    Group,
    Level,
    Moderation,
)
from dialog.dialogues.queries import dialogue_by_slug
from dialog.dialogues.services import DialogueInput, ReportInput
from dialog.goals.models import Framework
from dialog.goals.queries import framework_with_goals

# Notes are dated as if taken down during the event: the first this long after the start,
# the next ones this far apart.
FIRST_NOTE_AFTER = timedelta(minutes=20)
BETWEEN_NOTES = timedelta(minutes=4)

WHEN = OneOf((datetime, RELATIVE_TIME))
DIALOGUE = {
    "slug": str,
    "title_sv": str,
    "title_en?": str,
    "description_sv": str,
    "description_en?": str,
    "format": DialogueFormat,
    "level": Level,
    "status": DialogueStatus,
    "moderation?": Moderation,
    "audiences?": [Group],
    "focus?": [str],
    "facilitators?": [str],
    "influence_sv?": str,
    "influence_en?": str,
    "place_name?": str,
    "address?": str,
    "accessibility_sv?": str,
    "accessibility_en?": str,
    "starts_at?": WHEN,
    "ends_at?": WHEN,
    "opens_at?": WHEN,
    "closes_at?": WHEN,
    "registration?": bool,
    "capacity?": int,
    "registrants?": [{"name": str, "email": str, "needs?": str}],
    "notes?": [{"group": Group, "goal?": str, "text": str}],
    "headcount?": MapOf(enum_key(Group), int, "a participant group"),
    "report?": {
        "heard_sv": str,
        "heard_en?": str,
        "next_steps_sv": str,
        "next_steps_en?": str,
        "decisions_expected_sv": str,
        "decisions_expected_en?": str,
        "published_at?": datetime,
    },
}
SCHEMA = {"actor": str, "framework": str, "example_data?": bool, "dialogues": [DIALOGUE]}


def load(source: Source, now: datetime) -> list[Dialogue]:
    """Create the file's dialogues that are missing; return all of them."""
    framework = framework_with_goals(source.data["framework"])
    if framework is None:
        raise source.error("framework", f"no framework {source.data['framework']} in goals/")
    actor = source.actor()
    dialogues = []
    for index, item in enumerate(source.data["dialogues"]):
        dialogue = dialogue_by_slug(item["slug"])
        if dialogue is None:
            key = f"dialogues[{index}]"
            with source.at(key):
                dialogue = services.create_dialogue(
                    item["slug"], _input(source, key, item, framework, now), actor
                )
            _take_through(source, key, item, dialogue, actor)
        dialogues.append(dialogue)
    return dialogues


def _input(
    source: Source, key: str, item: dict[str, Any], framework: Framework, now: datetime
) -> DialogueInput:
    goals = {goal.code: goal.id for goal in framework.goals}
    for code in item.get("focus", []):
        if code not in goals:
            raise source.error(f"{key}.focus", f"no goal {code} in {framework.slug}")
    facilitators = [
        source.user(f"{key}.facilitators", email) for email in item.get("facilitators", [])
    ]
    return DialogueInput(
        framework=framework,
        title_sv=item["title_sv"],
        title_en=item.get("title_en"),
        description_sv=item["description_sv"],
        description_en=item.get("description_en"),
        format=item["format"],
        level=item["level"],
        focus_goal_ids=[goals[code] for code in item.get("focus", [])],
        audiences=item.get("audiences", []),
        influence_sv=item.get("influence_sv"),
        influence_en=item.get("influence_en"),
        place_name=item.get("place_name"),
        address=item.get("address"),
        accessibility_sv=item.get("accessibility_sv"),
        accessibility_en=item.get("accessibility_en"),
        starts_at=when(item.get("starts_at"), now),
        ends_at=when(item.get("ends_at"), now),
        opens_at=when(item.get("opens_at"), now),
        closes_at=when(item.get("closes_at"), now),
        moderation=item.get("moderation", Moderation.BEFORE.value),
        registration_enabled=item.get("registration", False),
        capacity=item.get("capacity"),
        facilitator_ids=[user.id for user in facilitators],
        is_example=source.data.get("example_data", False),
    )


def _take_through(
    source: Source, key: str, item: dict[str, Any], dialogue: Dialogue, actor: User
) -> None:
    """Take the new dialogue to the file's status, the way staff would."""
    status = DialogueStatus(item["status"])
    notes: list[WorkshopNote] = []
    with source.at(key):
        for registrant in item.get("registrants", []):
            services.register(
                dialogue,
                registrant["name"],
                registrant["email"],
                registrant.get("needs"),
                "sv",
                None,
            )
        if status != DialogueStatus.PLANNED:
            services.set_status(dialogue, DialogueStatus.OPEN.value, actor)
    goals = {goal.code: goal.id for goal in dialogue.framework.goals}
    for index, note in enumerate(item.get("notes", [])):
        code = note.get("goal")
        if code is not None and code not in goals:
            raise source.error(f"{key}.notes[{index}].goal", f"no goal {code} in the framework")
        with source.at(f"{key}.notes[{index}]"):
            notes += services.capture_notes(
                dialogue, note["text"], note["group"], goals.get(code or ""), actor
            )
    with source.at(key):
        if item.get("headcount"):
            services.set_headcounts(dialogue, item["headcount"], actor)
        if status in (DialogueStatus.CLOSED, DialogueStatus.REPORTED):
            services.set_status(dialogue, DialogueStatus.CLOSED.value, actor)
    if "report" in item:
        _report(source, f"{key}.report", item["report"], dialogue, status, actor)
    _date_the_notes(dialogue, notes, actor)


def _report(
    source: Source,
    key: str,
    report: dict[str, Any],
    dialogue: Dialogue,
    status: DialogueStatus,
    actor: User,
) -> None:
    data = ReportInput(
        heard_sv=report["heard_sv"],
        heard_en=report.get("heard_en"),
        next_steps_sv=report["next_steps_sv"],
        next_steps_en=report.get("next_steps_en"),
        decisions_expected_sv=report["decisions_expected_sv"],
        decisions_expected_en=report.get("decisions_expected_en"),
    )
    with source.at(key):
        saved = services.save_report(dialogue, data, actor)
        if status == DialogueStatus.REPORTED:
            services.publish_report(dialogue, actor, None)
    published = when(report.get("published_at"), saved.updated_at)
    if published is not None and saved.published_at is not None:
        set_past(actor, dialogue, [(saved, {"published_at": published, "updated_at": published})])


def _date_the_notes(dialogue: Dialogue, notes: list[WorkshopNote], actor: User) -> None:
    if dialogue.starts_at is None or dialogue.starts_at > utcnow() or not notes:
        return
    times = [dialogue.starts_at + FIRST_NOTE_AFTER + BETWEEN_NOTES * n for n in range(len(notes))]
    set_past(
        actor,
        dialogue,
        [
            (note, {"created_at": at, "published_at": at, "updated_at": at})
            for note, at in zip(notes, times, strict=True)
        ],
    )
