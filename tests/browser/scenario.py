"""The goals and dialogues the browser tests look at, made through the real services.

A municipality's goal programme in three versions (the one it replaced, the adopted one
and a draft of the next), with Agenda 2030 links, indicators and yearly values; an open
workshop people can sign up for; and a past workshop with its notes, headcount and
published feedback report. Built once per session in the live app; the tests that change
data make their own dialogues with ``open_workshop``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from itertools import count
from typing import Any

from flask import Flask
from playwright.sync_api import StorageState
from sqlalchemy import select

from dialog.accounts.models import Role, User
from dialog.contributions import services as contributions
from dialog.contributions.models import Proposal
from dialog.core.models import utcnow
from dialog.dialogues import services as dialogues
from dialog.dialogues.models import Dialogue
from dialog.dialogues.services import DialogueInput, MailLinks, ReportInput
from dialog.extensions import db
from dialog.goals import services as goals
from dialog.goals.models import Framework, Goal, GoalKind, MeasurementSource
from dialog.goals.services import FrameworkInput, GoalInput, IndicatorInput
from tests.helpers import UserInfo, make_user

_numbers = count(1)
# staff_login("admin", "sv"): the saved login (Playwright storage state) of scenario staff.
StaffLogin = Callable[[str, str], StorageState]
CANCEL_PATH = re.compile(r"/dialogues/cancel/[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Scenario:
    """Addresses and people of the session's data; the names fill in page paths."""

    superseded: str  # framework slugs
    adopted: str
    draft: str
    goal: int  # a sub-goal of the adopted version: Agenda 2030 links, indicators, values
    draft_goal: int  # a goal of the draft, which can still be edited
    open: str  # dialogue slugs
    past: str
    cancel_token: str  # of a registration for the open workshop
    proposal: int  # a published proposal to the open workshop, sent without an account
    receipt: str  # that proposal's receipt token
    comment: int  # a published comment on that proposal, with a published reply
    comment_receipt: str  # that comment's receipt token
    admins: dict[str, UserInfo]  # by language
    facilitators: dict[str, UserInfo]  # by language, both responsible for the workshops

    def paths(self) -> dict[str, Any]:
        """The values a page path may name, like "/goals/{adopted}/{goal}"."""
        names = asdict(self)
        del names["admins"], names["facilitators"]
        return names


@dataclass(frozen=True)
class Workshop:
    id: int
    slug: str
    title_sv: str
    goals: dict[str, int]  # code → id, of the framework the workshop feeds


def _links(tokens: list[str] | None = None) -> MailLinks:
    """Links for the emails the services queue; keeps the cancel tokens it is given."""

    def cancel_url(token: str) -> str:
        if tokens is not None:
            tokens.append(token)
        return f"http://localhost/dialogues/cancel/{token}"

    return MailLinks(
        dialogue_url=lambda dialogue: f"http://localhost/dialogues/{dialogue.slug}",
        cancel_url=cancel_url,
        calendar_url=lambda dialogue: f"http://localhost/dialogues/{dialogue.slug}/event.ics",
    )


def _user(user: UserInfo) -> User:
    return db.session.get_one(User, user.id)


def _goal(framework: Framework, code: str) -> Goal:
    return next(goal for goal in framework.goals if goal.code == code)


# Goals ---------------------------------------------------------------------------------

AREAS = (
    (
        "1",
        "Tillsammans skapar vi en attraktiv kommun",
        "Together we create an attractive municipality",
        "Kommunen är en plats där människor vill bo, verka och besöka.",
        "The municipality is a place where people want to live, work and visit.",
        (11,),
    ),
    (
        "2",
        "Vi växer med ansvar för klimat och miljö",
        "We grow responsibly for the climate and the environment",
        "Vi minskar vår klimatpåverkan och tar hand om naturen.",
        "We reduce our climate impact and take care of nature.",
        (7, 13),
    ),
    (
        "3",
        "Alla barn och unga ska lyckas i skolan",
        "Every child and young person succeeds at school",
        None,
        None,
        (4,),
    ),
)
SUB_GOALS = (
    ("1.1", "1", "Fler bostäder i hela kommunen", "More homes across the municipality", (11,)),
    ("1.2", "1", "Invånarna känner sig trygga", "Residents feel safe", (16,)),
    ("2.1", "2", "Utsläppen av växthusgaser minskar", "Greenhouse gas emissions fall", (13,)),
    ("3.1", "3", "Fler elever når kunskapsmålen", "More pupils reach the learning goals", (4,)),
)


