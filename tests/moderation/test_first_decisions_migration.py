"""The migration that keeps each input's first decision fills it in for the decisions
taken before it, with the month in the municipality's time zone."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from dialog import create_app
from dialog.config import for_tests
from dialog.extensions import db
from tests.core.test_database import empty_database  # noqa: F401 - the fixture

BEFORE = "b7e3c1f4a920"
INPUT = (
    "INSERT INTO contributions (id, kind, status, body_html, body_text, language, created_at, "
    "updated_at) VALUES (:id, 'proposal', 'published', '<p>x</p>', 'x', 'sv', :sent, :sent)"
)
DECISION = (
    "INSERT INTO moderation_decisions (contribution_id, submitted_at, action, created_at) "
    "VALUES (:id, :sent, :action, :at)"
)


def test_the_migration_fills_in_the_first_decisions(empty_database):  # noqa: F811
    """Each decided input gets its earliest decision, the seconds to it and its local month;
    an input without decisions gets none."""
    app = create_app(for_tests(empty_database))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            for number in (1, 2):
                connection.execute(text(INPUT), {"id": number, "sent": "2026-01-31 20:30:00"})
            for action, at in (("hide", "2026-02-02 08:00:00"), ("publish", "2026-01-31 23:30:00")):
                data = {"id": 1, "sent": "2026-01-31 20:30:00", "action": action, "at": at}
                connection.execute(text(DECISION), data)
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT id, first_decision_seconds, first_decision_month, "
                    "first_decided_at IS NOT NULL FROM contributions ORDER BY id"
                )
            ).all()
        db.engine.dispose()
    assert [tuple(row) for row in rows] == [(1, 3 * 3600, "2026-02", True), (2, None, None, False)]
