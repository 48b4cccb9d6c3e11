"""Full-text search over inputs, the same on SQLite (FTS5) and PostgreSQL (Swedish)."""

from __future__ import annotations

from sqlalchemy import select

from dialog.contributions import services
from dialog.contributions.models import Contribution, WorkshopNote
from dialog.contributions.search import matches_search
from dialog.extensions import db
from dialog.moderation import services as moderation
from tests.contributions.factories import make_consultation, make_proposal


def _found(app, query: str) -> set[int]:
    with app.test_request_context():
        condition = matches_search(query)
        assert condition is not None
        return set(db.session.scalars(select(Contribution.id).where(condition)))


def test_word_forms_find_each_other(app):
    """bostad finds bostäder, cykelbana finds cykelbanor, and a start finds a compound."""
    dialogue = make_consultation(app)
    homes = make_proposal(app, dialogue.slug, "Fler bostäder", "<p>Billiga hyresrätter.</p>")
    bikes = make_proposal(app, dialogue.slug, "Säkrare skolvägar", "<p>Breda cykelbanor.</p>")
    assert _found(app, "bostad") == {homes.id}
    assert _found(app, "Bostaden") == {homes.id}
    assert _found(app, "cykelbana") == {bikes.id}
    assert _found(app, "skolan") == {bikes.id}  # skol, the start of skolvägar
    assert _found(app, "skolväg cykelbanorna") == {bikes.id}
    assert _found(app, "bostad cykelbana") == set()  # every word must be found


def test_a_search_of_only_function_words_is_no_condition(app):
    """Nothing to search for: no condition at all, not one that finds nothing."""
    with app.test_request_context():
        assert matches_search("och att det") is None
        assert matches_search("   ") is None


def test_redacting_and_correcting_change_what_is_found(app):
    """The index holds the public text: struck out words are no longer found, a corrected
    note is found by its new words."""
    dialogue = make_consultation(app)
    proposal = make_proposal(app, dialogue.slug, "Parkering", "<p>Ring Svensson om parken.</p>")
    assert _found(app, "Svensson") == {proposal.id}
    with app.test_request_context(method="POST"):
        found = db.session.get_one(Contribution, proposal.id)
        moderation.redact(found, "Parkering", "Ring [borttaget] om parken.", None)
        db.session.commit()
    assert _found(app, "Svensson") == set()
    assert _found(app, "parken") == {proposal.id}
    with app.test_request_context(method="POST"):
        note = services.add_workshop_note(dialogue.id, "Mer belysning", "residents", None, None)
        db.session.commit()
        note_id = note.id
    assert _found(app, "belysningen") == {note_id}
    with app.test_request_context(method="POST"):
        note = db.session.get_one(WorkshopNote, note_id)
        services.correct_note(note, "Fler träd i centrum", "residents", None, None)
        db.session.commit()
    assert _found(app, "belysning") == set()
    assert _found(app, "träden") == {note_id}
