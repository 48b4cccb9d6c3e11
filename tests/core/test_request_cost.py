"""What every request pays: the logged-in user in one query, the layout's fixed links, the
template gettext, the session and CSRF signing, and no rate-limit hooks."""

from __future__ import annotations

import pytest
from flask import render_template_string, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import force_locale
from flask_login import login_user
from flask_wtf.csrf import generate_csrf, validate_csrf
from jinja2 import DictLoader
from markupsafe import escape

from dialog.accounts.models import Role, SessionUser, User
from dialog.accounts.permissions import current_actor
from dialog.accounts.queries import user_for_session
from dialog.accounts.services import grant_role
from dialog.core.routing import fixed_url
from dialog.core.security import csrf_token
from dialog.core.templating import FillIn
from dialog.extensions import db
from tests.helpers import load_user, make_user, post_form

BASE = "http://localhost"


def test_a_logged_in_page_loads_its_user_in_one_query(app, client, auth, count_queries):
    """The start page of a logged-in resident costs one query: the user with their roles."""
    auth.login(make_user(app, name="Greta Query"))
    client.get("/")
    with count_queries() as queries:
        html = client.get("/").get_data(as_text=True)
    assert len(queries) == 1, queries
    assert "/logout" in html


def test_the_request_user_is_fresh_on_every_request(app, client, auth):
    """A role granted is in the menu on the next request: the user is read, never kept."""
    user = make_user(app, Role.RESIDENT)
    auth.login(user)
    assert 'class="staff-nav"' not in client.get("/").get_data(as_text=True)
    with app.app_context():
        grant_role(db.session.get(User, user.id), Role.POLITICIAN, db.session.get(User, user.id))
        db.session.commit()
    assert 'class="staff-nav"' in client.get("/").get_data(as_text=True)


def test_services_get_the_acting_user_as_the_model(app):
    """Requests carry a SessionUser; current_actor() gives the User the services record."""
    user = load_user(app, make_user(app, Role.EDITOR).id)
    with app.test_request_context("/", base_url=BASE):
        session_user = user_for_session(user.get_id())
        assert isinstance(session_user, SessionUser)
        assert session_user.role_names == frozenset({Role.EDITOR})
        login_user(session_user)
        actor = current_actor()
        assert isinstance(actor, User)
        assert actor.id == user.id
        assert current_actor() is actor


def test_a_stale_or_inactive_session_loads_no_user(app):
    """A replaced session token, an inactive account or a bad cookie value load no one."""
    user = load_user(app, make_user(app).id)
    inactive = load_user(app, make_user(app, active=False).id)
    with app.test_request_context("/", base_url=BASE):
        assert user_for_session(user.get_id()) is not None
        assert user_for_session(f"{user.id}:not-the-token") is None
        assert user_for_session(inactive.get_id()) is None
        assert user_for_session("x:y") is None
        assert user_for_session(f"{user.id}:") is None


def test_fixed_links_follow_the_script_root(app):
    """The layout's remembered links are per script root: mounted under a prefix, they carry it."""
    client = app.test_client()
    plain = client.get("/").get_data(as_text=True)
    mounted = client.get("/", environ_overrides={"SCRIPT_NAME": "/dialog"}).get_data(as_text=True)
    assert 'href="/goals"' in plain
    assert 'href="/dialog/goals"' in mounted
    assert 'href="/dialog/static/css/dialog.css"' in mounted
    assert 'href="/goals"' in client.get("/").get_data(as_text=True)


def test_links_with_values_are_built_each_time(app):
    """A link with values is the one its values give: each value its own link."""
    with app.test_request_context("/", base_url=BASE):
        one = render_template_string("{{ url_for('pages.switch_language', code='en') }}")
        two = render_template_string("{{ url_for('pages.switch_language', code='sv') }}")
    assert (one, two) == ("/language/en", "/language/sv")


def test_remembered_links_are_url_fors_own(app):
    """Links are remembered per endpoint, values and script root; absolute links, links with
    other values and blueprint-relative names are built by url_for each time."""
    cases = [
        ("contributions.proposals", {"slug": "a b/c", "page": 2, "goal": None}),
        ("contributions.proposals", {"slug": "a b/c", "page": 3}),
        ("contributions.proposal", {"slug": "x", "proposal_id": 7, "_anchor": "a b"}),
        ("pages.switch_language", {"code": "en", "next": "/dialogues?x=1&y=<2>"}),
        ("contributions.proposals", {"slug": "x", "_external": True}),
        ("contributions.proposals", {"slug": "x", "sort": ["a", "b"]}),
    ]
    for root in ("", "/dialog"):
        with app.test_request_context("/", base_url=BASE + root):
            for endpoint, values in cases:
                built = url_for(endpoint, **values)
                assert fixed_url(endpoint, **values) == built
                assert fixed_url(endpoint, **values) == built
                assert built.startswith(BASE + root if "_external" in values else root + "/")
    with app.test_request_context("/dialogues/x/proposals", base_url=BASE):
        assert fixed_url(".proposal", slug="x", proposal_id=1) == "/dialogues/x/proposals/1"


