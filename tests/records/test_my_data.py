"""A resident's data download: everything stored about them, and nothing of anyone else."""

from __future__ import annotations

import json

from tests.helpers import AuthActions
from tests.records.factories import make_resident


def _download(app, resident) -> tuple[dict, str]:
    client = app.test_client()
    AuthActions(client).login(resident.user)
    response = client.get("/account/data")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    text = response.get_data(as_text=True)
    return json.loads(text), text


def test_download_holds_what_is_stored_about_the_user(app):
    """The JSON holds the account, roles, inputs with text and status, supports, reports,
    sign-ups, audit events and mails, and no password hash or secret."""
    alfa = make_resident(app, "Alfa")
    data, text = _download(app, alfa)
    assert data["account"]["email"] == "alfa@example.se"
    assert data["account"]["name"] == "Namn Alfa"
    assert [role["role"] for role in data["account"]["roles"]] == ["resident"]
    inputs = {item["id"]: item for item in data["inputs"]}
    assert inputs[alfa.proposal_id]["title"] == "Förslag Alfa"
    assert inputs[alfa.proposal_id]["text"] == "Text Alfa"
    assert inputs[alfa.proposal_id]["status"] == "published"
    assert inputs[alfa.proposal_id]["reference"].startswith("DLG-")
    assert inputs[alfa.comment_id]["text"] == "Kommentar Alfa"
    assert data["supports"][0]["input"] == alfa.proposal_id
    assert data["reports"][0]["input"] == alfa.proposal_id
    assert data["registrations"][0]["needs"] == "Behov Alfa"
    assert any(mail["subject"] == "Ämne Alfa" for mail in data["mails"])
    assert any(event["action"] == "contribution_submitted" for event in data["audit_events"])
    for secret in ("argon2", "password", "session_token", "totp_secret", "receipt_token"):
        assert secret not in text


def test_a_download_holds_nothing_of_another_resident(app):
    """A's download names none of B's inputs, texts, names, addresses, sign-ups or mails,
    though B commented on, supported and reported A's proposal."""
    alfa = make_resident(app, "Alfa")
    bravo = make_resident(app, "Bravo", slug=alfa.slug)
    data, text = _download(app, alfa)
    assert "Bravo" not in text
    assert "bravo@example.se" not in text
    assert bravo.proposal_id not in {item["id"] for item in data["inputs"]}
    data, text = _download(app, bravo)
    assert "Alfa" not in text
    assert "alfa@example.se" not in text


def test_the_account_page_links_to_the_download_and_closing(app, client, auth):
    """The account page links to the download and to closing the account, in both languages."""
    alfa = make_resident(app, "Alfa")
    auth.login(alfa.user)
    page = client.get("/account").get_data(as_text=True)
    assert 'href="/account/data"' in page
    assert "Ladda ner mina uppgifter (JSON)" in page
    assert 'href="/account/close"' in page
    client.get("/language/en")
    page = client.get("/account").get_data(as_text=True)
    assert "Download my data (JSON)" in page
    assert "Close my account" in page
