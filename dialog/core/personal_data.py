"""The personal-data guard: identity numbers, phone numbers and email addresses in a text.

Residents are warned before a text that holds any of these is stored, and an input sent
anyway waits for an editor with what was found highlighted. The patterns are strict on
purpose, so that the warning is rare and believed: an identity number must pass the Luhn
check and hold a real date, a phone number must start as Swedish numbers do (0 or +46), so
amounts, years, dates, postcodes and reference numbers such as DLG-2026-00042 pass.

A finding is a span into the plain text of one field (what is stored as ``body_text``), so
editors can highlight it in what they read.
"""

from __future__ import annotations

import calendar
import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from markupsafe import Markup, escape

from dialog.core.i18n import _, _l
from dialog.core.rules import RuleError


class FindingKind(enum.StrEnum):
    PERSONAL_NUMBER = "personal_number"  # personnummer
    COORDINATION_NUMBER = "coordination_number"  # samordningsnummer
    PHONE = "phone"
    EMAIL = "email"


FINDING_LABELS = {
    FindingKind.PERSONAL_NUMBER: _l("a personal identity number"),
    FindingKind.COORDINATION_NUMBER: _l("a coordination number"),
    FindingKind.PHONE: _l("a phone number"),
    FindingKind.EMAIL: _l("an email address"),
}


@dataclass(frozen=True)
class Finding:
    """Personal data found in one field: its kind and where, as [start, end) of the text."""

    kind: str
    field: str
    start: int
    end: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


# Identity and coordination numbers ------------------------------------------------------

# YYMMDD or YYYYMMDD, an optional separator (- under a hundred years of age, + over), and
# the birth number with its check digit. Not inside a longer number or a word, nor after a
# dash or plus that would make it part of a code.
_PERSONAL_NUMBER = re.compile(
    r"(?<![\w+\-])(?P<century>\d{2})?(?P<date>\d{6})(?P<sep>[-+]?)(?P<tail>\d{4})(?![\w\-])"
)
_CENTURIES = (18, 19, 20)


