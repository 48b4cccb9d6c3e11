"""The personal-data guard: what it finds in a text, and what it leaves alone."""

from __future__ import annotations

import time

import pytest

from dialog.core.personal_data import (
    Finding,
    as_json,
    find_in_fields,
    find_personal_data,
    finding_kinds,
    luhn_valid,
    marked_text,
)


def _found(text: str) -> list[tuple[str, str]]:
    return [(item.kind, text[item.start : item.end]) for item in find_personal_data(text)]


@pytest.mark.parametrize(
    "number",
    [
        "850709-9805",  # 10 digits with the separator
        "8507099805",  # 10 digits without
        "19850709-9805",  # 12 digits with
        "198507099805",  # 12 digits without
        "121212+1212",  # a hundred years old or more: the plus separator
        "20000229-1235",  # a leap day
    ],
)
def test_personal_numbers_in_every_format_are_found(number):
    """A valid personal identity number is found in the 10- and 12-digit forms, either separator."""
    text = f"Mitt personnummer är {number}, ring mig."
    assert _found(text) == [("personal_number", number)]


@pytest.mark.parametrize("number", ["850769-9802", "8507699802", "19850769-9802", "198507699802"])
def test_coordination_numbers_are_found(number):
    """A samordningsnummer (the day plus 60) is found as a coordination number."""
    assert _found(f"Samordningsnummer {number}") == [("coordination_number", number)]


@pytest.mark.parametrize(
    "number",
    [
        "850709-9804",  # wrong check digit
        "8507099806",
        "19850709-9801",
        "851309-9805",  # month 13
        "850732-9805",  # day 32
        "850700-9805",  # day 0
        "850792-9805",  # a coordination day past 91
        "850230-1230",  # 30 February (valid check digit)
        "850431-1237",  # 31 April (valid check digit)
        "850290-1237",  # a coordination number of 30 February (valid check digit)
        "19010229-1234",  # 29 February in a year that has none (valid check digit)
        "19000229-1235",  # 1900 was no leap year (valid check digit)
        "21850709-9805",  # no such century
    ],
)
def test_invalid_personal_numbers_are_not_found(number):
    """A wrong check digit or an impossible date is not an identity number (nor a phone)."""
    assert _found(f"Nummer {number} här") == []


def test_luhn_check_digit():
    """The Luhn check works over the 10-digit form."""
    assert luhn_valid("8507099805")
    assert luhn_valid("1212121212")
    assert not luhn_valid("8507099804")


@pytest.mark.parametrize(
    "number",
    [
        "070-123 45 67",
        "0701234567",
        "070 123 45 67",
        "073-1234567",
        "070 - 123 45 67",
        "08-123 456 78",
        "08-12 34 56",
        "(08) 123 45 67",
        "031-12 34 56",
        "0221-123 45",
        "+46 70 123 45 67",
        "+46701234567",
        "+46 (0)8 123 456 78",
        "+46-8-123 456 78",
        "0046 70 123 45 67",
    ],
)
def test_phone_numbers_are_found(number):
    """Mobile and landline numbers, national or +46, with spaces or dashes, are found."""
    assert _found(f"Ring {number} efter fem.") == [("phone", number)]


@pytest.mark.parametrize(
    "email", ["anna.svensson@example.se", "åsa+dialog@kommun.koping.se", "A_B@Exempel.COM"]
)
def test_email_addresses_are_found(email):
    """An email address is found, with dots, plus signs and Swedish letters."""
    assert _found(f"Mejla {email}.") == [("email", email)]


@pytest.mark.parametrize(
    "text",
    [
        "År 2026 ska vi bygga 12 nya bänkar.",
        "Det kostar 1 500 000 kr eller 2 300 kr per år.",
        "Postnummer 123 45 Köping, eller 731 85.",
        "Se DLG-2026-00042 och DLG-2025-01234.",
        "Mötet är 2026-03-01 kl. 18.00 och 01-02-2026.",
        "Öppet 0800-1200 och 1300 - 1700.",
        "Kontonummer 1234567890 och 12345678901234.",
        "Paragraf 3:12, 4 § och 0,5 procent.",
        "Fastighet Köping 3:145, ärende 2025/0123.",
        "Skriv till oss @kommun eller på a@b.",
        "Version 0.12.345 och 07-10.",
    ],
)
def test_ordinary_numbers_and_text_are_left_alone(text):
    """Years, amounts, postcodes, dates, times, reference numbers and plain numbers pass."""
    assert _found(text) == []


def test_several_findings_in_order_with_spans():
    """Every finding is reported once, in text order, with its field and span."""
    text = "Anna 850709-9805, tel 070-123 45 67, anna@example.se"
    findings = find_personal_data(text, "body")
    assert [(f.kind, f.field) for f in findings] == [
        ("personal_number", "body"),
        ("phone", "body"),
        ("email", "body"),
    ]
    assert [text[f.start : f.end] for f in findings] == [
        "850709-9805",
        "070-123 45 67",
        "anna@example.se",
    ]


def test_a_number_is_one_finding_not_two():
    """An identity number that could also read as a phone number is one finding."""
    assert _found("0002291235") == [("personal_number", "0002291235")]


def test_fields_and_json():
    """Each field's findings carry the field's name; stored as JSON, none as None."""
    findings = find_in_fields({"title": "Ring 08-123 45 67", "body": "Inget här"})
    assert as_json(findings) == [{"kind": "phone", "field": "title", "start": 5, "end": 17}]
    assert as_json([]) is None
    assert find_in_fields({"title": None, "body": ""}) == []
    assert finding_kinds(findings + [Finding("email", "body", 0, 1)]) == ["phone", "email"]


def test_marked_text_escapes_and_marks(app):
    """Editors' highlighted text: escaped, each finding of the field in <mark>, lines kept."""
    text = "<b> & 070-123 45 67\nrad två"
    findings = find_personal_data(text)
    with app.test_request_context():
        marked = str(marked_text(text, findings))
        stale = str(
            marked_text("kort", [{"kind": "phone", "field": "body", "start": 2, "end": 40}])
        )
    assert marked.startswith("&lt;b&gt; &amp; <mark")
    assert ">070-123 45 67</mark><br>\nrad två" in marked
    assert stale == "kort"


def test_a_long_text_is_checked_quickly():
    """A text at the longest allowed, written to slow the patterns down, is checked at once."""
    hostile = ["a" * 10 + "@" + "b" * 9_980, "0" * 10_000, "-1" * 5_000, ("1 " * 5_000)]
    started = time.perf_counter()
    for text in hostile:
        find_personal_data(text)
    assert time.perf_counter() - started < 0.5
