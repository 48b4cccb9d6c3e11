"""Content pages: editors write, publish and change them; every save is a kept version."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.core.models import AuditEvent
from dialog.extensions import db
from dialog.pages.models import Page, PageVersion
from tests.dialogues.factories import make_framework
from tests.helpers import make_user, post_form
from tests.pages.factories import make_page


@pytest.fixture
def editor(app, auth):
    """A web editor, logged in."""
    user = make_user(app, Role.EDITOR, name="Malin van 't Wout")
    auth.login(user)
    return user


def _page(app, slug: str) -> Page:
    with app.app_context():
        page = db.session.scalar(select(Page).where(Page.slug == slug))
        assert page is not None
        db.session.expunge(page)
        return page


def _versions(app, page_id: int) -> list[tuple[int, str, int | None]]:
    with app.app_context():
        rows = db.session.scalars(
            select(PageVersion).where(PageVersion.page_id == page_id).order_by(PageVersion.number)
        )
        return [(version.number, version.body_text, version.created_by_id) for version in rows]


def _form(**changes: str) -> dict[str, str]:
    data = {
        "title": "Landskrona vägval",
        "slug": "landskrona-vagval",
        "summary": "Hur staden arbetar.",
        "body": "<p>Sedan 2010 arbetar vi efter <strong>Vägval</strong>.</p>",
    }
    data.update(changes)
    return data


def test_editor_writes_a_draft_that_only_editors_see(app, client, editor):
    """A new page is a draft: a 404 for visitors, shown to the editors."""
    response = post_form(client, "/admin/pages/new", _form())
    assert response.status_code == 302
    assert client.get("/pages/landskrona-vagval").status_code == 200
    assert app.test_client().get("/pages/landskrona-vagval").status_code == 404


def test_published_page_shows_who_updated_it_last(app, client, editor):
    """The public page reads "Senast uppdaterad av NAMN, DATUM" in Swedish, and in English."""
    page = make_page(app, editor_id=editor.id, slug="vagval")
    visitor = app.test_client()
    html = visitor.get("/pages/vagval").get_data(as_text=True)
    assert "Senast uppdaterad av Malin van &#39;t Wout," in html
    assert "<strong>Vägval 2020</strong>" in html
    visitor.set_cookie("lang", "en")
    html = visitor.get(f"/pages/{page.slug}").get_data(as_text=True)
    assert "Last updated by Malin van &#39;t Wout on" in html


def test_unpublished_page_is_gone_for_visitors(app, client, editor):
    """Taking a page back to a draft makes it a 404 again, and the change is audited."""
    page = make_page(app, editor_id=editor.id)
    assert app.test_client().get(f"/pages/{page.slug}").status_code == 200
    response = post_form(
        client, f"/admin/pages/{page.id}/status", {"published": "0"}, f"/admin/pages/{page.id}/edit"
    )
    assert response.status_code == 302
    assert app.test_client().get(f"/pages/{page.slug}").status_code == 404
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_type == "page")
        ).all()
    assert "page_unpublished" in actions


def test_every_save_keeps_a_version_and_the_diff_shows_the_change(app, client, editor):
    """Two saves make two versions with their editor; the diff marks the words changed."""
    post_form(client, "/admin/pages/new", _form())
    page = _page(app, "landskrona-vagval")
    edited = _form(body="<p>Sedan 2020 arbetar vi efter <strong>Vägval</strong>.</p>")
    response = post_form(client, f"/admin/pages/{page.id}/edit", edited)
    assert response.status_code == 302
    versions = _versions(app, page.id)
    assert [(number, by) for number, _text, by in versions] == [(1, editor.id), (2, editor.id)]
    assert versions[0][1] == "Sedan 2010 arbetar vi efter Vägval."
    html = client.get(f"/admin/pages/{page.id}/versions").get_data(as_text=True)
    assert "2010</del>" in html
    assert "2020</ins>" in html


def test_saving_without_a_change_keeps_no_new_version(app, client, editor):
    """Saving the same text again adds no version."""
    post_form(client, "/admin/pages/new", _form())
    page = _page(app, "landskrona-vagval")
    post_form(client, f"/admin/pages/{page.id}/edit", _form(body=page.body_html))
    assert len(_versions(app, page.id)) == 1


def _confirmation(html: str) -> str:
    found = re.search(r'name="confirm_cleaning" type="hidden" value="([^"]+)"', html)
    assert found, "the form asks for no confirmation"
    return found.group(1)


def test_body_is_sanitised_once_on_write(app, client, editor):
    """A script and an event handler never reach the database; the clean HTML is stored."""
    body = '<p onclick="alert(1)">Hej <script>alert(2)</script><a href="javascript:x()">x</a></p>'
    shown = post_form(client, "/admin/pages/new", _form(body=body)).get_data(as_text=True)
    post_form(client, "/admin/pages/new", _form(body=body, confirm_cleaning=_confirmation(shown)))
    page = _page(app, "landskrona-vagval")
    assert "script" not in page.body_html
    assert "onclick" not in page.body_html
    assert "javascript" not in page.body_html
    assert page.body_text.startswith("Hej")


def test_text_cleaning_would_cut_is_shown_before_the_page_is_stored(app, client, editor):
    """A body that would lose text comes back showing what would be stored; nothing is saved
    until the editor sends the same text again with the confirmation."""
    body = "<p>Vi bygger <fler cykelbanor> och <em>parker</em>.</p><script>alert(1)</script>"
    first = post_form(client, "/admin/pages/new", _form(body=body, summary="Min sammanfattning"))
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert 'class="cleaned-preview"' in html
    assert "&lt;p&gt;Vi bygger  och &lt;em&gt;parker&lt;/em&gt;.&lt;/p&gt;" in html
    assert "Min sammanfattning" in html
    assert "&lt;fler cykelbanor&gt;" in html  # the text as typed, still in the box
    with app.app_context():
        assert db.session.scalars(select(Page)).all() == []
    confirmation = _confirmation(html)
    # A changed text asks again: the confirmation was for the text shown.
    changed = post_form(
        client,
        "/admin/pages/new",
        _form(body=body + "<p>Mer</p><style>x</style>", confirm_cleaning=confirmation),
    )
    assert changed.status_code == 200
    with app.app_context():
        assert db.session.scalars(select(Page)).all() == []
    stored = post_form(client, "/admin/pages/new", _form(body=body, confirm_cleaning=confirmation))
    assert stored.status_code == 302
    page = _page(app, "landskrona-vagval")
    assert page.body_html == "<p>Vi bygger  och <em>parker</em>.</p>alert(1)"


def test_a_clean_body_and_an_unchanged_edit_ask_for_nothing(app, client, editor):
    """Allowed markup, "a < b" and an edit of the stored HTML save at once, without a question."""
    body = '<p>3 < 5 & <a href="https://example.se">länk</a></p><ul><li>ett</li></ul>'
    assert post_form(client, "/admin/pages/new", _form(body=body)).status_code == 302
    page = _page(app, "landskrona-vagval")
    assert page.body_text.startswith("3 < 5 &")
    response = post_form(client, f"/admin/pages/{page.id}/edit", _form(body=page.body_html))
    assert response.status_code == 302


def test_page_names_its_goals_and_dialogues(app, client, editor):
    """The goals a page is about link to their goal pages."""
    framework = make_framework(app)
    goal_id = framework.goals["1"]
    post_form(client, "/admin/pages/new", _form(goals=str(goal_id)))
    page = _page(app, "landskrona-vagval")
    html = client.get(f"/pages/{page.slug}").get_data(as_text=True)
    assert f'href="/goals/{framework.slug}/{goal_id}"' in html


def test_taken_address_comes_back_with_the_form_filled(app, client, editor):
    """A second page with the same address is refused, with everything typed kept."""
    make_page(app, slug="landskrona-vagval")
    response = post_form(client, "/admin/pages/new", _form(summary="Min sammanfattning"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Another page already has this address." in html or "redan" in html
    assert "Min sammanfattning" in html
    assert "Sedan 2010 arbetar vi" in html


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.FACILITATOR, Role.POLITICIAN])
def test_only_editors_write_pages(app, client, auth, role):
    """Other roles get 403 and nothing is stored."""
    auth.login(make_user(app, role))
    response = post_form(client, "/admin/pages/new", _form(), "/login")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Page)) is None


def test_demo_page_has_two_versions_and_comments_in_the_inbox(app):
    """The demo loads the Vägval page, last updated by its editor, and two page comments."""
    from dialog.demo import loader

    with app.app_context():
        loader.load()
        db.session.commit()
    html = app.test_client().get("/pages/landskrona-vagval").get_data(as_text=True)
    assert "Senast uppdaterad av Rut Redaktör," in html
    page = _page(app, "landskrona-vagval")
    assert [number for number, _text, _by in _versions(app, page.id)] == [1, 2]
    with app.app_context():
        from dialog.contributions.models import PageComment

        comments = db.session.scalars(select(PageComment).order_by(PageComment.id)).all()
        assert [(c.is_handled, c.answer_text is not None) for c in comments] == [
            (True, True),
            (False, False),
        ]