def luhn_valid(digits: str) -> bool:
    """Tell whether the digits end in their Luhn check digit (the 10-digit form of a number)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _real_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _identity_kind(century: str | None, date: str) -> FindingKind | None:
    """The kind of number the date part makes (a coordination number adds 60 to the day)."""
    month, day = int(date[2:4]), int(date[4:6])
    kind = FindingKind.PERSONAL_NUMBER
    if 61 <= day <= 91:
        day -= 60
        kind = FindingKind.COORDINATION_NUMBER
    centuries = (int(century),) if century else _CENTURIES
    if any(_real_date(c * 100 + int(date[:2]), month, day) for c in centuries):
        return kind
    return None


def _personal_numbers(text: str, field: str) -> list[Finding]:
    found = []
    for match in _PERSONAL_NUMBER.finditer(text):
        century = match.group("century")
        if century is not None and century not in {"18", "19", "20"}:
            continue
        kind = _identity_kind(century, match.group("date"))
        if kind is not None and luhn_valid(match.group("date") + match.group("tail")):
            found.append(Finding(kind.value, field, match.start(), match.end()))
    return found


# Phone numbers --------------------------------------------------------------------------

# Digits in groups, each apart by a space or a dash (spaced or not): 070-123 45 67, 08-123 456 78,
# (08) 123 45 67, 0701234567; +46 70 123 45 67, +46 (0)8 123 45 67, 0046 …. Swedish numbers
# have 8 to 10 digits with the leading 0; area codes never start with 00. Not inside a word,
# a longer number or a code (DLG-2026-00042), nor followed by more digits.
_GAP = r"(?:[ \u00a0]?-[ \u00a0]?|[ \u00a0])?"
_NATIONAL = rf"(?:\(0[1-9]\d{{0,2}}\)|0[1-9])(?:{_GAP}\d){{6,8}}"
_INTERNATIONAL = rf"(?:\+|00)46{_GAP}(?:\(0\){_GAP})?[1-9](?:{_GAP}\d){{6,8}}"
_PHONE = re.compile(rf"(?<![\w+\-])(?:{_INTERNATIONAL}|{_NATIONAL})(?!\d)(?!-\d)")
# Written like a date (01-02-2026) or a time span (0800-1200): not a phone number.
_DATE_LIKE = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")
_TIME_SPAN = re.compile(r"^([01]\d|2[0-3])([0-5]\d)-([01]\d|2[0-3])([0-5]\d)$")


def _looks_like_date_or_time(number: str) -> bool:
    number = re.sub(r"[ \u00a0]", "", number)
    date = _DATE_LIKE.match(number)
    if date is not None:
        day, month, year = (int(part) for part in date.groups())
        return year > 0 and _real_date(year, month, day)
    return _TIME_SPAN.match(number) is not None


def _phone_numbers(text: str, field: str) -> list[Finding]:
    found = []
    for match in _PHONE.finditer(text):
        number = match.group()
        digits = len(re.sub(r"\D", "", number))
        if not number.startswith(("+", "00")) and not 8 <= digits <= 10:
            continue  # an area code in brackets lets the pattern take a few too many
        if _looks_like_date_or_time(number):
            continue
        found.append(Finding(FindingKind.PHONE.value, field, match.start(), match.end()))
    return found


# Email addresses ------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+\-@])[\w.!#$%&'*+/=?^`{|}~\-]{1,64}@"
    r"(?:[^\W_](?:[\w\-]{0,61}[^\W_])?\.){1,10}[^\W\d_]{2,63}(?![\w\-])"
)


def _email_addresses(text: str, field: str) -> list[Finding]:
    return [
        Finding(FindingKind.EMAIL.value, field, match.start(), match.end())
        for match in _EMAIL.finditer(text)
    ]


# Together -------------------------------------------------------------------------------


def _without_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """The findings in text order, an identity number or email before a phone number in it."""
    kept: list[Finding] = []
    for finding in findings:  # in order of priority
        if all(finding.end <= other.start or finding.start >= other.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda finding: finding.start)


def find_personal_data(text: str | None, field: str = "body") -> list[Finding]:
    """Every identity number, coordination number, phone number and email address in text."""
    if not text:
        return []
    return _without_overlaps(
        [
            *_personal_numbers(text, field),
            *_email_addresses(text, field),
            *_phone_numbers(text, field),
        ]
    )


def find_in_fields(fields: Mapping[str, str | None]) -> list[Finding]:
    """The findings of every field, field by field."""
    return [finding for name, text in fields.items() for finding in find_personal_data(text, name)]


def as_json(findings: Iterable[Finding]) -> list[dict[str, Any]] | None:
    """Findings as stored on an input (``personal_data_findings``); None when there are none."""
    stored = [finding.as_json() for finding in findings]
    return stored or None


def finding_kinds(findings: Iterable[Finding | Mapping[str, Any]]) -> list[str]:
    """The kinds found, each once, in the order of FindingKind."""
    kinds = {f.kind if isinstance(f, Finding) else str(f.get("kind")) for f in findings}
    return [kind.value for kind in FindingKind if kind.value in kinds]


class PersonalDataError(RuleError):
    """The text holds personal data: the author sees what, and may edit or send it anyway.

    findings are what was found; texts are the fields' plain texts they point into.
    """

    def __init__(self, findings: list[Finding], texts: Mapping[str, str]) -> None:
        super().__init__(
            _(
                "Your text seems to contain personal data: {found}. What you send becomes a "
                "public record, so take it out if you can. Change the text and send it "
                "again, or choose “Send anyway”: then it is checked by an editor before it "
                "is published."
            ).format(found=describe(findings, texts))
        )
        self.findings = findings


def check_personal_data(fields: Mapping[str, str | None], send_anyway: bool) -> list[Finding]:
    """What the fields hold; raise PersonalDataError unless the author chose to send anyway."""
    findings = find_in_fields(fields)
    if findings and not send_anyway:
        raise PersonalDataError(findings, {name: text or "" for name, text in fields.items()})
    return findings


def describe(findings: Iterable[Finding], texts: Mapping[str, str]) -> str:
    """The findings in words, with what was written: 'a phone number (070-123 45 67)'."""
    return "; ".join(
        _("{what} ({text})").format(
            what=finding_label(finding.kind),
            text=texts.get(finding.field, "")[finding.start : finding.end],
        )
        for finding in findings
    )


def finding_label(kind: str) -> str:
    """What a kind of finding is called, in the reader's language."""
    try:
        return str(FINDING_LABELS[FindingKind(kind)])
    except ValueError:
        return kind


def marked_text(
    text: str, findings: Iterable[Finding | Mapping[str, Any]] | None, field: str = "body"
) -> Markup:
    """The plain text escaped, each finding of the field in ``<mark>``, line breaks kept.

    For editors, who see what the guard found where it is. Spans that no longer fit the
    text (it was corrected since, or only its start is shown) are left out.
    """
    spans = []
    for finding in findings or ():
        item = finding.as_json() if isinstance(finding, Finding) else finding
        start, end = item.get("start"), item.get("end")
        if item.get("field") != field or not isinstance(start, int) or not isinstance(end, int):
            continue
        if 0 <= start < end <= len(text):
            spans.append((start, end, str(item.get("kind", ""))))
    parts: list[Markup] = []
    position = 0
    for start, end, kind in sorted(spans):
        if start < position:
            continue
        parts.append(_escaped_lines(text[position:start]))
        parts.append(_MARK % (finding_label(kind), _escaped_lines(text[start:end])))
        position = end
    parts.append(_escaped_lines(text[position:]))
    return Markup("").join(parts)


_MARK = Markup('<mark title="%s">%s</mark>')
_BREAK = Markup("<br>\n")


def _escaped_lines(text: str) -> Markup:
    return escape(text).replace("\n", _BREAK)
