"""Every route against every role, from an expected table built by hand.

A new route without an entry here fails test_every_route_is_in_the_table, so each
capability states who may reach what.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from dialog.accounts.models import Role
from tests.helpers import AuthActions, csrf_token, make_user

ROLES = ("anonymous", "resident", "facilitator", "editor", "politician", "admin")
LOGIN = "login"  # a redirect to the login page


@dataclass(frozen=True)
class Access:
    method: str
    path: str
    expected: dict[str, int | str]
    data: dict[str, str] = field(default_factory=dict)


def everyone(status: int, path: str, method: str = "GET") -> Access:
    return Access(method, path, dict.fromkeys(ROLES, status))


def guests_only(path: str) -> Access:
    return Access("GET", path, {role: 200 if role == "anonymous" else 302 for role in ROLES})


def logged_in(path: str, method: str = "GET", status: int = 200) -> Access:
    return Access(method, path, {role: LOGIN if role == "anonymous" else status for role in ROLES})


def admins_only(path: str, method: str = "GET", status: int = 200, **data: str) -> Access:
    expected: dict[str, int | str] = dict.fromkeys(ROLES, 403)
    expected.update(anonymous=LOGIN, admin=status)
    return Access(method, path, expected, data)


TARGET = "{target}"  # the id of a resident the admin routes act on

EXPECTED: dict[str, Access] = {
    "pages.home": everyone(200, "/"),
    "pages.accessibility": everyone(200, "/accessibility"),
    "pages.privacy": everyone(200, "/privacy"),
    "pages.switch_language": everyone(302, "/language/en"),
    "accounts.register": guests_only("/register"),
    "accounts.login": everyone(200, "/login"),
    "accounts.two_factor": everyone(302, "/login/two-factor"),
    "accounts.two_factor_setup": everyone(302, "/login/two-factor/setup"),
    "accounts.logout": everyone(302, "/logout", method="POST"),
    "accounts.account": logged_in("/account"),
    "accounts.change_password": logged_in("/account/password"),
    "accounts.recovery_codes": Access(
        "POST",
        "/account/recovery-codes",
        {
            "anonymous": LOGIN,
            "resident": 403,
            "facilitator": 200,
            "editor": 200,
            "politician": 200,
            "admin": 200,
        },
    ),
    "accounts.forgot_password": everyone(200, "/password/forgot"),
    "accounts.reset_password": everyone(404, "/password/reset/not-a-token"),
    "accounts.admin_users": admins_only("/admin/users"),
    "accounts.admin_change_role": admins_only(
        f"/admin/users/{TARGET}/roles", "POST", 302, role="politician", action="grant"
    ),
    "accounts.admin_set_active": admins_only(
        f"/admin/users/{TARGET}/active", "POST", 302, active="0"
    ),
}


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert endpoints == set(EXPECTED), (
        f"missing: {sorted(endpoints - set(EXPECTED))}, stale: {sorted(set(EXPECTED) - endpoints)}"
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_route_access(app, endpoint, role):
    access = EXPECTED[endpoint]
    client = app.test_client()
    if role != "anonymous":
        user = make_user(app, Role(role))
        assert AuthActions(client).login(user).status_code == 302
    target = make_user(app)
    path = access.path.replace(TARGET, str(target.id))
    if access.method == "POST":
        data = {"csrf_token": csrf_token(client, "/login"), **access.data}
        response = client.post(path, data=data)
    else:
        response = client.get(path)
    expected = access.expected[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.location.startswith("/login")
    else:
        assert response.status_code == expected
