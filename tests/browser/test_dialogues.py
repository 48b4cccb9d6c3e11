"""Signing up for a workshop with a waiting list, and capturing a workshop's notes, in a
real browser: what residents and facilitators do, checked in the pages, the database and
the mail outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask_babel import force_locale
from playwright.sync_api import BrowserContext, FilePayload, Page, expect
from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.contributions.models import WorkshopNote
from dialog.core.i18n import _, ngettext
from dialog.core.models import OutboxMessage
from dialog.dialogues.models import Registration
from dialog.extensions import db
from tests.browser.flows import log_in, path_is, send, unique_email
from tests.browser.scenario import CANCEL_PATH, Scenario, StaffLogin, Workshop, open_workshop
from tests.helpers import make_user

pytestmark = pytest.mark.browser


def _mails_to(app: Flask, email: str) -> list[OutboxMessage]:
    """The messages queued for the address, oldest first (detached, for assertions)."""
    with app.app_context():
        messages = list(
            db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.recipient == email)
                .order_by(OutboxMessage.id)
            )
        )
        db.session.expunge_all()
        return messages


def _registration(app: Flask, workshop: Workshop, email: str) -> Registration:
    """The address's registration for the workshop, as stored now (detached)."""
    with app.app_context():
        registration = db.session.scalars(
            select(Registration).where(
                Registration.dialogue_id == workshop.id, Registration.email == email
            )
        ).one()
        db.session.expunge(registration)
        return registration


def _status(app: Flask, workshop: Workshop, email: str) -> str:
    return _registration(app, workshop, email).status


def _swedish(app: Flask, message: str, **values: str) -> str:
    """A message as the app words it in Swedish, the language of the people here."""
    with app.test_request_context(), force_locale("sv"):
        return _(message).format(**values)


def _swedish_count(app: Flask, singular: str, plural: str, number: int) -> str:
    """A message with a count, as the app words it in Swedish."""
    with app.test_request_context(), force_locale("sv"):
        return ngettext(singular, plural, number)


def _cancel_path(message: OutboxMessage) -> str:
    """The path of the cancel link in the email (the link itself is absolute)."""
    links = [word for word in message.body.split() if CANCEL_PATH.search(word)]
    assert len(links) == 1, message.body
    path = urlsplit(links[0]).path
    assert CANCEL_PATH.fullmatch(path), links[0]
    return path


def _sign_up(page: Page, workshop: Workshop, name: str, email: str, needs: str = "") -> None:
    """Go from the dialogue's page to its sign-up form and send it."""
    page.goto(f"/dialogues/{workshop.slug}")
    page.locator("main a.button[href$='/register']").click()
    path_is(page, f"/dialogues/{workshop.slug}/register")
    page.locator("#name").fill(name)
    page.locator("#email").fill(email)
    if needs:
        page.locator("#needs").fill(needs)
    page.locator("#accept").check()
    send(page)
    path_is(page, f"/dialogues/{workshop.slug}")
    expect(page.locator(".messages .message-success")).to_contain_text(email)


