"""Factories for dialogue tests: a framework with goals, and dialogues in any state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from itertools import count

from flask import Flask

from dialog.accounts.models import User
from dialog.contributions.models import WorkshopNote
from dialog.core.models import utcnow
from dialog.dialogues.models import (
    Dialogue,
    DialogueAudience,
    DialogueGoal,
    DialogueStatus,
    FeedbackReport,
    Headcount,
)
from dialog.extensions import db
from dialog.goals.models import Framework, FrameworkStatus, Goal, GoalKind

_numbers = count(1)

GOALS = (
    ("1", None, "När vi säger tillsammans menar vi det", "When we say together, we mean it"),
    ("1.1", "1", "Vi erbjuder möjligheter att påverka", "We offer ways to have a say"),
    ("2", None, "Vi växer med ansvar", "We grow responsibly"),
    ("2.1", "2", "Fler bostäder och en trygg livsmiljö", "More homes and a safe environment"),
)


@dataclass(frozen=True)
class FrameworkInfo:
    id: int
    slug: str
    goals: dict[str, int]  # code → id


@dataclass(frozen=True)
class DialogueInfo:
    id: int
    slug: str


def make_framework(
    app: Flask, slug: str | None = None, status: str = FrameworkStatus.ADOPTED.value
) -> FrameworkInfo:
    """Create and commit a framework with a small goal tree."""
    slug = slug or f"framework-{next(_numbers)}"
    with app.app_context():
        framework = Framework(
            slug=slug,
            status=status,
            title_sv=f"Mål {slug}",
            title_en=f"Goals {slug}",
            period_start=2020,
            period_end=2027,
        )
        db.session.add(framework)
        goals: dict[str, Goal] = {}
        for position, (code, parent, title_sv, title_en) in enumerate(GOALS):
            goal = Goal(
                framework=framework,
                parent=goals.get(parent) if parent else None,
                kind=GoalKind.SUB_GOAL.value if parent else GoalKind.AREA.value,
                code=code,
                title_sv=title_sv,
                title_en=title_en,
                position=position,
            )
            db.session.add(goal)
            goals[code] = goal
        db.session.commit()
        return FrameworkInfo(framework.id, slug, {code: goal.id for code, goal in goals.items()})


def make_dialogue(
    app: Flask,
    framework: FrameworkInfo,
    *,
    slug: str | None = None,
    facilitators: Iterable[int] = (),
    status: str = DialogueStatus.OPEN.value,
    level: str = "dialogue",
    format: str = "workshop",  # noqa: A002 - the model's name for it
    starts_in: timedelta | None = timedelta(days=7),
    registration: bool = False,
    capacity: int | None = None,
    focus: Iterable[str] = ("1.1",),
    audiences: Iterable[str] = ("residents",),
    headcount: dict[str, int] | None = None,
    report: bool = False,
    title_en: str | None = "A workshop",
) -> DialogueInfo:
    """Create and commit a dialogue; times are relative to now."""
    slug = slug or f"dialogue-{next(_numbers)}"
    with app.app_context():
        starts_at = utcnow() + starts_in if starts_in is not None else None
        dialogue = Dialogue(
            slug=slug,
            framework_id=framework.id,
            title_sv=f"Workshop {slug}",
            title_en=title_en,
            description_html_sv="<p>Vi vill höra vad du tycker.</p>",
            description_text_sv="Vi vill höra vad du tycker.",
            format=format,
            level=level,
            place_name="Kolsva bibliotek",
            address="Centrumvägen 1, Kolsva",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2) if starts_at else None,
            status=status,
            registration_enabled=registration,
            capacity=capacity,
            facilitators=[db.session.get_one(User, user_id) for user_id in facilitators],
            focus_links=[
                DialogueGoal(goal_id=framework.goals[code], position=n)
                for n, code in enumerate(focus)
            ],
            audience_links=[DialogueAudience(audience=audience) for audience in audiences],
            headcounts=[
                Headcount(group=group, count=number) for group, number in (headcount or {}).items()
            ],
        )
        if report:
            dialogue.report = FeedbackReport(
                heard_html_sv="<p>Vi hörde mycket.</p>",
                heard_text_sv="Vi hörde mycket.",
                next_steps_html_sv="<p>Förslagen går till fullmäktige.</p>",
                next_steps_text_sv="Förslagen går till fullmäktige.",
                decisions_expected_sv="December 2019",
                published_at=utcnow(),
            )
        db.session.add(dialogue)
        db.session.commit()
        return DialogueInfo(dialogue.id, slug)


def make_note(app: Flask, dialogue: DialogueInfo, text: str = "Fler bänkar längs ån") -> int:
    """Create and commit a published workshop note at the dialogue; return its id."""
    with app.app_context():
        note = WorkshopNote(
            dialogue_id=dialogue.id,
            body_html=text,
            body_text=text,
            participant_group="residents",
            published_at=utcnow(),
        )
        db.session.add(note)
        db.session.commit()
        return note.id


def make_managed_dialogue(app: Flask, responsible: Iterable[int]) -> tuple[str, int]:
    """An open workshop with registration, the given users responsible, and one note.

    Returns the dialogue's slug and the note's id (for the route × role matrix).
    """
    framework = make_framework(app)
    dialogue = make_dialogue(
        app, framework, facilitators=responsible, registration=True, capacity=10
    )
    return dialogue.slug, make_note(app, dialogue)
