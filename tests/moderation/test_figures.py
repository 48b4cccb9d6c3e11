"""The editors' figures, against data whose answers were worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.contributions.models import Contribution
from dialog.extensions import db
from dialog.moderation.figures import Median, Waiting, moderation_figures, month_starts
from dialog.moderation.models import ModerationDecision
from dialog.moderation.views.figures import duration
from tests.contributions.factories import make_consultation, make_proposal
from tests.helpers import AuthActions, csrf_token, make_user

HOUR = timedelta(hours=1)
STOCKHOLM = ZoneInfo("Europe/Stockholm")
MARCH = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
APRIL = datetime(2026, 4, 20, 8, 0, tzinfo=UTC)


def _decide(contribution_id: int, dialogue_id: int | None, sent: datetime, *decisions) -> None:
    """Record decisions on an input: (hours after it was sent, action, reason); the input
    was sent then, and keeps when it was first decided on, as the services keep it."""
    contribution = db.session.get_one(Contribution, contribution_id)
    contribution.created_at = sent
    first = min(hours for hours, _a, _r in decisions) * HOUR
    contribution.first_decided_at = sent + first
    contribution.first_decision_seconds = round(first.total_seconds())
    decided = (sent + first).astimezone(STOCKHOLM)
    contribution.first_decision_month = f"{decided:%Y-%m}"
    for hours, action, reason in decisions:
        db.session.add(
            ModerationDecision(
                contribution_id=contribution_id,
                dialogue_id=dialogue_id,
                submitted_at=sent,
                action=action,
                reason=reason,
                created_at=sent + hours * HOUR,
            )
        )


@pytest.fixture
def decided(app):
    """Two dialogues; five inputs with decisions; one waiting and one reported.

    First decisions, hours after sending: A: 1, 3, 10 (March, March, April); B: 2 (April).
    Overall, sorted 1 2 3 10: median (2 + 3) / 2 = 2.5 h. A: 3 h; B: 2 h.
    March: first decisions 1 and 3 (median 2 h); April: 10 and 2 (median 6 h).
    """
    first, second = make_consultation(app), make_consultation(app)
    ids = [make_proposal(app, first.slug, title=f"A{n}").id for n in range(3)]
    ids.append(make_proposal(app, second.slug, title="B").id)
    waiting = make_proposal(app, first.slug, title="Väntar", published=False)
    with app.app_context():
        _decide(ids[0], first.id, MARCH, (1, "publish", None), (5, "hide", "offensive"))
        _decide(ids[1], first.id, MARCH, (3, "reject", "personal_data"))
        _decide(ids[2], first.id, APRIL - 10 * HOUR, (10, "reject", "personal_data"))
        _decide(ids[3], second.id, APRIL, (2, "hide", "reported"), (24 * 20, "restore", None))
        db.session.get(Contribution, ids[0]).report_count = 2
        db.session.get(Contribution, waiting.id).status = "pending"
        db.session.commit()
    return first, second, ids, waiting


def test_the_figures_match_the_hand_count(app, decided):
    """Waiting, the medians, and the decisions by kind, reason, dialogue and month."""
    first, second, _ids, _waiting = decided
    with app.test_request_context():
        figures = moderation_figures()
    assert figures.waiting == Waiting(pending=1, reported=1)
    assert figures.overall.decided == 4
    assert figures.overall.seconds == pytest.approx(2.5 * 3600, abs=1)
    assert dict(figures.by_action) == {"publish": 1, "hide": 2, "reject": 2, "restore": 1}
    assert figures.by_reason == (("personal_data", 2), ("offensive", 1), ("reported", 1))
    rows = {row.id: row for row in figures.by_dialogue}
    assert rows[first.id].decisions == 4
    assert rows[first.id].median.decided == 3
    assert rows[first.id].median.seconds == pytest.approx(3 * 3600, abs=1)
    assert rows[second.id].decisions == 2
    assert rows[second.id].median.seconds == pytest.approx(2 * 3600, abs=1)
    assert [row.id for row in figures.by_dialogue] == [first.id, second.id]
    months = {row.month: row for row in figures.by_month}
    assert [row.month for row in figures.by_month] == ["2026-05", "2026-04", "2026-03"]
    assert months["2026-03"].decisions == 3
    assert months["2026-03"].median == Median(2, pytest.approx(2 * 3600, abs=1))
    assert months["2026-04"].decisions == 2
    assert months["2026-04"].median.seconds == pytest.approx(6 * 3600, abs=1)
    assert months["2026-05"].decisions == 1  # the restore, 20 days after 20 April
    assert months["2026-05"].median == Median(0, None)


def test_no_decisions_yet(app):
    """With nothing decided the medians are empty and the lists too."""
    with app.test_request_context():
        figures = moderation_figures()
    assert figures.overall == Median(0, None)
    assert figures.by_action == figures.by_dialogue == figures.by_month == ()


def test_durations_in_words(app):
    """Minutes under an hour, hours under two days, else days; in the reader's language."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert duration(None) == "–"
        assert duration(20 * 60) == "20 min"
        assert duration(2.5 * 3600) == "2.5 h"
        assert duration(3 * 86400) == "3 days"
    with app.test_request_context():
        assert duration(2.5 * 3600) == "2,5 h"
        assert duration(3.5 * 86400) == "3,5 dagar"


def _editor(app):
    client = app.test_client()
    AuthActions(client).login(make_user(app, Role.EDITOR))
    return client


