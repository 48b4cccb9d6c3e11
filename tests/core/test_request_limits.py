"""Request size: a file that previews can be confirmed; anything far larger is refused unread."""

from __future__ import annotations

import html
import io
import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from dialog.accounts.models import Role
from dialog.config import MEGABYTE, from_environment
from dialog.contributions.models import WorkshopNote
from dialog.extensions import db
from dialog.goals.models import Measurement
from tests.dialogues.factories import make_dialogue
from tests.dialogues.factories import make_framework as make_dialogue_framework
from tests.goals.factories import make_framework as make_goal_framework
from tests.helpers import AuthActions, csrf_token, make_user

_TEXTAREA = re.compile(r"<textarea[^>]*name=\"csv_text\"[^>]*>(.*?)</textarea>", re.DOTALL)


class CountingStream(io.RawIOBase):
    """A request body that counts what the app reads of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        buffer[:] = b"a" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


@pytest.mark.parametrize(
    ("language", "title"), [("sv", "För mycket på en gång"), ("en", "Too much at once")]
)
def test_a_huge_login_is_refused_before_it_is_read(client, language, title):
    """A 300 MB POST /login gets the localised 413 page without a byte of its body read."""
    client.set_cookie("lang", language)
    body = CountingStream()
    response = client.post(
        "/login",
        content_type="application/x-www-form-urlencoded",
        environ_overrides={"wsgi.input": body, "CONTENT_LENGTH": str(300 * MEGABYTE)},
    )
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert f"<h1>{title}</h1>" in response.get_data(as_text=True)


def _notes_csv(size: int, text: str) -> str:
    rows = ["text,grupp"]
    while sum(len(row) + 1 for row in rows) < size:
        rows.append(f"{text * (1200 // len(text))} {len(rows)},invånare")
    return "\n".join(rows) + "\n"


def _measurements_csv(size: int, indicator: int) -> str:
    rows = ["indikator;år;värde;kommentar"]
    comment = "Uppmätt av förvaltningen, se årsredovisningen för detaljer. " * 3
    for year in range(1990, 2030):
        rows.append(f"{indicator};{year};{year - 1900},5;{comment}")
    while sum(len(row) + 1 for row in rows) < size:
        rows.append(f"okänd;2020;1;{comment}")  # rejected: no such indicator
    return "\n".join(rows) + "\n"


def _multipart(client, path: str, fields: dict[str, str | bytes]):
    """POST a multipart form built in memory (the test client's own spools large ones to
    temporary files it leaves open); bytes are sent as an uploaded file."""
    values = {
        name: FileStorage(io.BytesIO(value), filename="rader.csv")
        if isinstance(value, bytes)
        else value
        for name, value in fields.items()
    }
    boundary, body = encode_multipart(values)
    return client.post(
        path,
        input_stream=io.BytesIO(body),
        content_type=f'multipart/form-data; boundary="{boundary}"',
    )


def _preview_then_confirm(client, path: str, data: bytes) -> tuple[str, int]:
    """Upload, preview, then send back the previewed text the way a browser does."""
    token = csrf_token(client, path)
    preview = _multipart(client, path, {"csrf_token": token, "file": data, "preview": "1"})
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert 'name="confirm"' in page, re.findall(r"(?:error|problem|notice)[^>]*>([^<]+)", page)
    previewed = html.unescape(_TEXTAREA.search(page)[1])
    previewed = previewed.removeprefix("\r\n")  # the first line break, as a browser reads it
    # Browsers send a text area's line breaks as CRLF.
    crlf = previewed.replace("\n", "\r\n")
    confirm = _multipart(client, path, {"csrf_token": token, "csv_text": crlf, "confirm": "1"})
    return previewed, confirm.status_code


@pytest.mark.parametrize(
    ("encoding", "size", "text"),
    [
        ("utf-8", int(1.5 * MEGABYTE), "Vi vill ha fler bänkar vid ån. "),
        # Windows-1252 from Excel, as large as allowed: "€" and "„" are 3 bytes in UTF-8.
        ("cp1252", int(1.95 * MEGABYTE), "€„åäö"),
    ],
)
def test_a_notes_file_that_previews_can_be_confirmed(app, client, encoding, size, text):
    """A notes CSV up to the upload limit previews, and its confirmation is not a 413."""
    admin = make_user(app, Role.ADMIN, locale="en")
    dialogue = make_dialogue(app, make_dialogue_framework(app))
    AuthActions(client).login(admin)
    csv_text = _notes_csv(size, text)
    data = csv_text.encode(encoding)
    assert len(data) <= 2 * MEGABYTE
    previewed, status = _preview_then_confirm(client, f"/dialogues/{dialogue.slug}/import", data)
    assert previewed == csv_text
    assert status == 302
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(WorkshopNote))
    assert count == csv_text.count("\n") - 1


def test_a_measurements_file_that_previews_can_be_confirmed(app, client):
    """A 0.9 MB measurements CSV (its parser reads up to a million characters) is imported."""
    admin = make_user(app, Role.ADMIN, locale="en")
    plan = make_goal_framework(app, measurements=0)
    AuthActions(client).login(admin)
    data = _measurements_csv(int(0.9 * MEGABYTE), plan.indicator_ids[0]).encode()
    _previewed, status = _preview_then_confirm(
        client, f"/admin/frameworks/{plan.slug}/import", data
    )
    assert status == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Measurement)) == 40


def test_a_file_over_the_limit_is_refused_on_the_form(app, client):
    """A file larger than DIALOG_MAX_UPLOAD_MB gets an error on its field, not a 413."""
    admin = make_user(app, Role.ADMIN, locale="en")
    dialogue = make_dialogue(app, make_dialogue_framework(app))
    AuthActions(client).login(admin)
    path = f"/dialogues/{dialogue.slug}/import"
    data = _notes_csv(int(2.5 * MEGABYTE), "Fler bänkar. ").encode()
    response = _multipart(
        client, path, {"csrf_token": csrf_token(client, path), "file": data, "preview": "1"}
    )
    assert response.status_code == 200
    assert "The file is too large (at most 2 MB)." in response.get_data(as_text=True)


def test_a_binary_file_is_refused_on_the_form(app, client):
    """A file with NUL bytes (a spreadsheet, UTF-16 text) is not read as CSV."""
    admin = make_user(app, Role.ADMIN, locale="en")
    dialogue = make_dialogue(app, make_dialogue_framework(app))
    AuthActions(client).login(admin)
    path = f"/dialogues/{dialogue.slug}/import"
    data = "text;grupp\nHej;invånare\n".encode("utf-16")
    response = _multipart(
        client, path, {"csrf_token": csrf_token(client, path), "file": data, "preview": "1"}
    )
    assert response.status_code == 200
    assert "This is not a text file." in response.get_data(as_text=True)


def test_the_request_limits_follow_the_upload_setting(monkeypatch):
    """DIALOG_MAX_UPLOAD_MB sets the file limit, and the request limits grow with it."""
    monkeypatch.setenv("DIALOG_MAX_UPLOAD_MB", "5")
    settings = from_environment()
    assert settings["MAX_UPLOAD_BYTES"] == 5 * MEGABYTE
    assert settings["MAX_CONTENT_LENGTH"] == 21 * MEGABYTE
    assert settings["MAX_FORM_MEMORY_SIZE"] == 21 * MEGABYTE