def _programme(admin: User) -> tuple[Framework, Framework, Framework]:
    """The version of 2016, the adopted version of 2020 and a draft for 2028."""
    goals.ensure_sdgs()
    suffix = next(_numbers)
    first = goals.create_framework(
        f"mal-och-vision-2016-{suffix}",
        FrameworkInput(
            title_sv="Mål och vision 2016–2019",
            title_en="Goals and vision 2016–2019",
            period_start=2016,
            period_end=2019,
            vision_sv="En kommun att växa i",
            vision_en="A municipality to grow in",
        ),
        admin,
    )
    for code, title_sv, title_en, statement_sv, statement_en, sdgs in AREAS:
        area = goals.add_goal(
            first,
            GoalInput(
                kind=GoalKind.AREA.value,
                code=code,
                title_sv=title_sv,
                title_en=title_en,
                statement_sv=statement_sv,
                statement_en=statement_en,
            ),
            admin,
        )
        goals.set_goal_sdgs(area, list(sdgs), admin)
    goals.adopt_framework(
        first, date(2015, 11, 23), "Kommunfullmäktige", admin, adopted_by_en="Municipal Council"
    )

    current = goals.new_version(
        first,
        f"mal-och-vision-2020-{suffix}",
        admin,
        title_sv="Mål och vision 2020–2027",
        title_en="Goals and vision 2020–2027",
        period_start=2020,
        period_end=2027,
    )
    current.summary_sv = (
        "Målen visar vad kommunen vill uppnå under perioden.\n\n"
        "Varje år följer vi upp dem med indikatorer."
    )
    current.summary_en = (
        "The goals show what the municipality wants to achieve in the period.\n\n"
        "Every year we follow them up with indicators."
    )
    schools = _goal(current, "3")
    goals.update_goal(
        schools,
        GoalInput(
            kind=GoalKind.AREA.value,
            code="3",
            title_sv="Alla barn och unga ska lyckas i skolan och på fritiden",
            title_en="Every child and young person succeeds at school and in their free time",
        ),
        admin,
    )
    for code, parent, title_sv, title_en, sdgs in SUB_GOALS:
        sub = goals.add_goal(
            current,
            GoalInput(
                kind=GoalKind.SUB_GOAL.value,
                code=code,
                title_sv=title_sv,
                title_en=title_en,
                parent_id=_goal(current, parent).id,
                statement_sv=f"Delmål {code} följs upp varje år.",
            ),
            admin,
        )
        goals.set_goal_sdgs(sub, list(sdgs), admin)
    homes = _goal(current, "1.1")
    built = goals.add_indicator(
        homes,
        IndicatorInput(
            name_sv="Färdigställda bostäder per 1 000 invånare",
            name_en="Homes completed per 1,000 residents",
            unit_sv="bostäder",
            unit_en="homes",
            baseline_year=2019,
            baseline_value=3.1,
            target_year=2027,
            target_value=6.0,
            kolada_kpi="N07925",
            municipality_code="1983",
        ),
        admin,
    )
    for year, value, source in (
        (2019, 3.1, MeasurementSource.KOLADA),
        (2020, 3.8, MeasurementSource.KOLADA),
        (2021, 4.4, MeasurementSource.KOLADA),
        (2022, 4.1, MeasurementSource.KOLADA),
        (2023, 5.2, MeasurementSource.MANUAL),
    ):
        goals.record_measurement(built, year, value, source.value, admin)
    waiting = goals.add_indicator(
        homes,
        IndicatorInput(
            name_sv="Väntetid i bostadskön",
            name_en="Time in the housing queue",
            unit_sv="månader",
            unit_en="months",
            direction="lower",
            baseline_year=2019,
            baseline_value=30,
            target_year=2027,
            target_value=18,
        ),
        admin,
    )
    for year, value in ((2019, 30), (2021, 27.5), (2023, 24)):
        goals.record_measurement(waiting, year, value, MeasurementSource.MANUAL.value, admin)
    goals.adopt_framework(
        current,
        date(2019, 12, 16),
        "Kommunfullmäktige",
        admin,
        adopted_by_en="Municipal Council",
    )

    draft = goals.new_version(
        current,
        f"mal-och-vision-2028-{suffix}",
        admin,
        title_sv="Mål och vision 2028–2035",
        title_en="Goals and vision 2028–2035",
        period_start=2028,
        period_end=2035,
    )
    safe = _goal(draft, "1.2")
    goals.update_goal(
        safe,
        GoalInput(
            kind=GoalKind.SUB_GOAL.value,
            code="1.2",
            title_sv="Alla invånare känner sig trygga i hela kommunen",
            title_en="Every resident feels safe across the municipality",
            parent_id=safe.parent_id,
        ),
        admin,
    )
    goals.delete_goal(_goal(draft, "3.1"), admin)
    goals.add_goal(
        draft,
        GoalInput(
            kind=GoalKind.SUB_GOAL.value,
            code="2.2",
            title_sv="Mer av kommunens energi är förnybar",
            title_en="More of the municipality's energy is renewable",
            parent_id=_goal(draft, "2").id,
        ),
        admin,
    )
    return first, current, draft


