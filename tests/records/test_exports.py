"""The registry's and the audit trail's CSV exports: filtered, escaped, streamed."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from dialog.accounts.models import Role
from dialog.contributions.models import Contribution
from dialog.core.models import utcnow
from dialog.extensions import db
from dialog.records import queries
from tests.contributions.factories import make_consultation
from tests.helpers import AuthActions, make_user
from tests.records.factories import make_resident, send_proposal


def _login(app, *roles: Role):
    client = app.test_client()
    AuthActions(client).login(make_user(app, *roles))
    return client


def _rows(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_registry_export_lists_received_inputs_without_contact_details(app):
    """Reference, date, kind, dialogue, status and text, a header row first; no name or
    address; formula-like text escaped."""
    alfa = make_resident(app, "Alfa")
    send_proposal(app, alfa.slug, title="=HYPERLINK(1)", body="<p>@SUM(A1)</p>", name="N")
    client = _login(app, Role.EDITOR)
    response = client.get("/admin/records/registry.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    rows = _rows(response)
    assert rows[0] == ["Diarienummer", "Mottagen", "Typ", "Dialog", "Status", "Titel", "Text"]
    assert len(rows) == 4
    assert rows[1][0].startswith("DLG-")
    assert rows[1][2:] == ["Förslag", rows[1][3], "Publicerad", "Förslag Alfa", "Text Alfa"]
    assert rows[1][3].startswith("Workshop ")
    assert rows[3][5:] == ["'=HYPERLINK(1)", "'@SUM(A1)"]
    text = response.get_data(as_text=True)
    assert "Namn Alfa" not in text
    assert "alfa@example.se" not in text


def test_registry_export_filters_by_period_and_dialogue(app):
    """Only the inputs of the dialogue asked for, received within the days asked for."""
    alfa = make_resident(app, "Alfa")
    other = make_consultation(app)
    send_proposal(app, other.slug, title="Annan", body="<p>Annan dialog</p>")
    with app.app_context():
        old = db.session.get_one(Contribution, alfa.comment_id)
        old.created_at = utcnow() - timedelta(days=40)
        db.session.commit()
        dialogue_id = old.dialogue_id
    client = _login(app, Role.ADMIN)
    start = (utcnow() - timedelta(days=2)).date().isoformat()
    rows = _rows(client.get(f"/admin/records/registry.csv?dialogue={dialogue_id}&start={start}"))
    assert [row[5] for row in rows[1:]] == ["Förslag Alfa"]
    client.get("/language/en")
    rows = _rows(client.get("/admin/records/registry.csv?end=2000-01-01"))
    assert rows == [["Reference", "Received", "Kind", "Dialogue", "Status", "Title", "Text"]]


def test_a_bad_period_is_answered_on_the_page(app):
    """An end before the start (or a date that is none) shows the form again, with 400."""
    client = _login(app, Role.EDITOR)
    response = client.get("/admin/records/registry.csv?start=2026-05-02&end=2026-05-01")
    assert response.status_code == 400
    assert "Periodens slut kommer före dess början." in response.get_data(as_text=True)
    response = client.get("/admin/records/audit.csv?audit-start=not-a-date")
    assert response.status_code in (400, 403)


def test_audit_export_for_admins_with_before_and_after(app):
    """When, who, action, subject, reason, before and after, from the period asked for."""
    alfa = make_resident(app, "Alfa")
    admin = make_user(app, Role.ADMIN, name="Ada Admin")
    client = app.test_client()
    AuthActions(client).login(admin)
    client.get("/account/close")
    with app.test_request_context():
        from dialog.contributions import services

        contribution = db.session.get_one(Contribution, alfa.proposal_id)
        services.hide_contribution(
            contribution,
            "=Personuppgifter",
            db.session.get(__import__("dialog.accounts.models", fromlist=["User"]).User, admin.id),
        )
        db.session.commit()
    today = utcnow().date().isoformat()
    response = client.get(f"/admin/records/audit.csv?audit-start={today}&audit-end={today}")
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[0] == ["När", "Vem", "Åtgärd", "Gäller", "Skäl", "Före", "Efter", "Detaljer"]
    hidden = [row for row in rows if row[2] == "contribution_hidden"]
    assert hidden[0][1] == f"Ada Admin ({admin.id})"
    assert hidden[0][3] == f"contribution:{alfa.proposal_id}"
    assert hidden[0][4] == "'=Personuppgifter"
    assert '"previous_status": "published"' in hidden[0][7]
    rows = _rows(client.get("/admin/records/audit.csv?audit-end=2000-01-01"))
    assert len(rows) == 1


def test_exports_page_shows_the_audit_export_to_admins_only(app):
    """Editors see the registry's export; administrators both."""
    page = _login(app, Role.EDITOR).get("/admin/records").get_data(as_text=True)
    assert "Ladda ner diarielistan (CSV)" in page
    assert "audit.csv" not in page
    page = _login(app, Role.ADMIN).get("/admin/records").get_data(as_text=True)
    assert "audit.csv" in page


def test_exports_are_fetched_in_batches(app, monkeypatch):
    """Rows come from the database a batch at a time and go out a line at a time: the
    export's memory does not grow with the number of rows."""
    monkeypatch.setattr(queries, "EXPORT_BATCH", 2)
    alfa = make_resident(app, "Alfa")
    for number in range(5):
        send_proposal(app, alfa.slug, title=f"Nummer {number}", body="<p>Text</p>")
    with app.test_request_context():
        rows = queries.registry_rows(None, None, None)
        first = next(rows)
        assert first.title == "Förslag Alfa"
        assert len(list(rows)) == 6
    client = _login(app, Role.EDITOR)
    response = client.get("/admin/records/registry.csv")
    chunks = list(response.response)
    assert len(chunks) == 1 + 7  # the header, then one chunk per row