def test_the_page_shows_the_tables_in_swedish_and_english(app, decided):
    """Captioned tables with the figures, in both languages; never cached."""
    editor = _editor(app)
    response = editor.get("/moderation/figures")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Modereringsstatistik" in page
    assert "<caption>" in page
    assert "2,5 h" in page
    assert "Personuppgifter" in page
    assert "2026-03" in page
    editor.set_cookie("lang", "en")
    page = editor.get("/moderation/figures").get_data(as_text=True)
    assert "Moderation figures" in page
    assert "Reported by several residents" in page
    assert "2.5 h" in page


def test_the_staff_menu_links_to_the_figures(app):
    """Editors find the figures in their menu; residents do not."""
    assert 'href="/moderation/figures"' in _editor(app).get("/staff").get_data(as_text=True)


def test_the_page_costs_the_same_queries_whatever_the_data(app, decided, count_queries):
    """A fixed number of queries, however many decisions there are."""
    editor = _editor(app)
    editor.get("/moderation/figures")
    with count_queries() as few:
        editor.get("/moderation/figures")
    first, _second, ids, _waiting = decided
    more = [make_proposal(app, first.slug, title=f"Fler {n}").id for n in range(8)]
    with app.app_context():
        for number, contribution_id in enumerate(more):
            sent = APRIL - timedelta(days=40 * number)
            _decide(contribution_id, first.id, sent, (number + 1, "publish", None))
        db.session.commit()
    with count_queries() as many:
        editor.get("/moderation/figures")
    assert len(many) == len(few)
    assert len(few) <= 14


def test_only_editors_and_admins_see_the_figures(app, client):
    """Residents and other staff are refused; visitors are sent to log in."""
    assert client.get("/moderation/figures").status_code == 302
    for role in (Role.RESIDENT, Role.FACILITATOR, Role.POLITICIAN):
        other = app.test_client()
        AuthActions(other).login(make_user(app, role))
        assert other.get("/moderation/figures").status_code == 403
    admin = app.test_client()
    AuthActions(admin).login(make_user(app, Role.ADMIN))
    assert admin.get("/moderation/figures").status_code == 200


@pytest.fixture
def reference_on(app):
    """The figures kept in memory, as in production."""
    app.config["REFERENCE_CACHE"] = True
    app.extensions.pop("reference_data", None)
    yield app
    app.config["REFERENCE_CACHE"] = False
    app.extensions.pop("reference_data", None)


@pytest.mark.commits  # the generation changes at a real COMMIT
def test_the_figures_kept_in_memory_show_a_new_decision_at_once(reference_on):
    """A decision committed after a visit is counted on the editor's next visit."""
    editor = _editor(reference_on)
    consultation = make_consultation(reference_on)
    proposal = make_proposal(reference_on, consultation.slug)
    assert "Inga beslut ännu." in editor.get("/moderation/figures").get_data(as_text=True)
    assert "Inga beslut ännu." in editor.get("/moderation/figures").get_data(as_text=True)
    with reference_on.app_context():
        _decide(proposal.id, consultation.id, MARCH, (1, "reject", "commercial"))
        db.session.commit()
    page = editor.get("/moderation/figures").get_data(as_text=True)
    assert "Inga beslut ännu." not in page
    assert "Reklam eller kommersiellt" in page


def test_months_are_the_municipalitys(app):
    """A decision at 00:30 on 1 February, Swedish time (23:30 UTC the day before), is a
    February decision, and its input one first decided in February."""
    consultation = make_consultation(app)
    proposal = make_proposal(app, consultation.slug)
    sent = datetime(2026, 1, 31, 20, 30, tzinfo=UTC)
    with app.app_context():
        _decide(proposal.id, consultation.id, sent, (3, "publish", None))
        db.session.commit()
    with app.test_request_context():
        figures = moderation_figures()
    [month] = figures.by_month
    assert (month.month, month.decisions) == ("2026-02", 1)
    assert month.median == Median(1, pytest.approx(3 * 3600, abs=1))


def test_a_decision_keeps_when_the_input_was_first_decided(app):
    """The first decision on an input sets its first_decided_at; a later one leaves it."""
    consultation = make_consultation(app)
    proposal = make_proposal(app, consultation.slug, published=False)
    editor = app.test_client()
    AuthActions(editor).login(make_user(app, Role.EDITOR))
    token = csrf_token(editor, "/moderation")
    editor.post("/moderation/decide", data={"csrf_token": token, "one": f"publish:{proposal.id}"})
    with app.app_context():
        first = db.session.get_one(Contribution, proposal.id).first_decided_at
        [decision] = db.session.scalars(select(ModerationDecision)).all()
        assert first is not None
        assert first == decision.created_at
        found = db.session.get_one(Contribution, proposal.id)
        assert found.first_decision_seconds == round((first - found.created_at).total_seconds())
        assert (
            found.first_decision_month == f"{first.astimezone(ZoneInfo('Europe/Stockholm')):%Y-%m}"
        )
    token = csrf_token(editor, "/moderation")
    data = {"csrf_token": token, "ids": proposal.id, "action": "hide", "reason": "offensive"}
    assert editor.post("/moderation/decide", data=data).status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(ModerationDecision)).all()) == 2
        assert db.session.get_one(Contribution, proposal.id).first_decided_at == first
    with app.test_request_context():
        assert moderation_figures().overall.decided == 1


def test_the_month_bounds_follow_summer_time(app):
    """Each month starts at local midnight: 23:00 UTC in winter, 22:00 UTC in summer."""
    with app.app_context():
        months = month_starts(datetime(2026, 4, 15, tzinfo=UTC), 3)
    assert months == (
        ("2026-04", datetime(2026, 3, 31, 22, 0, tzinfo=UTC)),
        ("2026-03", datetime(2026, 2, 28, 23, 0, tzinfo=UTC)),
        ("2026-02", datetime(2026, 1, 31, 23, 0, tzinfo=UTC)),
    )
