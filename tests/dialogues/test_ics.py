"""The hand-written iCalendar file: CRLF lines, escaping, UTC times and folding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from dialog.dialogues.ics import CalendarEvent, escape_text, fold, format_utc, render


def test_text_values_are_escaped():
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_times_are_given_in_utc():
    stockholm_summer = timezone(timedelta(hours=2))
    assert format_utc(datetime(2019, 4, 24, 18, 0, tzinfo=stockholm_summer)) == "20190424T160000Z"


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "åäö" * 60
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if n else piece for n, piece in enumerate(pieces)) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_a_whole_calendar():
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
