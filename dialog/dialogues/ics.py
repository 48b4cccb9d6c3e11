"""An iCalendar (RFC 5545) file for a dialogue's event, written by hand.

Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character; text
values escape backslash, semicolon, comma and newline, and drop the control characters
RFC 5545 forbids in them; times are given in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

PRODUCT_ID = "-//Dialog//Dialogues//SV"
MAX_OCTETS = 75
# What str.splitlines() does not already turn into line breaks: the C0 controls but tab,
# DEL and the C1 controls (RFC 5545, 3.3.11: TEXT excludes CONTROL; C1 are no text either).
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime | None
    stamp: datetime
    description: str = ""
    location: str = ""
    url: str = ""
    sequence: int = 0
    cancelled: bool = False


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545, 3.3.11).

    Every line break (CR, LF, CRLF, VT, FF, NEL, LS, PS, the file/group/record separators)
    becomes an escaped newline; the other control characters are removed.
    """
    value = FORBIDDEN.sub("", "\n".join(value.splitlines()))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def format_utc(moment: datetime) -> str:
    """A DATE-TIME in UTC form, like 20190312T170000Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, joined by CRLF and a space."""
    encoded = line.encode()
    if len(encoded) <= MAX_OCTETS:
        return line
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
            limit = MAX_OCTETS - 1  # continuation lines start with a space
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def render(event: CalendarEvent) -> str:
    """Return the calendar with the one event, as text ready to be sent as text/calendar."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{format_utc(event.stamp)}",
        f"DTSTART:{format_utc(event.starts_at)}",
    ]
    if event.ends_at is not None:
        lines.append(f"DTEND:{format_utc(event.ends_at)}")
    lines.append(f"SEQUENCE:{event.sequence}")
    lines.append(f"SUMMARY:{escape_text(event.summary)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("STATUS:CANCELLED" if event.cancelled else "STATUS:CONFIRMED")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