def test_a_cancelled_place_goes_to_the_waiting_list(
    live_app: Flask, scenario: Scenario, new_context: Callable[..., BrowserContext]
) -> None:
    """Cancelling by the mailed link moves the first on the waiting list up, who is mailed."""
    workshop = open_workshop(live_app, scenario, [scenario.facilitators["sv"].id], capacity=1)
    first, second = unique_email("ingrid"), unique_email("omar")

    ingrid = new_context().new_page()
    _sign_up(ingrid, workshop, "Ingrid Berg", first, needs="Rullstolsplats och hörslinga")
    registration = _registration(live_app, workshop, first)
    assert (registration.status, registration.name, registration.needs) == (
        "confirmed",
        "Ingrid Berg",
        "Rullstolsplats och hörslinga",
    )
    [confirmation] = _mails_to(live_app, first)
    assert confirmation.subject == _swedish(
        live_app, "You have a place: {title}", title=workshop.title_sv
    )
    cancel_path = _cancel_path(confirmation)
    # The only place is taken: the page says so to the next person.
    expect(ingrid.locator("main")).to_contain_text(
        _swedish(
            live_app,
            "All places are taken. Sign up for the waiting list: if someone cancels, you move "
            "up and we email you.",
        )
    )

    omar = new_context().new_page()
    _sign_up(omar, workshop, "Omar Said", second)
    assert _status(live_app, workshop, second) == "waiting"
    [waiting] = _mails_to(live_app, second)
    assert waiting.subject == _swedish(
        live_app, "You are on the waiting list: {title}", title=workshop.title_sv
    )

    # Ingrid cannot come after all: she follows the link in her email and confirms.
    ingrid.goto(cancel_path)
    path_is(ingrid, cancel_path)
    expect(ingrid.locator("main h1")).to_be_visible()
    ingrid.locator("main form input[type=submit]").click()
    path_is(ingrid, f"/dialogues/{workshop.slug}")
    expect(ingrid.locator(".messages .message-success")).to_be_visible()

    assert _status(live_app, workshop, first) == "cancelled"
    assert _status(live_app, workshop, second) == "confirmed"
    promoted = _mails_to(live_app, second)
    assert len(promoted) == 2
    assert promoted[-1].subject == _swedish(
        live_app, "A place has opened up for you: {title}", title=workshop.title_sv
    )
    assert _cancel_path(promoted[-1]) != _cancel_path(waiting)  # a fresh link replaces it
    assert len(_mails_to(live_app, first)) == 1  # no mail for the one who cancelled

    # The link is spent: following it again says so, and nothing changes.
    ingrid.goto(cancel_path)
    expect(ingrid.locator("main form")).to_have_count(0)
    assert _status(live_app, workshop, second) == "confirmed"


def _notes(app: Flask, workshop: Workshop) -> list[tuple[str, str | None, list[int]]]:
    """The workshop's notes as (text, group, goal ids), in the order they were stored."""
    with app.app_context():
        notes = db.session.scalars(
            select(WorkshopNote)
            .where(WorkshopNote.dialogue_id == workshop.id)
            .order_by(WorkshopNote.id)
        ).all()
        return [
            (note.body_text, note.participant_group, [link.goal_id for link in note.goal_links])
            for note in notes
        ]


def _notes_table(page: Page) -> list[list[str]]:
    """The cells of the notes page's table: text, group, goal codes, status, link."""
    rows = page.locator("table.notes-table tbody tr")
    return [
        [cell.strip() for cell in rows.nth(index).locator("td").all_inner_texts()]
        for index in range(rows.count())
    ]


def test_a_facilitator_captures_a_workshop_line_by_line(
    live_app: Flask, scenario: Scenario, page: Page
) -> None:
    """A facilitator types notes line by line; each is stored, listed and public, group kept."""
    facilitator = make_user(live_app, Role.FACILITATOR, name="Tove Facilitator")
    workshop = open_workshop(live_app, scenario, [facilitator.id], capacity=None)
    goal = workshop.goals["1.2"]
    log_in(page, live_app, facilitator)

    page.goto(f"/dialogues/{workshop.slug}")
    page.locator("nav.manage-nav a[href$='/capture']").click()
    path_is(page, f"/dialogues/{workshop.slug}/capture")
    page.locator("#group").select_option("youth")
    page.locator("#goal").select_option(str(goal))
    # As typed on the day: bullets, an empty line, spaces around the words.
    page.locator("#lines").fill(
        "- Bättre belysning vid ån\n\n• Fler vuxna ute på kvällarna\n  Öppna fritidsgården "
        "på helgerna  \n1. Trygga cykelvägar till skolan\n"
    )
    send(page)

    # Back at an empty box, with the group and goal kept for the next table's notes.
    path_is(page, f"/dialogues/{workshop.slug}/capture")
    expect(page.locator(".messages .message-success")).to_have_text(
        _swedish_count(live_app, "%(num)d note is saved.", "%(num)d notes are saved.", 4)
    )
    expect(page.locator("#lines")).to_have_value("")
    expect(page.locator("#group")).to_have_value("youth")
    expect(page.locator("#goal")).to_have_value(str(goal))
    lines = [
        "Bättre belysning vid ån",
        "Fler vuxna ute på kvällarna",
        "Öppna fritidsgården på helgerna",
        "Trygga cykelvägar till skolan",
    ]
    assert _notes(live_app, workshop) == [(line, "youth", [goal]) for line in lines]

    page.locator("nav.manage-nav a[href$='/notes']").click()
    path_is(page, f"/dialogues/{workshop.slug}/notes")
    expect(page.locator("table.notes-table tbody tr")).to_have_count(len(lines))
    table = _notes_table(page)
    assert [row[0] for row in table] == lines
    assert {row[1] for row in table} == {_swedish(live_app, "Young people")}
    assert {row[2] for row in table} == {"1.2"}

    # The public page counts them, and anyone can read them.
    page.goto(f"/dialogues/{workshop.slug}/inputs")
    expect(page.locator("ol.note-list > li")).to_have_count(len(lines))