def test_template_gettext_escapes_values_and_formats_like_jinja(app):
    """Template translations: values escaped, the text itself trusted, "%%" a per cent sign."""
    with app.test_request_context("/", base_url=BASE):
        html = render_template_string(
            "{% trans name=name %}Hello {{ name }}{% endtrans %}|{{ _('100%%') }}",
            name="<b>",
        )
    assert html == "Hello &lt;b&gt;|100%"


def test_template_plurals_of_counts_are_safe_text(app):
    """A plural with a count is the catalog's text with the number in it, safe as it is."""
    source = "{% trans count=n %}{{ count }} support{% pluralize %}"
    source += "{{ count }} supports{% endtrans %}"
    with app.test_request_context("/", base_url=BASE), force_locale("en"):
        assert render_template_string(source, n=1) == "1 support"
        assert render_template_string(source, n=3) == "3 supports"
        named = "{% trans count=n, name=name %}{{ name }}: {{ count }} support{% pluralize %}"
        named += "{{ name }}: {{ count }} supports{% endtrans %}"
        assert render_template_string(named, n=2, name="<b>") == "&lt;b&gt;: 2 supports"


TRANSLATED = {
    "texts.html": "{{ _('Skip to content') }}|{% trans %}Log in{% endtrans %}|{{ _('100%%') }}",
    "shadowed.html": "{% set _ = upper %}{{ _('Skip to content') }}",
    "unformatted.html": "{{ _('%(name)s') }}",
}


@pytest.fixture
def translated_templates(app):
    """The site's environment over a few templates of its own (a cache of their own too)."""
    return app.jinja_env.overlay(loader=DictLoader(TRANSLATED))


def test_template_texts_are_compiled_in_the_readers_language(app, translated_templates):
    """A template's texts are translated once per language: each language gets its own, by
    turns, and a name passed as ``_`` to the render no longer translates them."""
    texts = translated_templates.get_template
    with app.test_request_context("/", base_url=BASE):
        for _ in range(2):
            with force_locale("sv"):
                assert texts("texts.html").render(_=str.upper) == ("Till innehållet|Logga in|100%")
            with force_locale("en"):
                assert texts("texts.html").render() == "Skip to content|Log in|100%"
        with force_locale("sv"):
            swedish = texts("texts.html")
            assert texts("texts.html") is swedish
        with force_locale("en"):
            assert texts("texts.html") is not swedish


def test_templates_that_rename_gettext_or_cannot_format_translate_as_they_render(
    app, translated_templates
):
    """A template that gives ``_`` another meaning keeps it; a text that needs values it
    is not given fails when rendered, as before, not when loaded."""
    texts = translated_templates.get_template
    with app.test_request_context("/", base_url=BASE), force_locale("sv"):
        assert texts("shadowed.html").render(upper=str.upper) == "SKIP TO CONTENT"
        unformatted = texts("unformatted.html")
        with pytest.raises(KeyError):
            unformatted.render()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("to %(name)s", "Anna <Andersson> & co"),
        ("%(name)s's comment", "<3"),
        ("See all %(name)s replies", 12),
        ("%(name)s and %(name)s", "<b>"),
        ("100%% by %(name)s", "<b>"),
        ("Nobody & nothing", "<b>"),
    ],
)
def test_fill_in_is_the_escaped_text_formatted_with_the_value(text, value):
    """A text filled in on every line is what escaping it and formatting it with % gives."""
    assert FillIn(text, "name")[value] == escape(text) % {"name": value}


def test_csrf_tokens_are_flask_wtfs_own(app):
    """A token signed here passes Flask-WTF's check, and one signed by Flask-WTF is the same."""
    with app.test_request_context("/", base_url=BASE):
        token = csrf_token()
        validate_csrf(token)  # raises when refused
        assert generate_csrf() == token
        assert len(session["csrf_token"]) == 40


def test_session_cookies_are_flasks_own(app, client):
    """The session cookie is signed exactly as Flask signs it: Flask's own interface reads it."""
    user = make_user(app)
    post_form(client, "/login", {"email": user.email, "password": user.password})
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    data = SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie.value)
    assert data["_user_id"].startswith(f"{user.id}:")


def test_a_forged_session_cookie_is_ignored(app, client):
    """A cookie signed with another key is no session: the visitor is not logged in."""
    user = make_user(app)
    forged = SecureCookieSessionInterface().get_signing_serializer(
        type("Other", (), {"secret_key": "another key", "config": app.config})()
    )
    value = forged.dumps({"_user_id": f"{user.id}:x"})
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], value)
    assert "/logout" not in client.get("/").get_data(as_text=True)


def test_no_rate_limit_hooks_run_on_requests(app):
    """No route has a Flask-Limiter limit, so its request hooks are not installed."""
    hooks = [*app.before_request_funcs[None], *app.after_request_funcs[None]]
    assert not [hook for hook in hooks if "limiter" in repr(hook).lower()]


def test_templates_share_one_plain_dict_of_globals_and_import_once(app):
    """A template's globals are a dict with every registered global; an import reuses its module."""
    with app.test_request_context("/"):
        base = app.jinja_env.get_template("base.html")
        macros = app.jinja_env.get_template("macros/pagination.html")
        assert type(base.globals) is dict
        assert {"url_for", "csrf_token", "navigation", "_"} <= base.globals.keys()
        context = base.new_context({})
        assert macros._get_default_module(context) is macros._get_default_module(context)
