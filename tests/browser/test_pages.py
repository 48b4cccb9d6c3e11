"""A page comment reaches the web editors' inbox, in a real browser: a visitor comments on a
goal page or a content page, an editor logs in, finds it, marks it handled and answers by
email; axe finds no violation on any of those pages, in Swedish and in English."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from dialog.accounts.models import Role, User
from dialog.contributions.models import PageComment
from dialog.core.models import OutboxMessage
from dialog.extensions import db
from dialog.pages import services as pages
from tests.browser.axe import assert_accessible
from tests.browser.flows import choose_language, log_in, path_is, send, unique_email
from tests.browser.scenario import Scenario
from tests.helpers import make_user

pytestmark = pytest.mark.browser

THANKS = {
    "sv": "Tack! Din kommentar har skickats till webbredaktionen.",
    "en": "Thank you. Your comment has been sent to the web editors.",
}
HEADING = {"sv": "Kommentera sidan till webbredaktionen", "en": "Comment on this page"}


def _content_page(app: Flask, editor_id: int) -> str:
    """A published content page by the editor; its path."""
    with app.test_request_context():
        editor = db.session.get_one(User, editor_id)
        slug = unique_email("sida").split("@")[0]
        page = pages.create_page(
            pages.PageInput(
                title="Så arbetar vi med Vägval",
                slug=slug,
                body="<p>Sedan 2020 arbetar vi efter <strong>Vägval</strong>.</p>",
                summary="Hur kommunen arbetar med målen.",
            ),
            editor,
        )
        pages.set_page_published(page, True, editor)
        db.session.commit()
        return f"/pages/{page.slug}"


def _comment(app: Flask, text: str) -> PageComment:
    with app.app_context():
        comment = db.session.scalars(select(PageComment).where(PageComment.body_text == text)).one()
        db.session.expunge(comment)
        return comment


def _mail_to(app: Flask, email: str) -> OutboxMessage:
    with app.app_context():
        [message] = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == email)
        ).all()
        db.session.expunge(message)
        return message


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_page_comment_reaches_the_inbox_is_handled_and_answered(
    language: str,
    live_app: Flask,
    live_server: str,
    scenario: Scenario,
    new_context: Callable[..., BrowserContext],
) -> None:
    """Visitor → "Comment on this page" → inbox → handled → answered by email (outbox)."""
    editor = make_user(live_app, Role.EDITOR, locale=language)
    # Swedish on a goal page, English on a content page.
    where = (
        f"/goals/{scenario.adopted}/{scenario.goal}"
        if language == "sv"
        else _content_page(live_app, editor.id)
    )
    email = unique_email("sidkommentar")
    text = f"Länken till rapporten är trasig ({email})."

    visitor_context = new_context(locale="sv-SE" if language == "sv" else "en-GB")
    choose_language(visitor_context, live_server, language)
    visitor: Page = visitor_context.new_page()
    visitor.goto(where)
    aside = visitor.locator("aside.page-comment")
    expect(aside.locator("h2")).to_contain_text(HEADING[language])
    assert_accessible(visitor, f"the page commented on ({language})")
    aside.locator("a[href^='/page-comment']").click()
    path_is(visitor, "/page-comment")
    assert_accessible(visitor, f"the page comment form ({language})")
    send(visitor)  # empty: the form says what is missing
    expect(visitor.locator(".error-summary")).to_be_visible()
    assert_accessible(visitor, f"the page comment form with errors ({language})")
    visitor.locator("#comment").fill(text)
    visitor.locator("#email").fill(email)
    send(visitor)
    path_is(visitor, where)
    expect(visitor.locator("main")).to_contain_text(THANKS[language])
    comment = _comment(live_app, text)
    assert comment.status == "private"
    assert comment.page_path == where
    # Never shown to the public: not on the page, not in the open data.
    visitor.goto(where)
    expect(visitor.locator("body")).not_to_contain_text(text)
    assert text not in visitor.request.get("/api/v1/contributions").text()

    staff_context = new_context(locale="sv-SE" if language == "sv" else "en-GB")
    choose_language(staff_context, live_server, language)
    staff = staff_context.new_page()
    log_in(staff, live_app, editor)
    staff.goto("/admin/page-comments")
    row = staff.locator(f"tr#comment-{comment.id}")
    expect(row).to_contain_text(text)
    expect(row.locator("strong")).to_be_visible()  # not handled yet
    assert_accessible(staff, f"the page-comment inbox ({language})")
    row.locator(f"a[href='/admin/page-comments/{comment.id}']").click()
    path_is(staff, f"/admin/page-comments/{comment.id}")
    expect(staff.locator("main blockquote")).to_contain_text(text)
    expect(staff.locator("main dl.facts")).to_contain_text(email)
    assert_accessible(staff, f"a page comment ({language})")

    staff.locator(f"form[action='/admin/page-comments/{comment.id}/handled'] [type=submit]").click()
    path_is(staff, "/admin/page-comments")
    expect(staff.locator(f"tr#comment-{comment.id} strong")).to_have_count(0)
    assert _comment(live_app, text).handled_at is not None

    staff.goto(f"/admin/page-comments/{comment.id}")
    staff.locator("#answer").fill("Tack, vi har rättat länken.")
    send(staff)
    path_is(staff, f"/admin/page-comments/{comment.id}")
    expect(staff.locator("main blockquote.answer")).to_contain_text("Tack, vi har rättat länken.")
    assert_accessible(staff, f"an answered page comment ({language})")
    answered = _comment(live_app, text)
    assert answered.answer_text == "Tack, vi har rättat länken."
    mail = _mail_to(live_app, email)
    assert "Tack, vi har rättat länken." in mail.body
    assert f"http://localhost{where}" in mail.body
    assert text in mail.body
