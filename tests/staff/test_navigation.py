"""The menus: each role sees its places of work, the current page is marked, both languages."""

from __future__ import annotations

import re

import pytest

from dialog.accounts.models import Role
from tests.dialogues.factories import make_dialogue
from tests.dialogues.factories import make_framework as make_dialogue_framework
from tests.goals.factories import make_framework
from tests.helpers import make_user

_NAV = re.compile(
    r'<nav class="(?P<cls>[\w-]+)" aria-label="(?P<label>[^"]+)">(?P<body>.*?)</nav>', re.S
)
_LINK = re.compile(r'<a href="(?P<href>[^"]+)"(?: aria-current="(?P<current>\w+)")?>')

# The staff menu's places per role; a place another area has not built yet is left out.
PLACES = {
    Role.FACILITATOR: ["/staff", "/dialogues/manage"],
    Role.EDITOR: [
        "/staff",
        "/admin/pages",
        "/admin/page-comments",
        "/moderation",
        "/moderation/figures",
        "/review",
        "/admin/records",
    ],
    Role.POLITICIAN: ["/staff", "/review"],
    Role.ADMIN: [
        "/staff",
        "/dialogues/manage",
        "/moderation",
        "/moderation/figures",
        "/review",
        "/admin/users",
        "/admin/frameworks",
        "/admin/mail",
        "/admin/records",
    ],
}


def _navs(html: str) -> dict[str, tuple[str, list[tuple[str, str | None]]]]:
    """Each nav by class: its label and its links with their aria-current."""
    return {
        match["cls"]: (
            match["label"],
            [(link["href"], link["current"]) for link in _LINK.finditer(match["body"])],
        )
        for match in _NAV.finditer(html)
    }


def _existing(app, paths: list[str]) -> list[str]:
    routes = {rule.rule for rule in app.url_map.iter_rules()}
    return [path for path in paths if path in routes]


@pytest.mark.parametrize("role", list(PLACES), ids=str)
def test_each_staff_role_sees_its_places_and_each_place_opens(app, client, auth, role):
    """A staff role's menu links exactly its places, and each one opens for that role."""
    auth.login(make_user(app, role))
    label, links = _navs(client.get("/").get_data(as_text=True))["staff-nav"]
    assert label == "Personalmeny"
    assert [href for href, _ in links] == _existing(app, PLACES[role])
    for href, _ in links:
        assert client.get(href).status_code == 200, href


def test_a_user_with_two_roles_sees_the_places_of_both(app, client, auth):
    """Roles add up: a facilitator who edits sees both roles' places, each once."""
    auth.login(make_user(app, Role.FACILITATOR, Role.EDITOR))
    _, links = _navs(client.get("/").get_data(as_text=True))["staff-nav"]
    expected = _existing(
        app,
        [
            "/staff",
            "/dialogues/manage",
            "/admin/pages",
            "/admin/page-comments",
            "/moderation",
            "/moderation/figures",
            "/review",
            "/admin/records",
        ],
    )
    assert [href for href, _ in links] == expected


@pytest.mark.parametrize("role", [None, Role.RESIDENT], ids=["anonymous", "resident"])
def test_residents_and_visitors_get_no_staff_menu(app, client, auth, role):
    """Only staff get the second menu; the main menu is the same public places."""
    if role is not None:
        auth.login(make_user(app, role))
    navs = _navs(client.get("/").get_data(as_text=True))
    assert "staff-nav" not in navs
    label, links = navs["main-nav"]
    assert label == "Huvudmeny"
    assert [href for href, _ in links][:3] == ["/", "/goals", "/dialogues"]
    assert "/admin/users" not in [href for href, _ in links]


def test_the_current_page_and_section_are_marked(app, client, auth):
    """aria-current="page" on the page's own link, "true" on the section it is inside."""
    framework = make_framework(app, slug="nav-plan")
    auth.login(make_user(app, Role.ADMIN, Role.FACILITATOR))

    def current(path: str) -> list[tuple[str, str]]:
        navs = _navs(client.get(path).get_data(as_text=True))
        return [
            (href, mark) for _, links in navs.values() for href, mark in links if mark is not None
        ]

    assert current("/") == [("/", "page")]
    assert current("/staff") == [("/staff", "page")]
    assert current("/dialogues/manage") == [("/dialogues/manage", "page")]
    assert current("/dialogues") == [("/dialogues", "page")]
    assert current(f"/goals/{framework.slug}") == [("/goals", "true")]
    assert current(f"/admin/frameworks/{framework.slug}") == [("/admin/frameworks", "true")]
    assert current("/admin/users") == [("/admin/users", "page")]


@pytest.mark.parametrize(
    ("locale", "main", "staff", "work", "dialogues"),
    [
        ("sv", "Huvudmeny", "Personalmeny", "Mitt arbete", "Mina dialoger"),
        ("en", "Main menu", "Staff menu", "My work", "My dialogues"),
    ],
)
def test_the_menus_speak_the_readers_language(
    app, client, auth, locale, main, staff, work, dialogues
):
    """The menus' labels and links follow the reader's language."""
    auth.login(make_user(app, Role.FACILITATOR, locale=locale))
    page = client.get("/").get_data(as_text=True)
    navs = _navs(page)
    assert (navs["main-nav"][0], navs["staff-nav"][0]) == (main, staff)
    assert f'<a href="/staff">{work}</a>' in page
    assert f'<a href="/dialogues/manage">{dialogues}</a>' in page


def test_a_facilitator_reaches_a_dialogue_they_lead_from_the_menu(app, client, auth):
    """From any page: My dialogues, then the dialogue they are responsible for."""
    user = make_user(app, Role.FACILITATOR)
    dialogue = make_dialogue(app, make_dialogue_framework(app), facilitators=[user.id])
    auth.login(user)
    _, links = _navs(client.get("/goals").get_data(as_text=True))["staff-nav"]
    assert "/dialogues/manage" in [href for href, _ in links]
    assert f"/dialogues/{dialogue.slug}" in client.get("/dialogues/manage").get_data(as_text=True)