# Dialogues -----------------------------------------------------------------------------


def _workshop_input(
    framework: Framework,
    facilitators: list[int],
    *,
    title_sv: str,
    title_en: str,
    starts_in: timedelta,
    capacity: int | None,
) -> DialogueInput:
    starts_at = (utcnow() + starts_in).replace(hour=16, minute=0, second=0, microsecond=0)
    return DialogueInput(
        framework=framework,
        title_sv=title_sv,
        title_en=title_en,
        format="workshop",
        level="dialogue",
        description_sv=(
            "<p>Hur kan centrum bli tryggare och mer levande? Kom och berätta vad du "
            "tycker. Vi bjuder på fika.</p>"
        ),
        description_en=(
            "<p>How can the town centre become safer and livelier? Come and tell us what "
            "you think. Coffee is on us.</p>"
        ),
        focus_goal_ids=[_goal(framework, "1.1").id, _goal(framework, "1.2").id],
        audiences=["residents", "youth", "seniors"],
        influence_sv="Det som sägs vägs in när kommunen skriver nästa version av målen.",
        influence_en="What is said is weighed in when the next version of the goals is written.",
        place_name="Kolsva bibliotek",
        address="Centrumvägen 1, Kolsva",
        accessibility_sv="Entré utan trappsteg, hörslinga och tillgänglig toalett.",
        accessibility_en="Step-free entrance, hearing loop and an accessible toilet.",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        registration_enabled=capacity is not None,
        capacity=capacity,
        facilitator_ids=facilitators,
    )


def _open_workshop(
    framework: Framework, facilitators: list[int], admin: User, capacity: int | None, **texts: str
) -> Dialogue:
    dialogue = dialogues.create_dialogue(
        f"workshop-centrum-{next(_numbers)}",
        _workshop_input(
            framework, facilitators, starts_in=timedelta(days=14), capacity=capacity, **texts
        ),
        admin,
    )
    dialogues.set_status(dialogue, "open", admin)
    return dialogue


def _past_workshop(framework: Framework, facilitators: list[User], admin: User) -> Dialogue:
    """Held two months ago: notes and a headcount, closed, its feedback report published."""
    facilitator = facilitators[0]
    dialogue = dialogues.create_dialogue(
        f"workshop-vision-{next(_numbers)}",
        _workshop_input(
            framework,
            [user.id for user in facilitators],
            title_sv="Workshop om kommunens vision",
            title_en="Workshop on the municipality's vision",
            starts_in=timedelta(days=-60),
            capacity=None,
        ),
        admin,
    )
    dialogues.set_status(dialogue, "open", admin)
    homes, safe = _goal(framework, "1.1"), _goal(framework, "1.2")
    dialogues.capture_notes(
        dialogue,
        "Fler hyresrätter nära stationen\nBygg på höjden i centrum\nBehåll grönområdena",
        "residents",
        homes.id,
        facilitator,
    )
    dialogues.capture_notes(
        dialogue,
        "Bättre belysning vid ån\nFler vuxna ute på kvällarna",
        "youth",
        safe.id,
        facilitator,
    )
    dialogues.capture_notes(
        dialogue, "Bänkar att vila på längs gångvägarna", "seniors", None, facilitator
    )
    dialogues.set_headcounts(dialogue, {"residents": 14, "youth": 6, "seniors": 5}, facilitator)
    dialogues.set_status(dialogue, "closed", admin)
    dialogues.save_report(
        dialogue,
        ReportInput(
            heard_sv=(
                "<p>Många vill ha fler hyresrätter och en tryggare väg längs ån.</p>"
                "<ul><li>Bostäder nära stationen</li><li>Bättre belysning</li></ul>"
            ),
            heard_en=(
                "<p>Many want more rental homes and a safer path along the river.</p>"
                "<ul><li>Homes near the station</li><li>Better lighting</li></ul>"
            ),
            next_steps_sv="<p>Förslagen går vidare till arbetet med nästa version av målen.</p>",
            next_steps_en="<p>The proposals go on to the next version of the goals.</p>",
            decisions_expected_sv="Kommunfullmäktige beslutar om målen i december 2027.",
            decisions_expected_en="The Municipal Council decides on the goals in December 2027.",
        ),
        admin,
    )
    dialogues.publish_report(dialogue, admin, _links())  # which marks it reported back
    return dialogue


