"""The hand-written iCalendar file: CRLF lines, escaping, control characters, UTC times and
folding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from dialog.dialogues.ics import CalendarEvent, escape_text, fold, format_utc, render
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from tests.dialogues.factories import make_dialogue, make_framework


def test_text_values_are_escaped():
    """Backslashes, semicolons, commas and line breaks are escaped as RFC 5545 asks."""
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_times_are_given_in_utc():
    """A time with an offset is written as UTC with a Z."""
    stockholm_summer = timezone(timedelta(hours=2))
    assert format_utc(datetime(2019, 4, 24, 18, 0, tzinfo=stockholm_summer)) == "20190424T160000Z"


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    """Long lines fold at 75 bytes, never inside a character, and unfold to the original."""
    line = "DESCRIPTION:" + "åäö" * 60
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if n else piece for n, piece in enumerate(pieces)) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_a_whole_calendar():
    """A rendered event has the calendar frame, CRLF line ends, UTC times and escaped texts."""
    event = CalendarEvent(
        uid="dialogue-7@dialog.example.se",
        summary="Workshop: trygghet, i centrum",
        starts_at=datetime(2019, 3, 12, 17, 0, tzinfo=UTC),
        ends_at=datetime(2019, 3, 12, 19, 30, tzinfo=UTC),
        stamp=datetime(2019, 2, 1, 8, 0, tzinfo=UTC),
        description="Rad ett\nRad två; med semikolon",
        location="Köpings bibliotek, Köping",
        url="https://dialog.example.se/dialogues/x",
    )
    text = render(event)
    lines = text.split("\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Dialog//Dialogues//SV"]
    for expected in (
        "BEGIN:VEVENT",
        "UID:dialogue-7@dialog.example.se",
        "DTSTAMP:20190201T080000Z",
        "DTSTART:20190312T170000Z",
        "DTEND:20190312T193000Z",
        "SUMMARY:Workshop: trygghet\\, i centrum",
        "DESCRIPTION:Rad ett\\nRad två\\; med semikolon",
        "LOCATION:Köpings bibliotek\\, Köping",
        "END:VEVENT",
    ):
        assert expected in lines


# Every character RFC 5545 does not allow in a TEXT value, by name.
LINE_BREAKS = {
    "LF": "\n",
    "CR": "\r",
    "VT": "\x0b",
    "FF": "\x0c",
    "FS": "\x1c",
    "GS": "\x1d",
    "RS": "\x1e",
    "NEL": "\x85",
    "LS": "\u2028",
    "PS": "\u2029",
}
REMOVED = {
    name: char
    for name, char in {
        # NUL cannot be stored in PostgreSQL at all; escape_text is tested with it below.
        **{f"C0 {code:#04x}": chr(code) for code in range(1, 0x20) if code != 0x09},
        "DEL": "\x7f",
        **{f"C1 {code:#04x}": chr(code) for code in range(0x80, 0xA0)},
    }.items()
    if char not in LINE_BREAKS.values()
}


@pytest.fixture
def calendar_with(app, client):
    """Give a dialogue a title and a place, and return its calendar file."""
    dialogue = make_dialogue(app, make_framework(app))

    def fetch(title: str, place: str) -> str:
        with app.app_context():
            db.session.execute(
                update(Dialogue)
                .where(Dialogue.id == dialogue.id)
                .values(title_sv=title, title_en=title, place_name=place)
            )
            db.session.commit()
        response = client.get(f"/dialogues/{dialogue.slug}/event.ics")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return fetch


def _unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_a_line_break_in_a_title_or_place_becomes_an_escaped_newline(calendar_with):
    """VT, FF, NEL, LS, PS, CR, LF and the separators in a title or place are written as \\n."""
    for name, char in LINE_BREAKS.items():
        body = calendar_with(f"Möte{char}i parken", f"Torget{char}norra")
        lines = _unfolded(body)
        assert "SUMMARY:Möte\\ni parken" in lines, name
        assert "LOCATION:Torget\\nnorra\\, Centrumvägen 1\\, Kolsva" in lines, name
        assert char not in body.replace("\r\n", ""), name


def test_other_control_characters_in_a_title_or_place_are_removed(calendar_with):
    """Every other C0 control, DEL and every C1 control is left out of the file."""
    assert len(REMOVED) == 23 + 1 + 31
    for name, char in REMOVED.items():
        body = calendar_with(f"Möte{char}i parken", f"Torget{char}")
        lines = _unfolded(body)
        assert "SUMMARY:Mötei parken" in lines, name
        assert "LOCATION:Torget\\, Centrumvägen 1\\, Kolsva" in lines, name
        assert char not in body.replace("\r\n", ""), name


def test_tabs_stay_and_nul_goes():
    """A tab is white space RFC 5545 allows in text; NUL is removed like the other controls."""
    assert escape_text("a\tb\x00c") == "a\tbc"
