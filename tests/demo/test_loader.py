"""The demo loader: data files through the services, with an audit trail, idempotent."""

from __future__ import annotations

import shutil
from datetime import time, timedelta
from importlib.resources import as_file
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from dialog.accounts.models import User
from dialog.contributions.models import Comment, Proposal, Support, WorkshopNote
from dialog.core.models import AuditEvent, utcnow
from dialog.demo import loader
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.goals.models import Framework
from dialog.moderation.models import Flag
from tests.moderation.factories import login_editor

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def _load(app) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output


# What the editor's decisions on demo inputs leave in the audit trail.
MODERATION_ACTIONS = {"contribution_rejected", "contribution_redacted", "contribution_hidden"}


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the demo data to spoil."""
    with as_file(loader.DATA) as data:
        shutil.copytree(data, tmp_path / "data")
    return tmp_path / "data"


def test_every_change_is_audited_as_the_demo_actor(app):
    """The demo's frameworks, goals and dialogues leave the staff audit trail, by its admin;
    residents' proposals are sent and withdrawn by their authors (or nobody, without one);
    its content pages and its moderation decisions by its editor; a resident's page comment
    has no staff actor."""
    _load(app)
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin@example.se"))
        editor = db.session.scalar(select(User).where(User.email == "redaktor@example.se"))
        events = db.session.scalars(select(AuditEvent)).all()
        residents = {None} | set(db.session.scalars(select(User.id)))
    by_residents = {
        "contribution_submitted",
        "contribution_withdrawn",
        "contribution_reported",
        "page_comment_received",
    }
    staff = [event for event in events if event.action not in by_residents]
    assert {event.actor_id for event in staff} == {admin.id, editor.id}
    assert all(
        event.action.startswith("page") or event.action in MODERATION_ACTIONS
        for event in staff
        if event.actor_id == editor.id
    )
    assert {event.actor_id for event in events if event.action in by_residents} <= residents
    actions = {event.action for event in events}
    assert {
        "framework_created",
        "framework_version_created",
        "framework_adopted",
        "framework_superseded",
        "goal_created",
        "goal_deleted",
        "goal_sdgs_changed",
        "indicator_created",
        "measurement_recorded",
        "dialogue_created",
        "dialogue_status_changed",
        "notes_captured",
        "headcount_recorded",
        "feedback_report_saved",
        "feedback_report_published",
        "demo_past_set",
        "contribution_submitted",
        "contribution_published",
        "contribution_withdrawn",
        "page_created",
        "page_changed",
        "page_published",
        "page_comment_received",
        "page_comment_answered",
        "page_comment_handled",
        "contribution_rejected",
        "contribution_redacted",
    } <= actions


def test_a_second_load_changes_no_row_and_no_audit_entry(app):
    """Running flask demo load twice leaves every table, the audit trail included, as it was."""
    _load(app)
    first = _row_counts(app)
    _load(app)
    assert _row_counts(app) == first
    assert first["audit_events"] > 100
    assert first["outbox_messages"] == 0  # the made-up registrants are sent nothing


def test_the_past_is_set_after_the_services(app):
    """Notes and reports carry their 2019 dates; relative dates follow the load day."""
    now = utcnow()
    workshop_day = now.astimezone(STOCKHOLM).date() + timedelta(days=16)
    with app.app_context():
        loader.load(now=now)
        db.session.commit()
        centrum = db.session.scalar(select(Dialogue).where(Dialogue.slug == "koping-centrum-2019"))
        notes = db.session.scalars(
            select(WorkshopNote).where(WorkshopNote.dialogue_id == centrum.id)
        ).all()
        assert {note.created_at.astimezone(STOCKHOLM).date().isoformat() for note in notes} == {
            "2019-03-12"
        }
        assert all(centrum.starts_at < note.created_at < centrum.ends_at for note in notes)
        published = centrum.published_report.published_at.astimezone(STOCKHOLM)
        assert published.isoformat() == "2019-12-18T10:00:00+01:00"
        old = db.session.scalar(select(Framework).where(Framework.slug == "koping-2013-2019"))
        assert (old.status, old.adopted_on, old.adopted_by_sv) == ("superseded", None, None)
        workshop = db.session.scalar(
            select(Dialogue).where(Dialogue.slug == "vagval-2020-workshop-trygghet")
        )
        starts = workshop.starts_at.astimezone(STOCKHOLM)
        assert (starts.date(), starts.time()) == (workshop_day, time(17, 30))
        consultation = db.session.scalar(
            select(Dialogue).where(Dialogue.slug == "vagval-2020-samrad")
        )
        assert consultation.opens_at == now - timedelta(days=10)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "goals/koping-2020-2027.toml",
            'direction = "lower"',
            'direction = "sideways"',
            "goals/koping-2020-2027.toml: goals[5].indicators[0].direction: expected one of",
        ),
        (
            "accounts/users.toml",
            'role = "admin"',
            'roles = "admin"',
            "accounts/users.toml: users[4].roles: unknown key",
        ),
        (
            "dialogues/koping-2020-2027.toml",
            'title_sv = "Medborgardialog i Kolsva"\n',
            "",
            "dialogues/koping-2020-2027.toml: dialogues[1].title_sv: missing",
        ),
        (
            "dialogues/koping-2020-2027.toml",
            'focus = ["1.1", "2.1", "2.2"]',
            'focus = ["1.1", "9.9"]',
            "dialogues/koping-2020-2027.toml: dialogues[0].focus: no goal 9.9",
        ),
        (
            "dialogues/koping-2020-2027.toml",
            "ends_at = 2019-03-12T20:30:00",
            "ends_at = 2019-03-12T17:00:00",
            "dialogues/koping-2020-2027.toml: dialogues[0]: The end must come after the start. "
            "(field ends_at)",
        ),
        (
            "goals/landskrona-vagval.toml",
            'kind = "strategy"',
            'kind = "strategy',
            "goals/landskrona-vagval.toml: not valid TOML",
        ),
    ],
)
def test_a_bad_data_file_is_named_with_its_key_and_nothing_is_written(
    app, data_copy, file, old, new, message
):
    """A wrong value, key or reference, or one a service refuses, names the file and key."""
    path = data_copy / file
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    result = app.test_cli_runner().invoke(args=["demo", "load", "--data", str(data_copy)])
    assert result.exit_code == 1
    assert message in result.output
    counts = _row_counts(app)
    assert (counts["users"], counts["audit_events"]) == (0, 0)


def test_the_data_ships_inside_the_package():
    """The data files are read as package resources, so an installed package finds them."""
    checked = loader.read()
    assert [len(checked[area.folder]) for area in loader.AREAS] == [1, 4, 2, 1, 1, 1]
    assert [source.data["slug"] for source in checked["goals"]] == [
        "koping-2013-2019",
        "koping-2020-2027",
        "landskrona-vagval",
        "landskrona-vagval-2020",
    ]


def test_vagval_2020_is_a_new_version_in_which_growth_continues(app):
    """Vägval 2020 copies Vägval, keeps Growth's lineage, and its dialogues focus on its goals."""
    _load(app)
    with app.app_context():
        frameworks = {
            f.slug: f
            for f in db.session.scalars(select(Framework).where(Framework.kind == "strategy"))
        }
        old, new = frameworks["landskrona-vagval"], frameworks["landskrona-vagval-2020"]
        growth = next(goal for goal in new.goals if goal.title_sv == "Tillväxt")
        assert growth.copied_from_id == next(g.id for g in old.goals if g.title_sv == "Tillväxt")
        assert {goal.lineage for goal in old.goals} & {goal.lineage for goal in new.goals} == {
            growth.lineage
        }
        consultation = db.session.scalar(
            select(Dialogue).where(Dialogue.slug == "vagval-2020-samrad")
        )
        focus = [(link.goal.framework_id, link.goal.code) for link in consultation.focus_links]
        assert focus == [(new.id, code) for code in ("1", "2", "3", "4", "5")]


