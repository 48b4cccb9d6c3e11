"""Page comments: private notes to the web editors from any commentable page, and their inbox."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from flask import render_template_string
from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.contributions.models import Contribution, ContributionStatus, PageComment
from dialog.core.models import OutboxMessage
from dialog.extensions import db
from dialog.pages.queries import unhandled_page_comment_count
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import make_user, post_form
from tests.pages.factories import make_page, make_page_comment


def _comments(app) -> list[PageComment]:
    with app.app_context():
        comments = list(db.session.scalars(select(PageComment).order_by(PageComment.id)))
        for comment in comments:
            db.session.expunge(comment)
        return comments


def _form_path(path: str, title: str = "En sida") -> str:
    return f"/page-comment?page={quote(path)}&title={quote(title)}"


def _send(client, path: str, **changes: str):
    data = {
        "page": path,
        "title": "En sida",
        "comment": "Länken till <handlingsplanen> går inte att öppna.",
        "email": "anna@example.se",
        "website": "",
    }
    data.update(changes)
    return post_form(client, "/page-comment", data, _form_path(path))


def test_every_kind_of_page_links_to_the_comment_form(app, client):
    """Content, goal, framework and dialogue pages end with the link to comment on them."""
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework)
    page = make_page(app)
    paths = [
        f"/pages/{page.slug}",
        f"/goals/{framework.slug}",
        f"/goals/{framework.slug}/{framework.goals['1']}",
        f"/dialogues/{dialogue.slug}",
    ]
    for path in paths:
        response = client.get(path)
        # The link touches no session, so the page stays cacheable for visitors.
        assert "Set-Cookie" not in response.headers, path
        html = response.get_data(as_text=True)
        assert "Kommentera sidan till webbredaktionen" in html, path
        assert f'href="/page-comment?page={path}&amp;title=' in html, path
        assert "csrf_token" not in html.split("page-comment-heading")[1], path


def test_comment_is_stored_private_and_as_typed(app, client):
    """A comment is stored with its page, never published, its text exactly as typed."""
    page = make_page(app)
    path = f"/pages/{page.slug}"
    response = _send(client, path)
    assert response.status_code == 302
    assert response.location == path
    [comment] = _comments(app)
    assert comment.status == ContributionStatus.PRIVATE
    assert comment.page_path == path
    assert comment.title == "En sida"
    assert comment.body_text == "Länken till <handlingsplanen> går inte att öppna."
    assert "&lt;handlingsplanen&gt;" in comment.body_html
    assert comment.author_email == "anna@example.se"
    assert comment.handled_at is None


def test_comment_is_never_public(app, client):
    """No public page or API shows a page comment's text."""
    framework = make_framework(app)
    dialogue = make_dialogue(app, framework)
    path = f"/dialogues/{dialogue.slug}"
    _send(client, path, comment="Hemlig kommentar om sidan")
    visitor = app.test_client()
    for public in (
        path,
        f"{path}/inputs",
        "/api/v1/dialogues",
        f"/api/v1/dialogues/{dialogue.slug}",
    ):
        assert "Hemlig kommentar" not in visitor.get(public).get_data(as_text=True), public
    with app.app_context():
        published = db.session.scalars(
            select(Contribution).where(Contribution.status == ContributionStatus.PUBLISHED)
        ).all()
    assert published == []


def test_form_comes_back_filled_after_an_error(app, client):
    """A wrong email address keeps the comment, the address and the page in the form."""
    page = make_page(app)
    path = f"/pages/{page.slug}"
    response = _send(client, path, email="inte-en-adress")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Länken till &lt;handlingsplanen&gt; går inte att öppna." in html
    assert 'value="inte-en-adress"' in html
    assert f'value="{path}"' in html
    assert _comments(app) == []


def test_page_that_cannot_be_commented_on_is_a_404(app, client):
    """Only the site's own commentable pages are accepted: no other site, no other page."""
    for path in ("https://evil.example/", "//evil.example/x", "/login", "/pages", ""):
        assert client.get(_form_path(path)).status_code == 404, path


def test_trap_field_stores_nothing(app, client):
    """A robot that fills in the hidden field is thanked and nothing is stored."""
    page = make_page(app)
    response = _send(client, f"/pages/{page.slug}", website="http://spam.example")
    assert response.status_code == 302
    assert _comments(app) == []