def _proposal(dialogue: Dialogue, admin: User) -> contributions.Submitted:
    """A resident's proposal to the dialogue, sent without an account and published."""
    sent = contributions.submit_proposal(
        dialogue,
        contributions.ProposalInput(
            title="Fler bänkar på torget",
            body="<p>Det behövs <strong>fler bänkar</strong> på torget, gärna i skugga.</p>",
            submission_token=contributions.new_submission_token(),
            goal_id=_goal(dialogue.framework, "1.1").id,
            name="Greta",
        ),
        contributions.Sender(None, None),
        None,
    )
    contributions.publish_contribution(sent.contribution, admin)
    return sent


def _comment(proposal: Proposal, admin: User) -> contributions.Submitted:
    """A published comment on the proposal and a published reply to it, without accounts."""

    def send(body: str, reply_to: int | None) -> contributions.Submitted:
        submitted = contributions.submit_comment(
            proposal,
            contributions.CommentInput(
                body=body,
                submission_token=contributions.new_submission_token(),
                reply_to_id=reply_to,
                name="Hassan",
            ),
            contributions.Sender(None, None),
            None,
        )
        contributions.publish_contribution(submitted.contribution, admin)
        return submitted

    comment = send("<p>Gärna bänkar med <em>ryggstöd</em>, för de äldre.</p>", None)
    send("<p>Håller med, och några med armstöd.</p>", comment.contribution.id)
    return comment


def build(app: Flask) -> Scenario:
    """Make the session's goals, dialogues and staff in the live app; commit them."""
    admins = {
        "sv": make_user(app, Role.ADMIN, name="Astrid Administratör", locale="sv"),
        "en": make_user(app, Role.ADMIN, name="Alex Administrator", locale="en"),
    }
    facilitators = {
        "sv": make_user(app, Role.FACILITATOR, name="Frida Facilitator", locale="sv"),
        "en": make_user(app, Role.FACILITATOR, name="Felix Facilitator", locale="en"),
    }
    with app.test_request_context():
        admin = _user(admins["sv"])
        responsible = [_user(user) for user in facilitators.values()]
        first, current, draft = _programme(admin)
        event = _open_workshop(
            current,
            [user.id for user in responsible],
            admin,
            capacity=2,
            title_sv="Workshop: Ett tryggare centrum",
            title_en="Workshop: A safer town centre",
        )
        tokens: list[str] = []
        dialogues.register(
            event, "Greta Grön", "greta.gron@example.se", "Hörslinga", "sv", _links(tokens)
        )
        past = _past_workshop(current, responsible, admin)
        proposal = _proposal(event, admin)
        published = proposal.contribution
        assert isinstance(published, Proposal)
        comment = _comment(published, admin)
        db.session.commit()
        return Scenario(
            superseded=first.slug,
            adopted=current.slug,
            draft=draft.slug,
            goal=_goal(current, "1.1").id,
            draft_goal=_goal(draft, "1.2").id,
            open=event.slug,
            past=past.slug,
            cancel_token=tokens[-1],
            proposal=proposal.contribution.id,
            receipt=proposal.receipt_token,
            comment=comment.contribution.id,
            comment_receipt=comment.receipt_token,
            admins=admins,
            facilitators=facilitators,
        )


def open_workshop(
    app: Flask, scenario: Scenario, facilitators: list[int], capacity: int | None
) -> Workshop:
    """A new open workshop of the adopted goals, for a test that changes what it has."""
    with app.test_request_context():
        admin = _user(scenario.admins["sv"])
        current = db.session.scalars(
            select(Framework).where(Framework.slug == scenario.adopted)
        ).one()
        number = next(_numbers)
        dialogue = _open_workshop(
            current,
            facilitators,
            admin,
            capacity=capacity,
            title_sv=f"Workshop nummer {number} om centrum",
            title_en=f"Workshop number {number} on the town centre",
        )
        db.session.commit()
        return Workshop(
            dialogue.id,
            dialogue.slug,
            dialogue.title_sv,
            {goal.code: goal.id for goal in current.goals},
        )