def test_the_consultation_has_proposals_supported_withdrawn_and_waiting(app):
    """Vägval 2020's consultation: Swedish proposals, some supported, one withdrawn, some
    waiting for the editors, one rejected with its reason and one redacted."""
    _load(app)
    with app.app_context():
        proposals = db.session.scalars(select(Proposal).order_by(Proposal.reference)).all()
        statuses = [proposal.status for proposal in proposals]
        assert len(proposals) >= 6
        assert statuses.count("withdrawn") == 1
        assert statuses.count("pending") == 4
        [rejected] = [proposal for proposal in proposals if proposal.status == "rejected"]
        assert rejected.moderation_reason == "commercial"
        [redacted] = [proposal for proposal in proposals if proposal.is_redacted]
        assert "[borttaget]" in redacted.public_body_html
        assert "070-123 45 67" in redacted.body_html
        assert sum(1 for proposal in proposals if proposal.support_count) >= 3
        assert all(
            proposal.support_count
            == db.session.scalar(
                select(func.count())
                .select_from(Support)
                .where(Support.contribution_id == proposal.id)
            )
            for proposal in proposals
        )
        assert all(proposal.dialogue.slug == "vagval-2020-samrad" for proposal in proposals)


def test_the_consultation_has_comments_and_replies_that_add_up(app):
    """Swedish comments with replies on the consultation's proposals, one withdrawn, one
    waiting; every proposal's count is its published comments, replies after their comment."""
    _load(app)
    with app.app_context():
        comments = db.session.scalars(select(Comment).order_by(Comment.id)).all()
        proposals = db.session.scalars(select(Proposal)).all()
        statuses = [comment.status for comment in comments]
        assert len(comments) >= 10
        assert statuses.count("withdrawn") == 1
        assert statuses.count("pending") == 1
        replies = [comment for comment in comments if comment.reply_to_id is not None]
        assert len(replies) >= 4
        by_id = {comment.id: comment for comment in comments}
        assert all(reply.created_at > by_id[reply.reply_to_id].created_at for reply in replies)
        assert all(by_id[reply.reply_to_id].reply_to_id is None for reply in replies)
        assert any("cykel" in comment.body_text for comment in comments)
        for proposal in proposals:
            published = [
                comment
                for comment in comments
                if comment.parent_id == proposal.id and comment.status == "published"
            ]
            assert proposal.comment_count == len(published)
            assert all(comment.created_at > proposal.created_at for comment in published)
        assert sum(1 for proposal in proposals if proposal.comment_count) >= 3


def test_the_queue_shows_a_reported_input_and_one_held_for_personal_data(app, client):
    """The demo's editor finds a published proposal reported twice at the top of the queue,
    and a waiting one whose sender kept a phone number, the number marked."""
    _load(app)
    with app.app_context():
        reported = db.session.scalar(select(Proposal).where(Proposal.title.startswith("Lägg ned")))
        held = db.session.scalar(select(Proposal).where(Proposal.title.startswith("Lekplats")))
        assert (reported.status, reported.report_count) == ("published", 2)
        reasons = sorted(
            db.session.scalars(select(Flag.reason).where(Flag.contribution_id == reported.id))
        )
        assert reasons == ["off_topic", "offensive"]
        assert (held.status, held.needs_review) == ("pending", True)
        assert [finding["kind"] for finding in held.personal_data_findings] == ["phone"]
        references = reported.reference, held.reference
    login_editor(app, client)
    html = client.get("/moderation").get_data(as_text=True)
    first = html.index("moderation-item")
    assert html.index(references[0]) < html.index(references[1])
    assert html.index(references[0]) > first
    assert "Anmält 2 gånger" in html
    assert '<mark title="ett telefonnummer">0418-12 34 56</mark>' in html
