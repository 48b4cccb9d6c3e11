"""The staff start page: what waits for each role, for that role only, in bounded queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from dialog.accounts.models import Role
from dialog.contributions.models import ContributionStatus, WorkshopNote
from dialog.core.models import OutboxMessage, utcnow
from dialog.extensions import db
from dialog.goals.models import FrameworkStatus
from tests.dialogues.factories import make_dialogue, make_note
from tests.dialogues.factories import make_framework as make_dialogue_framework
from tests.goals.factories import make_framework
from tests.helpers import make_user
from tests.pages.factories import make_page, make_page_comment

ENGLISH = {"Accept-Language": "en"}


def _text(html: str) -> str:
    """The main content's text as a reader sees it: tags dropped, whitespace collapsed."""
    if "<main" in html:
        html = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _pending_note(app, dialogue) -> None:
    with app.app_context():
        db.session.add(
            WorkshopNote(
                dialogue_id=dialogue.id,
                body_html="Väntar",
                body_text="Väntar",
                participant_group="residents",
                status=ContributionStatus.PENDING.value,
            )
        )
        db.session.commit()


def _row(html: str, slug: str) -> str:
    """The text of the table row that links the dialogue."""
    match = re.search(rf'<tr>\s*<th scope="row"><a href="/dialogues/{slug}".*?</tr>', html, re.S)
    assert match, slug
    return _text(match.group(0))


def test_a_facilitator_sees_their_dialogues_next_events_inputs_and_missing_reports(
    app, client, auth
):
    """Their own planned and open dialogues with counts; closed ones lacking a report apart."""
    user = make_user(app, Role.FACILITATOR, locale="en")
    other = make_user(app, Role.FACILITATOR)
    framework = make_dialogue_framework(app)
    soon = make_dialogue(app, framework, slug="soon", facilitators=[user.id], status="planned")
    running = make_dialogue(
        app, framework, slug="running", facilitators=[user.id], starts_in=timedelta(days=-3)
    )
    make_dialogue(app, framework, slug="closed-no-report", facilitators=[user.id], status="closed")
    make_dialogue(
        app, framework, slug="closed-reported", facilitators=[user.id], status="closed", report=True
    )
    make_dialogue(
        app, framework, slug="done", facilitators=[user.id], status="reported", report=True
    )
    make_dialogue(app, framework, slug="not-mine", facilitators=[other.id])
    for _ in range(3):
        make_note(app, running)
    _pending_note(app, running)
    _pending_note(app, soon)
    auth.login(user)

    page = client.get("/staff").get_data(as_text=True)

    assert "/dialogues/not-mine" not in page
    assert "/dialogues/done" not in page
    assert "/dialogues/closed-reported" not in page
    assert page.index('href="/dialogues/soon"') < page.index('href="/dialogues/running"')
    assert re.search(r"Planned \d+ \w+ \d{4}, \d\d:\d\d–\d\d:\d\d 0 1$", _row(page, "soon"))
    # The workshop already took place: no next event, three published and one waiting input.
    assert _row(page, "running").endswith("Open for input – 3 1")
    unreported = page[page.index("Waiting for a feedback report") :]
    assert 'href="/dialogues/closed-no-report/report"' in unreported
    assert 'href="/dialogues/running/report"' in unreported
    assert 'href="/dialogues/soon/report"' not in unreported