NOTES_CSV = (
    "text;grupp;mål\r\n"
    "Fler bänkar på torget;invånare;1.1\r\n"
    "Mer grönska i centrum;Unga;\r\n"
    "Torghandel på lördagar;okänd grupp;1.1\r\n"
    '"Längre öppettider; även på söndagar";äldre;1.2\r\n'
)


def test_notes_are_imported_from_a_csv_file_after_a_preview(
    live_app: Flask,
    scenario: Scenario,
    staff_login: StaffLogin,
    new_context: Callable[..., BrowserContext],
) -> None:
    """An uploaded spreadsheet CSV is previewed with the bad row named, then imported."""
    facilitator = scenario.facilitators["sv"]
    workshop = open_workshop(live_app, scenario, [facilitator.id], capacity=None)
    page = new_context(storage_state=staff_login("facilitator", "sv")).new_page()

    page.goto(f"/dialogues/{workshop.slug}/import")
    path_is(page, f"/dialogues/{workshop.slug}/import")
    # Saved by a spreadsheet program: UTF-8 with a byte order mark, CRLF line ends.
    upload: FilePayload = {
        "name": "anteckningar.csv",
        "mimeType": "text/csv",
        "buffer": NOTES_CSV.encode("utf-8-sig"),
    }
    page.locator("#file").set_input_files(upload)
    page.locator("main form input[name=preview]").click()

    # The preview: nothing is stored yet; the bad row is shown with its line number.
    path_is(page, f"/dialogues/{workshop.slug}/import")
    rejected = page.locator("table.rejected-rows tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected.locator("th")).to_have_text("4")
    expect(rejected.locator("td").first).to_contain_text("Torghandel på lördagar")
    expect(rejected.locator("td").last).to_contain_text("okänd grupp")
    good = page.locator("table.preview-rows tbody tr")
    expect(good).to_have_count(3)
    assert good.locator("th").all_inner_texts() == ["2", "3", "5"]
    assert _notes(live_app, workshop) == []

    # The file's text stays in the form, so the import stores what was previewed.
    expect(page.locator("#csv_text")).to_have_value(NOTES_CSV.replace("\r\n", "\n"))
    page.locator("main form input[name=confirm]").click()

    path_is(page, f"/dialogues/{workshop.slug}/notes")
    messages = page.locator(".messages")
    expect(messages.locator(".message-success")).to_have_text(
        _swedish_count(live_app, "%(num)d note is imported.", "%(num)d notes are imported.", 3)
    )
    expect(messages).to_contain_text(
        _swedish(live_app, "These lines were not imported: {lines}.", lines="4")
    )
    expect(page.locator("table.notes-table tbody tr")).to_have_count(3)
    goals = workshop.goals
    assert _notes(live_app, workshop) == [
        ("Fler bänkar på torget", "residents", [goals["1.1"]]),
        ("Mer grönska i centrum", "youth", []),
        ("Längre öppettider; även på söndagar", "seniors", [goals["1.2"]]),
    ]
