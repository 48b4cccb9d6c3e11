"""The menus: the public places for everyone, and each staff role its places of work.

Adding a place is one line in ``STAFF_LINKS``. A link whose endpoint the app does not have
(a page another area has not built yet) is left out, so a place can be listed before it lands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from flask_babel.speaklater import LazyString

from dialog.accounts.models import Role
from dialog.accounts.permissions import can_manage_users, has_role, is_staff
from dialog.core.i18n import _l
from dialog.core.templating import fixed_url
from dialog.dialogues.permissions import can_create_dialogue
from dialog.goals.permissions import can_manage_goals
from dialog.moderation.permissions import can_moderate
from dialog.records.permissions import can_export_registry
from dialog.review.permissions import can_review


def _everyone(user: Any) -> bool:
    return True


def _editor(user: Any) -> bool:
    return has_role(user, Role.EDITOR)


def _admin(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


@dataclass(frozen=True)
class NavLink:
    endpoint: str
    label: LazyString
    allowed: Callable[[Any], bool] = _everyone
    # The paths under which the link is the current section (besides its own page).
    section: str | None = None


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    # aria-current: "page" on the link's own page, "true" inside its section, else None.
    current: str | None


PUBLIC_LINKS = (
    NavLink("pages.home", _l("Start")),
    NavLink("goals.index", _l("Goals"), section="/goals"),
    NavLink("dialogues.index", _l("Dialogues"), section="/dialogues"),
)

STAFF_LINKS = (
    NavLink("staff.start", _l("My work"), is_staff),
    NavLink("dialogues.manage", _l("My dialogues"), can_create_dialogue),
    NavLink("pages.admin_pages", _l("Content pages"), _editor, "/admin/pages"),
    NavLink("pages.admin_page_comments", _l("Page comments"), _editor, "/admin/page-comments"),
    NavLink("moderation.queue", _l("Moderation"), can_moderate, "/moderation"),
    NavLink("moderation.figures", _l("Moderation figures"), can_moderate, "/moderation/figures"),
    NavLink("review.index", _l("Review"), can_review, "/review"),
    NavLink("accounts.admin_users", _l("Users"), can_manage_users, "/admin/users"),
    NavLink("goals.admin_index", _l("Frameworks"), can_manage_goals, "/admin/frameworks"),
    NavLink("outbox.index", _l("Mail outbox"), _admin, "/admin/mail"),
    NavLink("records.exports", _l("Exports"), can_export_registry, "/admin/records"),
)


@dataclass(frozen=True)
class Navigation:
    main: list[NavItem]
    staff: list[NavItem]


def _shown(links: Sequence[NavLink], user: Any) -> list[NavLink]:
    return [
        link for link in links if link.endpoint in current_app.view_functions and link.allowed(user)
    ]


def _under(path: str, section: str) -> bool:
    return path == section or path.startswith(section + "/")


def _current(links: Sequence[NavLink]) -> tuple[NavLink | None, NavLink | None]:
    """The link of this page, or else the one whose section holds it most narrowly."""
    exact = next((link for link in links if link.endpoint == request.endpoint), None)
    if exact is not None:
        return exact, None
    inside = [link for link in links if link.section and _under(request.path, link.section)]
    return None, max(inside, key=lambda link: len(link.section or ""), default=None)


def navigation(user: Any) -> Navigation:
    """The public menu and the user's places of work (none for residents), current one marked."""
    main = _shown(PUBLIC_LINKS, user)
    staff = _shown(STAFF_LINKS, user) if is_staff(user) else []
    exact, section = _current(main + staff)

    def items(links: list[NavLink]) -> list[NavItem]:
        return [
            NavItem(
                fixed_url(link.endpoint),
                str(link.label),
                "page" if link is exact else "true" if link is section else None,
            )
            for link in links
        ]

    return Navigation(items(main), items(staff))