def test_too_many_comments_are_refused_with_the_text_kept(app, client):
    """After five comments in ten minutes the sixth is refused (429) and its text shown again."""
    page = make_page(app)
    path = f"/pages/{page.slug}"
    for number in range(5):
        assert _send(client, path, comment=f"Kommentar {number}").status_code == 302
    response = _send(client, path, comment="Den sjätte kommentaren")
    assert response.status_code == 429
    assert "Den sjätte kommentaren" in response.get_data(as_text=True)
    assert len(_comments(app)) == 5


@pytest.fixture
def editor(app, auth):
    user = make_user(app, Role.EDITOR)
    auth.login(user)
    return user


def test_inbox_lists_unhandled_first_with_their_page(app, client, editor):
    """The inbox shows the unhandled comments before the handled ones, each with its page."""
    page = make_page(app)
    path = f"/pages/{page.slug}"
    first = make_page_comment(app, path, text="Första kommentaren")
    make_page_comment(app, path, text="Andra kommentaren")
    post_form(client, f"/admin/page-comments/{first}/handled", {}, f"/admin/page-comments/{first}")
    html = client.get("/admin/page-comments").get_data(as_text=True)
    assert html.index("Andra kommentaren") < html.index("Första kommentaren")
    assert f'href="{path}"' in html
    with app.app_context():
        assert unhandled_page_comment_count() == 1


def test_inbox_shows_the_start_of_a_long_comment(app, client, editor):
    """The inbox shows a long comment's first words, cut at a word as Jinja's truncate cuts
    the whole text, and a comment of 145 characters whole."""
    page = make_page(app)
    path = f"/pages/{page.slug}"
    long_text = " ".join(f"ord{number:03d}" for number in range(300))
    whole = "å" * 145
    make_page_comment(app, path, text=long_text)
    make_page_comment(app, path, text=whole)
    html = client.get("/admin/page-comments").get_data(as_text=True)
    with app.test_request_context():
        start = render_template_string("{{ text|truncate(140) }}", text=long_text)
    assert f">{start}</a>" in html
    assert f">{whole}</a>" in html
    assert "ord030" not in html


def test_inbox_costs_the_same_queries_for_many_comments(app, client, editor, count_queries):
    """One comment or thirty (handled and not, answered and not): the same queries."""
    page = make_page(app)
    path = f"/pages/{page.slug}"
    first = make_page_comment(app, path)
    with count_queries() as few:
        assert client.get("/admin/page-comments").status_code == 200
    for number in range(30):
        comment = make_page_comment(app, path, text=f"Kommentar {number}")
        if number % 3 == 0:
            post_form(
                client,
                f"/admin/page-comments/{comment}/handled",
                {},
                f"/admin/page-comments/{first}",
            )
    with count_queries() as many:
        html = client.get("/admin/page-comments?page=2").get_data(as_text=True)
    assert 'rel="prev"' in html
    assert len(many) == len(few)


def test_answer_is_mailed_kept_and_shown(app, client, editor):
    """An answer goes to the outbox with the page's address, is kept, and marks it handled."""
    page = make_page(app)
    comment_id = make_page_comment(app, f"/pages/{page.slug}")
    url = f"/admin/page-comments/{comment_id}"
    response = post_form(client, url, {"answer": "Tack, vi har rättat länken."})
    assert response.status_code == 302
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert message.recipient == "anna@example.se"
        assert "Tack, vi har rättat länken." in message.body
        assert f"http://localhost/pages/{page.slug}" in message.body
    [comment] = _comments(app)
    assert comment.answer_text == "Tack, vi har rättat länken."
    assert comment.handled_by_id == editor.id
    assert "Tack, vi har rättat länken." in client.get(url).get_data(as_text=True)


def test_comment_without_email_cannot_be_answered(app, client, editor):
    """Without an address there is no answer form, and a forced answer queues no mail."""
    page = make_page(app)
    comment_id = make_page_comment(app, f"/pages/{page.slug}", email=None)
    url = f"/admin/page-comments/{comment_id}"
    assert 'name="answer"' not in client.get(url).get_data(as_text=True)
    response = post_form(client, url, {"answer": "Hej"}, "/admin/pages")
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage)) is None
