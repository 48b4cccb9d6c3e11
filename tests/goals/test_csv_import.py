"""Importing yearly values from CSV: a preview, line-numbered reasons for bad rows, no state."""

from __future__ import annotations

import io

import pytest
from flask_babel import force_locale
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from dialog.accounts.models import Role
from dialog.core.forms import uploaded_text
from dialog.core.models import AuditEvent
from dialog.extensions import db
from dialog.goals.models import Framework, Indicator
from dialog.goals.services import GoalsError, import_measurements, read_measurements
from tests.goals.factories import make_framework
from tests.helpers import csrf_token, make_user


@pytest.fixture
def plan(app):
    """A framework with two indicators; the first follows Kolada KPI N00945."""
    info = make_framework(app, slug="plan", areas=1, sub_goals=1, indicators=2, measurements=1)
    with app.app_context():
        first = db.session.get(Indicator, info.indicator_ids[0])
        first.kolada_kpi, first.municipality_code = "N00945", "1983"
        db.session.commit()
    return info


def _values(app, indicator_id: int) -> dict[int, tuple[float, str]]:
    with app.app_context():
        indicator = db.session.get(Indicator, indicator_id)
        return {m.year: (m.value, m.source) for m in indicator.measurements}


BAD_FILE = """indicator;year;value;source
{first};2020;41,5;manual
N00945;2021;43;kolada
{second};2021;12.25;
{first};20x1;3
;2022;3
999999;2022;3
{first};2022;tre
{second};2022;5;kolada
{first};2020;42
{second}
{second};2023;
"""


