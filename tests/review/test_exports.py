"""The review's exports: exactly the rows the filters show, harmless cells, constant memory."""

from __future__ import annotations

import csv
import io
import time
import tracemalloc
import zipfile
from xml.etree import ElementTree

import pytest
from sqlalchemy import insert

from dialog.contributions.models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    GoalLink,
    GoalRelation,
)
from dialog.core.models import utcnow
from dialog.extensions import db
from tests.contributions.factories import make_proposal
from tests.review.factories import AUTHOR_EMAIL, AUTHOR_NAME, link, login, make_reviewed

SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture
def reviewed(app):
    return make_reviewed(app)


def _csv(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _xlsx(body: bytes) -> list[list[str]]:
    """The first sheet's cells as text, row by row (and no formula anywhere)."""
    with zipfile.ZipFile(io.BytesIO(body)) as workbook:
        sheet = workbook.read("xl/worksheets/sheet1.xml")
        shared = []
        if "xl/sharedStrings.xml" in workbook.namelist():
            strings = ElementTree.fromstring(workbook.read("xl/sharedStrings.xml"))  # noqa: S314 - our own export
            shared = ["".join(item.itertext()) for item in strings.iter(f"{SHEET}si")]
    root = ElementTree.fromstring(sheet)  # noqa: S314 - the workbook our export wrote
    assert not list(root.iter(f"{SHEET}f")), "a formula in the export"
    rows = []
    for row in root.iter(f"{SHEET}row"):
        cells: dict[int, str] = {}
        for cell in row.iter(f"{SHEET}c"):
            letters = "".join(char for char in cell.get("r", "") if char.isalpha())
            column = 0
            for char in letters:
                column = column * 26 + ord(char) - ord("A") + 1
            if cell.get("t") == "s":
                cells[column - 1] = shared[int(cell.findtext(f"{SHEET}v") or "0")]
            else:
                cells[column - 1] = "".join(cell.itertext())
        rows.append([cells.get(number, "") for number in range(max(cells, default=-1) + 1)])
    return rows


def test_the_csv_holds_exactly_what_the_filters_show(app, client, reviewed):
    """The same rows as the page with the same filters, newest first, labels in Swedish."""
    login(app, client)
    response = client.get(f"/review/goals/{reviewed.goal}/inputs.csv?kind=workshop_note")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = _csv(response.data)
    assert rows[0][:4] == ["Diarienummer", "Mål", "Målets rubrik", "Koppling"]
    assert [row[11] for row in rows[1:]] == [
        "Mötesplatser för unga",
        "Trygga gångvägar till bostaden",
    ]
    assert {row[8] for row in rows[1:]} == {"Äldre", "Unga"}
    assert rows[1][1] == "2.1"


def test_both_formats_and_both_languages(app, client, reviewed):
    """XLSX holds the same rows as CSV; English headers for an English reader."""
    login(app, client)
    client.set_cookie("lang", "en")
    path = f"/review/frameworks/{reviewed.framework.slug}/inputs"
    csv_rows = _csv(client.get(path + ".csv").data)
    response = client.get(path + ".xlsx")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    xlsx_rows = _xlsx(response.data)
    assert csv_rows[0][0] == "Reference"
    assert len(csv_rows) == len(xlsx_rows) == 1 + 8
    assert [row[0] for row in csv_rows] == [row[0] for row in xlsx_rows]
    assert [row[11] for row in csv_rows[1:]] == [row[11] for row in xlsx_rows[1:]]
    assert "Influenced the goal" in {row[3] for row in xlsx_rows}


def test_formula_like_cells_are_made_harmless(app, client, reviewed):
    """A text starting with = + - @ is written with an apostrophe, in CSV and XLSX."""
    bad = make_proposal(
        app, reviewed.online.slug, '=HYPERLINK("http://x")', "<p>@SUM(A1:A9) - och mer</p>"
    )
    link(app, bad.id, reviewed.goal, GoalRelation.RELATED)
    login(app, client)
    for fmt, read in (("csv", _csv), ("xlsx", _xlsx)):
        rows = read(client.get(f"/review/goals/{reviewed.goal}/inputs.{fmt}").data)
        row = next(row for row in rows if row[0] == bad.reference)
        assert row[10] == '\'=HYPERLINK("http://x")', fmt
        assert row[11] == "'@SUM(A1:A9) - och mer", fmt


def test_no_author_in_the_xlsx(app, client, reviewed):
    """Neither name nor address of a sender in the workbook."""
    login(app, client)
    rows = _xlsx(client.get(f"/review/frameworks/{reviewed.framework.slug}/inputs.xlsx").data)
    text = "\n".join(";".join(row) for row in rows)
    assert AUTHOR_NAME not in text
    assert AUTHOR_EMAIL not in text


def _many_inputs(app, goal_id: int, dialogue_id: int, count: int, prefix: str) -> None:
    """Published proposals tied to the goal, inserted in bulk (as the bench does)."""
    now = utcnow()
    text = "Fler bänkar och mer belysning längs gångvägen till skolan, tack. " * 4
    with app.app_context():
        rows = [
            {
                "kind": ContributionKind.PROPOSAL.value,
                "status": ContributionStatus.PUBLISHED.value,
                "dialogue_id": dialogue_id,
                "reference": f"{prefix}-{number:06d}",
                "title": f"Förslag {number}",
                "body_html": f"<p>{text}</p>",
                "body_text": text,
                "created_at": now,
                "updated_at": now,
                "published_at": now,
            }
            for number in range(count)
        ]
        statement = insert(Contribution).returning(Contribution.id, sort_by_parameter_order=True)
        ids = list(db.session.scalars(statement, rows))
        links = [
            {"contribution_id": cid, "goal_id": goal_id, "relation": "related", "created_at": now}
            for cid in ids
        ]
        db.session.execute(insert(GoalLink), links)
        db.session.commit()


def _peak(client, path: str) -> tuple[int, int, float]:
    """Stream the export; return its size, the peak of memory allocated while it streamed,
    and the seconds it took."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    response = client.get(path, buffered=False)
    size = 0
    for chunk in response.response:
        size += len(chunk)
    response.close()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return size, peak, seconds


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_of_many_rows_needs_no_more_memory_than_of_few(app, client, reviewed, fmt):
    """10,000 rows stream with about the memory of 200: one batch is held at a time
    (tracemalloc makes Python several times slower: bench/ measures 100,000 rows)."""
    small = make_reviewed(app)
    _many_inputs(app, small.goal, small.online.id, 200, "FEW")
    _many_inputs(app, reviewed.goal, reviewed.online.id, 10_000, "MANY")
    login(app, client)
    _peak(client, f"/review/goals/{small.goal}/inputs.{fmt}")  # warm: imports, caches
    few_size, few_peak, _seconds = _peak(client, f"/review/goals/{small.goal}/inputs.{fmt}")
    many_size, many_peak, seconds = _peak(client, f"/review/goals/{reviewed.goal}/inputs.{fmt}")
    assert many_size > 20 * few_size  # XLSX is compressed: not 50 times
    # One batch of rows (1,000 instead of 200) is the only difference that may remain.
    assert many_peak < few_peak + 3_000_000, (fmt, few_peak, many_peak)
    print(
        f"{fmt}: 10,000 rows in {seconds:.2f} s, peak {many_peak / 1e6:.1f} MB, 200 rows peak"
        f" {few_peak / 1e6:.1f} MB"
    )
