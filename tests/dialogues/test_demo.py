"""The demo dialogues: Köping's 2019 dialogues and workshops, Vägval's open consultation
and upcoming workshop; loaded idempotently and marked as example data."""

from __future__ import annotations

from sqlalchemy import func, select

from dialog.contributions.models import GoalLink, WorkshopNote
from dialog.demo import loader
from dialog.dialogues import services
from dialog.dialogues.models import Dialogue
from dialog.extensions import db


def _load(app) -> None:
    with app.app_context():
        loader.load()
        db.session.commit()


def test_the_demo_loads_once_and_tells_the_story(app, client):
    """Loaded twice, the demo has Köping's 2019 dialogues and Vägval's open consultation."""
    _load(app)
    _load(app)
    with app.test_request_context():
        dialogues = {d.slug: d for d in db.session.scalars(select(Dialogue))}
        assert len(dialogues) == 9
        assert all(dialogue.is_example for dialogue in dialogues.values())
        koping = [d for d in dialogues.values() if d.framework.slug == "koping-2020-2027"]
        assert {d.format for d in koping} == {"citizen_dialogue", "workshop"}
        assert {d.place_name.split()[0] for d in koping if d.format == "citizen_dialogue"} >= {
            "Köpings",
            "Munktorps",
            "Himmeta",
        }
        assert all(d.starts_at.year == 2019 for d in koping)
        assert any(d.published_report is not None for d in koping)
        notes = db.session.scalar(select(func.count()).select_from(WorkshopNote))
        links = db.session.scalar(select(func.count()).select_from(GoalLink))
        assert notes >= 30
        assert links >= 25
        consultation = dialogues["vagval-2020-samrad"]
        assert consultation.status == "open"
        assert services.accepts_online_input(consultation)
        workshop = dialogues["vagval-2020-workshop-trygghet"]
        assert services.registration_open(workshop)
    page = client.get("/dialogues/koping-centrum-2019").get_data(as_text=True)
    assert "Exempeldata" in page or "Example data" in page
    assert client.get("/dialogues?when=upcoming").status_code == 200
