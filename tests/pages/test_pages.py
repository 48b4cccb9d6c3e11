"""The site's own pages: start page, privacy, accessibility statement and report."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dialog.core.models import OutboxMessage
from dialog.extensions import db
from dialog.pages.forms import MAX_REPORT_LENGTH
from tests.helpers import post_form


def test_home_is_swedish_by_default(client):
    """With no choice made and no Accept-Language, the site speaks Swedish."""
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert "Testkommunen" in html


def test_every_page_links_the_accessibility_statement_and_privacy_page(client):
    """Every page links the accessibility statement and the privacy page, and has a skip link."""
    html = client.get("/").get_data(as_text=True)
    assert 'href="/accessibility"' in html
    assert 'href="/privacy"' in html
    assert 'class="skip-link" href="#main"' in html


def test_accessibility_problem_reaches_the_web_editors(app, client):
    """A reported accessibility problem is mailed to the contact address with the page named."""
    response = post_form(
        client,
        "/accessibility",
        {
            "page": "/login",
            "description": "Knappen går inte att nå med tangentbordet.",
            "email": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert message.recipient == app.config["CONTACT_EMAIL"]
        assert "Knappen går inte att nå med tangentbordet." in message.body
        assert "/login" in message.body


def test_accessibility_report_with_errors_keeps_the_text(client):
    """A report with no description and a bad address re-shows the form filled in."""
    response = post_form(
        client, "/accessibility", {"page": "/start", "description": "", "email": "not-an-email"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="/start"' in html
    assert 'value="not-an-email"' in html


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "At most 5,000 characters."), ("sv", "Högst 5\u00a0000 tecken.")],  # a no-break space
)
def test_a_too_long_report_names_the_limit_as_the_reader_writes_numbers(client, language, message):
    """A text past its limit is refused, the limit written in the reader's number format."""
    client.set_cookie("lang", language)
    response = post_form(client, "/accessibility", {"description": "å" * (MAX_REPORT_LENGTH + 1)})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_accessibility_reports_are_rate_limited_without_losing_the_text(client):
    """The sixth report in a row gets 429 with the typed description still in the form."""
    for _ in range(5):
        post_form(client, "/accessibility", {"description": "Problem"})
    response = post_form(client, "/accessibility", {"description": "Mitt sjätte problem"})
    assert response.status_code == 429
    assert "Mitt sjätte problem" in response.get_data(as_text=True)


def test_public_pages_run_no_queries_for_visitors(client, count_queries):
    """The start, privacy, accessibility and login pages run no query for a visitor."""
    for path in ("/", "/privacy", "/accessibility", "/login"):
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        assert statements == [], path


def test_logged_in_pages_load_the_user_in_one_query(app, client, auth, count_queries):
    """For a logged-in user the start page costs one query, loading the user."""
    from tests.helpers import make_user

    auth.login(make_user(app))
    with count_queries() as statements:
        assert client.get("/").status_code == 200
    assert len(statements) == 1


def test_demo_load_is_idempotent(app):
    """`demo load` makes the five demo users once, and prints the admin's login."""
    from dialog.accounts.models import User

    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        users = db.session.scalars(select(User.email).order_by(User.email)).all()
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    with app.app_context():
        assert db.session.scalars(select(User.email).order_by(User.email)).all() == users
    assert len(users) == 5
    assert "admin@example.se" in first.output