def test_an_admin_sees_draft_frameworks_and_failed_mails(app, client, auth):
    """Drafts only (not adopted versions), and the count of mails the outbox gave up on."""
    make_framework(app, slug="utkast", status=FrameworkStatus.DRAFT, title_sv="Utkastet")
    make_framework(app, slug="antagen", title_sv="Det antagna")
    with app.app_context():
        db.session.add_all(
            [
                OutboxMessage(
                    recipient="a@example.se",
                    subject="A",
                    body="A",
                    last_error="refused",
                    failed_at=utcnow(),
                ),
                OutboxMessage(
                    recipient="b@example.se",
                    subject="B",
                    body="B",
                    last_error="timeout",
                    failed_at=utcnow(),
                ),
                # Tried once and waiting for another try: not given up yet.
                OutboxMessage(
                    recipient="e@example.se", subject="E", body="E", attempts=1, last_error="busy"
                ),
                OutboxMessage(recipient="c@example.se", subject="C", body="C"),
                OutboxMessage(recipient="d@example.se", subject="D", body="D", sent_at=utcnow()),
            ]
        )
        db.session.commit()
    auth.login(make_user(app, Role.ADMIN))

    page = client.get("/staff").get_data(as_text=True)

    assert 'href="/admin/frameworks/utkast"' in page
    assert "/admin/frameworks/antagen" not in page
    assert "2 mejl kunde inte skickas." in _text(page)
    assert "Mina dialoger" not in _text(page)


def test_an_editor_sees_the_unhandled_page_comments(app, client, auth):
    """The count of page comments waiting for the web editors, with a link to their inbox."""
    page = make_page(app)
    make_page_comment(app, f"/pages/{page.slug}")
    make_page_comment(app, f"/pages/{page.slug}", text="Fel datum.")
    auth.login(make_user(app, Role.EDITOR))

    html = client.get("/staff").get_data(as_text=True)

    assert "2 sidkommentarer" in _text(html)
    assert 'href="/admin/page-comments"' in html


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.FACILITATOR, "Mina dialoger", "Målprogram i utkast"),
        (Role.ADMIN, "Målprogram i utkast", "Mina dialoger"),
        (Role.POLITICIAN, "Granskning", "Målprogram i utkast"),
    ],
)
def test_each_role_sees_only_its_own_sections(app, client, auth, role, shown, hidden):
    """A section appears for the role it belongs to and for no other."""
    auth.login(make_user(app, role))
    text = _text(client.get("/staff").get_data(as_text=True))
    assert shown in text
    assert hidden not in text


def test_the_start_page_speaks_english(app, client, auth):
    """Headings and counts in the reader's language."""
    auth.login(make_user(app, Role.ADMIN, Role.FACILITATOR, locale="en"))
    text = _text(client.get("/staff").get_data(as_text=True))
    assert "My work" in text
    assert "0 mails could not be sent." in text
    assert "No planned or open dialogue of yours." in text


def test_the_start_page_is_never_cached(app, client, auth):
    """Personal work lists: no browser or proxy keeps them, and a change shows at once."""
    user = make_user(app, Role.FACILITATOR)
    auth.login(user)
    first = client.get("/staff")
    assert first.headers["Cache-Control"] == "private, no-store"
    assert "/dialogues/fresh" not in first.get_data(as_text=True)
    make_dialogue(app, make_dialogue_framework(app), slug="fresh", facilitators=[user.id])
    assert "/dialogues/fresh" in client.get("/staff").get_data(as_text=True)


def test_a_resident_is_refused_and_a_visitor_sent_to_log_in(app, client, auth):
    """The role check runs on the server, whatever the menu shows."""
    assert client.get("/staff").location.startswith("/login")
    auth.login(make_user(app, Role.RESIDENT))
    assert client.get("/staff").status_code == 403


def test_the_start_page_costs_the_same_queries_for_many_dialogues(app, client, auth, count_queries):
    """Dialogues, reports and input counts are loaded in bulk, not per row."""
    user = make_user(app, Role.FACILITATOR, Role.ADMIN)
    framework = make_dialogue_framework(app)
    auth.login(user)

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/staff").status_code == 200
        return len(statements)

    make_dialogue(app, framework, facilitators=[user.id])
    make_framework(app, status=FrameworkStatus.DRAFT)
    few = queries()
    for n in range(8):
        dialogue = make_dialogue(
            app, framework, facilitators=[user.id], status="closed" if n % 2 else "open"
        )
        make_note(app, dialogue)
        make_framework(app, status=FrameworkStatus.DRAFT)
    assert queries() == few
    assert few <= 10