def test_preview_reports_every_bad_row_with_its_line(app, ctx, plan):
    """The preview keeps the good rows and gives every bad row its line number and reason."""
    first, second = plan.indicator_ids
    framework = db.session.get(Framework, plan.id)
    text = BAD_FILE.format(first=first, second=second)
    with force_locale("en"):
        preview = read_measurements(framework, text)
        reasons = [row.reason for row in preview.rejected]
    assert [(row.line, row.year, row.value, row.source) for row in preview.rows] == [
        (2, 2020, 41.5, "manual"),
        (3, 2021, 43.0, "kolada"),
        (4, 2021, 12.25, "manual"),
    ]
    assert preview.rows[0].previous is None
    assert reasons == [
        "Line 5: “20x1” is not a year",
        "Line 6: no indicator given",
        "Line 7: no indicator 999999 in this framework",
        "Line 8: “tre” is not a number",
        "Line 9: The indicator has no Kolada KPI id, so the value cannot come from Kolada.",
        "Line 10: the same indicator and year are already on line 2",
        "Line 11: the row has 1 columns, 3 are needed",
        "Line 12: no value given",
    ]
    assert [row.text for row in preview.rejected][0] == f"{first};20x1;3"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Choose a file or paste the values."),
        ("   \n", "Choose a file or paste the values."),
        ("indikator,år\n1,2020\n", "Missing: value"),
        ("a,b,c\n", "Missing: indicator, year, value"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(app, ctx, plan, text, message):
    """An empty file, or one missing a needed column, is refused whole, naming what is missing."""
    framework = db.session.get(Framework, plan.id)
    with force_locale("en"):
        with pytest.raises(GoalsError) as error:
            read_measurements(framework, text)
        assert message in str(error.value)


def test_swedish_headers_commas_and_excel_encoding(app, ctx, plan):
    """Swedish headers, decimal commas, cp1252 and a BOM are read; a file over the limit is not."""
    first, _ = plan.indicator_ids
    data = f'Indikator,År,Värde\r\n{first},2019,"40,5"\r\n'.encode("cp1252")
    text = uploaded_text(FileStorage(io.BytesIO(data), filename="värden.csv"))
    preview = read_measurements(db.session.get(Framework, plan.id), text)
    assert [(row.year, row.value, row.previous) for row in preview.rows] == [(2019, 40.5, 40.0)]
    with_bom = FileStorage(io.BytesIO("\ufeffindicator".encode()), filename="bom.csv")
    assert uploaded_text(with_bom) == "indicator"
    too_large = FileStorage(io.BytesIO(b"x" * 11), filename="large.csv")
    assert uploaded_text(too_large, max_bytes=10) is None


def test_reasons_are_in_the_readers_language(app, ctx, plan):
    """A rejected row's reason is given in the reader's language."""
    framework = db.session.get(Framework, plan.id)
    with force_locale("sv"):
        sv = read_measurements(framework, "indicator,year,value\nx,2020,1\n").rejected[0]
    with force_locale("en"):
        en = read_measurements(framework, "indicator,year,value\nx,2020,1\n").rejected[0]
    assert en.reason == "Line 2: no indicator x in this framework"
    assert sv.reason != en.reason  # translated by the Swedish catalog
    assert sv.reason.split(":")[0].endswith(" 2")


def test_upload_preview_then_confirm_through_the_page(app, client, auth, plan):
    """An uploaded file is previewed without storing; confirming imports the good rows, audited."""
    admin = make_user(app, Role.ADMIN, locale="en")
    auth.login(admin)
    first, second = plan.indicator_ids
    text = f"indicator;year;value;source\nN00945;2021;43;kolada\n{second};2021;abc\n"
    path = "/admin/frameworks/plan/import"
    token = csrf_token(client, path)
    response = client.post(
        path,
        data={
            "csrf_token": token,
            "file": (io.BytesIO(text.encode()), "values.csv"),
            "csv_text": "",
            "preview": "Preview",
        },
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 row can be imported." in html
    assert "1 row is rejected." in html
    assert "Line 3: “abc” is not a number" in html
    # The text comes back in the form, so the confirmation needs no state on the server.
    assert "N00945;2021;43;kolada" in html[html.index("<textarea") :]
    assert 'name="confirm"' in html
    assert _values(app, first) == {2019: (40.0, "manual")}
    response = client.post(
        path,
        data={"csrf_token": token, "csv_text": text, "confirm": "Import the valid rows"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert _values(app, first) == {2019: (40.0, "manual"), 2021: (43.0, "kolada")}
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "measurements_imported")
        )
        assert event.actor_id == admin.id
        assert event.details["rejected"] == 1
        assert event.details["rows"] == [
            {"indicator": first, "year": 2021, "before": None, "after": 43.0, "source": "kolada"}
        ]


def test_confirm_without_valid_rows_imports_nothing(app, client, auth, plan):
    """Confirming a file with no valid row stores nothing and says so, with each row's reason."""
    auth.login(make_user(app, Role.ADMIN, locale="en"))
    path = "/admin/frameworks/plan/import"
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "csv_text": "indicator,year,value\nnope,2020,1\n",
            "confirm": "Import",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There are no valid rows to import." in html
    assert "Line 2: no indicator nope in this framework" in html


def test_a_huge_cell_is_a_rejected_row_and_the_others_are_previewed(app, client, auth, plan):
    """A 200,000-character cell is rejected with its line; the rows around it still count."""
    auth.login(make_user(app, Role.ADMIN, locale="en"))
    first, second = plan.indicator_ids
    huge = "9" * 200_000
    text = f"indicator;year;value\n{first};2021;1\n{second};2021;{huge}\n{second};2022;2\n"
    path = "/admin/frameworks/plan/import"
    response = client.post(
        path, data={"csrf_token": csrf_token(client, path), "csv_text": text, "preview": "Preview"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 rows can be imported." in html
    assert "Line 3: A cell is longer than 131,072 characters." in html
    assert huge not in html[: html.index("<textarea")]  # the row is shown cut short


def test_no_value_is_recorded_when_row_3_of_5_breaks_a_rule(app, plan):
    """The import checks every row before the first write, so a refused import records none."""
    first, second = plan.indicator_ids
    text = "indicator,year,value\n" + "".join(f"{first},{year},1\n" for year in range(2020, 2025))
    with app.test_request_context(headers={"Accept-Language": "en"}):
        framework = db.session.get(Framework, plan.id)
        preview = read_measurements(framework, text)
        preview.rows[2].indicator = db.session.get(Indicator, second)
        preview.rows[2].source = "kolada"  # the second indicator has no Kolada KPI id
        with pytest.raises(GoalsError) as error:
            import_measurements(framework, preview, None)
        db.session.commit()  # the request commits a response that shows the error
    assert _values(app, first) == {2019: (40.0, "manual")}
    assert str(error.value).startswith("Line 4: The indicator has no Kolada KPI id")
