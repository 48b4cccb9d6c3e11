"""The Agenda 2030 reference data: in the migration, and the same as the application's copy."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import select

from dialog import create_app
from dialog.config import for_tests
from dialog.extensions import db
from dialog.goals.models import Sdg
from dialog.goals.reference import SDGS


def test_the_migration_loads_the_17_goals(tmp_path):
    """The migrations load the 17 Agenda 2030 goals, the same as the application's list."""
    app = create_app(for_tests(f"sqlite:///{tmp_path / 'reference.db'}"))
    with app.app_context():
        upgrade()
        rows = [
            (s.number, s.name_sv, s.name_en)
            for s in db.session.scalars(select(Sdg).order_by(Sdg.number))
        ]
        db.engine.dispose()
    assert rows == list(SDGS)
    assert len(rows) == 17
    assert rows[12] == (13, "Bekämpa klimatförändringarna", "Climate Action")
