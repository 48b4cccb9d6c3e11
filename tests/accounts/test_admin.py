"""The administrators' user list, roles and activation; the users command."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.core.models import AuditEvent
from dialog.extensions import db
from tests.helpers import load_user, make_user, post_form


def _audit_trail(app):
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        return [(e.action, e.actor_id, e.subject_id, e.details) for e in events]


def test_admin_grants_and_revokes_a_role_with_an_audit_trail(app, client, auth):
    """An admin ticks a role and saves, then unticks it; both land in the audit trail with
    actor and role, and the list comes back as it was (its search kept)."""
    admin = make_user(app, Role.ADMIN)
    resident = make_user(app, name="Rolf Resident")
    auth.login(admin)
    response = post_form(
        client,
        f"/admin/users/{resident.id}/roles",
        {"roles": ["resident", "editor"], "shown": "resident", "next": "/admin/users?q=rolf"},
        source="/admin/users",
    )
    assert response.status_code == 302
    assert response.location == "/admin/users?q=rolf"
    assert load_user(app, resident.id).role_names == {Role.RESIDENT, Role.EDITOR}
    data = {"roles": "resident", "shown": "resident editor"}
    post_form(client, f"/admin/users/{resident.id}/roles", data, source="/admin/users")
    assert load_user(app, resident.id).role_names == {Role.RESIDENT}
    actions = _audit_trail(app)
    assert ("role_granted", admin.id, resident.id, {"role": "editor"}) in actions
    assert ("role_revoked", admin.id, resident.id, {"role": "editor"}) in actions
    assert not [action for action in actions if action[3] == {"role": "resident"}]


def test_one_save_changes_several_roles_of_a_user(app, client, auth):
    """Boxes ticked and unticked in one save are granted and taken away: each role changed
    is one audit entry, a role kept is none."""
    admin = make_user(app, Role.ADMIN)
    user = make_user(app, Role.RESIDENT, Role.EDITOR)
    auth.login(admin)
    data = {"roles": ["editor", "facilitator", "politician"], "shown": "editor resident"}
    post_form(client, f"/admin/users/{user.id}/roles", data, source="/admin/users")
    assert load_user(app, user.id).role_names == {Role.EDITOR, Role.FACILITATOR, Role.POLITICIAN}
    changes = [(action, details["role"]) for action, _, _, details in _audit_trail(app)]
    assert sorted(changes) == [
        ("role_granted", "facilitator"),
        ("role_granted", "politician"),
        ("role_revoked", "resident"),
    ]


def test_the_last_admin_keeps_the_role(app, client, auth):
    """The only administrator cannot untick their own admin role; nothing else they changed
    in the same save is stored either, and they are told why."""
    admin = make_user(app, Role.ADMIN)
    auth.login(admin)
    response = post_form(
        client,
        f"/admin/users/{admin.id}/roles",
        {"roles": ["editor"], "shown": "admin"},
        source="/admin/users",
    )
    assert load_user(app, admin.id).role_names == {Role.ADMIN}
    assert not [action for action in _audit_trail(app) if action[0].startswith("role_")]
    page = client.get(response.location).get_data(as_text=True)
    assert "Den sista administratören" in page


def test_a_page_opened_before_another_change_undoes_nothing(app, client, auth):
    """Two administrators had the list open; the second one's save grants what they ticked
    and keeps the role the first one granted meanwhile (it was not on their page)."""
    admin = make_user(app, Role.ADMIN)
    user = make_user(app)
    auth.login(admin)
    url = f"/admin/users/{user.id}/roles"
    first = {"roles": ["resident", "editor"], "shown": "resident"}
    second = {"roles": ["resident", "politician"], "shown": "resident"}
    post_form(client, url, first, source="/admin/users")
    post_form(client, url, second, source="/admin/users")
    assert load_user(app, user.id).role_names == {Role.RESIDENT, Role.EDITOR, Role.POLITICIAN}


@pytest.mark.parametrize(
    "data",
    [
        {"roles": ["resident", "owner"], "shown": "resident"},
        {"roles": ["editor"], "shown": "resident owner"},
        # A form without the roles it showed (as the list's form before this one): it
        # would otherwise take every role away.
        {"role": "editor", "action": "grant"},
        {"roles": ["editor"]},
    ],
)
def test_a_form_that_is_not_the_lists_is_refused(app, client, auth, data):
    """A role the application does not have, or a form without the roles its page showed, is
    a bad request and changes nothing."""
    admin = make_user(app, Role.ADMIN)
    user = make_user(app)
    auth.login(admin)
    response = post_form(client, f"/admin/users/{user.id}/roles", data, source="/admin/users")
    assert response.status_code == 400
    assert load_user(app, user.id).role_names == {Role.RESIDENT}


def test_each_user_has_one_form_for_their_roles(app, client, auth):
    """A row has one form for the roles: a labelled box per role, the held ones ticked, and
    one button named after the user; and one form to deactivate the account."""
    admin = make_user(app, Role.ADMIN, name="Ada Admin")
    editor = make_user(app, Role.EDITOR, name="Edit <Editor>")
    auth.login(admin)
    html = client.get("/admin/users").get_data(as_text=True)
    row = html[html.index("Edit &lt;Editor&gt;") : html.index("</tr>", html.index("Edit &lt;"))]
    assert row.count("<form") == 2
    assert row.count(f'action="/admin/users/{editor.id}/roles"') == 1
    assert row.count('type="checkbox" name="roles"') == len(Role)
    assert '<input type="checkbox" name="roles" value="editor" checked>' in row
    assert '<input type="hidden" name="shown" value="editor">' in row
    assert '<input type="checkbox" name="roles" value="admin">' in row
    assert '<legend class="visually-hidden">Roller: Edit &lt;Editor&gt;</legend>' in row
    assert '<span class="visually-hidden"> Edit &lt;Editor&gt;</span>' in row
    assert 'name="csrf_token"' in row


def test_user_list_searches_and_paginates(app, client, auth):
    """The user list counts everyone, pages after 30 rows and finds a person by name."""
    admin = make_user(app, Role.ADMIN, name="Ada Admin")
    for number in range(30):
        make_user(app, name=f"Person {number:02d}")
    auth.login(admin)
    first = client.get("/admin/users").get_data(as_text=True)
    assert "31 " in first or "31<" in first
    assert 'rel="next"' in first
    found = client.get("/admin/users?q=person 07").get_data(as_text=True)
    assert "Person 07" in found
    assert "Person 08" not in found


def test_user_list_query_count_does_not_grow(app, client, auth, count_queries):
    """The user list runs the same few queries with 1 user or 41."""
    admin = make_user(app, Role.ADMIN)
    auth.login(admin)
    with count_queries() as few:
        client.get("/admin/users")
    for _ in range(40):
        make_user(app, Role.EDITOR)
    with count_queries() as many:
        client.get("/admin/users")
    assert len(many) == len(few)
    assert len(few) <= 5


def test_users_create_command(app):
    """`users create` makes an admin once; a taken address (any case) or short password fails."""
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "first@example.se", "--role", "admin", "--password", "x" * 12]
    )
    assert result.exit_code == 0, result.output
    again = runner.invoke(
        args=["users", "create", "FIRST@example.se", "--role", "admin", "--password", "x" * 12]
    )
    assert again.exit_code != 0
    short = runner.invoke(args=["users", "create", "other@example.se", "--password", "short"])
    assert short.exit_code != 0
