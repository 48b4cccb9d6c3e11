"""Comparing two versions: goals added, removed and reworded, with the words marked."""

from __future__ import annotations

from sqlalchemy import select

from dialog.accounts.models import Role, User
from dialog.extensions import db
from dialog.goals import services
from dialog.goals.compare import compare_frameworks, word_diff
from dialog.goals.models import Framework, FrameworkStatus, Goal
from dialog.goals.services import GoalInput
from tests.goals.factories import make_framework
from tests.helpers import make_user


def _framework(slug: str) -> Framework:
    return db.session.scalar(select(Framework).where(Framework.slug == slug))


def test_word_diff_marks_removed_and_added_words(ctx):
    """The word diff marks removed and added words, escaped, with hidden text for screen readers."""
    old, new = word_diff(
        "Vi skapar förutsättningar för fler bostäder",
        "Vi skapar goda förutsättningar för fler & bättre bostäder",
    )
    assert str(old) == "Vi skapar förutsättningar för fler bostäder"
    assert "<ins>" in new
    assert "goda" in new[new.index("<ins>") :]
    assert "&amp; bättre" in new  # escaped
    old, new = word_diff("Trygg kommun", "Säker kommun")
    assert old.count("<del>") == 1
    assert "Trygg" in old
    assert new.count("<ins>") == 1
    assert "Säker" in new
    assert '<span class="visually-hidden">' in old  # announced, not only struck through


def test_new_version_is_compared_by_lineage(app, ctx):
    """A version made from another is compared goal by goal by lineage, even when renumbered."""
    info = make_framework(app, slug="v1", areas=3, sub_goals=0)
    admin = db.session.get(User, make_user(app, Role.ADMIN).id)
    draft = services.new_version(_framework("v1"), "v2", admin, title_sv="V2", period_start=2028)
    goals = {goal.code: goal for goal in draft.goals}
    # Reword 1 and renumber it; remove 3; add 4.
    services.update_goal(
        goals["1"],
        GoalInput(
            kind="area", code="10", title_sv="Målområde ett", statement_sv="Vi gör område 1 bättre."
        ),
        admin,
    )
    services.delete_goal(goals["3"], admin)
    services.add_goal(draft, GoalInput(kind="area", code="4", title_sv="Nytt område"), admin)
    db.session.flush()
    db.session.expire_all()
    comparison = compare_frameworks(_framework("v2"), _framework("v1"))  # any order
    assert comparison.older.slug == "v1"
    assert comparison.matched_by == "lineage"
    assert [(c.old.code, c.new.code) for c in comparison.reworded] == [("1", "10")]
    assert [c.new.code for c in comparison.added] == ["4"]
    assert [c.old.code for c in comparison.removed] == ["3"]
    assert [c.new.code for c in comparison.unchanged] == ["2"]
    change = comparison.reworded[0]
    assert "<del>" in change.old_title
    assert "1" in change.old_title
    assert "<ins>" in change.new_title
    assert "ett" in change.new_title
    assert info.id == comparison.older.id


def test_separately_written_versions_are_compared_by_code(app, ctx):
    """Two unrelated frameworks are matched by goal code: added, reworded and unchanged."""
    make_framework(app, slug="a", areas=2, sub_goals=0)
    make_framework(app, slug="b", areas=3, sub_goals=0)
    with ctx.app_context():
        goal = db.session.scalar(
            select(Goal).join(Framework).where(Framework.slug == "b", Goal.code == "2")
        )
        goal.title_sv = "Omskrivet område"
        db.session.commit()
    comparison = compare_frameworks(_framework("a"), _framework("b"))
    assert comparison.matched_by == "code"
    assert [c.new.code for c in comparison.added] == ["3"]
    assert [c.new.code for c in comparison.reworded] == ["2"]
    assert [c.new.code for c in comparison.unchanged] == ["1"]
    assert comparison.removed == []


def test_comparison_page_shows_the_changes_side_by_side(app, client):
    """The comparison page shows counts and a table with marked words; same or unknown gives 404."""
    old = make_framework(app, slug="gamla", areas=2, sub_goals=0, status=FrameworkStatus.SUPERSEDED)
    make_framework(app, slug="nya", areas=2, sub_goals=0, supersedes=old.id)
    with app.app_context():
        goal = db.session.scalar(
            select(Goal).join(Framework).where(Framework.slug == "nya", Goal.code == "2")
        )
        goal.statement_sv = "Vi gör område 2 mycket bättre."
        db.session.commit()
    response = client.get("/goals/gamla/compare/nya", headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Reworded: 1" in html
    assert '<table class="compare">' in html
    assert "<caption>" in html
    assert "mycket" in html[html.index("<ins>") :]
    assert "Unchanged: 1" in html
    assert client.get("/goals/gamla/compare/gamla").status_code == 404
    assert client.get("/goals/gamla/compare/no-such").status_code == 404
